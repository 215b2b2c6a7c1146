// SPDX-License-Identifier: LGPL-2.1-or-later
/* The modules a process has loaded (its image first), read from its loader list: the
 * process's PEB -> loader data -> InLoadOrderModuleList, entries and names read through a
 * window of nearby memory (remote_memory.h): a few block reads per process, not one read
 * per entry and per name. Both bitnesses are handled: a 64-bit caller also walks a WoW64 process's
 * 32-bit list, and a 32-bit caller on 64-bit Windows walks a 64-bit process's list
 * through NtWow64ReadVirtualMemory64 (the documented APIs fail across that boundary),
 * given the process's PEB: from NtWow64QueryInformationProcess64 or, where the system
 * lacks it (Wine 8; rm_remote_peb64_unsaid tells), from what the caller hands over
 * (rm_module_reader_use_pebs): the process's TEB from the extended process list, or the
 * 64-bit half's answer. A 64-bit process whose PEB is not known reports
 * ERROR_NOT_SUPPORTED, and only its image is known, through the process image name.
 * Each name is reported with the view it was written in: a 32-bit loader list names files
 * as WoW64 shows them to the process ("System32" for SysWOW64 under Wine).
 * Wine 8 does not say where a WoW64 process's 32-bit PEB is (ProcessWow64Information is
 * only a flag there): a 64-bit caller finds it one page after the native PEB, checked
 * (remote_memory.h), and lists that process with psapi only if that fails.
 * Measured under Wine 8 for 50 processes (300 modules): this walk ~25-50 ms, Toolhelp32
 * ~55-80 ms, EnumProcessModulesEx + GetModuleFileNameEx ~80-210 ms (bench_getlist). */
#ifndef RM_WIN_MODULE_SCAN_H
#define RM_WIN_MODULE_SCAN_H

#include <windows.h>

#include "name_lengths.h"
#include "wow64_answer.h"
#include "process/wow64_view.h"

/* Called with each module's full path (not NUL-terminated) and the view it is written
 * in; TRUE stops the walk. */
typedef BOOL (*rm_module_visitor)(void *context, const WCHAR *path, size_t length,
                                  rm_name_view view);

typedef struct rm_module_reader rm_module_reader;

/* One reader per call: it looks up what it needs from ntdll once. */
DWORD rm_module_reader_create(rm_module_reader **reader);
void rm_module_reader_destroy(rm_module_reader *reader);

/* From now on only modules whose base name has a length in lengths are read and
 * reported (the reader keeps the pointer): each other module costs one read, its loader
 * entry. psapi's listing (the fallback above) reads every name regardless. */
void rm_module_reader_only_lengths(rm_module_reader *reader, const rm_name_lengths *lengths);

/* From now on, 64-bit processes' PEBs come from known[0..count) only: their PEB, or
 * else their TEB, whose PEB the reader then writes into that entry (the reader keeps
 * the pointer: it must outlive the scans; one reader per process at a time). */
void rm_module_reader_use_pebs(rm_module_reader *reader, rm_peb64_known *known,
                               size_t count);

/* process needs PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ. */
DWORD rm_module_scan(rm_module_reader *reader, HANDLE process, rm_module_visitor visitor,
                     void *context);

#endif
