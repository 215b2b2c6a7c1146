#include "module_scan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "nt_system.h"
#include <psapi.h>

#define MAX_MODULES 16384u
#define NAME_BUFFER_BYTES 65536u

/* Offsets in the loader structures, per pointer size. */
typedef struct loader_layout {
    unsigned pointer_size;
    unsigned peb_ldr;          /* PEB.Ldr */
    unsigned ldr_load_order;   /* PEB_LDR_DATA.InLoadOrderModuleList */
    unsigned entry_full_name;  /* LDR_DATA_TABLE_ENTRY.FullDllName */
} loader_layout;

static const loader_layout layout32 = { 4, 0x0C, 0x0C, 0x24 };
static const loader_layout layout64 = { 8, 0x18, 0x10, 0x48 };

typedef NTSTATUS (NTAPI *read_memory64_fn)(HANDLE, ULONG64, PVOID, ULONG64, PULONG64);
typedef NTSTATUS (NTAPI *query_process64_fn)(HANDLE, ULONG, PVOID, ULONG, PULONG);

struct rm_module_reader {
    BYTE *name_buffer;
    BOOL self_is_wow64;
    read_memory64_fn read_memory64;      /* 32-bit callers on 64-bit Windows only */
    query_process64_fn query_process64;
};

/* One remote address space, read either natively or through the WoW64 64-bit calls. */
typedef struct remote {
    const rm_module_reader *reader;
    HANDLE process;
    BOOL wide;                 /* through read_memory64 */
    const loader_layout *layout;
} remote;

static BOOL read_remote(const remote *from, uint64_t address, void *buffer, size_t size)
{
    if (address == 0)
        return FALSE;
    if (from->wide) {
        ULONG64 done = 0;
        return from->reader->read_memory64(from->process, address, buffer, size, &done) ==
                   RM_STATUS_SUCCESS && done == size;
    }
    SIZE_T done = 0;
    if (address != (uint64_t)(ULONG_PTR)address)
        return FALSE;
    return ReadProcessMemory(from->process, (LPCVOID)(ULONG_PTR)address, buffer, size, &done) &&
           done == size;
}

static uint64_t pointer_at(const remote *from, const BYTE *bytes)
{
    if (from->layout->pointer_size == 4) {
        uint32_t value;
        memcpy(&value, bytes, sizeof(value));
        return value;
    }
    uint64_t value;
    memcpy(&value, bytes, sizeof(value));
    return value;
}

static BOOL read_pointer(const remote *from, uint64_t address, uint64_t *value)
{
    BYTE bytes[8];
    if (!read_remote(from, address, bytes, from->layout->pointer_size))
        return FALSE;
    *value = pointer_at(from, bytes);
    return TRUE;
}

/* Walks InLoadOrderModuleList of the PEB at peb. TRUE if the visitor asked to stop. */
static BOOL walk_loader_list(const remote *from, uint64_t peb, rm_module_visitor visitor,
                             void *context)
{
    const loader_layout *layout = from->layout;
    uint64_t ldr, link;
    if (!read_pointer(from, peb + layout->peb_ldr, &ldr) || ldr == 0)
        return FALSE;
    const uint64_t head = ldr + layout->ldr_load_order;
    if (!read_pointer(from, head, &link))
        return FALSE;
    const unsigned entry_bytes = layout->entry_full_name + 2 * layout->pointer_size;
    for (unsigned n = 0; link != head && link != 0 && n < MAX_MODULES; n++) {
        BYTE entry[0x60];
        if (!read_remote(from, link, entry, entry_bytes))
            return FALSE;
        USHORT name_bytes;
        memcpy(&name_bytes, entry + layout->entry_full_name, sizeof(name_bytes));
        uint64_t name_address = pointer_at(from, entry + layout->entry_full_name + layout->pointer_size);
        name_bytes &= (USHORT)~1u;
        if (name_bytes && read_remote(from, name_address, from->reader->name_buffer, name_bytes) &&
            visitor(context, (const WCHAR *)from->reader->name_buffer, name_bytes / sizeof(WCHAR)))
            return TRUE;
        link = pointer_at(from, entry); /* InLoadOrderLinks.Flink */
    }
    return FALSE;
}

DWORD rm_module_reader_create(rm_module_reader **reader)
{
    rm_module_reader *created = calloc(1, sizeof(*created));
    if (!created || !(created->name_buffer = malloc(NAME_BUFFER_BYTES))) {
        free(created);
        return ERROR_OUTOFMEMORY;
    }
#ifndef _WIN64
    BOOL wow64 = FALSE;
    created->self_is_wow64 = IsWow64Process(GetCurrentProcess(), &wow64) && wow64;
    if (created->self_is_wow64) {
        HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
        created->read_memory64 =
            (read_memory64_fn)(void *)GetProcAddress(ntdll, "NtWow64ReadVirtualMemory64");
        created->query_process64 =
            (query_process64_fn)(void *)GetProcAddress(ntdll, "NtWow64QueryInformationProcess64");
    }
#endif
    *reader = created;
    return ERROR_SUCCESS;
}

void rm_module_reader_destroy(rm_module_reader *reader)
{
    if (!reader)
        return;
    free(reader->name_buffer);
    free(reader);
}

static uint64_t native_peb(HANDLE process)
{
    PROCESS_BASIC_INFORMATION basic;
    ULONG returned;
    if (NtQueryInformationProcess(process, (PROCESSINFOCLASS)RM_PROCESS_BASIC_INFORMATION, &basic,
                                  sizeof(basic), &returned) != RM_STATUS_SUCCESS)
        return 0;
    return (uint64_t)(ULONG_PTR)basic.PebBaseAddress;
}

#ifdef _WIN64
/* Wine 8 answers ProcessWow64Information for another process with a flag instead of
 * the 32-bit PEB's address; its own psapi knows where that PEB is. */
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
        if (length && visitor(context, name, length))
            break;
    }
    return ERROR_SUCCESS;
}

static DWORD scan(rm_module_reader *reader, HANDLE process, rm_module_visitor visitor,
                  void *context)
{
    ULONG_PTR peb32 = 0;
    ULONG returned;
    uint64_t peb = native_peb(process);
    if (NtQueryInformationProcess(process, (PROCESSINFOCLASS)RM_PROCESS_WOW64_INFORMATION, &peb32,
                                  sizeof(peb32), &returned) != RM_STATUS_SUCCESS)
        peb32 = 0;
    if (peb32 && peb32 < 0x10000)
        return scan_with_psapi(reader, process, visitor, context);
    /* A WoW64 process: its 32-bit list holds the program's own modules. */
    if (peb32) {
        remote from32 = { reader, process, FALSE, &layout32 };
        if (walk_loader_list(&from32, peb32, visitor, context))
            return ERROR_SUCCESS;
    }
    remote from = { reader, process, FALSE, &layout64 };
    if (peb && peb != peb32)
        walk_loader_list(&from, peb, visitor, context);
    return peb || peb32 ? ERROR_SUCCESS : ERROR_PARTIAL_COPY;
}
#else
/* PROCESS_BASIC_INFORMATION with 64-bit fields, as NtWow64QueryInformationProcess64 fills it. */
typedef struct basic_information64 {
    LONG64 exit_status;
    ULONG64 peb;
    ULONG64 affinity;
    LONG64 base_priority;
    ULONG64 pid;
    ULONG64 parent_pid;
} basic_information64;

static DWORD scan(rm_module_reader *reader, HANDLE process, rm_module_visitor visitor,
                  void *context)
{
    BOOL target_wow64 = FALSE;
    if (reader->self_is_wow64 && IsWow64Process(process, &target_wow64) && !target_wow64) {
        /* A 64-bit process seen from WoW64. */
        basic_information64 basic;
        ULONG returned;
        if (!reader->query_process64 || !reader->read_memory64)
            return ERROR_NOT_SUPPORTED;
        if (reader->query_process64(process, RM_PROCESS_BASIC_INFORMATION, &basic, sizeof(basic),
                                    &returned) != RM_STATUS_SUCCESS)
            return ERROR_PARTIAL_COPY;
        remote from = { reader, process, TRUE, &layout64 };
        walk_loader_list(&from, basic.peb, visitor, context);
        return ERROR_SUCCESS;
    }
    remote from = { reader, process, FALSE, &layout32 };
    uint64_t peb = native_peb(process);
    if (!peb)
        return ERROR_PARTIAL_COPY;
    walk_loader_list(&from, peb, visitor, context);
    return ERROR_SUCCESS;
}
#endif

DWORD rm_module_scan(rm_module_reader *reader, HANDLE process, rm_module_visitor visitor,
                     void *context)
{
    return scan(reader, process, visitor, context);
}
