/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fault injection for tests (issue 15), as SQLite tests out-of-memory: in the test build
 * rstrtmgr_faults.dll (CMake target of the same sources with RSTRTMGR_FAULT_INJECTION),
 * this header is force-included (-include) into every source of the DLL, so that each
 * allocation and each creation of a Windows object that can fail for lack of resources
 * (events, mutexes, sections and their views, committed pages, threads, jobs,
 * processes) is a counted fault point. The test arms the counter through exports that
 * only that build has (below); the N-th point passed after arming then fails once, as the
 * real function fails for lack of memory (NULL / FALSE, last error
 * ERROR_NOT_ENOUGH_MEMORY or ERROR_NO_SYSTEM_RESOURCES). The shipped rstrtmgr.dll is
 * built without this header: its code calls the real functions, and it has no such
 * export.
 *
 * The wrappers also count the blocks allocated and not yet freed, so a test can see a
 * single leaked allocation (RmTestFaultLiveBlocks). */
#ifndef RM_WIN_FAULT_INJECT_H
#define RM_WIN_FAULT_INJECT_H

#ifdef RSTRTMGR_FAULT_INJECTION
#include <stdio.h>
#include <malloc.h>
#include <windows.h>

#include "fault_alloc.h"

/* Test-only exports (rstrtmgr_faults.dll). Arm: count fault points from now on, and fail
 * the fail_at-th (1 = the first; 0 = count only). Disarm: stop counting; returns how
 * many points were passed since arming, *fired whether the failure was injected. */
DWORD WINAPI RmTestFaultArm(DWORD fail_at);
DWORD WINAPI RmTestFaultDisarm(DWORD *fired);
/* Heap blocks (malloc family and HeapAlloc) the DLL holds right now. */
LONG WINAPI RmTestFaultLiveBlocks(void);

/* Where the last injected failure was: the offset in this DLL of the code that called
 * the failed function (for addr2line), 0 if none. */
DWORD WINAPI RmTestFaultSite(void);

/* 1 if the caller must fail now (armed and this is the chosen point); site is the code
 * that called the wrapper. */
int rm_fault_point_at(void *site);
#define rm_fault_point() rm_fault_point_at(__builtin_return_address(0))

LPVOID WINAPI rm_fault_HeapAlloc(HANDLE heap, DWORD flags, SIZE_T bytes);
LPVOID WINAPI rm_fault_HeapReAlloc(HANDLE heap, DWORD flags, LPVOID block, SIZE_T bytes);
BOOL WINAPI rm_fault_HeapFree(HANDLE heap, DWORD flags, LPVOID block);
LPVOID WINAPI rm_fault_VirtualAlloc(LPVOID address, SIZE_T bytes, DWORD type, DWORD protect);
HANDLE WINAPI rm_fault_CreateEventW(LPSECURITY_ATTRIBUTES security, BOOL manual_reset,
                                    BOOL initial_state, LPCWSTR name);
HANDLE WINAPI rm_fault_CreateMutexW(LPSECURITY_ATTRIBUTES security, BOOL initial_owner,
                                    LPCWSTR name);
HANDLE WINAPI rm_fault_CreateFileMappingW(HANDLE file, LPSECURITY_ATTRIBUTES security,
                                          DWORD protect, DWORD size_high, DWORD size_low,
                                          LPCWSTR name);
LPVOID WINAPI rm_fault_MapViewOfFile(HANDLE section, DWORD access, DWORD offset_high,
                                     DWORD offset_low, SIZE_T bytes);
HANDLE WINAPI rm_fault_CreateThread(LPSECURITY_ATTRIBUTES security, SIZE_T stack_bytes,
                                    LPTHREAD_START_ROUTINE start, LPVOID parameter,
                                    DWORD flags, LPDWORD thread_id);
HANDLE WINAPI rm_fault_CreateJobObjectW(LPSECURITY_ATTRIBUTES security, LPCWSTR name);
BOOL WINAPI rm_fault_CreateProcessW(LPCWSTR application, LPWSTR command_line,
                                    LPSECURITY_ATTRIBUTES process_security,
                                    LPSECURITY_ATTRIBUTES thread_security, BOOL inherit,
                                    DWORD flags, LPVOID environment, LPCWSTR directory,
                                    LPSTARTUPINFOW startup, LPPROCESS_INFORMATION info);

#ifndef RM_FAULT_INJECT_IMPLEMENTATION
#define HeapAlloc rm_fault_HeapAlloc
#define HeapReAlloc rm_fault_HeapReAlloc
#define HeapFree rm_fault_HeapFree
#define VirtualAlloc rm_fault_VirtualAlloc
#define CreateEventW rm_fault_CreateEventW
#define CreateMutexW rm_fault_CreateMutexW
#define CreateFileMappingW rm_fault_CreateFileMappingW
#define MapViewOfFile rm_fault_MapViewOfFile
#define CreateThread rm_fault_CreateThread
#define CreateJobObjectW rm_fault_CreateJobObjectW
#define CreateProcessW rm_fault_CreateProcessW
#endif
#endif

#endif
