#include "console_close.h"

/* How long the caller waits for its own copy of the Ctrl+C before detaching. */
#define OWN_COPY_WAIT_MS 1000u
#define OWN_COPY_POLL_MS 5u

/* Process-wide on purpose: a process has one console and one list of control handlers,
 * and a handler routine receives no context. The lock serialises attaching; the count
 * tells the sender that its own copy of the event has been swallowed. */
static SRWLOCK console_lock = SRWLOCK_INIT;
static volatile LONG own_ctrl_c_seen;

static BOOL WINAPI swallow_own_ctrl_c(DWORD type)
{
    if (type != CTRL_C_EVENT)
        return FALSE;
    InterlockedIncrement(&own_ctrl_c_seen);
    return TRUE;
}

static BOOL own_copy_arrived(LONG before)
{
    for (DWORD waited = 0; waited < OWN_COPY_WAIT_MS; waited += OWN_COPY_POLL_MS) {
        if (InterlockedCompareExchange(&own_ctrl_c_seen, 0, 0) != before)
            return TRUE;
        Sleep(OWN_COPY_POLL_MS);
    }
    return FALSE;
}

/* Ctrl+C to everyone on pid's console; TRUE if it was generated. */
static BOOL send_ctrl_c(DWORD pid)
{
    static const DWORD std_ids[3] = { STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE };
    HANDLE std_handles[3];
    BOOL sent = FALSE;

    AcquireSRWLockExclusive(&console_lock);
    for (int i = 0; i < 3; i++)
        std_handles[i] = GetStdHandle(std_ids[i]);
    /* Fails with ERROR_ACCESS_DENIED when we have a console: we do not leave it. */
    if (AttachConsole(pid)) {
        if (SetConsoleCtrlHandler(swallow_own_ctrl_c, TRUE)) {
            LONG before = InterlockedCompareExchange(&own_ctrl_c_seen, 0, 0);
            sent = GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0);
            /* Until our copy has been handled, removing the handler could let it reach the
             * default one, which ends the process: then the handler stays. */
            if (!sent || own_copy_arrived(before))
                SetConsoleCtrlHandler(swallow_own_ctrl_c, FALSE);
        }
        FreeConsole();
        for (int i = 0; i < 3; i++)
            SetStdHandle(std_ids[i], std_handles[i]);
    }
    ReleaseSRWLockExclusive(&console_lock);
    return sent;
}

rm_close_outcome rm_console_close(const rm_close_request *request)
{
    BOOL gone;
    HANDLE process = rm_close_open(request, &gone);
    if (!process)
        return gone ? RM_CLOSE_ALREADY_GONE : RM_CLOSE_REFUSED;
    ULONGLONG deadline = GetTickCount64() + request->app_timeout_ms;
    rm_wait_result waited = send_ctrl_c(request->pid)
                                ? rm_close_wait_exit(process, deadline, request->cancel)
                                : RM_WAIT_TIMEOUT; /* it could not be asked */
    rm_close_outcome outcome = rm_close_after_wait(waited, process, request->force);
    CloseHandle(process);
    return outcome;
}
