#!/usr/bin/env bash
# Install Azurite (Microsoft's Azure Storage emulator, from the npm registry) into
# .cache/azurite, for tests/manifests/test_manifests_az.py (az:// manifests against a local
# blob service on 127.0.0.1). Idempotent; pinned version. Without node/npm it says so and
# exits 0: the az:// tests then skip, and say why.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="3.37.0"
PREFIX=".cache/azurite"
if [ -x "$PREFIX/node_modules/.bin/azurite-blob" ]; then
  echo "install_azurite: $PREFIX already has azurite-blob"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install_azurite: npm is not installed; the az:// manifest tests will skip" >&2
  exit 0
fi
mkdir -p "$PREFIX"
npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "azurite@$VERSION"
echo "install_azurite: installed azurite $VERSION into $PREFIX"
