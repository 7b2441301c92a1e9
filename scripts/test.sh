#!/usr/bin/env bash
# Install everything the tests need, then run every test: frontend unit tests, the Python
# tests (analysis, routes, a real tensorboard process) and the browser tests in Chromium.
# This is the README's test command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's Chromium drives the browser tests (Playwright cannot download a browser here).
if [ ! -x /usr/bin/chromium ]; then
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi

# The frontend's locked dependencies; `pip install` then builds the tab's bundle with them.
(cd frontend && npm ci --no-audit --no-fund --loglevel=error)
python -m pip install --quiet --disable-pip-version-check -e ".[test]"

export TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=0
ruff check .
ruff format --check .
(cd frontend && npm run --silent format:check)
python -m pytest "$@"
