#!/usr/bin/env bash
# Installs what the real-browser test of `experiments serve` needs (BrowserTests, run with
# EXPERIMENTS_BROWSER_TEST=1): headless Chromium and its driver from Debian, selenium from
# PyPI. Only for that test: `experiments` itself never needs a browser. Idempotent; apt-get as root.
set -euo pipefail

fail() { echo "browser-test-setup: $*" >&2; exit 1; }

packages=(chromium chromium-driver)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "browser: chromium and chromium-driver present"
else
  [ "$(id -u)" -eq 0 ] || fail "missing packages ${missing[*]}: run this script as root (it uses apt-get)"
  echo "browser: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || fail "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || fail "apt-get install ${missing[*]} failed"
fi

if python3 -c 'import selenium' 2>/dev/null; then
  echo "browser: selenium present"
else
  echo "browser: installing selenium from PyPI"
  python3 -m pip install --quiet --disable-pip-version-check 'selenium>=4.10,<5' || fail "pip could not install selenium"
fi
