#!/usr/bin/env bash
# Builds localhost/strata-s3proxy:4.1.0, an S3-compatible zone server for the local topology: S3Proxy's standalone
# jar from Maven Central (maven-dependency-plugin, checksum-verified) on Strata's Debian-made JRE base
# (deploy/setup-podman.sh), built with podman. Idempotent: skips the build when the image exists (FORCE=1 rebuilds).
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=localhost/strata-s3proxy:4.1.0
if [ "${FORCE:-0}" != "1" ] && podman image exists "$IMAGE"; then
  echo "$IMAGE"
  exit 0
fi
ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
./mvnw -B -q -N dependency:copy -Dartifact=org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies -DoutputDirectory="$ctx"
cp deploy/s3proxy/Containerfile deploy/s3proxy/entrypoint.sh "$ctx/"
podman build -q --pull=never -t "$IMAGE" -f "$ctx/Containerfile" "$ctx" >/dev/null
echo "$IMAGE"
