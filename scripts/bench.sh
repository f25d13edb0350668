#!/usr/bin/env bash
# Benchmarks a Release fieldlinkd on a fresh SQLite database with the shipped durability
# settings (WAL, synchronous=FULL, group commit), load generator and server side by side.
# Prints one JSON line per scenario with the server's and the generator's CPU. The pairs,
# history and keepalive scenarios run again against a bare in-memory relay on Node
# (tests/bench/baseline) in the same run, and a line of ratios follows ("fieldlink_over_baseline"):
# the machine is shared and noisy, so only figures from one run compare.
#
#   scripts/bench.sh                  all scenarios
#   scripts/bench.sh pairs idle       some of: pairs, latency, idle, history, uploads,
#                                     keepalive, slow, storm, hostile, scale
#
# Knobs (environment): PAIRS=50 WINDOW=8 MESSAGES=2000 IDLE_CONNECTIONS=15000 STORM=10000
# KEEPALIVE_CLIENTS=256 STALLED=2000 IDLE_KEEPALIVE=10000 SCALE_CONVERSATIONS=10000
# SCALE_MESSAGES=1000000 (the history `scale` fills in a database of its own, then measures
# start-up, RSS and a dispatcher's first pages on a server started on it), BASELINE=0 (no Node relay),
# ROUNDS=3 (rounds of each compared scenario, fieldlink and the relay alternating; the ratio
# line gives each round's ratios and their medians),
# FIELDLINK_BENCH_SERVER=build/asan/bin/fieldlinkd to drive another build of the server, and
# STORE=mariadb for the MySQL/MariaDB store on a throwaway local MariaDB (scripts/mariadb.sh)
# instead of SQLite, and NODES=2 (with STORE=mariadb) for two nodes joined by a throwaway
# Redis (scripts/redis.sh), every pair's client on the first and its technician on the second
# (pairs and latency only).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh release >/dev/null

scenarios=("$@")
[[ ${#scenarios[@]} -gt 0 ]] ||
  scenarios=(pairs latency idle history uploads keepalive slow storm hostile scale)
PAIRS=${PAIRS:-50} WINDOW=${WINDOW:-8} MESSAGES=${MESSAGES:-2000}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-15000} STORM=${STORM:-10000}
KEEPALIVE_CLIENTS=${KEEPALIVE_CLIENTS:-256} STALLED=${STALLED:-2000}
IDLE_KEEPALIVE=${IDLE_KEEPALIVE:-10000} BASELINE=${BASELINE:-1} ROUNDS=${ROUNDS:-3}
SCALE_CONVERSATIONS=${SCALE_CONVERSATIONS:-10000} SCALE_MESSAGES=${SCALE_MESSAGES:-1000000}

ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d /tmp/fieldlink-bench-XXXXXX)
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && ! kill -0 "$server_pid" 2>/dev/null; then
    echo "fieldlinkd died during the benchmark; its log:" >&2
    tail -50 "$work/server.log" >&2
  fi
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  # Node ends with 143 on SIGTERM: not a failure of the benchmark.
  [[ -n "${baseline_pid:-}" ]] && kill "$baseline_pid" 2>/dev/null && { wait "$baseline_pid" 2>/dev/null || true; }
  [[ -n "${second_pid:-}" ]] && kill "$second_pid" 2>/dev/null && wait "$second_pid" 2>/dev/null
  [[ ${NODES:-1} == 2 ]] && scripts/redis.sh stop "$work/redis"
  [[ ${STORE:-sqlite} == mariadb ]] && scripts/mariadb.sh stop "$work/mariadb"
  rm -rf "$work"
}
trap cleanup EXIT
if [[ ${STORE:-sqlite} == mariadb ]]; then
  export FIELDLINK_STORE_BACKEND=mysql
  export FIELDLINK_STORE_MYSQL_URL="$(scripts/mariadb.sh start "$work/mariadb")fieldlink_bench"
  mariadb --socket="$work/mariadb/mysqld.sock" -uroot \
    -e "CREATE DATABASE fieldlink_bench CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
fi
if [[ ${NODES:-1} == 2 ]]; then
  [[ ${STORE:-sqlite} == mariadb ]] || { echo "NODES=2 needs STORE=mariadb" >&2; exit 2; }
  export FIELDLINK_BUS_REDIS="$(scripts/redis.sh start "$work/redis")"
  export FIELDLINK_BUS_SECRET="bench-bus-$(head -c 24 /dev/urandom | base64 -w0)"
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export FIELDLINK_AUTH_JWT_SECRET="bench-$(head -c 32 /dev/urandom | base64 -w0)"
export FIELDLINK_HTTP_ADDRESS=127.0.0.1
# Not durability: password hashing speed only slows the set-up of thousands of accounts,
# and the per-connection limits are policy for people, not for a load generator.
export FIELDLINK_AUTH_PBKDF2_ITERATIONS=1000
export FIELDLINK_WS_MESSAGES_PER_SECOND=1000000 FIELDLINK_WS_MESSAGE_BURST=1000000
export FIELDLINK_WS_MAX_CONNECTIONS_PER_USER=100000
# One account uploads without sending: the per-user upload quota and rate are policy too.
export FIELDLINK_ATTACHMENTS_USER_QUOTA_BYTES=0 FIELDLINK_ATTACHMENTS_UPLOADS_PER_HOUR=0
# Every generated client comes from 127.0.0.1.
export FIELDLINK_HTTP_MAX_CONNECTIONS_PER_ADDRESS=1000000
# The load generator registers its clients from one address.
export FIELDLINK_AUTH_REGISTRATIONS_PER_ADDRESS=0

server=${FIELDLINK_BENCH_SERVER:-build/release/bin/fieldlinkd}
export LIBC_FATAL_STDERR_=1  # glibc's own fatal messages into the log, not the terminal
FIELDLINK_PASSWORD=bench-password-1 "$server" --data-dir="$work/data" \
  --create-user=bench --role=dispatcher >/dev/null
"$server" --data-dir="$work/data" --port="$port" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

loadgen=(build/release/tests/fieldlink_loadgen --port="$port")
measure=(python3 tests/bench/measure.py)

# The baseline: a bare in-memory relay with the same paths, on Node with the ws package.
if [[ $BASELINE == 1 ]]; then
  [[ -d tests/bench/baseline/node_modules ]] ||
    (cd tests/bench/baseline && npm ci --silent --no-audit --no-fund)
  baseline_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  node tests/bench/baseline/relay.js "$baseline_port" >"$work/baseline.log" 2>&1 &
  baseline_pid=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$baseline_port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
fi
# Runs one scenario against fieldlink, then (if it has a baseline figure) against the relay,
# ROUNDS times, and prints every line and the ratios (each user tag gets the round's number).
compared() {
  local ours="" theirs="" line status=0 tag="" arg round
  for arg in "$@"; do [[ $arg == --tag=* ]] && tag=${arg#--tag=}; done
  for ((round = 1; round <= (BASELINE == 1 ? ROUNDS : 1); round++)); do
    line=$("${measure[@]}" run fieldlink "$server_pid" -- "${loadgen[@]}" "$@" \
      --tag="$tag$round") || status=$?
    echo "$line"
    [[ $BASELINE == 1 && $status == 0 ]] || return $status
    ours+="$line"$'\n'
    line=$("${measure[@]}" run baseline "$baseline_pid" -- \
      build/release/tests/fieldlink_loadgen --port="$baseline_port" "$@" --tag="$tag$round")
    echo "$line"
    theirs+="$line"$'\n'
  done
  "${measure[@]}" compare "$ours" "$theirs"
}
if [[ ${NODES:-1} == 2 ]]; then
  second_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$server" --data-dir="$work/data-b" --port="$second_port" >"$work/server-b.log" 2>&1 &
  second_pid=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$second_port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  loadgen+=(--technician-port="$second_port")
fi
# A short round of messages on each server first, unmeasured: the relay's JavaScript is
# compiled while it runs (its first round is half as fast as its second), and both servers'
# caches fill. Without it the first comparison measures Node's warm-up.
if [[ " ${scenarios[*]} " == *" pairs "* && $BASELINE == 1 ]]; then
  "${loadgen[@]}" --scenario=pairs --pairs="$PAIRS" --window="$WINDOW" --messages=400 --tag=wf >/dev/null
  build/release/tests/fieldlink_loadgen --port="$baseline_port" --scenario=pairs --pairs="$PAIRS" \
    --window="$WINDOW" --messages=400 --tag=wb >/dev/null
fi
max_rate=""
for scenario in "${scenarios[@]}"; do
  case "$scenario" in
    pairs)
      lines=$(compared --scenario=pairs --pairs="$PAIRS" --window="$WINDOW" --messages="$MESSAGES" --tag=p)
      echo "$lines"
      max_rate=$(python3 -c '
import json, statistics, sys
rates = [json.loads(l)["delivered_per_second"] for l in sys.stdin if "\"server\": \"fieldlink\"" in l]
print(int(statistics.median(rates)))' <<<"$lines")
      ;;
    latency)
      # At the old service's order of magnitude, then at half of fieldlink's measured maximum.
      "${measure[@]}" run fieldlink "$server_pid" -- "${loadgen[@]}" --scenario=pairs \
        --pairs="$PAIRS" --window="$WINDOW" --rate=75 --messages=30 --tag=l
      if [[ -n "$max_rate" ]]; then
        half=$((max_rate / 2))
        per_client=$((half * 10 / PAIRS))
        "${measure[@]}" run fieldlink "$server_pid" -- "${loadgen[@]}" --scenario=pairs \
          --pairs="$PAIRS" --window="$WINDOW" --rate="$half" --messages="$per_client" --tag=h
      fi
      ;;
    idle)
      "${loadgen[@]}" --scenario=idle --connections="$IDLE_CONNECTIONS" --server-pid="$server_pid" --tag=i
      ;;
    history)
      compared --scenario=history --history=5000 --threads=16 --seconds=10 --tag=s
      ;;
    keepalive)
      compared --scenario=keepalive --clients="$KEEPALIVE_CLIENTS" --seconds=20 --tag=k
      ;;
    slow)
      "${loadgen[@]}" --scenario=slow --stalled="$STALLED" --idle="$IDLE_KEEPALIVE" --seconds=5 \
        --server-pid="$server_pid" --tag=w
      ;;
    storm)
      "${loadgen[@]}" --scenario=storm --connections="$STORM" --server-pid="$server_pid" --tag=s
      ;;
    hostile)
      "${loadgen[@]}" --scenario=hostile --server-pid="$server_pid" --tag=x
      ;;
    scale)
      # A second server, on a database of its own filled with a long history.
      scale=(python3 tests/bench/scale.py "$server" "$work" --conversations="$SCALE_CONVERSATIONS"
        --messages="$SCALE_MESSAGES")
      [[ ${STORE:-sqlite} == mariadb ]] &&
        scale+=(--mysql-socket="$work/mariadb/mysqld.sock" --mysql-url="${FIELDLINK_STORE_MYSQL_URL%fieldlink_bench}")
      "${scale[@]}"
      ;;
    uploads)
      # Real media made here: a one-minute voice note, a 12-megapixel photo carrying GPS
      # coordinates, and a 30-second 720p clip; each uploaded by 4 clients for 10 s.
      media="$work/media"
      mkdir -p "$media"
      ff=(ffmpeg -nostdin -loglevel error -y)
      "${ff[@]}" -f lavfi -i "sine=frequency=440:duration=60" -c:a libopus "$media/voice.ogg"
      "${ff[@]}" -f lavfi -i "mandelbrot=size=4000x3000" -frames:v 1 -q:v 3 "$media/photo.jpg"
      exiftool -q -overwrite_original -GPSLatitude=48.85 -GPSLatitudeRef=N \
        -GPSLongitude=2.29 -GPSLongitudeRef=E "$media/photo.jpg"
      "${ff[@]}" -f lavfi -i "testsrc2=size=1280x720:rate=30:duration=30" \
        -f lavfi -i "sine=duration=30" -pix_fmt yuv420p -c:v libx264 -c:a aac "$media/clip.mp4"
      for upload in voice:voice.ogg file:photo.jpg video:clip.mp4; do
        "${loadgen[@]}" --scenario=upload --message-type="${upload%%:*}" \
          --file="$media/${upload#*:}" --threads=4 --seconds=10 --server-pid="$server_pid" \
          --tag="u${upload%%:*}"
      done
      ;;
    *)
      echo "unknown scenario $scenario" >&2
      exit 2
      ;;
  esac
done
