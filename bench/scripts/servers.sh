# Sourced by side-by-side.sh, concurrency-curve.sh and scale-curve.sh: starts a fresh local Strata gateway (3 local zones, the
# default layout under a temp data dir, capacity throttling off, CQL 9042 and HTTP 8080 on loopback) and a fresh
# Apache Cassandra 5.0.9 node (bench/cassandra/run.sh, CQL 29042), and stops both on exit (trap). Both by PID.
# Environment: STRATA_CQL_PORT [9042] STRATA_HTTP_PORT [8080] STRATA_HEAP [2g] CASSANDRA_HEAP [2g]
#              STRATA_JAVA_OPTS [] extra gateway JVM flags
#              WITH_CASSANDRA [1] 0: start Strata only
APP=gateway/target/quarkus-app/quarkus-run.jar
JAR=bench/target/strata-bench-0.1.0-SNAPSHOT.jar
STRATA_CQL_PORT=${STRATA_CQL_PORT:-9042}
STRATA_HTTP_PORT=${STRATA_HTTP_PORT:-8080}
export CASSANDRA_HEAP=${CASSANDRA_HEAP:-2g}
CASSANDRA_CQL_PORT=${CASSANDRA_CQL_PORT:-29042}
export CASSANDRA_CQL_PORT
GW_PID=
CASSANDRA_STARTED=
STRATA_DATA=

for f in "$APP" "$JAR"; do
  if [ ! -f "$f" ]; then
    echo "missing $f: build with ./mvnw -q -o -pl gateway,bench -am package -DskipTests" >&2
    exit 2
  fi
done

stop_servers() {
  if [ -n "$GW_PID" ] && kill -0 "$GW_PID" 2>/dev/null; then
    kill "$GW_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$GW_PID" 2>/dev/null && kill -9 "$GW_PID" 2>/dev/null
    echo "stopped Strata (PID $GW_PID)" >&2
  fi
  GW_PID=
  if [ -n "$CASSANDRA_STARTED" ]; then
    bench/cassandra/run.sh stop || true
    CASSANDRA_STARTED=
  fi
  if [ -n "$STRATA_DATA" ] && [ "${KEEP_STRATA_DATA:-0}" != 1 ]; then
    rm -rf "$STRATA_DATA"
  fi
}

start_servers() {
  trap stop_servers EXIT
  trap 'exit 130' INT TERM
  STRATA_DATA=$(mktemp -d /tmp/strata-bench.XXXXXX)
  # shellcheck disable=SC2086 # STRATA_JAVA_OPTS is a list of flags
  java "-Xmx${STRATA_HEAP:-2g}" ${STRATA_JAVA_OPTS:-} \
    -Dstrata.storage.local.path="$STRATA_DATA" \
    -Dstrata.cql.host=127.0.0.1 -Dstrata.cql.port="$STRATA_CQL_PORT" \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$STRATA_HTTP_PORT" \
    -Dstrata.capacity.enabled=false \
    -jar "$APP" > "$STRATA_DATA.log" 2>&1 &
  GW_PID=$!
  echo "started Strata (PID $GW_PID, data $STRATA_DATA, log $STRATA_DATA.log)" >&2
  if [ "${WITH_CASSANDRA:-1}" = 1 ]; then
    CASSANDRA_STARTED=1
    bench/cassandra/run.sh start > /dev/null
  fi
  for _ in $(seq 1 240); do
    if [ -s "$STRATA_DATA/dev-token" ] && (echo > "/dev/tcp/127.0.0.1/$STRATA_CQL_PORT") 2>/dev/null; then
      break
    fi
    if ! kill -0 "$GW_PID" 2>/dev/null; then
      echo "Strata exited during startup:" >&2
      tail -n 30 "$STRATA_DATA.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  STRATA_ARGS=(--port "$STRATA_CQL_PORT" --token-file "$STRATA_DATA/dev-token")
  CASSANDRA_ARGS=(--port "$CASSANDRA_CQL_PORT")
}

# Waits until process PID has used less than a tenth of a core for 5 s running (its compaction is done), at most MAX
# seconds; prints the seconds waited.
wait_idle() { # PID MAX
  local pid=$1 max=$2 waited=0 quiet=0 before after
  before=$(cpu_ticks "$pid")
  while [ "$waited" -lt "$max" ] && [ "$quiet" -lt 5 ]; do
    sleep 1
    waited=$((waited + 1))
    after=$(cpu_ticks "$pid")
    # clock ticks are 1/100 s: under 10 per second is under a tenth of a core
    if [ $((after - before)) -lt 10 ]; then quiet=$((quiet + 1)); else quiet=0; fi
    before=$after
  done
  echo "$waited"
}
cpu_ticks() { # PID: user + system clock ticks so far
  awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}

# Runs the load tool; prints only its last line (the JSON result), or nothing if it failed.
run_tool() {
  java -jar "$JAR" "$@" 2> >(grep -v '^warming\|^measuring' >&2) | tail -n 1 || true
}

# The machine the numbers come from, for the record.
machine() {
  echo "$(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), $(free -g | awk '/Mem:/ {print $2}') GiB RAM," \
    "$(java -version 2>&1 | head -1), $(uname -sr)"
}
