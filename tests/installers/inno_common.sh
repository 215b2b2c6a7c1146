#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared by the Inno Setup acceptance scripts (sourced): failing loudly, compiling a
# setup with the real ISCC, running it silently with Restart Manager on, reading its log.
# The sourcing script sets: iscc (ISCC.exe), work (its work directory), WINEPREFIX.

fail() { echo "FAIL: $*" >&2; exit 1; }

# compile_setup ISS_NAME OUTPUT_BASE -> sets setup_exe
compile_setup() {
    # Once more if the first start fails: twice a clean-clone run lost it at once to
    # "wine client error: recvmsg: Connection reset by peer" (the prefix's server
    # exiting just as the previous test's last process ended), before any rstrtmgr call.
    (cd "$work" && wine "$iscc" /Q "$1") ||
        { sleep 2; (cd "$work" && wine "$iscc" /Q "$1"); } || fail "ISCC could not compile $1"
    setup_exe=$work/out/$2.exe
    [ -f "$setup_exe" ] || fail "ISCC made no $setup_exe"
    echo "compiled $setup_exe"
}

# run_setup OVERRIDE LOG_NAME: the setup with rstrtmgr=OVERRIDE (b: Wine's, n: ours);
# its log is copied to $work/LOG_NAME and shown. Returns the setup's exit code.
run_setup() {
    local rc=0
    rm -f "$WINEPREFIX/drive_c/$2"
    WINEDLLOVERRIDES=rstrtmgr=$1 wine "$setup_exe" /VERYSILENT /SUPPRESSMSGBOXES \
        /CLOSEAPPLICATIONS /RESTARTAPPLICATIONS "/LOG=C:\\$2" || rc=$?
    cp "$WINEPREFIX/drive_c/$2" "$work/$2"
    echo "setup (rstrtmgr=$1) exited with $rc; its log: $work/$2"
    sed 's/^/    | /' "$work/$2"
    return "$rc"
}

log_has() { grep -qF -- "$2" "$work/$1" || fail "$1 lacks the line \"$2\""; }
log_lacks() { ! grep -qF -- "$2" "$work/$1" || fail "$1 has the line \"$2\""; }

# wait_ready OUT_FILE -> prints the pid from the helper's "READY <pid>" line, or nothing
wait_ready() {
    for _ in $(seq 100); do grep -q '^READY' "$1" 2>/dev/null && break; sleep 0.2; done
    sed -n 's/^READY \([0-9]*\).*/\1/p' "$1"
}

# wait_starts LOG N: until the program's own log has N START lines (20 s at most)
wait_starts() {
    for _ in $(seq 100); do [ "$(grep -c '^START' "$1" 2>/dev/null)" -ge "$2" ] && break; sleep 0.2; done
}

# assert_closed_and_restarted LOG NAME: the program (rm_gui_app's log) was asked to close
# politely by the Restart Manager and started again: exactly two START lines.
assert_closed_and_restarted() {
    wait_starts "$1" 2
    echo "$2's own log:"
    sed 's/^/    | /' "$1"
    grep -q '^QUERYENDSESSION' "$1" || fail "$2 never got WM_QUERYENDSESSION"
    [ "$(grep -c '^START' "$1")" -eq 2 ] || fail "$2 was not restarted (one START line)"
}
