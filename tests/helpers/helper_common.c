// SPDX-License-Identifier: LGPL-2.1-or-later
/* Plumbing shared by the helper programs. */
#include "helper_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

void helper_options_init(helper_options *options)
{
    options->ready_event = NULL;
    options->log_path = NULL;
    options->lifetime_ms = RMH_DEFAULT_LIFETIME_MS;
}

void helper_usage_exit(const wchar_t *program, const wchar_t *argument)
{
    fwprintf(stderr, L"%ls: bad or incomplete option '%ls'\n", program, argument);
    fflush(stderr);
    ExitProcess(RMH_EXIT_USAGE);
}

void helper_fail_exit(const char *what, const wchar_t *detail)
{
    DWORD error = GetLastError();
    fprintf(stderr, "helper: %s failed (%ls): error %lu\n", what, detail ? detail : L"",
            (unsigned long)error);
    fflush(stderr);
    ExitProcess(RMH_EXIT_FAILURE);
}

BOOL helper_take_value(int argc, wchar_t **argv, int *index, const wchar_t *name,
                       const wchar_t **value)
{
    if (wcscmp(argv[*index], name) != 0)
        return FALSE;
    if (*index + 1 >= argc)
        helper_usage_exit(argv[0], name);
    *value = argv[++*index];
    return TRUE;
}

DWORD helper_parse_dword(const wchar_t *program, const wchar_t *text)
{
    wchar_t *end;
    unsigned long value = wcstoul(text, &end, 10);
    if (end == text || *end != L'\0')
        helper_usage_exit(program, text);
    return (DWORD)value;
}

BOOL helper_take_common(int argc, wchar_t **argv, int *index, helper_options *options)
{
    const wchar_t *value;
    if (helper_take_value(argc, argv, index, L"--ready-event", &options->ready_event) ||
        helper_take_value(argc, argv, index, L"--log", &options->log_path))
        return TRUE;
    if (helper_take_value(argc, argv, index, L"--lifetime-ms", &value)) {
        options->lifetime_ms = helper_parse_dword(argv[0], value);
        return TRUE;
    }
    return FALSE;
}

static DWORD WINAPI lifetime_watchdog(void *context)
{
    Sleep((DWORD)(ULONG_PTR)context);
    /* TerminateProcess, not ExitProcess: a deliberately hung thread must not stall it. */
    TerminateProcess(GetCurrentProcess(), RMH_EXIT_LIFETIME);
    return 0;
}

void helper_start_lifetime(DWORD lifetime_ms)
{
    HANDLE thread = CreateThread(NULL, 0, lifetime_watchdog, (void *)(ULONG_PTR)lifetime_ms,
                                 0, NULL);
    if (!thread)
        helper_fail_exit("CreateThread(lifetime watchdog)", NULL);
    CloseHandle(thread);
}

void helper_begin(const helper_options *options)
{
    helper_start_lifetime(options->lifetime_ms);
    helper_log_start(options->log_path);
}

void helper_signal_ready(const wchar_t *ready_event)
{
    char line[32];
    int length = snprintf(line, sizeof(line), RMH_READY_PREFIX "%lu\n",
                          (unsigned long)GetCurrentProcessId());
    /* WriteFile on the raw handle: no CRT buffering, and it works for -mwindows
     * programs whose stdout the test redirected. */
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD written;
    if (out && out != INVALID_HANDLE_VALUE)
        WriteFile(out, line, (DWORD)length, &written, NULL);

    if (ready_event) {
        /* CreateEvent opens the test's event if it exists, so the order of creation
         * between test and helper does not matter. */
        HANDLE event = CreateEventW(NULL, TRUE, FALSE, ready_event);
        if (!event || !SetEvent(event))
            helper_fail_exit("signalling the ready event", ready_event);
        CloseHandle(event);
    }
}

static void append_line(const wchar_t *log_path, const char *text, size_t length)
{
    HANDLE file = CreateFileW(log_path, FILE_APPEND_DATA,
                              FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                              OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD written;
    if (file == INVALID_HANDLE_VALUE)
        return; /* a log is evidence, not a reason to change behaviour */
    WriteFile(file, text, (DWORD)length, &written, NULL);
    CloseHandle(file);
}

void helper_log(const wchar_t *log_path, const char *format, ...)
{
    char line[1024];
    va_list args;
    int length;
    if (!log_path)
        return;
    va_start(args, format);
    length = vsnprintf(line, sizeof(line) - 1, format, args);
    va_end(args);
    if (length < 0)
        return;
    if ((size_t)length > sizeof(line) - 2)
        length = (int)sizeof(line) - 2;
    line[length++] = '\n';
    append_line(log_path, line, (size_t)length);
}

void helper_log_start(const wchar_t *log_path)
{
    const wchar_t *command_line = GetCommandLineW();
    int utf8_length;
    char *line;
    if (!log_path)
        return;
    utf8_length = WideCharToMultiByte(CP_UTF8, 0, command_line, -1, NULL, 0, NULL, NULL);
    line = malloc((size_t)utf8_length + 8);
    if (!line)
        return;
    memcpy(line, "START ", 6);
    WideCharToMultiByte(CP_UTF8, 0, command_line, -1, line + 6, utf8_length, NULL, NULL);
    /* utf8_length counts the terminator, which becomes the newline. */
    line[6 + utf8_length - 1] = '\n';
    append_line(log_path, line, (size_t)(6 + utf8_length));
    free(line);
}

HANDLE helper_hold_file(const wchar_t *path, DWORD access, DWORD share)
{
    HANDLE file = CreateFileW(path, access, share, NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL,
                              NULL);
    if (file == INVALID_HANDLE_VALUE)
        helper_fail_exit("CreateFile(--hold)", path);
    return file;
}

void helper_hold_shared(const wchar_t *path)
{
    if (path)
        helper_hold_file(path, GENERIC_READ,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE);
}
