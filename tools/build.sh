#!/bin/bash
# Configures and builds one cross tree: tools/build.sh x86_64|i686 [build-root]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
arch=$1
out=${2:-$root/build}/$arch
cmake -S "$root" -B "$out" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-$arch-w64-mingw32.cmake" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRSTRTMGR_WINEPREFIX="$(dirname "$out")/wineprefix-$arch" >/dev/null
cmake --build "$out" -j"$(nproc)"
