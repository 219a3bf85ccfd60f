#!/usr/bin/env bash
# The gateway's memory at rest, under overload and under frame fuzzing (docs/performance.md, "Memory").
#
#   bench/scripts/memory.sh [HEAP] [SECONDS]
#
# HEAP: the gateway's -Xmx (e.g. 256m), or "default" for the JVM's default (a quarter of the machine's or
# container's memory) [default]. SECONDS per phase [60]. STRATA_JAVA_OPTS: extra gateway JVM flags; with
# -XX:NativeMemoryTracking=summary the JVM's own account of its memory is printed at the end.
# Phases, on a fresh gateway (3 local zones, capacity throttling off, loopback only):
#   idle      15 s after start, nothing connected
#   overload  YCSB A with 10 KB rows (10 fields of 1,000 B), 2,048 requests in flight on 8 connections
#   fuzz      40 connections sending random bytes, bad headers and frames claiming huge lengths, as fast as they can
#   after     60 s of rest (a quiet gateway returns unused heap after 30 s: strata.memory.return-idle-heap-after)
# Prints the resident memory (RSS, sampled every second) per phase: median and peak, the heap after a full GC at
# the end, the load tool's answer counts (OVERLOADED answers are shedding, not failures), and whether the gateway
# logged an OutOfMemoryError or died. The gateway and everything started here are stopped by PID.
set -euo pipefail
cd "$(dirname "$0")/../.."
HEAP=${1:-default}
SECS=${2:-60}
APP=gateway/target/quarkus-app/quarkus-run.jar
JAR=bench/target/strata-bench-0.1.0-SNAPSHOT.jar
CQL=${STRATA_CQL_PORT:-9042}
for f in "$APP" "$JAR"; do
  [ -f "$f" ] || { echo "missing $f: build with ./mvnw -q -o -pl gateway,bench -am package -DskipTests" >&2; exit 2; }
done

data=$(mktemp -d /tmp/strata-mem.XXXXXX)
GW=
SAMPLER=
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
  if [ -n "$GW" ] && kill -0 "$GW" 2>/dev/null; then
    kill "$GW"; for _ in $(seq 1 60); do kill -0 "$GW" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$GW" 2>/dev/null || true
  fi
  rm -rf "$data" "$data.rss" "$data.phase"
  echo "gateway log: $data.log" >&2
}
trap cleanup EXIT

heapflag=()
[ "$HEAP" != default ] && heapflag=("-Xmx$HEAP")
# shellcheck disable=SC2086 # STRATA_JAVA_OPTS is a list of flags
java "${heapflag[@]}" ${STRATA_JAVA_OPTS:-} -Dstrata.storage.local.path="$data" -Dstrata.cql.host=127.0.0.1 -Dstrata.cql.port=$CQL \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=0 -Dstrata.capacity.enabled=false \
  -jar "$APP" > "$data.log" 2>&1 &
GW=$!
for _ in $(seq 1 240); do
  [ -s "$data/dev-token" ] && (echo > "/dev/tcp/127.0.0.1/$CQL") 2>/dev/null && break
  kill -0 "$GW" 2>/dev/null || { cat "$data.log"; exit 1; }
  sleep 0.25
done
grep -o 'Engine memory.*' "$data.log" || true

phase=start
: > "$data.rss"
( while kill -0 "$GW" 2>/dev/null; do
    echo "$(cat "$data.phase" 2>/dev/null || echo start) $(ps -o rss= -p "$GW" | tr -d ' ')" >> "$data.rss"; sleep 1
  done ) &
SAMPLER=$!
set_phase() { echo "$1" > "$data.phase"; echo "[memory] phase $1" >&2; }

set_phase idle
sleep 15

set_phase overload
java -cp "$JAR:bench/target/lib/*" io.strata.bench.LoadTool ycsb --workload A --create-schema --records 20000 \
  --field-length 1000 --concurrency 2048 --connections 8 --duration "$SECS" --warmup 0 --timeout 30 \
  --token-file "$data/dev-token" --port $CQL 2>&1 | grep -v '^\s*$' | tail -15 || true

set_phase fuzz
python3 - "$CQL" "$SECS" <<'EOF' || true
import os, random, socket, struct, sys, threading, time
port, secs = int(sys.argv[1]), float(sys.argv[2])
stop = time.time() + secs
sent = [0]
def worker(seed):
    r = random.Random(seed)
    while time.time() < stop:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            s.settimeout(0.2)
            for _ in range(r.randint(1, 50)):
                kind = r.randint(0, 3)
                if kind == 0:
                    b = os.urandom(r.randint(1, 4096))
                elif kind == 1:  # a v4 header claiming up to 2^31-1 bytes, then some of them
                    b = struct.pack(">BBhBi", 4, 0, r.randint(0, 32767), r.choice([1, 5, 7, 9, 11, 13]),
                                    r.randint(0, 2**31 - 1)) + os.urandom(r.randint(0, 65536))
                elif kind == 2:  # STARTUP then garbage
                    body = struct.pack(">H", 1) + struct.pack(">H", 11) + b"CQL_VERSION" + struct.pack(">H", 5) + b"3.0.0"
                    b = struct.pack(">BBhBi", 4, 0, 1, 1, len(body)) + body + os.urandom(r.randint(0, 1024))
                else:  # a 1 MB body in pieces
                    b = struct.pack(">BBhBi", 4, 0, 2, 7, 1 << 20) + os.urandom(1 << 16)
                s.sendall(b)
                sent[0] += len(b)
                try:
                    s.recv(65536)
                except OSError:
                    pass
            s.close()
        except OSError:
            time.sleep(0.01)
threads = [threading.Thread(target=worker, args=(i,)) for i in range(40)]
for t in threads: t.start()
for t in threads: t.join()
print(f"fuzz: {sent[0] / 1e6:.0f} MB of bad frames sent in {secs:.0f} s")
EOF
(echo > "/dev/tcp/127.0.0.1/$CQL") 2>/dev/null && echo "fuzz: the CQL port still accepts connections" \
  || echo "fuzz: the CQL port REFUSES connections"

set_phase after
sleep 60
alive=yes; kill -0 "$GW" 2>/dev/null || alive=no
if [ "$alive" = yes ]; then
  jcmd "$GW" GC.run > /dev/null 2>&1 || true
  sleep 1
  kill "$SAMPLER" 2>/dev/null || true; SAMPLER=
  echo "heap after a full GC: $(jcmd "$GW" GC.heap_info 2>/dev/null | grep -oE 'used [0-9]+K' | head -1);" \
    "RSS then $(( $(ps -o rss= -p "$GW") / 1024 )) MiB"
  if [[ "${STRATA_JAVA_OPTS:-}" == *NativeMemoryTracking* ]]; then
    jcmd "$GW" VM.native_memory summary 2>/dev/null | grep -E '^(Total|-) ' | sed 's/^/  /' || true
  fi
  echo "max heap: $(( $(jcmd "$GW" VM.flags 2>/dev/null | grep -oE "MaxHeapSize=[0-9]+" | head -1 | cut -d= -f2) >> 20 )) MiB"
fi
echo "gateway alive at the end: $alive; OutOfMemoryError in its log: $(grep -c OutOfMemoryError "$data.log" || true)"
python3 - "$data.rss" <<'EOF'
import collections, statistics, sys
by = collections.OrderedDict()
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) == 2 and p[1].isdigit():
        by.setdefault(p[0], []).append(int(p[1]) / 1024)
print("phase      samples  median RSS MiB  peak RSS MiB")
for k, v in by.items():
    print(f"{k:10s} {len(v):7d}  {statistics.median(v):14.0f}  {max(v):12.0f}")
EOF
