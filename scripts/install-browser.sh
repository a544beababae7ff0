#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's browser tests (Playwright drives it through playwright-core; a
# browser download by Playwright itself is not possible here). Idempotent: does nothing when /usr/bin/chromium runs.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ] && "$CHROMIUM" --version >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing Debian's chromium for the dashboard browser tests..." >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null || { echo "apt-get update failed: install the 'chromium' package by hand" >&2; exit 1; }
$SUDO apt-get -y -qq install chromium >/dev/null || { echo "apt-get install chromium failed: install it by hand" >&2; exit 1; }
"$CHROMIUM" --version >&2
