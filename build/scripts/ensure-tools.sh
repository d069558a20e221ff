#!/usr/bin/env bash
# ensure-tools.sh: checks the two prerequisites the README names (Go 1.26+,
# Node 20+ with npm) and installs the frontend's npm packages when
# package-lock.json changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/../.."
need() { echo "error: $1" >&2; exit 1; }
command -v go >/dev/null || need "Go 1.26+ is required (https://go.dev/doc/install); it is not on PATH"
command -v node >/dev/null || need "Node.js 20+ with npm is required; it is not on PATH"
node_major=$(node -p 'process.versions.node.split(".")[0]')
(( node_major >= 20 )) || need "Node.js 20+ is required, found $(node --version)"
if [[ ! -f frontend/node_modules/.package-lock.json || frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]]; then
  echo "installing frontend packages (npm ci)"
  (cd frontend && npm ci --no-audit --no-fund)
fi
