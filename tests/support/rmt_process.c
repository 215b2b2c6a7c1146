// SPDX-License-Identifier: LGPL-2.1-or-later
/* Starting helpers and the test's own executable, and ending them. */
#include "rmt_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* The standard handles a child gets; all inheritable. */
typedef struct child_stdio {
    HANDLE input, output, error;
} child_stdio;

static HANDLE open_nul(DWORD access)
{
    SECURITY_ATTRIBUTES inherit = { sizeof(inherit), NULL, TRUE };
    return CreateFileW(L"NUL", access, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit,
                       OPEN_EXISTING, 0, NULL);
}

/* An inheritable copy of one of our standard handles, or NUL if we have none. */
static HANDLE inheritable_std_handle(DWORD which)
{
    HANDLE own = GetStdHandle(which), copy;
    if (own && own != INVALID_HANDLE_VALUE &&
        DuplicateHandle(GetCurrentProcess(), own, GetCurrentProcess(), &copy, 0, TRUE,
                        DUPLICATE_SAME_ACCESS))
        return copy;
    return open_nul(GENERIC_WRITE);
}

static void close_stdio(child_stdio *stdio)
{
    HANDLE *handles[] = { &stdio->input, &stdio->output, &stdio->error };
    for (size_t i = 0; i < sizeof(handles) / sizeof(handles[0]); i++) {
        if (*handles[i] && *handles[i] != INVALID_HANDLE_VALUE)
            CloseHandle(*handles[i]);
        *handles[i] = NULL;
    }
}

static BOOL fill_times(rmt_process *p)
{
    FILETIME exit_time, kernel_time, user_time;
    if (!GetProcessTimes(p->process, &p->start_time, &exit_time, &kernel_time, &user_time)) {
        rmt_report("GetProcessTimes", NULL);
        return FALSE;
    }
    p->unique.dwProcessId = p->pid;
    p->unique.ProcessStartTime = p->start_time;
    return TRUE;
}

/* Starts "exe_path" args [--ready-event ready_event] suspended, adopts it into the job,
 * then lets it run, so it cannot escape the job by exiting or spawning first. */
/* The token the next rmt_spawn_as start uses (NULL: the test's own). */
static HANDLE spawn_token;

static BOOL start_child(const wchar_t *exe_path, const wchar_t *args,
                        const wchar_t *ready_event, DWORD flags, const child_stdio *stdio,
                        rmt_process *out)
{
    STARTUPINFOW startup = {0};
    PROCESS_INFORMATION info;
    size_t cch = wcslen(exe_path) + (args ? wcslen(args) : 0) +
                 (ready_event ? wcslen(ready_event) : 0) + 32;
    wchar_t *command_line = malloc(cch * sizeof(wchar_t));
    BOOL created;

    memset(out, 0, sizeof(*out));
    if (!command_line)
        return FALSE;
    swprintf(command_line, cch, L"\"%ls\"%ls%ls%ls%ls", exe_path, args ? L" " : L"",
             args ? args : L"", ready_event ? L" --ready-event " : L"",
             ready_event ? ready_event : L"");
    startup.cb = sizeof(startup);
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = stdio->input;
    startup.hStdOutput = stdio->output;
    startup.hStdError = stdio->error;
    for (int attempt = 0;; attempt++) {
        created = spawn_token
                      ? CreateProcessAsUserW(spawn_token, exe_path, command_line, NULL, NULL,
                                             TRUE, flags | CREATE_SUSPENDED, NULL, NULL,
                                             &startup, &info)
                      : CreateProcessW(exe_path, command_line, NULL, NULL, TRUE,
                                       flags | CREATE_SUSPENDED, NULL, NULL, &startup, &info);
        if (created || !rmt_retry_create_hiccup(attempt))
            break;
    }
    if (!created)
        rmt_report("CreateProcess", command_line);
    free(command_line);
    if (!created)
        return FALSE;
    rmt_adopt(info.hProcess);
    ResumeThread(info.hThread);
    CloseHandle(info.hThread);
    out->pid = info.dwProcessId;
    out->process = info.hProcess;
    if (fill_times(out))
        return TRUE;
    rmt_kill(out);
    return FALSE;
}

/* The helper writes its READY line before setting the event, so the line is already
 * in the pipe: read what is there without blocking. */
static BOOL check_ready_line(HANDLE pipe, DWORD pid)
{
    char text[512], expected[32];
    DWORD available = 0, got = 0;
    if (!PeekNamedPipe(pipe, NULL, 0, NULL, &available, NULL))
        return FALSE;
    if (available > sizeof(text) - 1)
        available = sizeof(text) - 1;
    if (available && !ReadFile(pipe, text, available, &got, NULL))
        return FALSE;
    text[got] = '\0';
    snprintf(expected, sizeof(expected), RMH_READY_PREFIX "%lu\n", (unsigned long)pid);
    if (strstr(text, expected))
        return TRUE;
    fprintf(stderr, "rm_test_support: pid %lu set its ready event but printed \"%s\"\n",
            (unsigned long)pid, text);
    return FALSE;
}

/* Waits for the ready event or the child's exit, whichever comes first. */
static BOOL wait_ready(const wchar_t *exe_name, HANDLE ready, rmt_process *p)
{
    HANDLE waits[2] = { ready, p->process };
    DWORD exit_code = 0;
    switch (WaitForMultipleObjects(2, waits, FALSE, RMT_READY_TIMEOUT_MS)) {
    case WAIT_OBJECT_0:
        return TRUE;
    case WAIT_OBJECT_0 + 1:
        GetExitCodeProcess(p->process, &exit_code);
        fprintf(stderr, "rm_test_support: %ls exited with %lu before it was ready\n", exe_name,
                (unsigned long)exit_code);
        return FALSE;
    case WAIT_TIMEOUT:
        fprintf(stderr, "rm_test_support: %ls not ready after %u ms\n", exe_name,
                RMT_READY_TIMEOUT_MS);
        return FALSE;
    default:
        rmt_report("WaitForMultipleObjects", exe_name);
        return FALSE;
    }
}

BOOL rmt_spawn_ex(const wchar_t *exe_name, const wchar_t *args, DWORD creation_flags,
                  rmt_process *out)
{
    SECURITY_ATTRIBUTES inherit = { sizeof(inherit), NULL, TRUE };
    wchar_t exe_path[RMT_PATH_CCH], event_name[64];
    child_stdio stdio = { NULL, NULL, NULL };
    HANDLE ready, stdout_read = NULL;
    BOOL ok = FALSE;

    memset(out, 0, sizeof(*out));
    if (!rmt_exe_path(exe_name, exe_path, RMT_PATH_CCH))
        return FALSE;
    ready = rmt_event_create(event_name, sizeof(event_name) / sizeof(event_name[0]));
    if (!ready)
        return FALSE;
    if (!CreatePipe(&stdout_read, &stdio.output, &inherit, 0)) {
        rmt_report("CreatePipe", NULL);
        CloseHandle(ready);
        return FALSE;
    }
    SetHandleInformation(stdout_read, HANDLE_FLAG_INHERIT, 0);
    stdio.input = open_nul(GENERIC_READ);
    stdio.error = inheritable_std_handle(STD_ERROR_HANDLE);

    if (start_child(exe_path, args, event_name, creation_flags, &stdio, out)) {
        close_stdio(&stdio); /* the child's copies are all that must remain */
        ok = wait_ready(exe_name, ready, out) && check_ready_line(stdout_read, out->pid);
        if (!ok)
            rmt_kill(out);
    }
    close_stdio(&stdio);
    CloseHandle(stdout_read);
    CloseHandle(ready);
    return ok;
}

BOOL rmt_spawn(const wchar_t *exe_name, const wchar_t *args, rmt_process *out)
{
    return rmt_spawn_ex(exe_name, args, 0, out);
}

BOOL rmt_open_process(DWORD pid, rmt_process *out)
{
    memset(out, 0, sizeof(*out));
    out->process = OpenProcess(SYNCHRONIZE | PROCESS_TERMINATE | PROCESS_QUERY_INFORMATION |
                               PROCESS_VM_READ | PROCESS_SET_QUOTA, FALSE, pid);
    if (!out->process) {
        rmt_report("OpenProcess", NULL);
        return FALSE;
    }
    out->pid = pid;
    rmt_adopt(out->process);
    if (fill_times(out))
        return TRUE;
    rmt_close(out);
    return FALSE;
}

void rmt_close(rmt_process *p)
{
    if (p->process)
        CloseHandle(p->process);
    memset(p, 0, sizeof(*p));
}

BOOL rmt_kill(rmt_process *p)
{
    BOOL gone;
    if (!p->process)
        return TRUE;
    TerminateProcess(p->process, RMT_EXIT_KILLED); /* fails harmlessly if it has exited */
    gone = WaitForSingleObject(p->process, RMT_EXIT_TIMEOUT_MS) == WAIT_OBJECT_0;
    if (!gone)
        fprintf(stderr, "rm_test_support: pid %lu survived TerminateProcess\n",
                (unsigned long)p->pid);
    rmt_close(p);
    return gone;
}

BOOL rmt_wait_exit(const rmt_process *p, DWORD timeout_ms)
{
    return p->process && WaitForSingleObject(p->process, timeout_ms) == WAIT_OBJECT_0;
}

BOOL rmt_is_running(const rmt_process *p)
{
    return p->process && WaitForSingleObject(p->process, 0) == WAIT_TIMEOUT;
}

BOOL rmt_exit_code(const rmt_process *p, DWORD *exit_code)
{
    return rmt_wait_exit(p, 0) && GetExitCodeProcess(p->process, exit_code);
}

BOOL rmt_exe_dir(wchar_t *out, size_t cch)
{
    DWORD length = GetModuleFileNameW(NULL, out, (DWORD)cch);
    wchar_t *last_separator;
    if (length == 0 || length >= cch) {
        rmt_report("GetModuleFileName", NULL);
        return FALSE;
    }
    last_separator = wcsrchr(out, L'\\');
    if (!last_separator)
        return FALSE;
    *last_separator = L'\0';
    return TRUE;
}

static BOOL is_absolute(const wchar_t *path)
{
    return (path[0] && path[1] == L':') || (path[0] == L'\\' && path[1] == L'\\');
}

BOOL rmt_exe_path(const wchar_t *file_name, wchar_t *out, size_t cch)
{
    wchar_t dir[RMT_PATH_CCH];
    if (is_absolute(file_name)) {
        if (wcslen(file_name) >= cch)
            return FALSE;
        wcscpy(out, file_name);
        return TRUE;
    }
    return rmt_exe_dir(dir, RMT_PATH_CCH) && rmt_path_join(dir, file_name, out, cch);
}

BOOL rmt_spawn_as(HANDLE token, const wchar_t *exe_name, const wchar_t *args, rmt_process *out)
{
    spawn_token = token;
    BOOL ok = rmt_spawn(exe_name, args, out);
    spawn_token = NULL;
    return ok;
}

BOOL rmt_spawn_self(const wchar_t *args, rmt_process *out)
{
    wchar_t self[RMT_PATH_CCH];
    child_stdio stdio;
    BOOL ok;
    DWORD length = GetModuleFileNameW(NULL, self, RMT_PATH_CCH);

    memset(out, 0, sizeof(*out));
    if (length == 0 || length >= RMT_PATH_CCH) {
        rmt_report("GetModuleFileName", NULL);
        return FALSE;
    }
    /* The child's output joins the test's, where ctest shows it. */
    stdio.input = open_nul(GENERIC_READ);
    stdio.output = inheritable_std_handle(STD_OUTPUT_HANDLE);
    stdio.error = inheritable_std_handle(STD_ERROR_HANDLE);
    ok = start_child(self, args, NULL, 0, &stdio, out);
    close_stdio(&stdio);
    return ok;
}

BOOL rmt_run_self(const wchar_t *args, DWORD timeout_ms, DWORD *exit_code)
{
    rmt_process child;
    BOOL ok;
    if (!rmt_spawn_self(args, &child))
        return FALSE;
    ok = rmt_wait_exit(&child, timeout_ms) && GetExitCodeProcess(child.process, exit_code);
    if (!ok)
        fprintf(stderr, "rm_test_support: child '%ls' did not finish within %lu ms\n",
                args ? args : L"", (unsigned long)timeout_ms);
    rmt_kill(&child);
    return ok;
}
