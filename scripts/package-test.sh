#!/usr/bin/env bash
# The Debian package end to end (run by scripts/test.sh; needs root and a machine where
# fieldlink is not installed): builds it from one preset's tree (debug by default, which CI
# has built already), checks its files, Depends: and conffiles, installs it with dpkg -i,
# verifies the systemd units, starts the installed fieldlinkd as its unit does (the
# fieldlink user, the installed configuration, the secret file) and runs
# scripts/package_smoke.py through it, runs the backup unit's command, then removes the
# package and checks that the data in /var/lib/fieldlink stays. Leaves the machine as it was.
#   scripts/package-test.sh [debug|release]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-debug}

scripts/package.sh "$preset" >/dev/null
deb=$(ls build/fieldlink_*_amd64.deb)
sdk=$(ls build/fieldlink-sdk_*_all.deb)
fail() { echo "package test: $*" >&2; exit 1; }

echo "-- $deb: files, Depends:, conffiles"
files=$(dpkg-deb -c "$deb" | awk '{print $6}')
for path in ./usr/bin/fieldlinkd ./etc/fieldlink/fieldlink.properties \
    ./usr/lib/systemd/system/fieldlink.service ./usr/lib/systemd/system/fieldlink-backup.service \
    ./usr/lib/systemd/system/fieldlink-backup.timer ./usr/share/fieldlink/web/index.html \
    ./usr/share/fieldlink/web/leaflet.esm.js; do
  grep -qx "$path" <<<"$files" || fail "$path is missing from the package"
done
for plugin in text file voice video location webhook stats_messages stats_response_time stats_activity; do
  grep -qx "./usr/lib/fieldlink/plugins/$plugin.so" <<<"$files" || fail "plugin $plugin is missing"
done
if grep -q '^./usr/include\|^./usr/local' <<<"$files"; then fail "the server package holds SDK or /usr/local files"; fi
depends=$(dpkg-deb -f "$deb" Depends)
for library in libpocofoundation libpoconet libmysqlcppconn libavformat libsqlite3 libssl libjemalloc; do
  grep -q "$library" <<<"$depends" || fail "Depends: lacks $library: $depends"
done
[[ $(dpkg-deb -I "$deb" conffiles) == /etc/fieldlink/fieldlink.properties ]] || fail "conffiles"
sdk_files=$(dpkg-deb -c "$sdk" | awk '{print $6}')
grep -qx './usr/include/fieldlink/sdk/plugin.hpp' <<<"$sdk_files" || fail "the SDK package lacks its headers"
installed_config=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./etc/fieldlink/fieldlink.properties)
grep -qx 'data.dir = /var/lib/fieldlink' <<<"$installed_config" \
  || fail "the installed configuration does not point data.dir at /var/lib/fieldlink"

if [[ $EUID -ne 0 ]]; then
  echo "package test: not root, so the package was checked but not installed" >&2
  exit 0
fi
if dpkg-query -W -f='${Status}' fieldlink 2>/dev/null | grep -q installed; then
  fail "fieldlink is installed on this machine; this test installs and removes it"
fi
[[ ! -e /var/lib/fieldlink ]] || fail "/var/lib/fieldlink exists; this test would leave it changed"

work=$(mktemp -d /tmp/fieldlink-package-XXXXXX)
server=""
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  dpkg --purge fieldlink >/dev/null 2>&1 || true
  rm -rf /var/lib/fieldlink /etc/fieldlink "$work"
  userdel fieldlink 2>/dev/null || true
}
trap cleanup EXIT

echo "-- dpkg -i"
dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg -i failed"; }
id fieldlink >/dev/null || fail "postinst made no fieldlink user"
[[ $(stat -c '%U %a' /etc/fieldlink/secret.env) == "root 600" ]] || fail "the secret file is not root's alone"
grep -Eq '^FIELDLINK_AUTH_JWT_SECRET=[0-9a-f]{64}$' /etc/fieldlink/secret.env || fail "no secret made"
[[ $(stat -c '%U' /var/lib/fieldlink) == fieldlink ]] || fail "/var/lib/fieldlink is not fieldlink's"

echo "-- systemd-analyze verify"
systemd-analyze verify /usr/lib/systemd/system/fieldlink.service \
  /usr/lib/systemd/system/fieldlink-backup.service /usr/lib/systemd/system/fieldlink-backup.timer \
  || fail "systemd-analyze verify found problems"

# As the unit's ExecStart runs it: its user, its environment file, its command line; only
# the port and address are the test's (a free loopback port).
exec_start=$(sed -n 's/^ExecStart=//p' /usr/lib/systemd/system/fieldlink.service)
backup_start=$(sed -n 's/^ExecStart=//p' /usr/lib/systemd/system/fieldlink-backup.service)
# setpriv execs the command as the user, as systemd's User= does (no PAM session, no
# process in between), so the server's pid is the one this script holds.
as_unit() {
  exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin FIELDLINK_HTTP_ADDRESS=127.0.0.1 \
    FIELDLINK_HTTP_PORT="$port" "$@" $(grep -v '^#' /etc/fieldlink/secret.env) \
    setpriv --reuid=fieldlink --regid=fieldlink --init-groups -- ${run_command}
}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
run_command="$exec_start --create-user=chief --role=dispatcher"
(as_unit FIELDLINK_PASSWORD=chief-password-1 >/dev/null) || fail "--create-user as the fieldlink user failed"
ps -u fieldlink -o pid= >/dev/null && fail "a process of the fieldlink user outlived its command"

echo "-- the installed server, smoke test"
run_command=$exec_start
(as_unit >"$work/server.log" 2>&1) &
server=$!
for _ in $(seq 100); do
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
    "http://127.0.0.1:$port/healthz" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; fail "the installed server did not start"; }
  sleep 0.2
done
python3 scripts/package_smoke.py "http://127.0.0.1:$port" chief chief-password-1 \
  || { cat "$work/server.log" >&2; fail "smoke test"; }

echo "-- the backup timer's command"
run_command=$backup_start
(as_unit >"$work/backup.log" 2>&1) || { cat "$work/backup.log" >&2; fail "the backup unit's command failed"; }
ls /var/lib/fieldlink/backups/fieldlink-*/backup.json >/dev/null || fail "no dated backup"
kill "$server"; wait "$server" || true; server=""

echo "-- dpkg -r keeps the data"
dpkg -r fieldlink >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg -r failed"; }
[[ ! -e /usr/bin/fieldlinkd ]] || fail "fieldlinkd is still there"
[[ -s /var/lib/fieldlink/fieldlink.db ]] || fail "dpkg -r removed the database"
[[ -e /etc/fieldlink/fieldlink.properties ]] || fail "dpkg -r removed the configuration"
dpkg --purge fieldlink >/dev/null
[[ ! -e /etc/fieldlink/secret.env ]] || fail "purge left the secret"
[[ -s /var/lib/fieldlink/fieldlink.db ]] || fail "purge removed the database"
echo "package test passed: $(basename "$deb") installed, served, backed up and removed"
