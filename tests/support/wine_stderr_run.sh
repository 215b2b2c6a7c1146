#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs a test program under Wine (tools/wine-run.sh) with the unix stderr of its Wine
# processes in a file, and gives the program that file's Windows path in
# RMT_WINE_STDERR. Wine writes the debug channels' output (WINEDEBUG) of every process,
# children included, to that unix stderr, not to a process's Windows stderr handle, so
# this is where a test can read what WINEDEBUG=+rstrtmgr printed. The file is shown
# afterwards. Usage: wine_stderr_run.sh PROGRAM.exe [ARGS...]
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
exe=$1
shift
log=$(mktemp --suffix=.wine-stderr)
export RMT_WINE_STDERR="Z:${log//\//\\}"
rc=0
bash "$root/tools/wine-run.sh" "$exe" "$@" 2>"$log" || rc=$?
echo "--- the unix stderr of the Wine processes ($log):"
cat "$log"
rm -f "$log"
exit "$rc"
