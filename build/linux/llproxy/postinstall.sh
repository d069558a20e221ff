#!/bin/sh
# llproxy postinstall (deb postinst / rpm %post). Where systemd runs, a first
# install enables and starts llproxy.service and an upgrade restarts it if it
# was running (a service the admin disabled stays disabled). Without systemd
# (containers, chroots) it touches nothing.
set -e
fresh=no
case "$1" in
  configure) [ -z "${2:-}" ] && fresh=yes ;; # deb: $2 is the old version on upgrade
  1) fresh=yes ;;                            # rpm: 1 = install, 2 = upgrade
  2) ;;
  *) exit 0 ;;                               # deb abort-* and friends
esac
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload || true
  if [ "$fresh" = yes ]; then
    systemctl enable --now llproxy.service || true
  else
    systemctl try-restart llproxy.service || true
  fi
fi
exit 0
