#!/usr/bin/env bash
# test-package-install.sh VERSION: installs dist/fragmenteditor_VERSION_amd64.deb
# and dist/llproxy_VERSION_amd64.deb with apt-get, checks the installed
# system (the llproxy user and config, the service where systemd runs,
# llproxy serving as its user, the app's window under Xvfb with its own
# FRAGMENTEDITOR_HOME, its WM_CLASS against the desktop entry, its proxy
# port), then removes both with --purge and checks nothing is left.
# It changes the system: `make test-install` runs it on request, `make
# test-package` only in CI (CI=true, as root). Prints PASS/FAIL lines, then
# "N passed, N failed".
set -uo pipefail

# Inside xvfb-run: start the installed app and check its window.
if [[ ${1:-} == --in-xvfb ]]; then
  home=$2 port=$3 wmclass=$4
  FRAGMENTEDITOR_HOME=$home /usr/bin/fragmenteditor >"$home/app.log" 2>&1 &
  pid=$!
  win=
  for _ in $(seq 600); do # up to 60 s
    win=$(xdotool search --onlyvisible --name '^FragmentEditor' 2>/dev/null | head -1)
    [[ -n $win ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -n $win ]]; then
    echo "PASS /usr/bin/fragmenteditor shows a window titled '$(xdotool getwindowname "$win")'"
    class=$(xprop -id "$win" WM_CLASS)
    if grep -qF "\"$wmclass\"" <<<"$class"; then
      echo "PASS window WM_CLASS matches the desktop entry's StartupWMClass=$wmclass ($class)"
    else
      echo "FAIL window $class does not match StartupWMClass=$wmclass"
    fi
  else
    echo "FAIL /usr/bin/fragmenteditor shows a window within 60 s (log: $(tail -5 "$home/app.log" | tr '\n' ' '))"
  fi
  served=no
  for _ in $(seq 300); do # up to 30 s
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then served=yes; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [[ $served == yes ]]; then
    echo "PASS the installed app serves its proxy on 127.0.0.1:$port (from \$FRAGMENTEDITOR_HOME/config/llproxy.json)"
  else
    echo "FAIL the installed app serves its proxy on 127.0.0.1:$port"
  fi
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
    echo "FAIL the app stops within 20 s of SIGTERM"
  else
    echo "PASS the app stops on SIGTERM"
  fi
  wait "$pid" 2>/dev/null
  exit 0
fi

version=${1:?usage: test-package-install.sh VERSION}
cd "$(dirname "$0")/../.."
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then
    exec sudo --preserve-env=PATH,CI "$0" "$@"
  fi
  echo "error: installing packages needs root; run as root: $0 $version" >&2
  exit 1
fi
# shellcheck source=package-testlib.sh
source build/scripts/package-testlib.sh
pkg_version=${version/-/\~} # nfpm writes a pre-release 1.2.3-rc.1 as 1.2.3~rc.1
app_deb=dist/fragmenteditor_${version}_amd64.deb
proxy_deb=dist/llproxy_${version}_amd64.deb
for f in "$app_deb" "$proxy_deb"; do
  [[ -f $f ]] || { fail "$f exists (run make package)"; finish test-install; }
done
build/scripts/ensure-apt.sh xvfb xauth xdotool x11-utils || { fail "install the Xvfb tools"; finish test-install; }
export DEBIAN_FRONTEND=noninteractive

installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]; }
purge() { apt-get remove -y -qq --purge fragmenteditor llproxy >/dev/null 2>&1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/test-install.XXXXXX")
chmod 755 "$work"
cleanup() {
  [[ -n ${proxy_pid:-} ]] && kill "$proxy_pid" 2>/dev/null
  if installed fragmenteditor || installed llproxy; then purge; fi
  rm -rf "$work"
}
trap cleanup EXIT

# free_port: a TCP port nobody listens on at 127.0.0.1 right now.
free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  return 1
}
# http_status PORT PATH: the status line of a GET.
http_status() {
  timeout 10 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" "$2" >&3 && head -1 <&3' _ "$1" "$2" | tr -d '\r'
}
# proxy_config PORT: a config that scans nothing real.
proxy_config() {
  printf '{"port": %d, "interval": 1000, "endpoints": [{"hostname": "127.0.0.250", "port_start": 9000, "port_end": 9001}]}\n' "$1"
}

# ---- install
echo "== apt-get install ./$app_deb ./$proxy_deb"
if apt-get install -y -qq --no-install-recommends "./$app_deb" "./$proxy_deb"; then
  pass "apt-get install of both packages"
else
  fail "apt-get install of both packages"
  finish test-install
fi
equal "dpkg status of fragmenteditor" "$(dpkg-query -W -f='${Status} ${Version}' fragmenteditor)" "install ok installed $pkg_version"
equal "dpkg status of llproxy" "$(dpkg-query -W -f='${Status} ${Version}' llproxy)" "install ok installed $pkg_version"
check "/usr/bin/fragmenteditor is installed" test -x /usr/bin/fragmenteditor
check "the desktop entry is installed and valid" desktop-file-validate /usr/share/applications/fragmenteditor.desktop
check "the 8 hicolor icons are installed" test "$(ls /usr/share/icons/hicolor/*/apps/fragmenteditor.png | wc -l)" -eq 8

# ---- llproxy: user, config, service
IFS=: read -r _ _ uid _ _ _ shell < <(getent passwd llproxy)
check "system user llproxy exists (uid ${uid:-none} < 1000, shell ${shell:-none})" \
  test -n "${uid:-}" -a "${uid:-1000}" -lt 1000 -a "${shell:-}" = /usr/sbin/nologin
equal "/etc/llproxy mode and owner" "$(stat -c '%a %U %G' /etc/llproxy)" "750 root llproxy"
equal "/etc/llproxy/config.json mode and owner" "$(stat -c '%a %U %G' /etc/llproxy/config.json)" "640 root llproxy"
check "user llproxy can read /etc/llproxy/config.json" runuser -u llproxy -- test -r /etc/llproxy/config.json
check "other users cannot read /etc/llproxy/config.json" runuser -u nobody -- sh -c '! cat /etc/llproxy/config.json'
if [[ -d /run/systemd/system ]]; then
  equal "systemctl is-enabled llproxy" "$(systemctl is-enabled llproxy 2>&1)" enabled
  state=
  for _ in $(seq 100); do
    state=$(systemctl is-active llproxy 2>&1)
    [[ $state == active ]] && break
    sleep 0.1
  done
  equal "systemctl is-active llproxy" "$state" active
else
  check "without systemd running, postinst left llproxy.service disabled" \
    test ! -e /etc/systemd/system/multi-user.target.wants/llproxy.service
fi
if command -v systemd-analyze >/dev/null; then
  check "systemd-analyze verify llproxy.service" systemd-analyze verify /lib/systemd/system/llproxy.service
fi
check "llproxy --help exits 0" /usr/bin/llproxy --help
check "llproxy --version prints $version" grep -qF -- "$version" <(/usr/bin/llproxy --version 2>&1)

port=$(free_port)
proxy_config "$port" >"$work/llproxy.json"
chmod 644 "$work/llproxy.json"
runuser -u llproxy -- /usr/bin/llproxy --config "$work/llproxy.json" >"$work/llproxy.log" 2>&1 &
proxy_pid=$!
status=
for _ in $(seq 300); do # up to 30 s
  status=$(http_status "$port" /v1/models 2>/dev/null)
  [[ -n $status ]] && break
  kill -0 "$proxy_pid" 2>/dev/null || break
  sleep 0.1
done
check "llproxy running as user llproxy answers GET /v1/models with 200 ($status)" grep -q '^HTTP/1\.[01] 200' <<<"$status"
kill "$proxy_pid" 2>/dev/null
wait "$proxy_pid" 2>/dev/null
proxy_pid=

# ---- the app under Xvfb, with its own FRAGMENTEDITOR_HOME
home=$work/home
mkdir -p "$home/config"
app_port=$(free_port)
proxy_config "$app_port" >"$home/config/llproxy.json"
wmclass=$(sed -n 's/^StartupWMClass=//p' /usr/share/applications/fragmenteditor.desktop)
# dbus-run-session: the app gets a session bus that ends with the check (without one, GLib
# autolaunches a bus that outlives the test and leaves its socket in /tmp).
relay "the Xvfb check ran" < <(timeout 180 xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$0" --in-xvfb "$home" "$app_port" "$wmclass" 2>&1)

# ---- purge
echo "== apt-get remove --purge fragmenteditor llproxy"
if apt-get remove -y -qq --purge fragmenteditor llproxy; then
  pass "apt-get remove --purge of both packages"
else
  fail "apt-get remove --purge of both packages"
fi
check "fragmenteditor is no longer installed" bash -c '! dpkg-query -W -f="\${Status}" fragmenteditor 2>/dev/null | grep -q "ok installed"'
check "llproxy is no longer installed" bash -c '! dpkg-query -W -f="\${Status}" llproxy 2>/dev/null | grep -q "ok installed"'
for path in /usr/bin/fragmenteditor /usr/share/applications/fragmenteditor.desktop \
  /usr/share/icons/hicolor/48x48/apps/fragmenteditor.png /usr/bin/llproxy \
  /lib/systemd/system/llproxy.service /etc/llproxy; do
  check "$path is gone" test ! -e "$path"
done
check "no fragmenteditor icon is left" bash -c '! ls /usr/share/icons/hicolor/*/apps/fragmenteditor.png'
check "the llproxy user and group are gone" bash -c '! getent passwd llproxy && ! getent group llproxy'

finish test-install
