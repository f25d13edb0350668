#!/usr/bin/env bash
# A throwaway MariaDB server for tests and benchmarks, without systemd: its data, socket and
# log in one folder, listening on loopback only.
#   scripts/mariadb.sh start DIR [PORT]   prints the URL to give fieldlink's tests:
#                                         mysql://fl:PASSWORD@127.0.0.1:PORT/
#                                         (user fl may create and drop databases)
#   scripts/mariadb.sh stop DIR           shuts it down (the folder stays; delete it after)
set -euo pipefail
command=${1:?start or stop}
dir=${2:?a folder for the server}

case "$command" in
  start)
    port=${3:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
    mkdir -p "$dir"
    dir=$(realpath "$dir")
    if [[ ! -d "$dir/data/mysql" ]]; then
      mariadb-install-db --user=root --datadir="$dir/data" --auth-root-authentication-method=normal \
        --skip-test-db >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
    fi
    mariadbd --no-defaults --user=root --datadir="$dir/data" --socket="$dir/mysqld.sock" \
      --port="$port" --bind-address=127.0.0.1 --pid-file="$dir/mysqld.pid" --skip-log-bin \
      --innodb-buffer-pool-size=64M --max-connections=1000 --skip-name-resolve \
      --log-error="$dir/error.log" >/dev/null 2>&1 &
    for _ in $(seq 1 150); do
      mariadb-admin --socket="$dir/mysqld.sock" ping >/dev/null 2>&1 && break
      sleep 0.2
    done
    mariadb-admin --socket="$dir/mysqld.sock" ping >/dev/null 2>&1 ||
      { echo "mariadb did not start; its log:" >&2; tail -30 "$dir/error.log" >&2; exit 1; }
    # Made once per folder, so a restart keeps the URL that clients were given.
    [[ -f "$dir/password" ]] || head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$dir/password"
    password=$(cat "$dir/password")
    mariadb --socket="$dir/mysqld.sock" -uroot -e "
      CREATE USER IF NOT EXISTS 'fl'@'127.0.0.1' IDENTIFIED BY '$password';
      ALTER USER 'fl'@'127.0.0.1' IDENTIFIED BY '$password';
      GRANT ALL ON *.* TO 'fl'@'127.0.0.1';"
    echo "$port" >"$dir/port"
    echo "mysql://fl:$password@127.0.0.1:$port/"
    ;;
  stop)
    [[ -S "$dir/mysqld.sock" ]] || exit 0
    mariadb-admin --socket="$dir/mysqld.sock" -uroot shutdown 2>/dev/null || true
    for _ in $(seq 1 100); do
      [[ -f "$dir/mysqld.pid" ]] || break
      sleep 0.1
    done
    ;;
  *)
    echo "usage: scripts/mariadb.sh start DIR [PORT] | stop DIR" >&2
    exit 2
    ;;
esac
