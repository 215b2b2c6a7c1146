#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Acceptance: a real Inno Setup 6.4.1 installer (32-bit) updates a RUNNING program.
# The program (a copy of rm_gui_app named InnoApp.exe, started from C:\InnoApp with --log)
# holds nothing but its own image; the setup replaces InnoApp.exe and data.txt with
# CloseApplications=yes / RestartApplications=yes, /CLOSEAPPLICATIONS /RESTARTAPPLICATIONS.
#   1. baseline, Wine's builtin stub (rstrtmgr=b, Wine's own DLL in syswow64): setup finds
#      no application, cannot replace the exe and fails;
#   2. OUR DLL in syswow64 (rstrtmgr=n): setup finds the application, closes it, replaces
#      the files and restarts it (a second START in the program's log, a new pid found by
#      rmtool who).
# Usage: inno_test.sh BIN_DIR ISCC_EXE WORK_DIR, with WINEPREFIX set (a WoW64 prefix).
# BIN_DIR is the i686 tree's bin (rstrtmgr.dll, rm_gui_app.exe, rmtool.exe).
set -euo pipefail
bin=$1 iscc=$2 work=$3
: "${WINEPREFIX:?set WINEPREFIX}"
export WINEPREFIX WINEDEBUG=-all DISPLAY=
unset WINEDLLOVERRIDES
. "$(dirname "$0")/inno_common.sh"
[ -f "$iscc" ] || fail "Inno Setup compiler not found at $iscc: run tools/setup.sh"
for f in rstrtmgr.dll rm_gui_app.exe rmtool.exe; do
    [ -f "$bin/$f" ] || fail "$bin/$f not built"
done

app_dir=$WINEPREFIX/drive_c/InnoApp
dll_slot=$WINEPREFIX/drive_c/windows/syswow64/rstrtmgr.dll
wine_dll=/usr/lib/i386-linux-gnu/wine/i386-windows/rstrtmgr.dll # what a new prefix holds
[ -f "$wine_dll" ] || fail "Wine's own 32-bit rstrtmgr.dll not found at $wine_dll"

# --- the installer ---------------------------------------------------------------------
rm -rf "$work"
mkdir -p "$work/payload"
cp "$bin/rm_gui_app.exe" "$work/payload/InnoApp.exe"
# Bytes after the image (ignored by the loader) make the new exe tell-apart-able.
printf 'INNOAPP-PAYLOAD-V2' >> "$work/payload/InnoApp.exe"
echo "payload v2" > "$work/payload/data.txt"
cat > "$work/innoapp.iss" <<'EOF'
[Setup]
AppName=InnoApp
AppVersion=2.0
; {autopf} fails under Wine
DefaultDirName=C:\InnoApp
DisableProgramGroupPage=yes
DisableDirPage=yes
PrivilegesRequired=lowest
Uninstallable=no
OutputDir=out
OutputBaseFilename=innoapp-setup
CloseApplications=yes
RestartApplications=yes

[Files]
Source: "payload\InnoApp.exe"; DestDir: "{app}"; Flags: ignoreversion
Source: "payload\data.txt"; DestDir: "{app}"; Flags: ignoreversion
EOF
compile_setup innoapp.iss innoapp-setup

# --- the running program -----------------------------------------------------------------
app_pid=""
start_app() { # installs version 1 and starts it from C:\InnoApp
    stop_app
    rm -rf "$app_dir"
    mkdir -p "$app_dir"
    cp "$bin/rm_gui_app.exe" "$app_dir/InnoApp.exe"
    echo "payload v1" > "$app_dir/data.txt"
    wine 'C:\InnoApp\InnoApp.exe' --title InnoApp --log 'C:\InnoApp\app.log' \
        --lifetime-ms 90000 > "$work/app.out" 2>&1 &
    app_pid=$(wait_ready "$work/app.out")
    [ -n "$app_pid" ] || fail "InnoApp did not start: $(cat "$work/app.out")"
}
rmtool() { WINEDLLOVERRIDES=rstrtmgr=n wine "$bin/rmtool.exe" "$@"; }
stop_app() { # whatever instance runs now (ours or a restarted one)
    rmtool close --force --no-progress 'C:\InnoApp\InnoApp.exe' >/dev/null 2>&1 || true
}
cleanup() {
    stop_app
    cp "$wine_dll" "$dll_slot" 2>/dev/null || true
}
trap cleanup EXIT


# --- 1. baseline: Wine's builtin stub ------------------------------------------------------
echo "== baseline: Wine's builtin rstrtmgr"
cp "$wine_dll" "$dll_slot"
start_app
rc=0
run_setup b setup-builtin.log || rc=$?
[ "$rc" -ne 0 ] || fail "setup succeeded with Wine's stub: the baseline no longer shows the problem"
log_has setup-builtin.log "Found 1 files to register with RestartManager."
log_has setup-builtin.log "RestartManager found no applications using one of our files."
log_has setup-builtin.log "The existing file appears to be in use"
grep -q 'payload v1' "$app_dir/data.txt" || fail "baseline: data.txt was replaced although setup failed"
stop_app

# --- 2. our DLL ---------------------------------------------------------------------------
echo "== our rstrtmgr.dll (syswow64, rstrtmgr=n)"
cp "$bin/rstrtmgr.dll" "$dll_slot"
start_app
first_pid=$app_pid
run_setup n setup-ours.log || fail "setup failed with our DLL"
log_has setup-ours.log "Setup version: Inno Setup version 6.4.1"
log_has setup-ours.log "Found 1 files to register with RestartManager."
log_has setup-ours.log "RmGetList finished successfully."
log_has setup-ours.log "RestartManager found an application using one of our files: InnoApp"
log_has setup-ours.log "Can use RestartManager to avoid reboot? Yes (0)"
log_has setup-ours.log "Shutting down applications using our files."
log_lacks setup-ours.log "Some applications could not be shut down."
log_lacks setup-ours.log "appears to be in use"
log_has setup-ours.log "Installation process succeeded."
log_has setup-ours.log "Attempting to restart applications."
log_lacks setup-ours.log "One or more applications could not be restarted."
log_lacks setup-ours.log "RmRestart returned an error"

grep -q 'payload v2' "$app_dir/data.txt" || fail "data.txt was not replaced"
cmp -s "$work/payload/InnoApp.exe" "$app_dir/InnoApp.exe" || fail "InnoApp.exe was not replaced"
echo "files replaced: data.txt says '$(cat "$app_dir/data.txt")', InnoApp.exe is the new payload"

# Closed politely (the Restart Manager's messages reached it), then started again.
assert_closed_and_restarted "$app_dir/app.log" InnoApp

# The restarted InnoApp runs now, as a new process, from the new exe.
json=$(rmtool who --json 'C:\InnoApp\InnoApp.exe') && fail "rmtool who: nobody runs InnoApp.exe after setup"
new_pid=$(printf '%s' "$json" | sed -n 's/.*{"pid": \([0-9]*\),.*/\1/p' | head -n1)
[ -n "$new_pid" ] || fail "rmtool who listed no pid: $json"
[ "$new_pid" != "$first_pid" ] || fail "InnoApp still runs as the original pid $first_pid"
echo "InnoApp was pid $first_pid before setup and runs again as pid $new_pid"
echo "PASS: Inno Setup closed, updated and restarted InnoApp through our rstrtmgr.dll"
