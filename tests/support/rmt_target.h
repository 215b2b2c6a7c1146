// SPDX-License-Identifier: LGPL-2.1-or-later
/* The Restart Manager DLL a conformance program tests, chosen at run time, and a case
 * runner that knows its expected differences, so one suite can be pointed at this
 * project's DLL, at Wine's builtin stub or at Windows' own DLL.
 *
 * The DLL: "--dll PATH" on the command line, else the variable RSTRTMGR_TEST_DLL, else
 * rstrtmgr.dll beside the test (this project's build). A bare name ("rstrtmgr.dll") is
 * loaded through the system's search, so with WINEDLLOVERRIDES=rstrtmgr=b it is Wine's
 * builtin, and on Windows (no copy beside the test) the system's.
 *
 * Programs that use it call the twelve functions through rmt_rm (include
 * rmt_dynamic_api.h after <restartmanager.h> to keep writing RmStartSession(...)), and
 * do not link the import library.
 *
 * Cases run one per child process (the program re-runs itself with "--case N"), each
 * bounded in time, so a stub that aborts its caller (Wine's RmJoinSession,
 * RmGetFilterList, RmCancelCurrentTask) or a call that hangs fails that case only.
 * A case marked "todo" for the running target, like Wine's todo_wine, is an expected
 * failure: counted, not failed; if it passes, that is reported as a failure ("passed
 * inside todo"), so the marks stay honest. */
#ifndef RMT_TARGET_H
#define RMT_TARGET_H

#include <stddef.h>
#include <stdarg.h>
#include <setjmp.h>
#include <windows.h>
#include <restartmanager.h>
#include <cmocka.h>

/* Which DLL runs, as bits so that a case's todo mask can name several. */
typedef enum rmt_target_kind {
    RMT_TARGET_THIS = 1,          /* this project's rstrtmgr.dll */
    RMT_TARGET_WINE_BUILTIN = 2,  /* Wine's builtin stub ("Wine builtin DLL" signature) */
    RMT_TARGET_WINDOWS = 4,       /* Windows' own (in the system directory, not under Wine) */
} rmt_target_kind;

#define todo_this RMT_TARGET_THIS
#define todo_builtin RMT_TARGET_WINE_BUILTIN
#define todo_windows RMT_TARGET_WINDOWS

typedef struct rmt_rm_api {
    DWORD (WINAPI *StartSession)(DWORD *, DWORD, WCHAR *);
    DWORD (WINAPI *JoinSession)(DWORD *, const WCHAR *);
    DWORD (WINAPI *EndSession)(DWORD);
    DWORD (WINAPI *RegisterResources)(DWORD, UINT, LPCWSTR *, UINT, RM_UNIQUE_PROCESS *, UINT,
                                      LPCWSTR *);
    DWORD (WINAPI *GetList)(DWORD, UINT *, UINT *, RM_PROCESS_INFO *, LPDWORD);
    DWORD (WINAPI *Shutdown)(DWORD, ULONG, RM_WRITE_STATUS_CALLBACK);
    DWORD (WINAPI *Restart)(DWORD, DWORD, RM_WRITE_STATUS_CALLBACK);
    DWORD (WINAPI *CancelCurrentTask)(DWORD);
    DWORD (WINAPI *AddFilter)(DWORD, LPCWSTR, RM_UNIQUE_PROCESS *, LPCWSTR, RM_FILTER_ACTION);
    DWORD (WINAPI *RemoveFilter)(DWORD, LPCWSTR, RM_UNIQUE_PROCESS *, LPCWSTR);
    DWORD (WINAPI *GetFilterList)(DWORD, PBYTE, DWORD, LPDWORD);
} rmt_rm_api;

extern rmt_rm_api rmt_rm;

/* Loads the DLL (see above) and resolves the functions; removes "--dll PATH" from the
 * arguments. FALSE (reported) if the DLL or a function is missing. */
BOOL rmt_target_load(int *argc, wchar_t **argv);

rmt_target_kind rmt_target(void);
const char *rmt_target_name(rmt_target_kind kind);

/* One case: a cmocka test and the targets on which it is expected to fail. */
typedef struct rmt_case {
    struct CMUnitTest test;
    unsigned todo;                /* rmt_target_kind bits */
} rmt_case;

/* For a case that cannot be produced on this system (e.g. Wine lacks the feature): says
 * why and ends the case's child; the runner counts it as "not run here", neither passed
 * nor failed. Call it before the case starts anything. */
void rmt_case_not_here(const char *why);

/* Longest a case's child may run before it is killed and the case failed. */
#define RMT_CASE_TIMEOUT_MS 240000u

/* With "--case N" in argv: runs case N here and returns its failure count (the child).
 * Otherwise runs every case in a child of its own, prints one line per case and the
 * summary "<target>: P of N cases passed, T expected failures (todo), F failed, S not
 * run here", and
 * returns F (unexpected results: failures, and passes inside todo). */
int rmt_run_cases(const char *group, const rmt_case *cases, size_t count, int argc,
                  wchar_t **argv);

#endif
