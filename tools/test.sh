#!/bin/bash
# The whole test suite, from a bare Debian 12 machine: installs what is missing, builds
# the DLL, helpers and tests for x86_64 and i686, and runs every test under Wine, then
# the portable core's native unit tests (with sanitizers) and a time-bounded fuzz run.
# Usage: tools/test.sh            (RSTRTMGR_FUZZ_SECONDS=N sets each fuzz target's time)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RSTRTMGR_BUILD:-$root/build}
fuzz_seconds=${RSTRTMGR_FUZZ_SECONDS:-30}

bash "$root/tools/setup.sh" "$build"
status=0
total_passed=0
total_failed=0
for arch in x86_64 i686; do
    echo "=== build $arch"
    bash "$root/tools/build.sh" "$arch" "$build" >/dev/null
done
# Both trees first: the cross-architecture tests look for the other tree's helpers.
# Each test's full output goes to a log; the console gets cmocka's and ctest's closing
# lines, and everything for a failing test.
run_ctest() { # name dir
    local log="$build/ctest-$1.log" rc=0
    ctest --test-dir "$2" -V -j1 > "$log" 2>&1 || rc=$?
    grep -E '^[0-9]+: \[ *(=+|PASSED|FAILED) *\]|tests passed|^\s+[0-9]+ - ' "$log" | sed 's/^[0-9]*: //'
    # "N% tests passed, F tests failed out of T" -> running totals.
    read -r failed total < <(sed -nE 's/.*tests passed, ([0-9]+) tests? failed out of ([0-9]+).*/\1 \2/p' "$log" | tail -1)
    total_failed=$((total_failed + ${failed:-1}))
    total_passed=$((total_passed + ${total:-0} - ${failed:-0}))
    if [ "$rc" -ne 0 ]; then
        echo "--- output of the failing tests ($log):"
        grep -E '^[0-9]+: ' "$log" | grep -E 'ERROR|FAIL|LINE|Timeout|Exception' | head -80
        return 1
    fi
}
for arch in x86_64 i686; do
    echo "=== test $arch (under Wine)"
    run_ctest "$arch" "$build/$arch" || status=1
    WINEPREFIX="$build/wineprefix-$arch" wineserver -k 2>/dev/null || true
done

echo "=== native core tests (ASan + UBSan)"
cmake -S "$root" -B "$build/native" -DCMAKE_C_COMPILER=clang -DRSTRTMGR_SANITIZE=ON >/dev/null
cmake --build "$build/native" -j"$(nproc)" >/dev/null
run_ctest native "$build/native" || status=1

echo "=== fuzzing (${fuzz_seconds}s per target)"
bash "$root/tools/fuzz.sh" "$fuzz_seconds" || status=1

echo "ctest programs: $total_passed passed, $total_failed failed"
if [ "$status" -eq 0 ]; then echo "ALL TESTS PASSED"; else echo "SOME TESTS FAILED"; fi
exit "$status"
