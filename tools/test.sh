#!/bin/bash
# The whole test suite, from a bare Debian 12 machine: installs what is missing, builds
# the DLL, helpers and tests for x86_64 and i686, and runs every test under Wine, then
# the portable core's native unit tests (with sanitizers) and a time-bounded fuzz run.
# Usage: tools/test.sh            (RSTRTMGR_FUZZ_SECONDS=N sets each fuzz target's time)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RSTRTMGR_BUILD:-$root/build}
fuzz_seconds=${RSTRTMGR_FUZZ_SECONDS:-30}

bash "$root/tools/setup-deps.sh" >/dev/null
status=0
for arch in x86_64 i686; do
    bash "$root/tools/wine-prefix.sh" "$build/wineprefix-$arch" >/dev/null
done
for arch in x86_64 i686; do
    echo "=== build $arch"
    bash "$root/tools/build.sh" "$arch" "$build" >/dev/null
done
# Both trees first: the cross-architecture tests look for the other tree's helpers.
for arch in x86_64 i686; do
    echo "=== test $arch (under Wine)"
    ctest --test-dir "$build/$arch" --output-on-failure -j1 || status=1
    WINEPREFIX="$build/wineprefix-$arch" wineserver -k 2>/dev/null || true
done

echo "=== native core tests (ASan + UBSan)"
cmake -S "$root" -B "$build/native" -DCMAKE_C_COMPILER=clang -DRSTRTMGR_SANITIZE=ON >/dev/null
cmake --build "$build/native" -j"$(nproc)" >/dev/null
ctest --test-dir "$build/native" --output-on-failure || status=1

echo "=== fuzzing (${fuzz_seconds}s per target)"
bash "$root/tools/fuzz.sh" "$fuzz_seconds" || status=1

if [ "$status" -eq 0 ]; then echo "ALL TESTS PASSED"; else echo "SOME TESTS FAILED"; fi
exit "$status"
