#!/usr/bin/env bash
# Throughput and p99 against requests in flight: the load tool's write and read workloads at each concurrency
# (async requests in flight) and connection count, against a fresh local Strata (3 local zones, capacity off) and a
# fresh Apache Cassandra 5.0.9 node in the same run, Strata then Cassandra at every point. Prints a markdown table;
# the JSON result lines are kept in $OUT.
#
#   bench/scripts/concurrency-curve.sh [--rows N] [--duration S] [--warmup S] [--concurrency "1 4 16 64 256"]
#                                      [--connections "1 8"] [--workloads "write read"]
#   (from the repository root, after ./mvnw -q -o -pl gateway,bench -am package -DskipTests)
#
# Defaults: 100,000 keys (loaded once into both first), 15 s per point after a 3 s warm-up.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROWS=100000; DURATION=15; WARMUP=3; LEVELS="1 4 16 64 256"; CONNECTIONS="1 8"; WORKLOADS="write read"
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) ROWS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --concurrency) LEVELS=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --workloads) WORKLOADS=$2; shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
OUT=${OUT:-bench/target/concurrency-curve-$(date -u +%Y%m%dT%H%M%SZ).jsonl}
# shellcheck source=servers.sh
. bench/scripts/servers.sh
start_servers
: > "$OUT"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(machine)" >&2

for server in strata cassandra; do
  if [ "$server" = strata ]; then args=("${STRATA_ARGS[@]}"); else args=("${CASSANDRA_ARGS[@]}"); fi
  echo "== loading $ROWS keys into $server" >&2
  run_tool write --create-schema --rows "$ROWS" --ops "$ROWS" --warmup 0 --concurrency 64 "${args[@]}" > /dev/null
done
for workload in $WORKLOADS; do
  for connections in $CONNECTIONS; do
    for level in $LEVELS; do
      for server in strata cassandra; do
        if [ "$server" = strata ]; then args=("${STRATA_ARGS[@]}"); else args=("${CASSANDRA_ARGS[@]}"); fi
        echo "== $server $workload, $connections connection(s), $level in flight" >&2
        line=$(run_tool "$workload" --rows "$ROWS" --duration "$DURATION" --warmup "$WARMUP" \
          --concurrency "$level" --connections "$connections" "${args[@]}")
        echo "{\"server\":\"$server\",\"workload\":\"$workload\",\"connections\":$connections,\"concurrency\":$level,\"result\":${line:-null}}" >> "$OUT"
      done
    done
  done
done

python3 - "$OUT" "$ROWS" "$DURATION" <<'PY'
import json, sys
out, rows, duration = sys.argv[1:]
points = {}
order = []
for line in open(out):
    r = json.loads(line)
    key = (r["workload"], r["connections"], r["concurrency"])
    if key not in order:
        order.append(key)
    points[key + (r["server"],)] = r["result"]
def cell(result, workload):
    if not result:
        return "failed", None
    errors = ", %d errors" % result["errors"] if result["errors"] else ""
    p99 = result[workload]["latency_us"]["p99"] / 1000 if workload in result else float("nan")
    return "%s (%.2f ms)%s" % (format(round(result["ops_per_s"]), ","), p99, errors), result["ops_per_s"]
print(f"\n{rows} keys, {duration} s per point; cells: ops/s (p99)\n")
print("| workload | connections | in flight | Strata ops/s (p99) | Cassandra ops/s (p99) | ratio Strata/Cassandra |")
print("|---|---|---|---|---|---|")
for workload, connections, level in order:
    s, sv = cell(points.get((workload, connections, level, "strata")), workload)
    c, cv = cell(points.get((workload, connections, level, "cassandra")), workload)
    ratio = "%.2f" % (sv / cv) if sv and cv else "-"
    print(f"| {workload} | {connections} | {level} | {s} | {c} | {ratio} |")
PY
