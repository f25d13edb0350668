#!/usr/bin/env bash
# A throwaway Redis for tests and benchmarks, without systemd, on loopback, no persistence.
#   scripts/redis.sh start DIR [PORT]   prints HOST:PORT for bus.redis
#   scripts/redis.sh stop DIR
set -euo pipefail
command=${1:?start or stop}
dir=${2:?a folder for the server}

case "$command" in
  start)
    port=${3:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
    mkdir -p "$dir"
    dir=$(realpath "$dir")
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" \
      --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --daemonize yes >/dev/null
    for _ in $(seq 1 100); do
      redis-cli -p "$port" ping >/dev/null 2>&1 && break
      sleep 0.05
    done
    redis-cli -p "$port" ping >/dev/null 2>&1 ||
      { echo "redis did not start; its log:" >&2; tail -20 "$dir/redis.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    echo "127.0.0.1:$port"
    ;;
  stop)
    [[ -f "$dir/port" ]] || exit 0
    redis-cli -p "$(cat "$dir/port")" shutdown nosave >/dev/null 2>&1 || true
    for _ in $(seq 1 100); do
      [[ -f "$dir/redis.pid" ]] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null || break
      sleep 0.05
    done
    ;;
  *)
    echo "usage: scripts/redis.sh start DIR [PORT] | stop DIR" >&2
    exit 2
    ;;
esac
