// SPDX-License-Identifier: LGPL-2.1-or-later
/* Resolution: which processes and services use a session's registered resources, filled
 * as RM_PROCESS_INFO entries the way RmGetList reports them. */
#ifndef RM_WIN_RESOLVER_H
#define RM_WIN_RESOLVER_H

#include <windows.h>
#include <restartmanager.h>

#include "rstrtmgr/rstrtmgr_ext.h"
#include "resource_index.h"

/* How an affected process was found: the evidence that settled it (the cheapest first:
 * a registered process or service, then a module or the program image, then an open
 * handle), with the registered resource it matched. */
typedef struct rm_evidence {
    DWORD kind;              /* RMX_EVIDENCE_KIND (rstrtmgr_ext.h) */
    ULONGLONG handle_value;  /* RmxEvidenceHandle: the handle in its owner; 0 if unknown */
    WCHAR resource[RMX_RESOURCE_CCH]; /* the registered file (canonical) or service */
    BOOL truncated;          /* resource was cut to fit */
} rm_evidence;

typedef struct rm_affected_list {
    RM_PROCESS_INFO *apps;   /* one entry per process, HeapAlloc'd */
    rm_evidence *evidence;   /* apps' evidence, same order, HeapAlloc'd */
    size_t count;
    DWORD reboot_reasons;    /* RM_REBOOT_REASON bits */
} rm_affected_list;

/* Resolves every resource of index. cancel (may be NULL) is an event that, once set,
 * makes the call stop early with ERROR_CANCELLED. */
DWORD rm_resolve_affected(const rm_resource_index *index, HANDLE cancel, rm_affected_list *out);
void rm_affected_list_free(rm_affected_list *list);

#endif
