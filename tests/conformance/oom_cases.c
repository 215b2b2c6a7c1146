// SPDX-License-Identifier: LGPL-2.1-or-later
/* The cases of test_oom's sweep (oom.h): for each export, what a run prepares, the call,
 * and what a success and a failure must leave (the whole answer; nothing half done, the
 * session usable again). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "rstrtmgr/rstrtmgr_ext.h"
#include "rm_test_support.h"
#include "session_probe.h"
#include "session_table.h"
#include "oom.h"

#define FILTER_BUFFER_BYTES 4096
#define EXIT_WAIT_MS 10000

/* ---- measuring ------------------------------------------------------------------- */

/* Active slots of the session table, read straight from the section. */
static unsigned active_slots(void)
{
    HANDLE section;
    const rm_table *table = probe_map_table(&section);
    if (!table)
        return 0;
    unsigned count = 0;
    for (unsigned i = 0; i < RM_MAX_SESSIONS; i++)
        count += table->slots[i].state == RM_SLOT_ACTIVE;
    UnmapViewOfFile(table);
    CloseHandle(section);
    return count;
}

/* ---- helpers of the cases -------------------------------------------------------- */

static void start(oom_run *r)
{
    assert_int_equal(RmStartSession(&r->handle, 0, r->key), ERROR_SUCCESS);
    r->started = TRUE;
}

static void end_all(oom_run *r)
{
    if (r->joined_open)
        assert_int_equal(RmEndSession(r->joined), ERROR_SUCCESS);
    if (r->started)
        assert_int_equal(RmEndSession(r->handle), ERROR_SUCCESS);
    r->joined_open = r->started = FALSE;
    if (r->restarted_pid) {
        rmt_process relaunched;
        if (rmt_open_process(r->restarted_pid, &relaunched))
            rmt_kill(&relaunched);
        r->restarted_pid = 0;
    }
    rmt_kill(&r->victim);
    rmt_kill(&r->spared);
}

static DWORD register_one(DWORD handle, const wchar_t *path)
{
    LPCWSTR files[] = { path };
    return RmRegisterResources(handle, 1, files, 0, NULL, 0, NULL);
}

DWORD oom_list(DWORD handle, UINT *count, RM_PROCESS_INFO *apps)
{
    UINT needed = 0;
    DWORD reasons = 0xdeadbeef;
    *count = APPS_CAPACITY;
    DWORD error = RmGetList(handle, &needed, count, apps, &reasons);
    if (error == ERROR_SUCCESS && (needed != *count || reasons != RmRebootReasonNone)) {
        print_error("RmGetList: needed %u, count %u, reboot reasons %#lx\n", needed, *count,
                    reasons);
        return ERROR_INVALID_DATA;
    }
    return error;
}

static void store_counts(const oom_run *r, size_t *files, size_t *processes, size_t *services)
{
    assert_true(probe_count_resources(r->key, files, processes, services));
}

static void expect_store(const oom_run *r, size_t files, size_t processes, size_t services)
{
    size_t f, p, s;
    store_counts(r, &f, &p, &s);
    if (f != files || p != processes || s != services)
        print_error("store holds %lu files, %lu processes, %lu services; expected %lu, %lu, %lu\n",
                    (unsigned long)f, (unsigned long)p, (unsigned long)s, (unsigned long)files,
                    (unsigned long)processes, (unsigned long)services);
    assert_int_equal(f, files);
    assert_int_equal(p, processes);
    assert_int_equal(s, services);
}

/* The holder alone, as an unarmed call sees it (B-GETLIST-5, -6, -7). */
static void expect_holder_listed(DWORD handle)
{
    RM_PROCESS_INFO apps[APPS_CAPACITY];
    UINT count;
    assert_int_equal(oom_list(handle, &count, apps), ERROR_SUCCESS);
    assert_int_equal(count, 1);
    assert_int_equal(apps[0].Process.dwProcessId, fixture.holder.pid);
    assert_int_equal(apps[0].ApplicationType, fixture.holder_info.ApplicationType);
    assert_int_equal(apps[0].bRestartable, fixture.holder_info.bRestartable);
    assert_int_equal(apps[0].AppStatus, fixture.holder_info.AppStatus);
    if (wcscmp(apps[0].strAppName, fixture.holder_info.strAppName) != 0)
        fail_msg("name \"%ls\", expected \"%ls\"", apps[0].strAppName,
                 fixture.holder_info.strAppName);
    assert_true(memcmp(&apps[0].Process, &fixture.holder_info.Process,
                       sizeof(apps[0].Process)) == 0);
}

static BOOL same_app(const RM_PROCESS_INFO *a, const RM_PROCESS_INFO *b)
{
    return memcmp(&a->Process, &b->Process, sizeof(a->Process)) == 0 &&
           a->ApplicationType == b->ApplicationType && a->bRestartable == b->bRestartable &&
           a->AppStatus == b->AppStatus && a->TSSessionId == b->TSSessionId &&
           wcscmp(a->strAppName, b->strAppName) == 0 &&
           wcscmp(a->strServiceShortName, b->strServiceShortName) == 0;
}

/* The holder and the window application, in any order, each as an unarmed call saw it. */
static BOOL both_listed(const RM_PROCESS_INFO *apps, UINT count)
{
    if (count != 2)
        return FALSE;
    for (UINT i = 0; i < 2; i++)
        if (!same_app(&apps[i], &fixture.holder_info) && !same_app(&apps[i], &fixture.window_info))
            return FALSE;
    return !same_app(&apps[0], &apps[1]);
}

static void expect_nothing_listed(DWORD handle)
{
    RM_PROCESS_INFO apps[APPS_CAPACITY];
    UINT count;
    assert_int_equal(oom_list(handle, &count, apps), ERROR_SUCCESS);
    assert_int_equal(count, 0);
}

static DWORD filter_count(DWORD handle)
{
    static BYTE buffer[FILTER_BUFFER_BYTES];
    DWORD needed = 0;
    DWORD error = RmGetFilterList(handle, buffer, sizeof(buffer), &needed);
    assert_int_equal(error, ERROR_SUCCESS);
    if (!needed)
        return 0;
    DWORD count = 1;
    for (DWORD at = 0; ((const RM_FILTER_INFO *)(buffer + at))->cbNextOffset; count++)
        at += ((const RM_FILTER_INFO *)(buffer + at))->cbNextOffset;
    return count;
}

/* ---- RmStartSession ---------------------------------------------------------------- */

static unsigned slots_before;

static void start_setup(oom_run *r) { (void)r; slots_before = active_slots(); }

static DWORD start_call(oom_run *r)
{
    DWORD error = RmStartSession(&r->handle, 0, r->key);
    r->started = error == ERROR_SUCCESS;
    return error;
}

static void start_success(oom_run *r)
{
    assert_int_equal(wcslen(r->key), CCH_RM_SESSION_KEY);
    assert_int_equal(active_slots(), slots_before + 1);
    assert_int_equal(register_one(r->handle, fixture.held), ERROR_SUCCESS);
    expect_holder_listed(r->handle);
}

static void start_failure(oom_run *r, DWORD error)
{
    (void)error;
    assert_int_equal(active_slots(), slots_before); /* no slot held by a failed start */
    start(r);
    start_success(r);
}

/* ---- RmJoinSession --------------------------------------------------------------- */

static void join_setup(oom_run *r)
{
    start(r);
    slots_before = active_slots();
}

static DWORD join_call(oom_run *r)
{
    DWORD error = RmJoinSession(&r->joined, r->key);
    r->joined_open = error == ERROR_SUCCESS;
    return error;
}

static void join_success(oom_run *r)
{
    assert_int_equal(active_slots(), slots_before);
    assert_int_equal(register_one(r->joined, fixture.held), ERROR_SUCCESS);
    expect_holder_listed(r->handle);
}

static void join_failure(oom_run *r, DWORD error)
{
    (void)error;
    assert_int_equal(active_slots(), slots_before);
    expect_store(r, 0, 0, 0);
    assert_int_equal(join_call(r), ERROR_SUCCESS);
    join_success(r);
}

/* ---- RmEndSession ------------------------------------------------------------------ */

static DWORD end_call(oom_run *r)
{
    DWORD error = RmEndSession(r->handle);
    if (error == ERROR_SUCCESS)
        r->started = FALSE;
    return error;
}

static void end_success(oom_run *r)
{
    DWORD joined;
    assert_int_equal(RmEndSession(r->handle), ERROR_INVALID_HANDLE);
    assert_int_equal(RmJoinSession(&joined, r->key), ERROR_SESSION_CREDENTIAL_CONFLICT);
}

static void end_failure(oom_run *r, DWORD error)
{
    (void)error;
    assert_int_equal(register_one(r->handle, fixture.held), ERROR_SUCCESS);
    expect_holder_listed(r->handle);
    assert_int_equal(end_call(r), ERROR_SUCCESS);
    end_success(r);
}

/* ---- RmRegisterResources ---------------------------------------------------------- */

static void register_setup(oom_run *r)
{
    start(r);
    assert_int_equal(register_one(r->handle, fixture.idle), ERROR_SUCCESS);
    store_counts(r, &r->files, &r->processes, &r->services);
}

static DWORD register_call(oom_run *r)
{
    /* A held file in another spelling, one that does not exist, the holder by pid and
     * a service name: every kind of record, and canonicalisation (B-REG-1, -4, -6). */
    wchar_t upper[RMT_PATH_CCH];
    _snwprintf(upper, RMT_PATH_CCH, L"\\\\?\\%ls", fixture.held);
    CharUpperW(upper + 4);
    LPCWSTR files[] = { upper, L"C:\\rmt oom\\absent\\file.dll" };
    RM_UNIQUE_PROCESS processes[] = { fixture.holder.unique };
    LPCWSTR services[] = { L"rmt_oom_absent_service" };
    return RmRegisterResources(r->handle, 2, files, 1, processes, 1, services);
}

static void register_success(oom_run *r)
{
    expect_store(r, r->files + 2, r->processes + 1, r->services + 1);
    expect_holder_listed(r->handle);
}

static void register_failure(oom_run *r, DWORD error)
{
    (void)error;
    expect_store(r, r->files, r->processes, r->services); /* all or nothing (B-REG-3) */
    expect_nothing_listed(r->handle);
    assert_int_equal(register_call(r), ERROR_SUCCESS);
    register_success(r);
}

/* A directory: its parent is listed to tell it from a file (B-REG-5). */
static DWORD register_directory_call(oom_run *r)
{
    LPCWSTR files[] = { fixture.held, fixture.subdir };
    return RmRegisterResources(r->handle, 2, files, 0, NULL, 0, NULL);
}

static void register_directory_success(oom_run *r)
{
    UINT needed = 0, count = 0;
    DWORD reasons;
    assert_int_equal(RmGetList(r->handle, &needed, &count, NULL, &reasons), ERROR_ACCESS_DENIED);
}

static void register_directory_failure(oom_run *r, DWORD error)
{
    (void)error;
    expect_store(r, r->files, r->processes, r->services);
    expect_nothing_listed(r->handle);
    assert_int_equal(register_directory_call(r), ERROR_SUCCESS);
    register_directory_success(r);
}

/* ---- RmGetList ------------------------------------------------------------------- */

/* Every kind of evidence: the holder has the file open, runs the image and has the DLL
 * loaded; the window application is registered by pid (its description, windows and
 * restart capture run). */
static void getlist_setup(oom_run *r)
{
    start(r);
    LPCWSTR files[] = { fixture.held, fixture.payload, fixture.holder_image, fixture.idle };
    RM_UNIQUE_PROCESS processes[] = { fixture.window_app.unique };
    assert_int_equal(RmRegisterResources(r->handle, 4, files, 1, processes, 0, NULL),
                     ERROR_SUCCESS);
}

static DWORD getlist_call(oom_run *r)
{
    RM_PROCESS_INFO apps[APPS_CAPACITY];
    UINT count;
    DWORD error = oom_list(r->handle, &count, apps);
    if (error == ERROR_SUCCESS && !both_listed(apps, count)) {
        print_error("RmGetList answered %u applications:\n", count);
        for (UINT i = 0; i < count; i++)
            print_error("  pid %lu type %d restartable %d status %#lx \"%ls\"\n",
                        apps[i].Process.dwProcessId, apps[i].ApplicationType,
                        apps[i].bRestartable, apps[i].AppStatus, apps[i].strAppName);
        return ERROR_INVALID_DATA; /* an incomplete answer passed as a success */
    }
    return error;
}

static void getlist_success(oom_run *r) { assert_int_equal(getlist_call(r), ERROR_SUCCESS); }

static void getlist_failure(oom_run *r, DWORD error)
{
    (void)error;
    getlist_success(r);
}

/* ---- RmShutdown and RmRestart -------------------------------------------------------- */

static void spawn_victim(oom_run *r)
{
    wchar_t args[RMT_PATH_CCH * 2];
    _snwprintf(args, ARRAYSIZE(args), L"--title \"rmt oom victim\" --hold \"%ls\"", fixture.idle);
    assert_true(rmt_spawn(L"rm_gui_app.exe", args, &r->victim));
    start(r);
    RM_UNIQUE_PROCESS processes[] = { r->victim.unique };
    assert_int_equal(RmRegisterResources(r->handle, 0, NULL, 1, processes, 0, NULL), ERROR_SUCCESS);
}

static DWORD shutdown_call(oom_run *r) { return RmShutdown(r->handle, RmForceShutdown, NULL); }

/* Closed, and recorded as it was listed: stopped and restartable (B-GETLIST-11). */
static void shutdown_success(oom_run *r)
{
    assert_true(rmt_wait_exit(&r->victim, EXIT_WAIT_MS));
    RM_PROCESS_INFO apps[APPS_CAPACITY];
    UINT count;
    assert_int_equal(oom_list(r->handle, &count, apps), ERROR_SUCCESS);
    assert_int_equal(count, 1);
    if (!(apps[0].AppStatus & RmStatusStopped) || !apps[0].bRestartable)
        print_error("after RmShutdown: status %#lx, restartable %d\n", apps[0].AppStatus,
                    apps[0].bRestartable);
    assert_true(apps[0].AppStatus & RmStatusStopped);
    assert_true(apps[0].bRestartable);
}

static void shutdown_failure(oom_run *r, DWORD error)
{
    (void)error;
    if (verbose) {
        RM_PROCESS_INFO apps[APPS_CAPACITY];
        UINT count = 0;
        DWORD listed = oom_list(r->handle, &count, apps);
        printf("after the failed RmShutdown: RmGetList %lu, %u listed, status %#lx\n", listed,
               count, count ? apps[0].AppStatus : 0);
    }
    /* B-SHUT-12: called again, it finishes the job. */
    assert_int_equal(shutdown_call(r), ERROR_SUCCESS);
    shutdown_success(r);
}

/* A second application whose executable has an RmNoShutdown filter: whatever fails, it
 * is never ended (B-SHUT-10), while the first is. */
static void filtered_setup(oom_run *r)
{
    spawn_victim(r);
    assert_true(rmt_spawn(L"rm_file_holder.exe", NULL, &r->spared));
    RM_UNIQUE_PROCESS processes[] = { r->spared.unique };
    assert_int_equal(RmRegisterResources(r->handle, 0, NULL, 1, processes, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(r->handle, fixture.holder_image, NULL, NULL, RmNoShutdown),
                     ERROR_SUCCESS);
}

static void filtered_success(oom_run *r)
{
    assert_true(rmt_wait_exit(&r->victim, EXIT_WAIT_MS));
    assert_true(rmt_is_running(&r->spared));
    RM_PROCESS_INFO apps[APPS_CAPACITY];
    UINT count;
    assert_int_equal(oom_list(r->handle, &count, apps), ERROR_SUCCESS);
    assert_int_equal(count, 2);
    for (UINT i = 0; i < count; i++)
        if (apps[i].Process.dwProcessId == r->spared.pid)
            assert_true(apps[i].AppStatus & RmStatusShutdownMasked);
        else
            assert_true((apps[i].AppStatus & RmStatusStopped) && apps[i].bRestartable);
}

static void filtered_failure(oom_run *r, DWORD error)
{
    (void)error;
    assert_true(rmt_is_running(&r->spared));
    assert_int_equal(shutdown_call(r), ERROR_SUCCESS);
    filtered_success(r);
}

static void restart_setup(oom_run *r)
{
    spawn_victim(r);
    assert_int_equal(RmShutdown(r->handle, RmForceShutdown, NULL), ERROR_SUCCESS);
    assert_true(rmt_wait_exit(&r->victim, EXIT_WAIT_MS));
}

/* The relaunched application, from RmGetList (B-GETLIST-11). */
static void note_restarted(oom_run *r, DWORD *status)
{
    RM_PROCESS_INFO apps[APPS_CAPACITY];
    UINT count;
    assert_int_equal(oom_list(r->handle, &count, apps), ERROR_SUCCESS);
    assert_int_equal(count, 1);
    *status = apps[0].AppStatus;
    if (apps[0].Process.dwProcessId != r->victim.pid)
        r->restarted_pid = apps[0].Process.dwProcessId;
}

static DWORD restart_call(oom_run *r) { return RmRestart(r->handle, 0, NULL); }

static void restart_success(oom_run *r)
{
    DWORD status;
    note_restarted(r, &status);
    assert_true(status & RmStatusRestarted);
    assert_int_not_equal(r->restarted_pid, 0);
}

static void restart_failure(oom_run *r, DWORD error)
{
    DWORD status;
    note_restarted(r, &status);
    if (status & RmStatusErrorOnRestart) {
        /* Its start failed: the call says so (B-RESTART-10), the application is done
         * with (RmRestart restarts each application once), the session still lists. */
        assert_int_equal(error, ERROR_FAIL_RESTART);
        assert_false(status & RmStatusRestarted);
    } else if (!(status & RmStatusRestarted)) {
        /* Failed before starting anything: the next RmRestart starts it. */
        assert_int_equal(error, ERROR_OUTOFMEMORY);
        assert_int_equal(restart_call(r), ERROR_SUCCESS);
        restart_success(r);
    }
}

/* ---- filters ----------------------------------------------------------------------- */

#define FILTERED_IMAGE L"C:\\rmt oom\\filtered.exe"
#define OTHER_FILTERED_IMAGE L"C:\\rmt oom\\other filtered.exe"

static DWORD add_filter_call(oom_run *r)
{
    return RmAddFilter(r->handle, FILTERED_IMAGE, NULL, NULL, RmNoRestart);
}

static void add_filter_success(oom_run *r) { assert_int_equal(filter_count(r->handle), 1); }

static void add_filter_failure(oom_run *r, DWORD error)
{
    (void)error;
    assert_int_equal(filter_count(r->handle), 0);
    assert_int_equal(add_filter_call(r), ERROR_SUCCESS);
    add_filter_success(r);
}

static void filters_setup(oom_run *r)
{
    start(r);
    assert_int_equal(add_filter_call(r), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(r->handle, NULL, &fixture.holder.unique, NULL, RmNoShutdown),
                     ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(r->handle, OTHER_FILTERED_IMAGE, NULL, NULL, RmNoShutdown),
                     ERROR_SUCCESS);
}

static DWORD remove_filter_call(oom_run *r)
{
    return RmRemoveFilter(r->handle, FILTERED_IMAGE, NULL, NULL);
}

static void remove_filter_success(oom_run *r) { assert_int_equal(filter_count(r->handle), 2); }

static void remove_filter_failure(oom_run *r, DWORD error)
{
    (void)error;
    assert_int_equal(filter_count(r->handle), 3);
    assert_int_equal(remove_filter_call(r), ERROR_SUCCESS);
    remove_filter_success(r);
}

static DWORD get_filters_call(oom_run *r)
{
    BYTE buffer[FILTER_BUFFER_BYTES];
    DWORD needed = 0;
    DWORD error = RmGetFilterList(r->handle, buffer, sizeof(buffer), &needed);
    if (error == ERROR_SUCCESS && !needed)
        return ERROR_INVALID_DATA;
    return error;
}

static void get_filters_success(oom_run *r) { assert_int_equal(filter_count(r->handle), 3); }

static void get_filters_failure(oom_run *r, DWORD error)
{
    (void)error;
    get_filters_success(r);
}

/* ---- the rest ---------------------------------------------------------------------- */

static void session_setup(oom_run *r) { start(r); }

static DWORD cancel_call(oom_run *r) { return RmCancelCurrentTask(r->handle); }

static void cancel_success(oom_run *r) { expect_nothing_listed(r->handle); }

static void cancel_failure(oom_run *r, DWORD error)
{
    (void)error;
    cancel_success(r);
}

static DWORD reserve_call(oom_run *r) { (void)r; return RmReserveHeap(0); }

static void nothing(oom_run *r) { (void)r; }

static void nothing_failed(oom_run *r, DWORD error) { (void)r; (void)error; }

const oom_case oom_cases[] = {
    { "RmStartSession", start_setup, start_call, start_success, start_failure, end_all, 0 },
    { "RmJoinSession", join_setup, join_call, join_success, join_failure, end_all, 0 },
    { "RmEndSession", session_setup, end_call, end_success, end_failure, end_all, 0 },
    { "RmRegisterResources", register_setup, register_call, register_success,
      register_failure, end_all, 0 },
    { "RmRegisterResources (directory)", register_setup, register_directory_call,
      register_directory_success, register_directory_failure, end_all, 0 },
    { "RmGetList", getlist_setup, getlist_call, getlist_success, getlist_failure, end_all, 0 },
    { "RmShutdown", spawn_victim, shutdown_call, shutdown_success, shutdown_failure, end_all,
      ERROR_FAIL_SHUTDOWN },
    { "RmShutdown (filtered)", filtered_setup, shutdown_call, filtered_success,
      filtered_failure, end_all, ERROR_FAIL_SHUTDOWN },
    { "RmRestart", restart_setup, restart_call, restart_success, restart_failure, end_all,
      ERROR_FAIL_RESTART },
    { "RmCancelCurrentTask", session_setup, cancel_call, cancel_success, cancel_failure,
      end_all, 0 },
    { "RmAddFilter", session_setup, add_filter_call, add_filter_success, add_filter_failure,
      end_all, 0 },
    { "RmRemoveFilter", filters_setup, remove_filter_call, remove_filter_success,
      remove_filter_failure, end_all, 0 },
    { "RmGetFilterList", filters_setup, get_filters_call, get_filters_success,
      get_filters_failure, end_all, 0 },
    { "RmReserveHeap", nothing, reserve_call, nothing, nothing_failed, end_all, 0 },
};

const size_t oom_case_count = ARRAYSIZE(oom_cases);
