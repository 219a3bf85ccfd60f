#!/usr/bin/env bash
# Measures the JVM image as docs/deploy.md reports it: image size, time from `podman run` to a ready CQL endpoint
# (/q/health/ready UP: storage open, CQL listening) over N fresh starts on empty volumes, and the idle memory of the
# JVM (RSS of the java process on the host; the cgroup's usage as podman stats shows it) 10 s after the start.
#   deploy/measure-image.sh [runs=3] [image=localhost/strata:latest]
set -euo pipefail
runs="${1:-3}"
image="${2:-localhost/strata:latest}"
name="strata-measure-$$"
port=$(( 20000 + $$ % 10000 ))
echo "image: $image, $(podman image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}') (podman image inspect .Size)"
echo "base:  localhost/strata-base-jre:17, $(podman image inspect --format '{{.Size}}' localhost/strata-base-jre:17 | awk '{printf "%.0f MB", $1/1e6}')"
for i in $(seq 1 "$runs"); do
  podman volume rm -f "$name" >/dev/null 2>&1 || true
  t0=$(date +%s.%N)
  podman run -d --name "$name" -v "$name:/var/lib/strata" -p "127.0.0.1:$port:8080" --memory 1g "$image" >/dev/null
  until curl -fs -o /dev/null "http://127.0.0.1:$port/q/health/ready"; do sleep 0.05; done
  t1=$(date +%s.%N)
  sleep 10
  pid=$(podman inspect --format '{{.State.Pid}}' "$name")
  rss=$(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$pid/status")
  cg=$(podman stats --no-stream --format '{{.MemUsage}}' "$name")
  started=$(podman logs "$name" 2>&1 | sed -n 's/.*started in \([0-9.]*s\).*/\1/p')
  echo "run $i: podman run to ready $(echo "$t1 - $t0" | bc | awk '{printf "%.2f s", $1}'), Quarkus 'started in' $started, idle RSS $rss, cgroup $cg"
  podman rm -f -t 0 "$name" >/dev/null
  podman volume rm -f "$name" >/dev/null
done
