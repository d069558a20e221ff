#!/bin/sh
# llproxy preremove (deb prerm / rpm %preun): on removal (not on upgrade)
# stop and disable the service where systemd runs.
set -e
case "$1" in
  remove|0) ;;  # deb remove, rpm erase
  *) exit 0 ;;  # upgrades and deconfigure keep the service as it is
esac
if [ -d /run/systemd/system ]; then
  systemctl disable --now llproxy.service || true
fi
exit 0
