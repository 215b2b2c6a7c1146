// SPDX-License-Identifier: LGPL-2.1-or-later
#include "session/named_objects.h"

#include <sddl.h>
#include <stdio.h>

static DWORD current_user_sid(WCHAR *out, size_t cch)
{
    HANDLE token;
    BYTE buffer[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
    DWORD size = 0, error = ERROR_SUCCESS;
    LPWSTR text = NULL;

    if (!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token) &&
        !OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        return GetLastError();
    if (!GetTokenInformation(token, TokenUser, buffer, sizeof(buffer), &size))
        error = GetLastError();
    else if (!ConvertSidToStringSidW(((TOKEN_USER *)buffer)->User.Sid, &text))
        error = GetLastError();
    else if (wcslen(text) >= cch)
        error = ERROR_BUFFER_OVERFLOW;
    else
        wcscpy(out, text);
    LocalFree(text);
    CloseHandle(token);
    return error;
}

DWORD rm_object_security_init(rm_object_security *security)
{
    WCHAR sddl[200];
    DWORD error;

    ZeroMemory(security, sizeof(*security));
    error = current_user_sid(security->user_sid, ARRAYSIZE(security->user_sid));
    if (error != ERROR_SUCCESS)
        return error;
    /* Protected DACL: full access for this user and SYSTEM, nobody else. */
    _snwprintf(sddl, ARRAYSIZE(sddl), L"D:P(A;;GA;;;%s)(A;;GA;;;SY)", security->user_sid);
    sddl[ARRAYSIZE(sddl) - 1] = 0;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1,
                                                              &security->descriptor, NULL))
        return GetLastError();
    security->attributes.nLength = sizeof(security->attributes);
    security->attributes.lpSecurityDescriptor = security->descriptor;
    security->attributes.bInheritHandle = FALSE;
    return ERROR_SUCCESS;
}

void rm_object_security_free(rm_object_security *security)
{
    if (security->descriptor)
        LocalFree(security->descriptor);
    security->descriptor = NULL;
}

void rm_object_name(const rm_object_security *security, const WCHAR *what,
                    WCHAR name[RM_OBJECT_NAME_CCH])
{
    _snwprintf(name, RM_OBJECT_NAME_CCH, L"Local\\rstrtmgr.%s.%s", security->user_sid, what);
    name[RM_OBJECT_NAME_CCH - 1] = 0;
}
