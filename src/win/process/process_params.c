// SPDX-License-Identifier: LGPL-2.1-or-later
#include "process/process_params.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/filetime.h"
#include "process/remote_memory.h"

/* Offsets of what we read, per target pointer size: PEB.ProcessParameters, then
 * RTL_USER_PROCESS_PARAMETERS.CurrentDirectory.DosPath and .CommandLine (UNICODE_STRINGs:
 * a USHORT byte length, its buffer pointer one pointer further). */
typedef struct params_layout {
    unsigned peb_parameters;
    unsigned current_directory;
    unsigned command_line;
} params_layout;

static const params_layout layout32 = { 0x10, 0x24, 0x40 };
static const params_layout layout64 = { 0x20, 0x38, 0x70 };

/* The UNICODE_STRING at address, copied and NUL-terminated; NULL if unreadable or empty. */
static WCHAR *read_unicode_string(const rm_remote *from, rm_remote_window *window,
                                  uint64_t address, BOOL *no_memory)
{
    BYTE header[16]; /* USHORT Length, USHORT MaximumLength, then the buffer pointer */
    USHORT bytes;
    if (!rm_remote_read_near(from, window, address, header, 2 * from->pointer_size))
        return NULL;
    memcpy(&bytes, header, sizeof(bytes));
    const uint64_t buffer = rm_remote_pointer_at(from, header + from->pointer_size);
    bytes &= (USHORT)~1u;
    if (bytes == 0)
        return NULL;
    WCHAR *text = malloc(bytes + sizeof(WCHAR));
    if (!text) {
        *no_memory = TRUE;
        return NULL;
    }
    if (!rm_remote_read_near(from, window, buffer, text, bytes)) {
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

/* The parameters block and its strings are usually one allocation: read through a
 * window (remote_memory.h), they cost one or two reads instead of six. */
static BOOL read_from_peb(const rm_remote *from, uint64_t peb, rm_process_params *out)
{
    const params_layout *layout = from->pointer_size == 4 ? &layout32 : &layout64;
    uint64_t parameters;
    if (!rm_remote_read_pointer(from, peb + layout->peb_parameters, &parameters) ||
        parameters == 0)
        return FALSE;
    rm_remote_window window = { .bytes = malloc(RM_REMOTE_WINDOW_BYTES) }; /* NULL: exact reads */
    out->command_line = read_unicode_string(from, &window, parameters + layout->command_line,
                                            &out->no_memory);
    if (out->command_line)
        out->directory = read_unicode_string(from, &window,
                                             parameters + layout->current_directory,
                                             &out->no_memory);
    free(window.bytes);
    return out->command_line != NULL;
}

#ifdef _WIN64
static DWORD read_params(HANDLE process, const rm_wow64_pebs *pebs, rm_process_params *out)
{
    (void)pebs; /* a 64-bit caller locates every PEB itself */
    uint64_t peb32 = rm_remote_wow64_peb(process);
    /* A WoW64 process: its 32-bit parameters are the ones it was started with; where its
     * 32-bit PEB cannot be found, its 64-bit one is tried. */
    if (peb32) {
        rm_remote from32 = { process, NULL, 4 };
        if (read_from_peb(&from32, peb32, out))
            return ERROR_SUCCESS;
    }
    rm_remote from = { process, NULL, 8 };
    return read_from_peb(&from, rm_remote_native_peb(process), out) ? ERROR_SUCCESS
                                                                    : ERROR_PARTIAL_COPY;
}
#else
/* The PEB the call already knows for this process (an answer, or through the TEB it
 * knows), 0 if none. */
static uint64_t known_peb64(const rm_wow64_calls *calls, HANDLE process, const rm_wow64_pebs *pebs)
{
    uint64_t created, peb = 0;
    const DWORD pid = GetProcessId(process);
    const rm_peb64_known *known =
        pebs && rm_process_created(process, &created) ? rm_wow64_pebs_entry(pebs, pid, created) : NULL;
    if (known && !known->peb && known->teb)
        rm_remote_peb64_at_teb(calls, process, known->teb, pid, known->teb_thread, &peb);
    return known && known->peb ? known->peb : peb;
}

static DWORD read_64bit_target(HANDLE process, const rm_wow64_pebs *pebs, rm_process_params *out)
{
    rm_wow64_calls calls;
    rm_wow64_calls_load(&calls);
    uint64_t peb64 = calls.read_memory64 ? known_peb64(&calls, process, pebs) : 0;
    DWORD error = peb64 ? ERROR_SUCCESS : rm_remote_peb64(&calls, process, &peb64);
    if (error != ERROR_SUCCESS)
        return error;
    rm_remote from = { process, calls.read_memory64, 8 };
    return read_from_peb(&from, peb64, out) ? ERROR_SUCCESS : ERROR_PARTIAL_COPY;
}

static DWORD read_params(HANDLE process, const rm_wow64_pebs *pebs, rm_process_params *out)
{
    if (rm_remote_is_64bit_seen_from_wow64(rm_remote_self_is_wow64(), process))
        return read_64bit_target(process, pebs, out);
    rm_remote from = { process, NULL, 4 };
    return read_from_peb(&from, rm_remote_native_peb(process), out) ? ERROR_SUCCESS
                                                                    : ERROR_PARTIAL_COPY;
}
#endif

DWORD rm_process_params_read(HANDLE process, const rm_wow64_pebs *pebs, rm_process_params *out)
{
    memset(out, 0, sizeof(*out));
    DWORD error = read_params(process, pebs, out);
    if (out->no_memory)
        error = ERROR_OUTOFMEMORY; /* not "unreadable": the answer would be incomplete */
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
