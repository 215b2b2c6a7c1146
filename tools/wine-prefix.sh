#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Creates (once) a headless WoW64 Wine prefix at $1 and waits until it has settled.
set -euo pipefail
prefix=$(realpath -m "$1")
export WINEPREFIX="$prefix" WINEDEBUG=-all DISPLAY=
if [ ! -f "$prefix/.rstrtmgr-ready" ]; then
    rm -rf "$prefix"
    mkdir -p "$prefix"
    wineboot -i >/dev/null 2>&1
    wine reg add 'HKCU\Software\Wine\Drivers' /v Graphics /d null /f >/dev/null 2>&1
    # A crashing test must end, not wait in a crash dialog.
    wine reg add 'HKCU\Software\Wine\WineDbg' /v ShowCrashDialog /t REG_DWORD /d 0 /f >/dev/null 2>&1
    wineserver -w
    wineboot >/dev/null 2>&1
    wineserver -w
    [ -d "$prefix/drive_c/windows/syswow64" ] || { echo "prefix $prefix is not WoW64" >&2; exit 1; }
    touch "$prefix/.rstrtmgr-ready"
fi
echo "$prefix"
