#!/bin/sh
# Install Debian's chromium for the browser tests (tests/test_view.py -m browser)
# and bench/bench_view.py. Idempotent: does nothing when chromium is there.
# Exits 0 with a message when it cannot install (not root, no apt-get, no
# network): the browser tests then skip locally and fail under CI=1.
set -u

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
    echo "chromium: already installed ($("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM"))"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium: not installed and apt-get is missing; install chromium by hand" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "chromium: not installed; run as root: apt-get install -y --no-install-recommends chromium fonts-liberation" >&2
        exit 0
    fi
fi
export DEBIAN_FRONTEND=noninteractive
if $SUDO apt-get update -q && $SUDO apt-get install -y -q --no-install-recommends chromium fonts-liberation; then
    echo "chromium: installed ($("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM"))"
else
    echo "chromium: apt-get could not install chromium; browser tests will skip (or fail under CI)" >&2
fi
exit 0
