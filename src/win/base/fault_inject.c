/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The fault points of the test build rstrtmgr_faults.dll (see fault_inject.h). Compiled
 * with RM_FAULT_INJECT_IMPLEMENTATION, so the names below are the real functions. */
#ifndef RSTRTMGR_FAULT_INJECTION
#error "fault_inject.c belongs to the test build (RSTRTMGR_FAULT_INJECTION) only"
#endif
#include "base/fault_inject.h"

/* The DLL's own worker threads pass points too, hence interlocked counters; a test arms,
 * makes one call and disarms, so the order of points is that call's. */
static volatile LONG armed;
static volatile LONG fail_at;
static volatile LONG passed;
static volatile LONG fired;
static volatile LONG live_blocks;
static void *volatile fired_site; /* the code that called the failed function */

DWORD WINAPI RmTestFaultArm(DWORD point)
{
    InterlockedExchange(&armed, 0);
    InterlockedExchange(&passed, 0);
    InterlockedExchange(&fired, 0);
    fired_site = NULL;
    InterlockedExchange(&fail_at, (LONG)point);
    InterlockedExchange(&armed, 1);
    return ERROR_SUCCESS;
}

DWORD WINAPI RmTestFaultDisarm(DWORD *was_fired)
{
    InterlockedExchange(&armed, 0);
    if (was_fired)
        *was_fired = (DWORD)fired;
    return (DWORD)passed;
}

LONG WINAPI RmTestFaultLiveBlocks(void)
{
    return live_blocks;
}

DWORD WINAPI RmTestFaultSite(void)
{
    HMODULE self = NULL;
    GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                       GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, (LPCWSTR)RmTestFaultSite, &self);
    return fired_site && self ? (DWORD)((BYTE *)fired_site - (BYTE *)self) : 0;
}

int rm_fault_point_at(void *site)
{
    if (!armed)
        return 0;
    LONG number = InterlockedIncrement(&passed);
    if (number != fail_at)
        return 0;
    fired_site = site;
    InterlockedExchange(&fired, 1);
    return 1;
}

/* ---- the C heap ---------------------------------------------------------------------- */

static void *counted(void *block)
{
    if (block)
        InterlockedIncrement(&live_blocks);
    return block;
}

void *rm_fault_malloc(size_t size)
{
    return rm_fault_point() ? NULL : counted(malloc(size));
}

void *rm_fault_calloc(size_t count, size_t size)
{
    return rm_fault_point() ? NULL : counted(calloc(count, size));
}

void *rm_fault_realloc(void *block, size_t size)
{
    if (rm_fault_point())
        return NULL; /* as a failed realloc: the block stays */
    if (!block)
        return counted(realloc(NULL, size));
    if (size == 0) { /* msvcrt's realloc(block, 0) frees it */
        InterlockedDecrement(&live_blocks);
        return realloc(block, 0);
    }
    return realloc(block, size);
}

void rm_fault_free(void *block)
{
    if (block)
        InterlockedDecrement(&live_blocks);
    free(block);
}

wchar_t *rm_fault_wcsdup(const wchar_t *text)
{
    if (rm_fault_point())
        return NULL;
    size_t bytes = (wcslen(text) + 1) * sizeof(wchar_t);
    wchar_t *copy = counted(malloc(bytes));
    if (copy)
        memcpy(copy, text, bytes);
    return copy;
}

/* ---- the Win32 heap and memory ----------------------------------------------------- */

/* What a failure for lack of memory or of kernel resources leaves as the last error. */
#define NO_MEMORY(result) (SetLastError(ERROR_NOT_ENOUGH_MEMORY), (result))
#define NO_RESOURCES(result) (SetLastError(ERROR_NO_SYSTEM_RESOURCES), (result))

LPVOID WINAPI rm_fault_HeapAlloc(HANDLE heap, DWORD flags, SIZE_T bytes)
{
    return rm_fault_point() ? NO_MEMORY(NULL) : counted(HeapAlloc(heap, flags, bytes));
}

LPVOID WINAPI rm_fault_HeapReAlloc(HANDLE heap, DWORD flags, LPVOID block, SIZE_T bytes)
{
    return rm_fault_point() ? NO_MEMORY(NULL) : HeapReAlloc(heap, flags, block, bytes);
}

BOOL WINAPI rm_fault_HeapFree(HANDLE heap, DWORD flags, LPVOID block)
{
    if (block)
        InterlockedDecrement(&live_blocks);
    return HeapFree(heap, flags, block);
}

LPVOID WINAPI rm_fault_VirtualAlloc(LPVOID address, SIZE_T bytes, DWORD type, DWORD protect)
{
    return rm_fault_point() ? NO_MEMORY(NULL) : VirtualAlloc(address, bytes, type, protect);
}

LPVOID WINAPI rm_fault_MapViewOfFile(HANDLE section, DWORD access, DWORD offset_high,
                                     DWORD offset_low, SIZE_T bytes)
{
    return rm_fault_point() ? NO_MEMORY(NULL)
                            : MapViewOfFile(section, access, offset_high, offset_low, bytes);
}

/* ---- kernel objects ------------------------------------------------------------------ */

HANDLE WINAPI rm_fault_CreateEventW(LPSECURITY_ATTRIBUTES security, BOOL manual_reset,
                                    BOOL initial_state, LPCWSTR name)
{
    return rm_fault_point() ? NO_RESOURCES(NULL)
                            : CreateEventW(security, manual_reset, initial_state, name);
}

HANDLE WINAPI rm_fault_CreateMutexW(LPSECURITY_ATTRIBUTES security, BOOL initial_owner,
                                    LPCWSTR name)
{
    return rm_fault_point() ? NO_RESOURCES(NULL) : CreateMutexW(security, initial_owner, name);
}

HANDLE WINAPI rm_fault_CreateFileMappingW(HANDLE file, LPSECURITY_ATTRIBUTES security,
                                          DWORD protect, DWORD size_high, DWORD size_low,
                                          LPCWSTR name)
{
    return rm_fault_point() ? NO_RESOURCES(NULL)
                            : CreateFileMappingW(file, security, protect, size_high, size_low,
                                                 name);
}

HANDLE WINAPI rm_fault_CreateThread(LPSECURITY_ATTRIBUTES security, SIZE_T stack_bytes,
                                    LPTHREAD_START_ROUTINE start, LPVOID parameter,
                                    DWORD flags, LPDWORD thread_id)
{
    return rm_fault_point() ? NO_MEMORY(NULL)
                            : CreateThread(security, stack_bytes, start, parameter, flags,
                                           thread_id);
}

HANDLE WINAPI rm_fault_CreateJobObjectW(LPSECURITY_ATTRIBUTES security, LPCWSTR name)
{
    return rm_fault_point() ? NO_RESOURCES(NULL) : CreateJobObjectW(security, name);
}

BOOL WINAPI rm_fault_CreateProcessW(LPCWSTR application, LPWSTR command_line,
                                    LPSECURITY_ATTRIBUTES process_security,
                                    LPSECURITY_ATTRIBUTES thread_security, BOOL inherit,
                                    DWORD flags, LPVOID environment, LPCWSTR directory,
                                    LPSTARTUPINFOW startup, LPPROCESS_INFORMATION info)
{
    return rm_fault_point() ? NO_RESOURCES(FALSE)
                            : CreateProcessW(application, command_line, process_security,
                                             thread_security, inherit, flags, environment,
                                             directory, startup, info);
}
