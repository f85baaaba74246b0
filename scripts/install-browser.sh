#!/usr/bin/env bash
# Installs Debian's Chromium (and a basic font) for the browser tests in tests/test_browser.py when it is
# missing; `make test` runs it before pytest. Needs root and apt-get (CI runs as root on Debian).
# Where it cannot install (not root, no apt-get, or apt-get fails, e.g. offline) it installs nothing and
# says so: outside CI the browser tests then skip with a message; under CI (CI set) it fails instead.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
cannot() {
  echo "install-browser: chromium is missing and cannot be installed here ($1); install it with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y chromium fonts-dejavu-core" >&2
  if [ -n "${CI:-}" ]; then
    exit 1
  fi
  echo "install-browser: the browser tests (tests/test_browser.py) will be skipped" >&2
  exit 0
}
if [ "$(id -u)" -ne 0 ]; then
  cannot "not root"
fi
if ! command -v apt-get >/dev/null 2>&1; then
  cannot "no apt-get"
fi
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; }; then
  cannot "apt-get failed"
fi
command -v chromium
