#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium: the console's browser tests (test/integration/console/) drive
# it with playwright-core. Nothing ever downloads a browser of its own.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi

source "$(dirname "$0")/apt-install.sh"
if apt_install_if_root ensure-chromium chromium; then
  if [[ -x /usr/bin/chromium ]]; then
    exit 0
  fi
  echo "ensure-chromium: the chromium package installed, but there is no /usr/bin/chromium" >&2
  exit 1
fi

cat >&2 <<'MSG'
ensure-chromium: the console's browser tests need Chromium at /usr/bin/chromium.
Install it, e.g. on Debian/Ubuntu: apt-get install chromium
MSG
exit 1
