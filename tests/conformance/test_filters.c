// SPDX-License-Identifier: LGPL-2.1-or-later
/* Conformance of RmAddFilter, RmRemoveFilter and RmGetFilterList (docs/behaviour.md
 * B-FILTER-*, B-SHUT-10, B-RESTART-10) against real processes under Wine: filters that
 * mask an application from the shutdown or the restart, the arguments each export
 * refuses, and the list's layout, order and size protocol. */
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
#include "session_calls.h"
#include "shutdown_calls.h"

/* ---- filters (B-SHUT-10, B-RESTART-10, B-FILTER-*) ------------------------------------------------------ */

static void test_filters_mask_shutdown_and_restart(void **state)
{
    wchar_t masked_log[RMT_PATH_CCH], copy_log[RMT_PATH_CCH], source[RMT_PATH_CCH];
    wchar_t copy[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    char text[LOG_BYTES];
    rmt_process masked, no_restart;
    DWORD handle;
    (void)state;
    spawn_window_app(L"masked.log", NULL, masked_log, &masked);
    /* A private copy of the program, so a filter on its file names only this process. */
    assert_true(rmt_exe_path(L"rm_gui_app.exe", source, RMT_PATH_CCH));
    rmt_test_path(L"no-restart-app.exe", copy);
    assert_true(CopyFileW(source, copy, FALSE));
    rmt_test_path(L"no-restart.log", copy_log);
    _snwprintf(args, RMT_ARGS_CCH, L"--log \"%ls\" " RESTARTED_LIFETIME, copy_log);
    rmt_must_spawn(copy, args, &no_restart);

    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &masked);
    register_process(handle, &no_restart);
    RM_UNIQUE_PROCESS unique = masked.unique;
    assert_int_equal(RmAddFilter(handle, NULL, &unique, NULL, RmNoShutdown), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(handle, copy, NULL, NULL, RmNoRestart), ERROR_SUCCESS);

    assert_int_equal(RmShutdown(handle, 0, NULL), ERROR_SUCCESS);
    assert_true(rmt_wait_exit(&no_restart, RMT_EXIT_TIMEOUT_MS));
    Sleep(300);
    assert_true(rmt_is_running(&masked)); /* RmNoShutdown */
    rmt_must_read_log(masked_log, text, sizeof(text));
    assert_null(strstr(text, "QUERYENDSESSION"));
    long status = listed_status(handle, masked.pid);
    print_message("masked app: RmGetList AppStatus 0x%lx\n", status);
    assert_int_equal(status, RmStatusRunning | RmStatusShutdownMasked); /* B-GETLIST-12 */

    assert_int_equal(RmRestart(handle, 0, NULL), ERROR_SUCCESS);
    Sleep(1000);
    rmt_must_read_log(copy_log, text, sizeof(text));
    assert_int_equal(count_lines_with(text, "START "), 1); /* RmNoRestart: not relaunched */
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

static void test_filter_arguments(void **state)
{
    DWORD handle;
    RM_UNIQUE_PROCESS process = { GetCurrentProcessId(), { 1, 2 } };
    (void)state;
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(handle, NULL, NULL, NULL, RmNoRestart), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmAddFilter(handle, L"C:\\a.exe", &process, NULL, RmNoRestart),
                     ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmAddFilter(handle, NULL, &process, L"svc", RmNoRestart), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmAddFilter(handle, NULL, &process, NULL, RmInvalidFilterAction),
                     ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmAddFilter(handle, NULL, &process, NULL, (RM_FILTER_ACTION)3),
                     ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRemoveFilter(handle, NULL, NULL, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRemoveFilter(handle, L"C:\\a.exe", NULL, L"svc"), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRemoveFilter(handle, NULL, &process, NULL), ERROR_FILE_NOT_FOUND);
    DWORD needed = 77;
    assert_int_equal(RmGetFilterList(handle, NULL, 0, NULL), ERROR_MORE_DATA);
    assert_int_equal(RmGetFilterList(handle, NULL, 8, &needed), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmGetFilterList(handle, NULL, 0, &needed), ERROR_SUCCESS);
    assert_int_equal(needed, 0); /* no filters */
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(handle, NULL, &process, NULL, RmNoRestart), ERROR_INVALID_HANDLE);
    assert_int_equal(RmRemoveFilter(handle, NULL, &process, NULL), ERROR_INVALID_HANDLE);
    assert_int_equal(RmGetFilterList(handle, NULL, 0, &needed), ERROR_INVALID_HANDLE);
}

/* Checks a chain from RmGetFilterList: every link and string pointer inside the buffer. */
static int walk_filters(const BYTE *buffer, DWORD size, const RM_FILTER_INFO **out, int max)
{
    int count = 0;
    DWORD offset = 0;
    for (;;) {
        rmt_assert_lt(count, max);
        rmt_assert_le(offset + sizeof(RM_FILTER_INFO), size);
        const RM_FILTER_INFO *info = (const RM_FILTER_INFO *)(buffer + offset);
        out[count++] = info;
        if (info->FilterTrigger != RmFilterTriggerProcess) {
            const BYTE *text = (const BYTE *)info->strFilename;
            /* Offsets in the buffer: the string after its record, and inside the buffer. */
            rmt_assert_ge(text - buffer, offset + sizeof(RM_FILTER_INFO));
            rmt_assert_lt(text - buffer, size);
            rmt_assert_le(text - buffer + (wcslen(info->strFilename) + 1) * sizeof(WCHAR), size);
        }
        if (info->cbNextOffset == 0)
            return count;
        rmt_assert_ge(info->cbNextOffset, sizeof(RM_FILTER_INFO));
        offset += info->cbNextOffset;
    }
}

static void test_filter_list_contents(void **state)
{
    DWORD handle, needed = 0;
    RM_UNIQUE_PROCESS process = { 4242, { 0x11111111, 0x01D00000 } };
    const RM_FILTER_INFO *infos[8];
    (void)state;
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(handle, L"C:\\Program Files\\App\\app.exe", NULL, NULL,
                                 RmNoRestart), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(handle, NULL, &process, NULL, RmNoShutdown), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(handle, NULL, NULL, L"SomeService", RmNoShutdown), ERROR_SUCCESS);
    /* The same trigger again (another spelling of the service): only the action changes. */
    assert_int_equal(RmAddFilter(handle, NULL, NULL, L"SOMESERVICE", RmNoRestart), ERROR_SUCCESS);

    assert_int_equal(RmGetFilterList(handle, NULL, 0, &needed), ERROR_MORE_DATA);
    rmt_assert_ge(needed, 3 * sizeof(RM_FILTER_INFO));
    BYTE *buffer = malloc(needed + 16);
    memset(buffer, 0xCD, needed + 16);
    DWORD again = 0;
    assert_int_equal(RmGetFilterList(handle, buffer, needed - 1, &again), ERROR_MORE_DATA);
    assert_int_equal(again, needed);
    assert_int_equal(RmGetFilterList(handle, buffer, needed, &again), ERROR_SUCCESS);
    assert_int_equal(buffer[needed], 0xCD); /* nothing written past it */
    assert_int_equal(walk_filters(buffer, needed, infos, 8), 3);
    /* In the order they were added, strings as the caller spelled them. */
    assert_int_equal(infos[0]->FilterTrigger, RmFilterTriggerFile);
    assert_int_equal(infos[0]->FilterAction, RmNoRestart);
    assert_string_equal(infos[0]->strFilename, L"C:\\Program Files\\App\\app.exe");
    assert_int_equal(infos[1]->FilterTrigger, RmFilterTriggerProcess);
    assert_int_equal(infos[1]->FilterAction, RmNoShutdown);
    assert_memory_equal(&infos[1]->Process, &process, sizeof(process));
    assert_int_equal(infos[2]->FilterTrigger, RmFilterTriggerService);
    assert_int_equal(infos[2]->FilterAction, RmNoRestart); /* updated */
    assert_string_equal(infos[2]->strServiceShortName, L"SomeService");

    /* Removing: by another spelling of the same file, then again (gone). */
    assert_int_equal(RmRemoveFilter(handle, L"c:\\program files\\app\\APP.EXE", NULL, NULL),
                     ERROR_SUCCESS);
    assert_int_equal(RmRemoveFilter(handle, L"C:\\Program Files\\App\\app.exe", NULL, NULL),
                     ERROR_FILE_NOT_FOUND);
    assert_int_equal(RmGetFilterList(handle, buffer, needed, &again), ERROR_SUCCESS);
    rmt_assert_lt(again, needed);
    assert_int_equal(walk_filters(buffer, again, infos, 8), 2);
    assert_int_equal(infos[0]->FilterTrigger, RmFilterTriggerProcess);
    assert_int_equal(RmRemoveFilter(handle, NULL, &process, NULL), ERROR_SUCCESS);
    assert_int_equal(RmRemoveFilter(handle, NULL, NULL, L"someservice"), ERROR_SUCCESS);
    assert_int_equal(RmGetFilterList(handle, NULL, 0, &again), ERROR_SUCCESS);
    assert_int_equal(again, 0);
    free(buffer);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

RMT_MAIN_CASES("tests", NULL, NULL,
         shutdown_test(test_filters_mask_shutdown_and_restart),
         shutdown_test(test_filter_arguments),
         shutdown_test(test_filter_list_contents))
