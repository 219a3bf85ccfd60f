#!/usr/bin/env bash
# Builds the gateway for a fast start: Quarkus' aot-jar packaging (every class on the JVM's class path, which the
# JDK's class archives cover; the default fast-jar loads through Quarkus' own class loader, which JDK 17 cannot
# archive) in gateway/target/fast-start/, then a training start of it on a throwaway data directory, stopped once
# CQL listens, writes the archive beside it:
#   JDK 25 and later: an AOT cache (app.aot, -XX:AOTCache): classes loaded and linked ahead of time
#   JDK 17 to 24:      a dynamic AppCDS archive (app.jsa, -XX:SharedArchiveFile)
# Prints the command that starts Strata with it. The archive belongs to that build and that JDK: rebuild both
# together. Measured in docs/performance.md, "Start time".
#
#   deploy/fast-start.sh                      # with the java on PATH
#   deploy/fast-start.sh /usr/lib/jvm/temurin-25-jdk-amd64
#
# Environment: MVN_ARGS (extra Maven arguments, e.g. -o), FAST_START_SKIP_BUILD=1 (train the existing build again).
set -euo pipefail
cd "$(dirname "$0")/.."
java_home="${1:-}"
java="${java_home:+$java_home/bin/}java"
command -v "$java" >/dev/null || { echo "no java at '$java'" >&2; exit 2; }
app=gateway/target/fast-start
log() { printf '[fast-start] %s\n' "$*" >&2; }

feature="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
case "$feature" in
  17 | 18 | 19 | 20 | 21 | 22 | 23 | 24) archive="$app/app.jsa"; record=(-XX:ArchiveClassesAtExit="$archive")
    use=(-XX:SharedArchiveFile="$archive") ;;
  *) if [ "${feature%%.*}" -ge 25 ] 2>/dev/null; then
       archive="$app/app.aot"; record=(-XX:AOTCacheOutput="$archive"); use=(-XX:AOTCache="$archive")
     else
       echo "Java $feature is too old: Strata needs 17 or later" >&2; exit 2
     fi ;;
esac

if [ "${FAST_START_SKIP_BUILD:-0}" != 1 ]; then
  log "building the aot-jar into $app"
  # shellcheck disable=SC2086 # MVN_ARGS is a list of arguments
  ./mvnw -B -q -pl gateway -am package -DskipTests ${MVN_ARGS:-} \
    -Dquarkus.package.jar.type=aot-jar -Dquarkus.package.output-directory=fast-start
fi
[ -f "$app/quarkus-run.jar" ] || { echo "missing $app/quarkus-run.jar" >&2; exit 1; }
rm -f "$app/app.aot" "$app/app.jsa"

data="$(mktemp -d /tmp/strata-fast-start.XXXXXX)"
port=19042
log "training start with Java $feature (data in $data, CQL on 127.0.0.1:$port)"
"$java" "${record[@]}" -Dstrata.storage.local.path="$data" -Dstrata.cql.host=127.0.0.1 -Dstrata.cql.port=$port \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=0 -jar "$app/quarkus-run.jar" > "$data.log" 2>&1 &
pid=$!
listening=0
for _ in $(seq 1 300); do
  if (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; then listening=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
kill "$pid" 2>/dev/null || true
status=0
wait "$pid" || status=$?
if [ "$listening" != 1 ] || [ ! -s "$archive" ]; then
  echo "the training start failed (exit $status); its log:" >&2
  tail -n 30 "$data.log" >&2
  rm -rf "$data" "$data.log"
  exit 1
fi
rm -rf "$data" "$data.log"
log "$archive: $(( $(stat -c %s "$archive") / 1000000 )) MB"
echo "$java ${use[*]} -jar $app/quarkus-run.jar"
