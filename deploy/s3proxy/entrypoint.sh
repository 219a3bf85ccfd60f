#!/bin/sh
# S3Proxy configured from the environment: S3PROXY_PORT, S3PROXY_IDENTITY, S3PROXY_CREDENTIAL (or
# S3PROXY_CREDENTIAL_FILE, a mounted secret), S3PROXY_BUCKETS (comma-separated, created as directories of the
# filesystem store in /data if missing).
set -eu
if [ -n "${S3PROXY_CREDENTIAL_FILE:-}" ]; then
  S3PROXY_CREDENTIAL="$(cat "$S3PROXY_CREDENTIAL_FILE")"
fi
for b in $(echo "${S3PROXY_BUCKETS:-}" | tr ',' ' '); do
  mkdir -p "/data/$b"
done
umask 077
cat >/tmp/s3proxy.properties <<PROPS
s3proxy.endpoint=http://0.0.0.0:${S3PROXY_PORT}
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=${S3PROXY_IDENTITY}
s3proxy.credential=${S3PROXY_CREDENTIAL}
jclouds.provider=filesystem
jclouds.filesystem.basedir=/data
PROPS
exec java -XX:MaxRAMPercentage=60 -jar /opt/s3proxy/s3proxy.jar --properties /tmp/s3proxy.properties
