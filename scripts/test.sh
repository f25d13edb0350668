#!/usr/bin/env bash
# Builds and runs the whole test suite: unit and integration tests (real fieldlinkd
# processes, real SQLite files, a real MariaDB server, real plugin .so files).
#   scripts/test.sh            Debug build, then the same suite under ASan+UBSan (both on
#                              SQLite), then the store and integration tests of the Debug build
#                              again on MariaDB, then every fuzzing seed replayed through its
#                              libFuzzer target, then the browser client's end-to-end tests in
#                              headless Chromium; between them docs/ is checked (OpenAPI
#                              schema, alerting rules: scripts/check-docs.sh) and the Debian
#                              package built, installed, smoke-tested and removed
#                              (scripts/package-test.sh)
#   scripts/test.sh debug      one preset only (debug, release or asan), on SQLite
#   scripts/test.sh mariadb    the Debug build's store and integration tests on MariaDB
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

# Starts a throwaway MariaDB (scripts/mariadb.sh) and runs the store and integration tests of
# one preset against it: each test server gets a database of its own.
on_mariadb() {
  local preset=$1 dir url
  dir=$(mktemp -d /tmp/fieldlink-mariadb-XXXXXX)
  trap 'scripts/mariadb.sh stop "'"$dir"'"; rm -rf "'"$dir"'"' EXIT
  url=$(scripts/mariadb.sh start "$dir")
  FIELDLINK_TEST_MYSQL=$url ctest --preset "$preset" -j "$(nproc)" --timeout 300 -R '[Mm]ysql'
  FIELDLINK_TEST_MYSQL=$url ctest --preset "$preset" -j "$(nproc)" --timeout 300 -L integration
  scripts/mariadb.sh stop "$dir"
  rm -rf "$dir"
  trap - EXIT
}

presets=("$@")
everything=0
[[ ${#presets[@]} -gt 0 ]] || { presets=(debug asan); everything=1; }
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
