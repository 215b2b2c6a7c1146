// SPDX-License-Identifier: LGPL-2.1-or-later
/* What the RmGetList tests (test_getlist) use: a holder of a file, the resources one
 * session registers, and one listing with the two-call protocol a real client uses.
 * Header-only like session_calls.h; include after cmocka.h and rm_test_support.h. */
#ifndef RM_GETLIST_CALLS_H
#define RM_GETLIST_CALLS_H

#include <string.h>
#include <wchar.h>

/* The crowd test_many_holders starts (C-41), and what one listing can hold. */
#define MANY_HOLDERS 300
#define LISTING_CAPACITY (MANY_HOLDERS + 64)

/* A holder of file with the share mode share (rm_file_holder's --share). */
static inline void spawn_holder(const wchar_t *file, const wchar_t *share, rmt_process *out)
{
    wchar_t args[RMT_ARGS_CCH];
    _snwprintf(args, RMT_ARGS_CCH, L"--hold \"%ls\" --share %ls", file, share);
    rmt_must_spawn(L"rm_file_holder.exe", args, out);
}

/* What one session registers. */
typedef struct resources {
    UINT file_count;
    const wchar_t *files[4];
    UINT process_count;
    RM_UNIQUE_PROCESS processes[2];
    UINT service_count;
    const wchar_t *services[2];
} resources;

/* One RmGetList answer, how long it took. */
typedef struct listing {
    DWORD error;
    UINT count;
    DWORD reasons;
    RM_PROCESS_INFO apps[LISTING_CAPACITY];
    double milliseconds;
} listing;

static inline DWORD register_all(DWORD handle, const resources *what)
{
    return RmRegisterResources(handle, what->file_count, (LPCWSTR *)what->files,
                               what->process_count, (RM_UNIQUE_PROCESS *)what->processes,
                               what->service_count, (LPCWSTR *)what->services);
}

/* Lists with the two-call protocol a real client uses, in a fresh session. */
static inline void list_resources(const resources *what, listing *out)
{
    DWORD handle;
    WCHAR key[RMT_KEY_CCH] = {0};
    UINT needed = 0;
    memset(out, 0, sizeof(*out));
    assert_int_equal(RmStartSession(&handle, 0, key), ERROR_SUCCESS);
    assert_int_equal(register_all(handle, what), ERROR_SUCCESS);
    double start = rmt_now_ms();
    out->error = RmGetList(handle, &needed, &out->count, NULL, &out->reasons);
    if (out->error == ERROR_MORE_DATA) {
        rmt_assert_gt(needed, 0);
        rmt_assert_le(needed, LISTING_CAPACITY);
        out->count = needed;
        out->error = RmGetList(handle, &needed, &out->count, out->apps, &out->reasons);
    }
    out->milliseconds = rmt_now_ms() - start;
    if (out->error == ERROR_SUCCESS)
        assert_int_equal(out->count, needed);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

static inline const RM_PROCESS_INFO *find_app(const listing *list, DWORD pid)
{
    return rmt_find_app(list->apps, list->count, pid);
}

/* p is listed, with its start time. */
static inline void assert_lists(const listing *list, const rmt_process *p)
{
    const RM_PROCESS_INFO *app = find_app(list, p->pid);
    if (!app)
        fail_msg("pid %lu not listed (error %lu, %u entries)", (unsigned long)p->pid,
                 (unsigned long)list->error, list->count);
    assert_int_equal(app->Process.ProcessStartTime.dwLowDateTime, p->start_time.dwLowDateTime);
    assert_int_equal(app->Process.ProcessStartTime.dwHighDateTime, p->start_time.dwHighDateTime);
}

static inline void assert_not_listed(const listing *list, DWORD pid)
{
    if (find_app(list, pid))
        fail_msg("pid %lu listed but should not be", (unsigned long)pid);
}

static inline resources one_file(const wchar_t *path)
{
    resources what = { 1, { path }, 0, { { 0 } }, 0, { NULL } };
    return what;
}

#endif
