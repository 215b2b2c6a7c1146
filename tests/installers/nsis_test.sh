#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Acceptance: a real NSIS installer (Debian's makensis 3.08, Target amd64-unicode) calls
# our exports through NSIS's System plugin (rm_client.nsi) against a running window
# program (rm_gui_app "NSIS App") that holds a file: start, register the file, RmGetList
# (sizing call, then with a buffer: the app's pid and name), RmShutdown, RmRestart,
# RmEndSession. The installer writes each result to a file this script checks.
# Baseline first: with Wine's builtin stub the same installer finds nobody.
# Usage: nsis_test.sh BIN_DIR WORK_DIR, with WINEPREFIX set. BIN_DIR is the x86_64 tree's.
set -euo pipefail
bin=$1 work=$2
src=$(cd "$(dirname "$0")" && pwd)
: "${WINEPREFIX:?set WINEPREFIX}"
export WINEPREFIX WINEDEBUG=-all DISPLAY=
unset WINEDLLOVERRIDES

fail() { echo "FAIL: $*" >&2; exit 1; }
command -v makensis >/dev/null || fail "makensis not installed: run tools/setup.sh"
for f in rstrtmgr.dll rm_gui_app.exe rmtool.exe; do
    [ -f "$bin/$f" ] || fail "$bin/$f not built"
done
# NSIS loads plugin-called DLLs from system32 only, so ours goes there for the run.
dll_slot=$WINEPREFIX/drive_c/windows/system32/rstrtmgr.dll
wine_dll=/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/rstrtmgr.dll # what a new prefix holds
[ -f "$wine_dll" ] || fail "Wine's own 64-bit rstrtmgr.dll not found at $wine_dll"

dir=$WINEPREFIX/drive_c/rstrtmgr-nsis
win_dir='C:\rstrtmgr-nsis'
rmtool() { WINEDLLOVERRIDES=rstrtmgr=n wine "$bin/rmtool.exe" "$@"; }
stop_holders() { # this run's app, a restarted one, or one a killed earlier run left
    rmtool close --force --no-progress "$win_dir\\held.txt" >/dev/null 2>&1 || true
}
stop_holders
rm -rf "$work" "$dir"
mkdir -p "$work" "$dir"
echo "settings" > "$dir/held.txt"

makensis -V2 -DHELD_FILE="$win_dir\\held.txt" -DRESULT_FILE="$win_dir\\result.txt" \
    -DOUT_FILE="$work/rm_client.exe" "$src/rm_client.nsi" || fail "makensis failed"

cleanup() {
    stop_holders
    cp "$wine_dll" "$dll_slot" 2>/dev/null || true
}
trap cleanup EXIT

wine "$bin/rm_gui_app.exe" --title "NSIS App" --hold "$win_dir\\held.txt" \
    --log "$win_dir\\app.log" --lifetime-ms 90000 > "$work/app.out" 2>&1 &
for _ in $(seq 100); do grep -q '^READY' "$work/app.out" 2>/dev/null && break; sleep 0.2; done
app_pid=$(sed -n 's/^READY \([0-9]*\).*/\1/p' "$work/app.out")
[ -n "$app_pid" ] || fail "NSIS App did not start: $(cat "$work/app.out")"

run_client() { # override
    rm -f "$dir/result.txt"
    WINEDLLOVERRIDES=rstrtmgr=$1 wine "$work/rm_client.exe" || fail "the installer exited with $?"
    [ -f "$dir/result.txt" ] || fail "the installer wrote no results"
    cp "$dir/result.txt" "$work/result-$1.txt"
    echo "installer results (rstrtmgr=$1):"
    sed 's/^/    | /' "$dir/result.txt"
}
expect() { # file line-regex
    grep -qE -- "^$2"$'\r'"?\$" "$work/$1" || fail "$1 lacks a line matching '$2'"
}

echo "== baseline: Wine's builtin rstrtmgr"
cp "$wine_dll" "$dll_slot"
run_client b
expect result-b.txt 'getlist_size=0 needed=0'  # the stub finds nobody
grep -q QUERYENDSESSION "$dir/app.log" && fail "the stub closed the app?"

echo "== our rstrtmgr.dll (system32, rstrtmgr=n)"
cp "$bin/rstrtmgr.dll" "$dll_slot"
run_client n
expect result-n.txt 'start=0 handle=[0-9]+ key=[0-9a-f]{32}'
expect result-n.txt 'register=0'
expect result-n.txt 'getlist_size=234 needed=[1-9][0-9]*'
expect result-n.txt "getlist=0 count=[1-9][0-9]* reasons=0 pid=$app_pid name=NSIS App"
expect result-n.txt 'shutdown=0'
expect result-n.txt 'restart=0'
expect result-n.txt 'end=0'

# The app was asked to close and started again, as a new process.
for _ in $(seq 100); do [ "$(grep -c '^START' "$dir/app.log")" -ge 2 ] && break; sleep 0.2; done
echo "NSIS App's own log:"
sed 's/^/    | /' "$dir/app.log"
grep -q '^QUERYENDSESSION' "$dir/app.log" || fail "NSIS App never got WM_QUERYENDSESSION"
[ "$(grep -c '^START' "$dir/app.log")" -eq 2 ] || fail "NSIS App was not restarted"
json=$(rmtool who --json "$win_dir\\held.txt") && fail "nobody holds held.txt after the restart"
new_pid=$(printf '%s' "$json" | sed -n 's/.*{"pid": \([0-9]*\),.*/\1/p' | head -n1)
[ -n "$new_pid" ] && [ "$new_pid" != "$app_pid" ] || fail "not restarted as a new process: $json"
echo "NSIS App was pid $app_pid and runs again as pid $new_pid"
echo "PASS: the NSIS installer drove our rstrtmgr.dll through start, list, shutdown, restart, end"
