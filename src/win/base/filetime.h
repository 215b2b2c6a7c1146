// SPDX-License-Identifier: LGPL-2.1-or-later
/* A FILETIME as one 64-bit number and back: process start times are compared, stored in
 * the session's record and reported in RM_UNIQUE_PROCESS as FILETIMEs. */
#ifndef RM_WIN_FILETIME_H
#define RM_WIN_FILETIME_H

#include <stdint.h>
#include <windows.h>

static inline uint64_t rm_filetime_value(FILETIME time)
{
    return (uint64_t)time.dwHighDateTime << 32 | time.dwLowDateTime;
}

static inline FILETIME rm_filetime_of(uint64_t value)
{
    FILETIME time = { (DWORD)value, (DWORD)(value >> 32) };
    return time;
}

/* The creation time of a process handle (PROCESS_QUERY_LIMITED_INFORMATION), the second
 * half of its RM_UNIQUE_PROCESS identity; FALSE if it cannot be read. */
static inline BOOL rm_process_created(HANDLE process, uint64_t *created)
{
    FILETIME creation, exited, kernel, user;
    if (!GetProcessTimes(process, &creation, &exited, &kernel, &user))
        return FALSE;
    *created = rm_filetime_value(creation);
    return TRUE;
}

#endif
