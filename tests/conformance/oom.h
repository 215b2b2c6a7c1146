// SPDX-License-Identifier: LGPL-2.1-or-later
/* test_oom's two files: the cases of the sweep (oom_cases.c: per export, what a run
 * prepares, calls and checks) and the sweep itself with its fixture (test_oom.c). */
#ifndef RM_TEST_OOM_H
#define RM_TEST_OOM_H

#include <windows.h>
#include <restartmanager.h>
#include "rm_test_support.h"

#define APPS_CAPACITY 8

/* What every sweep shares: files, and two applications running throughout. */
typedef struct oom_fixture {
    wchar_t held[RMT_PATH_CCH];     /* open in the holder */
    wchar_t payload[RMT_PATH_CCH];  /* loaded by the holder */
    wchar_t holder_image[RMT_PATH_CCH];
    wchar_t idle[RMT_PATH_CCH];     /* a real file nobody uses */
    wchar_t subdir[RMT_PATH_CCH];   /* a directory */
    rmt_process holder;
    RM_PROCESS_INFO holder_info;    /* what an unarmed RmGetList answers */
    rmt_process window_app;         /* a main window: restartable, named by its title */
    RM_PROCESS_INFO window_info;
} oom_fixture;

extern oom_fixture fixture;

extern BOOL verbose; /* RSTRTMGR_OOM_VERBOSE=1: one line per run */

/* One run's state, prepared before the call and cleaned up after it. */
typedef struct oom_run {
    DWORD handle, joined;
    BOOL started, joined_open;
    WCHAR key[RMT_KEY_CCH];
    rmt_process victim;             /* RmShutdown / RmRestart: the application */
    rmt_process spared;             /* RmShutdown (filtered): masked by its image's filter */
    DWORD restarted_pid;
    size_t files, processes, services; /* the store before the call */
} oom_run;

typedef struct oom_case {
    const char *name;
    void (*setup)(oom_run *);
    DWORD (*call)(oom_run *);
    void (*check_success)(oom_run *);     /* the whole answer, and the session works */
    void (*check_failure)(oom_run *, DWORD error); /* nothing half; usable again */
    void (*teardown)(oom_run *);
    DWORD own_error;                      /* the call's own documented failure, or 0 */
} oom_case;

extern const oom_case oom_cases[];
extern const size_t oom_case_count;

/* RmGetList into apps (APPS_CAPACITY entries) with *count set; its result. */
DWORD oom_list(DWORD handle, UINT *count, RM_PROCESS_INFO *apps);

#endif
