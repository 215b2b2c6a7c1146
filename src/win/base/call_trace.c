/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See call_trace.h. */
#include "base/call_trace.h"

#include "base/filetime.h"
#include "base/trace.h"

/* The longest path the DLL accepts (with its NUL): the bound of every string read. */
#define STRING_UNITS_MAX 32768


static void trace_strings(const char *function, const char *what, UINT count, LPCWSTR strings[])
{
    UINT shown = count < RM_TRACE_ITEMS_SHOWN ? count : RM_TRACE_ITEMS_SHOWN;
    for (UINT i = 0; i < shown; i++)
        RM_TRACE_AS(function, "%s[%u] %s", what, i, rm_trace_wstr(strings[i], STRING_UNITS_MAX));
    if (count > shown)
        RM_TRACE_AS(function, "%s: %u more not shown", what, count - shown);
}

void rm_trace_registration(const char *function, UINT file_count, LPCWSTR files[],
                           UINT process_count, const RM_UNIQUE_PROCESS processes[],
                           UINT service_count, LPCWSTR services[])
{
    UINT shown = process_count < RM_TRACE_ITEMS_SHOWN ? process_count : RM_TRACE_ITEMS_SHOWN;
    trace_strings(function, "file", file_count, files);
    for (UINT i = 0; i < shown; i++)
        RM_TRACE_AS(function, "process[%u] pid %lu start %llu", i, processes[i].dwProcessId,
                 rm_filetime_value(processes[i].ProcessStartTime));
    if (process_count > shown)
        RM_TRACE_AS(function, "process: %u more not shown", process_count - shown);
    trace_strings(function, "service", service_count, services);
}

void rm_trace_affected(const char *function, const RM_PROCESS_INFO apps[], UINT count)
{
    UINT shown = count < RM_TRACE_ITEMS_SHOWN ? count : RM_TRACE_ITEMS_SHOWN;
    for (UINT i = 0; i < shown; i++)
        RM_TRACE_AS(function, "app[%u] pid %lu start %llu type %d status %#lx restartable %d name %s "
                 "service %s",
                 i, apps[i].Process.dwProcessId, rm_filetime_value(apps[i].Process.ProcessStartTime),
                 (int)apps[i].ApplicationType, apps[i].AppStatus, (int)apps[i].bRestartable,
                 rm_trace_wstr(apps[i].strAppName, ARRAYSIZE(apps[i].strAppName)),
                 rm_trace_wstr(apps[i].strServiceShortName,
                               ARRAYSIZE(apps[i].strServiceShortName)));
    if (count > shown)
        RM_TRACE_AS(function, "app: %u more not shown", count - shown);
}

void rm_trace_filter_target(const char *function, LPCWSTR module,
                            const RM_UNIQUE_PROCESS *process, LPCWSTR service)
{
    if (module)
        RM_TRACE_AS(function, "module %s", rm_trace_wstr(module, STRING_UNITS_MAX));
    if (process)
        RM_TRACE_AS(function, "process pid %lu start %llu", process->dwProcessId,
                 rm_filetime_value(process->ProcessStartTime));
    if (service)
        RM_TRACE_AS(function, "service %s", rm_trace_wstr(service, STRING_UNITS_MAX));
}
