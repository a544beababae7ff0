#!/usr/bin/env bash
# The dashboard in a real browser: starts a fresh all-in-one cluster (launcher/target/kronika.jar, which serves the
# dashboard at /ui/) on free ports with one simulated node, installs Debian's chromium if missing, and runs
# dashboard/e2e with node's test runner (playwright-core drives /usr/bin/chromium). Always stops the cluster.
#
# Environment: KRONIKA (command that runs the launcher, default "java -jar <repo>/launcher/target/kronika.jar"),
# SCREENSHOTS (where the main pages' screenshots go; default docs/screenshots when UPDATE_SCREENSHOTS=1, else a temp dir).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KRONIKA="${KRONIKA:-java -jar $ROOT/launcher/target/kronika.jar}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/kronika-dashboard.XXXXXX")"
cleanup() {
  local code=$?
  $KRONIKA down --data-dir "$WORK/data" >/dev/null 2>&1 || true
  if [ $code -ne 0 ] && [ -f "$WORK/data/kronika.log" ]; then
    echo "--- end of the cluster log:" >&2
    tail -n 40 "$WORK/data/kronika.log" >&2
  fi
  rm -rf "$WORK"
  exit $code
}
trap cleanup EXIT

"$ROOT/scripts/install-browser.sh"
if [ ! -d "$ROOT/dashboard/node_modules/playwright-core" ]; then
  (cd "$ROOT/dashboard" && npm ci --no-audit --no-fund --loglevel=error)
fi

$KRONIKA up -d --data-dir "$WORK/data" --api-port 0 --nodes 1 --runtime sim > "$WORK/up.log" 2>&1 \
  || { cat "$WORK/up.log" >&2; echo "FAIL: the cluster did not start" >&2; exit 1; }
SERVER="$(sed -n 's/^ *server: *//p' "$WORK/data/kubeconfig" | head -n 1 | tr -d '"')"
[ -n "$SERVER" ] || { echo "FAIL: no server in $WORK/data/kubeconfig" >&2; exit 1; }
# With TLS and authentication (the default), node's fetch trusts the cluster CA and the page signs in with the admin token.
TOKEN="$(sed -n 's/^ *token: *//p' "$WORK/data/kubeconfig" | head -n 1 | tr -d '"')"
CA_DATA="$(sed -n 's/^ *certificate-authority-data: *//p' "$WORK/data/kubeconfig" | head -n 1)"
if [ -n "$CA_DATA" ]; then
  echo "$CA_DATA" | base64 -d > "$WORK/ca.crt"
  export NODE_EXTRA_CA_CERTS="$WORK/ca.crt"
fi

if [ "${UPDATE_SCREENSHOTS:-0}" = 1 ]; then
  SCREENSHOTS="${SCREENSHOTS:-$ROOT/docs/screenshots}"
else
  SCREENSHOTS="${SCREENSHOTS:-$WORK/screenshots}"
fi
cd "$ROOT/dashboard"
KRONIKA_URL="$SERVER" KRONIKA_TOKEN="$TOKEN" SCREENSHOTS="$SCREENSHOTS" node --test --test-concurrency=1 e2e/dashboard.test.js
