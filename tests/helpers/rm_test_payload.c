// SPDX-License-Identifier: LGPL-2.1-or-later
/* rm_test_payload.dll: a DLL with one export, for rm_dll_loader to map.
 * */
#include <windows.h>

/* Returns a fixed value so a loader can check it mapped the right DLL. cdecl, so the
 * export is undecorated on x86 too. */
__declspec(dllexport) DWORD rm_test_payload_id(void)
{
    return 0x524d5450; /* "RMTP" */
}
