// SPDX-License-Identifier: LGPL-2.1-or-later
#include "shutdown/service_control.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "service_order.h"
#include "base/cancel.h"
#include "base/trace.h"

_Static_assert(RM_SERVICE_STEP_NAME_MAX == CCH_RM_MAX_SVC_NAME, "a step keeps a short name");
_Static_assert(RM_SERVICE_GROUP_MARK == SC_GROUP_IDENTIFIERW, "the SCM's group mark");

/* How often a state change is polled for (NotifyServiceStatusChange needs an alertable
 * wait per service; polling keeps every wait a plain, cancellable one). */
#define POLL_MS 50u
/* After terminating a service's process, the time the SCM gets to notice. */
#define TERMINATED_STOP_MS 5000u
/* wait_for_state: no state means failure. */
#define NO_FAILED_STATE 0xFFFFFFFFu

/* Every running Win32 service, as the planner (service_order.h) takes them: the names
 * are in the enumeration buffer, the dependencies (multi-sz: names, "+group"s) and load
 * order groups are the graph's own (NULL if none). */
typedef struct service_graph {
    rm_service_node *items;
    size_t count;
    BYTE *raw;
} service_graph;

/* Units of a multi-sz without its final NUL. */
static size_t multi_sz_units(const WCHAR *list)
{
    size_t units = 0;
    while (list[units])
        units += wcslen(list + units) + 1;
    return units;
}

/* One multi-sz of service names followed by "+group" entries; NULL if both are empty. */
static WCHAR *join_multi_sz(const WCHAR *names, const WCHAR *groups)
{
    size_t name_units = names ? multi_sz_units(names) : 0;
    size_t group_units = 0, group_count = 0;
    for (const WCHAR *g = groups; g && *g; g += wcslen(g) + 1, group_count++)
        group_units += wcslen(g) + 1;
    if (name_units + group_units == 0)
        return NULL;
    WCHAR *joined = malloc((name_units + group_units + group_count + 1) * sizeof(WCHAR));
    if (!joined)
        return NULL;
    WCHAR *out = joined;
    if (name_units) {
        memcpy(out, names, name_units * sizeof(WCHAR));
        out += name_units;
    }
    for (const WCHAR *g = groups; g && *g; g += wcslen(g) + 1) {
        *out++ = SC_GROUP_IDENTIFIERW;
        size_t length = wcslen(g) + 1;
        memcpy(out, g, length * sizeof(WCHAR));
        out += length;
    }
    *out = 0;
    return joined;
}

/* A REG_MULTI_SZ value, NUL-terminated twice; NULL if absent. */
static WCHAR *registry_multi_sz(HKEY key, const WCHAR *value)
{
    DWORD type = 0, bytes = 0;
    if (RegQueryValueExW(key, value, NULL, &type, NULL, &bytes) != ERROR_SUCCESS ||
        type != REG_MULTI_SZ || bytes == 0)
        return NULL;
    WCHAR *text = calloc(bytes / sizeof(WCHAR) + 2, sizeof(WCHAR));
    if (text && RegQueryValueExW(key, value, NULL, &type, (BYTE *)text, &bytes) != ERROR_SUCCESS) {
        free(text);
        return NULL;
    }
    return text;
}

/* Wine's QueryServiceConfig leaves lpDependencies empty: the registry has them. */
static WCHAR *registry_dependencies(const WCHAR *name)
{
    WCHAR path[128 + CCH_RM_MAX_SVC_NAME];
    HKEY key;
    _snwprintf(path, ARRAYSIZE(path), L"SYSTEM\\CurrentControlSet\\Services\\%ls", name);
    path[ARRAYSIZE(path) - 1] = 0;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_QUERY_VALUE, &key) != ERROR_SUCCESS)
        return NULL;
    WCHAR *names = registry_multi_sz(key, L"DependOnService");
    WCHAR *groups = registry_multi_sz(key, L"DependOnGroup");
    RegCloseKey(key);
    WCHAR *joined = join_multi_sz(names, groups);
    free(names);
    free(groups);
    return joined;
}

static void load_config(SC_HANDLE scm, const WCHAR *name, rm_service_node *service)
{
    SC_HANDLE handle = OpenServiceW(scm, name, SERVICE_QUERY_CONFIG);
    DWORD bytes = 0;
    WCHAR *dependencies = NULL, *group = NULL;
    if (handle && !QueryServiceConfigW(handle, NULL, 0, &bytes) &&
        GetLastError() == ERROR_INSUFFICIENT_BUFFER) {
        QUERY_SERVICE_CONFIGW *config = malloc(bytes);
        if (config && QueryServiceConfigW(handle, config, bytes, &bytes)) {
            if (config->lpDependencies && config->lpDependencies[0])
                dependencies = join_multi_sz(config->lpDependencies, NULL);
            const WCHAR *own = config->lpLoadOrderGroup;
            group = own && own[0] ? _wcsdup(own) : NULL; /* "" is no group */
        }
        free(config);
    }
    if (handle)
        CloseServiceHandle(handle);
    if (!dependencies)
        dependencies = registry_dependencies(name);
    service->name = (const rm_wchar *)name;
    service->dependencies = (const rm_wchar *)dependencies;
    service->group = (const rm_wchar *)group;
}

static void graph_free(service_graph *graph)
{
    for (size_t i = 0; i < graph->count; i++) { /* the graph's own strings */
        free((WCHAR *)graph->items[i].dependencies);
        free((WCHAR *)graph->items[i].group);
    }
    free(graph->items);
    free(graph->raw);
    memset(graph, 0, sizeof(*graph));
}

/* Every running Win32 service with what it depends on. */
static DWORD graph_load(SC_HANDLE scm, service_graph *graph)
{
    DWORD needed = 0, returned = 0, bytes = 0;
    memset(graph, 0, sizeof(*graph));
    for (int attempt = 0; attempt < 4; attempt++) {
        DWORD resume = 0;
        if (EnumServicesStatusExW(scm, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_ACTIVE,
                                  graph->raw, bytes, &needed, &returned, &resume, NULL))
            break;
        if (GetLastError() != ERROR_MORE_DATA)
            return GetLastError();
        free(graph->raw);
        bytes = needed + 4096; /* services may start meanwhile */
        graph->raw = malloc(bytes);
        returned = 0;
        if (!graph->raw)
            return ERROR_OUTOFMEMORY;
    }
    const ENUM_SERVICE_STATUS_PROCESSW *entries = (const ENUM_SERVICE_STATUS_PROCESSW *)graph->raw;
    graph->items = calloc(returned ? returned : 1, sizeof(*graph->items));
    if (!graph->items)
        return ERROR_OUTOFMEMORY;
    for (DWORD i = 0; i < returned; i++)
        load_config(scm, entries[i].lpServiceName, &graph->items[graph->count++]);
    return ERROR_SUCCESS;
}

DWORD rm_service_plan_stop(const WCHAR *const *names, size_t count, rm_service_plan *plan)
{
    service_graph graph;
    rm_service_order order = { NULL, 0 };
    memset(plan, 0, sizeof(*plan));
    if (count == 0)
        return ERROR_SUCCESS;
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT | SC_MANAGER_ENUMERATE_SERVICE);
    if (!scm)
        return GetLastError();
    DWORD error = graph_load(scm, &graph);
    CloseServiceHandle(scm);
    if (error == ERROR_SUCCESS &&
        rm_service_order_plan(graph.items, graph.count, (const rm_wchar *const *)names, count,
                              &order) != 0)
        error = ERROR_OUTOFMEMORY;
    if (error == ERROR_SUCCESS) {
        plan->steps = calloc(order.count ? order.count : 1, sizeof(*plan->steps));
        error = plan->steps ? ERROR_SUCCESS : ERROR_OUTOFMEMORY;
    }
    for (size_t i = 0; error == ERROR_SUCCESS && i < order.count; i++) {
        rm_service_step *step = &plan->steps[plan->count++];
        wcsncpy(step->name, (const WCHAR *)order.steps[i].name, CCH_RM_MAX_SVC_NAME);
        step->requested = order.steps[i].requested ? TRUE : FALSE;
    }
    rm_service_order_free(&order);
    graph_free(&graph);
    if (error != ERROR_SUCCESS)
        rm_service_plan_free(plan);
    return error;
}

void rm_service_plan_free(rm_service_plan *plan)
{
    free(plan->steps);
    memset(plan, 0, sizeof(*plan));
}

static BOOL query(SC_HANDLE service, SERVICE_STATUS_PROCESS *status)
{
    DWORD bytes;
    return QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, (BYTE *)status, sizeof(*status),
                                &bytes);
}

/* Polls until the service reaches `wanted`, leaves for `failed_state`, the deadline
 * passes or cancel is set. */
static rm_service_outcome wait_for_state(SC_HANDLE service, DWORD wanted, DWORD failed_state,
                                         ULONGLONG deadline, HANDLE cancel)
{
    SERVICE_STATUS_PROCESS status;
    for (;;) {
        if (!query(service, &status))
            return RM_SERVICE_FAILED;
        if (status.dwCurrentState == wanted)
            return RM_SERVICE_DONE;
        if (status.dwCurrentState == failed_state)
            return RM_SERVICE_FAILED;
        ULONGLONG now = GetTickCount64();
        if (now >= deadline)
            return RM_SERVICE_FAILED;
        DWORD pause = deadline - now < POLL_MS ? (DWORD)(deadline - now) : POLL_MS;
        if (cancel && WaitForSingleObject(cancel, pause) == WAIT_OBJECT_0)
            return RM_SERVICE_CANCELLED;
        if (!cancel)
            Sleep(pause);
    }
}

/* RmForceShutdown: the service's own process is ended (never a shared host). */
static BOOL terminate_host(const SERVICE_STATUS_PROCESS *status)
{
    if (status->dwProcessId == 0 || (status->dwServiceFlags & SERVICE_RUNS_IN_SYSTEM_PROCESS) ||
        !(status->dwServiceType & SERVICE_WIN32_OWN_PROCESS))
        return FALSE;
    HANDLE process = OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE, FALSE, status->dwProcessId);
    if (!process)
        return FALSE;
    BOOL ended = TerminateProcess(process, ERROR_SERVICE_REQUEST_TIMEOUT);
    WaitForSingleObject(process, TERMINATED_STOP_MS);
    CloseHandle(process);
    return ended;
}

static rm_service_outcome stop_one(SC_HANDLE scm, const WCHAR *name, BOOL force, DWORD timeout_ms,
                                   HANDLE cancel)
{
    SERVICE_STATUS_PROCESS status;
    SERVICE_STATUS ignored;
    ULONGLONG deadline = GetTickCount64() + timeout_ms;
    SC_HANDLE service = OpenServiceW(scm, name, SERVICE_STOP | SERVICE_QUERY_STATUS);
    if (!service)
        return GetLastError() == ERROR_SERVICE_DOES_NOT_EXIST ? RM_SERVICE_ALREADY
                                                              : RM_SERVICE_FAILED;
    rm_service_outcome outcome = RM_SERVICE_FAILED;
    if (!query(service, &status)) {
        CloseServiceHandle(service);
        return RM_SERVICE_FAILED;
    }
    if (status.dwCurrentState == SERVICE_STOPPED) {
        outcome = RM_SERVICE_ALREADY;
    } else {
        BOOL asked = status.dwCurrentState == SERVICE_STOP_PENDING ||
                     ControlService(service, SERVICE_CONTROL_STOP, &ignored);
        DWORD error = asked ? ERROR_SUCCESS : GetLastError();
        RM_TRACE("service %s: SERVICE_CONTROL_STOP -> %lu", rm_trace_wstr(name, 257), error);
        if (error == ERROR_SERVICE_NOT_ACTIVE)
            outcome = RM_SERVICE_ALREADY;
        else if (asked || error == ERROR_SERVICE_CANNOT_ACCEPT_CTRL) /* busy: it may yet stop */
            outcome = wait_for_state(service, SERVICE_STOPPED, NO_FAILED_STATE, deadline, cancel);
        /* Refused, or not stopped in time: only force can help. */
        if (outcome == RM_SERVICE_FAILED && force && query(service, &status) &&
            terminate_host(&status))
            outcome = wait_for_state(service, SERVICE_STOPPED, NO_FAILED_STATE,
                                     GetTickCount64() + TERMINATED_STOP_MS, cancel);
    }
    CloseServiceHandle(service);
    return outcome;
}

void rm_service_plan_run(rm_service_plan *plan, BOOL force, DWORD timeout_ms, HANDLE cancel)
{
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    BOOL cancelled = FALSE;
    for (size_t i = 0; i < plan->count; i++) {
        rm_service_step *step = &plan->steps[i];
        cancelled |= rm_cancel_requested(cancel);
        if (cancelled)
            step->outcome = RM_SERVICE_CANCELLED;
        else if (!scm)
            step->outcome = RM_SERVICE_FAILED;
        else
            step->outcome = stop_one(scm, step->name, force, timeout_ms, cancel);
        cancelled |= step->outcome == RM_SERVICE_CANCELLED;
    }
    if (scm)
        CloseServiceHandle(scm);
}

rm_service_outcome rm_service_start(const WCHAR *name, DWORD timeout_ms, HANDLE cancel)
{
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    if (!scm)
        return RM_SERVICE_FAILED;
    rm_service_outcome outcome = RM_SERVICE_FAILED;
    SC_HANDLE service = OpenServiceW(scm, name, SERVICE_START | SERVICE_QUERY_STATUS);
    if (service) {
        BOOL started = StartServiceW(service, 0, NULL);
        DWORD error = started ? ERROR_SUCCESS : GetLastError();
        RM_TRACE("service %s: StartService -> %lu", rm_trace_wstr(name, 257), error);
        if (started)
            outcome = wait_for_state(service, SERVICE_RUNNING, SERVICE_STOPPED,
                                     GetTickCount64() + timeout_ms, cancel);
        else if (error == ERROR_SERVICE_ALREADY_RUNNING)
            outcome = RM_SERVICE_ALREADY;
        CloseServiceHandle(service);
    }
    CloseServiceHandle(scm);
    return outcome;
}
