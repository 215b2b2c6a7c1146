// SPDX-License-Identifier: LGPL-2.1-or-later
/* The order in which RmShutdown stops services (docs/behaviour.md B-SHUT-8: through the
 * SCM, dependent services first) and, reversed, RmRestart starts them again (B-RESTART-2:
 * services in the reverse of their stop order), from the facts the SCM adapter reads
 * (src/win/shutdown/service_control.c): every running service's name, what it depends on
 * and its load order group. Plain C11, no Windows.
 *
 * The plan, rule by rule:
 *  1. The requested services are taken in the order given. A requested name that no
 *     running service has (it has stopped meanwhile) is still a step of its own, so that
 *     its outcome is reported.
 *  2. A running service is planned depth first: every running service that depends on it
 *     and is not planned yet comes before it, each with its own dependents before it,
 *     the dependents taken in the order of the running services. Each service is planned
 *     once; a dependency cycle ends where it meets a service already being planned.
 *  3. B depends on A when B's dependency list names A, or names "+G" (SC_GROUP_IDENTIFIER
 *     then a load order group) and A's load order group is G. A service without a group
 *     (NULL or "") is in no group.
 *  4. A step is marked requested when it is one of the requested services (not only a
 *     dependent of one); naming a planned service again only marks its step.
 *  5. Names compare as _wcsicmp does (name_compare.h: ASCII letters only fold). A step
 *     keeps RM_SERVICE_STEP_NAME_MAX units of its name (CCH_RM_MAX_SVC_NAME, the size of
 *     RM_PROCESS_INFO's strServiceShortName): a name is the step's when it equals that
 *     kept part, as it would equal the adapter's copy of it. */
#ifndef RM_CORE_SERVICE_ORDER_H
#define RM_CORE_SERVICE_ORDER_H

#include <stddef.h>

#include "rm_wchar.h"

/* SC_GROUP_IDENTIFIERW: a dependency on a load order group. */
#define RM_SERVICE_GROUP_MARK ((rm_wchar)'+')
/* CCH_RM_MAX_SVC_NAME: the units of its name a planned step keeps (rule 5). */
#define RM_SERVICE_STEP_NAME_MAX 63u

/* One running service. The strings are NUL-terminated; dependencies is a multi-sz (each
 * entry NUL-terminated, one more NUL at the end) of service names and "+group" entries. */
typedef struct rm_service_node {
    const rm_wchar *name;
    const rm_wchar *dependencies;   /* NULL if none */
    const rm_wchar *group;          /* NULL or "" if none */
} rm_service_node;

typedef struct rm_service_order_step {
    const rm_wchar *name;   /* a node's name or a requested name: the caller's strings */
    int requested;          /* a requested service, not only a dependent of one */
} rm_service_order_step;

typedef struct rm_service_order {
    rm_service_order_step *steps;   /* stop order: dependents before what they depend on */
    size_t count;
} rm_service_order;

/* Plans the stop of requested[0..requested_count) given the running services
 * nodes[0..node_count). Returns 0, or -1 when memory ran out (order is then empty).
 * No requested service gives an empty plan without allocating. The plan points into the
 * caller's strings and never has more than node_count + requested_count steps. */
int rm_service_order_plan(const rm_service_node *nodes, size_t node_count,
                          const rm_wchar *const *requested, size_t requested_count,
                          rm_service_order *order);

void rm_service_order_free(rm_service_order *order);

#endif
