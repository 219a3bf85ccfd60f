#!/usr/bin/env bash
# What history costs on disk: a fresh local gateway, a table loaded with ROWS keys, then a sustained overwrite load
# (the load tool's write workload over the same keys) for MINUTES, sampling every SAMPLE seconds the bytes under one
# zone's directory, split into commit logs and table blobs. At the end the table is compacted into one segment with
# garbage collected after the grace: its live compacted size (the bench table's blobs), the denominator. Modes:
#   plain   point_in_time_recovery disabled (the default): logs recycled at flush, compaction inputs once no read holds them
#   pitr    point_in_time_recovery enabled: 35 days of history (hourly checkpoints plus the retained logs)
# Usage: bench/scripts/history-cost.sh MODE [ROWS=1000000] [MINUTES=10] [SAMPLE=30]   (from the repository root,
#        after building gateway and bench). Output: $OUT (default bench/target/history-<mode>.txt), one line per sample.
#        STRATA_JAVA_OPTS: extra gateway JVM flags.
set -euo pipefail
MODE=${1:?usage: history-cost.sh plain|pitr [ROWS] [MINUTES] [SAMPLE]}
ROWS=${2:-1000000}
MINUTES=${3:-10}
SAMPLE=${4:-30}
JAR=bench/target/strata-bench-0.1.0-SNAPSHOT.jar
APP=gateway/target/quarkus-app/quarkus-run.jar
OUT=${OUT:-bench/target/history-$MODE.txt}
CQL=19043
HTTP=18081
data=$(mktemp -d)
GW_PID=
LOAD_PID=
cleanup() {
  [ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null
  [ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null
  wait 2>/dev/null || true
  rm -rf "$data" "$data.log"
}
trap cleanup EXIT
java -Xmx3g ${STRATA_JAVA_OPTS:-} -Dstrata.storage.local.path="$data" -Dstrata.cql.port=$CQL -Dstrata.cql.host=127.0.0.1 \
  -Dquarkus.http.port=$HTTP -Dstrata.audit.enabled=false -Dstrata.capacity.enabled=false \
  -jar "$APP" > "$data.log" 2>&1 &
GW_PID=$!
for _ in $(seq 1 120); do [ -s "$data/dev-token" ] && (echo > /dev/tcp/127.0.0.1/$CQL) 2>/dev/null && break; sleep 0.5; done
TOKEN=$(cat "$data/dev-token")
OPERATOR=$(cat "$data/operator-token")
load() { java -jar "$JAR" write --token-file="$data/dev-token" --port $CQL --rows "$ROWS" "$@" 2>/dev/null | tail -1; }
load --create-schema --ops 1000 --warmup 0 > /dev/null
if [ "$MODE" = pitr ]; then
  /usr/bin/python3 - "$CQL" "$TOKEN" <<'EOF'
import sys
from cassandra.cluster import Cluster
from cassandra.auth import PlainTextAuthProvider
c = Cluster(["127.0.0.1"], port=int(sys.argv[1]), auth_provider=PlainTextAuthProvider("token", sys.argv[2]))
s = c.connect()
s.execute("ALTER TABLE strata_bench.kv WITH CUSTOM_PROPERTIES = "
          "{'point_in_time_recovery': {'status': 'enabled'}}")
c.shutdown()
EOF
fi
zone=$(find "$data" -maxdepth 3 -type d -name 'zone-a' | head -1)
[ -n "$zone" ] || zone=$data
bytes() { { du -sb "$@" 2>/dev/null || true; } | awk '{s += $1} END {print s + 0}'; }
sample() {
  local logs tables
  logs=$(bytes "$zone"/wal)
  tables=$(bytes "$zone"/data/tables)
  echo "$MODE | t=${1}s | zone_bytes=$(bytes "$zone") | log_bytes=$logs | table_bytes=$tables" | tee -a "$OUT"
}
: > "$OUT"
load --ops "$ROWS" --warmup 0 > /dev/null   # the initial load
start=$(date +%s)
sample 0
# OVERWRITE_ARGS: extra load-tool options for the overwrite phase, e.g. "--concurrency 4" for a moderate rate
# shellcheck disable=SC2086
load --duration $((MINUTES * 60)) --warmup 0 ${OVERWRITE_ARGS:-} > "$data.result" &
LOAD_PID=$!
while kill -0 "$LOAD_PID" 2>/dev/null; do
  sleep "$SAMPLE"
  sample $(( $(date +%s) - start ))
done
LOAD_PID=
echo "$MODE | load: $(cat "$data.result")" | tee -a "$OUT"
sleep 15   # the grace, then collect: what a table without PITR keeps settles
curl -s -X POST -H "Authorization: Bearer $OPERATOR" "http://127.0.0.1:$HTTP/admin/storage/gc" > /dev/null
sample "$(( $(date +%s) - start ))(settled)"
before=$(bytes "$zone")
curl -s -X POST -H "Authorization: Bearer $OPERATOR" "http://127.0.0.1:$HTTP/admin/storage/compact" > /dev/null
sleep 15
curl -s -X POST -H "Authorization: Bearer $OPERATOR" "http://127.0.0.1:$HTTP/admin/storage/gc" > /dev/null
sample "compacted"
# after a major compaction and the grace, the bench table (the largest) holds only its live rows, cut into cells
live=$(for t in "$zone"/data/tables/*/*/; do bytes "$t"; done | sort -n | tail -1)
echo "$MODE | live_compacted_bytes=$live | zone_bytes_before_compaction=$before | ratio=$(awk -v a="$before" -v b="$live" 'BEGIN { printf "%.2f", a / b }')" | tee -a "$OUT"
