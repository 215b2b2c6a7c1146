// SPDX-License-Identifier: LGPL-2.1-or-later
/* Links through rstrtmgr::rstrtmgr and proves the DLL it loaded is ours: Wine's stub
 * aborts in RmJoinSession, ours answers ERROR_SESSION_CREDENTIAL_CONFLICT for an
 * unknown key, and RmReserveHeap is declared by the package's header.
 * */
#include <stdio.h>
#include <windows.h>
#include <restartmanager.h>
#include <rstrtmgr/rstrtmgr_ext.h>

int wmain(void)
{
    DWORD session, joined;
    WCHAR key[CCH_RM_SESSION_KEY + 1] = {0};
    DWORD start = RmStartSession(&session, 0, key);
    DWORD join = RmJoinSession(&joined, L"00000000000000000000000000000000");
    DWORD reserve = RmReserveHeap(0);
    DWORD end = start == ERROR_SUCCESS ? RmEndSession(session) : start;
    printf("start=%lu join=%lu reserve=%lu end=%lu\n", (unsigned long)start,
           (unsigned long)join, (unsigned long)reserve, (unsigned long)end);
    return start == ERROR_SUCCESS && join == ERROR_SESSION_CREDENTIAL_CONFLICT &&
                   end == ERROR_SUCCESS ? 0 : 1;
}
