// SPDX-License-Identifier: LGPL-2.1-or-later
#include "shutdown/console_close.h"

#include <tlhelp32.h>
#include <wchar.h>

#include "base/trace.h"

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

/* Whether the target maps the module that holds routine at the address it has here: a
 * thread may then start at the same address in it. */
static BOOL target_maps_alike(DWORD pid, const void *routine)
{
    HMODULE owner;
    WCHAR path[MAX_PATH];
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                                GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)routine, &owner) ||
        !GetModuleFileNameW(owner, path, MAX_PATH))
        return FALSE;
    const WCHAR *slash = wcsrchr(path, L'\\');
    const WCHAR *name = slash ? slash + 1 : path;
    HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPMODULE, pid);
    if (snapshot == INVALID_HANDLE_VALUE)
        return FALSE;
    MODULEENTRY32W entry = { .dwSize = sizeof(entry) };
    BOOL alike = FALSE;
    for (BOOL more = Module32FirstW(snapshot, &entry); more && !alike;
         more = Module32NextW(snapshot, &entry))
        alike = _wcsicmp(entry.szModule, name) == 0 && entry.hModule == owner;
    CloseHandle(snapshot);
    return alike;
}

/* A caller with a console of its own cannot attach to the target's: the target then
 * gets what its console would deliver, kernel32's CtrlRoutine(CTRL_C_EVENT) on a new
 * thread of its own (its handlers run, or its default handler ends it). Only where the
 * system exports the routine and the target, of our bitness, maps it at the same
 * address. */
static BOOL ctrl_c_by_thread(DWORD pid)
{
    void *routine = (void *)GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "CtrlRoutine");
    if (!routine || !target_maps_alike(pid, routine))
        return FALSE;
    HANDLE process = OpenProcess(PROCESS_CREATE_THREAD | PROCESS_QUERY_INFORMATION |
                                     PROCESS_VM_OPERATION | PROCESS_VM_WRITE | PROCESS_VM_READ,
                                 FALSE, pid);
    if (!process)
        return FALSE;
    BOOL ours_wow = FALSE, theirs_wow = FALSE;
    HANDLE thread = NULL;
    if (IsWow64Process(GetCurrentProcess(), &ours_wow) && IsWow64Process(process, &theirs_wow) &&
        ours_wow == theirs_wow)
        thread = CreateRemoteThread(process, NULL, 0, (LPTHREAD_START_ROUTINE)routine,
                                    (void *)(ULONG_PTR)CTRL_C_EVENT, 0, NULL);
    if (thread)
        CloseHandle(thread);
    CloseHandle(process);
    return thread != NULL;
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
    BOOL attached = AttachConsole(pid);
    if (!attached && GetLastError() == ERROR_ACCESS_DENIED)
        sent = ctrl_c_by_thread(pid);
    if (attached) {
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
    BOOL sent = send_ctrl_c(request->pid);
    RM_TRACE("pid %lu: CTRL_C_EVENT %s", (unsigned long)request->pid,
             sent ? "sent" : "could not be sent");
    rm_wait_result waited = sent
                                ? rm_close_wait_exit(process, deadline, request->cancel)
                                : RM_WAIT_TIMEOUT; /* it could not be asked */
    rm_close_outcome outcome = rm_close_after_wait(waited, process, request->force);
    CloseHandle(process);
    return outcome;
}
