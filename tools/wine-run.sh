#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs a Windows program under Wine the way the tests need it: quiet, headless, in the
# project's prefix, with OUR rstrtmgr.dll (found beside the program) preferred to Wine's
# builtin stub. Usage: wine-run.sh PROGRAM.exe [ARGS...]
set -e
: "${WINEPREFIX:?set WINEPREFIX to a prefix made by tools/wine-prefix.sh}"
export WINEPREFIX
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="rstrtmgr=n${WINEDLLOVERRIDES:+;$WINEDLLOVERRIDES}"
export DISPLAY=
exec wine "$@"
