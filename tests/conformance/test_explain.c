// SPDX-License-Identifier: LGPL-2.1-or-later
/* Explaining the answer (docs/behaviour.md B-EXT-1, B-TRACE-2): for each process RmGetList
 * lists, which registered resource it uses and how — an open handle (with its value), a
 * loaded module, its program image —, as the RmxGetEvidence extension reports it, as
 * `rmtool who --why` prints it (table and JSON), and as the trace shows it. Real holder
 * processes under Wine. */
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
#include "child_capture.h"

#define TOOL_TIMEOUT_MS 120000

static int teardown(void **state)
{
    SetEnvironmentVariableW(L"RSTRTMGR_TRACE", NULL);
    return rmt_teardown(state);
}

/* Three users, one per kind of evidence: a holder of a file (handle), a loader of a DLL
 * (module, its handle closed), a copy of the holder program run from the temporary
 * directory (image). */
typedef struct scene {
    wchar_t file[RMT_PATH_CCH], dll[RMT_PATH_CCH], image[RMT_PATH_CCH];
    rmt_process holder, loader, runner;
} scene;

static void set_up_scene(scene *s)
{
    wchar_t args[RMT_ARGS_CCH], program[RMT_PATH_CCH];
    rmt_test_file(L"held.txt", s->file);
    assert_true(rmt_copy_payload_dll(rmt_test_dir, s->dll, RMT_PATH_CCH));
    assert_true(rmt_exe_path(L"rm_file_holder.exe", program, RMT_PATH_CCH));
    rmt_test_path(L"running-image.exe", s->image);
    assert_true(CopyFileW(program, s->image, FALSE));
    _snwprintf(args, RMT_ARGS_CCH, L"--hold \"%ls\"", s->file);
    rmt_must_spawn(L"rm_file_holder.exe", args, &s->holder);
    _snwprintf(args, RMT_ARGS_CCH, L"--load \"%ls\"", s->dll);
    rmt_must_spawn(L"rm_dll_loader.exe", args, &s->loader);
    rmt_must_spawn(s->image, NULL, &s->runner);
}

/* The canonical form the DLL reports for a path (upper case; the temp paths here are
 * plain drive paths without 8.3 parts). */
static void canonical(const wchar_t *path, wchar_t *out)
{
    wcsncpy(out, path, RMT_PATH_CCH - 1);
    out[RMT_PATH_CCH - 1] = 0;
    _wcsupr(out);
}

static const RMX_EVIDENCE *evidence_for(const RMX_EVIDENCE *evidence, UINT count, DWORD pid)
{
    for (UINT i = 0; i < count; i++)
        if (evidence[i].Process.dwProcessId == pid)
            return &evidence[i];
    return NULL;
}

static void assert_evidence(const RMX_EVIDENCE *evidence, UINT count, const rmt_process *p,
                            DWORD kind, const wchar_t *path)
{
    wchar_t expected[RMT_PATH_CCH];
    const RMX_EVIDENCE *found = evidence_for(evidence, count, p->pid);
    if (!found)
        fail_msg("no evidence for pid %lu", (unsigned long)p->pid);
    canonical(path, expected);
    if (found->Kind != kind || wcscmp(found->strResource, expected) != 0)
        fail_msg("pid %lu: kind %lu resource '%ls', expected kind %lu '%ls'",
                 (unsigned long)p->pid, (unsigned long)found->Kind, found->strResource,
                 (unsigned long)kind, expected);
    assert_int_equal(found->Process.ProcessStartTime.dwLowDateTime, p->start_time.dwLowDateTime);
    assert_int_equal(found->Process.ProcessStartTime.dwHighDateTime, p->start_time.dwHighDateTime);
}

/* The extension, looked up as a client of any rstrtmgr.dll must (Windows' has none). */
typedef DWORD(WINAPI *get_evidence_fn)(DWORD, UINT *, UINT *, RMX_EVIDENCE *);

static get_evidence_fn evidence_export(void)
{
    get_evidence_fn found = (get_evidence_fn)(void *)GetProcAddress(
        GetModuleHandleW(L"rstrtmgr.dll"), "RmxGetEvidence");
    if (!found) {
        print_message("this rstrtmgr.dll has no RmxGetEvidence: skipped\n");
        skip();
    }
    return found;
}

/* B-EXT-1: the protocol is RmGetList's, and the entries follow its list. */
static void test_evidence_export(void **state)
{
    get_evidence_fn RmxGetEvidence_ = evidence_export();
    scene s;
    DWORD handle, reasons;
    WCHAR key[RMT_KEY_CCH] = { 0 };
    RM_PROCESS_INFO apps[8];
    static RMX_EVIDENCE evidence[8];
    UINT needed = 0, count = 8, evidence_needed = 99, evidence_count = 0;
    (void)state;
    set_up_scene(&s);
    const wchar_t *files[3] = { s.file, s.dll, s.image };
    assert_int_equal(RmStartSession(&handle, 0, key), ERROR_SUCCESS);
    /* Before any RmGetList: nothing to explain. */
    assert_int_equal(RmxGetEvidence_(handle, &evidence_needed, &evidence_count, NULL),
                     ERROR_SUCCESS);
    assert_int_equal(evidence_needed, 0);
    assert_int_equal(RmxGetEvidence_(handle, NULL, &evidence_count, evidence), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmxGetEvidence_(handle + 1000, &evidence_needed, &evidence_count, evidence),
                     ERROR_INVALID_HANDLE);
    assert_int_equal(RmRegisterResources(handle, 3, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(RmGetList(handle, &needed, &count, apps, &reasons), ERROR_SUCCESS);
    assert_int_equal(count, 3);
    evidence_count = 1;
    assert_int_equal(RmxGetEvidence_(handle, &evidence_needed, &evidence_count, evidence),
                     ERROR_MORE_DATA);
    assert_int_equal(evidence_needed, 3);
    evidence_count = 8;
    assert_int_equal(RmxGetEvidence_(handle, &evidence_needed, &evidence_count, evidence),
                     ERROR_SUCCESS);
    assert_int_equal(evidence_count, 3);
    for (UINT i = 0; i < 3; i++)
        assert_int_equal(evidence[i].Process.dwProcessId, apps[i].Process.dwProcessId);
    assert_evidence(evidence, 3, &s.holder, RmxEvidenceHandle, s.file);
    assert_evidence(evidence, 3, &s.loader, RmxEvidenceModule, s.dll);
    assert_evidence(evidence, 3, &s.runner, RmxEvidenceImage, s.image);
    const RMX_EVIDENCE *held = evidence_for(evidence, 3, s.holder.pid);
    print_message("holder %lu has the file open as handle 0x%llx\n", (unsigned long)s.holder.pid,
                  (unsigned long long)held->HandleValue);
    assert_int_not_equal(held->HandleValue, 0);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* ---- rmtool who --why ------------------------------------------------------------- */

typedef capture_result tool_run;

static void run_tool(const wchar_t *args, tool_run *run)
{
    if (!capture_program(L"rmtool.exe", args, rmt_test_dir, TOOL_TIMEOUT_MS, run))
        fail_msg("rmtool %ls did not run to its end", args);
}

static void assert_contains(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("expected \"%s\" in the output", needle);
}

/* "C:\\USERS\\..." as the JSON string of a path: every backslash doubled. */
static void json_path(const wchar_t *path, char *out, size_t size)
{
    wchar_t upper[RMT_PATH_CCH];
    size_t w = 0;
    canonical(path, upper);
    for (size_t i = 0; upper[i] && w + 3 < size; i++) {
        if (upper[i] == L'\\')
            out[w++] = '\\';
        out[w++] = (char)upper[i];
    }
    out[w] = 0;
}

/* README "rmtool": who --why names the resource and the kind for each process. */
static void test_who_why_table_and_json(void **state)
{
    scene s;
    static tool_run run;
    char expected[RMT_PATH_CCH * 3], path[RMT_PATH_CCH * 2];
    wchar_t args[RMT_ARGS_CCH], upper[RMT_PATH_CCH];
    (void)state;
    set_up_scene(&s);
    _snwprintf(args, RMT_ARGS_CCH, L"who --why \"%ls\" \"%ls\" \"%ls\"", s.file, s.dll, s.image);
    run_tool(args, &run);
    assert_int_equal(run.exit_code, 1); /* in use */
    canonical(s.file, upper);
    snprintf(expected, sizeof(expected), "  %lu uses %ls: open-handle 0x",
             (unsigned long)s.holder.pid, upper);
    assert_contains(run.out, expected);
    canonical(s.dll, upper);
    snprintf(expected, sizeof(expected), "  %lu uses %ls: loaded-module",
             (unsigned long)s.loader.pid, upper);
    assert_contains(run.out, expected);
    canonical(s.image, upper);
    snprintf(expected, sizeof(expected), "  %lu uses %ls: program-image",
             (unsigned long)s.runner.pid, upper);
    assert_contains(run.out, expected);

    _snwprintf(args, RMT_ARGS_CCH, L"who --why --json \"%ls\" \"%ls\" \"%ls\"", s.file, s.dll,
               s.image);
    run_tool(args, &run);
    assert_int_equal(run.exit_code, 1);
    json_path(s.file, path, sizeof(path));
    snprintf(expected, sizeof(expected), "\"evidence\": [{\"resource\": \"%s\", \"kind\": \"open-handle\", \"handle\": ", path);
    assert_contains(run.out, expected);
    json_path(s.dll, path, sizeof(path));
    snprintf(expected, sizeof(expected), "\"evidence\": [{\"resource\": \"%s\", \"kind\": \"loaded-module\"}]", path);
    assert_contains(run.out, expected);
    json_path(s.image, path, sizeof(path));
    snprintf(expected, sizeof(expected), "\"evidence\": [{\"resource\": \"%s\", \"kind\": \"program-image\"}]", path);
    assert_contains(run.out, expected);
    /* Without --why, no evidence field (the documented JSON stays as it was). */
    _snwprintf(args, RMT_ARGS_CCH, L"who --json \"%ls\"", s.file);
    run_tool(args, &run);
    assert_null(strstr(run.out, "\"evidence\""));
}

/* B-TRACE-2: the trace says which resource each listed process uses and how; nothing of
 * it without tracing. */
static void test_trace_shows_evidence(void **state)
{
    scene s;
    static tool_run run;
    static char trace[1 << 20];
    char expected[RMT_PATH_CCH * 3];
    wchar_t args[RMT_ARGS_CCH], trace_path[RMT_PATH_CCH], upper[RMT_PATH_CCH];
    (void)state;
    set_up_scene(&s);
    rmt_test_path(L"explain.log", trace_path);
    _snwprintf(args, RMT_ARGS_CCH, L"who \"%ls\" \"%ls\" \"%ls\"", s.file, s.dll, s.image);
    run_tool(args, &run); /* no tracing asked: no file */
    assert_int_equal(GetFileAttributesW(trace_path), INVALID_FILE_ATTRIBUTES);
    SetEnvironmentVariableW(L"RSTRTMGR_TRACE", trace_path);
    run_tool(args, &run);
    SetEnvironmentVariableW(L"RSTRTMGR_TRACE", NULL);
    assert_int_equal(run.exit_code, 1);
    assert_true(rmt_read_log(trace_path, trace, sizeof(trace)));
    canonical(s.file, upper);
    snprintf(expected, sizeof(expected), "pid %lu uses L\"%ls\": open handle 0x",
             (unsigned long)s.holder.pid, upper);
    for (char *c = expected; *c; c++) /* the trace escapes backslashes */
        if (*c == '\\') {
            memmove(c + 1, c, strlen(c) + 1);
            c++;
        }
    assert_contains(trace, expected);
    snprintf(expected, sizeof(expected), "pid %lu uses ", (unsigned long)s.loader.pid);
    assert_contains(trace, expected);
    assert_contains(trace, ": loaded module");
    snprintf(expected, sizeof(expected), "pid %lu uses ", (unsigned long)s.runner.pid);
    assert_contains(trace, expected);
    assert_contains(trace, ": program image");
}

/* B-TRACE-3: a shutdown's trace says each message sent to the window and its answer, and
 * the description says the type and whether the application is restartable. */
static void test_trace_shows_shutdown_messages(void **state)
{
    wchar_t file[RMT_PATH_CCH], args[RMT_ARGS_CCH], trace_path[RMT_PATH_CCH];
    static tool_run run;
    static char trace[1 << 20];
    char expected[128];
    rmt_process app;
    (void)state;
    rmt_test_file(L"window.dat", file);
    _snwprintf(args, RMT_ARGS_CCH, L"--title explain-me --hold \"%ls\"", file);
    rmt_must_spawn(L"rm_gui_app.exe", args, &app);
    rmt_test_path(L"shutdown.log", trace_path);
    SetEnvironmentVariableW(L"RSTRTMGR_TRACE", trace_path);
    _snwprintf(args, RMT_ARGS_CCH, L"close --no-progress \"%ls\"", file);
    run_tool(args, &run);
    SetEnvironmentVariableW(L"RSTRTMGR_TRACE", NULL);
    assert_int_equal(run.exit_code, 0);
    assert_true(rmt_wait_exit(&app, RMT_EXIT_TIMEOUT_MS));
    assert_true(rmt_read_log(trace_path, trace, sizeof(trace)));
    snprintf(expected, sizeof(expected), "pid %lu: type 1, restartable ", (unsigned long)app.pid);
    assert_contains(trace, expected);
    snprintf(expected, sizeof(expected), "pid %lu window ", (unsigned long)app.pid);
    assert_contains(trace, expected);
    assert_contains(trace, ": WM_QUERYENDSESSION(0) -> TRUE, ");
    assert_contains(trace, ": WM_ENDSESSION(1) -> ");
}

RMT_MAIN_CASES("tests", NULL, NULL,
         cmocka_unit_test_setup_teardown(test_evidence_export, rmt_setup, teardown),
         cmocka_unit_test_setup_teardown(test_who_why_table_and_json, rmt_setup, teardown),
         cmocka_unit_test_setup_teardown(test_trace_shows_evidence, rmt_setup, teardown),
         cmocka_unit_test_setup_teardown(test_trace_shows_shutdown_messages, rmt_setup, teardown))
