/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Allocation-failure injection for the portable core, in the test build only
 * (rstrtmgr_faults.dll, built with RSTRTMGR_FAULT_INJECTION; see src/win/base/fault_inject.h).
 * That build force-includes this header into every core source, so malloc, calloc,
 * realloc and free go through counting wrappers; the shipped DLL and the native builds
 * never see it. Portable: no Windows header. */
#ifndef RM_CORE_FAULT_ALLOC_H
#define RM_CORE_FAULT_ALLOC_H

#ifdef RSTRTMGR_FAULT_INJECTION
/* Every header that declares the wrapped names comes first, so the macros below only
 * rename calls, never declarations. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

void *rm_fault_malloc(size_t size);
void *rm_fault_calloc(size_t count, size_t size);
void *rm_fault_realloc(void *block, size_t size);
void rm_fault_free(void *block);
wchar_t *rm_fault_wcsdup(const wchar_t *text);

#ifndef RM_FAULT_INJECT_IMPLEMENTATION
#define malloc rm_fault_malloc
#define calloc rm_fault_calloc
#define realloc rm_fault_realloc
#define free rm_fault_free
#define _wcsdup rm_fault_wcsdup
#endif
#endif

#endif
