#!/usr/bin/env bash
# Install a headless-capable Chromium from the Debian packages, for the HTML report
# screenshot test (tests/test_audit_browser.py). Idempotent: does nothing when a Chromium
# binary is already on PATH. Runs as root (CI containers) or through sudo when available.
set -euo pipefail

for bin in chromium chromium-browser google-chrome chrome; do
  if command -v "$bin" >/dev/null 2>&1; then
    echo "install_browser: $(command -v "$bin") is already installed"
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install_browser: no apt-get here (not Debian/Ubuntu); install Chromium yourself" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install_browser: run as root (or install sudo) to install chromium" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "install_browser: installed $(command -v chromium) ($(chromium --version 2>/dev/null || true))"
