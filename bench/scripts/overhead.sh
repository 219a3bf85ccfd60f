#!/usr/bin/env bash
# What a feature costs on the load tool: the same workloads against a fresh local gateway per run, modes
# alternating ROUNDS times in one run. Results in $OUT (one line per phase). Modes:
#   off        capacity metering, throttling and the usage ledger off (encryption at its default, on)
#   on         all of them on, ceilings raised so nothing is throttled (the cost of metering, not of throttling)
#   capacity   throttling only; billing: the ledger only
#   clear      encryption at rest off (metering at its defaults, on, ceilings raised)
#   encrypted  encryption at rest on (the default), otherwise as clear
# Each line also has the gateway's CPU time per operation in the phase (user + system, from /proc): it varies
# far less than throughput when other processes share the machine. PIN=1 pins the gateway to CPU 1 and the load
# tool to CPU 0, so they stop taking turns on the same core. The summary (medians per mode) is in $OUT.summary.
# Usage: [MODES="off on capacity billing clear encrypted"] [PIN=1] [SECONDS_PER_PHASE=20] [PHASES="read mixed"]
#        bench/scripts/overhead.sh [ROUNDS]   (every run first loads the keys: the write phase)
#        (from the repository root, after building gateway and bench)
set -euo pipefail
ROUNDS=${1:-2}
JAR=bench/target/strata-bench-0.1.0-SNAPSHOT.jar
APP=gateway/target/quarkus-app/quarkus-run.jar
OUT=${OUT:-bench/target/overhead.txt}
SECS=${SECONDS_PER_PHASE:-20}
GW_PIN=(); LOAD_PIN=()
if [ "${PIN:-0}" = 1 ]; then GW_PIN=(taskset -c 1); LOAD_PIN=(taskset -c 0); fi
TICK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# waits (at most 90 s) until the gateway has used under 5 % of a core for a second: the previous phase's flushes
# and compactions are done, so they are not charged to the next phase
settle() {
  local a b
  for _ in $(seq 1 90); do
    a=$(cpu_ticks "$1"); sleep 1; b=$(cpu_ticks "$1")
    [ $((b - a)) -le $((TICK / 20)) ] && return
  done
}
CQL=19042
HTTP=18080
: > "$OUT"
GW_PID=
trap '[ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null' EXIT
run() {
  local mode=$1 data
  data=$(mktemp -d)
  local flags=(-Dstrata.storage.local.path="$data" -Dstrata.cql.port=$CQL -Dstrata.cql.host=127.0.0.1
    -Dquarkus.http.port=$HTTP -Dstrata.audit.enabled=false)
  if [ "$mode" = capacity ]; then
    flags+=(-Dstrata.billing.enabled=false)
  fi
  if [ "$mode" = clear ]; then
    flags+=(-Dstrata.storage.encryption.enabled=false)
  fi
  if [ "$mode" = off ]; then
    flags+=(-Dstrata.capacity.enabled=false -Dstrata.billing.enabled=false)
  elif [ "$mode" = billing ]; then
    flags+=(-Dstrata.capacity.enabled=false)
  else
    flags+=(-Dstrata.capacity.on-demand-initial-write-units=1000000 -Dstrata.capacity.on-demand-initial-read-units=1000000
      -Dstrata.capacity.partition-write-units=1000000 -Dstrata.capacity.partition-read-units=1000000
      -Dstrata.capacity.account-write-units=1000000 -Dstrata.capacity.account-read-units=1000000)
  fi
  "${GW_PIN[@]}" java -Xmx2g "${flags[@]}" -jar "$APP" > "$data.log" 2>&1 &
  local pid=$!
  GW_PID=$pid
  for _ in $(seq 1 120); do [ -s "$data/dev-token" ] && (echo > /dev/tcp/127.0.0.1/$CQL) 2>/dev/null && break; sleep 0.5; done
  local tok=--token-file=$data/dev-token
  local phases=("write --create-schema --rows 200000 --ops 200000 --warmup 2")
  [[ " ${PHASES:-read mixed} " == *" read "* ]] && phases+=("read --rows 200000 --duration $SECS --warmup 3")
  [[ " ${PHASES:-read mixed} " == *" mixed "* ]] && phases+=("mixed --rows 200000 --duration $SECS --warmup 3 --read-ratio 0.5")
  for phase in "${phases[@]}"; do
    local c0 c1 result ops
    settle "$pid"
    c0=$(cpu_ticks "$pid")
    # shellcheck disable=SC2086
    result=$("${LOAD_PIN[@]}" java -jar "$JAR" $phase "$tok" --port $CQL 2>/dev/null | tail -1 | tr -d "\n")
    c1=$(cpu_ticks "$pid")
    ops=$(sed -n 's/.*"ops":\([0-9]*\).*/\1/p' <<< "$result")
    # the whole phase's gateway CPU (warm-up included) over the measured operations: comparable across modes
    cpu_us=$(awk -v t=$((c1 - c0)) -v k="$TICK" -v n="${ops:-0}" 'BEGIN { printf "%.1f", (n > 0 ? t / k * 1e6 / n : 0) }')
    echo "$mode | ${phase%% *} | cpu_us_per_op=$cpu_us | $result" | tee -a "$OUT"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data" "$data.log"
}
# MODES: off and on by default; "capacity" (throttling only) and "billing" (ledger only) attribute the cost
for r in $(seq 1 "$ROUNDS"); do for m in ${MODES:-off on}; do run "$m"; done; done
# medians per mode and phase: throughput and gateway CPU per operation
python3 - "$OUT" > "$OUT.summary" <<'PY'
import json, re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    parts = [p.strip() for p in line.split("|", 3)]
    if len(parts) < 4:
        continue
    mode, phase, cpu, result = parts
    try:
        ops = json.loads(result)["ops_per_s"]
    except (ValueError, KeyError):
        continue
    rows.setdefault((phase, mode), []).append((ops, float(cpu.split("=")[1])))
for (phase, mode), v in sorted(rows.items()):
    print(f"{phase:6} {mode:9} runs={len(v)} median_ops_per_s={statistics.median(o for o, _ in v):,.0f} "
          f"median_cpu_us_per_op={statistics.median(c for _, c in v):.1f} "
          f"ops={[round(o) for o, _ in v]} cpu={[c for _, c in v]}")
PY
cat "$OUT.summary"
