#!/usr/bin/env bash
# The container tests, as .ci/run runs them (after deploy/setup-podman.sh): builds the image with
# deploy/build-image.sh, then runs the `container` Maven profile of the end-to-end suite (ContainerIT: the image
# under podman, graceful stop, SIGKILL under load, registry round trip by digest; LocalTopologyIT: Strata over three S3
# zone servers, one stopped; TestKubernetesManifests: the manifests checked). Those fail, never skip, without podman.
#
#   deploy/test-container.sh            # everything
#   deploy/test-container.sh ContainerIT  # one test class (-Dit.test)
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
deploy/build-image.sh >/dev/null
deploy/build-s3proxy-image.sh >/dev/null
t1=$(date +%s)
echo "[test-container] image built in $((t1 - t0)) s" >&2
# -am: the suite's module needs the project's jars from this reactor; -DskipTests skips every other module's tests,
# while the profile's failsafe runs its own (*IT)
./mvnw -B -q -pl src/test -am -Pcontainer verify -DskipTests ${1:+-Dit.test=$1}
t2=$(date +%s)
echo "[test-container] container tests passed in $((t2 - t1)) s" >&2
cat src/test/target/container-measurements.txt 2>/dev/null || true
