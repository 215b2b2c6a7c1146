// SPDX-License-Identifier: LGPL-2.1-or-later
#include "session/filters.h"

#include <stdlib.h>
#include <wchar.h>

#include "path_norm.h"
#include "base/filetime.h"
#include "session/registration.h"
#include "session/session.h"
#include "session/session_record.h"

/* A trigger built from the API's arguments; owns the canonical path it points to. */
typedef struct built_trigger {
    rm_filter_trigger trigger;
    WCHAR *canonical;
} built_trigger;

static DWORD build_trigger(LPCWSTR module, const RM_UNIQUE_PROCESS *process, LPCWSTR service,
                           built_trigger *out)
{
    memset(out, 0, sizeof(*out));
    if (process) {
        out->trigger.kind = RM_FILTER_PROCESS;
        out->trigger.pid = process->dwProcessId;
        out->trigger.start = rm_filetime_value(process->ProcessStartTime);
        return ERROR_SUCCESS;
    }
    if (service) {
        size_t length = wcsnlen(service, CCH_RM_MAX_SVC_NAME + 1);
        if (length == 0 || length > CCH_RM_MAX_SVC_NAME)
            return ERROR_BAD_ARGUMENTS;
        out->trigger.kind = RM_FILTER_SERVICE;
        out->trigger.text = (const rm_wchar *)service;
        out->trigger.length = length;
        return ERROR_SUCCESS;
    }
    /* Measured first, within bounds: nothing below may read an unterminated string. */
    size_t given = wcsnlen(module, RM_PATH_MAX_INPUT + 1);
    if (given == 0 || given > RM_PATH_MAX_INPUT)
        return ERROR_BAD_ARGUMENTS;
    out->canonical = malloc(RM_PATH_CANON_CAP * sizeof(WCHAR));
    if (!out->canonical)
        return ERROR_OUTOFMEMORY;
    BOOL no_memory;
    size_t length = rm_canonical_caller_path(module, out->canonical, RM_PATH_CANON_CAP, &no_memory);
    if (length == 0) {
        free(out->canonical);
        out->canonical = NULL;
        return no_memory ? ERROR_OUTOFMEMORY : ERROR_BAD_ARGUMENTS;
    }
    out->trigger.kind = RM_FILTER_FILE;
    out->trigger.text = (const rm_wchar *)out->canonical;
    out->trigger.length = length;
    return ERROR_SUCCESS;
}

DWORD rm_filters_add(struct rm_session *session, LPCWSTR module, const RM_UNIQUE_PROCESS *process,
                     LPCWSTR service, RM_FILTER_ACTION action)
{
    struct rm_session_record *session_record = rm_session_record(session);
    built_trigger built;
    if (!session_record)
        return ERROR_OUTOFMEMORY;
    DWORD error = build_trigger(module, process, service, &built);
    if (error != ERROR_SUCCESS)
        return error;
    /* Files are listed as the caller spelled them, services likewise. */
    const WCHAR *display = module ? module : service;
    size_t display_length = display ? wcsnlen(display, RM_FILTER_MAX_TEXT + 1) : 0;
    int result = rm_filter_list_set(session_record->filters, &built.trigger, (const rm_wchar *)display,
                                    display_length, (int)action);
    free(built.canonical);
    if (result == RM_FILTER_NO_MEMORY)
        return ERROR_OUTOFMEMORY;
    return result == RM_FILTER_INVALID ? ERROR_BAD_ARGUMENTS : ERROR_SUCCESS;
}

DWORD rm_filters_remove(struct rm_session *session, LPCWSTR module,
                        const RM_UNIQUE_PROCESS *process, LPCWSTR service)
{
    built_trigger built;
    DWORD error = build_trigger(module, process, service, &built);
    if (error == ERROR_BAD_ARGUMENTS)
        return ERROR_FILE_NOT_FOUND; /* no filter can have that trigger (B-FILTER-5) */
    if (error != ERROR_SUCCESS)
        return error;
    struct rm_session_record *session_record = rm_session_record_if_any(session);
    BOOL removed = session_record && rm_filter_list_remove(session_record->filters, &built.trigger);
    free(built.canonical);
    return removed ? ERROR_SUCCESS : ERROR_FILE_NOT_FOUND;
}

DWORD rm_filters_get(struct rm_session *session, BYTE *buffer, DWORD size, DWORD *needed)
{
    const struct rm_session_record *session_record = rm_session_record_if_any(session);
    const rm_filter_list *list = session_record ? session_record->filters : NULL;
    size_t bytes = rm_filter_list_serialized_size(list, sizeof(void *));
    if (bytes > MAXDWORD)
        return ERROR_OUTOFMEMORY;
    /* No place to say the size: the page's ERROR_MORE_DATA (B-FILTER-7). */
    if (!needed)
        return ERROR_MORE_DATA;
    *needed = (DWORD)bytes;
    if (bytes == 0)
        return ERROR_SUCCESS;
    if (!buffer || size < bytes)
        return ERROR_MORE_DATA;
    rm_filter_list_serialize(list, sizeof(void *), (uint64_t)(ULONG_PTR)buffer, buffer, size);
    return ERROR_SUCCESS;
}

static int stronger(int a, int b)
{
    return a == RM_FILTER_NO_SHUTDOWN || b == RM_FILTER_NO_SHUTDOWN ? RM_FILTER_NO_SHUTDOWN
                                                                   : (a ? a : b);
}

static int action_for_image(const rm_filter_list *filters, const WCHAR *image_path)
{
    if (!image_path || !image_path[0])
        return 0;
    WCHAR *canonical = malloc(RM_PATH_CANON_CAP * sizeof(WCHAR));
    if (!canonical)
        return RM_FILTER_UNKNOWN;
    BOOL no_memory;
    size_t length = rm_canonical_real_path(image_path, canonical, RM_PATH_CANON_CAP, &no_memory);
    if (no_memory) {
        free(canonical);
        return RM_FILTER_UNKNOWN;
    }
    rm_filter_trigger file = { RM_FILTER_FILE, (const rm_wchar *)canonical, length, 0, 0 };
    int action = length ? rm_filter_list_action(filters, &file) : 0;
    free(canonical);
    return action;
}

int rm_filters_action_for(const struct rm_session_record *session_record, DWORD pid, ULONGLONG start,
                          const WCHAR *image_path, const WCHAR *service)
{
    if (!session_record || rm_filter_list_count(session_record->filters) == 0)
        return 0;
    const rm_filter_list *filters = session_record->filters;
    rm_filter_trigger process = { RM_FILTER_PROCESS, NULL, 0, pid, start };
    int action = rm_filter_list_action(filters, &process);
    int by_image = action_for_image(filters, image_path);
    if (by_image == RM_FILTER_UNKNOWN)
        return RM_FILTER_UNKNOWN;
    action = stronger(action, by_image);
    if (service && service[0]) {
        rm_filter_trigger by_name = { RM_FILTER_SERVICE, (const rm_wchar *)service,
                                      wcsnlen(service, CCH_RM_MAX_SVC_NAME + 1), 0, 0 };
        action = stronger(action, rm_filter_list_action(filters, &by_name));
    }
    return action;
}
