// SPDX-License-Identifier: LGPL-2.1-or-later
/* The twelve exports of rstrtmgr.dll. Each checks its arguments the way the system DLL
 * does, resolves the handle, and delegates to the adapters in win/. */
#include <windows.h>
#include <restartmanager.h>
#include "rstrtmgr/rstrtmgr_ext.h"

#include <stdlib.h>

#include "base/call_trace.h"
#include "base/trace.h"
#include "session/filters.h"
#include "session/session.h"
#include "shutdown/restart.h"
#include "shutdown/shutdown.h"

static DWORD start_session(DWORD *session_handle, DWORD flags, WCHAR key[])
{
    struct rm_session *session;
    rm_key new_key;
    DWORD error;

    if (!session_handle || !key || flags != 0)
        return ERROR_BAD_ARGUMENTS;
    error = rm_session_start(&session, &new_key);
    if (error == ERROR_SUCCESS)
        error = rm_session_add_handle(session, session_handle);
    if (error == ERROR_SUCCESS)
        rm_key_to_wide(&new_key, (rm_wchar *)key);
    return error;
}

static DWORD join_session(DWORD *session_handle, const WCHAR key[])
{
    struct rm_session *session;
    rm_key parsed;
    DWORD error;

    if (!session_handle || !key)
        return ERROR_BAD_ARGUMENTS;
    if (!rm_key_parse((const rm_wchar *)key, &parsed))
        return ERROR_SESSION_CREDENTIAL_CONFLICT;
    error = rm_session_join(&session, &parsed);
    if (error == ERROR_SUCCESS)
        error = rm_session_add_handle(session, session_handle);
    return error;
}

static BOOL strings_present(UINT count, LPCWSTR strings[])
{
    if (count == 0)
        return TRUE;
    if (!strings)
        return FALSE;
    for (UINT i = 0; i < count; i++)
        if (!strings[i])
            return FALSE;
    return TRUE;
}

static DWORD register_resources(DWORD session_handle, UINT file_count, LPCWSTR files[],
                                 UINT process_count, RM_UNIQUE_PROCESS processes[],
                                 UINT service_count, LPCWSTR services[])
{
    rm_registration registration = { file_count, files, process_count, processes,
                                      service_count, services };
    struct rm_session *session;
    DWORD error;

    if (!strings_present(file_count, files) || (process_count && !processes) ||
        !strings_present(service_count, services))
        return ERROR_BAD_ARGUMENTS;
    session = rm_session_enter(session_handle);
    if (!session)
        return ERROR_INVALID_HANDLE;
    error = rm_session_register(session, &registration);
    rm_session_leave(session);
    return error;
}

/* Copies a resolution out with the two-call protocol clients rely on: `needed` is the
 * true count, the buffer is filled only when it is large enough. */
static DWORD report_affected(const rm_affected_list *list, UINT *needed, UINT *count,
                             RM_PROCESS_INFO apps[])
{
    *needed = (UINT)list->count;
    if (*count < list->count)
        return ERROR_MORE_DATA;
    if (list->count)
        CopyMemory(apps, list->apps, list->count * sizeof(*apps));
    *count = (UINT)list->count;
    return ERROR_SUCCESS;
}

static DWORD get_list(DWORD session_handle, UINT *needed, UINT *count,
                       RM_PROCESS_INFO apps[], LPDWORD reboot_reasons)
{
    struct rm_session *session;
    rm_affected_list list = { 0 };
    DWORD error;

    if (!needed || !count || !reboot_reasons || (*count && !apps))
        return ERROR_BAD_ARGUMENTS;
    *reboot_reasons = RmRebootReasonNone; /* some callers read it whatever the result */
    error = rm_session_enter_primary(session_handle, &session);
    if (error != ERROR_SUCCESS)
        return error;
    error = rm_session_list_affected(session, &list);
    *reboot_reasons = list.reboot_reasons; /* none unless it was resolved */
    if (error == ERROR_SUCCESS)
        error = report_affected(&list, needed, count, apps);
    rm_affected_list_free(&list);
    rm_session_leave(session);
    return error;
}

static DWORD get_evidence(DWORD session_handle, UINT *needed, UINT *count, RMX_EVIDENCE out[])
{
    struct rm_session *session;
    if (!needed || !count || (*count && !out))
        return ERROR_BAD_ARGUMENTS;
    DWORD error = rm_session_enter_primary(session_handle, &session);
    if (error != ERROR_SUCCESS)
        return error;
    UINT kept;
    const RMX_EVIDENCE *evidence = rm_session_evidence(session, &kept);
    *needed = kept;
    if (*count < kept) {
        error = ERROR_MORE_DATA;
    } else {
        if (kept)
            CopyMemory(out, evidence, kept * sizeof(*out));
        *count = kept;
    }
    rm_session_leave(session);
    return error;
}

static DWORD shutdown_apps(DWORD session_handle, ULONG flags, RM_WRITE_STATUS_CALLBACK status)
{
    struct rm_session *session;
    DWORD error;

    if (flags & ~(ULONG)(RmForceShutdown | RmShutdownOnlyRegistered))
        return ERROR_BAD_ARGUMENTS;
    error = rm_session_enter_primary(session_handle, &session);
    if (error != ERROR_SUCCESS)
        return error;
    error = rm_shutdown_run(session, flags, status);
    rm_session_leave(session);
    return error;
}

static DWORD restart_apps(DWORD session_handle, DWORD flags, RM_WRITE_STATUS_CALLBACK status)
{
    struct rm_session *session;
    DWORD error;

    if (flags != 0)
        return ERROR_BAD_ARGUMENTS;
    error = rm_session_enter_primary(session_handle, &session);
    if (error != ERROR_SUCCESS)
        return error;
    error = rm_restart_run(session, status);
    rm_session_leave(session);
    return error;
}

/* A filter names exactly one application, process or service. */
static BOOL one_trigger(LPCWSTR module, const RM_UNIQUE_PROCESS *process, LPCWSTR service)
{
    return (module != NULL) + (process != NULL) + (service != NULL) == 1;
}

static DWORD add_filter(DWORD session_handle, LPCWSTR module, RM_UNIQUE_PROCESS *process,
                         LPCWSTR service, RM_FILTER_ACTION action)
{
    struct rm_session *session;
    DWORD error;

    if (!one_trigger(module, process, service) || (action != RmNoRestart && action != RmNoShutdown))
        return ERROR_BAD_ARGUMENTS;
    error = rm_session_enter_primary(session_handle, &session);
    if (error != ERROR_SUCCESS)
        return error;
    error = rm_filters_add(session, module, process, service, action);
    rm_session_leave(session);
    return error;
}

static DWORD remove_filter(DWORD session_handle, LPCWSTR module, RM_UNIQUE_PROCESS *process,
                            LPCWSTR service)
{
    struct rm_session *session;
    DWORD error;

    if (!one_trigger(module, process, service))
        return ERROR_BAD_ARGUMENTS;
    error = rm_session_enter_primary(session_handle, &session);
    if (error != ERROR_SUCCESS)
        return error;
    error = rm_filters_remove(session, module, process, service);
    rm_session_leave(session);
    return error;
}

static DWORD get_filter_list(DWORD session_handle, PBYTE buffer, DWORD buffer_size,
                             LPDWORD needed)
{
    struct rm_session *session;
    DWORD error;

    /* A NULL needed is the page's ERROR_MORE_DATA, once the handle is known (B-FILTER-7). */
    if (!buffer && buffer_size)
        return ERROR_BAD_ARGUMENTS;
    error = rm_session_enter_primary(session_handle, &session);
    if (error != ERROR_SUCCESS)
        return error;
    error = rm_filters_get(session, buffer, buffer_size, needed);
    rm_session_leave(session);
    return error;
}

static DWORD reserve_heap(DWORD reserved)
{
    /* Undocumented; this implementation has no fixed heap to reserve. */
    (void)reserved;
    return ERROR_SUCCESS;
}

/* B-CONV-3: the system's codes for a lack of memory or of kernel resources (an object,
 * a section, a thread that could not be created) reach the caller as ERROR_OUTOFMEMORY,
 * the code the pages document. */
static DWORD documented_error(DWORD error)
{
    switch (error) {
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_NO_SYSTEM_RESOURCES:
    case ERROR_NONPAGED_SYSTEM_RESOURCES:
    case ERROR_PAGED_SYSTEM_RESOURCES:
    case ERROR_WORKING_SET_QUOTA:
    case ERROR_PAGEFILE_QUOTA:
    case ERROR_COMMITMENT_LIMIT:
    case ERROR_NOT_ENOUGH_QUOTA:
        return ERROR_OUTOFMEMORY;
    default:
        return error;
    }
}

/* ---- the exports: each call traced on entry (its arguments) and exit (its result) --
 * Strings are shown only once the call has read them (the exit line of a success), so
 * a trace point never reads what the call itself would not. See win/base/trace.h. */

DWORD WINAPI RmStartSession(DWORD *session_handle, DWORD flags, WCHAR key[])
{
    RM_TRACE("(%p, %#lx, %p)", session_handle, flags, key);
    DWORD error = documented_error(start_session(session_handle, flags, key));
    RM_TRACE("-> %lu, handle %lu, key %s", error, error ? 0 : *session_handle,
             error ? "-" : rm_trace_wstr(key, CCH_RM_SESSION_KEY + 1));
    return error;
}

DWORD WINAPI RmJoinSession(DWORD *session_handle, const WCHAR key[])
{
    RM_TRACE("(%p, %p)", session_handle, key);
    DWORD error = documented_error(join_session(session_handle, key));
    RM_TRACE("-> %lu, handle %lu, key %s", error, error ? 0 : *session_handle,
             error ? "-" : rm_trace_wstr(key, CCH_RM_SESSION_KEY + 1));
    return error;
}

DWORD WINAPI RmEndSession(DWORD session_handle)
{
    RM_TRACE("(%lu)", session_handle);
    DWORD error = documented_error(rm_session_end_handle(session_handle));
    RM_TRACE("-> %lu", error);
    return error;
}

DWORD WINAPI RmRegisterResources(DWORD session_handle, UINT file_count, LPCWSTR files[],
                                 UINT process_count, RM_UNIQUE_PROCESS processes[],
                                 UINT service_count, LPCWSTR services[])
{
    RM_TRACE("(%lu, %u, %p, %u, %p, %u, %p)", session_handle, file_count, files,
             process_count, processes, service_count, services);
    DWORD error = documented_error(register_resources(session_handle, file_count, files,
                                                      process_count, processes, service_count,
                                                      services));
    RM_TRACE("-> %lu", error);
    if (error == ERROR_SUCCESS && rm_trace_on())
        rm_trace_registration(__func__, file_count, files, process_count, processes,
                              service_count, services);
    return error;
}

DWORD WINAPI RmGetList(DWORD session_handle, UINT *needed, UINT *count,
                       RM_PROCESS_INFO apps[], LPDWORD reboot_reasons)
{
    RM_TRACE("(%lu, %p, %p, %p, %p)", session_handle, needed, count, apps, reboot_reasons);
    ULONGLONG started = rm_trace_clock();
    DWORD error = documented_error(get_list(session_handle, needed, count, apps, reboot_reasons));
    /* The outputs only where the call wrote them. */
    RM_TRACE("-> %lu, needed %s, count %s, reboot reasons %#lx, %lu us", error,
             error == ERROR_SUCCESS || error == ERROR_MORE_DATA ? rm_trace_sprintf("%u", *needed) : "-",
             error == ERROR_SUCCESS ? rm_trace_sprintf("%u", *count) : "-",
             error == ERROR_SUCCESS ? *reboot_reasons : 0, rm_trace_elapsed_us(started));
    if (error == ERROR_SUCCESS && rm_trace_on())
        rm_trace_affected(__func__, apps, *count);
    return error;
}

DWORD WINAPI RmShutdown(DWORD session_handle, ULONG flags, RM_WRITE_STATUS_CALLBACK status)
{
    RM_TRACE("(%lu, %#lx, %p)", session_handle, flags, status);
    ULONGLONG started = rm_trace_clock();
    DWORD error = documented_error(shutdown_apps(session_handle, flags, status));
    RM_TRACE("-> %lu, %lu us", error, rm_trace_elapsed_us(started));
    return error;
}

DWORD WINAPI RmRestart(DWORD session_handle, DWORD flags, RM_WRITE_STATUS_CALLBACK status)
{
    RM_TRACE("(%lu, %#lx, %p)", session_handle, flags, status);
    ULONGLONG started = rm_trace_clock();
    DWORD error = documented_error(restart_apps(session_handle, flags, status));
    RM_TRACE("-> %lu, %lu us", error, rm_trace_elapsed_us(started));
    return error;
}

DWORD WINAPI RmCancelCurrentTask(DWORD session_handle)
{
    RM_TRACE("(%lu)", session_handle);
    DWORD error = documented_error(rm_session_cancel_task(session_handle));
    RM_TRACE("-> %lu", error);
    return error;
}

DWORD WINAPI RmAddFilter(DWORD session_handle, LPCWSTR module, RM_UNIQUE_PROCESS *process,
                         LPCWSTR service, RM_FILTER_ACTION action)
{
    RM_TRACE("(%lu, %p, %p, %p, %d)", session_handle, module, process, service, (int)action);
    DWORD error = documented_error(add_filter(session_handle, module, process, service, action));
    RM_TRACE("-> %lu", error);
    if (error == ERROR_SUCCESS && rm_trace_on())
        rm_trace_filter_target(__func__, module, process, service);
    return error;
}

DWORD WINAPI RmRemoveFilter(DWORD session_handle, LPCWSTR module, RM_UNIQUE_PROCESS *process,
                            LPCWSTR service)
{
    RM_TRACE("(%lu, %p, %p, %p)", session_handle, module, process, service);
    DWORD error = documented_error(remove_filter(session_handle, module, process, service));
    RM_TRACE("-> %lu", error);
    if (error == ERROR_SUCCESS && rm_trace_on())
        rm_trace_filter_target(__func__, module, process, service);
    return error;
}

DWORD WINAPI RmGetFilterList(DWORD session_handle, PBYTE buffer, DWORD buffer_size,
                             LPDWORD needed)
{
    RM_TRACE("(%lu, %p, %lu, %p)", session_handle, buffer, buffer_size, needed);
    DWORD error = documented_error(get_filter_list(session_handle, buffer, buffer_size, needed));
    RM_TRACE("-> %lu, needed %s", error,
             needed && (error == ERROR_SUCCESS || error == ERROR_MORE_DATA)
                 ? rm_trace_sprintf("%lu", *needed) : "-");
    return error;
}

DWORD WINAPI RmxGetEvidence(DWORD session_handle, UINT *needed, UINT *count,
                            RMX_EVIDENCE evidence[])
{
    RM_TRACE("(%lu, %p, %p, %p)", session_handle, needed, count, evidence);
    DWORD error = get_evidence(session_handle, needed, count, evidence);
    RM_TRACE("-> %lu, needed %s", error,
             needed && (error == ERROR_SUCCESS || error == ERROR_MORE_DATA)
                 ? rm_trace_sprintf("%u", *needed) : "-");
    return error;
}

DWORD WINAPI RmReserveHeap(DWORD reserved)
{
    RM_TRACE("(%lu)", reserved);
    DWORD error = reserve_heap(reserved);
    RM_TRACE("-> %lu", error);
    return error;
}
