// SPDX-License-Identifier: LGPL-2.1-or-later
/* Time bounds (docs/behaviour.md B-TIME-*). The system's settings, read at each call:
 *   message timeout  HKCU\Control Panel\Desktop\HungAppTimeout (SPI_GETHUNGAPPTIMEOUT;
 *                    5 s): a window that has not answered a shutdown message by then is
 *                    not responding;
 *   app timeout      6 x HungAppTimeout (30 s by default, the RM_SHUTDOWN_TYPE page's
 *                    figure): from the first message to RmForceShutdown's termination;
 *   service timeout  HKLM\System\CurrentControlSet\Control\WaitToKillServiceTimeout
 *                    (SPI_GETWAITTOKILLSERVICETIMEOUT; 20 s): a service's stop or start.
 * The RSTRTMGR_*_MS environment variables of the calling process override them (tests;
 * README "Configuration"). */
#ifndef RM_WIN_TUNABLES_H
#define RM_WIN_TUNABLES_H

#include <windows.h>

typedef enum rm_tunable {
    RM_TUNABLE_LOCK_TIMEOUT,      /* RSTRTMGR_LOCK_TIMEOUT_MS: session-table mutex wait */
    RM_TUNABLE_APP_TIMEOUT,       /* RSTRTMGR_APP_TIMEOUT_MS: an application's grace period
                                     to close before RmForceShutdown terminates it */
    RM_TUNABLE_SERVICE_TIMEOUT,   /* RSTRTMGR_SERVICE_TIMEOUT_MS: a service's stop or start */
    RM_TUNABLE_MESSAGE_TIMEOUT,   /* RSTRTMGR_MESSAGE_TIMEOUT_MS: one shutdown message's
                                     answer; no answer in time = not responding */
    RM_TUNABLE_WOW64_HELPER_TIMEOUT, /* RSTRTMGR_WOW64_HELPER_TIMEOUT_MS: the 64-bit half's
                                        answer to a 32-bit DLL (wow64_helper.h) */
    RM_TUNABLE_COUNT
} rm_tunable;

DWORD rm_tunable_ms(rm_tunable which);

/* Switches, read from the calling process's environment at each use:
 * RSTRTMGR_WOW64_HELPER=off — the 32-bit DLL does without its 64-bit half (B-WOW64-6). */
BOOL rm_tunable_wow64_helper_off(void);
/* Whether the 32-bit DLL may find 64-bit PEBs through their threads' TEBs (remote_memory.h,
 * B-WOW64-7): not with RSTRTMGR_WOW64_TEBS=off (the 64-bit half is asked instead), nor with
 * RSTRTMGR_WOW64_HELPER=off (no way round the system's silence at all), nor with
 * RSTRTMGR_FAULT_WOW64_HELPER set (tests: the 64-bit half is then asked, so that the
 * misbehaviour it is told to show is met). */
BOOL rm_tunable_wow64_tebs_allowed(void);
/* RSTRTMGR_FAULT_HANG_IDENTIFY=PID — the handle walk treats every handle of PID as one
 * whose name query hangs (test_faults); 0 when unset. */
DWORD rm_tunable_fault_hang_pid(void);

#endif
