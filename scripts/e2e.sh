#!/usr/bin/env bash
# The browser client's end-to-end tests (web/tests/) in Debian's headless Chromium, driven by
# playwright-core, against a real fieldlinkd of the Debug build. Screenshots of each view go to
# build/e2e-artifacts/.
#   scripts/e2e.sh                       builds Debug if needed, then runs the tests
#   FIELDLINK_SERVER_BIN=... scripts/e2e.sh   against another fieldlinkd
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh chromium nodejs
# NodeSource's nodejs carries npm; Debian's needs its own package.
command -v npm >/dev/null || scripts/setup.sh npm

server=${FIELDLINK_SERVER_BIN:-build/debug/bin/fieldlinkd}
[[ -n ${FIELDLINK_SERVER_BIN:-} ]] || scripts/build.sh debug >/dev/null

(cd web/tests && npm ci --no-audit --no-fund --loglevel=error)
artifacts=$PWD/build/e2e-artifacts
mkdir -p "$artifacts"
cd web/tests
FIELDLINK_SERVER_BIN=$(realpath "../../$server") FIELDLINK_E2E_ARTIFACTS=$artifacts \
  CHROMIUM=/usr/bin/chromium node --test --test-concurrency=1 .
