#!/usr/bin/env bash
# The end-to-end tests drive Debian's Chromium (Playwright cannot download browsers here).
# Installs it when missing and this user can (root or sudo with apt-get); otherwise says how.
set -euo pipefail
for c in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
  if [[ -n "$c" && -x "$c" ]]; then exit 0; fi
done
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "Chromium is needed for the end-to-end tests: run 'apt-get install -y chromium' as root." >&2
      exit 1
    fi
  fi
  echo "Installing Debian's chromium for the end-to-end tests (apt-get install -y chromium)…" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "Chromium is needed for the end-to-end tests: install it, or set CHROMIUM_PATH to a Chrome/Chromium binary." >&2
exit 1
