// SPDX-License-Identifier: LGPL-2.1-or-later
/* One Restart Manager session of rmtool: start it, register the command line's
 * resources, list who uses them, end it. Every function prints what failed on stderr.
 * LGPL-2.1-or-later. */
#ifndef RMTOOL_QUERY_H
#define RMTOOL_QUERY_H

#include <windows.h>
#include <restartmanager.h>

#include "cli.h"
#include "rstrtmgr/rstrtmgr_ext.h"

typedef struct rm_query {
    DWORD session;
    BOOL started;
    RM_PROCESS_INFO *apps; /* the last successful list */
    UINT count;
    UINT capacity;         /* entries apps has room for */
    DWORD reboot_reasons;
    RMX_EVIDENCE *evidence; /* query_evidence: one per app, or NULL */
} rm_query;

/* Starts a session and registers every resource of options, the files under its
 * directories too (tree_register.h). Returns the exit code (RMTOOL_OK, RMTOOL_RM_ERROR,
 * RMTOOL_CANCELLED); the session is left to query_end in every case. */
int query_start(rm_query *query, const rmtool_options *options);

/* RmGetList with the two-call protocol, retried while the list grows. Returns the
 * Win32 error (ERROR_SUCCESS, ERROR_CANCELLED, ...); prints it unless quiet. */
DWORD query_list(rm_query *query);

/* The evidence behind the last list (RmxGetEvidence, this DLL's extension, looked up at
 * run time): TRUE and query->evidence set, or FALSE where the DLL does not say (Windows'
 * own, an older build) or the list changed in between. */
BOOL query_evidence(rm_query *query);

/* Ends the session (if started) and frees the list. */
void query_end(rm_query *query);

/* Ctrl+C / Ctrl+Break: asks the Restart Manager to cancel the running call. Sets
 * query_cancelled. */
void query_install_cancel_handler(void);
BOOL query_cancelled(void);

/* Readable text of a Restart Manager result, e.g. L"ERROR_FAIL_SHUTDOWN". */
const wchar_t *query_error_name(DWORD error);

/* Exit code for a failed Restart Manager call (RMTOOL_CANCELLED or RMTOOL_RM_ERROR). */
int query_failure_exit(DWORD error);

#endif
