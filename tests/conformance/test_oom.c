/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Out of memory at every fault point (issue 15), as SQLite tests it: against the test
 * build rstrtmgr_faults.dll (src/win/fault_inject.h), each export is called with its
 * N-th allocation or object creation failing, N = 1, 2, ... until a call passes every
 * point without a failure. Each failing run must give a documented code (B-CONV-3:
 * ERROR_OUTOFMEMORY; RmShutdown and RmRestart may also report their own
 * ERROR_FAIL_SHUTDOWN / ERROR_FAIL_RESTART), or succeed with the whole answer (a
 * documented fallback); must leak nothing (the DLL's live heap blocks, counted by the
 * test build, and this process's open handles, counted as test_stress counts them, are
 * back to what they were; private bytes are compared over the whole sweep); must change
 * nothing half (B-REG-3: after a failed RmRegisterResources the store and RmGetList show
 * nothing new; a failed start or join holds no slot of the session table; a failed
 * filter change leaves the filter list as it was); and must leave the session usable
 * for the next call (which then gives the full answer). RmGetList runs with a real
 * holder process that has the registered file open, runs the registered image and has
 * the registered DLL loaded, so the handle walk, the module scan and the description
 * paths run. */
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
#include "rmt_measure.h"
#include "session_probe.h"
#include "session_table.h"

/* The test build's own exports (src/win/fault_inject.h). */
DWORD WINAPI RmTestFaultArm(DWORD fail_at);
DWORD WINAPI RmTestFaultDisarm(DWORD *fired);
LONG WINAPI RmTestFaultLiveBlocks(void);
DWORD WINAPI RmTestFaultSite(void);

#define KEY_CCH (CCH_RM_SESSION_KEY + 1)
#define APPS_CAPACITY 8
#define FILTER_BUFFER_BYTES 4096
/* A sweep that has not ended by then has a fault point that fires forever: fail. */
#define POINTS_MAX 5000
#define PRIVATE_GROWTH_MAX (256 * 1024)
#define EXIT_WAIT_MS 10000

static struct {
    wchar_t dir[RMT_PATH_CCH];
    wchar_t held[RMT_PATH_CCH];     /* open in the holder */
    wchar_t payload[RMT_PATH_CCH];  /* loaded by the holder */
    wchar_t holder_image[RMT_PATH_CCH];
    wchar_t idle[RMT_PATH_CCH];     /* a real file nobody uses */
    wchar_t subdir[RMT_PATH_CCH];   /* a directory */
    rmt_process holder;
    RM_PROCESS_INFO holder_info;    /* what an unarmed RmGetList answers */
    rmt_process window_app;         /* a main window: restartable, named by its title */
    RM_PROCESS_INFO window_info;
} fixture;

static BOOL verbose; /* RSTRTMGR_OOM_VERBOSE=1: one line per run */

/* One run's state, prepared before the call and cleaned up after it. */
typedef struct oom_run {
    DWORD handle, joined;
    BOOL started, joined_open;
    WCHAR key[KEY_CCH];
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

static DWORD list(DWORD handle, UINT *count, RM_PROCESS_INFO *apps)
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
    assert_true(f == files && p == processes && s == services);
}

/* The holder alone, as an unarmed call sees it (B-GETLIST-5, -6, -7). */
static void expect_holder_listed(DWORD handle)
{
    RM_PROCESS_INFO apps[APPS_CAPACITY];
    UINT count;
    assert_int_equal(list(handle, &count, apps), ERROR_SUCCESS);
    assert_int_equal(count, 1);
    assert_int_equal(apps[0].Process.dwProcessId, fixture.holder.pid);
    assert_int_equal(apps[0].ApplicationType, fixture.holder_info.ApplicationType);
    assert_int_equal(apps[0].bRestartable, fixture.holder_info.bRestartable);
    assert_int_equal(apps[0].AppStatus, fixture.holder_info.AppStatus);
    assert_true(wcscmp(apps[0].strAppName, fixture.holder_info.strAppName) == 0);
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
    assert_int_equal(list(handle, &count, apps), ERROR_SUCCESS);
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
    DWORD error = list(r->handle, &count, apps);
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
    assert_int_equal(list(r->handle, &count, apps), ERROR_SUCCESS);
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
        DWORD listed = list(r->handle, &count, apps);
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
    assert_int_equal(list(r->handle, &count, apps), ERROR_SUCCESS);
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
    assert_int_equal(list(r->handle, &count, apps), ERROR_SUCCESS);
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
    assert_true(r->restarted_pid != 0);
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

/* ---- the sweep ----------------------------------------------------------------------- */

static const oom_case cases[] = {
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

/* One run: prepared, the call with point fail_at failing (0: none), checked, cleaned
 * up; nothing may stay behind. Returns the points the call passed. */
static DWORD run_once(const oom_case *c, DWORD fail_at, DWORD *fired, DWORD *error)
{
    oom_run r;
    memset(&r, 0, sizeof(r));
    unsigned long handles = rmt_handle_count();
    LONG blocks = RmTestFaultLiveBlocks();
    c->setup(&r);
    RmTestFaultArm(fail_at);
    *error = c->call(&r);
    DWORD passed = RmTestFaultDisarm(fired);
    if (verbose)
        printf("%s: point %lu of %lu failing%s (at rstrtmgr_faults.dll+%#lx): %lu\n", c->name,
               fail_at, passed, *fired ? "" : " (not reached)", RmTestFaultSite(), *error);
    if (!*fired || *error == ERROR_SUCCESS) {
        if (*error != ERROR_SUCCESS)
            print_error("%s: %lu without an injected failure\n", c->name, *error);
        assert_int_equal(*error, ERROR_SUCCESS);
        c->check_success(&r);
    } else {
        if (*error != ERROR_OUTOFMEMORY && (!c->own_error || *error != c->own_error))
            print_error("%s, point %lu of %lu failing: %lu, not a documented code\n", c->name,
                        fail_at, passed, *error);
        assert_true(*error == ERROR_OUTOFMEMORY || (c->own_error && *error == c->own_error));
        c->check_failure(&r, *error);
    }
    c->teardown(&r);
    unsigned long handles_after = rmt_handle_count();
    LONG blocks_after = RmTestFaultLiveBlocks();
    if (handles_after != handles || blocks_after != blocks)
        print_error("%s, point %lu failing: handles %lu -> %lu, DLL heap blocks %ld -> %ld\n",
                    c->name, fail_at, handles, handles_after, blocks, blocks_after);
    assert_int_equal(handles_after, handles);
    assert_int_equal(blocks_after, blocks);
    return passed;
}

static unsigned long total_points, total_sweeps;

static void sweep(const oom_case *c)
{
    DWORD fired, error;
    double started = rmt_now_ms();
    /* A first run unarmed: one-time initialisation (trace settings, function pointers)
     * is done before anything is counted, and the run is the reference. */
    run_once(c, 0, &fired, &error);
    DWORD points = run_once(c, 0, &fired, &error);
    unsigned long long private_start = rmt_private_bytes();
    unsigned by_code[4] = { 0 }; /* success, out of memory, own code, other */
    DWORD fail_at = 1;
    for (;; fail_at++) {
        assert_true(fail_at <= POINTS_MAX);
        run_once(c, fail_at, &fired, &error);
        if (!fired)
            break;
        by_code[error == ERROR_SUCCESS ? 0 : error == ERROR_OUTOFMEMORY ? 1
                : error == c->own_error ? 2 : 3]++;
    }
    unsigned long long private_end = rmt_private_bytes();
    printf("%-31s %4lu fault points (unarmed run: %lu); failing runs: %u ERROR_OUTOFMEMORY, "
           "%u own code, %u success with the whole answer; private bytes %llu -> %llu KiB; %.1f s\n",
           c->name, fail_at - 1, points, by_code[1], by_code[2], by_code[0],
           private_start / 1024, private_end / 1024, (rmt_now_ms() - started) / 1000);
    fflush(stdout);
    assert_true(private_end <= private_start + PRIVATE_GROWTH_MAX);
    total_points += fail_at - 1;
    total_sweeps++;
}

static void test_every_export(void **state)
{
    const oom_case *c = *state;
    sweep(c);
}

/* ---- fixture --------------------------------------------------------------------- */

static int group_setup(void **state)
{
    (void)state;
    /* Short waits for the applications the shutdown cases end (Configuration). */
    SetEnvironmentVariableW(L"RSTRTMGR_APP_TIMEOUT_MS", L"3000");
    SetEnvironmentVariableW(L"RSTRTMGR_MESSAGE_TIMEOUT_MS", L"1000");
    if (rmt_fixture_setup(fixture.dir, RMT_PATH_CCH) ||
        !rmt_make_file(fixture.dir, L"held.dat", fixture.held, RMT_PATH_CCH) ||
        !rmt_make_file(fixture.dir, L"idle.dat", fixture.idle, RMT_PATH_CCH) ||
        !rmt_copy_payload_dll(fixture.dir, fixture.payload, RMT_PATH_CCH) ||
        !rmt_path_join(fixture.dir, L"a directory", fixture.subdir, RMT_PATH_CCH) ||
        !CreateDirectoryW(fixture.subdir, NULL) ||
        !rmt_exe_path(L"rm_file_holder.exe", fixture.holder_image, RMT_PATH_CCH))
        return -1;
    wchar_t args[RMT_PATH_CCH * 3];
    _snwprintf(args, ARRAYSIZE(args), L"--hold \"%ls\" --load \"%ls\"", fixture.held,
               fixture.payload);
    if (!rmt_spawn(L"rm_file_holder.exe", args, &fixture.holder) ||
        !rmt_spawn(L"rm_gui_app.exe", L"--title \"rmt oom window\"", &fixture.window_app))
        return -1;
    /* The reference answer, from an unarmed call. */
    DWORD handle;
    WCHAR key[KEY_CCH];
    RM_PROCESS_INFO apps[APPS_CAPACITY];
    UINT count;
    LPCWSTR files[] = { fixture.held };
    if (RmStartSession(&handle, 0, key) ||
        RmRegisterResources(handle, 1, files, 0, NULL, 0, NULL) ||
        list(handle, &count, apps) || count != 1 || RmEndSession(handle))
        return -1;
    fixture.holder_info = apps[0];
    RM_UNIQUE_PROCESS processes[] = { fixture.window_app.unique };
    if (RmStartSession(&handle, 0, key) ||
        RmRegisterResources(handle, 0, NULL, 1, processes, 0, NULL) ||
        list(handle, &count, apps) || count != 1 || RmEndSession(handle))
        return -1;
    fixture.window_info = apps[0];
    printf("window application pid %lu: type %d, restartable %d, name \"%ls\"\n",
           fixture.window_app.pid, apps[0].ApplicationType, apps[0].bRestartable,
           apps[0].strAppName);
    apps[0] = fixture.holder_info;
    printf("holder pid %lu: type %d, restartable %d, status %#lx, name \"%ls\"\n",
           fixture.holder.pid, apps[0].ApplicationType, apps[0].bRestartable, apps[0].AppStatus,
           apps[0].strAppName);
    return 0;
}

/* A fault inside the DLL names its module and offset (for addr2line), then cmocka
 * reports the failed case. */
static LONG CALLBACK report_fault(EXCEPTION_POINTERS *info)
{
    DWORD code = info->ExceptionRecord->ExceptionCode;
    if (code != EXCEPTION_ACCESS_VIOLATION && code != EXCEPTION_ILLEGAL_INSTRUCTION &&
        code != EXCEPTION_INT_DIVIDE_BY_ZERO && code != EXCEPTION_STACK_OVERFLOW)
        return EXCEPTION_CONTINUE_SEARCH;
    HMODULE module = NULL;
    wchar_t name[MAX_PATH] = L"?";
    void *at = info->ExceptionRecord->ExceptionAddress;
    if (GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                           GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, at, &module))
        GetModuleFileNameW(module, name, MAX_PATH);
    fprintf(stderr, "exception %#lx at %ls+%#lx\n", code, name,
            (unsigned long)((const BYTE *)at - (const BYTE *)module));
    return EXCEPTION_CONTINUE_SEARCH;
}

static int group_teardown(void **state)
{
    (void)state;
    printf("oom: %lu of %u exports' sweeps passed, %lu fault points failed in turn: each a "
           "documented code or the whole answer, nothing leaked or half done\n", total_sweeps,
           (unsigned)ARRAYSIZE(cases), total_points);
    rmt_kill(&fixture.holder);
    rmt_kill(&fixture.window_app);
    return rmt_fixture_teardown(fixture.dir);
}

int wmain(void)
{
    struct CMUnitTest tests[ARRAYSIZE(cases)];
    for (size_t i = 0; i < ARRAYSIZE(cases); i++) {
        struct CMUnitTest test = { cases[i].name, test_every_export, NULL, NULL,
                                   (void *)&cases[i] };
        tests[i] = test;
    }
    AddVectoredExceptionHandler(1, report_fault);
    verbose = GetEnvironmentVariableW(L"RSTRTMGR_OOM_VERBOSE", NULL, 0) != 0;
    /* RSTRTMGR_OOM_ONLY=RmGetList runs one export's sweep (cmocka's test filter). */
    char only[64];
    DWORD length = GetEnvironmentVariableA("RSTRTMGR_OOM_ONLY", only, sizeof(only));
    if (length && length < sizeof(only))
        cmocka_set_test_filter(only);
    return _cmocka_run_group_tests("oom", tests, ARRAYSIZE(tests), group_setup, group_teardown);
}
