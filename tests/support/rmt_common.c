// SPDX-License-Identifier: LGPL-2.1-or-later
/* Reporting, unique names and the kill-on-close job. */
#include "rmt_internal.h"

#include <stdio.h>
#include <wchar.h>

BOOL rmt_retry_create_hiccup(int attempt)
{
    if (GetLastError() != ERROR_INTERNAL_ERROR || attempt >= 4)
        return FALSE;
    Sleep(200);
    return TRUE;
}

void rmt_report(const char *what, const wchar_t *detail)
{
    DWORD error = GetLastError();
    fprintf(stderr, "rm_test_support: %s (%ls): error %lu\n", what, detail ? detail : L"",
            (unsigned long)error);
    fflush(stderr);
    SetLastError(error);
}

BOOL rmt_unique_name(const wchar_t *prefix, wchar_t *out, size_t cch)
{
    static LONG counter;
    int length = swprintf(out, cch, L"%ls_%lu_%ld_%lu", prefix,
                          (unsigned long)GetCurrentProcessId(), InterlockedIncrement(&counter),
                          (unsigned long)GetTickCount());
    return length > 0 && (size_t)length < cch;
}

/* Every process the tests start goes into one job that dies with the test process, so
 * a failed assertion (which skips the test's cleanup) leaves nothing running. */
static HANDLE kill_on_close_job(void)
{
    static HANDLE job;
    static BOOL tried;
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits = {0};
    if (tried)
        return job;
    tried = TRUE;
    job = CreateJobObjectW(NULL, NULL);
    if (!job) {
        rmt_report("CreateJobObject", NULL);
        return NULL;
    }
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits,
                                 sizeof(limits)))
        rmt_report("SetInformationJobObject(KILL_ON_JOB_CLOSE)", NULL);
    return job;
}

void rmt_adopt(HANDLE process)
{
    HANDLE job = kill_on_close_job();
    if (job && !AssignProcessToJobObject(job, process))
        rmt_report("AssignProcessToJobObject", NULL);
}

BOOL rmt_kill_all(void)
{
    HANDLE job = kill_on_close_job();
    JOBOBJECT_BASIC_ACCOUNTING_INFORMATION accounting;
    DWORD start = GetTickCount();
    if (!job)
        return FALSE;
    if (!TerminateJobObject(job, RMT_EXIT_KILLED)) {
        rmt_report("TerminateJobObject", NULL);
        return FALSE;
    }
    /* Termination is asynchronous; wait, so the caller can delete the files the
     * processes held. A job signals nothing when it empties: poll, bounded. */
    for (;;) {
        if (!QueryInformationJobObject(job, JobObjectBasicAccountingInformation, &accounting,
                                       sizeof(accounting), NULL)) {
            rmt_report("QueryInformationJobObject", NULL);
            return FALSE;
        }
        if (accounting.ActiveProcesses == 0)
            return TRUE;
        if (GetTickCount() - start >= RMT_EXIT_TIMEOUT_MS) {
            fprintf(stderr, "rm_test_support: %lu processes survived TerminateJobObject\n",
                    (unsigned long)accounting.ActiveProcesses);
            return FALSE;
        }
        Sleep(10);
    }
}

HANDLE rmt_event_create(wchar_t *name_out, size_t cch)
{
    for (int attempt = 0; attempt < 100; attempt++) {
        HANDLE event;
        if (!rmt_unique_name(L"rmt_event", name_out, cch))
            return NULL;
        event = CreateEventW(NULL, TRUE, FALSE, name_out);
        if (!event) {
            rmt_report("CreateEvent", name_out);
            return NULL;
        }
        if (GetLastError() != ERROR_ALREADY_EXISTS)
            return event;
        CloseHandle(event); /* someone else's: try the next name */
    }
    return NULL;
}

const RM_PROCESS_INFO *rmt_find_app(const RM_PROCESS_INFO *apps, UINT count, DWORD pid)
{
    for (UINT i = 0; i < count; i++)
        if (apps[i].Process.dwProcessId == pid)
            return &apps[i];
    return NULL;
}
