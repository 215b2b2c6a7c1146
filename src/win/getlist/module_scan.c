// SPDX-License-Identifier: LGPL-2.1-or-later
#include "getlist/module_scan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <psapi.h>

#include "process/remote_memory.h"

#define MAX_MODULES 16384u
#define NAME_BUFFER_BYTES 65536u

/* Offsets in the loader structures, per target pointer size. */
typedef struct loader_layout {
    unsigned peb_ldr;          /* PEB.Ldr */
    unsigned ldr_load_order;   /* PEB_LDR_DATA.InLoadOrderModuleList */
    unsigned entry_full_name;  /* LDR_DATA_TABLE_ENTRY.FullDllName */
    unsigned entry_base_name;  /* LDR_DATA_TABLE_ENTRY.BaseDllName, right after it */
} loader_layout;

static const loader_layout layout32 = { 0x0C, 0x0C, 0x24, 0x2C };
static const loader_layout layout64 = { 0x18, 0x10, 0x48, 0x58 };

struct rm_module_reader {
    BYTE *name_buffer;
    rm_remote_window window;         /* loader entries and names sit close together */
    const rm_name_lengths *lengths;  /* NULL: read every name */
#ifndef _WIN64
    BOOL self_is_wow64;
    rm_wow64_calls wow64_calls;  /* 32-bit callers on 64-bit Windows only */
    rm_peb64_known *pebs;        /* what the call knows of 64-bit PEBs, where used */
    size_t peb_count;
#endif
};

/* Walks InLoadOrderModuleList of the PEB at peb, each name read into name_buffer.
 * TRUE if the visitor asked to stop. */
static BOOL walk_loader_list(rm_module_reader *reader, const rm_remote *from,
                             uint64_t peb, rm_name_view view, rm_module_visitor visitor,
                             void *context)
{
    BYTE *name_buffer = reader->name_buffer;
    rm_remote_window *window = &reader->window;
    const loader_layout *layout = from->pointer_size == 4 ? &layout32 : &layout64;
    uint64_t ldr, link;
    if (!rm_remote_read_pointer_near(from, window, peb + layout->peb_ldr, &ldr) || ldr == 0)
        return FALSE;
    const uint64_t head = ldr + layout->ldr_load_order;
    if (!rm_remote_read_pointer_near(from, window, head, &link))
        return FALSE;
    const unsigned entry_bytes = layout->entry_base_name + 2 * from->pointer_size;
    for (unsigned n = 0; link != head && link != 0 && n < MAX_MODULES; n++) {
        BYTE entry[0x68];
        if (!rm_remote_read_near(from, window, link, entry, entry_bytes))
            return FALSE;
        USHORT name_bytes, base_bytes;
        memcpy(&name_bytes, entry + layout->entry_full_name, sizeof(name_bytes));
        memcpy(&base_bytes, entry + layout->entry_base_name, sizeof(base_bytes));
        if (reader->lengths && base_bytes &&
            !rm_name_lengths_may_match(reader->lengths, base_bytes / sizeof(WCHAR))) {
            link = rm_remote_pointer_at(from, entry); /* cannot be a registered file */
            continue;
        }
        uint64_t name_address =
            rm_remote_pointer_at(from, entry + layout->entry_full_name + from->pointer_size);
        name_bytes &= (USHORT)~1u;
        if (name_bytes && rm_remote_read_near(from, window, name_address, name_buffer, name_bytes) &&
            visitor(context, (const WCHAR *)name_buffer, name_bytes / sizeof(WCHAR), view))
            return TRUE;
        link = rm_remote_pointer_at(from, entry); /* InLoadOrderLinks.Flink */
    }
    return FALSE;
}

DWORD rm_module_reader_create(rm_module_reader **reader)
{
    rm_module_reader *created = calloc(1, sizeof(*created));
    if (!created || !(created->name_buffer = malloc(NAME_BUFFER_BYTES)) ||
        !(created->window.bytes = malloc(RM_REMOTE_WINDOW_BYTES))) {
        if (created)
            free(created->name_buffer);
        free(created);
        return ERROR_OUTOFMEMORY;
    }
#ifndef _WIN64
    created->self_is_wow64 = rm_remote_self_is_wow64();
    if (created->self_is_wow64)
        rm_wow64_calls_load(&created->wow64_calls);
#endif
    *reader = created;
    return ERROR_SUCCESS;
}

void rm_module_reader_only_lengths(rm_module_reader *reader, const rm_name_lengths *lengths)
{
    reader->lengths = lengths;
}

void rm_module_reader_use_pebs(rm_module_reader *reader, rm_peb64_known *queries,
                               size_t count)
{
#ifdef _WIN64
    (void)reader;
    (void)queries;
    (void)count;
#else
    reader->pebs = queries;
    reader->peb_count = count;
#endif
}

void rm_module_reader_destroy(rm_module_reader *reader)
{
    if (!reader)
        return;
    free(reader->name_buffer);
    free(reader->window.bytes);
    free(reader);
}

#ifdef _WIN64
/* Where even the page after the native PEB holds no 32-bit PEB: the system's psapi knows
 * where it is. It lists the 32-bit
 * modules, named as the process sees them (whatever the LIST_MODULES_* filter), so a
 * DLL loaded as "System32\x.dll" is reported so although it is SysWOW64's. */
static DWORD scan_with_psapi(rm_module_reader *reader, HANDLE process, rm_module_visitor visitor,
                             void *context)
{
    HMODULE modules[1024];
    DWORD needed = 0;
    WCHAR *name = (WCHAR *)reader->name_buffer;
    if (!EnumProcessModulesEx(process, modules, sizeof(modules), &needed, LIST_MODULES_ALL))
        return GetLastError();
    DWORD count = needed / sizeof(HMODULE);
    if (count > sizeof(modules) / sizeof(modules[0]))
        count = sizeof(modules) / sizeof(modules[0]);
    for (DWORD i = 0; i < count; i++) {
        DWORD length = GetModuleFileNameExW(process, modules[i], name,
                                            NAME_BUFFER_BYTES / sizeof(WCHAR));
        if (length && visitor(context, name, length, RM_NAME_WOW64))
            break;
    }
    return ERROR_SUCCESS;
}

static DWORD scan(rm_module_reader *reader, HANDLE process, rm_module_visitor visitor,
                  void *context)
{
    uint64_t peb = rm_remote_native_peb(process);
    ULONG_PTR answer = rm_remote_wow64_answer(process);
    /* A WoW64 process's two PEBs sit in one window: read once for both. */
    uint64_t peb32 = answer ? rm_remote_wow64_peb_given(process, answer, peb, &reader->window) : 0;
    if (answer && !peb32)
        return scan_with_psapi(reader, process, visitor, context);
    /* A WoW64 process: its 32-bit list holds the program's own modules. */
    if (peb32) {
        rm_remote from32 = { process, NULL, 4 };
        if (walk_loader_list(reader, &from32, peb32, RM_NAME_WOW64, visitor, context))
            return ERROR_SUCCESS;
    }
    rm_remote from = { process, NULL, 8 };
    if (peb && peb != peb32)
        walk_loader_list(reader, &from, peb, RM_NAME_REAL, visitor, context);
    return peb || peb32 ? ERROR_SUCCESS : ERROR_PARTIAL_COPY;
}
#else
/* Where a 64-bit process's PEB is: from what the call knows (an answer of the 64-bit
 * half, or a TEB of the process, read once and remembered), else from the system. */
static DWORD peb64_of(const rm_module_reader *reader, HANDLE process, uint64_t *peb)
{
    if (!reader->pebs) /* a reader of its own (benchmarks): each process located alone */
        return rm_remote_peb64(&reader->wow64_calls, process, peb);
    const DWORD pid = GetProcessId(process);
    for (size_t i = 0; i < reader->peb_count; i++) {
        rm_peb64_known *known = &reader->pebs[i];
        if (known->pid != pid)
            continue;
        if (!known->peb && known->teb &&
            rm_remote_peb64_at_teb(&reader->wow64_calls, process, known->teb, pid,
                                   known->teb_thread, &known->peb) != ERROR_SUCCESS)
            known->teb = 0; /* not that process's, or gone: not read again */
        *peb = known->peb;
        return known->peb ? ERROR_SUCCESS : ERROR_NOT_SUPPORTED;
    }
    return ERROR_NOT_SUPPORTED;
}

static DWORD scan(rm_module_reader *reader, HANDLE process, rm_module_visitor visitor,
                  void *context)
{
    if (rm_remote_is_64bit_seen_from_wow64(reader->self_is_wow64, process)) {
        uint64_t peb64;
        DWORD error = peb64_of(reader, process, &peb64);
        if (error != ERROR_SUCCESS)
            return error;
        rm_remote from = { process, reader->wow64_calls.read_memory64, 8 };
        walk_loader_list(reader, &from, peb64, RM_NAME_REAL, visitor, context);
        return ERROR_SUCCESS;
    }
    rm_remote from = { process, NULL, 4 };
    uint64_t peb = rm_remote_native_peb(process);
    if (!peb)
        return ERROR_PARTIAL_COPY;
    /* Under WoW64 a 32-bit loader list names files as the process sees them. */
    walk_loader_list(reader, &from, peb,
                     reader->self_is_wow64 ? RM_NAME_WOW64 : RM_NAME_REAL, visitor, context);
    return ERROR_SUCCESS;
}
#endif

DWORD rm_module_scan(rm_module_reader *reader, HANDLE process, rm_module_visitor visitor,
                     void *context)
{
    rm_remote_window_reset(&reader->window); /* a handle value may name another process now */
    return scan(reader, process, visitor, context);
}
