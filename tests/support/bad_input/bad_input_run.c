// SPDX-License-Identifier: LGPL-2.1-or-later
#include "bad_input_run.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>
#include <windows.h>
#include "rm_test_support.h"
#include "session_probe.h"
#include "session_table.h"
#include "bad_input_args.h"

#define KEY_BUFFER_CCH 40
#define SENTINEL 0xA5A5A5A5u
#define SENTINEL_BYTE 0xA5
#define FILL 0xCC
#define FILL_UNIT 0xCCCC
/* No fixture of ours takes a handle value this high (they use 0-7). */
#define HIGHEST_FIXTURE_HANDLE 7
#define FILTER_BUFFER_BYTES 1024

bi_foreign bi_other_process;

static struct {
    rmt_process holder;         /* holds held_file open, for FX_HELD */
    wchar_t temp_dir[RMT_PATH_CCH];
    wchar_t held_file[RMT_PATH_CCH];
} helpers;

typedef struct fixture {
    DWORD primary, joined, ended, orphaned, left;
    WCHAR key[RMT_KEY_CCH], ended_key[RMT_KEY_CCH], orphaned_key[RMT_KEY_CCH];
    unsigned sessions_before;   /* active sessions before the fixture was built */
    DWORD filter_bytes;         /* what RmGetFilterList needs for the primary */
} fixture;

typedef struct counts {
    size_t files, processes, services;
} counts;

/* ---- observing the shared state --------------------------------------------------- */

static unsigned active_sessions(void)
{
    HANDLE section;
    rm_table *table = probe_map_table(&section);
    if (!table)
        return 0;
    unsigned count = rm_table_active_count(table);
    UnmapViewOfFile(table);
    CloseHandle(section);
    return count;
}

static counts store_counts(const WCHAR *key)
{
    counts c = { 0, 0, 0 };
    if (!probe_count_resources(key, &c.files, &c.processes, &c.services))
        fail_msg("the store of session %ls cannot be read", key);
    return c;
}

/* Records in an RM_FILTER_INFO chain of size bytes, checking every link stays inside. */
static size_t chain_records(const BYTE *chain, DWORD size)
{
    size_t records = 0;
    DWORD offset = 0;
    for (;;) {
        const RM_FILTER_INFO *info = (const RM_FILTER_INFO *)(chain + offset);
        rmt_assert_le(offset + sizeof(*info), size);
        if (info->FilterAction != RmNoRestart && info->FilterAction != RmNoShutdown)
            fail_msg("filter action %d", (int)info->FilterAction);
        assert_in_range(info->FilterTrigger, RmFilterTriggerFile, RmFilterTriggerService);
        records++;
        if (info->cbNextOffset == 0)
            return records;
        rmt_assert_ge(info->cbNextOffset, sizeof(*info));
        rmt_assert_lt(info->cbNextOffset, size - offset);
        offset += info->cbNextOffset;
    }
}

static size_t filter_count(DWORD handle)
{
    DWORD needed = SENTINEL;
    DWORD error = RmGetFilterList(handle, NULL, 0, &needed);
    if (error == ERROR_SUCCESS) {
        assert_int_equal(needed, 0);
        return 0;
    }
    assert_int_equal(error, ERROR_MORE_DATA);
    BYTE *chain = malloc(needed);
    assert_non_null(chain);
    assert_int_equal(RmGetFilterList(handle, chain, needed, &needed), ERROR_SUCCESS);
    size_t records = chain_records(chain, needed);
    free(chain);
    return records;
}

static BOOL bytes_are(const void *memory, size_t bytes, BYTE value)
{
    const BYTE *p = memory;
    for (size_t i = 0; i < bytes; i++)
        if (p[i] != value)
            return FALSE;
    return TRUE;
}

size_t bi_store_files(const WCHAR *key)
{
    return store_counts(key).files;
}

void bi_check_foreign_intact(void)
{
    if (bi_other_process.present)
        assert_int_equal(bi_store_files(bi_other_process.key), bi_other_process.files);
}

/* ---- fixture ---------------------------------------------------------------------- */

static void ensure_holder(void)
{
    wchar_t args[RMT_PATH_CCH + 64];
    if (helpers.holder.process)
        return;
    if (!helpers.temp_dir[0])
        assert_true(rmt_temp_dir(helpers.temp_dir, RMT_PATH_CCH));
    assert_true(rmt_make_file(helpers.temp_dir, L"held.dat", helpers.held_file, RMT_PATH_CCH));
    _snwprintf(args, ARRAYSIZE(args), L"--hold \"%ls\" --share read", helpers.held_file);
    assert_true(rmt_spawn(L"rm_file_holder.exe", args, &helpers.holder));
}

void bi_run_cleanup(void)
{
    rmt_kill(&helpers.holder);
    if (helpers.temp_dir[0])
        rmt_remove_dir(helpers.temp_dir);
    helpers.temp_dir[0] = 0;
}

static void register_one(DWORD handle, LPCWSTR file)
{
    assert_int_equal(RmRegisterResources(handle, 1, &file, 0, NULL, 0, NULL), ERROR_SUCCESS);
}

static void add_fixture_filters(DWORD handle)
{
    RM_UNIQUE_PROCESS self = bi_process_value(BPR_SELF);
    assert_int_equal(RmAddFilter(handle, bi_text_make(BT_FILTER_MODULE, 0), NULL, NULL,
                                 RmNoRestart), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(handle, NULL, &self, NULL, RmNoShutdown), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(handle, NULL, NULL, bi_text_make(BT_FILTER_SERVICE, 0),
                                 RmNoRestart), ERROR_SUCCESS);
}

static BOOL is_filter_call(bi_export call)
{
    return call == BI_ADD_FILTER || call == BI_REMOVE_FILTER || call == BI_GET_FILTERS;
}

static void fixture_build(fixture *fx, const bi_case *c)
{
    DWORD pads[2], orphan_primary;
    WCHAR scratch[RMT_KEY_CCH];

    memset(fx, 0, sizeof(*fx));
    /* Handles are the lowest free values: taking 0 and 1 first leaves them free for the
     * literal-handle rows. */
    assert_int_equal(RmStartSession(&pads[0], 0, scratch), ERROR_SUCCESS);
    assert_int_equal(RmStartSession(&pads[1], 0, scratch), ERROR_SUCCESS);
    /* Counted after a start, which reclaims the sessions of processes that died. */
    fx->sessions_before = active_sessions() - 2;
    if (pads[0] != 0 || pads[1] != 1)
        fail_msg("handles 0 and 1 were not free (got %lu, %lu)", pads[0], pads[1]);
    assert_int_equal(RmStartSession(&fx->primary, 0, fx->key), ERROR_SUCCESS);
    assert_int_equal(RmJoinSession(&fx->joined, fx->key), ERROR_SUCCESS);
    assert_int_equal(RmStartSession(&fx->ended, 0, fx->ended_key), ERROR_SUCCESS);
    assert_int_equal(RmStartSession(&orphan_primary, 0, fx->orphaned_key), ERROR_SUCCESS);
    assert_int_equal(RmJoinSession(&fx->orphaned, fx->orphaned_key), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(orphan_primary), ERROR_SUCCESS);
    assert_int_equal(RmJoinSession(&fx->left, fx->key), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(fx->left), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(fx->ended), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(pads[0]), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(pads[1]), ERROR_SUCCESS);
    /* Stale values must not have been handed out again. */
    DWORD live[3] = { fx->primary, fx->joined, fx->orphaned };
    for (int i = 0; i < 3; i++) {
        assert_int_not_equal(fx->ended, live[i]);
        assert_int_not_equal(fx->left, live[i]);
    }
    rmt_assert_le(fx->orphaned, HIGHEST_FIXTURE_HANDLE);
    rmt_assert_le(fx->left, HIGHEST_FIXTURE_HANDLE);

    register_one(fx->primary, bi_fresh_file());
    if (c->fixture & FX_HELD) {
        ensure_holder();
        register_one(fx->primary, helpers.held_file);
    }
    if (c->fixture & FX_FILTERS)
        add_fixture_filters(fx->primary);
    if (c->fixture & FX_SHUT_DOWN)
        assert_int_equal(RmShutdown(fx->primary, 0, NULL), ERROR_SUCCESS);
    if (is_filter_call(c->call)) {
        DWORD error = RmGetFilterList(fx->primary, NULL, 0, &fx->filter_bytes);
        if (error != ERROR_SUCCESS && error != ERROR_MORE_DATA)
            fail_msg("RmGetFilterList sizing: %lu", (unsigned long)error);
    }
}

/* The session still works for both of its handles, then everything ends cleanly. */
static void fixture_check_and_end(fixture *fx, const bi_case *c)
{
    counts before = store_counts(fx->key);
    register_one(fx->primary, bi_fresh_file());
    register_one(fx->joined, bi_fresh_file());
    assert_int_equal(store_counts(fx->key).files, before.files + 2);

    UINT needed = SENTINEL, count = 0;
    DWORD reasons = SENTINEL;
    DWORD error = RmGetList(fx->primary, &needed, &count, NULL, &reasons);
    if (c->fixture & FX_HELD) {
        assert_int_equal(error, ERROR_MORE_DATA);
        assert_int_equal(needed, 1);
    } else {
        assert_int_equal(error, ERROR_SUCCESS); /* also: a cancel left nothing behind */
        assert_int_equal(needed, 0);
    }
    assert_int_equal(RmEndSession(fx->joined), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(fx->primary), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(fx->orphaned), ERROR_INVALID_HANDLE);
    assert_int_equal(active_sessions(), fx->sessions_before);
}

static DWORD case_handle(const bi_case *c, const fixture *fx)
{
    switch (c->handle) {
    case BH_PRIMARY: return fx->primary;
    case BH_JOINED: return fx->joined;
    case BH_ENDED: return fx->ended;
    case BH_ORPHANED: return fx->orphaned;
    case BH_LEFT: return fx->left;
    case BH_FOREIGN: return bi_other_process.handle;
    case BH_VALUE: return c->value;
    case BH_NONE: break;
    }
    return 0;
}

static void expect_error(const bi_case *c, DWORD error)
{
    if (error != c->expected)
        fail_msg("%s: returned %lu, expected %lu", c->name, (unsigned long)error,
                 (unsigned long)c->expected);
}

/* ---- one runner per export ---------------------------------------------------------- */

static BOOL is_key(const WCHAR *key)
{
    for (size_t i = 0; i < CCH_RM_SESSION_KEY; i++)
        if (!iswxdigit(key[i]))
            return FALSE;
    return key[CCH_RM_SESSION_KEY] == 0;
}

static void run_start(const bi_case *c)
{
    DWORD handle_local = SENTINEL;
    WCHAR key_local[KEY_BUFFER_CCH];
    memset(key_local, FILL, sizeof(key_local));
    DWORD *handle = bi_pointer_make(c->start.handle, &handle_local, sizeof(DWORD), SENTINEL_BYTE);
    WCHAR *key = bi_pointer_make(c->start.key, key_local, RMT_KEY_CCH * sizeof(WCHAR), FILL);
    size_t key_units = c->start.key == BP_VALID ? KEY_BUFFER_CCH : RMT_KEY_CCH;
    unsigned sessions = active_sessions();

    DWORD error = RmStartSession(handle, c->start.flags, key);
    expect_error(c, error);
    if (error == ERROR_SUCCESS) {
        assert_int_not_equal(*handle, SENTINEL);
        assert_true(is_key(key));
        for (size_t i = RMT_KEY_CCH; i < key_units; i++)
            assert_int_equal(key[i], FILL_UNIT);
        assert_int_equal(active_sessions(), sessions + 1);
        assert_int_equal(RmEndSession(*handle), ERROR_SUCCESS);
        return;
    }
    if (bi_pointer_readable(c->start.handle))
        assert_int_equal(*handle, SENTINEL);
    if (bi_pointer_readable(c->start.key))
        assert_true(bytes_are(key, key_units * sizeof(WCHAR), FILL));
    assert_int_equal(active_sessions(), sessions);
}

static void run_join(const bi_case *c, const fixture *fx)
{
    DWORD handle_local = SENTINEL;
    DWORD *handle = bi_pointer_make(c->join.handle, &handle_local, sizeof(DWORD), SENTINEL_BYTE);
    const WCHAR *key = bi_key_make(c->join.key, fx->key, fx->ended_key, fx->orphaned_key);
    if (c->join.key != BK_NULL)
        assert_non_null(key);

    DWORD error = RmJoinSession(handle, key);
    expect_error(c, error);
    if (error == ERROR_SUCCESS) {
        assert_int_not_equal(*handle, SENTINEL);
        assert_int_not_equal(*handle, fx->primary);
        assert_int_not_equal(*handle, fx->joined);
        assert_int_equal(RmEndSession(*handle), ERROR_SUCCESS);
    } else if (bi_pointer_readable(c->join.handle)) {
        assert_int_equal(*handle, SENTINEL);
    }
}

static void check_delta(const char *what, size_t before, size_t after, int expected)
{
    if (expected != BI_ANY && after != before + (size_t)expected)
        fail_msg("%s: %zu before, %zu after, expected %d more", what, before, after, expected);
}

static void run_register(const bi_case *c, const fixture *fx)
{
    LPCWSTR *files = bi_strings_make(c->reg.files, c->reg.file_count, c->reg.file);
    RM_UNIQUE_PROCESS *processes =
        bi_processes_make(c->reg.processes, c->reg.process_count, c->reg.process);
    LPCWSTR *services = bi_strings_make(c->reg.services, c->reg.service_count, c->reg.service);
    assert_true((c->reg.files == BA_NULL) == (files == NULL));
    assert_true((c->reg.processes == BA_NULL) == (processes == NULL));
    assert_true((c->reg.services == BA_NULL) == (services == NULL));
    counts before = store_counts(fx->key);

    DWORD error = RmRegisterResources(case_handle(c, fx), c->reg.file_count, files,
                                      c->reg.process_count, processes, c->reg.service_count,
                                      services);
    expect_error(c, error);
    counts after = store_counts(fx->key);
    BOOL added = error == ERROR_SUCCESS;
    check_delta("files", before.files, after.files, added ? c->reg.added_files : 0);
    check_delta("processes", before.processes, after.processes,
                added ? c->reg.added_processes : 0);
    check_delta("services", before.services, after.services, added ? c->reg.added_services : 0);
}

static void run_getlist(const bi_case *c, const fixture *fx)
{
    UINT needed_local = SENTINEL, count_local = c->list.count_in;
    DWORD reasons_local = SENTINEL;
    RM_PROCESS_INFO apps_local[BI_MAX_ENTRIES];
    memset(apps_local, FILL, sizeof(apps_local));
    size_t entries = c->list.apps == BP_VALID ? BI_MAX_ENTRIES
                     : c->list.count_in == 0 ? 1
                     : c->list.count_in < BI_MAX_ENTRIES ? c->list.count_in : BI_MAX_ENTRIES;
    UINT *needed = bi_pointer_make(c->list.needed, &needed_local, sizeof(UINT), SENTINEL_BYTE);
    UINT *count = bi_pointer_make(c->list.count, &count_local, sizeof(UINT), 0);
    DWORD *reasons = bi_pointer_make(c->list.reasons, &reasons_local, sizeof(DWORD),
                                     SENTINEL_BYTE);
    RM_PROCESS_INFO *apps = bi_pointer_make(c->list.apps, apps_local, entries * sizeof(*apps),
                                            FILL);
    if (count)
        *count = c->list.count_in;
    UINT found = (c->fixture & FX_HELD) ? 1 : 0;

    DWORD error = RmGetList(case_handle(c, fx), needed, count, apps, reasons);
    expect_error(c, error);
    if (error != ERROR_SUCCESS) {
        if (needed)
            assert_int_equal(*needed, error == ERROR_MORE_DATA ? found : SENTINEL);
        if (count)
            assert_int_equal(*count, c->list.count_in);
        if (bi_pointer_readable(c->list.apps))
            assert_true(bytes_are(apps, entries * sizeof(*apps), FILL));
        /* Reasons are written whatever the result (callers read them unchecked); a call
         * refused for its arguments may leave them. */
        if (reasons && error == ERROR_BAD_ARGUMENTS) {
            if (*reasons != SENTINEL && *reasons != 0)
                fail_msg("reasons %#lx, neither untouched nor 0", (unsigned long)*reasons);
        } else if (reasons && error != ERROR_MORE_DATA) {
            assert_int_equal(*reasons, 0);
        }
        return;
    }
    assert_int_equal(*needed, found);
    assert_int_equal(*count, found);
    assert_int_not_equal(*reasons, SENTINEL);
    if (found)
        assert_int_equal(apps[0].Process.dwProcessId, helpers.holder.pid);
    if (bi_pointer_readable(c->list.apps))
        assert_true(bytes_are(apps + found, (entries - found) * sizeof(*apps), FILL));
}

static int status_calls;

static void status_callback(UINT percent)
{
    (void)percent;
    status_calls++;
}

static void run_shutdown_or_restart(const bi_case *c, const fixture *fx)
{
    status_calls = 0;
    DWORD error;
    if (c->call == BI_SHUTDOWN)
        error = RmShutdown(case_handle(c, fx), c->shutdown.flags,
                           c->shutdown.callback ? status_callback : NULL);
    else
        error = RmRestart(case_handle(c, fx), c->restart.flags,
                          c->restart.callback ? status_callback : NULL);
    expect_error(c, error);
    if (error != ERROR_SUCCESS)
        assert_int_equal(status_calls, 0);
}

static void run_add_or_remove(const bi_case *c, const fixture *fx)
{
    BOOL add = c->call == BI_ADD_FILTER;
    bi_process which = add ? c->add.process : c->remove.process;
    RM_UNIQUE_PROCESS process = bi_process_value(which);
    const WCHAR *module = bi_text_make(add ? c->add.module : c->remove.module, 0);
    const WCHAR *service = bi_text_make(add ? c->add.service : c->remove.service, 0);
    RM_UNIQUE_PROCESS *process_arg = which == BPR_NULL ? NULL : &process;
    size_t before = filter_count(fx->primary);

    DWORD error = add ? RmAddFilter(case_handle(c, fx), module, process_arg, service,
                                    (RM_FILTER_ACTION)c->add.action)
                      : RmRemoveFilter(case_handle(c, fx), module, process_arg, service);
    expect_error(c, error);
    int change = error != ERROR_SUCCESS ? 0 : add ? c->add.added : -c->remove.removed;
    assert_int_equal(filter_count(fx->primary), before + change);
}

static void run_get_filters(const bi_case *c, const fixture *fx)
{
    DWORD needed_local = SENTINEL;
    BYTE buffer_local[FILTER_BUFFER_BYTES];
    memset(buffer_local, FILL, sizeof(buffer_local));
    DWORD size = c->filters.size == BS_VALUE ? c->filters.size_value
                 : c->filters.size == BS_NEEDED ? fx->filter_bytes : fx->filter_bytes - 1;
    rmt_assert_le(size, sizeof(buffer_local));
    size_t region = c->filters.buffer == BP_VALID ? sizeof(buffer_local)
                    : c->filters.buffer == BP_PAGE_END ? size : 0;
    BYTE *buffer = bi_pointer_make(c->filters.buffer, buffer_local, size ? size : 1, FILL);
    DWORD *needed = bi_pointer_make(c->filters.needed, &needed_local, sizeof(DWORD),
                                    SENTINEL_BYTE);

    DWORD error = RmGetFilterList(case_handle(c, fx), buffer, size, needed);
    expect_error(c, error);
    if ((error == ERROR_SUCCESS || error == ERROR_MORE_DATA) && needed)
        assert_int_equal(*needed, fx->filter_bytes);
    else if (needed)
        assert_int_equal(*needed, SENTINEL);
    if (error == ERROR_SUCCESS && fx->filter_bytes) {
        assert_int_equal(chain_records(buffer, fx->filter_bytes), 3);
        assert_true(bytes_are(buffer + fx->filter_bytes, region - fx->filter_bytes, FILL));
    } else if (region) {
        assert_true(bytes_are(buffer, region, FILL));
    }
}

static void run_call(const bi_case *c, const fixture *fx)
{
    switch (c->call) {
    case BI_START: run_start(c); break;
    case BI_JOIN: run_join(c, fx); break;
    case BI_END: expect_error(c, RmEndSession(case_handle(c, fx))); break;
    case BI_REGISTER: run_register(c, fx); break;
    case BI_GETLIST: run_getlist(c, fx); break;
    case BI_SHUTDOWN:
    case BI_RESTART: run_shutdown_or_restart(c, fx); break;
    case BI_CANCEL: expect_error(c, RmCancelCurrentTask(case_handle(c, fx))); break;
    case BI_ADD_FILTER:
    case BI_REMOVE_FILTER: run_add_or_remove(c, fx); break;
    case BI_GET_FILTERS: run_get_filters(c, fx); break;
    case BI_RESERVE_HEAP: expect_error(c, RmReserveHeap(c->heap.value)); break;
    case BI_EXPORT_COUNT: fail_msg("bad row"); break;
    }
}

void bi_run_case(const bi_case *c)
{
    fixture fx;
    fixture_build(&fx, c);
    counts before = store_counts(fx.key);
    unsigned sessions = active_sessions();

    run_call(c, &fx);

    if (c->call != BI_REGISTER) {
        counts after = store_counts(fx.key);
        assert_int_equal(after.files, before.files);
        assert_int_equal(after.processes, before.processes);
        assert_int_equal(after.services, before.services);
    }
    assert_int_equal(active_sessions(), sessions);
    if (c->handle == BH_FOREIGN)
        bi_check_foreign_intact();
    fixture_check_and_end(&fx, c);
}
