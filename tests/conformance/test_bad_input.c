// SPDX-License-Identifier: LGPL-2.1-or-later
/* Bad input to all twelve exports (issue 7): the table in bad_input_cases.c, one cmocka
 * test per row. Each row runs against a fresh fixture (a primary with a registered file,
 * a joined handle, stale handle values, another process's handle) and asserts the exact
 * error, that outputs the spec leaves alone are untouched, that nothing was registered,
 * filtered or started, and that the session still works afterwards. Rows that hand the
 * DLL memory ending at a PAGE_NOACCESS page run in a child process, so a DLL that reads
 * too far fails that row with an access violation instead of ending the whole run. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include "rstrtmgr/rstrtmgr_ext.h"
#include "rm_test_support.h"
#include "bad_input.h"
#include "bad_input_args.h"
#include "bad_input_run.h"
#include "guard_pages.h"

/* The other process's handle: above any value a fixture of ours takes (0-7). */
#define FOREIGN_HANDLE 12
#define FOREIGN_FILES 5
#define SWEEP_HANDLES 64

static struct {
    BOOL in_child;
    rmt_process foreign;        /* holds a live session at bi_other_process.handle */
    wchar_t temp_dir[RMT_PATH_CCH];
    unsigned child_runs;
} group;

/* ---- rows run in a child process ---------------------------------------------------- */

static BOOL guarded_pointer(bi_pointer p)
{
    return p == BP_PAGE_END || p == BP_NO_ACCESS;
}

static BOOL guarded_text(bi_text t)
{
    return t == BT_UNTERMINATED || t == BT_UNTERMINATED_SHORT_NAME ||
           t == BT_UNTERMINATED_RELATIVE || t == BT_SERVICE_UNTERMINATED;
}

static BOOL guarded_array(bi_array a)
{
    return a == BA_NO_ACCESS || a == BA_PAGE_END || a == BA_NULL_AT_PAGE_END;
}

/* Rows whose memory ends at a PAGE_NOACCESS page: the DLL decides how far it goes. */
static BOOL needs_child(const bi_case *c)
{
    switch (c->call) {
    case BI_START: return guarded_pointer(c->start.handle) || guarded_pointer(c->start.key);
    case BI_JOIN: return guarded_pointer(c->join.handle) || c->join.key >= BK_PAGE_END_33_HEX;
    case BI_REGISTER:
        return guarded_array(c->reg.files) || guarded_array(c->reg.processes) ||
               guarded_array(c->reg.services) || guarded_text(c->reg.file) ||
               guarded_text(c->reg.service);
    case BI_GETLIST:
        return guarded_pointer(c->list.needed) || guarded_pointer(c->list.count) ||
               guarded_pointer(c->list.apps) || guarded_pointer(c->list.reasons);
    case BI_ADD_FILTER: return guarded_text(c->add.module) || guarded_text(c->add.service);
    case BI_REMOVE_FILTER:
        return guarded_text(c->remove.module) || guarded_text(c->remove.service);
    case BI_GET_FILTERS:
        return guarded_pointer(c->filters.buffer) || guarded_pointer(c->filters.needed);
    default: return FALSE;
    }
}

static void run_in_child(const bi_case *c)
{
    wchar_t args[64];
    DWORD code = 0;
    assert_int_not_equal(c->handle, BH_FOREIGN);
    _snwprintf(args, ARRAYSIZE(args), L"--child case %u", (unsigned)(c - bi_cases));
    assert_true(rmt_run_self(args, RMT_CHILD_TIMEOUT_MS, &code));
    group.child_runs++;
    if (code != 0)
        fail_msg("%s: failed in its child process, exit code 0x%08lx%s", c->name,
                 (unsigned long)code,
                 code == EXCEPTION_ACCESS_VIOLATION ? " (the DLL touched a guard page)" : "");
}

/* In a child: the DLL touching a guard page ends the process at once, naming the code
 * that did it. Letting cmocka recover instead would leave the session's call lock held
 * and hang the row's clean-up. */
static LONG CALLBACK guard_violation(EXCEPTION_POINTERS *info)
{
    const EXCEPTION_RECORD *record = info->ExceptionRecord;
    if (record->ExceptionCode != EXCEPTION_ACCESS_VIOLATION || record->NumberParameters < 2 ||
        !guard_contains((const void *)record->ExceptionInformation[1]))
        return EXCEPTION_CONTINUE_SEARCH;
    HMODULE module = NULL;
    wchar_t name[MAX_PATH] = L"?";
    GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                       GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                       (LPCWSTR)record->ExceptionAddress, &module);
    if (module)
        GetModuleFileNameW(module, name, MAX_PATH);
    const wchar_t *base_name = wcsrchr(name, L'\\') ? wcsrchr(name, L'\\') + 1 : name;
    fprintf(stderr, "GUARD PAGE %s at %p by code at %ls+0x%lx\n",
            record->ExceptionInformation[0] ? "WRITE" : "READ",
            (void *)record->ExceptionInformation[1], base_name,
            (unsigned long)((const BYTE *)record->ExceptionAddress - (const BYTE *)module));
    fflush(stderr);
    TerminateProcess(GetCurrentProcess(), EXCEPTION_ACCESS_VIOLATION);
    return EXCEPTION_CONTINUE_SEARCH;
}

static void test_row(void **state)
{
    const bi_case *c = *state;
    if (!group.in_child && needs_child(c))
        run_in_child(c);
    else
        bi_run_case(c);
}

/* A failed row skips its own ending: end whatever it left, so 0 and 1 are free again. */
static int row_teardown(void **state)
{
    (void)state;
    for (DWORD handle = 0; handle < SWEEP_HANDLES; handle++)
        RmEndSession(handle);
    bi_args_free();
    return 0;
}

/* ---- another process's handle ------------------------------------------------------ */

/* hold-handle FILE EVENT: opens sessions until one has handle FOREIGN_HANDLE, keeps only
 * that one (with FOREIGN_FILES files), prints and writes its handle and key, then waits. */
static int child_hold_handle(int arg_count, wchar_t **args)
{
    const wchar_t *out_path = args[0], *event_name = args[1];
    (void)arg_count;
    DWORD handles[FOREIGN_HANDLE + 1];
    WCHAR key[RMT_KEY_CCH];
    LPCWSTR files[FOREIGN_FILES] = {
        L"C:\\rmt foreign\\a.dll", L"C:\\rmt foreign\\b.dll", L"C:\\rmt foreign\\c.dll",
        L"C:\\rmt foreign\\d.dll", L"C:\\rmt foreign\\e.dll",
    };
    for (DWORD i = 0; i <= FOREIGN_HANDLE; i++)
        if (RmStartSession(&handles[i], 0, key) != ERROR_SUCCESS)
            return 100 + (int)i;
    for (DWORD i = 0; i < FOREIGN_HANDLE; i++)
        RmEndSession(handles[i]);
    if (RmRegisterResources(handles[FOREIGN_HANDLE], FOREIGN_FILES, files, 0, NULL, 0, NULL))
        return 99;
    printf("foreign session: handle %lu in pid %lu\n", (unsigned long)handles[FOREIGN_HANDLE],
           (unsigned long)GetCurrentProcessId());
    fflush(stdout);
    FILE *out = _wfopen(out_path, L"w");
    if (!out)
        return 98;
    fprintf(out, "%lu %ls\n", (unsigned long)handles[FOREIGN_HANDLE], key);
    fclose(out);
    HANDLE ready = OpenEventW(EVENT_MODIFY_STATE, FALSE, event_name);
    if (!ready || !SetEvent(ready))
        return 97;
    Sleep(10 * RMT_CHILD_TIMEOUT_MS); /* until the test kills it */
    return 0;
}

static void start_foreign(void)
{
    wchar_t out_path[RMT_PATH_CCH], event_name[128], args[RMT_PATH_CCH + 200];
    char line[128], key[64];
    unsigned long handle = 0;

    assert_true(rmt_path_join(group.temp_dir, L"foreign.txt", out_path, RMT_PATH_CCH));
    HANDLE ready = rmt_event_create(event_name, ARRAYSIZE(event_name));
    assert_non_null(ready);
    _snwprintf(args, ARRAYSIZE(args), L"--child hold-handle \"%ls\" %ls", out_path, event_name);
    assert_true(rmt_spawn_self(args, &group.foreign));
    HANDLE waits[2] = { ready, group.foreign.process };
    assert_int_equal(WaitForMultipleObjects(2, waits, FALSE, RMT_CHILD_TIMEOUT_MS), WAIT_OBJECT_0);
    CloseHandle(ready);
    FILE *in = _wfopen(out_path, L"r");
    assert_non_null(in);
    assert_non_null(fgets(line, sizeof(line), in));
    fclose(in);
    assert_int_equal(sscanf(line, "%lu %63s", &handle, key), 2);
    MultiByteToWideChar(CP_ACP, 0, key, -1, bi_other_process.key, RMT_KEY_CCH);
    bi_other_process.handle = handle;
    bi_other_process.files = FOREIGN_FILES;
    bi_other_process.present = TRUE;
    /* Meaningful only if no fixture of ours ever holds that value (ours are 0-7). */
    rmt_assert_ge(bi_other_process.handle, 8);
}

/* The same number in two processes: ours acts on our session only, never on theirs. */
static void test_handle_values_are_per_process(void **state)
{
    (void)state;
    DWORD handles[SWEEP_HANDLES], joined;
    WCHAR key[RMT_KEY_CCH], mine[RMT_KEY_CCH];
    DWORD target = bi_other_process.handle;
    rmt_assert_lt(target, SWEEP_HANDLES);
    assert_int_equal(RmRegisterResources(target, 0, NULL, 0, NULL, 0, NULL),
                     ERROR_INVALID_HANDLE);
    for (DWORD i = 0; i <= target; i++) {
        assert_int_equal(RmStartSession(&handles[i], 0, key), ERROR_SUCCESS);
        assert_int_equal(handles[i], i);
    }
    wcscpy(mine, key);
    for (DWORD i = 0; i < target; i++)
        assert_int_equal(RmEndSession(handles[i]), ERROR_SUCCESS);
    LPCWSTR file = L"C:\\rmt per process\\mine.dll";
    assert_int_equal(RmRegisterResources(target, 1, &file, 0, NULL, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(bi_store_files(mine), 1);
    bi_check_foreign_intact();
    assert_int_equal(RmEndSession(target), ERROR_SUCCESS);
    /* The other process's session is untouched and still joinable. */
    assert_int_equal(RmJoinSession(&joined, bi_other_process.key), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(joined), ERROR_SUCCESS);
    bi_check_foreign_intact();
    assert_int_equal(RmRegisterResources(target, 0, NULL, 0, NULL, 0, NULL),
                     ERROR_INVALID_HANDLE);
}

/* ---- groups -------------------------------------------------------------------------- */

static int group_setup(void **state)
{
    (void)state;
    assert_true(rmt_temp_dir(group.temp_dir, RMT_PATH_CCH));
    start_foreign();
    return 0;
}

static unsigned child_row_count(void)
{
    unsigned count = 0;
    for (size_t i = 0; i < bi_case_count; i++)
        count += needs_child(&bi_cases[i]);
    return count;
}

static unsigned exports_covered(void)
{
    BOOL seen[BI_EXPORT_COUNT] = { FALSE };
    unsigned count = 0;
    for (size_t i = 0; i < bi_case_count; i++)
        if (!seen[bi_cases[i].call]++)
            count++;
    return count;
}

static int group_teardown(void **state)
{
    (void)state;
    bi_run_cleanup();
    rmt_kill_all();
    if (group.temp_dir[0])
        rmt_remove_dir(group.temp_dir);
    if (!group.in_child)
        printf("bad-input cases: %zu table rows over %u exports (%u run in child processes, "
               "%u child runs) + 1 cross-process handle test\n",
               bi_case_count, exports_covered(), child_row_count(), group.child_runs);
    return 0;
}

static int run_child_row(int arg_count, wchar_t **args)
{
    unsigned index = (unsigned)_wtoi(args[0]);
    (void)arg_count;
    if (index >= bi_case_count)
        return 99;
    group.in_child = TRUE;
    AddVectoredExceptionHandler(1, guard_violation);
    struct CMUnitTest row = { bi_cases[index].name, test_row, NULL, row_teardown,
                              (void *)(uintptr_t)&bi_cases[index] };
    return _cmocka_run_group_tests("bad_input_child", &row, 1, NULL, group_teardown);
}

int wmain(int argc, wchar_t **argv)
{
    static const rmt_child_role child_roles[] = {
        { L"case", 1, run_child_row },
        { L"hold-handle", 2, child_hold_handle },
    };
    RMT_RUN_CHILD_ROLE(argc, argv, child_roles);

    size_t count = bi_case_count + 1;
    struct CMUnitTest *tests = calloc(count, sizeof(*tests));
    if (!tests)
        return 1;
    for (size_t i = 0; i < bi_case_count; i++) {
        tests[i].name = bi_cases[i].name;
        tests[i].test_func = test_row;
        tests[i].teardown_func = row_teardown;
        tests[i].initial_state = (void *)(uintptr_t)&bi_cases[i];
    }
    tests[bi_case_count].name = "per-process handle values";
    tests[bi_case_count].test_func = test_handle_values_are_per_process;
    tests[bi_case_count].teardown_func = row_teardown;
    int failed = _cmocka_run_group_tests("bad_input", tests, count, group_setup, group_teardown);
    free(tests);
    return failed;
}
