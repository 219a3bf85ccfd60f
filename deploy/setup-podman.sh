#!/usr/bin/env bash
# Prepares a Debian bookworm machine (no Docker engine, no reachable public container registry) to build,
# run and push Strata's images, from Debian's packages only. Idempotent: a second run takes seconds.
#
#   1. podman, buildah, skopeo, docker-registry (the distribution registry), debootstrap, runc, catatonit (pods)
#   2. /etc/containers/containers.conf: default ulimits this VM can grant, and runc (crun fails on the
#      hybrid cgroup layout of these kernels)
#   3. a registry on 127.0.0.1:5000 (plain HTTP, no auth, storage in /var/lib/strata-registry), for Jib
#   4. localhost/strata-base-jre:17: Debian bookworm minbase + openjdk-17-jre-headless, made with debootstrap
#      from the mirror apt already uses, imported into podman and pushed to the loopback registry
#
# Must run as root. Environment: STRATA_REGISTRY_PORT (5000), STRATA_BASE_CACHE (/var/cache/strata-base).
# See docs/deploy.md.
set -euo pipefail

REGISTRY_PORT="${STRATA_REGISTRY_PORT:-5000}"
REGISTRY="127.0.0.1:${REGISTRY_PORT}"
CACHE="${STRATA_BASE_CACHE:-/var/cache/strata-base}"
BASE_IMAGE="localhost/strata-base-jre:17"
BASE_PACKAGES="openjdk-17-jre-headless"

log() { printf '[setup-podman] %s\n' "$*" >&2; }

if [ "$(id -u)" != "0" ]; then
  echo "setup-podman.sh must run as root (it installs packages and writes /etc/containers)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive

# --- 1. packages --------------------------------------------------------------------------------------
PACKAGES=(podman buildah skopeo docker-registry debootstrap runc catatonit uidmap slirp4netns fuse-overlayfs)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- 2. containers.conf ----------------------------------------------------------------------------------
nofile="$(ulimit -Hn)"
if [ "$nofile" = "unlimited" ]; then nofile=1048576; fi
nproc="$(ulimit -Hu)"
pid_max="$(cat /proc/sys/kernel/pid_max)"
# runc is refused a higher nproc than pid_max here (seen: hard limit 96367, pid_max 32768, 32769 refused)
if [ "$nproc" = "unlimited" ] || [ "$nproc" -gt "$pid_max" ]; then nproc="$pid_max"; fi
mkdir -p /etc/containers
conf_tmp="$(mktemp)"
cat >"$conf_tmp" <<EOF
# Written by Strata's deploy/setup-podman.sh.
[containers]
# this VM cannot raise nofile (or nproc) to podman's defaults: use the hard limits it grants
default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]

[engine]
# crun fails on this kernel's hybrid cgroup layout; runc works
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
if ! cmp -s "$conf_tmp" /etc/containers/containers.conf 2>/dev/null; then
  log "writing /etc/containers/containers.conf (nofile=${nofile}, nproc=${nproc}, runtime=runc)"
  install -m 0644 "$conf_tmp" /etc/containers/containers.conf
fi
rm -f "$conf_tmp"
# the loopback registry speaks plain HTTP: let podman/skopeo pull from and push to it
mkdir -p /etc/containers/registries.conf.d
cat >/etc/containers/registries.conf.d/50-strata-loopback.conf <<EOF
[[registry]]
location = "${REGISTRY}"
insecure = true
[[registry]]
location = "localhost:${REGISTRY_PORT}"
insecure = true
EOF

# --- 3. loopback registry ---------------------------------------------------------------------------------
mkdir -p /etc/strata-registry /var/lib/strata-registry
cat >/etc/strata-registry/config.yml <<EOF
# Strata's loopback registry (deploy/setup-podman.sh): plain HTTP on ${REGISTRY} only, no auth.
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: /var/lib/strata-registry
  delete:
    enabled: true
http:
  addr: ${REGISTRY}
EOF
registry_up() { curl -fsS -o /dev/null "http://${REGISTRY}/v2/" 2>/dev/null; }
if ! registry_up; then
  # Debian's own service (if systemd runs) uses /etc/docker/registry/config.yml with htpasswd: not ours
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active -q docker-registry 2>/dev/null; then
    systemctl stop docker-registry || true
  fi
  log "starting docker-registry on ${REGISTRY}"
  nohup setsid /usr/bin/docker-registry serve /etc/strata-registry/config.yml \
    >/var/log/strata-registry.log 2>&1 </dev/null &
  echo $! >/run/strata-registry.pid
  for _ in $(seq 1 50); do registry_up && break; sleep 0.2; done
  registry_up || { cat /var/log/strata-registry.log >&2; echo "registry did not start" >&2; exit 1; }
fi

# --- 4. base image -----------------------------------------------------------------------------------------
# the mirror apt uses (deb822 sources first, then the one-line format)
mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
if [ -z "$mirror" ]; then
  mirror="$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' \
    /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -1 || true)"
fi
mirror="${mirror:-http://deb.debian.org/debian}"

mkdir -p "$CACHE"
tarball="$CACHE/strata-base-jre-17.tar"
stamp="$CACHE/strata-base-jre-17.stamp"
want_stamp="bookworm minbase ${BASE_PACKAGES} ${mirror} v4"
if [ ! -s "$tarball" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want_stamp" ]; then
  root="$(mktemp -d /var/tmp/strata-base.XXXXXX)"
  trap 'rm -rf "$root"' EXIT
  log "debootstrap bookworm (minbase) from ${mirror} into ${root}"
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$CACHE/debootstrap.log" 2>&1 \
    || { tail -30 "$CACHE/debootstrap.log" >&2; exit 1; }
  # the image's apt gets the same sources as this machine (security updates included)
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    rm -f "$root/etc/apt/sources.list"
    cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/debian.sources"
  fi
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  mount -t proc proc "$root/proc"
  log "installing ${BASE_PACKAGES} in the chroot"
  # no man pages, docs or locales beyond C in the image
  cat >"$root/etc/dpkg/dpkg.cfg.d/01-strata-nodoc" <<EOF
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
  if ! chroot "$root" /bin/sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends ${BASE_PACKAGES} \
        && apt-get clean" >"$CACHE/chroot-apt.log" 2>&1; then
    umount "$root/proc" || true
    tail -30 "$CACHE/chroot-apt.log" >&2
    exit 1
  fi
  umount "$root/proc"
  # the unprivileged user the gateway runs as (uid/gid 185, as Quarkus images use) and its data volume
  chroot "$root" /bin/sh -c "groupadd -g 185 strata && useradd -u 185 -g 185 -d /var/lib/strata -M \
        -s /usr/sbin/nologin strata && mkdir -p /var/lib/strata /opt/strata && chown 185:185 /var/lib/strata \
        && chmod 0700 /var/lib/strata"
  # trim: package lists, caches and logs; the image resolves names through what the runtime mounts
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
         "$root"/var/log/* "$root"/tmp/* "$root"/var/tmp/* "$root"/etc/resolv.conf
  : >"$root/etc/resolv.conf"
  tar --numeric-owner -C "$root" -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  echo "$want_stamp" >"$stamp"
  rm -rf "$root"
  trap - EXIT
  podman rmi -f "$BASE_IMAGE" >/dev/null 2>&1 || true
fi

# the image's configuration (Jib and podman build inherit it); a changed one re-imports the same root file system
IMPORT_CHANGES=(
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64'
  'ENV LANG=C.UTF-8'
  'VOLUME /var/lib/strata'
  'CMD ["/bin/bash"]'
)
import_stamp="$(printf '%s\n' "$want_stamp" "${IMPORT_CHANGES[@]}" | sha256sum | cut -c1-16)"
if ! podman image exists "$BASE_IMAGE" || [ "$(cat "$CACHE/import.stamp" 2>/dev/null)" != "$import_stamp" ]; then
  log "importing ${BASE_IMAGE}"
  podman rmi -f "$BASE_IMAGE" >/dev/null 2>&1 || true
  change_args=()
  for c in "${IMPORT_CHANGES[@]}"; do change_args+=(--change "$c"); done
  podman import "${change_args[@]}" "$tarball" "$BASE_IMAGE" >/dev/null 2>&1
  echo "$import_stamp" >"$CACHE/import.stamp"
fi

# push when the registry lacks it (or holds another digest than the local image)
local_id="$(podman image inspect --format '{{.Id}}' "$BASE_IMAGE")"
pushed_id_file="$CACHE/pushed-id"
if [ "$(cat "$pushed_id_file" 2>/dev/null)" != "$local_id" ] \
   || ! skopeo inspect --tls-verify=false "docker://${REGISTRY}/strata-base-jre:17" >/dev/null 2>&1; then
  log "pushing ${BASE_IMAGE} to ${REGISTRY}/strata-base-jre:17"
  podman push --quiet --tls-verify=false "$BASE_IMAGE" "docker://${REGISTRY}/strata-base-jre:17"
  echo "$local_id" >"$pushed_id_file"
fi

log "ready: podman $(podman --version | awk '{print $3}'), registry ${REGISTRY}, base ${REGISTRY}/strata-base-jre:17 ($(podman image inspect --format '{{.Size}}' "$BASE_IMAGE" | awk '{printf "%.0f MB", $1/1e6}'))"
