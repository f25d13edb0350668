#!/usr/bin/env bash
# Builds and runs the whole test suite: unit and integration tests (real fieldlinkd
# processes, real SQLite files, real plugin .so files).
#   scripts/test.sh            Debug build, then the same suite under ASan+UBSan, then every
#                              fuzzing seed replayed through its libFuzzer target, then the
#                              browser client's end-to-end tests in headless Chromium
#   scripts/test.sh debug      one preset only (debug, release or asan)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

presets=("$@")
everything=0
[[ ${#presets[@]} -gt 0 ]] || { presets=(debug asan); everything=1; }
for preset in "${presets[@]}"; do
  echo "== $preset: build" >&2
  scripts/build.sh "$preset"
  echo "== $preset: test" >&2
  ctest --preset "$preset" -j "$(nproc)" --timeout 300
done
if [[ $everything == 1 ]]; then
  echo "== fuzz: replay seeds" >&2
  scripts/fuzz.sh replay
  echo "== web: end-to-end in Chromium" >&2
  scripts/e2e.sh
fi
