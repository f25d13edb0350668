#!/usr/bin/env bash
# Builds the Debian packages of one preset (release by default; CI packages its Debug build):
#   scripts/package.sh [release|debug]
#   build/fieldlink_VERSION_amd64.deb     fieldlinkd, plugins, web page, /etc/fieldlink, systemd
#                                         units; Depends: from dpkg-shlibdeps
#   build/fieldlink-sdk_VERSION_all.deb   the plugin SDK
# The preset's build tree is configured with CMAKE_INSTALL_PREFIX=/usr, so that its files go to
# /usr, /etc and /var as Debian expects (cmake/install.cmake).
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}
command -v dpkg-shlibdeps >/dev/null || { echo "dpkg-shlibdeps is missing: apt-get install dpkg-dev" >&2; exit 1; }
cmake --preset "$preset" -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
rm -f build/fieldlink_*.deb build/fieldlink-sdk_*.deb
(cd "build/$preset" && cpack -G DEB >/dev/null)
ls build/fieldlink_*.deb build/fieldlink-sdk_*.deb
