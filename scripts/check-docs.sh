#!/usr/bin/env bash
# Checks what docs/ gives operators and integrators, with the tools made for each:
#   - docs/openapi.yaml against the OpenAPI 3.0 schema, every $ref resolved
#     (@apidevtools/swagger-parser from npm, tests/docs/);
#   - docs/monitoring/fieldlink-alerts.yml with `promtool check rules`, and its unit tests
#     (fieldlink-alerts.test.yml) with `promtool test rules`. promtool comes from Debian's
#     prometheus package, taken apart into build/tools/ rather than installed (installing it
#     would start a Prometheus server).
# The dashboard's and alerts' metric names are checked against a running server by the
# integration test Monitoring.TheDashboardAndAlertsUseOnlyMetricsTheServerServes, and the
# OpenAPI paths against the router by the unit test OpenApi.DescribesEveryOperationOfTheApiAndNoOther.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v npm >/dev/null || scripts/setup.sh nodejs npm

(cd tests/docs && npm ci --no-audit --no-fund --loglevel=error)
node tests/docs/validate_openapi.mjs docs/openapi.yaml

promtool=$(command -v promtool || true)
if [[ -z $promtool ]]; then
  tools=build/tools/prometheus
  promtool=$tools/usr/bin/promtool
  if [[ ! -x $promtool ]]; then
    mkdir -p "$tools"
    download=$(mktemp -d /tmp/fieldlink-prometheus-XXXXXX)
    (cd "$download" && { apt-get download prometheus >/dev/null 2>&1 ||
                         { apt-get update -qq && apt-get download prometheus >/dev/null; }; })
    dpkg-deb -x "$download"/prometheus_*.deb "$tools"
    rm -rf "$download"
  fi
fi
promtool=$(realpath "$promtool")
"$promtool" check rules docs/monitoring/fieldlink-alerts.yml
# The tests name the rules file relative to themselves.
(cd docs/monitoring && "$promtool" test rules fieldlink-alerts.test.yml)
