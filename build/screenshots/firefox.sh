#!/usr/bin/env bash
# Takes build/screenshots/firefox.png: the editor served by llproxy, in Debian's Firefox ESR
# (headless, puppeteer-core over WebDriver BiDi), with suggestions streamed from a fake LLM server
# on 127.0.0.1 (frontend/scripts/firefox-screenshot.mjs). Only loopback traffic.
set -euo pipefail
cd "$(dirname "$0")/../.."
(cd frontend && npm run build >/dev/null)
make --no-print-directory llproxy >/dev/null
OUT=${OUT:-$PWD/build/screenshots/firefox.png}
TMP=$(mktemp --suffix .png)
trap 'rm -f "$TMP"' EXIT
(cd frontend && OUT="$TMP" node scripts/firefox-screenshot.mjs)
# Keep it small: 8-bit palette PNG.
convert "$TMP" -strip -colors 256 PNG8:"$OUT"
echo "$OUT: $(stat -c %s "$OUT") bytes"
