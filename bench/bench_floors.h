/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What an exact RmGetList cannot avoid reading, measured the same way in every benchmark,
 * and the entry points of the DLL a benchmark times (this build's, or a baseline build
 * loaded by path for a before/after comparison in one run). */
#ifndef RM_BENCH_FLOORS_H
#define RM_BENCH_FLOORS_H

#include <windows.h>
#include <restartmanager.h>
#include "process/wow64_view.h"

/* One NtQuerySystemInformation of info_class into *buffer (grown as needed); its ms. */
double bench_snapshot_ms(ULONG info_class, void **buffer, ULONG *size);

/* The snapshot floor: one handle snapshot + one process snapshot. */
double bench_snapshots_floor_ms(void);

/* The File handles of the processes include(context, pid) accepts (never this one), each
 * duplicated, named and closed once: the per-handle work of an exact walk. *named: how
 * many. include == NULL: every other process. */
double bench_name_handles_floor_ms(BOOL (*include)(void *context, DWORD pid), void *context,
                                   size_t *named);

/* A module_scan.h visitor that counts the modules (context: a size_t) and never stops. */
BOOL bench_count_module(void *context, const WCHAR *path, size_t length, rm_name_view view);

typedef struct bench_api {
    const char *label;
    DWORD (WINAPI *start_session)(DWORD *, DWORD, WCHAR *);
    DWORD (WINAPI *register_resources)(DWORD, UINT, LPCWSTR *, UINT, RM_UNIQUE_PROCESS *, UINT,
                                       LPCWSTR *);
    DWORD (WINAPI *get_list)(DWORD, UINT *, UINT *, RM_PROCESS_INFO *, DWORD *);
    DWORD (WINAPI *end_session)(DWORD);
} bench_api;

/* The DLL this benchmark is linked with. */
void bench_api_this_build(bench_api *api);

/* Another build, loaded from path (copy it under another name than rstrtmgr.dll, so the
 * loader does not take it for the one already loaded). */
BOOL bench_api_load(const wchar_t *path, bench_api *api);

#endif
