#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium: the console's browser tests (test/integration/console/) drive
# it with playwright-core. Nothing ever downloads a browser of its own.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi

if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: installing Debian's chromium package" >&2
  apt_install() { DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; }
  # A fresh machine usually has no (or stale) package lists: refresh them only when the install needs it.
  if ! apt_install; then
    apt-get update
    apt_install
  fi
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
