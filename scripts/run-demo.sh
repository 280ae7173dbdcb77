#!/usr/bin/env bash
# Builds ahttpd (Release) and runs it in the foreground on the demo configuration of configs/demo/:
# loopback only, HTTP on 127.0.0.1:8088, HTTPS on 127.0.0.1:8089 with a self-signed certificate (made with
# openssl on first run), AMI over HTTP with the user admin/admin, /static/ served from this checkout
# (the AMI console is at http://127.0.0.1:8088/static/ami-console.html).
#
# The templates in configs/demo/ are filled in to $AHTTP_DEMO_DIR/etc/ on every run (edits there are
# overwritten); the certificate, logs and astdb stay in $AHTTP_DEMO_DIR between runs.
#
# Environment (all optional):
#   AHTTP_DEMO_DIR         run-time directory            (default /tmp/ahttpd-demo-<uid>)
#   AHTTP_DEMO_HTTP_PORT   HTTP port                     (default 8088)
#   AHTTP_DEMO_HTTPS_PORT  HTTPS port                    (default 8089)
#   AHTTP_DEMO_AMI_PORT    AMI TCP port                  (default 5038)
#   AHTTPD_BIN             use this binary; skips installing dependencies and building
# Extra arguments go to ahttpd.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

demo_dir=${AHTTP_DEMO_DIR:-/tmp/ahttpd-demo-$(id -u)}
http_port=${AHTTP_DEMO_HTTP_PORT:-8088}
https_port=${AHTTP_DEMO_HTTPS_PORT:-8089}
ami_port=${AHTTP_DEMO_AMI_PORT:-5038}
readonly CERT_DAYS=825 # self-signed demo certificate lifetime

for p in "$http_port" "$https_port" "$ami_port"; do
  if [[ ! $p =~ ^[0-9]+$ ]] || ((p < 1 || p > 65535)); then
    echo "run-demo.sh: invalid port '$p'" >&2
    exit 2
  fi
done
if [[ $demo_dir != /* ]]; then
  echo "run-demo.sh: AHTTP_DEMO_DIR must be an absolute path, got '$demo_dir'" >&2
  exit 2
fi

if [[ -n ${AHTTPD_BIN:-} ]]; then
  bin=$AHTTPD_BIN
else
  cd "$repo"
  scripts/install-deps.sh
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build -j"$(nproc)"
  bin=$repo/build/ahttpd
fi

mkdir -p "$demo_dir"/{etc,keys,lib,spool,run,log,cache,uploads}
chmod 700 "$demo_dir" "$demo_dir/keys"

# Text for the replacement side of a sed s||| command: escape \, & and the | delimiter.
sed_text() { printf '%s' "$1" | sed -e 's/[\\&|]/\\&/g'; }
for template in "$repo"/configs/demo/*.conf; do
  sed -e "s|@DEMO_DIR@|$(sed_text "$demo_dir")|g" \
      -e "s|@REPO@|$(sed_text "$repo")|g" \
      -e "s|@HTTP_PORT@|$http_port|g" \
      -e "s|@HTTPS_PORT@|$https_port|g" \
      -e "s|@AMI_PORT@|$ami_port|g" \
      "$template" >"$demo_dir/etc/$(basename "$template")"
done

cert=$demo_dir/keys/ahttpd-demo.crt
key=$demo_dir/keys/ahttpd-demo.key
if [[ ! -s $cert || ! -s $key ]]; then
  echo "run-demo.sh: creating a self-signed certificate in $demo_dir/keys/" >&2
  (umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$CERT_DAYS" \
    -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$key" -out "$cert" 2>/dev/null)
fi

echo "run-demo.sh: http://127.0.0.1:$http_port/static/ami-console.html (user admin, secret admin);" \
  "config in $demo_dir/etc" >&2
exec "$bin" -C "$demo_dir/etc/asterisk.conf" "$@"
