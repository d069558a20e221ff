#!/usr/bin/env bash
# package-fresh.sh BIN VERSION: succeeds when the desktop binary BIN can go
# into a package as it is: it exists, embeds VERSION (-X main.version) and
# is newer than every Go and frontend source, so `make package` after
# `make build` (or `make test`) does not build the app a second time.
set -euo pipefail
bin=${1:?usage: package-fresh.sh BIN VERSION}
version=${2:?usage: package-fresh.sh BIN VERSION}
cd "$(dirname "$0")/../.."
[[ -x "$bin" ]] || exit 1
grep -qaF -- "$version" "$bin" || exit 1
[[ -f frontend/dist/index.html ]] || exit 1
newer=$(find . \( -path ./.git -o -path ./frontend/node_modules -o -path ./build/bin -o -path ./dist \
  -o -path ./.artifacts -o -path ./frontend/dist \) -prune -o \
  \( -name '*.go' -o -name go.mod -o -name go.sum -o -name wails.json -o -name appicon.png \
  -o -path './frontend/src/*' -o -path ./frontend/index.html -o -path ./frontend/package-lock.json \
  -o -path './frontend/public/*' -o -name 'vite.config.*' \) ! -name '*_test.go' ! -name '*.test.*' -newer "$bin" -print -quit)
[[ -z "$newer" ]]
