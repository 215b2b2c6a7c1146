// SPDX-License-Identifier: LGPL-2.1-or-later
/* Stress (issue 7): all 64 sessions at once, from 16 processes with 4 sessions each, every
 * session with 1,000 registered files, each process calling RmGetList on its sessions in
 * a loop for a bounded time (RSTRTMGR_STRESS_SECONDS, default 20) while file holders
 * start and exit underneath. Only documented results are accepted, and no process may
 * grow its handle count or private bytes between the end of a warm-up and the end. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>
#include "rstrtmgr/rstrtmgr_ext.h"
#include "rm_test_support.h"
#include "rmt_measure.h"
#include "stress_mix.h"

#define DEFAULT_SECONDS 20
#define RESULT_FIELDS 10

typedef struct worker_result {
    unsigned long loops, calls, handles_before, handles_after;
    unsigned long long private_before, private_after;
    unsigned long duration_ms, bad_results, first_bad, most_listed;
} worker_result;


static unsigned stress_seconds(void)
{
    wchar_t text[16];
    DWORD length = GetEnvironmentVariableW(L"RSTRTMGR_STRESS_SECONDS", text, ARRAYSIZE(text));
    unsigned seconds = length && length < ARRAYSIZE(text) ? (unsigned)_wtoi(text) : 0;
    return seconds ? seconds : DEFAULT_SECONDS;
}

/* ---- a worker: the test re-run as a child ---------------------------------------------- */

static void measure(unsigned long *handles, unsigned long long *private_total)
{
    *handles = rmt_handle_count();
    *private_total = rmt_private_bytes();
}

/* One RmGetList per session; anything but success or ERROR_MORE_DATA is counted. */
static void list_all(const DWORD *handles, worker_result *r)
{
    static RM_PROCESS_INFO apps[APPS_CAPACITY];
    for (int s = 0; s < SESSIONS_PER_WORKER; s++) {
        UINT needed = 0, count = APPS_CAPACITY;
        DWORD reasons = 0;
        DWORD error = RmGetList(handles[s], &needed, &count, apps, &reasons);
        r->calls++;
        if (error != ERROR_SUCCESS && error != ERROR_MORE_DATA && r->bad_results++ == 0)
            r->first_bad = error;
        if (needed > r->most_listed)
            r->most_listed = needed;
    }
    r->loops++;
}

/* worker INDEX SECONDS DIR RESULT_FILE START_EVENT READY_COUNTER */
static int run_worker(int arg_count, wchar_t **argv)
{
    (void)arg_count;
    unsigned index = (unsigned)_wtoi(argv[0]), seconds = (unsigned)_wtoi(argv[1]);
    DWORD handles[SESSIONS_PER_WORKER];
    WCHAR key[RMT_KEY_CCH];
    worker_result r = { 0 };
    for (int s = 0; s < SESSIONS_PER_WORKER; s++) {
        DWORD error = RmStartSession(&handles[s], 0, key);
        if (!error)
            error = register_session(handles[s], argv[2], L"stress", index, (unsigned)s);
        if (error)
            return (int)error;
    }
    HANDLE section = OpenFileMappingW(FILE_MAP_WRITE, FALSE, argv[5]);
    volatile LONG *ready = section ? MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, sizeof(LONG))
                                   : NULL;
    HANDLE go = OpenEventW(SYNCHRONIZE, FALSE, argv[4]);
    if (!ready || !go)
        return 89;
    InterlockedIncrement(ready);
    if (WaitForSingleObject(go, 120000) != WAIT_OBJECT_0)
        return 90;

    /* The warm-up (each session's index built, first allocations) lasts one round over
     * the sessions and at least a quarter of the time; then the baseline. */
    ULONGLONG started = GetTickCount64(), warmup_ms = seconds * 250ull, end_ms = seconds * 1000ull;
    BOOL measured = FALSE;
    unsigned long after_baseline = 0; /* at least one round is measured */
    while (GetTickCount64() - started < end_ms || after_baseline == 0) {
        list_all(handles, &r);
        if (measured) {
            after_baseline++;
        } else if (GetTickCount64() - started >= warmup_ms) {
            measure(&r.handles_before, &r.private_before);
            measured = TRUE;
        }
    }
    measure(&r.handles_after, &r.private_after);
    r.duration_ms = (unsigned long)(GetTickCount64() - started);
    for (int s = 0; s < SESSIONS_PER_WORKER; s++)
        if (RmEndSession(handles[s]) != ERROR_SUCCESS)
            return 91;

    FILE *out = _wfopen(argv[3], L"w");
    if (!out)
        return 92;
    fprintf(out, "%lu %lu %lu %lu %llu %llu %lu %lu %lu %lu\n", r.loops, r.calls,
            r.handles_before, r.handles_after, r.private_before, r.private_after, r.duration_ms,
            r.bad_results, r.first_bad, r.most_listed);
    fclose(out);
    return 0;
}

/* ---- the parent -------------------------------------------------------------------------- */

static void result_path(unsigned worker, wchar_t *out)
{
    _snwprintf(out, RMT_PATH_CCH, L"%ls\\result%02u.txt", rmt_test_dir, worker);
}

static void read_result(unsigned worker, worker_result *r)
{
    wchar_t path[RMT_PATH_CCH];
    result_path(worker, path);
    FILE *in = _wfopen(path, L"r");
    assert_non_null(in);
    int fields = fscanf(in, "%lu %lu %lu %lu %llu %llu %lu %lu %lu %lu", &r->loops, &r->calls,
                        &r->handles_before, &r->handles_after, &r->private_before,
                        &r->private_after, &r->duration_ms, &r->bad_results, &r->first_bad,
                        &r->most_listed);
    fclose(in);
    assert_int_equal(fields, RESULT_FIELDS);
}

static BOOL all_exited(const rmt_process *workers)
{
    for (int w = 0; w < WORKERS; w++)
        if (rmt_is_running(&workers[w]))
            return FALSE;
    return TRUE;
}

static void test_64_sessions_under_load(void **state)
{
    (void)state;
    unsigned seconds = stress_seconds(), random_state = GetTickCount(), holders_started = 0;
    rmt_process workers[WORKERS], holders[HOLDER_SLOTS] = { { 0 } };
    wchar_t file[RMT_PATH_CCH], go_name[128], result[RMT_PATH_CCH], args[3 * RMT_PATH_CCH];

    for (unsigned i = 0; i < HOT_FILES; i++) {
        wchar_t name[32];
        _snwprintf(name, ARRAYSIZE(name), L"hot%02u.dat", i);
        rmt_test_file(name, file);
    }
    HANDLE go = rmt_event_create(go_name, ARRAYSIZE(go_name));
    assert_non_null(go);
    wchar_t ready_name[128];
    _snwprintf(ready_name, ARRAYSIZE(ready_name), L"Local\\rmt_stress_ready_%lu",
               (unsigned long)GetCurrentProcessId());
    HANDLE section = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0,
                                        sizeof(LONG), ready_name);
    volatile LONG *ready = section ? MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, sizeof(LONG))
                                   : NULL;
    assert_non_null((void *)ready);
    for (unsigned w = 0; w < WORKERS; w++) {
        result_path(w, result);
        _snwprintf(args, ARRAYSIZE(args), L"--child worker %u %u \"%ls\" \"%ls\" %ls %ls", w,
                   seconds, rmt_test_dir, result, go_name, ready_name);
        assert_true(rmt_spawn_self(args, &workers[w]));
    }
    /* Every session exists and is registered before the load starts: 64 of 64. */
    DWORD extra = 0xdeadbeef, wait_started = GetTickCount();
    WCHAR key[RMT_KEY_CCH];
    while (*ready < WORKERS) {
        if (GetTickCount() - wait_started > 120000 || all_exited(workers))
            fail_msg("only %ld of %d workers got ready", (long)*ready, WORKERS);
        Sleep(20);
    }
    printf("stress: %d sessions registered in %.1f s\n", WORKERS * SESSIONS_PER_WORKER,
           (GetTickCount() - wait_started) / 1000.0);
    assert_int_equal(RmStartSession(&extra, 0, key), ERROR_MAX_SESSIONS_REACHED);
    assert_int_equal(extra, 0xdeadbeef);
    UnmapViewOfFile((void *)ready);
    CloseHandle(section);
    ULONGLONG started = GetTickCount64();
    SetEvent(go);

    while (!all_exited(workers) && GetTickCount64() - started < (seconds + 120) * 1000ull) {
        for (int h = 0; h < HOLDER_SLOTS; h++) {
            if (holders[h].process && rmt_is_running(&holders[h]))
                continue;
            rmt_close(&holders[h]);
            if (GetTickCount64() - started < seconds * 1000ull) {
                assert_true(start_holder(rmt_test_dir, &holders[h], &random_state));
                holders_started++;
            }
        }
        Sleep(20);
    }
    double wall = (double)(GetTickCount64() - started) / 1000.0;
    for (int h = 0; h < HOLDER_SLOTS; h++)
        rmt_kill(&holders[h]);
    CloseHandle(go);

    unsigned long loops = 0, calls = 0, bad = 0, handle_growth = 0, listed = 0;
    unsigned long handles_low = ~0ul, handles_high = 0;
    long long private_growth = LLONG_MIN;
    unsigned long long private_low = ~0ull, private_high = 0;
    for (unsigned w = 0; w < WORKERS; w++) {
        DWORD code = 0xdeadbeef;
        assert_true(rmt_exit_code(&workers[w], &code));
        if (code != 0)
            fail_msg("worker %u exited with %lu", w, (unsigned long)code);
        rmt_close(&workers[w]);
        worker_result r;
        read_result(w, &r);
        printf("stress worker %2u: %lu loops, %lu RmGetList, handles %lu -> %lu, private bytes "
               "%llu -> %llu KiB, %lu ms%s\n", w, r.loops, r.calls, r.handles_before,
               r.handles_after, r.private_before / 1024, r.private_after / 1024, r.duration_ms,
               r.bad_results ? " UNEXPECTED RESULTS" : "");
        if (r.bad_results)
            fail_msg("worker %u: %lu unexpected RmGetList results, the first %lu", w,
                     r.bad_results, r.first_bad);
        loops += r.loops;
        calls += r.calls;
        bad += r.bad_results;
        listed = r.most_listed > listed ? r.most_listed : listed;
        long long grew = (long long)r.private_after - (long long)r.private_before;
        private_growth = grew > private_growth ? grew : private_growth;
        if (r.handles_after > r.handles_before && r.handles_after - r.handles_before > handle_growth)
            handle_growth = r.handles_after - r.handles_before;
        handles_low = r.handles_before < handles_low ? r.handles_before : handles_low;
        handles_high = r.handles_after > handles_high ? r.handles_after : handles_high;
        private_low = r.private_before < private_low ? r.private_before : private_low;
        private_high = r.private_after > private_high ? r.private_after : private_high;
        rmt_assert_le(r.handles_after, r.handles_before + HANDLE_GROWTH_MAX);
        rmt_assert_le(r.private_after, r.private_before + PRIVATE_GROWTH_MAX);
    }
    printf("stress: %d processes x %d sessions = %d sessions x %d files, %u s per process "
           "(%.1f s wall): %lu loops, %lu RmGetList calls (%.0f/s), up to %lu holders listed, "
           "%u holder processes started and exited underneath, unexpected results: %lu\n",
           WORKERS, SESSIONS_PER_WORKER, WORKERS * SESSIONS_PER_WORKER, FILES_PER_SESSION,
           seconds, wall, loops, calls, (double)calls / wall, listed, holders_started, bad);
    printf("stress: per process after warm-up -> end: handles %lu..%lu, max growth %lu "
           "(allowed %d); private bytes %llu..%llu KiB, max growth %lld KiB (allowed %d KiB)\n",
           handles_low, handles_high, handle_growth, HANDLE_GROWTH_MAX, private_low / 1024,
           private_high / 1024, private_growth / 1024, PRIVATE_GROWTH_MAX / 1024);
    rmt_assert_gt(holders_started, 0);
    rmt_assert_gt(listed, 0); /* the holders were seen */
}

static const rmt_child_role child_roles[] = {
    { L"worker", 6, run_worker },
};

RMT_MAIN("stress", child_roles, rmt_setup, rmt_teardown,
         cmocka_unit_test(test_64_sessions_under_load))
