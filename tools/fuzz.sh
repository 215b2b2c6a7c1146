#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds the libFuzzer targets of the portable core natively with clang (build/fuzz,
# -DRSTRTMGR_FUZZ=ON) and runs every fuzz_* executable found there for $1 seconds each
# (default 60).  Each target fuzzes build/fuzz/corpus/<target>, seeded from
# tests/fuzz/corpus/<target>/; crash inputs go to build/fuzz/artifacts/<target>/.
# Prints "fuzz <target>: <N> execs, <M> crashes" per target; exits 1 if any target
# crashed (or failed to run).  Extra libFuzzer flags can be given in $FUZZ_ARGS.
set -euo pipefail

secs="${1:-60}"
case "$secs" in '' | *[!0-9]*) echo "usage: $0 [seconds per target]" >&2; exit 2 ;; esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bdir="${RSTRTMGR_BUILD:-$root/build}/fuzz"

# A tree configured with another compiler cannot be switched in place.
if [ -f "$bdir/CMakeCache.txt" ] && ! grep -q '^CMAKE_C_COMPILER:.*clang' "$bdir/CMakeCache.txt"; then
    rm -rf "$bdir/CMakeCache.txt" "$bdir/CMakeFiles"
fi
CC=clang cmake -S "$root" -B "$bdir" -DRSTRTMGR_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$bdir" -j"$(nproc)" >/dev/null

mapfile -t targets < <(find "$bdir" \( -path "$bdir/corpus" -o -path "$bdir/artifacts" -o -name CMakeFiles \) -prune \
    -o -type f -name 'fuzz_*' -perm -u+x -print | sort)
if [ "${#targets[@]}" -eq 0 ]; then
    echo "fuzz: no fuzz_* executable in $bdir" >&2
    exit 1
fi

failed=0
for exe in "${targets[@]}"; do
    name="$(basename "$exe")"
    corpus="$bdir/corpus/$name"
    artifacts="$bdir/artifacts/$name"
    log="$bdir/$name.log"
    mkdir -p "$corpus"
    rm -rf "$artifacts" && mkdir -p "$artifacts"
    if [ -d "$root/tests/fuzz/corpus/$name" ]; then
        cp -n "$root/tests/fuzz/corpus/$name"/* "$corpus"/ 2>/dev/null || true
    fi

    rc=0
    # shellcheck disable=SC2086
    "$exe" -max_total_time="$secs" -print_final_stats=1 -timeout=25 \
        -artifact_prefix="$artifacts/" ${FUZZ_ARGS:-} "$corpus" >"$log" 2>&1 || rc=$?

    execs="$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n1)"
    crashes="$(find "$artifacts" -type f | wc -l)"
    if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then
        crashes=1 # died without leaving an artifact
    fi
    echo "fuzz $name: ${execs:-0} execs, $crashes crashes"
    if [ "$crashes" -ne 0 ]; then
        failed=1
        echo "--- $log (tail) ---" >&2
        tail -n 40 "$log" >&2
        find "$artifacts" -type f -exec echo "reproduce: $exe {}" \; >&2
    fi
done
exit "$failed"
