// SPDX-License-Identifier: LGPL-2.1-or-later
#include "session/registration.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "path_norm.h"
#include "wow64_path.h"
#include "process/wow64_view.h"
#include "session/directory_probe.h"

#define PATH_CCH 32768
/* Service short names have at most 256 characters. */
#define SERVICE_NAME_CCH 257

/* Only paths that may hold 8.3 names pay for the file system lookup. */
static BOOL may_have_short_name(const WCHAR *path, size_t length)
{
    for (size_t i = 0; i < length; i++)
        if (path[i] == L'~')
            return TRUE;
    return FALSE;
}

/* Whether canonicalising may lengthen the path (long names, relative paths); otherwise
 * the canonical form is never longer than the caller's text. */
static BOOL may_grow(const WCHAR *path, size_t length)
{
    BOOL drive_absolute = length >= 3 && iswalpha(path[0]) && path[1] == L':' &&
                          (path[2] == L'\\' || path[2] == L'/');
    return may_have_short_name(path, length) || !(drive_absolute || (length && path[0] == L'\\'));
}

/* Length of a caller's string, reading at most `limit` units; `limit` when it has no
 * terminator within them (such a string names nothing and is not read further). */
static size_t bounded_length(const WCHAR *text, size_t limit)
{
    return wcsnlen(text, limit);
}

/* Long names for 8.3 components, through the file system: the real path is looked up
 * without WoW64's redirection. out keeps its text when the file cannot be found. */
static size_t expand_short_names(WCHAR *out, size_t length, size_t out_cch, WCHAR *scratch)
{
    rm_native_fs_scope native;
    rm_native_fs_enter(&native);
    DWORD long_length = GetLongPathNameW(out, scratch, PATH_CCH);
    rm_native_fs_leave(&native);
    if (long_length == 0 || long_length >= PATH_CCH)
        return length;
    size_t expanded = rm_path_canonicalize((const rm_wchar *)scratch, long_length, (rm_wchar *)out,
                                           out_cch, NULL);
    return expanded;
}

/* The caller's path made canonical, then (WoW64 caller) the real file it names with its
 * thread's redirection as it is now, then 8.3 components expanded. */
static size_t canonical_caller_path(const rm_wow64_view *view, BOOL redirected, const WCHAR *path,
                                    WCHAR *out, size_t out_cch, BOOL *no_memory)
{
    *no_memory = FALSE;
    size_t path_length = bounded_length(path, PATH_CCH);
    if (path_length == 0 || path_length >= PATH_CCH)
        return 0; /* empty, or longer than any path: no file has this name */
    /* The common case, an absolute path without 8.3 names outside WoW64, needs no
     * scratch buffer. */
    WCHAR *scratch = NULL;
    size_t length = rm_path_canonicalize((const rm_wchar *)path, path_length, (rm_wchar *)out,
                                         out_cch, NULL);
    BOOL short_names = may_have_short_name(path, path_length);
    if (length == 0 || view->caller_is_wow64 || short_names) {
        scratch = malloc(PATH_CCH * sizeof(WCHAR));
        if (!scratch) {
            *no_memory = TRUE; /* not "no such name": the call must fail, not skip it */
            return 0;
        }
    }
    if (length == 0) {
        /* Relative: resolve against the current directory, as the Win32 file APIs would. */
        DWORD full = GetFullPathNameW(path, PATH_CCH, scratch, NULL);
        if (full && full < PATH_CCH)
            length = rm_path_canonicalize((const rm_wchar *)scratch, full, (rm_wchar *)out,
                                          out_cch, NULL);
        short_names = length && may_have_short_name(out, length);
    }
    if (length && view->caller_is_wow64)
        length = rm_wow64_view_to_real(view, out, length, out_cch, redirected, scratch);
    if (length && short_names)
        length = expand_short_names(out, length, out_cch, scratch);
    free(scratch);
    return length;
}

size_t rm_canonical_caller_path(const WCHAR *path, WCHAR *out, size_t out_cch, BOOL *no_memory)
{
    rm_wow64_view view;
    rm_wow64_view_init(&view);
    return canonical_caller_path(&view, rm_wow64_thread_redirected(&view), path, out, out_cch,
                                 no_memory);
}

size_t rm_canonical_real_path(const WCHAR *path, WCHAR *out, size_t out_cch, BOOL *no_memory)
{
    rm_wow64_view native;
    memset(&native, 0, sizeof(native)); /* no WoW64 rewriting: the name is the real file's */
    return canonical_caller_path(&native, FALSE, path, out, out_cch, no_memory);
}

/* Payload bytes the caller's strings can take at most, so one allocation suffices. */
static BOOL arena_bound(const rm_registration *registration, size_t *bytes)
{
    size_t total = registration->process_count * sizeof(rm_process_record);
    for (UINT i = 0; i < registration->file_count; i++) {
        /* Canonical paths never exceed the raw length + a long-name expansion bound. */
        size_t length = bounded_length(registration->files[i], PATH_CCH);
        if (length >= PATH_CCH)
            continue; /* skipped when prepared */
        total += (may_grow(registration->files[i], length) ? PATH_CCH
                                                           : length + 1 + RM_WOW64_PATH_GROWTH) *
                 sizeof(WCHAR);
        if (total > (size_t)1 << 31)
            return FALSE;
    }
    for (UINT i = 0; i < registration->service_count; i++)
        total += (bounded_length(registration->services[i], SERVICE_NAME_CCH) + 1) * sizeof(WCHAR);
    *bytes = total;
    return TRUE;
}

static void add_record(rm_prepared_resources *prepared, rm_record_kind kind, const void *payload,
                       uint32_t size)
{
    rm_prepared_record *record = &prepared->records[prepared->record_count++];
    record->kind = kind;
    record->payload = payload;
    record->size = size;
    prepared->store_bytes += rm_store_record_bytes(size);
}

DWORD rm_registration_prepare(const rm_registration *registration, rm_prepared_resources *prepared)
{
    size_t arena_bytes, used = 0;
    size_t count = (size_t)registration->file_count + registration->process_count +
                   registration->service_count;

    ZeroMemory(prepared, sizeof(*prepared));
    if (count == 0)
        return ERROR_SUCCESS;
    if (!arena_bound(registration, &arena_bytes))
        return ERROR_OUTOFMEMORY;
    prepared->records = malloc(count * sizeof(*prepared->records));
    prepared->arena = malloc(arena_bytes ? arena_bytes : 1);
    rm_directory_probe *directories = rm_directory_probe_create();
    if (!prepared->records || !prepared->arena || !directories) {
        rm_directory_probe_free(directories);
        rm_registration_prepared_free(prepared);
        return ERROR_OUTOFMEMORY;
    }
    rm_wow64_view view;
    rm_wow64_view_init(&view);
    const BOOL redirected = rm_wow64_thread_redirected(&view);
    for (UINT i = 0; i < registration->file_count; i++) {
        WCHAR *out = (WCHAR *)(prepared->arena + used);
        size_t room = (arena_bytes - used) / sizeof(WCHAR);
        BOOL no_memory;
        size_t length = canonical_caller_path(&view, redirected, registration->files[i], out,
                                              room < PATH_CCH ? room : PATH_CCH, &no_memory);
        if (length == 0 && !no_memory)
            continue; /* no file can have this name: it would match nothing */
        BOOL directory = !no_memory &&
                         rm_directory_probe_is_directory(directories, out, length, &no_memory);
        if (no_memory) {
            rm_directory_probe_free(directories);
            rm_registration_prepared_free(prepared);
            return ERROR_OUTOFMEMORY; /* all or nothing (B-REG-3) */
        }
        add_record(prepared, directory ? RM_RECORD_DIRECTORY : RM_RECORD_FILE, out,
                   (uint32_t)(length * sizeof(WCHAR)));
        used += (length + 1) * sizeof(WCHAR);
    }
    rm_directory_probe_free(directories);
    for (UINT i = 0; i < registration->process_count; i++) {
        rm_process_record *process = (rm_process_record *)(prepared->arena + used);
        process->pid = registration->processes[i].dwProcessId;
        process->start_low = registration->processes[i].ProcessStartTime.dwLowDateTime;
        process->start_high = registration->processes[i].ProcessStartTime.dwHighDateTime;
        add_record(prepared, RM_RECORD_PROCESS, process, sizeof(*process));
        used += sizeof(*process);
    }
    for (UINT i = 0; i < registration->service_count; i++) {
        WCHAR *out = (WCHAR *)(prepared->arena + used);
        size_t length = bounded_length(registration->services[i], SERVICE_NAME_CCH);
        if (length == 0 || length >= SERVICE_NAME_CCH)
            continue; /* no service has such a name */
        for (size_t c = 0; c < length; c++)
            out[c] = rm_char_upcase(registration->services[i][c]);
        add_record(prepared, RM_RECORD_SERVICE, out, (uint32_t)(length * sizeof(WCHAR)));
        used += (length + 1) * sizeof(WCHAR);
    }
    return ERROR_SUCCESS;
}

void rm_registration_prepared_free(rm_prepared_resources *prepared)
{
    free(prepared->records);
    free(prepared->arena);
    ZeroMemory(prepared, sizeof(*prepared));
}
