#!/usr/bin/env bash
# package-icons.sh SRC.png OUTDIR: the hicolor theme icons of the Linux
# packages, OUTDIR/<n>x<n>/apps/fragmenteditor.png for each size, made from
# the app icon with ImageMagick. Sizes already newer than SRC are kept.
set -euo pipefail
src=${1:?usage: package-icons.sh SRC.png OUTDIR}
out=${2:?usage: package-icons.sh SRC.png OUTDIR}
command -v convert >/dev/null || { echo "error: ImageMagick's convert is missing (apt-get install imagemagick)" >&2; exit 1; }
for size in 16 24 32 48 64 128 256 512; do
  dst="$out/${size}x${size}/apps/fragmenteditor.png"
  [[ -f "$dst" && "$dst" -nt "$src" ]] && continue
  mkdir -p "$(dirname "$dst")"
  convert "$src" -background none -resize "${size}x${size}" -strip "PNG32:$dst"
done
