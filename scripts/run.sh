#!/usr/bin/env bash
# Builds a Release fieldlinkd and runs it on the embedded SQLite store with demo accounts.
# Data lives in .run/ (delete it to start over). PORT=9000 scripts/run.sh for another port.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh release

mkdir -p .run
# A real secret, made once and kept, so tokens survive restarts and no placeholder is used.
[[ -s .run/jwt_secret ]] || head -c 48 /dev/urandom | base64 -w0 > .run/jwt_secret
chmod 600 .run/jwt_secret

export FIELDLINK_AUTH_JWT_SECRET="$(cat .run/jwt_secret)"
exec build/release/bin/fieldlinkd --config=config/fieldlink.properties \
  --data-dir=.run/data --port="${PORT:-8000}" --demo "$@"
