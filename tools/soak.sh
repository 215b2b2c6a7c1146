#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The soak (issue 15; not part of tools/test.sh): test_stress's mix — 16 processes x 4
# sessions x 1,000 files calling RmGetList while file holders come and go — for a long
# time, with a report per window of the calls, handle counts, private bytes and RmGetList
# latency (median / p95 / worst), so that drift shows. Exit 0 if no process grew beyond
# test_stress's tolerance (2 handles, 256 KiB) after the first window and every result was
# documented.
#   tools/soak.sh [x86_64|i686] [TOTAL_MINUTES (30)] [WINDOW_MINUTES (5)] [BUILD_ROOT (build)]
# Builds nothing: run tools/build.sh ARCH BUILD_ROOT first (and tools/setup.sh BUILD_ROOT for
# the prefix).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
arch=${1:-x86_64}
total_minutes=${2:-30}
window_minutes=${3:-5}
build=${4:-$root/build}
exe="$build/$arch/bin/soak.exe"
[ -f "$exe" ] || { echo "soak: $exe not built (tools/build.sh $arch $build)" >&2; exit 2; }
export WINEPREFIX="$build/wineprefix-$arch"
total=$(awk "BEGIN { printf \"%d\", $total_minutes * 60 }")
window=$(awk "BEGIN { printf \"%d\", $window_minutes * 60 }")
echo "soak: $arch, $total_minutes min, a report every $window_minutes min ($(date -u +%FT%TZ))"
status=0
"$root/tools/wine-run.sh" "$exe" "$total" "$window" || status=$?
# Nothing of the soak may outlive it.
WINEPREFIX="$WINEPREFIX" wineserver -w 2>/dev/null || true
exit $status
