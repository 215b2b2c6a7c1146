// SPDX-License-Identifier: LGPL-2.1-or-later
#include "getlist/service_lookup.h"

#include <stdlib.h>
#include <string.h>

#include "base/trace.h"

#define SERVICE_TABLE_LIMIT (64u << 20)

static int by_pid(const void *a, const void *b)
{
    const rm_service *left = a, *right = b;
    if (left->pid != right->pid)
        return left->pid < right->pid ? -1 : 1;
    /* qsort is not stable: keep the SCM's order within one host. */
    return left->order < right->order ? -1 : left->order > right->order;
}

/* The first question's buffer. The SCM's answer travels as the whole buffer the caller
 * offers, however little of it the services fill: under Wine 8 a 64 KiB buffer costs
 * ~3.2 ms, 4 KiB ~0.6 ms (measured: 5 services, 968 bytes). A larger table (Windows has
 * a hundred services or more) costs one more question, with room for all of it: a local
 * RPC round trip there. */
#define FIRST_BUFFER_BYTES (4u * 1024u)

static DWORD enumerate(SC_HANDLE manager, BYTE **raw, DWORD *returned)
{
    DWORD size = FIRST_BUFFER_BYTES;
    for (;;) {
        DWORD needed = 0, resume = 0;
        BYTE *buffer = realloc(*raw, size);
        if (!buffer)
            return ERROR_OUTOFMEMORY;
        *raw = buffer;
        if (EnumServicesStatusExW(manager, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_ACTIVE,
                                  buffer, size, &needed, returned, &resume, NULL))
            return ERROR_SUCCESS;
        DWORD error = GetLastError();
        if (error != ERROR_MORE_DATA || size >= SERVICE_TABLE_LIMIT)
            return error;
        /* Restart from the beginning with room for everything (+ growth). */
        size = needed + size;
    }
}

static DWORD load(rm_service_list *list);

/* The SCM takes milliseconds to answer under Wine: each load says how long. */
DWORD rm_service_list_load(rm_service_list *list)
{
    ULONGLONG started = rm_trace_clock();
    DWORD error = load(list);
    RM_TRACE_AS("describe", "services: %lu, %zu running, %lu us", error, list->count,
                rm_trace_elapsed_us(started));
    return error;
}

static DWORD load(rm_service_list *list)
{
    DWORD returned = 0;
    memset(list, 0, sizeof(*list));
    SC_HANDLE manager = OpenSCManagerW(NULL, NULL, SC_MANAGER_ENUMERATE_SERVICE);
    if (!manager)
        return ERROR_SUCCESS;
    DWORD error = enumerate(manager, &list->raw, &returned);
    CloseServiceHandle(manager);
    if (error == ERROR_OUTOFMEMORY) {
        rm_service_list_free(list);
        return error;
    }
    if (error != ERROR_SUCCESS || returned == 0)
        return ERROR_SUCCESS;
    list->by_pid = calloc(returned, sizeof(*list->by_pid));
    if (!list->by_pid) {
        rm_service_list_free(list);
        return ERROR_OUTOFMEMORY;
    }
    const ENUM_SERVICE_STATUS_PROCESSW *services = (const ENUM_SERVICE_STATUS_PROCESSW *)list->raw;
    for (DWORD i = 0; i < returned; i++) {
        const SERVICE_STATUS_PROCESS *status = &services[i].ServiceStatusProcess;
        if (status->dwProcessId == 0 || status->dwCurrentState == SERVICE_STOPPED)
            continue;
        rm_service *service = &list->by_pid[list->count++];
        service->name = services[i].lpServiceName;
        service->display_name = services[i].lpDisplayName ? services[i].lpDisplayName : L"";
        service->pid = status->dwProcessId;
        service->state = status->dwCurrentState;
        service->controls_accepted = status->dwControlsAccepted;
        service->flags = status->dwServiceFlags;
        service->order = i;
    }
    qsort(list->by_pid, list->count, sizeof(*list->by_pid), by_pid);
    return ERROR_SUCCESS;
}

void rm_service_list_free(rm_service_list *list)
{
    free(list->by_pid);
    free(list->raw);
    memset(list, 0, sizeof(*list));
}

const rm_service *rm_service_list_for_pid(const rm_service_list *list, DWORD pid, size_t *count)
{
    size_t low = 0, high = list->count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (list->by_pid[middle].pid < pid)
            low = middle + 1;
        else
            high = middle;
    }
    size_t end = low;
    while (end < list->count && list->by_pid[end].pid == pid)
        end++;
    *count = end - low;
    return *count ? &list->by_pid[low] : NULL;
}
