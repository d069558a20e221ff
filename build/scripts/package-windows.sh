#!/usr/bin/env bash
# package-windows.sh VERSION OUT.exe: the Windows installer (NSIS), built
# with `wails build -platform windows/amd64 -nsis` (cross-compiled on Linux,
# where Debian's nsis package provides makensis; native on Windows).
#
# Wails takes the installer's and the exe's version from wails.json
# (info.productVersion). So that the repository's wails.json is never
# touched, the build runs in a scratch copy of the source tree whose
# wails.json carries VERSION; Wails' generated files (the .syso,
# installer/wails_tools.nsh, installer/tmp/) stay in that copy too.
# frontend/dist must already be built: the build uses -s.
set -euo pipefail
version=${1:?usage: package-windows.sh VERSION OUT.exe}
out=${2:?usage: package-windows.sh VERSION OUT.exe}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

if [[ ! -f frontend/dist/index.html ]]; then
  echo "error: frontend/dist/index.html is missing; build the frontend first (cd frontend && npm run build)" >&2
  exit 1
fi
if ! command -v makensis >/dev/null; then
  echo "error: makensis is missing (Debian/Ubuntu: apt-get install nsis)" >&2
  exit 1
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/fragmenteditor-windows.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
tar -cf - --exclude=./.git --exclude=./frontend/node_modules --exclude=./build/bin \
  --exclude=./dist --exclude=./.artifacts . | tar -xf - -C "$scratch"

# Put the version into the copy's wails.json, and make sure it took.
sed -E 's/("productVersion"[[:space:]]*:[[:space:]]*)"[^"]*"/\1"'"$version"'"/' wails.json >"$scratch/wails.json"
if ! grep -qF "\"productVersion\": \"$version\"" "$scratch/wails.json"; then
  echo "error: could not set productVersion in the copy of wails.json" >&2
  exit 1
fi

start=$SECONDS
(cd "$scratch" && CGO_ENABLED=0 go tool wails build -m -s -skipbindings -trimpath \
  -platform windows/amd64 -nsis -ldflags "-X main.version=$version")
installer="$scratch/build/bin/FragmentEditor-amd64-installer.exe"
if [[ ! -f "$installer" ]]; then
  echo "error: wails build made no installer ($installer)" >&2
  exit 1
fi
mkdir -p "$(dirname "$out")"
cp "$installer" "$out"
echo "built $out in $((SECONDS - start))s"
# Both the app and its installer: PE32+ with this version in their resource.
go run ./build/scripts/pecheck -version "$version" -product FragmentEditor \
  "$scratch/build/bin/fragmenteditor.exe" "$out"
