/* The twelve exports of rstrtmgr.dll. Each checks its arguments the way the system DLL
 * does, resolves the handle, and delegates to the adapters in win/. LGPL-2.1-or-later. */
#include "rm_internal.h"

#include "win/actions.h"
#include "win/filters.h"
#include "win/handle_table.h"
#include "win/resolver.h"
#include "win/restart.h"
#include "win/session.h"
#include "win/shutdown.h"

/* Resolves a handle for a call, holding the session's call lock until leave_session. */
static struct rm_session *enter_session(DWORD handle)
{
    struct rm_session *session = rm_handles_acquire(handle);
    if (session)
        AcquireSRWLockExclusive(&session->call_lock);
    return session;
}

static void leave_session(struct rm_session *session)
{
    ReleaseSRWLockExclusive(&session->call_lock);
    rm_session_release(session);
}

/* Calls only the primary may make; a joined process gets 1219 as on Windows. */
static DWORD enter_primary(DWORD handle, struct rm_session **session)
{
    *session = enter_session(handle);
    if (!*session)
        return ERROR_INVALID_HANDLE;
    DWORD error = rm_session_check_alive(*session);
    if (error == ERROR_SUCCESS && !(*session)->is_primary)
        error = ERROR_SESSION_CREDENTIAL_CONFLICT;
    if (error != ERROR_SUCCESS) {
        leave_session(*session);
        *session = NULL;
    }
    return error;
}

static DWORD add_handle(struct rm_session *session, DWORD *session_handle)
{
    DWORD handle;
    if (!rm_handles_insert(session, &handle)) {
        rm_session_end(session);
        rm_session_release(session);
        return ERROR_OUTOFMEMORY;
    }
    *session_handle = handle;
    return ERROR_SUCCESS;
}

DWORD WINAPI RmStartSession(DWORD *session_handle, DWORD flags, WCHAR key[])
{
    struct rm_session *session;
    rm_key new_key;
    DWORD error;

    if (!session_handle || !key || flags != 0)
        return ERROR_BAD_ARGUMENTS;
    error = rm_session_start(&session, &new_key);
    if (error == ERROR_SUCCESS)
        error = add_handle(session, session_handle);
    if (error == ERROR_SUCCESS)
        rm_key_to_wide(&new_key, (rm_wchar *)key);
    return error;
}

DWORD WINAPI RmJoinSession(DWORD *session_handle, const WCHAR key[])
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
        error = add_handle(session, session_handle);
    return error;
}

DWORD WINAPI RmEndSession(DWORD session_handle)
{
    struct rm_session *session = rm_handles_remove(session_handle);
    DWORD error;

    if (!session)
        return ERROR_INVALID_HANDLE;
    /* Waits for a call in progress on this handle (other than a cancellable one). */
    AcquireSRWLockExclusive(&session->call_lock);
    error = rm_session_end(session);
    ReleaseSRWLockExclusive(&session->call_lock);
    rm_session_release(session);
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

DWORD WINAPI RmRegisterResources(DWORD session_handle, UINT file_count, LPCWSTR files[],
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
    session = enter_session(session_handle);
    if (!session)
        return ERROR_INVALID_HANDLE;
    error = rm_session_register(session, &registration);
    leave_session(session);
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

DWORD WINAPI RmGetList(DWORD session_handle, UINT *needed, UINT *count,
                       RM_PROCESS_INFO apps[], LPDWORD reboot_reasons)
{
    struct rm_session *session;
    rm_affected_list list = { 0 };
    DWORD error;

    if (!needed || !count || !reboot_reasons || (*count && !apps))
        return ERROR_BAD_ARGUMENTS;
    *reboot_reasons = RmRebootReasonNone; /* some callers read it whatever the result */
    error = enter_primary(session_handle, &session);
    if (error != ERROR_SUCCESS)
        return error;
    ResetEvent(session->cancel_event);
    error = rm_session_refresh_index(session);
    if (error == ERROR_SUCCESS && rm_index_directory_count(session->index))
        error = ERROR_ACCESS_DENIED; /* a directory was registered: files only */
    if (error == ERROR_SUCCESS)
        error = rm_resolve_affected(session->index, session->cancel_event, &list);
    if (error == ERROR_SUCCESS) {
        *reboot_reasons = list.reboot_reasons;
        error = rm_actions_report(session->actions, &list);
    }
    if (error == ERROR_SUCCESS) {
        error = report_affected(&list, needed, count, apps);
    }
    rm_affected_list_free(&list);
    leave_session(session);
    return error;
}

DWORD WINAPI RmShutdown(DWORD session_handle, ULONG flags, RM_WRITE_STATUS_CALLBACK status)
{
    struct rm_session *session;
    DWORD error;

    if (flags & ~(ULONG)(RmForceShutdown | RmShutdownOnlyRegistered))
        return ERROR_BAD_ARGUMENTS;
    error = enter_primary(session_handle, &session);
    if (error != ERROR_SUCCESS)
        return error;
    error = rm_shutdown_run(session, flags, status);
    leave_session(session);
    return error;
}

DWORD WINAPI RmRestart(DWORD session_handle, DWORD flags, RM_WRITE_STATUS_CALLBACK status)
{
    struct rm_session *session;
    DWORD error;

    if (flags != 0)
        return ERROR_BAD_ARGUMENTS;
    error = enter_primary(session_handle, &session);
    if (error != ERROR_SUCCESS)
        return error;
    error = rm_restart_run(session, status);
    leave_session(session);
    return error;
}

DWORD WINAPI RmCancelCurrentTask(DWORD session_handle)
{
    /* No call lock: the task to cancel holds it. */
    struct rm_session *session = rm_handles_acquire(session_handle);
    if (!session)
        return ERROR_INVALID_HANDLE;
    DWORD error = rm_session_check_alive(session);
    if (error == ERROR_SUCCESS)
        SetEvent(session->cancel_event);
    rm_session_release(session);
    return error;
}

/* A filter names exactly one application, process or service. */
static BOOL one_trigger(LPCWSTR module, const RM_UNIQUE_PROCESS *process, LPCWSTR service)
{
    return (module != NULL) + (process != NULL) + (service != NULL) == 1;
}

DWORD WINAPI RmAddFilter(DWORD session_handle, LPCWSTR module, RM_UNIQUE_PROCESS *process,
                         LPCWSTR service, RM_FILTER_ACTION action)
{
    struct rm_session *session;
    DWORD error;

    if (!one_trigger(module, process, service) || (action != RmNoRestart && action != RmNoShutdown))
        return ERROR_BAD_ARGUMENTS;
    error = enter_primary(session_handle, &session);
    if (error != ERROR_SUCCESS)
        return error;
    error = rm_filters_add(session, module, process, service, action);
    leave_session(session);
    return error;
}

DWORD WINAPI RmRemoveFilter(DWORD session_handle, LPCWSTR module, RM_UNIQUE_PROCESS *process,
                            LPCWSTR service)
{
    struct rm_session *session;
    DWORD error;

    if (!one_trigger(module, process, service))
        return ERROR_BAD_ARGUMENTS;
    error = enter_primary(session_handle, &session);
    if (error != ERROR_SUCCESS)
        return error;
    error = rm_filters_remove(session, module, process, service);
    leave_session(session);
    return error;
}

DWORD WINAPI RmGetFilterList(DWORD session_handle, PBYTE buffer, DWORD buffer_size,
                             LPDWORD needed)
{
    struct rm_session *session;
    DWORD error;

    /* A NULL needed is the page's ERROR_MORE_DATA, once the handle is known (B-FILTER-7). */
    if (!buffer && buffer_size)
        return ERROR_BAD_ARGUMENTS;
    error = enter_primary(session_handle, &session);
    if (error != ERROR_SUCCESS)
        return error;
    error = rm_filters_get(session, buffer, buffer_size, needed);
    leave_session(session);
    return error;
}

DWORD WINAPI RmReserveHeap(DWORD reserved)
{
    /* Undocumented; this implementation has no fixed heap to reserve. */
    (void)reserved;
    return ERROR_SUCCESS;
}
