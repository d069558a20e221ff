#!/usr/bin/env bash
# Takes build/screenshots/status.png: llproxy's /status page in Debian's Chromium, llproxy scanning
# fake LLM servers on 127.0.0.1 (frontend/scripts/status-screenshot.mjs). Only loopback traffic.
set -euo pipefail
cd "$(dirname "$0")/../.."
make --no-print-directory llproxy >/dev/null
OUT=${OUT:-$PWD/build/screenshots/status.png}
TMP=$(mktemp --suffix .png)
trap 'rm -f "$TMP"' EXIT
(cd frontend && OUT="$TMP" node scripts/status-screenshot.mjs)
# Keep it small: 8-bit palette PNG.
convert "$TMP" -strip -colors 256 PNG8:"$OUT"
echo "$OUT: $(stat -c %s "$OUT") bytes"
