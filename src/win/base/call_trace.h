/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Trace lines that show what an export received or answered, one line per item, for
 * the exit of a successful call (its strings have then been read and checked). Call
 * them only under rm_trace_on(); each shows at most RM_TRACE_ITEMS_SHOWN items and
 * then how many more there were; function is the caller's name, shown on each line. */
#ifndef RM_WIN_CALL_TRACE_H
#define RM_WIN_CALL_TRACE_H

#include <windows.h>
#include <restartmanager.h>

#define RM_TRACE_ITEMS_SHOWN 32

/* The resources of one RmRegisterResources call. */
void rm_trace_registration(const char *function, UINT file_count, LPCWSTR files[],
                           UINT process_count, const RM_UNIQUE_PROCESS processes[],
                           UINT service_count, LPCWSTR services[]);

/* RmGetList's answer: pid, start time, type, status, restartable, name, service. */
void rm_trace_affected(const char *function, const RM_PROCESS_INFO apps[], UINT count);

/* The one application, process or service a filter names. */
void rm_trace_filter_target(const char *function, LPCWSTR module,
                            const RM_UNIQUE_PROCESS *process, LPCWSTR service);

#endif
