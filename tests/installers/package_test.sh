#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The installed package works for a MinGW consumer: `cmake --install` of the build tree
# into a temporary prefix lays out the documented files, and a small project
# (consumer/) configured with find_package(rstrtmgr) against that prefix builds, links
# through rstrtmgr::rstrtmgr, and runs under Wine with the installed DLL.
# Usage: package_test.sh BUILD_DIR TOOLCHAIN_FILE WORK_DIR, with WINEPREFIX set.
set -euo pipefail
build=$1 toolchain=$2 work=$3
src=$(cd "$(dirname "$0")" && pwd)
: "${WINEPREFIX:?set WINEPREFIX}"
export WINEPREFIX WINEDEBUG=-all DISPLAY=
fail() { echo "FAIL: $*" >&2; exit 1; }

prefix=$work/prefix
rm -rf "$work"
cmake --install "$build" --prefix "$prefix" >/dev/null || fail "cmake --install failed"
for f in bin/rstrtmgr.dll bin/rmtool.exe lib/librstrtmgr.dll.a lib/rstrtmgr.def \
         include/rstrtmgr/rstrtmgr_ext.h lib/cmake/rstrtmgr/rstrtmgrConfig.cmake \
         lib/cmake/rstrtmgr/rstrtmgrConfigVersion.cmake lib/cmake/rstrtmgr/rstrtmgrTargets.cmake; do
    [ -f "$prefix/$f" ] || fail "the installed tree lacks $f"
done
echo "installed layout:"
(cd "$prefix" && find . -type f | sort | sed 's/^\./    /')

cmake -S "$src/consumer" -B "$work/consumer" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null ||
    fail "find_package(rstrtmgr) against $prefix failed"
cmake --build "$work/consumer" >/dev/null || fail "the consumer did not build"
consumer=$work/consumer/consumer.exe
[ -f "$consumer" ] || fail "no $consumer"
cp "$prefix/bin/rstrtmgr.dll" "$(dirname "$consumer")/"
out=$(WINEDLLOVERRIDES=rstrtmgr=n wine "$consumer") || fail "the consumer failed: $out"
echo "consumer: $out"
echo "PASS: find_package(rstrtmgr) consumer built and ran against the installed package"
