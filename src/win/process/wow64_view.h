/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* File names as a 32-bit process on 64-bit Windows sees them, and file access without
 * WoW64's redirection.
 *
 * The resource tables hold real files (see src/core/wow64_path.h). A WoW64 caller's
 * registered paths are read with the file system redirector's rules as its calling thread
 * has them at registration (on, unless the thread called Wow64DisableWow64FsRedirection),
 * so "System32\x" is the 32-bit file it would open there and "Sysnative\x" the native
 * one. The DLL's own file access to real paths (probes, long-name expansion, reading an
 * image's header) runs inside a native-file-system scope, in which System32 is the native
 * directory. In a 64-bit process, or a 32-bit one on 32-bit Windows, all of this is the
 * identity. */
#ifndef RM_WIN_WOW64_VIEW_H
#define RM_WIN_WOW64_VIEW_H

#include <windows.h>

typedef struct rm_wow64_view {
    BOOL system_has_wow64;      /* a 64-bit system: 32-bit processes see redirected names */
    BOOL caller_is_wow64;       /* this process is one of them */
    WCHAR windir[MAX_PATH];     /* canonical Windows directory ("C:\WINDOWS") */
    size_t windir_length;
} rm_wow64_view;

/* Which way a name was written. */
typedef enum rm_name_view {
    RM_NAME_REAL,               /* already the real file (kernel names, image paths) */
    RM_NAME_WOW64,              /* as a 32-bit process names it, redirection on */
} rm_name_view;

void rm_wow64_view_init(rm_wow64_view *view);

/* Whether the calling thread's file access is redirected now (FALSE outside WoW64). */
BOOL rm_wow64_thread_redirected(const rm_wow64_view *view);

/* Rewrites canonical[0..length) (capacity cap units) to the real file a WoW64 process
 * means, with redirection on or off; scratch holds cap units. Returns the new length, 0
 * if it no longer fits. Unchanged on a system without WoW64. */
size_t rm_wow64_view_to_real(const rm_wow64_view *view, WCHAR *canonical, size_t length,
                             size_t cap, BOOL redirected, WCHAR *scratch);

/* File access of the calling thread without redirection, from enter to leave. */
typedef struct rm_native_fs_scope {
    BOOL changed;
    ULONG_PTR previous;
} rm_native_fs_scope;

void rm_native_fs_enter(rm_native_fs_scope *scope);
void rm_native_fs_leave(rm_native_fs_scope *scope);

#endif
