#!/usr/bin/env bash
# Builds Strata's JVM container image with Quarkus' Jib extension and loads it into the local podman store as
# localhost/strata:latest and localhost/strata:<version>. Jib pulls the base (deploy/setup-podman.sh made it
# from Debian's packages) from the loopback registry and pushes the image there; podman pulls it back.
#
#   deploy/build-image.sh                       # build, push to 127.0.0.1:5000, load into podman
#   deploy/build-image.sh registry.example.com/team [--tls-verify=false]
#                                               # ... and copy :<version> and :latest there (skopeo)
#
# Environment: STRATA_REGISTRY (127.0.0.1:5000, the build registry), MVN_ARGS (extra Maven arguments),
# STRATA_IMAGE_SKIP_BUILD=1 (reuse what the last run pushed: only pull/tag/copy).
# Prints the image's digest last, as <registry>/strata@sha256:..., and writes it to gateway/target/jib-image.digest.
# Needs network access to Maven Central (Jib refuses Maven's offline mode). See docs/deploy.md.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_REGISTRY="${STRATA_REGISTRY:-127.0.0.1:5000}"
TARGET_REGISTRY="${1:-}"
TLS_VERIFY="${2:---tls-verify=true}"
log() { printf '[build-image] %s\n' "$*" >&2; }

command -v podman >/dev/null || { echo "podman is missing: run deploy/setup-podman.sh (as root) first" >&2; exit 1; }
if ! curl -fsS -o /dev/null "http://${BUILD_REGISTRY}/v2/"; then
  echo "no registry answers on ${BUILD_REGISTRY}: run deploy/setup-podman.sh (as root) first" >&2
  exit 1
fi

version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)"
image="${BUILD_REGISTRY}/strata:${version}"

if [ "${STRATA_IMAGE_SKIP_BUILD:-0}" != "1" ]; then
  log "building ${image} (and :latest) with Jib"
  start=$(date +%s)
  # -am builds the modules the gateway needs; Jib pushes to the loopback registry over plain HTTP
  # shellcheck disable=SC2086
  ./mvnw -B -q -pl gateway -am package -DskipTests ${MVN_ARGS:-} \
    -Dquarkus.container-image.build=true \
    -Dquarkus.container-image.push=true \
    -Dquarkus.container-image.image="${image}" \
    -Dquarkus.container-image.additional-tags=latest \
    -Dquarkus.container-image.insecure=true \
    -Dquarkus.jib.base-jvm-image="${BUILD_REGISTRY}/strata-base-jre:17" \
    -Dquarkus.jib.image-digest-file=jib-image.digest
  log "built in $(( $(date +%s) - start )) s"
fi

digest="$(cat gateway/target/jib-image.digest)"
log "pulling ${BUILD_REGISTRY}/strata@${digest} into podman"
podman pull -q --tls-verify=false "${BUILD_REGISTRY}/strata@${digest}" >/dev/null
podman tag "${BUILD_REGISTRY}/strata@${digest}" "localhost/strata:${version}" "localhost/strata:latest"
size="$(podman image inspect --format '{{.Size}}' localhost/strata:latest)"
log "localhost/strata:${version} and :latest, $(( size / 1000000 )) MB"

if [ -n "$TARGET_REGISTRY" ]; then
  for tag in "$version" latest; do
    log "copying to ${TARGET_REGISTRY}/strata:${tag}"
    skopeo copy -q --src-tls-verify=false "--dest-${TLS_VERIFY#--}" \
      "docker://${BUILD_REGISTRY}/strata@${digest}" "docker://${TARGET_REGISTRY}/strata:${tag}"
  done
  echo "${TARGET_REGISTRY}/strata@${digest}"
else
  echo "${BUILD_REGISTRY}/strata@${digest}"
fi
