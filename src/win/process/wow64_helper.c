/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "process/wow64_helper.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base/tunables.h"

#define HELPER_FILE_NAME L"rstrtmgr_wow64.exe"
/* Queries per helper run: "PID TIME " takes at most 32 units of the 32767 a command line
 * may have. */
#define QUERIES_PER_RUN 900u
#define COMMAND_LINE_CCH 32767u
#define PATH_CCH (MAX_PATH * 2)

static BOOL exists(const WCHAR *path)
{
    DWORD attributes = GetFileAttributesW(path);
    return attributes != INVALID_FILE_ATTRIBUTES && !(attributes & FILE_ATTRIBUTE_DIRECTORY);
}

/* Beside this DLL (a private copy, the build tree), else in the native system directory,
 * where tools/install-into-prefix.sh and an installation put it. */
static BOOL find_helper(WCHAR *path)
{
    HMODULE self = NULL;
    DWORD length = 0;
    if (GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                               GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                           (LPCWSTR)(void *)find_helper, &self))
        length = GetModuleFileNameW(self, path, PATH_CCH);
    if (length && length < PATH_CCH) {
        WCHAR *slash = wcsrchr(path, L'\\');
        if (slash && (size_t)(slash + 1 - path) + wcslen(HELPER_FILE_NAME) < PATH_CCH) {
            wcscpy(slash + 1, HELPER_FILE_NAME);
            if (exists(path))
                return TRUE;
        }
    }
    length = GetSystemWindowsDirectoryW(path, MAX_PATH);
    if (!length || length >= MAX_PATH)
        return FALSE;
    wcscat(path, L"\\Sysnative\\" HELPER_FILE_NAME);
    return exists(path);
}

typedef struct helper_run {
    HANDLE pipe;            /* our end, overlapped */
    HANDLE client;          /* the helper's standard output */
    HANDLE job;
    HANDLE process;
    HANDLE event;
} helper_run;

static void end_run(helper_run *run)
{
    if (run->process) {
        /* A helper that has not exited by now is not waited for. */
        if (WaitForSingleObject(run->process, 0) != WAIT_OBJECT_0)
            TerminateProcess(run->process, 1);
        WaitForSingleObject(run->process, 1000);
        CloseHandle(run->process);
    }
    if (run->job)
        CloseHandle(run->job); /* kills whatever is left in it */
    if (run->client)
        CloseHandle(run->client);
    if (run->pipe && run->pipe != INVALID_HANDLE_VALUE)
        CloseHandle(run->pipe);
    if (run->event)
        CloseHandle(run->event);
    memset(run, 0, sizeof(*run));
}

static BOOL open_pipe(helper_run *run)
{
    WCHAR name[96];
    LARGE_INTEGER now;
    QueryPerformanceCounter(&now);
    swprintf(name, 96, L"\\\\.\\pipe\\rstrtmgr.wow64.%lu.%lu.%llx",
             (unsigned long)GetCurrentProcessId(), (unsigned long)GetCurrentThreadId(),
             (unsigned long long)now.QuadPart);
    run->pipe = CreateNamedPipeW(name, PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED |
                                           FILE_FLAG_FIRST_PIPE_INSTANCE,
                                 PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT |
                                     PIPE_REJECT_REMOTE_CLIENTS,
                                 1, 0, 65536, 0, NULL);
    if (run->pipe == INVALID_HANDLE_VALUE) {
        run->pipe = NULL;
        return FALSE;
    }
    SECURITY_ATTRIBUTES inherit = { sizeof(inherit), NULL, TRUE };
    run->client = CreateFileW(name, GENERIC_WRITE, 0, &inherit, OPEN_EXISTING, 0, NULL);
    if (run->client == INVALID_HANDLE_VALUE) {
        run->client = NULL;
        return FALSE;
    }
    run->event = CreateEventW(NULL, TRUE, FALSE, NULL);
    return run->event != NULL;
}

/* A job that ends the helper when its last handle (ours) closes. */
static HANDLE kill_on_close_job(void)
{
    HANDLE job = CreateJobObjectW(NULL, NULL);
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
    memset(&limits, 0, sizeof(limits));
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    if (job && !SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits,
                                        sizeof(limits))) {
        CloseHandle(job);
        job = NULL;
    }
    return job;
}

/* Starts the helper with only its output pipe inherited, suspended until it is in the
 * job. */
static BOOL start_helper(helper_run *run, const WCHAR *path, WCHAR *command_line)
{
    STARTUPINFOEXW startup;
    PROCESS_INFORMATION process;
    SIZE_T list_bytes = 0;
    memset(&startup, 0, sizeof(startup));
    startup.StartupInfo.cb = sizeof(startup);
    startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    startup.StartupInfo.hStdOutput = run->client;
    DWORD flags = CREATE_SUSPENDED | CREATE_NO_WINDOW | CREATE_UNICODE_ENVIRONMENT;
    InitializeProcThreadAttributeList(NULL, 1, 0, &list_bytes);
    LPPROC_THREAD_ATTRIBUTE_LIST attributes = list_bytes ? malloc(list_bytes) : NULL;
    if (attributes && InitializeProcThreadAttributeList(attributes, 1, 0, &list_bytes)) {
        if (UpdateProcThreadAttribute(attributes, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
                                      &run->client, sizeof(run->client), NULL, NULL)) {
            startup.lpAttributeList = attributes;
            startup.StartupInfo.cb = sizeof(startup);
            flags |= EXTENDED_STARTUPINFO_PRESENT;
        }
    }
    BOOL started = CreateProcessW(path, command_line, NULL, NULL, TRUE, flags, NULL, NULL,
                                  &startup.StartupInfo, &process);
    if (!started && (flags & EXTENDED_STARTUPINFO_PRESENT)) {
        /* A system without inheritance lists: plain inheritance then. */
        startup.StartupInfo.cb = sizeof(startup.StartupInfo);
        started = CreateProcessW(path, command_line, NULL, NULL, TRUE,
                                 flags & ~EXTENDED_STARTUPINFO_PRESENT, NULL, NULL,
                                 &startup.StartupInfo, &process);
    }
    if (startup.lpAttributeList)
        DeleteProcThreadAttributeList(attributes);
    free(attributes);
    if (!started)
        return FALSE;
    run->process = process.hProcess;
    run->job = kill_on_close_job();
    if (run->job && !AssignProcessToJobObject(run->job, process.hProcess)) {
        CloseHandle(run->job); /* e.g. a caller in a job that forbids nesting */
        run->job = NULL;
    }
    ResumeThread(process.hThread);
    CloseHandle(process.hThread);
    CloseHandle(run->client); /* the helper's copy is the only writer now */
    run->client = NULL;
    return TRUE;
}

/* Reads the helper's output until it closes it, at most capacity bytes (one more than a
 * valid answer can have), until deadline. */
static DWORD read_answer(helper_run *run, BYTE *buffer, size_t capacity, size_t *size,
                         ULONGLONG deadline, HANDLE cancel)
{
    *size = 0;
    while (*size < capacity) {
        OVERLAPPED overlapped;
        memset(&overlapped, 0, sizeof(overlapped));
        overlapped.hEvent = run->event;
        ResetEvent(run->event);
        DWORD done = 0;
        DWORD want = (DWORD)(capacity - *size > 65536 ? 65536 : capacity - *size);
        BOOL ok = ReadFile(run->pipe, buffer + *size, want, &done, &overlapped);
        if (!ok && GetLastError() == ERROR_IO_PENDING) {
            ULONGLONG now = GetTickCount64();
            DWORD left = now >= deadline ? 0 : (DWORD)(deadline - now);
            HANDLE waits[2] = { run->event, cancel };
            DWORD woke = WaitForMultipleObjects(cancel ? 2 : 1, waits, FALSE, left);
            if (woke != WAIT_OBJECT_0) {
                CancelIo(run->pipe);
                GetOverlappedResult(run->pipe, &overlapped, &done, TRUE);
                return woke == WAIT_OBJECT_0 + 1 ? ERROR_CANCELLED : ERROR_TIMEOUT;
            }
            ok = GetOverlappedResult(run->pipe, &overlapped, &done, FALSE);
        }
        if (!ok)
            return GetLastError() == ERROR_BROKEN_PIPE ? ERROR_SUCCESS : GetLastError();
        *size += done;
    }
    return ERROR_SUCCESS;
}

/* One helper run for queries[0..count). */
static DWORD ask(const WCHAR *path, rm_wow64_query *queries, size_t count, ULONGLONG deadline,
                 HANDLE cancel)
{
    WCHAR *command_line = malloc(COMMAND_LINE_CCH * sizeof(WCHAR));
    size_t capacity = rm_wow64_answer_max_bytes(count) + 1;
    BYTE *answer = malloc(capacity);
    helper_run run;
    memset(&run, 0, sizeof(run));
    DWORD error = command_line && answer ? ERROR_SUCCESS : ERROR_OUTOFMEMORY;
    if (error == ERROR_SUCCESS) {
        int used = swprintf(command_line, COMMAND_LINE_CCH, L"\"%ls\" peb64", path);
        for (size_t i = 0; i < count && used > 0; i++)
            used += swprintf(command_line + used, COMMAND_LINE_CCH - (size_t)used, L" %lu %llu",
                             (unsigned long)queries[i].pid,
                             (unsigned long long)queries[i].create_time);
        if (used <= 0)
            error = ERROR_INSUFFICIENT_BUFFER;
    }
    if (error == ERROR_SUCCESS && !(open_pipe(&run) && start_helper(&run, path, command_line)))
        error = ERROR_NOT_SUPPORTED;
    size_t size = 0;
    if (error == ERROR_SUCCESS)
        error = read_answer(&run, answer, capacity, &size, deadline, cancel);
    end_run(&run);
    /* A late, broken or lying helper teaches nothing; the call goes on without it. */
    if (error == ERROR_SUCCESS)
        rm_wow64_answer_apply(answer, size, queries, count);
    free(answer);
    free(command_line);
    return error == ERROR_CANCELLED ? ERROR_CANCELLED : ERROR_SUCCESS;
}

DWORD rm_wow64_helper_query(rm_wow64_query *queries, size_t count, HANDLE cancel)
{
    WCHAR path[PATH_CCH];
    for (size_t i = 0; i < count; i++)
        queries[i].peb = 0;
    if (count == 0)
        return ERROR_SUCCESS;
    if (rm_tunable_wow64_helper_off() || !find_helper(path))
        return ERROR_NOT_SUPPORTED;
    /* One deadline for the whole question, however many runs it takes. */
    const ULONGLONG deadline = GetTickCount64() + rm_tunable_ms(RM_TUNABLE_WOW64_HELPER_TIMEOUT);
    for (size_t at = 0; at < count; at += QUERIES_PER_RUN) {
        size_t run_count = count - at < QUERIES_PER_RUN ? count - at : QUERIES_PER_RUN;
        if (ask(path, queries + at, run_count, deadline, cancel) == ERROR_CANCELLED)
            return ERROR_CANCELLED;
        if (GetTickCount64() >= deadline)
            break;
    }
    return ERROR_SUCCESS;
}
