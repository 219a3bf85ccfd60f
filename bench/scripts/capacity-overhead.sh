#!/usr/bin/env bash
# Metering cost on the load tool: the same workloads against a fresh local gateway with capacity metering,
# throttling and the usage ledger off, then on (ceilings raised so nothing is throttled: what is measured is
# the cost of metering, not of throttling), alternating ROUNDS times. Results in $OUT (one line per phase).
# Usage: [MODES="off on capacity billing"] bench/scripts/capacity-overhead.sh [ROUNDS]
#        (from the repository root, after building gateway and bench)
set -euo pipefail
ROUNDS=${1:-2}
JAR=bench/target/strata-bench-0.1.0-SNAPSHOT.jar
APP=gateway/target/quarkus-app/quarkus-run.jar
OUT=${OUT:-bench/target/capacity-overhead.txt}
CQL=19042
HTTP=18080
: > "$OUT"
run() {
  local mode=$1 data
  data=$(mktemp -d)
  local flags=(-Dstrata.storage.local.path="$data" -Dstrata.cql.port=$CQL -Dstrata.cql.host=127.0.0.1
    -Dquarkus.http.port=$HTTP -Dstrata.audit.enabled=false)
  if [ "$mode" = capacity ]; then
    flags+=(-Dstrata.billing.enabled=false)
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
  java -Xmx2g "${flags[@]}" -jar "$APP" > "$data.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do [ -s "$data/dev-token" ] && (echo > /dev/tcp/127.0.0.1/$CQL) 2>/dev/null && break; sleep 0.5; done
  local tok=--token-file=$data/dev-token
  for phase in "write --create-schema --rows 200000 --ops 200000 --warmup 2" \
               "read --rows 200000 --duration 20 --warmup 3" \
               "mixed --rows 200000 --duration 20 --warmup 3 --read-ratio 0.5"; do
    # shellcheck disable=SC2086
    result=$(java -jar "$JAR" $phase "$tok" --port $CQL 2>/dev/null | tr -d "\n")
    echo "$mode | ${phase%% *} | $result" | tee -a "$OUT"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data" "$data.log"
}
# MODES: off and on by default; "capacity" (throttling only) and "billing" (ledger only) attribute the cost
for r in $(seq 1 "$ROUNDS"); do for m in ${MODES:-off on}; do run "$m"; done; done
