#!/usr/bin/env bash
# Sourced by the ensure-*.sh scripts: installs one of Debian's packages when this machine can (root, apt-get).

# apt_install_if_root <who> <package>: installs the package and returns 0; returns non-zero when this is not root on
# a machine with apt-get (nothing is tried) or the install failed.
apt_install_if_root() {
  local who=$1 package=$2
  if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    return 1
  fi
  echo "$who: installing Debian's $package package" >&2
  # A fresh machine usually has no (or stale) package lists: refresh them only when the install needs it.
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$package" && return 0
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$package"
}
