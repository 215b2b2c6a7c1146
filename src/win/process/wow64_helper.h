/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where 64-bit processes' PEBs are, for a 32-bit DLL on 64-bit Windows: the one fact a
 * WoW64 process needs before it can read a 64-bit process's loader list and parameters
 * with NtWow64ReadVirtualMemory64.
 *
 * Windows answers it through NtWow64QueryInformationProcess64 (remote_memory.h). Where
 * that call is missing (Wine 8, which has the read), the DLL reads it from a thread's TEB
 * (remote_memory.h); about processes that route cannot serve it asks its 64-bit half,
 * rstrtmgr_wow64.exe, found beside this DLL or in the native system directory
 * (%windir%\Sysnative seen from here): one short-lived process per question, for every
 * process in it at once.
 *   - Bounded: the answer must arrive within RSTRTMGR_WOW64_HELPER_TIMEOUT_MS (default
 *     5000 ms); a cancelled call stops waiting at once. Then the helper is ended.
 *   - Nothing left behind: the helper runs in a job that ends it when the DLL's handle
 *     closes (also if the caller dies), is ended at the end of the call if it still runs,
 *     and ends itself after 60 s in any case.
 *   - Nothing trusted: the answer is checked (src/core/wow64_answer.h); an address it
 *     gives only ever leads to bounded reads, whose results are matched like any other
 *     name.
 *   - Degradation: no helper (the 64-bit half not installed), one that fails or one that
 *     is late — the processes concerned are found through their open handles and their
 *     program image only, as before; RSTRTMGR_WOW64_HELPER=off does this on purpose. */
#ifndef RM_WIN_WOW64_HELPER_H
#define RM_WIN_WOW64_HELPER_H

#include <windows.h>

#include "wow64_answer.h"

/* Fills queries[i].peb for the 64-bit processes among them (0 for the others). Returns
 * ERROR_SUCCESS with what it learned (possibly nothing), ERROR_CANCELLED if cancel was
 * set while waiting, ERROR_NOT_SUPPORTED if there is no helper to ask. queries' pids are
 * unique. */
DWORD rm_wow64_helper_query(rm_wow64_query *queries, size_t count, HANDLE cancel);

#endif
