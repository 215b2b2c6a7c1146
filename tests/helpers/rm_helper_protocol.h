// SPDX-License-Identifier: LGPL-2.1-or-later
/* What the helper programs promise the tests: readiness signalling, exit codes and
 * defaults. Shared by the helpers and by rm_test_support. */
#ifndef RM_HELPER_PROTOCOL_H
#define RM_HELPER_PROTOCOL_H

/* Every helper prints this prefix, its pid and a newline on stdout once ready, right
 * before it sets the event named by --ready-event. */
#define RMH_READY_PREFIX "READY "

/* Helpers end themselves after --lifetime-ms so none outlives a failed test for long. */
#define RMH_DEFAULT_LIFETIME_MS 120000u

/* Exit codes. 0 is a clean exit asked for by the system (WM_ENDSESSION, WM_CLOSE,
 * a console control event, SERVICE_CONTROL_STOP). */
#define RMH_EXIT_OK       0
#define RMH_EXIT_FAILURE  10 /* could not do what the options asked (file, DLL, window) */
#define RMH_EXIT_USAGE    11 /* unknown option or missing value */
#define RMH_EXIT_LIFETIME 12 /* --lifetime-ms elapsed */

#endif
