#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ (clang, ASan+UBSan) and runs each for a bounded time,
# starting from the seed corpus in fuzz/corpus/<target>/. New inputs are kept in
# build/fuzz/corpus/<target>/ (so later runs go on from there), crashes in
# build/fuzz/crashes/<target>/. Prints one line per target: executions, corpus, crashes.
#   scripts/fuzz.sh                    every target for 60 s
#   scripts/fuzz.sh 600                every target for 10 minutes
#   scripts/fuzz.sh 300 fuzz_jwt       one target
#   scripts/fuzz.sh replay             run each seed (regressions included) once, no fuzzing;
#                                      scripts/test.sh does this
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh clang libclang-rt-14-dev

seconds=${1:-60}
[[ $seconds == replay || $seconds =~ ^[0-9]+$ ]] ||
  { echo "fuzz.sh: the first argument is a number of seconds or 'replay'" >&2; exit 2; }
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] ||
  targets=(fuzz_ws_frames fuzz_json_input fuzz_multipart fuzz_jwt fuzz_text_message
           fuzz_location_message fuzz_http_requests fuzz_wire_event)

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" >/dev/null

if [[ $seconds == replay ]]; then
  for target in "${targets[@]}"; do
    seeds=(fuzz/corpus/"$target"/*)
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "build/fuzz/fuzz/$target" "${seeds[@]}" >"build/fuzz/$target.replay.log" 2>&1 ||
      { cat "build/fuzz/$target.replay.log" >&2; echo "$target: a seed fails" >&2; exit 1; }
    echo "$target: ${#seeds[@]} seeds replayed"
  done
  exit 0
fi

status=0
for target in "${targets[@]}"; do
  corpus=build/fuzz/corpus/$target
  crashes=build/fuzz/crashes/$target
  log=build/fuzz/$target.log
  mkdir -p "$corpus" "$crashes"
  set +e
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "build/fuzz/fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$crashes/" "$corpus" "fuzz/corpus/$target" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  found=$(find "$crashes" -type f | wc -l)
  echo "$target: ${runs:-?} executions in ${seconds}s, corpus $(find "$corpus" -type f | wc -l)," \
    "crashes $found$([[ $rc -ne 0 ]] && echo " (exit $rc, see $log)")"
  [[ $rc -eq 0 && $found -eq 0 ]] || status=1
done
exit $status
