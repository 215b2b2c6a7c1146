/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Additions to MinGW-w64's <restartmanager.h> that users of this rstrtmgr.dll need:
 * the Restart Manager error codes some winerror.h versions lack, the declaration of the
 * one export the public header omits, and this DLL's one extension (RmxGetEvidence). */
#ifndef RSTRTMGR_EXT_H
#define RSTRTMGR_EXT_H

#include <windows.h>
#include <restartmanager.h>

#ifndef ERROR_FAIL_NOACTION_REBOOT
#define ERROR_FAIL_NOACTION_REBOOT 350L
#endif
#ifndef ERROR_FAIL_SHUTDOWN
#define ERROR_FAIL_SHUTDOWN 351L
#endif
#ifndef ERROR_FAIL_RESTART
#define ERROR_FAIL_RESTART 352L
#endif
#ifndef ERROR_REQUEST_OUT_OF_SEQUENCE
#define ERROR_REQUEST_OUT_OF_SEQUENCE 776L
#endif
#ifndef ERROR_MAX_SESSIONS_REACHED
#define ERROR_MAX_SESSIONS_REACHED 353L
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Undocumented export of the system DLL; this implementation accepts any value and
 * reserves nothing (it keeps no fixed-size heap). */
DWORD WINAPI RmReserveHeap(DWORD reserved);

/* ---- extension: why each process was listed (this DLL only) ------------------------- */

/* How a process uses the session's resources. */
typedef enum RMX_EVIDENCE_KIND {
    RmxEvidenceHandle = 1,   /* it has a registered file open (HandleValue, 0 if unknown) */
    RmxEvidenceModule = 2,   /* it has a registered file loaded as a module */
    RmxEvidenceImage = 3,    /* its program file is a registered file */
    RmxEvidenceProcess = 4,  /* it is a registered process (pid and start time) */
    RmxEvidenceService = 5   /* it runs a registered service (strResource: its name) */
} RMX_EVIDENCE_KIND;

#define RMX_RESOURCE_CCH 1024

typedef struct RMX_EVIDENCE {
    RM_UNIQUE_PROCESS Process;
    DWORD Kind;                 /* RMX_EVIDENCE_KIND */
    ULONGLONG HandleValue;
    BOOL bResourceTruncated;    /* strResource was cut to RMX_RESOURCE_CCH - 1 units */
    WCHAR strResource[RMX_RESOURCE_CCH]; /* the registered file (canonical, upper case) or
                                            service; "" for RmxEvidenceProcess */
} RMX_EVIDENCE;

/* The evidence behind the last successful RmGetList on this session, one entry per
 * process it listed, in the same order. The protocol is RmGetList's: *pnEvidenceNeeded
 * gets the count; if *pnEvidence is smaller, ERROR_MORE_DATA and nothing written, else
 * the entries and *pnEvidence = the count. ERROR_BAD_ARGUMENTS for NULL counts (or a
 * NULL array with *pnEvidence > 0), ERROR_INVALID_HANDLE, ERROR_SESSION_CREDENTIAL_CONFLICT
 * on a joined handle, as RmGetList. Before any RmGetList: success with a count of 0.
 * Look it up with GetProcAddress: Windows' rstrtmgr.dll does not have it. */
DWORD WINAPI RmxGetEvidence(DWORD dwSessionHandle, UINT *pnEvidenceNeeded, UINT *pnEvidence,
                            RMX_EVIDENCE rgEvidence[]);

#ifdef __cplusplus
}
#endif

#endif
