/* Resolution: which processes and services use a session's registered resources, filled
 * as RM_PROCESS_INFO entries the way RmGetList reports them. */
#ifndef RM_WIN_RESOLVER_H
#define RM_WIN_RESOLVER_H

#include <windows.h>
#include <restartmanager.h>
#include "resource_index.h"

typedef struct rm_affected_list {
    RM_PROCESS_INFO *apps;   /* one entry per process, HeapAlloc'd */
    size_t count;
    DWORD reboot_reasons;    /* RM_REBOOT_REASON bits */
} rm_affected_list;

/* Resolves every resource of index. cancel (may be NULL) is an event that, once set,
 * makes the call stop early with ERROR_CANCELLED. */
DWORD rm_resolve_affected(const rm_resource_index *index, HANDLE cancel, rm_affected_list *out);
void rm_affected_list_free(rm_affected_list *list);

#endif
