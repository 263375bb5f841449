#!/usr/bin/env bash
# Debian's Chromium for tests/docsite: found, or installed when this user may install packages (root with apt-get, as on
# CI); otherwise the command to run.
set -euo pipefail
if command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends chromium >/dev/null \
        || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends chromium >/dev/null; }
    exit 0
fi
echo "tests/docsite opens the built pages in Chromium: install Debian's chromium (sudo apt-get install chromium)" >&2
exit 1
