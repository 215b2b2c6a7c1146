// SPDX-License-Identifier: LGPL-2.1-or-later
/* rmtool (samples/rmtool) as scripts use it: run as a child process against real
 * helper processes under Wine, its stdout, stderr and exit code checked. Covers `who`
 * (a process holding a file, a process that only loaded a DLL, --pid, JSON that
 * parses), a directory (every file under it, a holder three levels down), a path
 * that does not exist, the documented exit codes, `close` (accepting, refusing, --force,
 * --only-registered) and `cycle` (closed, --run, restarted). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include "child_capture.h"
#include "rm_test_support.h"

#define TOOL_TIMEOUT_MS 90000

/* rmtool's documented exit codes (README "rmtool"); the test restates them on purpose. */
enum {
    EXIT_OK = 0,
    EXIT_IN_USE = 1,
    EXIT_USAGE = 2,
    EXIT_RM_ERROR = 3,
    EXIT_SHUTDOWN_FAILED = 4,
    EXIT_RUN_FAILED = 8,
};

typedef capture_result tool_run;

/* ---- plumbing ------------------------------------------------------------------ */

static int setup(void **state)
{
    /* rmtool inherits this: a refusing application is forced out after 3 s, not 30. */
    SetEnvironmentVariableW(L"RSTRTMGR_APP_TIMEOUT_MS", L"3000");
    return rmt_setup(state);
}

/* Runs rmtool.exe (beside the test) with args; stdin is empty, stdout and stderr go to
 * files (no pipe to drain while waiting). */
static void run_tool(const wchar_t *args, tool_run *run)
{
    if (!capture_program(L"rmtool.exe", args, rmt_test_dir, TOOL_TIMEOUT_MS, run))
        fail_msg("rmtool %ls did not run to its end", args);
}

static void assert_exit(const tool_run *run, DWORD expected)
{
    if (run->exit_code != expected)
        fail_msg("rmtool exited with %lu, expected %lu", (unsigned long)run->exit_code,
                 (unsigned long)expected);
}

/* run_tool with the arguments format makes of what follows; rmtool must exit with
 * expected. */
static void run_tool_expecting(tool_run *run, DWORD expected, const wchar_t *format, ...)
{
    wchar_t args[RMT_ARGS_CCH];
    va_list values;
    va_start(values, format);
    _vsnwprintf(args, RMT_ARGS_CCH, format, values);
    va_end(values);
    args[RMT_ARGS_CCH - 1] = L'\0';
    run_tool(args, run);
    assert_exit(run, expected);
}

static void assert_contains(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("output lacks \"%s\"", needle);
}

/* A table row starts with the pid at the beginning of a line. */
static void assert_row_for(const char *table, DWORD pid, const char *type)
{
    char row[64];
    snprintf(row, sizeof(row), "\n%-8lu %-12s", (unsigned long)pid, type);
    assert_contains(table, row);
}

/* A window app holding a fresh doc.txt (its path in held) and logging to app.log (in
 * log), both in rmt_test_dir; more is appended to its options. */
static void spawn_gui(const wchar_t *more, wchar_t *held, wchar_t *log, rmt_process *out)
{
    wchar_t args[RMT_ARGS_CCH];
    rmt_test_file(L"doc.txt", held);
    rmt_test_path(L"app.log", log);
    _snwprintf(args, RMT_ARGS_CCH, L"--title \"Tool Test App\" --hold \"%ls\" --log \"%ls\" %ls",
               held, log, more);
    rmt_must_spawn(L"rm_gui_app.exe", args, out);
}

static int count_lines_starting(const char *text, const char *prefix)
{
    int count = 0;
    size_t length = strlen(prefix);
    const char *line = text;
    while (*line) {
        const char *next = strchr(line, '\n');
        if (!strncmp(line, prefix, length))
            count++;
        if (!next)
            break;
        line = next + 1;
    }
    return count;
}

/* Waits (bounded) until the helper's log has `starts` START lines: a restarted
 * instance writes its line a moment after RmRestart returned. */
static void assert_started_times(const wchar_t *log, int starts)
{
    static char text[16384];
    int seen = 0;
    for (DWORD waited = 0; waited <= RMT_READY_TIMEOUT_MS; waited += 100) {
        rmt_read_log(log, text, sizeof(text));
        seen = count_lines_starting(text, "START ");
        if (seen >= starts)
            break;
        Sleep(100);
    }
    if (seen != starts)
        fail_msg("log has %d START lines, expected %d:\n%s", seen, starts, text);
}

/* ---- a minimal JSON syntax check (RFC 8259 grammar, no semantic checks) --------- */

static const char *json_value(const char *p);

static const char *json_space(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

static const char *json_string(const char *p)
{
    if (*p++ != '"')
        return NULL;
    while (*p != '"') {
        if ((unsigned char)*p < 0x20)
            return NULL;
        if (*p == '\\') {
            p++;
            if (*p == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (!isxdigit((unsigned char)p[i]))
                        return NULL;
                p += 4;
            } else if (!strchr("\"\\/bfnrt", *p) || !*p) {
                return NULL;
            }
        }
        p++;
    }
    return p + 1;
}

/* One or more digits: the position after them, or NULL. */
static const char *json_digits(const char *p)
{
    const char *start = p;
    while (isdigit((unsigned char)*p))
        p++;
    return p == start ? NULL : p;
}

static const char *json_number(const char *p)
{
    if (*p == '-')
        p++;
    p = json_digits(p);
    if (p && *p == '.')
        p = json_digits(p + 1);
    if (p && (*p == 'e' || *p == 'E')) {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        p = json_digits(p);
    }
    return p;
}

/* Object ({ "k": v, ... }) or array ([ v, ... ]). */
static const char *json_container(const char *p, char close, int is_object)
{
    p = json_space(p + 1);
    if (*p == close)
        return p + 1;
    for (;;) {
        if (is_object) {
            if (!(p = json_string(json_space(p))))
                return NULL;
            p = json_space(p);
            if (*p++ != ':')
                return NULL;
        }
        if (!(p = json_value(p)))
            return NULL;
        p = json_space(p);
        if (*p == close)
            return p + 1;
        if (*p++ != ',')
            return NULL;
    }
}

static const char *json_value(const char *p)
{
    p = json_space(p);
    if (*p == '{')
        return json_container(p, '}', 1);
    if (*p == '[')
        return json_container(p, ']', 0);
    if (*p == '"')
        return json_string(p);
    if (!strncmp(p, "true", 4))
        return p + 4;
    if (!strncmp(p, "false", 5))
        return p + 5;
    if (!strncmp(p, "null", 4))
        return p + 4;
    return json_number(p);
}

static void assert_json_document(const char *text)
{
    const char *end = json_value(text);
    if (!end || *json_space(end) != '\0')
        fail_msg("not one JSON document (error near offset %d)",
                 end ? (int)(end - text) : -1);
    assert_int_equal(*json_space(text), '{');
}

/* ---- who -------------------------------------------------------------------------- */

static void test_help_version_and_usage(void **state)
{
    tool_run run;
    (void)state;
    run_tool_expecting(&run, EXIT_OK, L"--help");
    assert_contains(run.out, "exit codes:");
    run_tool_expecting(&run, EXIT_OK, L"--version");
    assert_contains(run.out, "rmtool ");
    run_tool_expecting(&run, EXIT_USAGE, L"");
    run_tool_expecting(&run, EXIT_USAGE, L"frobnicate x.txt");
    run_tool_expecting(&run, EXIT_USAGE, L"who"); /* no resource */
    run_tool_expecting(&run, EXIT_USAGE, L"who --force x.txt"); /* a close option */
    run_tool_expecting(&run, EXIT_USAGE, L"cycle --wait-ms soon x.txt");
    assert_contains(run.err, "--wait-ms");
}

static void test_who_nobody(void **state)
{
    wchar_t file[RMT_PATH_CCH];
    tool_run run;
    (void)state;
    rmt_test_file(L"free.txt", file);
    run_tool_expecting(&run, EXIT_OK, L"who \"%ls\"", file);
    assert_contains(run.out, "No process uses the files.");
    run_tool_expecting(&run, EXIT_OK, L"who --json \"%ls\"", file);
    assert_json_document(run.out);
    assert_contains(run.out, "\"in_use\": false");
    assert_contains(run.out, "\"processes\": []");
}

/* A process holding a file open and one that only loaded a DLL (its handle closed). */
static void start_file_and_dll_users(wchar_t *file, wchar_t *dll, rmt_process *holder,
                                     rmt_process *loader)
{
    wchar_t args[RMT_ARGS_CCH];
    rmt_test_file(L"held.txt", file);
    assert_true(rmt_copy_payload_dll(rmt_test_dir, dll, RMT_PATH_CCH));
    _snwprintf(args, RMT_ARGS_CCH, L"--hold \"%ls\"", file);
    rmt_must_spawn(L"rm_file_holder.exe", args, holder);
    _snwprintf(args, RMT_ARGS_CCH, L"--load \"%ls\"", dll);
    rmt_must_spawn(L"rm_dll_loader.exe", args, loader);
}

static void test_who_finds_holder_and_dll_loader(void **state)
{
    wchar_t file[RMT_PATH_CCH], dll[RMT_PATH_CCH];
    rmt_process holder, loader;
    tool_run run;
    (void)state;
    start_file_and_dll_users(file, dll, &holder, &loader);

    run_tool_expecting(&run, EXIT_IN_USE, L"who \"%ls\" \"%ls\"", file, dll);
    assert_contains(run.out, "PID      TYPE         NAME");
    assert_row_for(run.out, holder.pid, "console");
    assert_row_for(run.out, loader.pid, "console");
    assert_contains(run.out, "2 processes use the files.");

    /* The DLL alone: only the loader. */
    run_tool_expecting(&run, EXIT_IN_USE, L"who \"%ls\"", dll);
    assert_row_for(run.out, loader.pid, "console");
    assert_contains(run.out, "1 process uses the files.");
}

static void test_who_json(void **state)
{
    wchar_t file[RMT_PATH_CCH], dll[RMT_PATH_CCH];
    rmt_process holder, loader;
    char pid_field[40];
    tool_run run;
    (void)state;
    start_file_and_dll_users(file, dll, &holder, &loader);

    run_tool_expecting(&run, EXIT_IN_USE, L"who --json \"%ls\" \"%ls\"", file, dll);
    assert_json_document(run.out);
    assert_int_equal(run.err[0], '\0'); /* nothing else on the streams */
    assert_contains(run.out, "\"in_use\": true");
    assert_contains(run.out, "\"count\": 2");
    snprintf(pid_field, sizeof(pid_field), "{\"pid\": %lu,", (unsigned long)holder.pid);
    assert_contains(run.out, pid_field);
    snprintf(pid_field, sizeof(pid_field), "{\"pid\": %lu,", (unsigned long)loader.pid);
    assert_contains(run.out, pid_field);
    assert_contains(run.out, "\"type\": \"console\"");
}

static void test_who_pid_and_errors(void **state)
{
    wchar_t file[RMT_PATH_CCH];
    rmt_process holder;
    tool_run run;
    (void)state;
    rmt_test_file(L"any.txt", file);
    rmt_must_spawn(L"rm_file_holder.exe", NULL, &holder);

    run_tool_expecting(&run, EXIT_IN_USE, L"who --pid %lu", (unsigned long)holder.pid);
    assert_row_for(run.out, holder.pid, "console");

    /* Not a running process: cannot be registered. */
    run_tool_expecting(&run, EXIT_RM_ERROR, L"who --pid 4294967290");
}

/* ---- directories (issue #14: every file under DIR, as PowerToys File Locksmith) ---- */

/* rmt_test_dir\name, created; its path in out. */
static void make_dir(const wchar_t *parent, const wchar_t *name, wchar_t *out)
{
    assert_true(rmt_path_join(parent, name, out, RMT_PATH_CCH));
    if (!CreateDirectoryW(out, NULL))
        fail_msg("cannot create %ls: %lu", out, (unsigned long)GetLastError());
}

/* The file counts of the RmRegisterResources calls in a trace of the DLL ("(handle,
 * files, ..." on each entry line); their number is returned. */
static int registered_file_counts(const char *trace, unsigned *counts, int capacity)
{
    static const char entry[] = "trace:rstrtmgr:RmRegisterResources (";
    int calls = 0;
    for (const char *at = strstr(trace, entry); at; at = strstr(at + 1, entry)) {
        unsigned long handle;
        unsigned files;
        if (sscanf(at + strlen(entry), "%lu, %u,", &handle, &files) == 2 && calls < capacity)
            counts[calls++] = files;
    }
    return calls;
}

/* The lines of a DLL trace that are not about registration (RmGetList and the phases
 * of its resolution), in a static buffer. */
static const char *resolution_lines(const char *trace)
{
    static char lines[16384];
    size_t used = 0;
    lines[0] = '\0';
    for (const char *line = trace; *line;) {
        const char *end = strchr(line, '\n');
        size_t length = end ? (size_t)(end - line) + 1 : strlen(line);
        const char *registration = strstr(line, ":RmRegisterResources ");
        if ((!registration || registration >= line + length) && used + length < sizeof(lines)) {
            memcpy(lines + used, line, length);
            used += length;
            lines[used] = '\0';
        }
        line += length;
    }
    return lines;
}

/* README "rmtool": a directory stands for every file under it, recursively; rmtool
 * registers them itself in batches of 1,000 (the DLL's own answer for a registered
 * directory, ERROR_ACCESS_DENIED, is unchanged). The held file is three levels down,
 * after 1,200 free files, so the registration takes two batches. */
static void test_who_directory_finds_deep_holder(void **state)
{
    wchar_t tree[RMT_PATH_CCH], level1[RMT_PATH_CCH], level2[RMT_PATH_CCH],
        level3[RMT_PATH_CCH], many[RMT_PATH_CCH], held[RMT_PATH_CCH], name[32],
        trace_path[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    static char trace[1 << 20];
    rmt_process holder;
    char field[96];
    tool_run run;
    (void)state;
    make_dir(rmt_test_dir, L"tree", tree);
    make_dir(tree, L"one", level1);
    make_dir(level1, L"two", level2);
    make_dir(level2, L"three", level3);
    make_dir(tree, L"many", many);
    for (int i = 0; i < 1200; i++) {
        _snwprintf(name, ARRAYSIZE(name), L"free%04d.txt", i);
        assert_true(rmt_make_file(many, name, held, RMT_PATH_CCH));
    }
    assert_true(rmt_make_file(level3, L"held.txt", held, RMT_PATH_CCH));
    _snwprintf(args, RMT_ARGS_CCH, L"--hold \"%ls\"", held);
    rmt_must_spawn(L"rm_file_holder.exe", args, &holder);

    run_tool_expecting(&run, EXIT_IN_USE, L"who \"%ls\"", tree);
    assert_row_for(run.out, holder.pid, "console");
    assert_contains(run.out, "1 process uses the files.");

    /* JSON: the holder by pid and start time; the DLL's trace shows the batches. */
    rmt_test_path(L"trace.log", trace_path);
    SetEnvironmentVariableW(L"RSTRTMGR_TRACE", trace_path);
    _snwprintf(args, RMT_ARGS_CCH, L"who --json \"%ls\"", tree);
    run_tool(args, &run);
    SetEnvironmentVariableW(L"RSTRTMGR_TRACE", NULL);
    assert_true(rmt_read_log(trace_path, trace, sizeof(trace)));
    if (run.exit_code != EXIT_IN_USE) /* the DLL's own account of its answer */
        print_message("--- the trace's resolution lines:\n%s---\n", resolution_lines(trace));
    assert_exit(&run, EXIT_IN_USE);
    assert_json_document(run.out);
    snprintf(field, sizeof(field), "{\"pid\": %lu, \"start_time\": \"%llu\"",
             (unsigned long)holder.pid,
             ((unsigned long long)holder.start_time.dwHighDateTime << 32) |
                 holder.start_time.dwLowDateTime);
    print_message("expecting %s\n", field);
    assert_contains(run.out, field);
    unsigned counts[8], total = 0, largest = 0, batches = 0;
    int calls = registered_file_counts(trace, counts, 8);
    for (int i = 0; i < calls; i++) {
        print_message("RmRegisterResources call %d: %u files\n", i, counts[i]);
        total += counts[i];
        largest = counts[i] > largest ? counts[i] : largest;
        batches += counts[i] != 0;
    }
    assert_int_equal(total, 1201);
    assert_int_equal(largest, 1000);
    assert_int_equal(batches, 2);

    /* The directory with other resources, and a plain file, as before. */
    run_tool_expecting(&run, EXIT_IN_USE, L"who \"%ls\" \"%ls\"", level3, held);
    assert_row_for(run.out, holder.pid, "console");
    run_tool_expecting(&run, EXIT_OK, L"who \"%ls\"", many); /* 1,200 free files */
    assert_contains(run.out, "No process uses the files.");
}

/* README "rmtool": a path that does not exist is a usage error (exit 2) that names it. */
static void test_nonexistent_path_is_usage_error(void **state)
{
    wchar_t missing[RMT_PATH_CCH];
    tool_run run;
    (void)state;
    rmt_test_path(L"no-such-dir\\no-such-file.txt", missing);
    run_tool_expecting(&run, EXIT_USAGE, L"who \"%ls\"", missing);
    assert_contains(run.err, "rmtool: no such file or directory: ");
    assert_contains(run.err, "no-such-file.txt");
    assert_int_equal(run.out[0], '\0');
    run_tool_expecting(&run, EXIT_USAGE, L"close \"%ls\"", missing);
    assert_contains(run.err, "no such file or directory");
}

/* ---- close and cycle -------------------------------------------------------------- */

static void test_close_accepting_app(void **state)
{
    wchar_t file[RMT_PATH_CCH], log[RMT_PATH_CCH];
    rmt_process app;
    DWORD exit_code = 0xdeadbeef;
    tool_run run;
    (void)state;
    spawn_gui(L"", file, log, &app);

    run_tool_expecting(&run, EXIT_OK, L"close \"%ls\"", file);
    assert_row_for(run.out, app.pid, "main-window");
    assert_contains(run.out, "Tool Test App");
    assert_contains(run.out, "  closed ");
    assert_contains(run.err, "closing 100%"); /* the progress display */
    assert_true(rmt_wait_exit(&app, RMT_EXIT_TIMEOUT_MS));
    assert_true(rmt_exit_code(&app, &exit_code));
    assert_int_equal(exit_code, RMH_EXIT_OK);

    /* Nobody left: close succeeds and says so. */
    run_tool_expecting(&run, EXIT_OK, L"close \"%ls\"", file);
    assert_contains(run.out, "Nothing to close.");
}

static void test_close_refusing_app_then_force(void **state)
{
    wchar_t file[RMT_PATH_CCH], log[RMT_PATH_CCH];
    rmt_process app;
    tool_run run;
    (void)state;
    spawn_gui(L"--on-query refuse --ignore-close", file, log, &app);

    run_tool_expecting(&run, EXIT_SHUTDOWN_FAILED, L"close --no-progress \"%ls\"", file);
    assert_contains(run.out, "still running");
    assert_null(strstr(run.err, "closing")); /* --no-progress */
    assert_true(rmt_is_running(&app));

    run_tool_expecting(&run, EXIT_OK, L"close --force \"%ls\"", file);
    assert_true(rmt_wait_exit(&app, RMT_EXIT_TIMEOUT_MS));
}

static void test_close_only_registered(void **state)
{
    wchar_t file[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process app;
    tool_run run;
    (void)state;
    rmt_test_file(L"doc.txt", file);
    _snwprintf(args, RMT_ARGS_CCH, L"--hold \"%ls\"", file);
    rmt_must_spawn(L"rm_console_app.exe", args, &app); /* not restartable: no main window */

    /* Not registered for restart: nothing is closed. */
    run_tool_expecting(&run, EXIT_SHUTDOWN_FAILED, L"close --only-registered \"%ls\"", file);
    Sleep(300);
    assert_true(rmt_is_running(&app));
}

/* The restarted instance is not ours to kill: close it through rmtool too. */
static void close_restarted(const wchar_t *file)
{
    tool_run run;
    run_tool_expecting(&run, EXIT_OK, L"close --force --no-progress \"%ls\"", file);
}

static void test_cycle_restarts(void **state)
{
    wchar_t file[RMT_PATH_CCH], log[RMT_PATH_CCH], exe[RMT_PATH_CCH];
    rmt_process app;
    tool_run run;
    (void)state;
    assert_true(rmt_exe_path(L"rmtool.exe", exe, RMT_PATH_CCH));
    spawn_gui(L"--lifetime-ms 60000", file, log, &app);

    /* --run: a program that succeeds (rmtool --version) stands for the file copy. */
    run_tool_expecting(&run, EXIT_OK, L"cycle --wait-ms 0 --run \"\\\"%ls\\\" --version\" \"%ls\"",
                       exe, file);
    assert_contains(run.out, "  closed ");
    assert_contains(run.out, "rmtool ");  /* the --run program's own output */
    assert_contains(run.out, "Restarted the applications.");
    assert_contains(run.err, "restarting 100%");
    assert_true(rmt_wait_exit(&app, RMT_EXIT_TIMEOUT_MS));
    assert_started_times(log, 2);

    /* A failing --run: exit 8, and the application is restarted all the same. */
    run_tool_expecting(&run, EXIT_RUN_FAILED,
                       L"cycle --no-progress --run \"\\\"%ls\\\" bogus\" \"%ls\"", exe, file);
    assert_contains(run.out, "Restarted the applications.");
    assert_started_times(log, 3);
    close_restarted(file);
}

RMT_MAIN_CASES("tests", NULL, NULL,
         cmocka_unit_test_setup_teardown(test_help_version_and_usage, setup, rmt_teardown),
         cmocka_unit_test_setup_teardown(test_who_nobody, setup, rmt_teardown),
         cmocka_unit_test_setup_teardown(test_who_finds_holder_and_dll_loader, setup, rmt_teardown),
         cmocka_unit_test_setup_teardown(test_who_json, setup, rmt_teardown),
         cmocka_unit_test_setup_teardown(test_who_pid_and_errors, setup, rmt_teardown),
         cmocka_unit_test_setup_teardown(test_who_directory_finds_deep_holder, setup, rmt_teardown),
         cmocka_unit_test_setup_teardown(test_nonexistent_path_is_usage_error, setup, rmt_teardown),
         cmocka_unit_test_setup_teardown(test_close_accepting_app, setup, rmt_teardown),
         cmocka_unit_test_setup_teardown(test_close_refusing_app_then_force, setup, rmt_teardown),
         cmocka_unit_test_setup_teardown(test_close_only_registered, setup, rmt_teardown),
         cmocka_unit_test_setup_teardown(test_cycle_restarts, setup, rmt_teardown))
