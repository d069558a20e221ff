#!/bin/sh
# llproxy postremove (deb postrm / rpm %postun): forget the removed unit and,
# on a deb purge, the system user and its config folder. (rpm keeps system
# users, as Fedora's packaging rules ask, and saves an edited config as
# config.json.rpmsave.)
set -e
case "$1" in
  remove|purge|0)
    if [ -d /run/systemd/system ]; then
      systemctl daemon-reload || true
      systemctl reset-failed llproxy.service >/dev/null 2>&1 || true
    fi
    ;;
esac
if [ "$1" = purge ]; then
  rm -rf /etc/llproxy
  if getent passwd llproxy >/dev/null; then userdel llproxy || true; fi
  if getent group llproxy >/dev/null; then groupdel llproxy || true; fi
fi
exit 0
