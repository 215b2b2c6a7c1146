// SPDX-License-Identifier: LGPL-2.1-or-later
#include "shutdown/app_close.h"

#include "rstrtmgr/rstrtmgr_ext.h"
#include "base/filetime.h"
#include "base/trace.h"
#include "session/session_record.h"

/* After TerminateProcess, the time we allow the system to tear the process down. */
#define TERMINATE_WAIT_MS 5000u

/* Exit code of processes RmForceShutdown terminates. */
#define FORCED_EXIT_CODE ERROR_FAIL_SHUTDOWN

HANDLE rm_close_open(const rm_close_request *request, BOOL *gone)
{
    uint64_t created;
    DWORD exit_code = 0;
    *gone = FALSE;
    HANDLE process = OpenProcess(SYNCHRONIZE | PROCESS_TERMINATE | PROCESS_QUERY_LIMITED_INFORMATION,
                                 FALSE, request->pid);
    if (!process && GetLastError() == ERROR_ACCESS_DENIED)
        /* It may still be asked to close; only terminating it is out of reach. */
        process = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, request->pid);
    if (!process) {
        *gone = GetLastError() == ERROR_INVALID_PARAMETER; /* no such pid any more */
        return NULL;
    }
    if (!rm_process_created(process, &created) || created != request->start ||
        (GetExitCodeProcess(process, &exit_code) && exit_code != STILL_ACTIVE)) {
        CloseHandle(process);
        *gone = TRUE;
        return NULL;
    }
    return process;
}

DWORD rm_close_remaining(ULONGLONG deadline, DWORD cap)
{
    ULONGLONG now = GetTickCount64();
    if (now >= deadline)
        return 0;
    ULONGLONG left = deadline - now;
    return left < cap ? (DWORD)left : cap;
}

rm_wait_result rm_close_wait_exit(HANDLE process, ULONGLONG deadline, HANDLE cancel)
{
    HANDLE handles[2] = { process, cancel };
    DWORD result = WaitForMultipleObjects(cancel ? 2 : 1, handles, FALSE,
                                          rm_close_remaining(deadline, INFINITE - 1));
    if (result == WAIT_OBJECT_0)
        return RM_WAIT_EXITED;
    return result == WAIT_OBJECT_0 + 1 ? RM_WAIT_CANCELLED : RM_WAIT_TIMEOUT;
}

rm_close_outcome rm_close_terminate(HANDLE process)
{
    RM_TRACE("pid %lu: terminated (RmForceShutdown)", (unsigned long)GetProcessId(process));
    if (!TerminateProcess(process, FORCED_EXIT_CODE) &&
        WaitForSingleObject(process, 0) != WAIT_OBJECT_0)
        return RM_CLOSE_REFUSED;
    return WaitForSingleObject(process, TERMINATE_WAIT_MS) == WAIT_OBJECT_0 ? RM_CLOSE_STOPPED
                                                                            : RM_CLOSE_REFUSED;
}

rm_close_outcome rm_close_after_wait(rm_wait_result waited, HANDLE process, BOOL force)
{
    if (waited == RM_WAIT_CANCELLED)
        return RM_CLOSE_CANCELLED;
    if (waited == RM_WAIT_EXITED)
        return RM_CLOSE_STOPPED;
    return force ? rm_close_terminate(process) : RM_CLOSE_REFUSED;
}
