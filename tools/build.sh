#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Configures and builds one cross tree: tools/build.sh x86_64|i686 [build-root]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
arch=$1
out=${2:-$root/build}/$arch
cmake -S "$root" -B "$out" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-$arch-w64-mingw32.cmake" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRSTRTMGR_WINEPREFIX="$(dirname "$out")/wineprefix-$arch" >/dev/null
cmake --build "$out" -j"$(nproc)"
# The 32-bit DLL looks for its 64-bit half beside itself (src/win/process/wow64_helper.h): give
# the i686 tree the x86_64 tree's copy when that tree is built.
if [ "$arch" = i686 ]; then
    helper64="$(dirname "$out")/x86_64/bin/rstrtmgr_wow64.exe"
    if [ -f "$helper64" ]; then
        cp -f "$helper64" "$out/bin/rstrtmgr_wow64.exe"
    fi
fi
