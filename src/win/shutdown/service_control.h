// SPDX-License-Identifier: LGPL-2.1-or-later
/* Stopping and starting services through the SCM for RmShutdown and RmRestart.
 *
 * A service is stopped after every running service that depends on it, directly or
 * through its load order group, and those are started again after it. Dependencies come
 * from QueryServiceConfig and, where that reports none, from the service's registry key
 * (DependOnService, DependOnGroup): Wine's SCM stores dependencies but neither reports
 * them nor implements EnumDependentServices. The order itself is decided in the portable
 * core (src/core/service_order.h); this adapter reads the SCM and the registry for it.
 *
 * Every wait is bounded by the service timeout per service and ends at once on
 * cancellation. With RmForceShutdown a service that has not stopped in time is ended by
 * terminating its process, when that process hosts nothing else. */
#ifndef RM_WIN_SERVICE_CONTROL_H
#define RM_WIN_SERVICE_CONTROL_H

#include <stddef.h>
#include <windows.h>
#include <restartmanager.h>

typedef enum rm_service_outcome {
    RM_SERVICE_DONE,           /* stopped (or started) as asked */
    RM_SERVICE_ALREADY,        /* it was already stopped (or running) */
    RM_SERVICE_FAILED,
    RM_SERVICE_CANCELLED,
} rm_service_outcome;

typedef struct rm_service_step {
    WCHAR name[CCH_RM_MAX_SVC_NAME + 1];
    BOOL requested;            /* an affected service, not only a dependent of one */
    rm_service_outcome outcome;
} rm_service_step;

typedef struct rm_service_plan {
    rm_service_step *steps;    /* in stop order: dependents before what they depend on */
    size_t count;
} rm_service_plan;

/* The stop order for names[0..count) and their running dependents. */
DWORD rm_service_plan_stop(const WCHAR *const *names, size_t count, rm_service_plan *plan);
void rm_service_plan_free(rm_service_plan *plan);

/* Carries out the plan in order, filling each step's outcome. Steps after a cancellation
 * get RM_SERVICE_CANCELLED. */
void rm_service_plan_run(rm_service_plan *plan, BOOL force, DWORD timeout_ms, HANDLE cancel);

rm_service_outcome rm_service_start(const WCHAR *name, DWORD timeout_ms, HANDLE cancel);

#endif
