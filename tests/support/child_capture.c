// SPDX-License-Identifier: LGPL-2.1-or-later
/* See child_capture.h. */
#include "child_capture.h"

#include "rm_test_support.h"
#include "rmt_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

static HANDLE inheritable_file(const wchar_t *path, DWORD access, DWORD disposition)
{
    SECURITY_ATTRIBUTES inherit = { sizeof(inherit), NULL, TRUE };
    return CreateFileW(path, access, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit,
                       disposition, FILE_ATTRIBUTE_NORMAL, NULL);
}

BOOL capture_run(const wchar_t *command_line, const wchar_t *out_path, const wchar_t *err_path,
                 DWORD timeout_ms, DWORD *exit_code)
{
    STARTUPINFOW startup;
    PROCESS_INFORMATION process;
    wchar_t *mutable_line = _wcsdup(command_line); /* CreateProcessW may write to it */
    BOOL started = FALSE, finished = FALSE;

    ZeroMemory(&startup, sizeof(startup));
    startup.cb = sizeof(startup);
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = inheritable_file(L"NUL", GENERIC_READ, OPEN_EXISTING);
    startup.hStdOutput = inheritable_file(out_path, GENERIC_WRITE, CREATE_ALWAYS);
    startup.hStdError = inheritable_file(err_path, GENERIC_WRITE, CREATE_ALWAYS);
    if (mutable_line && startup.hStdInput != INVALID_HANDLE_VALUE &&
        startup.hStdOutput != INVALID_HANDLE_VALUE && startup.hStdError != INVALID_HANDLE_VALUE)
        for (int attempt = 0;; attempt++) {
            started = CreateProcessW(NULL, mutable_line, NULL, NULL, TRUE, CREATE_NO_WINDOW,
                                     NULL, NULL, &startup, &process);
            if (started || !rmt_retry_create_hiccup(attempt))
                break;
        }
    if (!started)
        printf("cannot start %ls: %lu\n", command_line, (unsigned long)GetLastError());
    CloseHandle(startup.hStdInput);
    CloseHandle(startup.hStdOutput);
    CloseHandle(startup.hStdError);
    free(mutable_line);
    if (!started)
        return FALSE;
    if (WaitForSingleObject(process.hProcess, timeout_ms) == WAIT_OBJECT_0) {
        finished = GetExitCodeProcess(process.hProcess, exit_code);
    } else {
        printf("%ls did not finish in %lu ms\n", command_line, (unsigned long)timeout_ms);
        TerminateProcess(process.hProcess, 1);
        WaitForSingleObject(process.hProcess, 5000);
    }
    CloseHandle(process.hThread);
    CloseHandle(process.hProcess);
    return finished;
}

BOOL capture_program(const wchar_t *exe_name, const wchar_t *args, const wchar_t *dir,
                     DWORD timeout_ms, capture_result *result)
{
    wchar_t exe[MAX_PATH * 2], out_path[MAX_PATH * 2], err_path[MAX_PATH * 2];
    static wchar_t command[32768];
    if (!rmt_exe_path(exe_name, exe, ARRAYSIZE(exe)) ||
        !rmt_path_join(dir, L"capture.out", out_path, ARRAYSIZE(out_path)) ||
        !rmt_path_join(dir, L"capture.err", err_path, ARRAYSIZE(err_path)))
        return FALSE;
    _snwprintf(command, ARRAYSIZE(command), L"\"%ls\" %ls", exe, args);
    command[ARRAYSIZE(command) - 1] = L'\0';
    if (!capture_run(command, out_path, err_path, timeout_ms, &result->exit_code))
        return FALSE;
    rmt_read_log(out_path, result->out, sizeof(result->out));
    rmt_read_log(err_path, result->err, sizeof(result->err));
    printf("%ls %ls -> %lu\n--- stdout:\n%s--- stderr:\n%s---\n", exe_name, args,
           (unsigned long)result->exit_code, result->out, result->err);
    return TRUE;
}
