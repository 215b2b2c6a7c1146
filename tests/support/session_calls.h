// SPDX-License-Identifier: LGPL-2.1-or-later
/* Session calls the shutdown and documented-statement tests share. Header-only on
 * purpose: each program compiles them against its own binding of the Rm* names (the
 * import library, or rmt_dynamic_api.h's DLL under test). Include after cmocka.h,
 * rm_test_support.h and, where used, rmt_dynamic_api.h. */
#ifndef RM_CONFORMANCE_SESSION_CALLS_H
#define RM_CONFORMANCE_SESSION_CALLS_H

static inline DWORD start_session(DWORD *handle)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1] = {0};
    return RmStartSession(handle, 0, key);
}

static inline void register_process(DWORD handle, const rmt_process *p)
{
    RM_UNIQUE_PROCESS unique = p->unique;
    assert_int_equal(RmRegisterResources(handle, 0, NULL, 1, &unique, 0, NULL), ERROR_SUCCESS);
}

/* AppStatus of pid in a fresh RmGetList of the session, or -1 if it is not listed. */
static inline long listed_status(DWORD handle, DWORD pid)
{
    RM_PROCESS_INFO apps[16];
    UINT needed = 0, count = 16;
    DWORD reasons = 0;
    if (RmGetList(handle, &needed, &count, apps, &reasons) != ERROR_SUCCESS)
        return -1;
    const RM_PROCESS_INFO *app = rmt_find_app(apps, count, pid);
    return app ? (long)app->AppStatus : -1;
}

/* The entry of pid in a fresh RmGetList over what handle registered; reasons too. */
static inline void listed_entry(DWORD handle, DWORD pid, RM_PROCESS_INFO *out, DWORD *reasons)
{
    RM_PROCESS_INFO apps[16];
    UINT needed = 0, count = 16;
    *reasons = 0xA5A5A5A5u; /* a sentinel: RmGetList must write it */
    assert_int_equal(RmGetList(handle, &needed, &count, apps, reasons), ERROR_SUCCESS);
    const RM_PROCESS_INFO *app = rmt_find_app(apps, count, pid);
    if (!app)
        fail_msg("pid %lu not listed (%u entries)", (unsigned long)pid, count);
    *out = *app;
}

#endif
