#!/usr/bin/env bash
# Installs what the real-browser test of `experiments serve` needs (BrowserTests, run with
# EXPERIMENTS_BROWSER_TEST=1): headless Chromium and its driver from Debian, selenium from
# PyPI. Only for that test: `experiments` itself never needs a browser. Idempotent; apt-get as root.
set -euo pipefail

fail() { echo "browser-test-setup: $*" >&2; exit 1; }

cd "$(dirname "$0")/.."
. scripts/debian-packages.sh
install_missing_packages chromium chromium-driver

if python3 -c 'import selenium' 2>/dev/null; then
  echo "browser: selenium present"
else
  echo "browser: installing selenium from PyPI"
  python3 -m pip install --quiet --disable-pip-version-check 'selenium>=4.10,<5' || fail "pip could not install selenium"
fi
