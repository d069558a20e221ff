#!/bin/sh
# llproxy preinstall (deb preinst / rpm %pre): the unprivileged system user
# the service runs as, created before the files are unpacked so that
# /etc/llproxy can belong to its group.
set -e
if ! getent group llproxy >/dev/null; then
  groupadd --system llproxy
fi
if ! getent passwd llproxy >/dev/null; then
  useradd --system --gid llproxy --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin --comment "LLProxy service" llproxy
fi
exit 0
