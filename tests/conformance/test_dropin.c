// SPDX-License-Identifier: LGPL-2.1-or-later
/* A client built the way installers built elsewhere are: against MinGW-w64's own
 * librstrtmgr.a (not this project's import library), binding to our DLL by name at load
 * time. Also pins the public structure layouts both targets must share. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <windows.h>
#include <restartmanager.h>

_Static_assert(sizeof(RM_UNIQUE_PROCESS) == 12, "RM_UNIQUE_PROCESS is 12 bytes");
_Static_assert(offsetof(RM_UNIQUE_PROCESS, ProcessStartTime) == 4, "start time at +4");
_Static_assert(sizeof(RM_PROCESS_INFO) == 668, "RM_PROCESS_INFO is 668 bytes");
_Static_assert(offsetof(RM_PROCESS_INFO, strAppName) == 12, "strAppName at +12");
_Static_assert(offsetof(RM_PROCESS_INFO, strServiceShortName) == 524, "service name at +524");
_Static_assert(offsetof(RM_PROCESS_INFO, ApplicationType) == 652, "type at +652");
_Static_assert(offsetof(RM_PROCESS_INFO, AppStatus) == 656, "status at +656");
_Static_assert(offsetof(RM_PROCESS_INFO, TSSessionId) == 660, "session at +660");
_Static_assert(offsetof(RM_PROCESS_INFO, bRestartable) == 664, "restartable at +664");
#ifdef _WIN64
_Static_assert(sizeof(RM_FILTER_INFO) == 32, "RM_FILTER_INFO is 32 bytes on x64");
_Static_assert(offsetof(RM_FILTER_INFO, strFilename) == 16, "union at +16 on x64");
#else
_Static_assert(sizeof(RM_FILTER_INFO) == 24, "RM_FILTER_INFO is 24 bytes on x86");
_Static_assert(offsetof(RM_FILTER_INFO, strFilename) == 12, "union at +12 on x86");
#endif
_Static_assert(CCH_RM_SESSION_KEY == 32, "keys are 32 characters");

static void test_client_of_mingw_import_library(void **state)
{
    (void)state;
    DWORD handle = 0xFFFFFFFF, joined;
    WCHAR key[CCH_RM_SESSION_KEY + 1] = { 0 };
    UINT needed = 0, count = 0;
    DWORD reasons = 0xFFFFFFFF;
    LPCWSTR files[] = { L"C:\\windows\\system32\\nothing-uses-this.dll" };

    assert_int_equal(RmStartSession(&handle, 0, key), ERROR_SUCCESS);
    assert_int_equal(wcslen(key), CCH_RM_SESSION_KEY);
    assert_int_equal(RmJoinSession(&joined, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(joined, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(joined), ERROR_SUCCESS);
    /* stdcall mismatches would corrupt the stack across these calls. */
    assert_int_equal(RmGetList(handle, &needed, &count, NULL, &reasons) == ERROR_BAD_ARGUMENTS, 0);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(handle), ERROR_INVALID_HANDLE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_of_mingw_import_library),
    };
    return cmocka_run_group_tests_name("dropin", tests, NULL, NULL);
}
