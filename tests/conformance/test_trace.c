// SPDX-License-Identifier: LGPL-2.1-or-later
/* The DLL's trace channel (README "Tracing", issue #14). A child process (this program
 * with "--child calls FILE") makes RmStartSession, RmRegisterResources, RmGetList and
 * RmEndSession calls on a file a helper holds open, with the environment each case
 * sets; what it printed on Wine's debug channels and the RSTRTMGR_TRACE file are
 * checked. Wine writes debug output to the unix stderr of the Wine session, whatever a
 * process's Windows stderr handle is: ctest runs this program through
 * wine_stderr_run.sh, which puts that stream in the file RMT_WINE_STDERR names.
 * Sources: Wine's debug channels (WINEDEBUG=[class][+|-]channel; lines
 * "class:channel:function text", the prefix made by ntdll's __wine_dbg_header) — the
 * Wine Developer's Guide, "Debug channels", and include/wine/debug.h; the rest is this
 * project's decision (README). The Wine cases are skipped where ntdll does not
 * export __wine_dbg_header (Windows) or without RMT_WINE_STDERR. */
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
#include <restartmanager.h>
#include "rstrtmgr/rstrtmgr_ext.h"
#include "child_capture.h"
#include "rm_test_support.h"

#define OUTPUT_BYTES 65536

static wchar_t held_file[RMT_PATH_CCH];
static rmt_process holder;

typedef struct child_run {
    DWORD exit_code;
    char out[OUTPUT_BYTES];
    char err[OUTPUT_BYTES];      /* its Windows stderr */
    char wine_err[OUTPUT_BYTES]; /* what the Wine session's unix stderr got meanwhile */
} child_run;

/* ---- the child: the calls whose trace is checked ---------------------------------- */

static int child_calls(int arg_count, wchar_t **args)
{
    const wchar_t *file = args[0];
    (void)arg_count;
    WCHAR key[RMT_KEY_CCH];
    RM_PROCESS_INFO apps[8];
    UINT needed = 0, count = ARRAYSIZE(apps);
    DWORD session, reasons = 0;
    LPCWSTR files[] = { file };
    DWORD error;
    printf("child %lu\n", (unsigned long)GetCurrentProcessId());
    error = RmStartSession(&session, 0, key);
    printf("RmStartSession %lu\n", (unsigned long)error);
    if (error != ERROR_SUCCESS)
        return 1;
    error = RmRegisterResources(session, 1, files, 0, NULL, 0, NULL);
    printf("RmRegisterResources %lu\n", (unsigned long)error);
    error = RmGetList(session, &needed, &count, apps, &reasons);
    printf("RmGetList %lu count %u\n", (unsigned long)error, count);
    for (UINT i = 0; error == ERROR_SUCCESS && i < count; i++)
        printf("  pid %lu\n", (unsigned long)apps[i].Process.dwProcessId);
    printf("RmEndSession %lu\n", (unsigned long)RmEndSession(session));
    return 0;
}

/* Many short lines at once: RESERVE_CALLS RmReserveHeap calls, two lines each, once the
 * parent sets the event named start_event (all the writers then run together). */
#define RESERVE_CALLS 2000
#define WRITERS 4

static int child_many_lines(int arg_count, wchar_t **args)
{
    const wchar_t *start_event = args[0];
    (void)arg_count;
    HANDLE start = OpenEventW(SYNCHRONIZE, FALSE, start_event);
    if (!start || WaitForSingleObject(start, RMT_CHILD_TIMEOUT_MS) != WAIT_OBJECT_0)
        return 1;
    CloseHandle(start);
    for (int i = 0; i < RESERVE_CALLS; i++)
        RmReserveHeap((DWORD)i);
    return 0;
}

/* ---- the parent ------------------------------------------------------------------- */

static int setup(void **state)
{
    wchar_t args[RMT_PATH_CCH + 16];
    if (rmt_setup(state) != 0 ||
        !rmt_make_file(rmt_test_dir, L"traced.txt", held_file, RMT_PATH_CCH))
        return -1;
    _snwprintf(args, ARRAYSIZE(args), L"--hold \"%ls\"", held_file);
    args[ARRAYSIZE(args) - 1] = L'\0';
    return rmt_spawn(L"rm_file_holder.exe", args, &holder) ? 0 : -1;
}

static int teardown(void **state)
{
    rmt_kill(&holder);
    return rmt_teardown(state);
}

static BOOL under_wine(void)
{
    return GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "__wine_dbg_header") != NULL;
}

/* RMT_WINE_STDERR (wine_stderr_run.sh), or FALSE. */
static BOOL wine_stderr_path(wchar_t *out, DWORD cch)
{
    DWORD length = GetEnvironmentVariableW(L"RMT_WINE_STDERR", out, cch);
    return length && length < cch;
}

static ULONGLONG file_size(const wchar_t *path)
{
    WIN32_FILE_ATTRIBUTE_DATA data;
    if (!GetFileAttributesExW(path, GetFileExInfoStandard, &data))
        return 0;
    return ((ULONGLONG)data.nFileSizeHigh << 32) | data.nFileSizeLow;
}

/* What path holds from offset on, NUL-terminated and truncated to size - 1 bytes. */
static void read_from(const wchar_t *path, ULONGLONG offset, char *buf, size_t size)
{
    HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                              OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    LARGE_INTEGER position;
    DWORD got = 0;
    position.QuadPart = (LONGLONG)offset;
    if (file != INVALID_HANDLE_VALUE && SetFilePointerEx(file, position, NULL, FILE_BEGIN))
        ReadFile(file, buf, (DWORD)size - 1, &got, NULL);
    if (file != INVALID_HANDLE_VALUE)
        CloseHandle(file);
    buf[got] = '\0';
}

/* Runs the child with WINEDEBUG and RSTRTMGR_TRACE set as given (NULL: unset). */
static void run_child(const wchar_t *winedebug, const wchar_t *trace_file, child_run *run)
{
    wchar_t exe[RMT_PATH_CCH], out_path[RMT_PATH_CCH], err_path[RMT_PATH_CCH];
    wchar_t command[RMT_PATH_CCH * 3];
    wchar_t saved_winedebug[512];
    DWORD had_winedebug = GetEnvironmentVariableW(L"WINEDEBUG", saved_winedebug,
                                                  ARRAYSIZE(saved_winedebug));

    assert_true(rmt_exe_path(L"test_trace.exe", exe, RMT_PATH_CCH));
    rmt_test_path(L"child.out", out_path);
    rmt_test_path(L"child.err", err_path);
    _snwprintf(command, ARRAYSIZE(command), L"\"%ls\" --child calls \"%ls\"", exe, held_file);
    command[ARRAYSIZE(command) - 1] = L'\0';

    wchar_t wine_err_path[RMT_PATH_CCH];
    BOOL have_wine_err = wine_stderr_path(wine_err_path, RMT_PATH_CCH);
    ULONGLONG wine_err_start = have_wine_err ? file_size(wine_err_path) : 0;

    SetEnvironmentVariableW(L"WINEDEBUG", winedebug);
    SetEnvironmentVariableW(L"RSTRTMGR_TRACE", trace_file);
    BOOL finished = capture_run(command, out_path, err_path, RMT_CHILD_TIMEOUT_MS, &run->exit_code);
    SetEnvironmentVariableW(L"WINEDEBUG", had_winedebug ? saved_winedebug : NULL);
    SetEnvironmentVariableW(L"RSTRTMGR_TRACE", NULL);
    assert_true(finished);
    rmt_read_log(out_path, run->out, sizeof(run->out));
    rmt_read_log(err_path, run->err, sizeof(run->err));
    run->wine_err[0] = '\0';
    if (have_wine_err)
        read_from(wine_err_path, wine_err_start, run->wine_err, sizeof(run->wine_err));
    print_message("WINEDEBUG=%ls RSTRTMGR_TRACE=%ls -> %lu\n--- stdout:\n%s--- stderr:\n%s"
                  "--- Wine's debug output meanwhile:\n%s---\n",
                  winedebug ? winedebug : L"(unset)", trace_file ? trace_file : L"(unset)",
                  (unsigned long)run->exit_code, run->out, run->err, run->wine_err);
    assert_int_equal(run->exit_code, 0);
    assert_non_null(strstr(run->out, "RmGetList 0 count 1"));
}

static void assert_contains(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("the trace lacks \"%s\"", needle);
}

/* The lines every trace of the child's calls shows, whatever its prefix. */
static void assert_call_lines(const char *trace)
{
    char app_line[64];
    assert_contains(trace, "trace:rstrtmgr:RmStartSession (");
    assert_contains(trace, "trace:rstrtmgr:RmStartSession -> 0, handle ");
    assert_contains(trace, "trace:rstrtmgr:RmRegisterResources (");
    assert_contains(trace, ", 1, "); /* one file */
    assert_contains(trace, "trace:rstrtmgr:RmRegisterResources -> 0\n");
    assert_contains(trace, "trace:rstrtmgr:RmRegisterResources file[0] L\"");
    assert_contains(trace, "traced.txt\"\n");
    assert_contains(trace, "trace:rstrtmgr:RmGetList -> 0, needed 1, count 1, reboot reasons 0");
    snprintf(app_line, sizeof(app_line), "trace:rstrtmgr:RmGetList app[0] pid %lu start ",
             (unsigned long)holder.pid);
    assert_contains(trace, app_line);
    assert_contains(trace, "trace:rstrtmgr:resolve resolution: 0, 1 affected");
    assert_contains(trace, "trace:rstrtmgr:RmEndSession -> 0\n");
}

/* No line of ours, with Wine's prefix or without it. */
static BOOL has_trace_of_ours(const char *text)
{
    static const char *const marks[] = { ":rstrtmgr:", "-> 0", "file[0] L\"", "app[0] pid" };
    for (int i = 0; i < (int)ARRAYSIZE(marks); i++)
        if (strstr(text, marks[i]))
            return TRUE;
    return FALSE;
}

static void skip_unless_wine(void)
{
    wchar_t path[RMT_PATH_CCH];
    if (!under_wine()) {
        print_message("ntdll has no __wine_dbg_header: not Wine, the WINEDEBUG cases do not apply\n");
        skip();
    }
    if (!wine_stderr_path(path, RMT_PATH_CCH)) {
        print_message("RMT_WINE_STDERR is not set: run me through wine_stderr_run.sh\n");
        skip();
    }
}

static void test_channel_on_prints_calls_and_results(void **state)
{
    child_run run;
    (void)state;
    skip_unless_wine();
    run_child(L"-all,+rstrtmgr", NULL, &run);
    assert_call_lines(run.wine_err);
    assert_false(has_trace_of_ours(run.err)); /* not the Windows stderr handle */
    /* With Wine's default classes for every other channel too. */
    run_child(L"+rstrtmgr", NULL, &run);
    assert_call_lines(run.wine_err);
}

static void test_channel_off_prints_nothing_of_ours(void **state)
{
    static const wchar_t *const settings[] = { L"-rstrtmgr", L"-all", L"warn+rstrtmgr", NULL };
    child_run run;
    (void)state;
    skip_unless_wine();
    for (int i = 0; i < (int)ARRAYSIZE(settings); i++) {
        run_child(settings[i], NULL, &run);
        /* warn+rstrtmgr: warnings only, and the calls trace none. */
        if (has_trace_of_ours(run.wine_err) || has_trace_of_ours(run.err))
            fail_msg("WINEDEBUG=%ls: our channel printed", settings[i] ? settings[i] : L"(unset)");
    }
}

static void test_trace_file_gets_the_same_lines(void **state)
{
    wchar_t trace_path[RMT_PATH_CCH];
    static char trace[OUTPUT_BYTES];
    char prefix[32];
    child_run run;
    (void)state;
    rmt_test_path(L"rstrtmgr-trace.log", trace_path);
    run_child(L"-all", trace_path, &run);
    assert_true(rmt_read_log(trace_path, trace, sizeof(trace)));
    print_message("--- %ls:\n%s---\n", trace_path, trace);
    assert_call_lines(trace);
    /* The channel itself stays off. */
    assert_false(has_trace_of_ours(run.err));
    assert_false(has_trace_of_ours(run.wine_err));
    /* Each line starts "PID:TID:" (the child's pid, as WINEDEBUG=+pid shows it). */
    const char *child = strstr(run.out, "child ");
    assert_non_null(child);
    snprintf(prefix, sizeof(prefix), "%04lx:", strtoul(child + 6, NULL, 10));
    assert_int_equal(strncmp(trace, prefix, strlen(prefix)), 0);
    assert_contains(trace, ":trace:rstrtmgr:RmStartSession (");

    /* Appended, not replaced: a second run adds its lines after the first's. */
    size_t first_length = strlen(trace);
    run_child(L"-all", trace_path, &run);
    assert_true(rmt_read_log(trace_path, trace, sizeof(trace)));
    print_message("trace file: %lu bytes after one run, %lu after two\n", (unsigned long)first_length,
                  (unsigned long)strlen(trace));
    rmt_assert_gt(strlen(trace), first_length + first_length / 2);
}

/* README "Tracing": where ntdll lacks Wine's debug functions (Windows) the lines go to
 * OutputDebugStringW. RSTRTMGR_TRACE_WINE=off makes the DLL behave so under Wine, whose
 * OutputDebugString logs each string as warn:seh:OutputDebugStringA "..." (observed in
 * Wine 8's kernelbase). */
static void test_without_wine_functions_lines_go_to_output_debug_string(void **state)
{
    wchar_t trace_path[RMT_PATH_CCH];
    char expected[96];
    child_run run;
    (void)state;
    skip_unless_wine();
    rmt_test_path(L"ods-trace.log", trace_path);
    SetEnvironmentVariableW(L"RSTRTMGR_TRACE_WINE", L"off");
    run_child(L"-all,warn+seh,+rstrtmgr", trace_path, &run);
    SetEnvironmentVariableW(L"RSTRTMGR_TRACE_WINE", NULL);
    const char *child = strstr(run.out, "child ");
    assert_non_null(child);
    snprintf(expected, sizeof(expected), "warn:seh:OutputDebugStringA \"%04lx:",
             strtoul(child + 6, NULL, 10));
    assert_contains(run.wine_err, expected);
    assert_contains(run.wine_err, ":trace:rstrtmgr:RmGetList -> 0, needed 1, count 1");
    /* Not through Wine's channel ("TID:trace:rstrtmgr:..."), although +rstrtmgr is on. */
    for (const char *line = run.wine_err; *line;) {
        unsigned tid;
        int prefix = 0;
        if (sscanf(line, "%x%n", &tid, &prefix) == 1 &&
            !strncmp(line + prefix, ":trace:rstrtmgr:", 16))
            fail_msg("a line through Wine's channel: %.60s", line);
        const char *end = strchr(line, '\n');
        line = end ? end + 1 : line + strlen(line);
    }
}

/* Whether every line of text is one whole trace line: "PID:TID:class:rstrtmgr:FUNC ...". */
static int count_whole_lines(const char *text, int *broken)
{
    int lines = 0;
    *broken = 0;
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        unsigned pid, tid;
        char class_name[8], rest[40];
        if (!end)
            end = line + strlen(line);
        if (sscanf(line, "%x:%x:%7[a-z]:%39[^ \n]", &pid, &tid, class_name, rest) != 4 ||
            strncmp(rest, "rstrtmgr:", 9)) {
            if (*broken == 0)
                print_message("broken line %d: %.*s\n", lines + *broken + 1, (int)(end - line), line);
            ++*broken;
        } else {
            lines++;
        }
        line = *end ? end + 1 : end;
    }
    return lines;
}

/* README "Tracing": RSTRTMGR_TRACE appends; several processes may share one file. */
static void test_trace_file_shared_by_processes(void **state)
{
    wchar_t exe[RMT_PATH_CCH], trace_path[RMT_PATH_CCH], command[RMT_PATH_CCH * 2];
    wchar_t event_name[64];
    static char trace[8 << 20];
    PROCESS_INFORMATION writers[WRITERS];
    STARTUPINFOW startup;
    DWORD exit_code;
    int broken;
    (void)state;
    HANDLE start = rmt_event_create(event_name, ARRAYSIZE(event_name));
    assert_non_null(start);
    assert_true(rmt_exe_path(L"test_trace.exe", exe, RMT_PATH_CCH));
    rmt_test_path(L"shared-trace.log", trace_path);
    _snwprintf(command, ARRAYSIZE(command), L"\"%ls\" --child many-lines %ls", exe, event_name);
    command[ARRAYSIZE(command) - 1] = L'\0';
    ZeroMemory(&startup, sizeof(startup));
    startup.cb = sizeof(startup);
    SetEnvironmentVariableW(L"RSTRTMGR_TRACE", trace_path);
    for (int i = 0; i < WRITERS; i++)
        assert_true(CreateProcessW(NULL, command, NULL, NULL, FALSE, CREATE_NO_WINDOW, NULL,
                                   NULL, &startup, &writers[i]));
    SetEnvironmentVariableW(L"RSTRTMGR_TRACE", NULL);
    Sleep(500); /* every writer is waiting on the event */
    SetEvent(start);
    for (int i = 0; i < WRITERS; i++) {
        assert_int_equal(WaitForSingleObject(writers[i].hProcess, RMT_CHILD_TIMEOUT_MS),
                         WAIT_OBJECT_0);
        assert_true(GetExitCodeProcess(writers[i].hProcess, &exit_code));
        assert_int_equal(exit_code, 0);
        CloseHandle(writers[i].hThread);
        CloseHandle(writers[i].hProcess);
    }
    CloseHandle(start);
    assert_true(rmt_read_log(trace_path, trace, sizeof(trace)));
    int lines = count_whole_lines(trace, &broken);
    print_message("%d processes x %d calls: %d whole lines, %d broken (expected %d whole)\n",
                  WRITERS, RESERVE_CALLS, lines, broken, WRITERS * RESERVE_CALLS * 2);
    assert_int_equal(broken, 0);
    assert_int_equal(lines, WRITERS * RESERVE_CALLS * 2);
}

int wmain(int argc, wchar_t **argv)
{
    static const rmt_child_role child_roles[] = {
        { L"calls", 1, child_calls },
        { L"many-lines", 1, child_many_lines },
    };
    RMT_RUN_CHILD_ROLE(argc, argv, child_roles);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_channel_on_prints_calls_and_results, setup, teardown),
        cmocka_unit_test_setup_teardown(test_channel_off_prints_nothing_of_ours, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trace_file_gets_the_same_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trace_file_shared_by_processes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_without_wine_functions_lines_go_to_output_debug_string,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
