/* Additions to MinGW-w64's <restartmanager.h> that users of this rstrtmgr.dll need:
 * the Restart Manager error codes some winerror.h versions lack, and the declaration
 * of the one export the public header omits. LGPL-2.1-or-later. */
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

#ifdef __cplusplus
}
#endif

#endif
