#!/usr/bin/env bash
# Throughput and latency as the table grows: a fresh local Strata (3 local zones, capacity off) and a fresh Apache
# Cassandra 5.0.9 node in the same run. For each size in turn both tables are grown to that many keys (the load tool's
# write workload at 64 in flight, each key written once: the load's throughput is this size's write figure), then
# both are read (uniform point reads at 64 in flight, DURATION seconds after WARMUP). Strata then Cassandra at every
# step. With --settle MAX each server is read again once its own compaction of the load is done (its CPU under a tenth
# of a core for 5 s, at most MAX seconds): the "settled" rows. Prints a markdown table; the JSON result lines are kept
# in $OUT, resident memory of each server after each step.
#
#   bench/scripts/scale-curve.sh [--sizes "100000 1000000 5000000 10000000"] [--duration S] [--warmup S]
#                                [--settle MAX] [--servers "strata cassandra"]
#   (from the repository root, after ./mvnw -q -o -pl gateway,bench -am package -DskipTests)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
SIZES="100000 1000000 5000000 10000000"; DURATION=30; WARMUP=10; SETTLE=0; SERVERS="strata cassandra"
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --settle) SETTLE=$2; shift 2 ;;
    --servers) SERVERS=$2; shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
OUT=${OUT:-bench/target/scale-curve-$(date -u +%Y%m%dT%H%M%SZ).jsonl}
case " $SERVERS " in *" cassandra "*) WITH_CASSANDRA=1 ;; *) WITH_CASSANDRA=0 ;; esac
# shellcheck source=servers.sh
. bench/scripts/servers.sh
start_servers
: > "$OUT"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(machine)" >&2

rss_mb() { # PID: resident memory in MB
  awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo 0
}
cassandra_pid() {
  pgrep -f 'org.apache.cassandra.service.CassandraDaemon' | head -1
}
previous=0
for size in $SIZES; do
  for server in $SERVERS; do
    if [ "$server" = strata ]; then args=("${STRATA_ARGS[@]}"); pid=$GW_PID; else args=("${CASSANDRA_ARGS[@]}"); pid=$(cassandra_pid); fi
    schema=()
    [ "$previous" = 0 ] && schema=(--create-schema)
    echo "== $server: keys $previous to $size" >&2
    load=$(run_tool write "${schema[@]}" --rows "$size" --first-key "$previous" --ops $((size - previous)) --warmup 0 \
      --concurrency 64 "${args[@]}")
    echo "== $server: reads at $size keys" >&2
    read=$(run_tool read --rows "$size" --duration "$DURATION" --warmup "$WARMUP" --concurrency 64 "${args[@]}")
    settled=null; waited=0
    if [ "$SETTLE" -gt 0 ]; then
      waited=$(wait_idle "$pid" "$SETTLE")
      echo "== $server: reads at $size keys after ${waited} s of settling" >&2
      settled=$(run_tool read --rows "$size" --duration "$DURATION" --warmup "$WARMUP" --concurrency 64 "${args[@]}")
    fi
    echo "{\"server\":\"$server\",\"size\":$size,\"rss_mb\":$(rss_mb "$pid"),\"load\":${load:-null},\"read\":${read:-null},\"settled\":${settled:-null},\"settle_s\":$waited}" >> "$OUT"
  done
  previous=$size
done

python3 - "$OUT" <<'PY'
import json, sys
rows = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    rows.setdefault(r["size"], {})[r["server"]] = r
def fig(r, phase):
    res = r.get(phase) if r else None
    if not res:
        return None, "failed"
    op = res.get("write" if phase == "load" else "read", {})
    lat = op.get("latency_us", {})
    after = f' after {r["settle_s"]} s' if phase == "settled" else ""
    return res["ops_per_s"], f'{res["ops_per_s"]:,.0f} ({lat.get("p50", 0) / 1000:.1f} / {lat.get("p99", 0) / 1000:.1f} ms){after}'
print("| keys | phase | Strata ops/s (p50 / p99) | Cassandra ops/s (p50 / p99) | ratio | RSS Strata / Cassandra |")
print("|---|---|---|---|---|---|")
for size in sorted(rows):
    s, c = rows[size].get("strata"), rows[size].get("cassandra")
    for phase in ("load", "read") + (("settled",) if (s or c or {}).get("settled") else ()):
        sv, st = fig(s, phase)
        cv, ct = fig(c, phase)
        ratio = f"{sv / cv:.2f}x" if sv and cv else "-"
        rss = f'{s["rss_mb"] if s else 0:,} / {c["rss_mb"] if c else 0:,} MB' if phase == "read" else ""
        print(f"| {size:,} | {phase} | {st} | {ct} | {ratio} | {rss} |")
PY
