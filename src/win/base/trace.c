/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See trace.h. Wine's debug-output interface (include/wine/debug.h, dlls/ntdll):
 * a channel is { flags, name[15] }, flags 0xff until ntdll's
 * __wine_dbg_get_channel_flags has looked the name up in WINEDEBUG; __wine_dbg_header
 * returns -1 for a class that is off, else starts the thread's line with Wine's prefix,
 * which __wine_dbg_output completes up to its newline. */
#define __USE_MINGW_ANSI_STDIO 1 /* C99 vsnprintf: %zu and %llu on every msvcrt */
#include "base/trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ENV_TRACE_FILE L"RSTRTMGR_TRACE"
#define ENV_TRACE_WINE L"RSTRTMGR_TRACE_WINE"
#define ALL_CLASSES ((1u << RM_TRACE_CLASS_FIXME) | (1u << RM_TRACE_CLASS_ERR) | \
                     (1u << RM_TRACE_CLASS_WARN) | (1u << RM_TRACE_CLASS_TRACE))
#define TEXT_SLOTS 16

struct wine_debug_channel {
    unsigned char flags;
    char name[15];
};

typedef unsigned char(__cdecl *wine_get_channel_flags_fn)(struct wine_debug_channel *);
typedef int(__cdecl *wine_header_fn)(int cls, struct wine_debug_channel *, const char *);
typedef int(__cdecl *wine_output_fn)(const char *);

volatile unsigned char rm_trace_classes = 0xff;

static struct wine_debug_channel wine_channel = { 0xff, "rstrtmgr" };
static wine_header_fn wine_header;
static wine_output_fn wine_output;
static HANDLE trace_file = INVALID_HANDLE_VALUE;
static SRWLOCK trace_file_lock = SRWLOCK_INIT; /* this process's writers */
static INIT_ONCE read_once = INIT_ONCE_STATIC_INIT;
static LARGE_INTEGER clock_frequency;

static char text_slots[TEXT_SLOTS][RM_TRACE_TEXT_MAX];
static volatile LONG next_text_slot;

static unsigned char wine_classes(void)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    wine_get_channel_flags_fn get_flags;
    WCHAR use_wine[4];
    /* RSTRTMGR_TRACE_WINE=off: behave as on Windows (tests of that path under Wine). */
    DWORD length = GetEnvironmentVariableW(ENV_TRACE_WINE, use_wine, ARRAYSIZE(use_wine));
    if (!ntdll || (length == 3 && !lstrcmpiW(use_wine, L"off")))
        return 0;
    get_flags = (wine_get_channel_flags_fn)(void *)GetProcAddress(ntdll, "__wine_dbg_get_channel_flags");
    wine_header = (wine_header_fn)(void *)GetProcAddress(ntdll, "__wine_dbg_header");
    wine_output = (wine_output_fn)(void *)GetProcAddress(ntdll, "__wine_dbg_output");
    if (!get_flags || !wine_header || !wine_output) {
        wine_header = NULL;
        wine_output = NULL;
        return 0;
    }
    return get_flags(&wine_channel) & ALL_CLASSES;
}

static unsigned char open_trace_file(void)
{
    WCHAR path[MAX_PATH * 4];
    DWORD length = GetEnvironmentVariableW(ENV_TRACE_FILE, path, ARRAYSIZE(path));
    if (length == 0 || length >= ARRAYSIZE(path))
        return 0;
    trace_file = CreateFileW(path, GENERIC_WRITE,
                             FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                             OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    /* Asked for, even if the file cannot be opened: OutputDebugString still gets it. */
    return ALL_CLASSES;
}

static BOOL CALLBACK read_configuration(INIT_ONCE *once, void *parameter, void **context)
{
    (void)once;
    (void)parameter;
    (void)context;
    unsigned char classes = wine_classes() | open_trace_file();
    QueryPerformanceFrequency(&clock_frequency);
    rm_trace_classes = classes; /* clears RM_TRACE_UNREAD_ */
    return TRUE;
}

BOOL rm_trace_enabled_after_read(rm_trace_class cls)
{
    DWORD saved_error = GetLastError();
    InitOnceExecuteOnce(&read_once, read_configuration, NULL, NULL);
    SetLastError(saved_error);
    return (rm_trace_classes & (1u << cls)) != 0;
}

static char *take_text_slot(void)
{
    LONG slot = InterlockedIncrement(&next_text_slot);
    return text_slots[(ULONG)slot % TEXT_SLOTS];
}

/* vsnprintf that always terminates; returns the length kept, *cut if it cut. */
static size_t format_bounded(char *out, size_t size, BOOL *cut, const char *format,
                             va_list args)
{
    int written = vsnprintf(out, size, format, args);
    out[size - 1] = '\0';
    *cut = written < 0 || (size_t)written >= size;
    return written < 0 ? strlen(out) : *cut ? size - 1 : (size_t)written;
}

const char *rm_trace_sprintf(const char *format, ...)
{
    char *out = take_text_slot();
    BOOL cut;
    va_list args;
    va_start(args, format);
    format_bounded(out, RM_TRACE_TEXT_MAX, &cut, format, args);
    va_end(args);
    return out;
}

const char *rm_trace_wstr(const WCHAR *text, size_t max_units)
{
    static const char hex[] = "0123456789abcdef";
    /* Room left for the widest escape (\xxxx), the closing quote, "..." and the NUL. */
    const size_t limit = RM_TRACE_TEXT_MAX - 10;
    char *out, *at;
    size_t i;

    if (!text)
        return "(null)";
    out = take_text_slot();
    at = out;
    *at++ = 'L';
    *at++ = '"';
    for (i = 0; i < max_units && text[i] && (size_t)(at - out) < limit; i++) {
        WCHAR c = text[i];
        if (c == '\\' || c == '"') {
            *at++ = '\\';
            *at++ = (char)c;
        } else if (c == '\n' || c == '\r' || c == '\t') {
            *at++ = '\\';
            *at++ = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
        } else if (c < 0x20 || c >= 0x7f) {
            *at++ = '\\';
            *at++ = hex[(c >> 12) & 0xf];
            *at++ = hex[(c >> 8) & 0xf];
            *at++ = hex[(c >> 4) & 0xf];
            *at++ = hex[c & 0xf];
        } else {
            *at++ = (char)c;
        }
    }
    *at++ = '"';
    if (i < max_units && text[i]) { /* stopped for room, not at the end */
        *at++ = '.';
        *at++ = '.';
        *at++ = '.';
    }
    *at = '\0';
    return out;
}

ULONGLONG rm_trace_clock(void)
{
    LARGE_INTEGER now;
    if (!rm_trace_on())
        return 0;
    QueryPerformanceCounter(&now);
    return (ULONGLONG)now.QuadPart;
}

unsigned long rm_trace_elapsed_us(ULONGLONG started)
{
    LARGE_INTEGER now;
    if (!started || !clock_frequency.QuadPart)
        return 0;
    QueryPerformanceCounter(&now);
    return (unsigned long)(((ULONGLONG)now.QuadPart - started) * 1000000u /
                           (ULONGLONG)clock_frequency.QuadPart);
}

static const char *class_name(rm_trace_class cls)
{
    switch (cls) {
    case RM_TRACE_CLASS_FIXME: return "fixme";
    case RM_TRACE_CLASS_ERR: return "err";
    case RM_TRACE_CLASS_WARN: return "warn";
    default: return "trace";
    }
}

/* Appends a line to the trace file. Several processes may share it, and Wine's
 * FILE_APPEND_DATA is a seek then a write, so concurrent writers overwrite each other's
 * lines: writers take a byte-range lock on a byte far past any end (released by the
 * system if its process dies) and write at the end they then find. */
static void append_to_file(const char *line, DWORD length)
{
    OVERLAPPED writers_lock = { 0 };
    LARGE_INTEGER from_end = { 0 };
    DWORD written;
    BOOL locked;

    writers_lock.OffsetHigh = 0x7fffffff;
    AcquireSRWLockExclusive(&trace_file_lock);
    locked = LockFileEx(trace_file, LOCKFILE_EXCLUSIVE_LOCK, 0, 1, 0, &writers_lock);
    if (SetFilePointerEx(trace_file, from_end, NULL, FILE_END))
        WriteFile(trace_file, line, length, &written, NULL);
    if (locked)
        UnlockFileEx(trace_file, 0, 1, 0, &writers_lock);
    ReleaseSRWLockExclusive(&trace_file_lock);
}

/* The same line, prefixed as WINEDEBUG=+pid would, for OutputDebugStringW and the
 * file. */
static void write_prefixed(rm_trace_class cls, const char *function, const char *message)
{
    char line[RM_TRACE_LINE_MAX + 64];
    WCHAR wide[ARRAYSIZE(line)];
    int length = snprintf(line, sizeof(line), "%04lx:%04lx:%s:rstrtmgr:%s %s",
                          (unsigned long)GetCurrentProcessId(),
                          (unsigned long)GetCurrentThreadId(), class_name(cls), function,
                          message);
    if (length < 0)
        return;
    if ((size_t)length >= sizeof(line))
        length = sizeof(line) - 1;
    if (trace_file != INVALID_HANDLE_VALUE)
        append_to_file(line, (DWORD)length);
    if (!wine_output) {
        /* The line is ASCII (rm_trace_wstr escapes the rest). */
        for (int i = 0; i <= length; i++)
            wide[i] = (unsigned char)line[i];
        OutputDebugStringW(wide);
    }
}

void rm_trace_log(rm_trace_class cls, const char *function, const char *format, ...)
{
    DWORD saved_error = GetLastError();
    char message[RM_TRACE_LINE_MAX];
    va_list args;
    size_t length;
    BOOL cut;

    /* Room kept for "...", the newline and the NUL. */
    va_start(args, format);
    length = format_bounded(message, sizeof(message) - 4, &cut, format, args);
    va_end(args);
    /* One line per call whatever the arguments held. */
    for (size_t i = 0; i < length; i++)
        if (message[i] == '\n' || message[i] == '\r')
            message[i] = ' ';
    if (cut) {
        memcpy(message + length, "...", 3);
        length += 3;
    }
    message[length++] = '\n';
    message[length] = '\0';

    if (wine_header && wine_header(cls, &wine_channel, function) != -1)
        wine_output(message);
    write_prefixed(cls, function, message);
    SetLastError(saved_error);
}
