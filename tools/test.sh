#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The whole test suite, from a bare Debian 12 machine: installs what is missing, builds
# the DLL, helpers and tests for x86_64 and i686, and runs every test under Wine, then
# the portable core's native unit tests (with sanitizers, then under valgrind) and a
# time-bounded fuzz run, and ends with a summary of the figures the README quotes.
# Usage: tools/test.sh   (RSTRTMGR_FUZZ_SECONDS=N: each fuzz target's time, default 30;
#                         RSTRTMGR_STRESS_SECONDS=N: test_stress's load per arch, default 10)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RSTRTMGR_BUILD:-$root/build}
fuzz_seconds=${RSTRTMGR_FUZZ_SECONDS:-30}
export RSTRTMGR_STRESS_SECONDS=${RSTRTMGR_STRESS_SECONDS:-10}

bash "$root/tools/setup.sh" "$build"
status=0
echo "=== layers (tools/check-layers.sh)"
bash "$root/tools/check-layers.sh" || status=1
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

# The documented statements against Wine's builtin stub (the README's figure): the same
# test_documented, told to load rstrtmgr.dll through the system's search with the builtin
# preferred. Each case runs in a child of its own, bounded, so the stub's aborting
# functions fail a case, not the run; cases marked todo_builtin are expected failures.
builtin_summary() { # arch
    local log="$build/builtin-$1.log" rc=0
    WINEPREFIX="$build/wineprefix-$1" WINEDEBUG=-all WINEDLLOVERRIDES=rstrtmgr=b DISPLAY= \
        timeout 1200 wine "$build/$1/bin/test_documented.exe" --dll rstrtmgr.dll > "$log" 2>&1 || rc=$?
    WINEPREFIX="$build/wineprefix-$1" wineserver -k 2>/dev/null || true
    local line
    line=$(grep -E "^documented: Wine's builtin rstrtmgr.dll: " "$log" | tail -1)
    if [ -z "$line" ] || [ "$rc" -ne 0 ]; then
        echo "$1: Wine's builtin stub: no clean result (exit $rc, see $log)"
        return 1
    fi
    echo "$1: ${line#documented: }"
}
builtin_log="$build/builtin-summary.log"
: > "$builtin_log"
for arch in x86_64 i686; do
    echo "=== documented statements against Wine's builtin rstrtmgr ($arch)"
    builtin_summary "$arch" | tee -a "$builtin_log" || status=1
done

echo "=== native core tests (ASan + UBSan)"
cmake -S "$root" -B "$build/native" -DCMAKE_C_COMPILER=clang -DRSTRTMGR_SANITIZE=ON >/dev/null
cmake --build "$build/native" -j"$(nproc)" >/dev/null
run_ctest native "$build/native" || status=1

# MinGW-w64 has no ASan/UBSan runtime, so the core's memory safety is checked natively:
# above with the sanitizers, here without them under valgrind (any error or leak fails).
echo "=== native core tests under valgrind"
valgrind_log="$build/valgrind-summary.log"
: > "$valgrind_log"
cmake -S "$root" -B "$build/native-valgrind" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build/native-valgrind" -j"$(nproc)" >/dev/null
for exe in $(find "$build/native-valgrind/tests/unit" -maxdepth 1 -type f -name 'test_*' -perm -u+x | sort); do
    name=$(basename "$exe") rc=0
    valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
        "$exe" > "$build/valgrind-$name.log" 2>&1 || rc=$?
    tests=$(sed -nE 's/.*\[ *PASSED *\] ([0-9]+) test.*/\1/p' "$build/valgrind-$name.log" | tail -1)
    if [ "$rc" -eq 0 ]; then
        echo "valgrind $name: ${tests:-0} tests, 0 errors, 0 leaks" | tee -a "$valgrind_log"
    else
        echo "valgrind $name: FAILED (see $build/valgrind-$name.log)" | tee -a "$valgrind_log"
        tail -n 30 "$build/valgrind-$name.log"
        status=1
    fi
done

echo "=== fuzzing (${fuzz_seconds}s per target)"
fuzz_log="$build/fuzz-summary.log"
bash "$root/tools/fuzz.sh" "$fuzz_seconds" | tee "$fuzz_log" || status=1

# The figures the README quotes, from the logs above.
echo "=== summary"
for arch in x86_64 i686; do
    grep -hE '^[0-9]+: (bad-input cases|fault cases|stress: |oom: |hostile: [0-9])' "$build/ctest-$arch.log" |
        sed -E "s/^[0-9]+: /$arch: /" || true
done
cat "$builtin_log"
cat "$valgrind_log"
grep -E '^fuzz ' "$fuzz_log" || true

echo "ctest programs: $total_passed passed, $total_failed failed"
if [ "$status" -eq 0 ]; then echo "ALL TESTS PASSED"; else echo "SOME TESTS FAILED"; fi
exit "$status"
