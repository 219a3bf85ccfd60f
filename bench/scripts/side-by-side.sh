#!/usr/bin/env bash
# YCSB side by side: the load tool's ycsb workload against a fresh local Strata (3 local zones, capacity off) and a
# fresh Apache Cassandra 5.0.9 node (RF 1, periodic commit log; CASSANDRA_COMMITLOG_SYNC=batch forces every write
# before its acknowledgement, see bench/cassandra/run.sh) in the same run, with identical options, Strata then
# Cassandra in each phase. Prints a markdown table; every JSON result line is kept in $OUT.
#
#   bench/scripts/side-by-side.sh [--records N] [--threads N] [--duration S] [--warmup S] [--distribution D]
#                                 [--phases "load 90-10 C A B"] [--jfr]
#   (from the repository root, after ./mvnw -q -o -pl gateway,bench -am package -DskipTests)
#
# Defaults: 50,000 records of 10 x 100-byte fields, zipfian, 16 synchronous client threads, 60 s per phase after
# a 10 s warm-up. --jfr records the gateway for 30 s (JFR profile settings) during the 90-10 phase, after its
# warm-up, into $JFR (default /tmp/strata-9010.jfr).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
RECORDS=50000; THREADS=16; DURATION=60; WARMUP=10; DISTRIBUTION=zipfian; PHASES="load 90-10 C A B"; TAKE_JFR=0
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --distribution) DISTRIBUTION=$2; shift 2 ;;
    --phases) PHASES=$2; shift 2 ;;
    --jfr) TAKE_JFR=1; shift ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
OUT=${OUT:-bench/target/side-by-side-$(date -u +%Y%m%dT%H%M%SZ).jsonl}
JFR=${JFR:-/tmp/strata-9010.jfr}
# shellcheck source=servers.sh
. bench/scripts/servers.sh
start_servers
: > "$OUT"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(machine)" >&2
COMMON=(--records "$RECORDS" --threads "$THREADS" --distribution "$DISTRIBUTION" --fields 10 --field-length 100)

# one measurement: server label, phase, then the server's connection arguments
measure() {
  local server=$1 phase=$2 jfr_pid=
  shift 2
  local args=(ycsb --workload "$phase" "${COMMON[@]}")
  if [ "$phase" = load ]; then
    args+=(--create-schema)
  else
    args+=(--duration "$DURATION" --warmup "$WARMUP")
  fi
  if [ "$server" = strata ] && [ "$phase" = 90-10 ] && [ "$TAKE_JFR" = 1 ]; then
    rm -f "$JFR"
    (sleep "$WARMUP"; jcmd "$GW_PID" JFR.start name=ycsb9010 duration=30s filename="$JFR" settings=profile > /dev/null) &
    jfr_pid=$!
  fi
  echo "== $server $phase" >&2
  local line
  line=$(java -jar "$JAR" "${args[@]}" "$@" 2> >(grep -v '^warming\|^measuring' >&2) | tail -n 1) || true
  [ -n "$jfr_pid" ] && wait "$jfr_pid"
  echo "{\"server\":\"$server\",\"phase\":\"$phase\",\"result\":${line:-null}}" >> "$OUT"
}

for phase in $PHASES; do
  measure strata "$phase" "${STRATA_ARGS[@]}"
  measure cassandra "$phase" "${CASSANDRA_ARGS[@]}"
done
if [ "$TAKE_JFR" = 1 ] && [ -f "$JFR" ]; then
  # the recording ends by itself after 30 s; wait until it is written
  for _ in $(seq 1 60); do jcmd "$GW_PID" JFR.check 2>/dev/null | grep -q ycsb9010 || break; sleep 1; done
  echo "JFR recording of the 90-10 phase: $JFR" >&2
fi

python3 - "$OUT" "$RECORDS" "$THREADS" "$DURATION" "$DISTRIBUTION" <<'PY'
import json, sys
out, records, threads, duration, distribution = sys.argv[1:]
rows = {}
order = []
for line in open(out):
    r = json.loads(line)
    if r["phase"] not in order:
        order.append(r["phase"])
    rows[(r["phase"], r["server"])] = r["result"]
names = {"load": "load (100% insert)", "90-10": "90-10 (90% update, 10% read)", "c": "C (100% read)",
         "a": "A (50% read, 50% update)", "b": "B (95% read, 5% update)"}
def cell(result):
    if not result:
        return "failed", None
    p99 = []
    for kind in ("read", "update", "insert"):
        if kind in result:
            p99.append("%s %.2f ms" % (kind, result[kind]["latency_us"]["p99"] / 1000))
    errors = " , %d errors" % result["errors"] if result["errors"] else ""
    return "%s (p99 %s%s)" % (format(round(result["ops_per_s"]), ","), ", ".join(p99), errors), result["ops_per_s"]
print(f"\n{records} records, 10 x 100 B fields, {distribution}, {threads} synchronous client threads, "
      f"{duration} s per phase (load: every record once)\n")
print("| phase | Strata ops/s (p99) | Cassandra ops/s (p99) | ratio Strata/Cassandra |")
print("|---|---|---|---|")
for phase in order:
    s, sv = cell(rows.get((phase, "strata")))
    c, cv = cell(rows.get((phase, "cassandra")))
    ratio = "%.2f" % (sv / cv) if sv and cv else "-"
    print(f"| {names.get(phase.lower(), phase)} | {s} | {c} | {ratio} |")
PY
