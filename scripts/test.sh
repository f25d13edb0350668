#!/usr/bin/env bash
# Builds and runs the whole test suite: unit and integration tests (real fieldlinkd
# processes, real SQLite files, a real MariaDB server, real plugin .so files).
#   scripts/test.sh            The Debug build (its warnings), then the suite under
#                              ASan+UBSan on SQLite (the Debug pass of the same tests would
#                              only repeat it, with fewer checks), then the Debug build's
#                              store and integration tests on MariaDB (less those that
#                              never reach the store), then every fuzzing seed replayed
#                              through its libFuzzer target, then the browser client's
#                              end-to-end tests in headless Chromium; between them docs/ is
#                              checked (OpenAPI schema, alerting rules: scripts/check-docs.sh)
#                              and the Debian package built, installed, smoke-tested and
#                              removed (scripts/package-test.sh)
#   scripts/test.sh debug      one preset only (debug, release or asan), on SQLite
#   scripts/test.sh mariadb    the Debug build's store and integration tests on MariaDB
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

# Integration tests whose subject never reaches the store (connection handling, TLS,
# compression, the page's static files, plugins built against the SDK): the SQLite pass has
# them, and on MariaDB they would only repeat it.
backend_independent='^(SlowClients|HostileClients|FrontDoor|Tls|Compression|BrowserSafety|WebClient|NewPlugin|OutOfTree)\.'

# Starts a throwaway MariaDB (scripts/mariadb.sh) and runs the store and integration tests of
# one preset against it: each test server gets a database of its own.
on_mariadb() {
  local preset=$1 dir url
  dir=$(mktemp -d /tmp/fieldlink-mariadb-XXXXXX)
  trap 'scripts/mariadb.sh stop "'"$dir"'"; rm -rf "'"$dir"'"' EXIT
  url=$(scripts/mariadb.sh start "$dir")
  FIELDLINK_TEST_MYSQL=$url ctest --preset "$preset" -j "$(nproc)" --timeout 300 -R '[Mm]ysql'
  FIELDLINK_TEST_MYSQL=$url ctest --preset "$preset" -j "$(nproc)" --timeout 300 -L integration \
    -E "$backend_independent"
  scripts/mariadb.sh stop "$dir"
  rm -rf "$dir"
  trap - EXIT
}

presets=("$@")
everything=0
if [[ ${#presets[@]} -eq 0 ]]; then
  presets=(asan)
  everything=1
  echo "== debug: build" >&2
  scripts/build.sh debug
fi
for preset in "${presets[@]}"; do
  if [[ $preset == mariadb ]]; then
    scripts/build.sh debug
    echo "== debug on MariaDB: test" >&2
    on_mariadb debug
    continue
  fi
  echo "== $preset: build" >&2
  scripts/build.sh "$preset"
  echo "== $preset: test" >&2
  ctest --preset "$preset" -j "$(nproc)" --timeout 300
done
if [[ $everything == 1 ]]; then
  echo "== debug on MariaDB: test" >&2
  on_mariadb debug
  echo "== docs: OpenAPI schema, alerting rules" >&2
  scripts/check-docs.sh
  echo "== package: build, install, smoke test" >&2
  scripts/package-test.sh debug
  echo "== fuzz: replay seeds" >&2
  scripts/fuzz.sh replay
  echo "== web: end-to-end in Chromium" >&2
  scripts/e2e.sh
fi
