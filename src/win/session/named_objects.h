// SPDX-License-Identifier: LGPL-2.1-or-later
/* Names and security of the kernel objects sessions share: every name carries the
 * caller's user SID, and every object's DACL admits only that user and SYSTEM, so
 * another user can neither join nor read a session. */
#ifndef RM_WIN_NAMED_OBJECTS_H
#define RM_WIN_NAMED_OBJECTS_H

#include <windows.h>

#define RM_OBJECT_NAME_CCH 192

typedef struct rm_object_security {
    WCHAR user_sid[128];           /* string SID of the process token's user */
    SECURITY_ATTRIBUTES attributes;
    PSECURITY_DESCRIPTOR descriptor; /* LocalFree'd by rm_object_security_free */
} rm_object_security;

DWORD rm_object_security_init(rm_object_security *security);
void rm_object_security_free(rm_object_security *security);

/* Local\rstrtmgr.<sid>.<what> */
void rm_object_name(const rm_object_security *security, const WCHAR *what,
                    WCHAR name[RM_OBJECT_NAME_CCH]);

#endif
