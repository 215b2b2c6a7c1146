#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The main demo, from a bare Debian 12 machine: sets everything up, builds, and runs the
# seed's primary/secondary installer flow under Wine against a real running program:
#   1. starts "Demo App" (a window application) from C:\rstrtmgr-demo, holding its
#      settings file open;
#   2. runs primary_installer, which starts a session, launches secondary_installer with
#      the key (it joins and registers the settings file), registers DemoApp.exe itself,
#      lists who uses the files, shuts the app down, and restarts it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RSTRTMGR_BUILD:-$root/build}
arch=${RSTRTMGR_DEMO_ARCH:-x86_64}

bash "$root/tools/setup.sh" "$build"
export WINEPREFIX="$build/wineprefix-$arch"
bash "$root/tools/build.sh" "$arch" "$build" >/dev/null
bin="$build/$arch/bin"
run() { "$root/tools/wine-run.sh" "$@"; }

demo_dir="$WINEPREFIX/drive_c/rstrtmgr-demo"
rm -rf "$demo_dir"
mkdir -p "$demo_dir"
cp "$bin/rm_gui_app.exe" "$demo_dir/DemoApp.exe"
echo "demo settings" > "$demo_dir/settings.dat"
log="$demo_dir/demoapp.log"

echo "== starting Demo App (C:\\rstrtmgr-demo\\DemoApp.exe), which holds settings.dat open"
run 'C:\rstrtmgr-demo\DemoApp.exe' --title "Demo App" --hold 'C:\rstrtmgr-demo\settings.dat' \
    --log 'C:\rstrtmgr-demo\demoapp.log' --lifetime-ms 60000 > "$demo_dir/app.out" &
for _ in $(seq 100); do grep -q READY "$demo_dir/app.out" 2>/dev/null && break; sleep 0.2; done
grep -q READY "$demo_dir/app.out" || { echo "Demo App did not start" >&2; exit 1; }

echo "== primary installer"
secondary=$(winepath -w "$bin/secondary_installer.exe" 2>/dev/null)
status=0
run "$bin/primary_installer.exe" --secondary "$secondary" \
    --secondary-file 'C:\rstrtmgr-demo\settings.dat' 'C:\rstrtmgr-demo\DemoApp.exe' || status=$?

sleep 1 # the restarted app's own "READY" line lands here, not inside the log below
echo "== Demo App's own log (one START line per launch)"
sed 's/^/    /' "$log" 2>/dev/null || true
starts=$(grep -c '^START' "$log" 2>/dev/null || true)
echo "== Demo App was started $starts time(s): $([ "$starts" -ge 2 ] && echo "closed and restarted by Restart Manager" || echo "not restarted")"
wineserver -k 2>/dev/null || true
exit "$status"
