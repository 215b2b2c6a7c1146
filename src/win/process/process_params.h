// SPDX-License-Identifier: LGPL-2.1-or-later
/* The command line and current directory another process was started with, read from
 * its PEB (PEB -> ProcessParameters -> CommandLine, CurrentDirectory.DosPath): what
 * RmRestart relaunches an application with where the system keeps no restart
 * registration (Wine).
 *
 * Both bitnesses: a 64-bit caller reads a WoW64 process's 32-bit parameters (or, when the
 * system does not say where they are, its 64-bit ones); a 32-bit caller reads a 64-bit
 * process only through NtWow64QueryInformationProcess64 + NtWow64ReadVirtualMemory64,
 * and reports ERROR_NOT_SUPPORTED where those are missing (Wine 8). */
#ifndef RM_WIN_PROCESS_PARAMS_H
#define RM_WIN_PROCESS_PARAMS_H

#include <windows.h>

#include "wow64_answer.h"

typedef struct rm_process_params {
    WCHAR *command_line;   /* malloc'd, NUL-terminated, never empty */
    WCHAR *directory;      /* malloc'd, NUL-terminated; NULL if it could not be read */
    BOOL no_memory;        /* a copy could not be allocated (the read gives ERROR_OUTOFMEMORY) */
} rm_process_params;

/* process needs PROCESS_QUERY_(LIMITED_)INFORMATION | PROCESS_VM_READ. pebs (may be
 * NULL): where 64-bit processes' PEBs are, as the call already learned (a 32-bit caller
 * on Wine); a process not in it is located as remote_memory.h says. */
DWORD rm_process_params_read(HANDLE process, const rm_wow64_pebs *pebs, rm_process_params *out);
void rm_process_params_free(rm_process_params *params);

#endif
