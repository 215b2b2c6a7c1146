// SPDX-License-Identifier: LGPL-2.1-or-later
/* The order in which RmShutdown acts on the affected applications and RmRestart brings
 * them back (docs/behaviour.md B-SHUT-4): GUI applications, then console applications,
 * then services, Explorer last; restart in the reverse order, Explorer first. Within a
 * phase everything runs at once. GUI applications and Explorer are all asked
 * (WM_QUERYENDSESSION) before anything is ended, so that one refusal leaves every
 * application running (B-SHUT-3). Plain C11, no Windows. */
#ifndef RM_CORE_SHUTDOWN_ORDER_H
#define RM_CORE_SHUTDOWN_ORDER_H

#include <stddef.h>

/* RM_APP_TYPE's values. */
enum {
    RM_TYPE_UNKNOWN = 0, RM_TYPE_MAIN_WINDOW = 1, RM_TYPE_OTHER_WINDOW = 2,
    RM_TYPE_SERVICE = 3, RM_TYPE_EXPLORER = 4, RM_TYPE_CONSOLE = 5, RM_TYPE_CRITICAL = 1000,
};

typedef enum rm_phase {
    RM_PHASE_GUI,       /* window applications, and those that can only be forced */
    RM_PHASE_CONSOLE,
    RM_PHASE_SERVICE,
    RM_PHASE_EXPLORER,
    RM_PHASE_COUNT
} rm_phase;

/* The shutdown phase of an application of this RM_APP_TYPE. */
rm_phase rm_shutdown_phase(int app_type);

/* The phase RmRestart handles step-th (0 first, up to RM_PHASE_COUNT - 1). */
rm_phase rm_restart_phase(int step);

/* Whether the phase's applications are asked in the first, common query round. */
int rm_phase_is_queried(rm_phase phase);

/* The phase of one entry of a session's record: a service's (is_service), else that of
 * its application type. */
rm_phase rm_entry_phase(int is_service, int app_type);

/* One entry of the session's record, as RmRestart orders it. The record lists the stopped
 * services in their stop order (service_order.h). */
typedef struct rm_restart_item {
    rm_phase phase;
    int awaiting_restart;   /* stopped by RmShutdown, RmRestart has yet to act */
} rm_restart_item;

/* RmRestart's order (B-RESTART-2): writes to order[] the indices of the items awaiting a
 * restart, phase by phase in rm_restart_phase() order (Explorer, services, console
 * applications, GUI applications); the services from the last item to the first (the
 * reverse of their stop order: what a service depends on starts before it), every other
 * phase from the first item to the last. Returns how many were written; order needs room
 * for count. */
size_t rm_restart_order(const rm_restart_item *items, size_t count, size_t *order);

#endif
