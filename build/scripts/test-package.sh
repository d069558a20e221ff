#!/usr/bin/env bash
# test-package.sh VERSION: checks the packages `make package` put in dist/
# without installing anything: control fields, Depends against what the
# binary links (dpkg-shlibdeps), file lists, the desktop entry
# (desktop-file-validate), icons, the llproxy unit, config and maintainer
# scripts (run against stubs by test-package-scripts.sh); the .rpm files
# when `rpm` is installed; the Windows installer when it was built.
# Prints PASS/FAIL lines, then "N passed, N failed".
set -uo pipefail
version=${1:?usage: test-package.sh VERSION}
cd "$(dirname "$0")/../.."
# nfpm writes a pre-release 1.2.3-rc.1 as 1.2.3~rc.1, which sorts before 1.2.3.
pkg_version=${version/-/\~}
dist=dist
app_deb=$dist/fragmenteditor_${version}_amd64.deb
proxy_deb=$dist/llproxy_${version}_amd64.deb
app_rpm=$dist/fragmenteditor-${version}.x86_64.rpm
proxy_rpm=$dist/llproxy-${version}.x86_64.rpm
installer=$dist/FragmentEditor-${version}-amd64-installer.exe
app_libs=(libgtk-3-0 libwebkit2gtk-4.1-0 libjavascriptcoregtk-4.1-0 libsoup-3.0-0 libglib2.0-0 libgdk-pixbuf-2.0-0 libc6)
icon_sizes=(16 24 32 48 64 128 256 512)

# shellcheck source=package-testlib.sh
source build/scripts/package-testlib.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/test-package.XXXXXX")
trap 'rm -rf "$work"' EXIT

for f in "$app_deb" "$proxy_deb"; do
  if [[ ! -f $f ]]; then
    fail "$f exists (run make package)"
    finish test-package
  fi
done

# Depends lists "name (>= v), name, …": one package name per line.
dep_names() { tr ',' '\n' | sed -E 's/^ *//; s/ .*//; s/:any$//' | sed '/^$/d' | sort -u; }

# ---- fragmenteditor.deb
echo "== $app_deb ($(du -h "$app_deb" | cut -f1))"
equal "fragmenteditor.deb Package" "$(dpkg-deb -f "$app_deb" Package)" fragmenteditor
equal "fragmenteditor.deb Version" "$(dpkg-deb -f "$app_deb" Version)" "$pkg_version"
equal "fragmenteditor.deb Architecture" "$(dpkg-deb -f "$app_deb" Architecture)" amd64
depends=$(dpkg-deb -f "$app_deb" Depends)
have=$(dep_names <<<"$depends")
for lib in "${app_libs[@]}"; do
  check "fragmenteditor.deb Depends has $lib" grep -qx -- "$lib" <<<"$have"
done
listing=$(dpkg-deb -c "$app_deb" | awk '{print $1, $NF}')
check "fragmenteditor.deb has /usr/bin/fragmenteditor (rwxr-xr-x)" grep -qx -- '-rwxr-xr-x ./usr/bin/fragmenteditor' <<<"$listing"
check "fragmenteditor.deb has /usr/share/applications/fragmenteditor.desktop" \
  grep -qx -- '-rw-r--r-- ./usr/share/applications/fragmenteditor.desktop' <<<"$listing"
app_root=$work/app
dpkg-deb -x "$app_deb" "$app_root"
for s in "${icon_sizes[@]}"; do
  icon=$app_root/usr/share/icons/hicolor/${s}x${s}/apps/fragmenteditor.png
  check "fragmenteditor.deb icon ${s}x${s} is a ${s}x${s} PNG" grep -q "PNG image data, $s x $s," <(file -b "$icon")
done
desktop=$app_root/usr/share/applications/fragmenteditor.desktop
check "fragmenteditor.desktop passes desktop-file-validate" desktop-file-validate "$desktop"
for kv in Type=Application Name=FragmentEditor Exec=fragmenteditor Icon=fragmenteditor Terminal=false \
  StartupNotify=true StartupWMClass=fragmenteditor; do
  check "fragmenteditor.desktop $kv" grep -qx -- "$kv" "$desktop"
done
check "fragmenteditor.desktop has Name, GenericName, Comment, Categories" \
  bash -c "grep -q '^GenericName=.' '$desktop' && grep -q '^Comment=.' '$desktop' && grep -q '^Categories=.*;' '$desktop'"
bin=$app_root/usr/bin/fragmenteditor
check "fragmenteditor binary embeds version $version" grep -qaF -- "$version" "$bin"
check "fragmenteditor binary links WebKitGTK 4.1" grep -q 'NEEDED.*libwebkit2gtk-4.1.so.0' <(objdump -p "$bin")
# Every package dpkg-shlibdeps finds for the binary is in Depends (names;
# Ubuntu's 64-bit time_t renames, e.g. libglib2.0-0t64, count as the base).
if command -v dpkg-shlibdeps >/dev/null; then
  mkdir -p "$work/shlibs/debian"
  printf 'Source: fragmenteditor\n\nPackage: fragmenteditor\nArchitecture: amd64\n' >"$work/shlibs/debian/control"
  if shl=$(cd "$work/shlibs" && dpkg-shlibdeps -O "$bin" 2>/dev/null); then
    need=$(sed -n 's/^shlibs:Depends=//p' <<<"$shl" | dep_names | sed 's/t64$//')
    missing=$(comm -23 <(echo "$need") <(echo "$have"))
    if [[ -z "$missing" ]]; then
      pass "fragmenteditor.deb Depends covers dpkg-shlibdeps: $(echo $need)"
    else
      fail "fragmenteditor.deb Depends lacks $(echo $missing) (dpkg-shlibdeps: $shl)"
    fi
  else
    fail "dpkg-shlibdeps ran on the packaged binary"
  fi
else
  fail "dpkg-shlibdeps is installed (apt-get install dpkg-dev)"
fi

# ---- llproxy.deb
echo "== $proxy_deb ($(du -h "$proxy_deb" | cut -f1))"
equal "llproxy.deb Package" "$(dpkg-deb -f "$proxy_deb" Package)" llproxy
equal "llproxy.deb Version" "$(dpkg-deb -f "$proxy_deb" Version)" "$pkg_version"
equal "llproxy.deb Architecture" "$(dpkg-deb -f "$proxy_deb" Architecture)" amd64
listing=$(dpkg-deb -c "$proxy_deb" | awk '{print $1, $2, $NF}')
check "llproxy.deb has /usr/bin/llproxy (rwxr-xr-x)" grep -qx -- '-rwxr-xr-x root/root ./usr/bin/llproxy' <<<"$listing"
check "llproxy.deb has /lib/systemd/system/llproxy.service" grep -qx -- '-rw-r--r-- root/root ./lib/systemd/system/llproxy.service' <<<"$listing"
check "llproxy.deb has /etc/llproxy/config.json (rw-r----- root/llproxy)" \
  grep -qx -- '-rw-r----- root/llproxy ./etc/llproxy/config.json' <<<"$listing"
proxy_root=$work/proxy
dpkg-deb -x "$proxy_deb" "$proxy_root"
dpkg-deb -e "$proxy_deb" "$work/proxy-control"
check "llproxy.deb marks /etc/llproxy/config.json as a conffile" grep -qx /etc/llproxy/config.json "$work/proxy-control/conffiles"
check "llproxy.deb config is the default config (backend/config/default.json)" \
  cmp "$proxy_root/etc/llproxy/config.json" backend/config/default.json
for s in preinst postinst prerm postrm; do
  check "llproxy.deb has an executable $s" test -x "$work/proxy-control/$s"
done
check "llproxy.deb preinst creates the system user llproxy" grep -q 'useradd --system' "$work/proxy-control/preinst"
check "llproxy.deb postinst enables the service only under systemd" \
  bash -c "grep -q 'if \[ -d /run/systemd/system \]' '$work/proxy-control/postinst' && grep -q 'systemctl enable --now llproxy.service' '$work/proxy-control/postinst'"
unit=$proxy_root/lib/systemd/system/llproxy.service
for kv in User=llproxy 'ExecStart=/usr/bin/llproxy --config /etc/llproxy/config.json --data /var/lib/llproxy' \
  StateDirectory=llproxy \
  'ExecReload=/bin/kill -HUP $MAINPID' Restart=on-failure NoNewPrivileges=true ProtectSystem=strict \
  ProtectHome=true PrivateTmp=true WantedBy=multi-user.target; do
  check "llproxy.service $kv" grep -qxF -- "$kv" "$unit"
done
proxy_bin=$proxy_root/usr/bin/llproxy
check "llproxy binary is statically linked (no cgo)" grep -q 'statically linked' <(file -b "$proxy_bin")
check "llproxy --help exits 0 and documents --config" grep -q -- '--config' <("$proxy_bin" --help 2>&1)
check "llproxy --version prints $version" grep -qF -- "$version" <("$proxy_bin" --version 2>&1)
for sh in build/linux/llproxy/*.sh; do
  check "$(basename "$sh") is valid POSIX sh" sh -n "$sh"
done
# What the maintainer scripts run for each dpkg/rpm argument, with stubs.
relay "test-package-scripts.sh ran" < <(build/scripts/test-package-scripts.sh 2>&1 | grep -v '^test-package-scripts:')

# ---- .rpm files (metadata only; needs the rpm tool)
if command -v rpm >/dev/null; then
  for f in "$app_rpm" "$proxy_rpm"; do
    [[ -f $f ]] || { fail "$f exists"; continue; }
    echo "== $f ($(du -h "$f" | cut -f1))"
    name=$(basename "$f" | sed 's/-[0-9].*//')
    equal "$name.rpm name" "$(rpm -qp --qf '%{NAME}' "$f" 2>/dev/null)" "$name"
    equal "$name.rpm arch" "$(rpm -qp --qf '%{ARCH}' "$f" 2>/dev/null)" x86_64
    equal "$name.rpm version" "$(rpm -qp --qf '%{VERSION}' "$f" 2>/dev/null)" "$pkg_version"
  done
  reqs=$(rpm -qpR "$app_rpm" 2>/dev/null)
  for r in gtk3 webkit2gtk4.1 libsoup3; do
    check "fragmenteditor.rpm requires $r" grep -qx -- "$r" <<<"$reqs"
  done
  check "fragmenteditor.rpm has /usr/bin/fragmenteditor" grep -qx /usr/bin/fragmenteditor <(rpm -qpl "$app_rpm" 2>/dev/null)
  check "llproxy.rpm has /usr/lib/systemd/system/llproxy.service" grep -qx /usr/lib/systemd/system/llproxy.service <(rpm -qpl "$proxy_rpm" 2>/dev/null)
  check "llproxy.rpm marks /etc/llproxy/config.json as config" grep -qx /etc/llproxy/config.json <(rpm -qpc "$proxy_rpm" 2>/dev/null)
  check "llproxy.rpm has the systemd-guarded scriptlets" grep -q 'systemctl enable --now' <(rpm -qp --scripts "$proxy_rpm" 2>/dev/null)
else
  echo "SKIP .rpm checks: rpm is not installed"
fi

# ---- Windows installer (built by make package)
if [[ -f $installer ]]; then
  echo "== $installer ($(du -h "$installer" | cut -f1))"
  relay "pecheck ran on $installer" < <(go run ./build/scripts/pecheck -version "$version" -product FragmentEditor "$installer" 2>&1)
else
  echo "SKIP Windows installer: $installer not built (make package builds it)"
fi

finish test-package
