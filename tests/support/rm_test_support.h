// SPDX-License-Identifier: LGPL-2.1-or-later
/* Support for conformance tests that drive real processes under Wine: starting the
 * helper programs (tests/helpers) and waiting for their readiness, the other
 * architecture's build, a test's fixture and clock, cancelling from another thread,
 * temporary files, services and logs. Every wait is bounded. Functions return FALSE on
 * failure and print why on stderr. */
#ifndef RM_TEST_SUPPORT_H
#define RM_TEST_SUPPORT_H

#include <stddef.h>
#include <windows.h>
#include <restartmanager.h>

#include "rm_helper_protocol.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds of the waits below. */
#define RMT_READY_TIMEOUT_MS   20000u /* helper start to readiness */
#define RMT_EXIT_TIMEOUT_MS    10000u /* TerminateProcess to exit */
#define RMT_SERVICE_TIMEOUT_MS 20000u /* service start / stop */

/* Exit code rmt_kill gives the processes it terminates. */
#define RMT_EXIT_KILLED 0x4b494c4cu /* "KILL" */

/* Size of path buffers the functions below are happy with. */
#define RMT_PATH_CCH 1024

/* A started process. Empty (process == NULL) after rmt_kill / rmt_close. */
typedef struct rmt_process {
    DWORD pid;
    HANDLE process;          /* SYNCHRONIZE, TERMINATE and query rights */
    FILETIME start_time;     /* GetProcessTimes' creation time */
    RM_UNIQUE_PROCESS unique; /* { pid, start_time }, for RmRegisterResources */
} rmt_process;

/* --- processes ------------------------------------------------------------------ */

/* Starts helper exe_name (e.g. L"rm_gui_app.exe", found beside the running test; or an
 * absolute path, e.g. the other architecture's build of a helper) with
 * args (may be NULL) plus "--ready-event <unique name>", its stdout on a pipe. Waits up
 * to RMT_READY_TIMEOUT_MS for the event; checks the "READY <pid>" line. FALSE (and the
 * process killed) if it exits early, times out or prints no READY line. Every process
 * started here is in a kill-on-close job: none outlives the test process. */
BOOL rmt_spawn(const wchar_t *exe_name, const wchar_t *args, rmt_process *out);

/* rmt_spawn with extra CreateProcess flags (e.g. CREATE_NEW_CONSOLE,
 * CREATE_NEW_PROCESS_GROUP). */
BOOL rmt_spawn_ex(const wchar_t *exe_name, const wchar_t *args, DWORD creation_flags,
                  rmt_process *out);

/* rmt_spawn with another primary token (CreateProcessAsUser), e.g. an unelevated one. */
BOOL rmt_spawn_as(HANDLE token, const wchar_t *exe_name, const wchar_t *args, rmt_process *out);

/* Fills out for an existing process (e.g. a service's, or one Restart Manager
 * restarted) and puts it in the kill-on-close job. */
BOOL rmt_open_process(DWORD pid, rmt_process *out);

/* Terminates p if still running, waits up to RMT_EXIT_TIMEOUT_MS, closes and empties
 * p. TRUE if the process is gone. Safe on an empty p. */
BOOL rmt_kill(rmt_process *p);

/* Closes p's handle without touching the process; empties p. */
void rmt_close(rmt_process *p);

/* TRUE if p exited within timeout_ms. */
BOOL rmt_wait_exit(const rmt_process *p, DWORD timeout_ms);

BOOL rmt_is_running(const rmt_process *p);

/* TRUE and *exit_code if p has exited. */
BOOL rmt_exit_code(const rmt_process *p, DWORD *exit_code);

/* Terminates every process rmt_spawn / rmt_open_process / rmt_spawn_self started or
 * adopted (test teardown after a failed assertion) and waits, up to
 * RMT_EXIT_TIMEOUT_MS, until they are gone. Handles stay open. */
BOOL rmt_kill_all(void);

/* Directory of the running test executable (no trailing backslash). */
BOOL rmt_exe_dir(wchar_t *out, size_t cch);

/* Full path of a file beside the running test executable (file_name unchanged if it
 * is already an absolute path). */
BOOL rmt_exe_path(const wchar_t *file_name, wchar_t *out, size_t cch);

/* Starts the test's own executable with args (e.g. L"--child join KEY"), stdout and
 * stderr shared with the test. Does not wait. */
BOOL rmt_spawn_self(const wchar_t *args, rmt_process *out);

/* rmt_spawn_self, then waits up to timeout_ms for its exit and returns its exit code.
 * FALSE (child killed) on timeout. */
BOOL rmt_run_self(const wchar_t *args, DWORD timeout_ms, DWORD *exit_code);

/* A new manual-reset event with a unique name (e.g. for a helper's --ready-event in a
 * RegisterApplicationRestart command line). NULL on failure. */
HANDLE rmt_event_create(wchar_t *name_out, size_t cch);

/* The entry of apps[0..count) (an RmGetList answer) for pid, NULL if it is not listed. */
const RM_PROCESS_INFO *rmt_find_app(const RM_PROCESS_INFO *apps, UINT count, DWORD pid);

/* --- the other architecture ------------------------------------------------------ */

/* Full path of file_name in the other architecture's build (build/<other arch>/bin beside
 * this test's build/<arch>/bin). FALSE if the test does not run from such a tree or the
 * file is not there (the other architecture is not built); out then holds the path
 * looked for, or "". */
BOOL rmt_other_arch_file(const wchar_t *file_name, wchar_t *out, size_t cch);

/* Whether the DLL under test can read the PEB and loader list of a process of the other
 * bitness for this process: a 32-bit process on 64-bit Windows needs
 * NtWow64ReadVirtualMemory64 and either NtWow64QueryInformationProcess64 (which Wine 8
 * lacks), or the 64-bit TEBs the DLL reads there (B-WOW64-7), or the DLL's 64-bit half,
 * rstrtmgr_wow64.exe, beside the test. */
BOOL rmt_can_read_other_arch(void);

/* --- a test's clock (its fixture: rmt_fixture.h) ----------------------------------- */

/* Milliseconds on the high-resolution clock, for timing calls. */
double rmt_now_ms(void);

/* --- cancelling from another thread ----------------------------------------------- */

/* Starts a thread that calls RmCancelCurrentTask(session) after delay_ms, as a client
 * cancels a call that blocks its own thread. NULL (reported) if it cannot start. */
HANDLE rmt_cancel_later(DWORD session, DWORD delay_ms);

/* The RmCancelCurrentTask rmt_cancel_later calls; NULL = the imported rstrtmgr.dll's
 * (rmt_target.h sets it to the DLL under test). */
extern DWORD (WINAPI *rmt_cancel_function)(DWORD);

/* Waits up to timeout_ms for a thread from rmt_cancel_later and closes it. TRUE and
 * *result = what RmCancelCurrentTask returned if the thread ended in time. */
BOOL rmt_cancel_result(HANDLE thread, DWORD timeout_ms, DWORD *result);

/* --- windows -------------------------------------------------------------------- */

/* First visible top-level window of process pid whose title is title (any title if
 * NULL); NULL if none. Reads titles without sending messages: safe on hung windows. */
HWND rmt_find_window(DWORD pid, const wchar_t *title);

/* --- files ---------------------------------------------------------------------- */

/* Creates a fresh, uniquely named directory under %TEMP%. */
BOOL rmt_temp_dir(wchar_t *out, size_t cch);

/* out = dir + "\" + name. */
BOOL rmt_path_join(const wchar_t *dir, const wchar_t *name, wchar_t *out, size_t cch);

/* Creates (or truncates) dir\name with a few bytes in it; its full path in out_path. */
BOOL rmt_make_file(const wchar_t *dir, const wchar_t *name, wchar_t *out_path, size_t cch);

/* Copies rm_test_payload.dll from beside the test into dir; its full path in out_path. */
BOOL rmt_copy_payload_dll(const wchar_t *dir, wchar_t *out_path, size_t cch);

/* Deletes dir and everything in it (best effort: held files stay). */
BOOL rmt_remove_dir(const wchar_t *dir);

/* Reads a helper's log (UTF-8) into buf, NUL-terminated, truncated to size - 1 bytes.
 * FALSE if it cannot be opened; buf is then "". */
BOOL rmt_read_log(const wchar_t *path, char *buf, size_t size);

/* --- services ------------------------------------------------------------------- */

/* A service name no other running test uses ("rmt_svc_<pid>_<n>"). */
BOOL rmt_service_name(wchar_t *out, size_t cch);

/* Creates demand-start own-process service name whose binary path is the full path of
 * rm_service.exe followed by args (may be NULL). A stale service of that name is
 * removed first. *out gets SERVICE_ALL_ACCESS. */
BOOL rmt_service_install(const wchar_t *name, const wchar_t *args, SC_HANDLE *out);

/* StartService, then polls until SERVICE_RUNNING (TRUE) or a stop / timeout (FALSE). */
BOOL rmt_service_start_wait(SC_HANDLE service, DWORD timeout_ms);

/* Sends SERVICE_CONTROL_STOP (unless already stopped), polls until SERVICE_STOPPED. */
BOOL rmt_service_stop_wait(SC_HANDLE service, DWORD timeout_ms);

/* Stops the service if needed (bounded), deletes it and closes the handle. */
BOOL rmt_service_delete(SC_HANDLE service);

/* Process id of running service name, 0 if not running or unknown. */
DWORD rmt_service_pid(const wchar_t *name);

#ifdef __cplusplus
}
#endif

/* What every conformance program shares besides: key buffers, child roles, the fixture,
 * comparisons that print their values. */
#include "rmt_session_key.h"
#include "rmt_child.h"
#include "rmt_fixture.h"
#include "rmt_assert.h"

#endif
