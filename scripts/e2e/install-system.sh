#!/usr/bin/env bash
# Debian packages the real-editor tests need:
#   chromium     - the browser that drives code-server's workbench (playwright-core, no download)
#   libkrb5-dev  - headers code-server's `kerberos` native module builds against at install time
#   neovim       - a second, non-VS Code LSP client (scripts/e2e/run-neovim.mjs)
# Must run as root on a fresh Debian machine, and be a no-op (no apt-get update, no install)
# when everything is already there, so CI can call it on every run.
set -euo pipefail

packages=(chromium libkrb5-dev neovim)

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

missing=()
for pkg in "${packages[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-system: ${packages[*]} already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-system: missing ${missing[*]}; run this script as root (or: sudo $0)" >&2
  exit 1
fi

echo "install-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The package lists on a fresh machine are empty or stale: refresh them once per install.
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
