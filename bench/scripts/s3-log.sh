#!/usr/bin/env bash
# Write throughput with the commit log in S3 against the local backend, in one run: one S3Proxy server (filesystem
# store, loopback) with three buckets as the three zones, then the load tool's write workload at 64 in flight against a
# gateway on them and against a gateway on local zones, alternating ROUNDS times, each measured SECONDS after WARMUP
# seconds of the same load (the S3 client's path is JIT-compiled slowly at a few hundred requests a second). Prints
# writes/s and p50/p99 per run. THREE_SERVERS=1 runs one S3Proxy per bucket instead (more JVMs on the same cores).
# Usage: bench/scripts/s3-log.sh [SECONDS=30] [ROUNDS=2] [WARMUP=60]   (from the repository root, after building
# gateway and bench;
# needs S3Proxy 4.1.0's classpath in $S3PROXY_CP, e.g. from `mvn dependency:build-classpath` on a pom that depends on
# org.gaul:s3proxy:4.1.0, with jackson-annotations 2.18.3 replaced by 2.21: its Jackson 3 needs the newer annotations).
set -euo pipefail
SECONDS_PER_RUN=${1:-30}
ROUNDS=${2:-2}
WARMUP=${3:-60}
: "${S3PROXY_CP:?set S3PROXY_CP to S3Proxy 4.1.0 and its dependencies}"
JAR=bench/target/strata-bench-0.1.0-SNAPSHOT.jar
APP=gateway/target/quarkus-app/quarkus-run.jar
CQL=19044
HTTP=18082
work=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ports=(19301 19301 19301)
if [ -n "${THREE_SERVERS:-}" ]; then ports=(19301 19302 19303); fi
cat > "$work/logback.xml" <<'XML'
<configuration><root level="WARN"/></configuration>
XML
for i in 0 1 2; do
  if [ -z "${THREE_SERVERS:-}" ] && [ $i -gt 0 ]; then continue; fi
  mkdir -p "$work/zone$i/strata0" "$work/zone$i/strata1" "$work/zone$i/strata2"
  cat > "$work/zone$i.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:${ports[$i]}
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=access
s3proxy.credential=secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$work/zone$i
PROPS
  java -Xmx512m -Dlogback.configurationFile="$work/logback.xml" -cp "$S3PROXY_CP" org.gaul.s3proxy.Main --properties "$work/zone$i.properties" > "$work/zone$i.log" 2>&1 &
  PIDS+=($!)
done
for p in $(printf "%s\n" "${ports[@]}" | sort -u); do
  for _ in $(seq 1 60); do (echo > /dev/tcp/127.0.0.1/$p) 2>/dev/null && break; sleep 0.5; done
done
gateway() { # MODE DIR
  local extra=()
  if [ "$1" = s3 ]; then
    extra=(-Dstrata.storage.type=s3 -Dstrata.storage.s3.buckets=strata0,strata1,strata2
      "-Dstrata.storage.s3.endpoints=http://127.0.0.1:${ports[0]},http://127.0.0.1:${ports[1]},http://127.0.0.1:${ports[2]}"
      -Dstrata.storage.s3.access-key=access -Dstrata.storage.s3.secret-key=secret -Dstrata.auth.dev-tenant=true)
  fi
  java -Xmx2g -Dstrata.storage.local.path="$2" -Dstrata.cql.port=$CQL -Dstrata.cql.host=127.0.0.1 \
    -Dquarkus.http.port=$HTTP -Dstrata.audit.enabled=false -Dstrata.capacity.enabled=false "${extra[@]}" \
    -jar "$APP" > "$2.log" 2>&1 &
  GW=$!
  for _ in $(seq 1 120); do [ -s "$2/dev-token" ] && (echo > /dev/tcp/127.0.0.1/$CQL) 2>/dev/null && break; sleep 0.5; done
}
for round in $(seq 1 "$ROUNDS"); do
  for mode in local s3; do
    dir="$work/gw-$mode-$round"
    gateway "$mode" "$dir"
    java -jar "$JAR" write --token-file="$dir/dev-token" --port $CQL --create-schema --rows 1000000 \
      --concurrency 64 --duration "$SECONDS_PER_RUN" --warmup "$WARMUP" 2>/dev/null | tail -1 | sed "s/^/$mode round $round: /"
    kill "$GW"; wait "$GW" 2>/dev/null || true
  done
done
