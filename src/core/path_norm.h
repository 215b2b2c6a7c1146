// SPDX-License-Identifier: LGPL-2.1-or-later
/* Canonical form of file paths.
 *
 * Windows and Wine name the same file in many ways (Win32 "C:\x", NT "\??\C:\x", device
 * "\Device\HarddiskVolume1\x", "\\?\" prefixes, forward slashes, any letter case...).
 * rm_path_canonicalize() maps each of them to one canonical string so that the resource
 * tables can compare and hash paths as plain strings.
 *
 * Canonical form, rule by rule (input on the left, canonical form on the right):
 *
 *  1. Separators: '/' is read as '\'.                          c:/a/b        -> C:\A\B
 *  2. Namespace prefixes \\?\  \??\  \\.\  \DosDevices\  \GLOBAL??\ (any case) are removed
 *     when followed by a drive "X:".                           \??\C:\x      -> C:\X
 *     A prefix followed by the drive alone names its root.     \\?\C:        -> C:\
 *  3. UNC: \\?\UNC\s\t, \??\UNC\s\t (and the other prefixes + UNC), \Device\Mup\s\t and
 *     \Device\LanmanRedirector\s\t become \\S\T; leading redirector components that start
 *     with ';' (";Z:000...", ";LanmanRedirector") are skipped.  A UNC path needs a server
 *     and a share; "\\S\T" is its root.                        \\?\UNC\s\t\f -> \\S\T\F
 *  4. Device paths: "\Device\<name>..." is rewritten "X:..." when a map entry's device
 *     matches whole components ("\Device\HarddiskVolume1" does not match
 *     "\Device\HarddiskVolume10\x"); the longest matching entry wins.  A device path that
 *     no entry matches stays a device path, upper-cased, with "\DEVICE\<NAME>" as its root,
 *     so two spellings of the same device path still compare equal.
 *  5. Other objects after a prefix keep the "\??\" prefix:     \\.\pipe\p    -> \??\PIPE\P
 *     with "\??\<NAME>" as root.
 *  6. Repeated separators collapse to one (the leading "\\" of UNC stays).
 *  7. "." components are dropped; ".." drops the previous component but never climbs
 *     above the root (C:\, \\S\T, \DEVICE\N, \??\N).         C:\a\..\..\b  -> C:\B
 *  8. Trailing dots and spaces of every component are removed, as Win32 does; a component
 *     left empty (e.g. "...") is dropped.                     C:\a\b. \     -> C:\A\B
 *  9. No trailing separator, except for a drive root.          C:\a\         -> C:\A
 * 10. Every unit is upper-cased with rm_char_upcase().
 * 11. Rejected (return 0): empty input, relative paths ("a\b", ".\a"), drive-relative paths
 *     ("C:", "C:a"), root-relative paths ("\a"), unknown NT roots, UNC paths without a
 *     share, inputs longer than RM_PATH_MAX_INPUT units or containing a NUL unit, and
 *     results that do not fit the output buffer.
 *
 * The canonical form is never longer than the input, so out_cap = in_len + 1 always
 * suffices.  Canonicalising a canonical form (with the same map) returns it unchanged.
 * Unpaired surrogates and all other units are passed through (upper-cased where they
 * have a mapping); the functions never read or write outside the given ranges. */
#ifndef RM_PATH_NORM_H
#define RM_PATH_NORM_H

#include <stddef.h>
#include <stdint.h>

#include "rm_wchar.h"

/* Longest input accepted, in units (the NT limit of a UNICODE_STRING path). */
#define RM_PATH_MAX_INPUT 32767u
/* An output capacity that always suffices. */
#define RM_PATH_CANON_CAP (RM_PATH_MAX_INPUT + 1u)

/* One DOS device: e.g. L"\\Device\\HarddiskVolume1" -> 'C' (as QueryDosDevice("C:") returns).
 * device need not be NUL-terminated; its case and '/' vs '\' do not matter, a trailing
 * separator is ignored.  Entries with a NULL/empty device or a drive_letter outside A-Z
 * (either case) are ignored. */
typedef struct rm_device_prefix {
    const rm_wchar *device;
    size_t device_len;
    rm_wchar drive_letter;
} rm_device_prefix;

typedef struct rm_device_map {
    const rm_device_prefix *entries;
    size_t count;
} rm_device_map;

/* Writes the canonical form of in[0..in_len) to out (capacity out_cap units, NUL-terminated)
 * and returns its length, or 0 if the path is not an absolute path that can be
 * canonicalised (see rule 11), in which case out[0] is set to 0 when out_cap > 0.
 * in need not be NUL-terminated; map may be NULL. */
size_t rm_path_canonicalize(const rm_wchar *in, size_t in_len, rm_wchar *out, size_t out_cap,
                            const rm_device_map *map);

/* 32-bit FNV-1a over the units of canonical[0..len), each unit fed low byte first
 * (so the value does not depend on the host's byte order). */
uint32_t rm_path_hash(const rm_wchar *canonical, size_t len);

/* Simple (one unit to one unit) upper-casing of ASCII, Latin-1 Supplement, Latin
 * Extended-A, Greek and Coptic, and Cyrillic (U+0400-U+04FF), as RtlUpcaseUnicodeChar does
 * for those blocks: only mappings that round-trip (lower(upper(c)) == c) are applied, so
 * U+00B5, U+00DF, U+0131, U+017F and U+03C2 are unchanged.  Every other unit is returned
 * unchanged.  rm_char_upcase(rm_char_upcase(c)) == rm_char_upcase(c) for all c. */
rm_wchar rm_char_upcase(rm_wchar c);

/* Offset of the file name part of a canonical path: the index just after its last '\'
 * (len for a drive root such as "C:\", 0 if there is no '\'). */
size_t rm_path_file_name_offset(const rm_wchar *canonical, size_t len);

/* Whether an NT object name lies under the named-pipe or the mailslot device
 * ("\Device\NamedPipe", "\Device\Mailslot", or either followed by '\' and more; the
 * device part in any case). Such objects are never disk files: on Windows their device
 * type says so (FILE_DEVICE_NAMED_PIPE, FILE_DEVICE_MAILSLOT); where that query is not
 * made (Wine), the name says the same. */
int rm_path_names_pipe_or_mailslot(const rm_wchar *name, size_t len);

#endif /* RM_PATH_NORM_H */
