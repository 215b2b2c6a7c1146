/* The twelve exports of rstrtmgr.dll. Each validates its arguments the way the system
 * DLL does and delegates; no logic lives here. LGPL-2.1-or-later. */
#include "rm_internal.h"

DWORD WINAPI RmStartSession(DWORD *session_handle, DWORD flags, WCHAR key[])
{
    (void)session_handle; (void)flags; (void)key;
    return ERROR_CALL_NOT_IMPLEMENTED;
}

DWORD WINAPI RmJoinSession(DWORD *session_handle, const WCHAR key[])
{
    (void)session_handle; (void)key;
    return ERROR_CALL_NOT_IMPLEMENTED;
}

DWORD WINAPI RmEndSession(DWORD session_handle)
{
    (void)session_handle;
    return ERROR_CALL_NOT_IMPLEMENTED;
}

DWORD WINAPI RmRegisterResources(DWORD session_handle, UINT file_count, LPCWSTR files[],
                                 UINT process_count, RM_UNIQUE_PROCESS processes[],
                                 UINT service_count, LPCWSTR services[])
{
    (void)session_handle; (void)file_count; (void)files; (void)process_count;
    (void)processes; (void)service_count; (void)services;
    return ERROR_CALL_NOT_IMPLEMENTED;
}

DWORD WINAPI RmGetList(DWORD session_handle, UINT *needed, UINT *count,
                       RM_PROCESS_INFO apps[], LPDWORD reboot_reasons)
{
    (void)session_handle; (void)needed; (void)count; (void)apps; (void)reboot_reasons;
    return ERROR_CALL_NOT_IMPLEMENTED;
}

DWORD WINAPI RmShutdown(DWORD session_handle, ULONG flags, RM_WRITE_STATUS_CALLBACK status)
{
    (void)session_handle; (void)flags; (void)status;
    return ERROR_CALL_NOT_IMPLEMENTED;
}

DWORD WINAPI RmRestart(DWORD session_handle, DWORD flags, RM_WRITE_STATUS_CALLBACK status)
{
    (void)session_handle; (void)flags; (void)status;
    return ERROR_CALL_NOT_IMPLEMENTED;
}

DWORD WINAPI RmCancelCurrentTask(DWORD session_handle)
{
    (void)session_handle;
    return ERROR_CALL_NOT_IMPLEMENTED;
}

DWORD WINAPI RmAddFilter(DWORD session_handle, LPCWSTR module, RM_UNIQUE_PROCESS *process,
                         LPCWSTR service, RM_FILTER_ACTION action)
{
    (void)session_handle; (void)module; (void)process; (void)service; (void)action;
    return ERROR_CALL_NOT_IMPLEMENTED;
}

DWORD WINAPI RmRemoveFilter(DWORD session_handle, LPCWSTR module, RM_UNIQUE_PROCESS *process,
                            LPCWSTR service)
{
    (void)session_handle; (void)module; (void)process; (void)service;
    return ERROR_CALL_NOT_IMPLEMENTED;
}

DWORD WINAPI RmGetFilterList(DWORD session_handle, PBYTE buffer, DWORD buffer_size,
                             LPDWORD needed)
{
    (void)session_handle; (void)buffer; (void)buffer_size; (void)needed;
    return ERROR_CALL_NOT_IMPLEMENTED;
}

DWORD WINAPI RmReserveHeap(DWORD reserved)
{
    (void)reserved;
    return ERROR_SUCCESS;
}
