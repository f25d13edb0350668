#!/usr/bin/env bash
# Installs the Debian packages fieldlink needs to build, run and test, and any named on the
# command line (scripts/fuzz.sh adds clang's). Idempotent: quiet and quick when everything is
# there already.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libpoco-dev libboost-dev libboost-filesystem-dev libssl-dev libsqlite3-dev
  libmysqlcppconn-dev mariadb-server redis-server
  libgtest-dev libgmock-dev
  libjemalloc-dev libmagic-dev libavformat-dev libavcodec-dev libavutil-dev libexiv2-dev libheif-dev
  ffmpeg libimage-exiftool-perl libheif-examples
  libjs-leaflet
  curl python3 openssl
  dpkg-dev systemd
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# mariadb-server's post-install cannot start a service without an init system; harmless.
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
