// SPDX-License-Identifier: LGPL-2.1-or-later
/* What a test's own body uses: a clock, and cancelling a Restart Manager call from
 * another thread (its fixture: rmt_fixture.c). */
#include "rmt_internal.h"

#include <stdlib.h>

double rmt_now_ms(void)
{
    LARGE_INTEGER frequency, counter;
    QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&counter);
    return (double)counter.QuadPart * 1000.0 / (double)frequency.QuadPart;
}

/* Owned by the cancelling thread, so a caller that gives up waiting leaves it nothing
 * dangling to write to. */
typedef struct cancel_order {
    DWORD session;
    DWORD delay_ms;
} cancel_order;

DWORD (WINAPI *rmt_cancel_function)(DWORD);

/* The DLL under test's RmCancelCurrentTask: the one rmt_target loaded, else the
 * rstrtmgr.dll the program imports. */
static DWORD cancel_current_task(DWORD session)
{
    if (!rmt_cancel_function)
        rmt_cancel_function = (DWORD (WINAPI *)(DWORD))(void (*)(void))GetProcAddress(
            GetModuleHandleW(L"rstrtmgr.dll"), "RmCancelCurrentTask");
    return rmt_cancel_function ? rmt_cancel_function(session) : ERROR_PROC_NOT_FOUND;
}

/* The thread's exit code is RmCancelCurrentTask's result. */
static DWORD WINAPI cancel_after_delay(void *parameter)
{
    cancel_order order = *(cancel_order *)parameter;
    free(parameter);
    Sleep(order.delay_ms);
    return cancel_current_task(order.session);
}

HANDLE rmt_cancel_later(DWORD session, DWORD delay_ms)
{
    cancel_order *order = malloc(sizeof(*order));
    HANDLE thread;
    if (!order) {
        SetLastError(ERROR_OUTOFMEMORY);
        rmt_report("malloc", NULL);
        return NULL;
    }
    order->session = session;
    order->delay_ms = delay_ms;
    thread = CreateThread(NULL, 0, cancel_after_delay, order, 0, NULL);
    if (!thread) {
        rmt_report("CreateThread", NULL);
        free(order);
    }
    return thread;
}

BOOL rmt_cancel_result(HANDLE thread, DWORD timeout_ms, DWORD *result)
{
    BOOL ended = WaitForSingleObject(thread, timeout_ms) == WAIT_OBJECT_0 &&
                 GetExitCodeThread(thread, result);
    CloseHandle(thread);
    return ended;
}
