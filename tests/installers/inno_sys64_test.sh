#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Acceptance: a real Inno Setup 6.4.1 installer (a 32-bit program) in 64-bit install mode
# (ArchitecturesInstallIn64BitMode=x64compatible) replaces a DLL under {sys} — the native
# System32 — that a RUNNING 64-bit program has loaded. Inno registers the file with Restart
# Manager as C:\Windows\Sysnative\<name>.dll, which only a 32-bit Restart Manager that
# reads Sysnative as the native System32 (or honours a thread's disabled redirection)
# and sees 64-bit processes' modules can match.
#   1. baseline, Wine's builtin stub: setup finds no application, cannot replace the DLL,
#      fails;
#   2. OUR 32-bit DLL in syswow64 and its 64-bit half in system32, as
#      tools/install-into-prefix.sh installs them: setup finds the program, closes it,
#      replaces the DLL, succeeds and restarts the program (a second START in its log, a
#      new pid that has the new DLL loaded).
# Usage: inno_sys64_test.sh BIN32 BIN64 ISCC_EXE WORK_DIR, with WINEPREFIX set (WoW64).
# BIN32: the i686 tree's bin (rstrtmgr.dll, rmtool.exe); BIN64: the x86_64 tree's
# (rm_gui_app.exe, rm_test_payload.dll, rstrtmgr_wow64.exe).
set -euo pipefail
bin32=$1 bin64=$2 iscc=$3 work=$4
: "${WINEPREFIX:?set WINEPREFIX}"
export WINEPREFIX WINEDEBUG=-all DISPLAY=
unset WINEDLLOVERRIDES
. "$(dirname "$0")/inno_common.sh"

[ -f "$iscc" ] || fail "Inno Setup compiler not found at $iscc: run tools/setup.sh"
for f in "$bin32/rstrtmgr.dll" "$bin32/rmtool.exe" "$bin64/rm_gui_app.exe" \
         "$bin64/rm_test_payload.dll" "$bin64/rstrtmgr_wow64.exe"; do
    [ -f "$f" ] || fail "$f not built"
done
windows=$WINEPREFIX/drive_c/windows
[ -d "$windows/syswow64" ] || fail "$WINEPREFIX is not a 64-bit (WoW64) prefix"
app_dir=$WINEPREFIX/drive_c/InnoSys
sys_dll_name=innosys64.dll
sys_dll=$windows/system32/$sys_dll_name              # the native System32
dll_slot=$windows/syswow64/rstrtmgr.dll
helper_slot=$windows/system32/rstrtmgr_wow64.exe
wine_dll=/usr/lib/i386-linux-gnu/wine/i386-windows/rstrtmgr.dll
[ -f "$wine_dll" ] || fail "Wine's own 32-bit rstrtmgr.dll not found at $wine_dll"

# --- the installer: 64-bit mode, one DLL for {sys} -----------------------------------
rm -rf "$work"
mkdir -p "$work/payload"
cp "$bin64/rm_test_payload.dll" "$work/payload/$sys_dll_name"
printf 'INNOSYS-PAYLOAD-V2' >> "$work/payload/$sys_dll_name" # tell the new file apart
cat > "$work/innosys.iss" <<EOF2
[Setup]
AppName=InnoSys
AppVersion=2.0
DefaultDirName=C:\\InnoSys
DisableProgramGroupPage=yes
DisableDirPage=yes
PrivilegesRequired=lowest
Uninstallable=no
OutputDir=out
OutputBaseFilename=innosys-setup
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
CloseApplications=yes
RestartApplications=yes

[Files]
Source: "payload\\$sys_dll_name"; DestDir: "{sys}"; Flags: ignoreversion
EOF2
compile_setup innosys.iss innosys-setup

# --- the running 64-bit program, with the {sys} DLL loaded ------------------------------
app_pid=""
rmtool() { WINEDLLOVERRIDES=rstrtmgr=n wine "$bin32/rmtool.exe" "$@"; }
stop_app() { rmtool close --force --no-progress 'C:\windows\Sysnative\'"$sys_dll_name" >/dev/null 2>&1 || true; }
start_app() { # version 1 of the DLL in System32, the program started from C:\InnoSys
    stop_app
    rm -rf "$app_dir"
    mkdir -p "$app_dir"
    cp "$bin64/rm_gui_app.exe" "$app_dir/InnoSys64.exe"
    cp "$bin64/rm_test_payload.dll" "$sys_dll"
    wine 'C:\InnoSys\InnoSys64.exe' --title InnoSys64 --log 'C:\InnoSys\app.log' \
        --load "C:\\windows\\system32\\$sys_dll_name" --lifetime-ms 90000 > "$work/app.out" 2>&1 &
    app_pid=$(wait_ready "$work/app.out")
    [ -n "$app_pid" ] || fail "InnoSys64 did not start: $(cat "$work/app.out")"
}
cleanup() {
    stop_app
    cp "$wine_dll" "$dll_slot" 2>/dev/null || true
    rm -f "$helper_slot" "$sys_dll"
}
trap cleanup EXIT

# --- 1. baseline: Wine's builtin stub ------------------------------------------------------
echo "== baseline: Wine's builtin rstrtmgr"
cp "$wine_dll" "$dll_slot"
rm -f "$helper_slot"
start_app
rc=0
run_setup b setup-sys64-builtin.log || rc=$?
[ "$rc" -ne 0 ] || fail "setup succeeded with Wine's stub: the baseline no longer shows the problem"
log_has setup-sys64-builtin.log "64-bit install mode: Yes"
log_has setup-sys64-builtin.log "Found 1 files to register with RestartManager."
log_has setup-sys64-builtin.log "RestartManager found no applications using one of our files."
log_has setup-sys64-builtin.log "The existing file appears to be in use"
cmp -s "$bin64/rm_test_payload.dll" "$sys_dll" || fail "baseline: the DLL was replaced although setup failed"
stop_app

# --- 2. our DLL and its 64-bit half -------------------------------------------------------
echo "== our rstrtmgr.dll (syswow64) + rstrtmgr_wow64.exe (system32)"
cp "$bin32/rstrtmgr.dll" "$dll_slot"
cp "$bin64/rstrtmgr_wow64.exe" "$helper_slot"
start_app
first_pid=$app_pid
run_setup n setup-sys64-ours.log || fail "setup failed with our DLL"
log_has setup-sys64-ours.log "64-bit install mode: Yes"
log_has setup-sys64-ours.log "RmGetList finished successfully."
log_has setup-sys64-ours.log "RestartManager found an application using one of our files: InnoSys64"
log_has setup-sys64-ours.log "Shutting down applications using our files."
log_lacks setup-sys64-ours.log "Some applications could not be shut down."
log_lacks setup-sys64-ours.log "appears to be in use"
log_has setup-sys64-ours.log "Installation process succeeded."
log_has setup-sys64-ours.log "Attempting to restart applications."
log_lacks setup-sys64-ours.log "One or more applications could not be restarted."
cmp -s "$work/payload/$sys_dll_name" "$sys_dll" || fail "the {sys} DLL was not replaced"
echo "replaced: C:\\windows\\system32\\$sys_dll_name is the new payload"

assert_closed_and_restarted "$app_dir/app.log" InnoSys64

# The restarted program runs as a new process with the new DLL loaded, seen from 32 bits.
json=$(rmtool who --json 'C:\windows\Sysnative\'"$sys_dll_name") &&
    fail "rmtool who: nobody has the new $sys_dll_name loaded after setup"
new_pid=$(printf '%s' "$json" | sed -n 's/.*{"pid": \([0-9]*\),.*/\1/p' | head -n1)
[ -n "$new_pid" ] || fail "rmtool who listed no pid: $json"
[ "$new_pid" != "$first_pid" ] || fail "InnoSys64 still runs as the original pid $first_pid"
echo "InnoSys64 was pid $first_pid before setup and runs again as pid $new_pid"
echo "PASS: a 64-bit-mode Inno Setup closed, updated ({sys}) and restarted a 64-bit program through our 32-bit rstrtmgr.dll"
