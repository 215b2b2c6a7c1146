// SPDX-License-Identifier: LGPL-2.1-or-later
/* Fault injection (issue 7): processes killed with TerminateProcess at a random moment
 * while they register, list, shut down, hold the session-table mutex or fill the
 * 64-session limit. After each kill: the dead session's key no longer joins (1219), the
 * table is intact, a new session starts, and sessions of processes that survived keep
 * everything they registered (read straight from their stores with session_probe).
 * RSTRTMGR_FAULT_SEED=N repeats a run's kill moments. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>
#include "rstrtmgr/rstrtmgr_ext.h"
#include "rm_test_support.h"
#include "session_probe.h"
#include "session_table.h"

#define BATCH 1000
#define SURVIVOR_FILES 500      /* registered by this process */
#define OTHER_SURVIVOR_FILES 300 /* registered by a child that lives through every test */
#define LISTED_FILES 5000
#define KILL_WINDOW_MS 400
/* Looping victims are killed once they completed a random number of calls below these
 * (then a few random ms more): whatever the machine's speed, the kill lands inside a
 * call and the store stays far from full. */
#define REGISTER_CALLS_MAX 40
#define GETLIST_CALLS_MAX 4
#define LOCK_TIMEOUT_TEXT L"1500"
#define LOCK_TIMEOUT_MS 1500
#define FILLERS 4
#define FILL_PER_CHILD 16
/* Kills per test. */
#define REGISTER_ROUNDS 3
#define LIST_ROUNDS 2
#define SHUTDOWN_ROUNDS 2
#define SECONDARY_ROUNDS 3

typedef struct victim {
    rmt_process process;
    WCHAR key[RMT_KEY_CCH];
    unsigned long extra;        /* a number the child reported with its key */
    HANDLE counter_section;
    volatile LONG *calls;       /* calls the child completed, counted by the child */
} victim;

static struct {
    wchar_t temp_dir[RMT_PATH_CCH];
    unsigned seed, random_state;
    DWORD survivor;             /* this process's own session */
    WCHAR survivor_key[RMT_KEY_CCH];
    victim other;               /* a surviving child with its own session */
    unsigned fault_cases, victims;
    HANDLE spawned[64];         /* every victim but `other`, for the teardown of a failure */
    unsigned spawned_count;
} group;

/* ---- shared plumbing ------------------------------------------------------------- */

static unsigned random_below(unsigned bound)
{
    group.random_state = group.random_state * 1103515245u + 12345u;
    return (group.random_state >> 8) % bound;
}

/* Registers count distinct files named after tag and first in batches of BATCH. */
static DWORD register_files(DWORD handle, const wchar_t *tag, unsigned first, unsigned count)
{
    enum { STRIDE = 96 };
    static wchar_t storage[BATCH][STRIDE];
    LPCWSTR paths[BATCH];
    DWORD error = ERROR_SUCCESS;
    for (unsigned done = 0; done < count && error == ERROR_SUCCESS; done += BATCH) {
        unsigned n = count - done < BATCH ? count - done : BATCH;
        for (unsigned i = 0; i < n; i++) {
            _snwprintf(storage[i], STRIDE, L"C:\\rmt faults\\%ls\\%u\\file%u.dll", tag,
                       (first + done) / BATCH, i);
            paths[i] = storage[i];
        }
        error = RmRegisterResources(handle, n, paths, 0, NULL, 0, NULL);
    }
    return error;
}


/* ---- children ---------------------------------------------------------------------- */

/* Writes "KEY EXTRA" to key_file and sets the event: the parent may act from now on. */
static int child_ready(const wchar_t *key_file, const wchar_t *event_name, const WCHAR *key,
                       unsigned long extra)
{
    FILE *out = _wfopen(key_file, L"w");
    if (!out)
        return 90;
    fprintf(out, "%ls %lu\n", key, extra);
    fclose(out);
    HANDLE ready = OpenEventW(EVENT_MODIFY_STATE, FALSE, event_name);
    if (!ready || !SetEvent(ready))
        return 91;
    CloseHandle(ready);
    return 0;
}

/* The parent's count of the calls this child completed (its third argument). */
static volatile LONG *child_counter(wchar_t **args)
{
    HANDLE section = OpenFileMappingW(FILE_MAP_WRITE, FALSE, args[2]);
    return section ? MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, sizeof(LONG)) : NULL;
}

static int child_own_and_wait(int arg_count, wchar_t **args)
{
    (void)arg_count;
    DWORD handle;
    WCHAR key[RMT_KEY_CCH];
    DWORD error = RmStartSession(&handle, 0, key);
    if (!error)
        error = register_files(handle, L"other survivor", 0, (unsigned)_wtoi(args[3]));
    if (error || child_ready(args[0], args[1], key, 0))
        return error ? (int)error : 92;
    Sleep(10 * RMT_CHILD_TIMEOUT_MS);
    return 0;
}

/* Registers batch after batch until killed. */
static int child_register_loop(int arg_count, wchar_t **args)
{
    (void)arg_count;
    DWORD handle;
    WCHAR key[RMT_KEY_CCH];
    volatile LONG *calls = child_counter(args);
    DWORD error = calls ? RmStartSession(&handle, 0, key) : 95;
    if (!error && child_ready(args[0], args[1], key, 0))
        return 92;
    for (unsigned batch = 0; !error; batch++) {
        error = register_files(handle, L"victim", batch * BATCH, BATCH);
        InterlockedIncrement(calls);
    }
    return (int)error;
}

/* Lists again and again, many files registered (its own image among them), until killed. */
static int child_getlist_loop(int arg_count, wchar_t **args)
{
    (void)arg_count;
    DWORD handle;
    WCHAR key[RMT_KEY_CCH], self[MAX_PATH];
    LPCWSTR image = self;
    volatile LONG *calls = child_counter(args);
    GetModuleFileNameW(NULL, self, MAX_PATH);
    DWORD error = calls ? RmStartSession(&handle, 0, key) : 95;
    if (!error)
        error = register_files(handle, L"lister", 0, LISTED_FILES);
    if (!error)
        error = RmRegisterResources(handle, 1, &image, 0, NULL, 0, NULL);
    if (!error && child_ready(args[0], args[1], key, 0))
        return 92;
    while (!error || error == ERROR_MORE_DATA) {
        UINT needed = 0, count = 0;
        DWORD reasons;
        error = RmGetList(handle, &needed, &count, NULL, &reasons);
        InterlockedIncrement(calls);
    }
    return (int)error;
}

/* Registers a file a hung window application holds, then shuts it down (long). */
static int child_shutdown_hang(int arg_count, wchar_t **args)
{
    (void)arg_count;
    DWORD handle;
    WCHAR key[RMT_KEY_CCH];
    wchar_t held[RMT_PATH_CCH], app_args[RMT_PATH_CCH + 100];
    rmt_process app;
    if (!rmt_make_file(args[3], L"hung.dat", held, RMT_PATH_CCH))
        return 93;
    _snwprintf(app_args, ARRAYSIZE(app_args),
               L"--title \"rmt fault hang\" --on-query hang --hold \"%ls\"", held);
    if (!rmt_spawn(L"rm_gui_app.exe", app_args, &app))
        return 94;
    LPCWSTR file = held;
    DWORD error = RmStartSession(&handle, 0, key);
    if (!error)
        error = RmRegisterResources(handle, 1, &file, 0, NULL, 0, NULL);
    if (error || child_ready(args[0], args[1], key, app.pid))
        return error ? (int)error : 92;
    return (int)RmShutdown(handle, RmForceShutdown, NULL);
}

/* Joins the primary's session and registers batches into it until killed, counting
 * every batch the DLL confirmed in a section the parent reads. */
static int child_join_register_loop(int arg_count, wchar_t **args)
{
    (void)arg_count;
    DWORD handle;
    volatile LONG *confirmed = child_counter(args);
    DWORD error = confirmed ? RmJoinSession(&handle, args[3]) : 95;
    if (!error && child_ready(args[0], args[1], args[3], 0))
        return 92;
    for (unsigned batch = 0; !error; batch++) {
        error = register_files(handle, L"secondary", batch * BATCH, BATCH);
        if (!error)
            InterlockedIncrement(confirmed);
    }
    return (int)error;
}

/* Takes the session-table mutex and keeps it until killed. */
static int child_hold_lock(int arg_count, wchar_t **args)
{
    (void)arg_count;
    wchar_t name[256];
    if (!probe_object_name(L"lock", name, ARRAYSIZE(name)))
        return 96;
    HANDLE mutex = OpenMutexW(SYNCHRONIZE, FALSE, name);
    if (!mutex || WaitForSingleObject(mutex, 10000) != WAIT_OBJECT_0)
        return 97;
    if (child_ready(args[0], args[1], L"-", 0))
        return 92;
    Sleep(10 * RMT_CHILD_TIMEOUT_MS);
    return 0;
}

/* Starts up to MAX sessions (fewer if the limit comes first) and waits to be killed. */
static int child_fill(int arg_count, wchar_t **args)
{
    (void)arg_count;
    DWORD handle;
    WCHAR key[RMT_KEY_CCH], first[RMT_KEY_CCH] = L"-";
    unsigned long started = 0, max = (unsigned long)_wtoi(args[3]);
    DWORD error = ERROR_SUCCESS;
    while (started < max && (error = RmStartSession(&handle, 0, key)) == ERROR_SUCCESS)
        if (started++ == 0)
            wcscpy(first, key);
    if (error != ERROR_SUCCESS && error != ERROR_MAX_SESSIONS_REACHED)
        return (int)error;
    if (child_ready(args[0], args[1], first, started))
        return 92;
    Sleep(10 * RMT_CHILD_TIMEOUT_MS);
    return 0;
}

static const rmt_child_role child_roles[] = {
    { L"own-and-wait", 4, child_own_and_wait },
    { L"register-loop", 3, child_register_loop },
    { L"getlist-loop", 3, child_getlist_loop },
    { L"shutdown-hang", 4, child_shutdown_hang },
    { L"join-register-loop", 4, child_join_register_loop },
    { L"hold-lock", 3, child_hold_lock },
    { L"fill", 4, child_fill },
};

/* ---- the parent's side --------------------------------------------------------------- */

/* Starts "--child ROLE KEYFILE EVENT COUNTER [more]" and waits until it reported its key. */
static void spawn_victim(const wchar_t *role, const wchar_t *more, victim *v)
{
    wchar_t key_file[RMT_PATH_CCH], name[64], event_name[128], counter_name[128];
    wchar_t args[3 * RMT_PATH_CCH];
    char key[64] = "";
    memset(v, 0, sizeof(*v));
    _snwprintf(name, ARRAYSIZE(name), L"victim%u.txt", ++group.victims);
    assert_true(rmt_path_join(group.temp_dir, name, key_file, RMT_PATH_CCH));
    HANDLE ready = rmt_event_create(event_name, ARRAYSIZE(event_name));
    assert_non_null(ready);
    _snwprintf(counter_name, ARRAYSIZE(counter_name), L"Local\\rmt_faults_%lu_%u",
               (unsigned long)GetCurrentProcessId(), group.victims);
    v->counter_section = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0,
                                            sizeof(LONG), counter_name);
    assert_non_null(v->counter_section);
    v->calls = MapViewOfFile(v->counter_section, FILE_MAP_WRITE, 0, 0, sizeof(LONG));
    assert_non_null((void *)v->calls);
    _snwprintf(args, ARRAYSIZE(args), L"--child %ls \"%ls\" %ls %ls %ls", role, key_file,
               event_name, counter_name, more ? more : L"");
    assert_true(rmt_spawn_self(args, &v->process));
    if (v != &group.other && group.spawned_count < ARRAYSIZE(group.spawned))
        DuplicateHandle(GetCurrentProcess(), v->process.process, GetCurrentProcess(),
                        &group.spawned[group.spawned_count++], 0, FALSE, DUPLICATE_SAME_ACCESS);
    HANDLE waits[2] = { ready, v->process.process };
    DWORD wait = WaitForMultipleObjects(2, waits, FALSE, RMT_CHILD_TIMEOUT_MS);
    CloseHandle(ready);
    if (wait != WAIT_OBJECT_0) {
        DWORD code = 0;
        GetExitCodeProcess(v->process.process, &code);
        fail_msg("child %ls was not ready (exit code %lu)", role, (unsigned long)code);
    }
    FILE *in = _wfopen(key_file, L"r");
    assert_non_null(in);
    assert_int_equal(fscanf(in, "%63s %lu", key, &v->extra), 2);
    fclose(in);
    MultiByteToWideChar(CP_ACP, 0, key, -1, v->key, RMT_KEY_CCH);
}

static void victim_close(victim *v)
{
    if (v->calls)
        UnmapViewOfFile((void *)v->calls);
    if (v->counter_section)
        CloseHandle(v->counter_section);
    v->calls = NULL;
    v->counter_section = NULL;
}

/* Kills v once it completed a random number of calls below max_calls, a random few ms
 * later (max_calls 0: at a random moment of the next KILL_WINDOW_MS + extra_ms). */
static void kill_at_random(victim *v, unsigned max_calls, unsigned extra_ms)
{
    if (max_calls) {
        LONG target = (LONG)random_below(max_calls) + 1;
        DWORD started = GetTickCount();
        while (*v->calls < target && rmt_is_running(&v->process) &&
               GetTickCount() - started < RMT_CHILD_TIMEOUT_MS)
            Sleep(1);
        Sleep(random_below(20));
    } else {
        Sleep(random_below(KILL_WINDOW_MS) + extra_ms);
    }
    DWORD code = 0;
    if (rmt_exit_code(&v->process, &code))
        fail_msg("the child ended by itself before the kill (exit code %lu)", (unsigned long)code);
    assert_true(rmt_kill(&v->process));
}

/* With the lock taken by a call just made: a valid header, no damaged slot, and only
 * the sessions of living processes counted. */
static void assert_table_consistent(unsigned live_sessions)
{
    HANDLE section;
    rm_table *table = probe_map_table(&section);
    assert_non_null(table);
    assert_true(rm_table_header_valid(table));
    for (int i = 0; i < RM_MAX_SESSIONS; i++)
        assert_int_not_equal(rm_slot_status_of(&table->slots[i]), RM_SLOT_STATUS_CORRUPT);
    unsigned active = rm_table_active_count(table);
    UnmapViewOfFile(table);
    CloseHandle(section);
    assert_int_equal(active, live_sessions);
}

/* Both survivors still hold all they registered and still work. */
static void assert_survivors_intact(void)
{
    DWORD joined;
    UINT needed = 0, count = 0;
    DWORD reasons;
    assert_int_equal(probe_count_files(group.survivor_key), SURVIVOR_FILES);
    assert_int_equal(probe_count_files(group.other.key), OTHER_SURVIVOR_FILES);
    assert_int_equal(RmGetList(group.survivor, &needed, &count, NULL, &reasons), ERROR_SUCCESS);
    assert_int_equal(needed, 0);
    assert_int_equal(RmJoinSession(&joined, group.other.key), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(joined), ERROR_SUCCESS);
}

/* What must hold after a primary died: its key is dead, the table is intact (only the
 * survivors and `others` live sessions left), a new session starts. */
static void assert_recovered_after(const victim *v, unsigned others)
{
    DWORD joined = 0xdeadbeef, fresh;
    WCHAR key[RMT_KEY_CCH];
    assert_int_equal(RmJoinSession(&joined, v->key), ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(joined, 0xdeadbeef);
    assert_table_consistent(2 + others);
    assert_int_equal(RmStartSession(&fresh, 0, key), ERROR_SUCCESS);
    assert_int_equal(register_files(fresh, L"after a kill", 0, 10), ERROR_SUCCESS);
    assert_int_equal(probe_count_files(key), 10);
    assert_int_equal(RmEndSession(fresh), ERROR_SUCCESS);
    assert_survivors_intact();
}

/* ---- the faults ---------------------------------------------------------------------- */

static void test_primary_killed_while_registering(void **state)
{
    (void)state;
    for (int round = 0; round < REGISTER_ROUNDS; round++) {
        victim v;
        spawn_victim(L"register-loop", NULL, &v);
        kill_at_random(&v, REGISTER_CALLS_MAX, 0);
        assert_recovered_after(&v, 0);
        victim_close(&v);
        group.fault_cases++;
    }
}

static void test_primary_killed_while_listing(void **state)
{
    (void)state;
    for (int round = 0; round < LIST_ROUNDS; round++) {
        victim v;
        spawn_victim(L"getlist-loop", NULL, &v);
        kill_at_random(&v, GETLIST_CALLS_MAX, 0);
        assert_recovered_after(&v, 0);
        victim_close(&v);
        group.fault_cases++;
    }
}

static void test_primary_killed_during_shutdown(void **state)
{
    (void)state;
    wchar_t more[RMT_PATH_CCH + 4];
    _snwprintf(more, ARRAYSIZE(more), L"\"%ls\"", group.temp_dir);
    for (int round = 0; round < SHUTDOWN_ROUNDS; round++) {
        victim v;
        spawn_victim(L"shutdown-hang", more, &v);
        /* The hung application answers nothing for the message timeout (5 s by default):
         * the kill lands inside RmShutdown. */
        kill_at_random(&v, 0, 100);
        assert_recovered_after(&v, 0);
        victim_close(&v);
        group.fault_cases++;
        /* Its hung application goes too (it was in the killed process's job). */
        HANDLE app = OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE, FALSE, (DWORD)v.extra);
        if (app) {
            TerminateProcess(app, RMT_EXIT_KILLED);
            WaitForSingleObject(app, RMT_EXIT_TIMEOUT_MS);
            CloseHandle(app);
        }
    }
}

static void test_secondary_killed_while_registering(void **state)
{
    (void)state;
    for (int round = 0; round < SECONDARY_ROUNDS; round++) {
        DWORD primary, joined;
        WCHAR key[RMT_KEY_CCH];
        victim v;
        assert_int_equal(RmStartSession(&primary, 0, key), ERROR_SUCCESS);
        assert_int_equal(register_files(primary, L"primary", 0, 100), ERROR_SUCCESS);
        spawn_victim(L"join-register-loop", key, &v);
        kill_at_random(&v, REGISTER_CALLS_MAX, 0);

        /* Every confirmed batch is there, and at most part of the one cut short; the
         * store reads back whole (a torn record would fail the probe). */
        size_t done = (size_t)*v.calls, files = probe_count_files(key);
        if (files == (size_t)-1)
            fail_msg("the store cannot be read back after the kill");
        if (files < 100 + done * BATCH || files > 100 + (done + 1) * BATCH)
            fail_msg("store holds %zu files after %zu confirmed batches", files, done);
        UINT needed = 0, count = 0;
        DWORD reasons;
        assert_int_equal(RmGetList(primary, &needed, &count, NULL, &reasons), ERROR_SUCCESS);
        assert_int_equal(register_files(primary, L"primary after", 0, 1), ERROR_SUCCESS);
        assert_int_equal(probe_count_files(key), files + 1);
        assert_int_equal(RmJoinSession(&joined, key), ERROR_SUCCESS);
        assert_int_equal(RmEndSession(joined), ERROR_SUCCESS);
        assert_table_consistent(3);
        assert_survivors_intact();
        assert_int_equal(RmEndSession(primary), ERROR_SUCCESS);
        printf("secondary killed after %zu confirmed batches of %d; the store kept %zu files\n",
               done, BATCH, files);
        victim_close(&v);
        group.fault_cases++;
    }
}

static double now_ms(void)
{
    LARGE_INTEGER frequency, counter;
    QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&counter);
    return (double)counter.QuadPart * 1000.0 / (double)frequency.QuadPart;
}

static void test_lock_holder_killed(void **state)
{
    (void)state;
    DWORD handle = 0xdeadbeef;
    WCHAR key[RMT_KEY_CCH];
    victim v;
    /* Read at every call: a short bound for this test only. */
    SetEnvironmentVariableW(L"RSTRTMGR_LOCK_TIMEOUT_MS", LOCK_TIMEOUT_TEXT);
    spawn_victim(L"hold-lock", NULL, &v);

    double started = now_ms();
    assert_int_equal(RmStartSession(&handle, 0, key), ERROR_SEM_TIMEOUT);
    double waited = now_ms() - started;
    assert_int_equal(handle, 0xdeadbeef);
    assert_int_equal(register_files(group.survivor, L"blocked", 0, 1), ERROR_SEM_TIMEOUT);
    printf("lock held by another process: RmStartSession gave up after %.0f ms\n", waited);
    rmt_assert_ge(waited, LOCK_TIMEOUT_MS - 50);
    rmt_assert_lt(waited, 4 * LOCK_TIMEOUT_MS);
    group.fault_cases++;

    assert_true(rmt_kill(&v.process)); /* abandons the mutex */
    victim_close(&v);
    assert_int_equal(RmStartSession(&handle, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    assert_table_consistent(2);
    assert_survivors_intact();
    group.fault_cases++;
    SetEnvironmentVariableW(L"RSTRTMGR_LOCK_TIMEOUT_MS", NULL);
}

static void test_dead_processes_free_the_session_limit(void **state)
{
    (void)state;
    victim fillers[FILLERS];
    DWORD handles[RM_MAX_SESSIONS], joined, extra = 0xdeadbeef;
    WCHAR key[RMT_KEY_CCH];
    unsigned long filled = 0;
    wchar_t more[16];
    _snwprintf(more, ARRAYSIZE(more), L"%d", FILL_PER_CHILD);
    for (int i = 0; i < FILLERS; i++) {
        spawn_victim(L"fill", more, &fillers[i]);
        filled += fillers[i].extra;
    }
    /* The survivors hold 2; the fillers took the other 62. */
    assert_int_equal(filled, RM_MAX_SESSIONS - 2);
    assert_int_equal(RmStartSession(&extra, 0, key), ERROR_MAX_SESSIONS_REACHED);
    assert_int_equal(extra, 0xdeadbeef);
    for (int i = 0; i < FILLERS; i++) {
        kill_at_random(&fillers[i], 0, 0);
        victim_close(&fillers[i]);
    }
    assert_int_equal(RmJoinSession(&joined, fillers[0].key), ERROR_SESSION_CREDENTIAL_CONFLICT);

    /* Every slot of the dead comes back, and no more. */
    unsigned started = 0;
    while (started < RM_MAX_SESSIONS) {
        DWORD error = RmStartSession(&handles[started], 0, key);
        if (error == ERROR_MAX_SESSIONS_REACHED)
            break;
        assert_int_equal(error, ERROR_SUCCESS);
        started++;
    }
    assert_int_equal(started, RM_MAX_SESSIONS - 2);
    assert_table_consistent(RM_MAX_SESSIONS);
    for (unsigned i = 0; i < started; i++)
        assert_int_equal(RmEndSession(handles[i]), ERROR_SUCCESS);
    assert_survivors_intact();
    group.fault_cases += FILLERS;
}

/* ---- groups ---------------------------------------------------------------------------- */

static int group_setup(void **state)
{
    (void)state;
    wchar_t text[16], more[16];
    DWORD length = GetEnvironmentVariableW(L"RSTRTMGR_FAULT_SEED", text, ARRAYSIZE(text));
    group.seed = length && length < ARRAYSIZE(text) ? (unsigned)_wtoi(text)
                                                    : (unsigned)GetTickCount();
    group.random_state = group.seed;
    printf("fault seed: %u (RSTRTMGR_FAULT_SEED=%u repeats the kill moments)\n", group.seed,
           group.seed);
    if (!rmt_temp_dir(group.temp_dir, RMT_PATH_CCH))
        return -1;
    if (RmStartSession(&group.survivor, 0, group.survivor_key) != ERROR_SUCCESS ||
        register_files(group.survivor, L"survivor", 0, SURVIVOR_FILES) != ERROR_SUCCESS)
        return -1;
    _snwprintf(more, ARRAYSIZE(more), L"%d", OTHER_SURVIVOR_FILES);
    spawn_victim(L"own-and-wait", more, &group.other);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    rmt_kill_all();
    RmEndSession(group.survivor);
    rmt_remove_dir(group.temp_dir);
    printf("fault cases: %u passed of %d (TerminateProcess at a random moment: primary in "
           "RmRegisterResources x%d, in RmGetList x%d, in RmShutdown x%d, secondary in "
           "RmRegisterResources x%d, holder of the session-table mutex x2 (timeout, then "
           "killed), %d processes filling the 64-session limit; seed %u)\n",
           group.fault_cases, REGISTER_ROUNDS + LIST_ROUNDS + SHUTDOWN_ROUNDS +
           SECONDARY_ROUNDS + 2 + FILLERS, REGISTER_ROUNDS, LIST_ROUNDS, SHUTDOWN_ROUNDS,
           SECONDARY_ROUNDS, FILLERS, group.seed);
    return 0;
}

/* A failed test may leave its victims: end them so the next test's counts hold. */
static int kill_victims(void **state)
{
    (void)state;
    SetEnvironmentVariableW(L"RSTRTMGR_LOCK_TIMEOUT_MS", NULL);
    for (unsigned i = 0; i < group.spawned_count; i++) {
        TerminateProcess(group.spawned[i], RMT_EXIT_KILLED);
        WaitForSingleObject(group.spawned[i], RMT_EXIT_TIMEOUT_MS);
        CloseHandle(group.spawned[i]);
    }
    group.spawned_count = 0;
    return 0;
}

RMT_MAIN("faults", child_roles, group_setup, group_teardown,
         cmocka_unit_test_teardown(test_primary_killed_while_registering, kill_victims),
         cmocka_unit_test_teardown(test_primary_killed_while_listing, kill_victims),
         cmocka_unit_test_teardown(test_primary_killed_during_shutdown, kill_victims),
         cmocka_unit_test_teardown(test_secondary_killed_while_registering, kill_victims),
         cmocka_unit_test_teardown(test_lock_holder_killed, kill_victims),
         cmocka_unit_test_teardown(test_dead_processes_free_the_session_limit, kill_victims))
