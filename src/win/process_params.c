#include "process_params.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "nt_system.h"

/* Offsets of what we read, per pointer size: PEB.ProcessParameters, then
 * RTL_USER_PROCESS_PARAMETERS.CurrentDirectory.DosPath and .CommandLine (UNICODE_STRINGs:
 * a USHORT byte length, its buffer pointer one pointer further). */
typedef struct params_layout {
    unsigned pointer_size;
    unsigned peb_parameters;
    unsigned current_directory;
    unsigned command_line;
} params_layout;

static const params_layout layout32 = { 4, 0x10, 0x24, 0x40 };
static const params_layout layout64 = { 8, 0x20, 0x38, 0x70 };

typedef NTSTATUS (NTAPI *read_memory64_fn)(HANDLE, ULONG64, PVOID, ULONG64, PULONG64);
typedef NTSTATUS (NTAPI *query_process64_fn)(HANDLE, ULONG, PVOID, ULONG, PULONG);

/* One address space, read natively or (32-bit caller, 64-bit target) through read64. */
typedef struct remote {
    HANDLE process;
    read_memory64_fn read64;
    const params_layout *layout;
} remote;

static BOOL read_remote(const remote *from, uint64_t address, void *buffer, size_t size)
{
    if (address == 0)
        return FALSE;
    if (from->read64) {
        ULONG64 done = 0;
        return from->read64(from->process, address, buffer, size, &done) == RM_STATUS_SUCCESS &&
               done == size;
    }
    SIZE_T done = 0;
    if (address != (uint64_t)(ULONG_PTR)address)
        return FALSE;
    return ReadProcessMemory(from->process, (LPCVOID)(ULONG_PTR)address, buffer, size, &done) &&
           done == size;
}

static BOOL read_pointer(const remote *from, uint64_t address, uint64_t *value)
{
    if (from->layout->pointer_size == 4) {
        uint32_t value32;
        if (!read_remote(from, address, &value32, sizeof(value32)))
            return FALSE;
        *value = value32;
        return TRUE;
    }
    return read_remote(from, address, value, sizeof(*value));
}

/* The UNICODE_STRING at address, copied and NUL-terminated; NULL if unreadable or empty. */
static WCHAR *read_unicode_string(const remote *from, uint64_t address)
{
    USHORT bytes;
    uint64_t buffer;
    if (!read_remote(from, address, &bytes, sizeof(bytes)) ||
        !read_pointer(from, address + from->layout->pointer_size, &buffer))
        return NULL;
    bytes &= (USHORT)~1u;
    if (bytes == 0)
        return NULL;
    WCHAR *text = malloc(bytes + sizeof(WCHAR));
    if (!text)
        return NULL;
    if (!read_remote(from, buffer, text, bytes)) {
        free(text);
        return NULL;
    }
    text[bytes / sizeof(WCHAR)] = 0;
    if (text[0] == 0) {
        free(text);
        return NULL;
    }
    return text;
}

static BOOL read_from_peb(const remote *from, uint64_t peb, rm_process_params *out)
{
    uint64_t parameters;
    if (!read_pointer(from, peb + from->layout->peb_parameters, &parameters) || parameters == 0)
        return FALSE;
    out->command_line = read_unicode_string(from, parameters + from->layout->command_line);
    if (!out->command_line)
        return FALSE;
    out->directory = read_unicode_string(from, parameters + from->layout->current_directory);
    return TRUE;
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
static DWORD read_params(HANDLE process, rm_process_params *out)
{
    ULONG_PTR peb32 = 0;
    ULONG returned;
    if (NtQueryInformationProcess(process, (PROCESSINFOCLASS)RM_PROCESS_WOW64_INFORMATION, &peb32,
                                  sizeof(peb32), &returned) != RM_STATUS_SUCCESS)
        peb32 = 0;
    /* A WoW64 process: its 32-bit parameters are the ones it was started with. Wine 8
     * answers with a flag rather than an address; its 64-bit PEB is tried then. */
    if (peb32 >= 0x10000) {
        remote from32 = { process, NULL, &layout32 };
        if (read_from_peb(&from32, peb32, out))
            return ERROR_SUCCESS;
    }
    remote from = { process, NULL, &layout64 };
    return read_from_peb(&from, native_peb(process), out) ? ERROR_SUCCESS : ERROR_PARTIAL_COPY;
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

static DWORD read_64bit_target(HANDLE process, rm_process_params *out)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    read_memory64_fn read64 =
        (read_memory64_fn)(void *)GetProcAddress(ntdll, "NtWow64ReadVirtualMemory64");
    query_process64_fn query64 =
        (query_process64_fn)(void *)GetProcAddress(ntdll, "NtWow64QueryInformationProcess64");
    basic_information64 basic;
    ULONG returned;
    if (!read64 || !query64)
        return ERROR_NOT_SUPPORTED;
    if (query64(process, RM_PROCESS_BASIC_INFORMATION, &basic, sizeof(basic), &returned) !=
        RM_STATUS_SUCCESS)
        return ERROR_PARTIAL_COPY;
    remote from = { process, read64, &layout64 };
    return read_from_peb(&from, basic.peb, out) ? ERROR_SUCCESS : ERROR_PARTIAL_COPY;
}

static DWORD read_params(HANDLE process, rm_process_params *out)
{
    BOOL self_wow64 = FALSE, target_wow64 = FALSE;
    if (IsWow64Process(GetCurrentProcess(), &self_wow64) && self_wow64 &&
        IsWow64Process(process, &target_wow64) && !target_wow64)
        return read_64bit_target(process, out);
    remote from = { process, NULL, &layout32 };
    return read_from_peb(&from, native_peb(process), out) ? ERROR_SUCCESS : ERROR_PARTIAL_COPY;
}
#endif

DWORD rm_process_params_read(HANDLE process, rm_process_params *out)
{
    memset(out, 0, sizeof(*out));
    DWORD error = read_params(process, out);
    if (error != ERROR_SUCCESS)
        rm_process_params_free(out);
    return error;
}

void rm_process_params_free(rm_process_params *params)
{
    free(params->command_line);
    free(params->directory);
    memset(params, 0, sizeof(*params));
}
