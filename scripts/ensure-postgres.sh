#!/usr/bin/env bash
# Makes sure PostgreSQL's server binaries (initdb, pg_ctl, postgres) are installed: the integration suite starts
# its own throwaway server with them (test/support/postgres/throwaway-cluster.ts), it never uses a system cluster.
set -euo pipefail

# True when initdb is on PATH or in a Debian-style versioned folder (Debian keeps it off PATH).
have_initdb() {
  command -v initdb >/dev/null 2>&1 && return 0
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

if have_initdb; then
  exit 0
fi

source "$(dirname "$0")/apt-install.sh"
if apt_install_if_root ensure-postgres postgresql; then
  if have_initdb; then
    exit 0
  fi
  echo "ensure-postgres: the postgresql package installed, but no initdb was found" >&2
  exit 1
fi

cat >&2 <<'MSG'
ensure-postgres: the integration suite needs PostgreSQL's server binaries (initdb, pg_ctl, postgres).
Install them, e.g. on Debian/Ubuntu: apt-get install postgresql   (macOS: brew install postgresql@15)
MSG
exit 1
