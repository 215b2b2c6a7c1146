/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Which real file a 32-bit process on 64-bit Windows (WoW64) means by a path.
 *
 * WoW64's file system redirector ("File System Redirector", learn.microsoft.com,
 * windows/win32/winprog64/file-system-redirector) makes a 32-bit process's
 * %windir%\System32 the directory of 32-bit system files, %windir%\SysWOW64; the native
 * directory stays reachable as %windir%\Sysnative. The resource tables hold the real
 * file (no redirection applies to them), so every name that comes from a WoW64 view —
 * a WoW64 caller's registered paths, the names in a 32-bit process's loader list — is
 * rewritten here first. Rules, on canonical paths (path_norm.h) with W = %windir%:
 *
 *   W\SYSNATIVE[\rest]            -> W\SYSTEM32[\rest]           always
 *   W\SYSTEM32[\rest]             -> W\SYSWOW64[\rest]           while redirection is on,
 *       except W\SYSTEM32\CATROOT, \CATROOT2, \DRIVERSTORE, \DRIVERS\ETC, \LOGFILES and
 *       \SPOOL (and what lies under them), which the redirector exempts;
 *   W\LASTGOOD\SYSTEM32[\rest]    -> W\LASTGOOD\SYSWOW64[\rest]  while redirection is on;
 *   W\REGEDIT.EXE                 -> W\SYSWOW64\REGEDIT.EXE      while redirection is on.
 *
 * Anything else is returned unchanged. Plain C, no Windows calls. */
#ifndef RM_WOW64_PATH_H
#define RM_WOW64_PATH_H

#include <stddef.h>

#include "rm_wchar.h"

/* The most a rewrite lengthens a path (W\REGEDIT.EXE gains "\SYSWOW64"). */
#define RM_WOW64_PATH_GROWTH 9u

/* Writes the real file's canonical path for canonical[0..length), as a WoW64 process
 * names it with redirection on (redirected != 0) or off, to out (capacity out_cap,
 * NUL-terminated) and returns its length; 0 if it does not fit (out[0] = 0 then, when
 * out_cap > 0) or length is 0. windir[0..windir_length) is the canonical Windows
 * directory ("C:\WINDOWS"); an empty windir rewrites nothing. out may not overlap
 * canonical. */
size_t rm_wow64_real_path(const rm_wchar *canonical, size_t length, const rm_wchar *windir,
                          size_t windir_length, int redirected, rm_wchar *out, size_t out_cap);

#endif /* RM_WOW64_PATH_H */
