#!/usr/bin/env bash
# Takes build/screenshots/proxy-panel.png: the desktop app (build it with `make build`) under a
# private Xvfb + D-Bus session, its own FRAGMENTEDITOR_HOME, a proxy on a free port scanning fake
# LLM servers on 127.0.0.211–213, then Ctrl+P. Only loopback traffic.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-build/screenshots/proxy-panel.png}
WORK=$(mktemp -d -t fragmenteditor-shot.XXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

python3 build/screenshots/fake_llm_servers.py >"$WORK/fake.log" 2>&1 &
PIDS+=($!)

exec 3>"$WORK/display"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$WORK/display" ] && break; sleep 0.1; done
export DISPLAY=":$(head -1 "$WORK/display")"
eval "$(dbus-launch --sh-syntax)"
PIDS+=("$DBUS_SESSION_BUS_PID")

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/home/config"
cat >"$WORK/home/config/llproxy.json" <<JSON
{
  "port": $PORT,
  "interval": 15000,
  "endpoints": [
    { "label": "llama.cpp", "hostname": "127.0.0.211", "port_start": 8080, "port_end": 8089, "tags": ["gpu"] },
    { "label": "vLLM", "hostname": "127.0.0.212", "port_start": 8000, "port_end": 8003 },
    { "label": "lab box", "hostname": "127.0.0.213", "port_start": 5000, "port_end": 5001 }
  ]
}
JSON

FRAGMENTEDITOR_HOME="$WORK/home" GDK_BACKEND=x11 build/bin/fragmenteditor >"$WORK/app.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 300); do grep -q "frontend ready" "$WORK/app.log" && break; sleep 0.2; done
WIN=$(xdotool search --onlyvisible --name FragmentEditor | tail -1)
xdotool windowfocus --sync "$WIN"

# A little traffic through the proxy, so the log shows proxied requests.
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$PORT/v1/models" | grep -q Mistral && break; sleep 0.2; done
curl -fsS -N "http://127.0.0.1:$PORT/v1/chat/completions" -H 'Content-Type: application/json' \
  -d '{"model":"Qwen2.5-7B-Instruct-Q4_K_M:gpu","stream":true,"messages":[{"role":"user","content":"Hi"}]}' >/dev/null

xdotool key --delay 80 ctrl+p
sleep 1
# Expand the first model's raw fields (the first row sits at the same place for any model list),
# then move the pointer away; the motion also makes WebKit paint under Xvfb.
xdotool mousemove --window "$WIN" 590 178 click 1
sleep 0.3
xdotool mousemove --window "$WIN" 600 795
sleep 1
import -window "$WIN" "$WORK/shot.png"
# Keep it small: 8-bit palette PNG.
convert "$WORK/shot.png" -strip -colors 256 PNG8:"$OUT"
echo "$OUT: $(stat -c %s "$OUT") bytes"
