#!/usr/bin/env bash
# version.sh: the version from git describe, valid for dpkg and rpm.
# A tag v1.2.3 gives 1.2.3 (1.2.3+5.gabc1234 past it); no tag gives
# 0.0.0+g<hash>; outside git, 0.0.0+unknown.
set -euo pipefail
cd "$(dirname "$0")/../.."
if desc=$(git describe --tags --match 'v[0-9]*' 2>/dev/null); then
  desc=${desc#v}
  if [[ $desc =~ ^(.*)-([0-9]+)-g([0-9a-f]+)$ ]]; then
    echo "${BASH_REMATCH[1]}+${BASH_REMATCH[2]}.g${BASH_REMATCH[3]}"
  else
    echo "$desc"
  fi
elif hash=$(git rev-parse --short HEAD 2>/dev/null); then
  echo "0.0.0+g$hash"
else
  echo "0.0.0+unknown"
fi
