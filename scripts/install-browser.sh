#!/usr/bin/env bash
# Installs Debian's Chromium (and a basic font) for the browser tests in tests/test_browser.py when it is
# missing; `make test` runs it before pytest. Needs root and Debian's package archive (CI runs as root).
# Without root it installs nothing: outside CI the browser tests then skip, under CI (CI set) it fails.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-browser: chromium is missing and this is not root; install it with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y chromium fonts-dejavu-core" >&2
  if [ -n "${CI:-}" ]; then
    exit 1
  fi
  echo "install-browser: the browser tests will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
command -v chromium
