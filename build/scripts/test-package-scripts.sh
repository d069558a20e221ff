#!/usr/bin/env bash
# test-package-scripts.sh: runs llproxy's maintainer scripts
# (build/linux/llproxy/*.sh) against recording stubs of systemctl, useradd,
# groupadd, userdel, groupdel and getent, with and without a systemd
# marker directory, for the arguments dpkg and rpm pass them, and checks
# which commands they ran. Nothing on the system is touched.
# Prints PASS/FAIL lines, then "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=package-testlib.sh
source build/scripts/package-testlib.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/test-scripts.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/systemd"
for cmd in systemctl useradd groupadd userdel groupdel; do
  printf '#!/bin/sh\necho "%s $*" >>"$CALLS"\n' "$cmd" >"$work/bin/$cmd"
done
# getent answers "exists" when $USER_EXISTS is yes.
printf '#!/bin/sh\n[ "$USER_EXISTS" = yes ]\n' >"$work/bin/getent"
chmod +x "$work/bin"/*

# run SCRIPT SYSTEMD(yes|no) USER_EXISTS(yes|no) ARGS...: the commands run, one per line.
run() {
  local script=$1 systemd=$2 exists=$3
  shift 3
  local marker=$work/no-systemd
  [[ $systemd == yes ]] && marker=$work/systemd
  sed "s|/run/systemd/system|$marker|g" "build/linux/llproxy/$script.sh" >"$work/$script.sh"
  : >"$work/calls"
  if ! CALLS=$work/calls USER_EXISTS=$exists PATH="$work/bin:$PATH" sh "$work/$script.sh" "$@" >/dev/null 2>&1; then
    echo "exit-nonzero"
  fi
  # (never called with "purge": that case runs below, on a copy without rm -rf)
  cat "$work/calls"
}
# expect SCRIPT SYSTEMD EXISTS "ARGS" "CALL; CALL; …"
expect() {
  local script=$1 systemd=$2 exists=$3 args=$4 want=$5 got
  # shellcheck disable=SC2086 # ARGS is a word list
  got=$(run "$script" "$systemd" "$exists" $args | paste -sd';' | sed 's/;/; /g')
  equal "$script $args (systemd $systemd, user exists $exists) runs" "$got" "$want"
}

expect preinstall no no "install" "groupadd --system llproxy; useradd --system --gid llproxy --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --comment LLProxy service llproxy"
expect preinstall no yes "upgrade 0.1.0" ""
expect preinstall no no "1" "groupadd --system llproxy; useradd --system --gid llproxy --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --comment LLProxy service llproxy"
expect postinstall yes yes "configure" "systemctl daemon-reload; systemctl enable --now llproxy.service"
expect postinstall yes yes "configure 0.1.0" "systemctl daemon-reload; systemctl try-restart llproxy.service"
expect postinstall yes yes "1" "systemctl daemon-reload; systemctl enable --now llproxy.service"
expect postinstall yes yes "2" "systemctl daemon-reload; systemctl try-restart llproxy.service"
expect postinstall yes yes "abort-upgrade 0.2.0" ""
expect postinstall no yes "configure" ""
expect postinstall no yes "1" ""
expect preremove yes yes "remove" "systemctl disable --now llproxy.service"
expect preremove yes yes "0" "systemctl disable --now llproxy.service"
expect preremove yes yes "upgrade 0.2.0" ""
expect preremove yes yes "1" ""
expect preremove no yes "remove" ""
expect postremove yes yes "remove" "systemctl daemon-reload; systemctl reset-failed llproxy.service"
expect postremove no yes "remove" ""
expect postremove yes yes "upgrade 0.2.0" ""
expect postremove yes yes "1" ""
expect postremove yes yes "0" "systemctl daemon-reload; systemctl reset-failed llproxy.service"
# purge deletes /etc/llproxy and the user: run on a copy that records the rm.
sed "s|rm -rf /etc/llproxy|echo \"rm /etc/llproxy\" >>\"\$CALLS\"|" build/linux/llproxy/postremove.sh >"$work/postremove.purge"
check "postremove.sh still has the rm -rf /etc/llproxy the purge case rewrites" grep -q 'rm -rf /etc/llproxy' build/linux/llproxy/postremove.sh
got=$(sed "s|/run/systemd/system|$work/no-systemd|g" "$work/postremove.purge" >"$work/p.sh" &&
  : >"$work/calls" && CALLS=$work/calls USER_EXISTS=yes PATH="$work/bin:$PATH" sh "$work/p.sh" purge && paste -sd';' "$work/calls" | sed 's/;/; /g')
equal "postremove purge (no systemd, user exists) runs" "$got" "rm /etc/llproxy; userdel llproxy; groupdel llproxy"

finish test-package-scripts
