// SPDX-License-Identifier: LGPL-2.1-or-later
/* The running Win32 services, read once per call with EnumServicesStatusEx: which
 * process hosts which service, with names, display names and whether each can be
 * stopped. Registered service names resolve to their host processes through it, and a
 * process that hosts a service is reported as a service. */
#ifndef RM_WIN_SERVICE_LOOKUP_H
#define RM_WIN_SERVICE_LOOKUP_H

#include <stddef.h>
#include <windows.h>

typedef struct rm_service {
    const WCHAR *name;
    const WCHAR *display_name;
    DWORD pid;
    DWORD state;              /* SERVICE_RUNNING, ..._PENDING */
    DWORD controls_accepted;  /* SERVICE_ACCEPT_* */
    DWORD flags;              /* SERVICE_RUNS_IN_SYSTEM_PROCESS */
    size_t order;             /* position in the SCM's answer */
} rm_service;

typedef struct rm_service_list {
    rm_service *by_pid;       /* sorted by pid, then in the SCM's order */
    size_t count;
    BYTE *raw;
} rm_service_list;

/* An empty list (not an error) when the SCM cannot be asked. */
DWORD rm_service_list_load(rm_service_list *list);
void rm_service_list_free(rm_service_list *list);

/* The first service hosted by pid (the range of them: *count), or NULL. */
const rm_service *rm_service_list_for_pid(const rm_service_list *list, DWORD pid, size_t *count);

#endif
