#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Makes every program in a Wine prefix use this project's rstrtmgr.dll: copies the x64
# DLL to system32 and the x86 DLL to syswow64 (a 32-bit-only prefix: the x86 DLL to
# system32), the x86 DLL's 64-bit half rstrtmgr_wow64.exe to system32 (without it a
# 32-bit caller does not see 64-bit processes' loaded modules under Wine), and sets the
# DLL override rstrtmgr=native in the prefix's registry.
# --remove puts Wine's own DLLs back, deletes the 64-bit half and the override.
# Usage: tools/install-into-prefix.sh [--remove] WINEPREFIX
#   RSTRTMGR_BUILD: the build root holding x86_64/ and i686/ (default: build/)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RSTRTMGR_BUILD:-$root/build}
remove=no
if [ "${1:-}" = --remove ]; then remove=yes; shift; fi
[ $# -eq 1 ] || { echo "usage: $0 [--remove] WINEPREFIX" >&2; exit 2; }
prefix=$(realpath -m "$1")
windows=$prefix/drive_c/windows
[ -d "$windows/system32" ] || { echo "$prefix is not a Wine prefix (no drive_c/windows/system32)" >&2; exit 1; }
export WINEPREFIX="$prefix" WINEDEBUG=-all

# arch directory-in-prefix: where each build's DLL goes.
if [ -d "$windows/syswow64" ]; then
    slots=("x86_64 system32" "i686 syswow64")
else
    slots=("i686 system32")
fi

for slot in "${slots[@]}"; do
    read -r arch dir <<<"$slot"
    target=$windows/$dir/rstrtmgr.dll
    if [ "$remove" = yes ]; then
        # Wine's own copy of its builtin DLL, as a new prefix has it.
        triplet=$([ "$arch" = x86_64 ] && echo x86_64-linux-gnu/wine/x86_64-windows || echo i386-linux-gnu/wine/i386-windows)
        cp "/usr/lib/$triplet/rstrtmgr.dll" "$target"
        echo "restored Wine's rstrtmgr.dll in $dir"
    else
        dll=$build/$arch/bin/rstrtmgr.dll
        [ -f "$dll" ] || { echo "$dll missing: run tools/build.sh $arch" >&2; exit 1; }
        cp "$dll" "$target"
        echo "installed $dll -> $target"
    fi
done

if [ -d "$windows/syswow64" ]; then
    helper_target=$windows/system32/rstrtmgr_wow64.exe
    if [ "$remove" = yes ]; then
        rm -f "$helper_target"
        echo "removed rstrtmgr_wow64.exe from system32"
    else
        helper=$build/x86_64/bin/rstrtmgr_wow64.exe
        [ -f "$helper" ] || { echo "$helper missing: run tools/build.sh x86_64" >&2; exit 1; }
        cp "$helper" "$helper_target"
        echo "installed $helper -> $helper_target"
    fi
fi

if [ "$remove" = yes ]; then
    wine reg delete 'HKCU\Software\Wine\DllOverrides' /v rstrtmgr /f >/dev/null 2>&1 || true
    echo "removed the rstrtmgr DLL override"
else
    wine reg add 'HKCU\Software\Wine\DllOverrides' /v rstrtmgr /d native /f >/dev/null
    echo "set HKCU\\Software\\Wine\\DllOverrides rstrtmgr=native"
fi
