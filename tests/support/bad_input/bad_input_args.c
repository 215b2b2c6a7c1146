// SPDX-License-Identifier: LGPL-2.1-or-later
#include "bad_input_args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "guard_pages.h"

#define KEY_UNITS CCH_RM_SESSION_KEY
#define LONGEST_PATH 32767u
#define MAX_SCRATCH 64

/* Ordinary heap blocks handed out for one case. */
static void *scratch[MAX_SCRATCH];
static size_t scratch_count;
static unsigned fresh_counter;

static void *scratch_alloc(size_t bytes)
{
    if (scratch_count == MAX_SCRATCH)
        return NULL;
    void *block = calloc(1, bytes ? bytes : 1);
    if (block)
        scratch[scratch_count++] = block;
    return block;
}

void bi_args_free(void)
{
    for (size_t i = 0; i < scratch_count; i++)
        free(scratch[i]);
    scratch_count = 0;
    guard_free_all();
}

static WCHAR *scratch_text(size_t units)
{
    return scratch_alloc((units + 1) * sizeof(WCHAR));
}

static WCHAR *formatted(const WCHAR *format, unsigned a, unsigned b)
{
    WCHAR *text = scratch_text(96);
    if (text)
        _snwprintf(text, 96, format, a, b);
    return text;
}

/* prefix, then 63-unit components of 'a', exactly units long, not ending in '\'. No NUL
 * is written: the caller decides whether the text is terminated. */
static void fill_long_path(WCHAR *out, size_t units, const WCHAR *prefix)
{
    size_t at = 0, prefix_units = wcslen(prefix);
    for (; at < units && at < prefix_units; at++)
        out[at] = prefix[at];
    for (size_t column = 0; at < units; at++, column++)
        out[at] = column % 64 == 63 ? L'\\' : L'a';
    if (units && out[units - 1] == L'\\')
        out[units - 1] = L'a';
}

static const WCHAR *long_path(size_t units)
{
    WCHAR *text = scratch_text(units);
    if (text)
        fill_long_path(text, units, L"C:\\");
    return text;
}

/* units of text and no NUL before the PAGE_NOACCESS page that follows them. */
static const WCHAR *unterminated(const WCHAR *prefix, WCHAR filler)
{
    WCHAR *text = guard_tail((LONGEST_PATH + 1) * sizeof(WCHAR), 0);
    if (!text)
        return NULL;
    if (filler)
        wmemset(text, filler, LONGEST_PATH + 1);
    else
        fill_long_path(text, LONGEST_PATH + 1, prefix);
    return text;
}

static const WCHAR *repeated(WCHAR unit, size_t units, unsigned entry)
{
    WCHAR *text = scratch_text(units);
    if (!text)
        return NULL;
    wmemset(text, unit, units);
    text[units] = 0;
    if (units >= 4) /* distinct per entry, same length */
        _snwprintf(text + units - 3, 4, L"%03u", entry % 1000);
    return text;
}

const WCHAR *bi_fresh_file(void)
{
    return formatted(L"C:\\Program Files\\rmt bad input\\%u\\file%u.dat", ++fresh_counter, 0);
}

const WCHAR *bi_text_make(bi_text text, unsigned entry)
{
    switch (text) {
    case BT_NULL: return NULL;
    case BT_FILE:
        return formatted(L"C:\\Program Files\\rmt bad input\\%u\\file%u.dat", ++fresh_counter,
                         entry);
    case BT_EMPTY: return L"";
    case BT_PATH_32767: return long_path(LONGEST_PATH);
    case BT_PATH_32768: return long_path(LONGEST_PATH + 1);
    case BT_PATH_100000: return long_path(100000);
    case BT_UNTERMINATED: return unterminated(L"C:\\", 0);
    case BT_UNTERMINATED_SHORT_NAME: return unterminated(L"C:\\PROGRA~1\\", 0);
    case BT_UNTERMINATED_RELATIVE: return unterminated(L"a\\", 0);
    case BT_SERVICE: return formatted(L"rmt_bad_input_svc%u", entry, 0);
    case BT_SERVICE_63: return repeated(L'S', CCH_RM_MAX_SVC_NAME, entry);
    case BT_SERVICE_64: return repeated(L'S', CCH_RM_MAX_SVC_NAME + 1, entry);
    case BT_SERVICE_300: return repeated(L's', 300, entry);
    case BT_SERVICE_UNTERMINATED: return unterminated(NULL, L's');
    case BT_FILTER_MODULE: return L"C:\\Program Files\\rmt bad input\\filtered.exe";
    case BT_FILTER_SERVICE: return L"rmt_filter_svc";
    case BT_FILTER_SERVICE_UPPER: return L"RMT_FILTER_SVC";
    }
    return NULL;
}

LPCWSTR *bi_strings_make(bi_array kind, UINT count, bi_text text)
{
    LPCWSTR *array;
    switch (kind) {
    case BA_NULL: return NULL;
    case BA_NO_ACCESS: return guard_no_access();
    case BA_NULL_AT_PAGE_END:
        array = guard_tail(2 * sizeof(*array), 0);
        if (array)
            array[0] = bi_text_make(text, 0), array[1] = NULL;
        return array;
    case BA_PAGE_END:
        array = guard_tail(count * sizeof(*array), 0);
        break;
    default:
        array = scratch_alloc(BI_MAX_ENTRIES * sizeof(*array));
        break;
    }
    if (!array || count > BI_MAX_ENTRIES)
        return NULL; /* the table passes no larger count with readable entries */
    for (UINT i = 0; i < count; i++)
        array[i] = bi_text_make(text, i);
    if (kind == BA_FIRST_NULL && count)
        array[0] = NULL;
    if (kind == BA_LAST_NULL && count)
        array[count - 1] = NULL;
    return array;
}

FILETIME bi_own_start_time(void)
{
    FILETIME created, exited, kernel, user;
    GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user);
    return created;
}

RM_UNIQUE_PROCESS bi_process_value(bi_process process)
{
    RM_UNIQUE_PROCESS value = { 0, { 0, 0 } };
    if (process == BPR_SELF) {
        value.dwProcessId = GetCurrentProcessId();
        value.ProcessStartTime = bi_own_start_time();
    } else if (process == BPR_BOGUS) {
        value.dwProcessId = 0xFFFFFFFF;
    }
    return value;
}

RM_UNIQUE_PROCESS *bi_processes_make(bi_array kind, UINT count, bi_process process)
{
    RM_UNIQUE_PROCESS *array;
    if (kind == BA_NULL)
        return NULL;
    if (kind == BA_NO_ACCESS)
        return guard_no_access();
    if (count > BI_MAX_ENTRIES)
        return NULL;
    array = kind == BA_PAGE_END ? guard_tail(count * sizeof(*array), 0)
                                : scratch_alloc(BI_MAX_ENTRIES * sizeof(*array));
    for (UINT i = 0; array && i < count; i++)
        array[i] = bi_process_value(process);
    return array;
}

/* units of key text ending at a PAGE_NOACCESS page, copied from text (no NUL added). */
static const WCHAR *key_at_page_end(const WCHAR *text, size_t units)
{
    WCHAR *out = guard_tail(units * sizeof(WCHAR), 0);
    if (out)
        memcpy(out, text, units * sizeof(WCHAR));
    return out;
}

static WCHAR *key_copy(const WCHAR *session, size_t extra)
{
    WCHAR *out = scratch_text(KEY_UNITS + extra + 2);
    if (out)
        wcscpy(out, session);
    return out;
}

static const WCHAR *key_fullwidth(const WCHAR *session)
{
    WCHAR *out = key_copy(session, 0);
    for (size_t i = 0; out && i < KEY_UNITS; i++)
        out[i] = (WCHAR)(out[i] <= L'9' ? 0xFF10 + (out[i] - L'0') : 0xFF41 + (out[i] - L'a'));
    return out;
}

static const WCHAR *key_overlong(void)
{
    const size_t units = 40000;
    WCHAR *out = scratch_text(units);
    for (size_t i = 0; out && i < units; i++)
        out[i] = L"0123456789abcdef"[i % 16];
    if (out)
        out[units] = 0;
    return out;
}

const WCHAR *bi_key_make(bi_key key, const WCHAR *session, const WCHAR *ended,
                         const WCHAR *orphaned)
{
    WCHAR *out;
    switch (key) {
    case BK_NULL: return NULL;
    case BK_SESSION: return session;
    case BK_SESSION_UPPER:
        out = key_copy(session, 0);
        for (size_t i = 0; out && i < KEY_UNITS; i++)
            out[i] = (WCHAR)towupper(out[i]);
        return out;
    case BK_EMPTY: return L"";
    case BK_SHORT_31:
        out = key_copy(session, 0);
        if (out)
            out[KEY_UNITS - 1] = 0;
        return out;
    case BK_LONG_33:
        out = key_copy(session, 1);
        if (out)
            wcscat(out, L"0");
        return out;
    case BK_BRACED: return L"{0123456789abcdef0123456789abcd}";
    case BK_GUID_DASHED: return L"01234567-89ab-cdef-0123-456789abcdef";
    case BK_ZEROS: return L"00000000000000000000000000000000";
    case BK_ONE_DIGIT_CHANGED:
        out = key_copy(session, 0);
        if (out)
            out[7] = out[7] == L'0' ? L'1' : L'0';
        return out;
    case BK_SPACE_AFTER:
        out = key_copy(session, 1);
        if (out)
            wcscat(out, L" ");
        return out;
    case BK_SPACE_BEFORE:
        out = scratch_text(KEY_UNITS + 2);
        if (out)
            _snwprintf(out, KEY_UNITS + 2, L" %s", session);
        return out;
    case BK_NON_HEX:
        out = key_copy(session, 0);
        if (out)
            out[KEY_UNITS - 1] = L'g';
        return out;
    case BK_HIGH_BYTE:
        out = key_copy(session, 0);
        if (out)
            out[3] = 0x0161; /* its low byte is 'a' */
        return out;
    case BK_FULLWIDTH: return key_fullwidth(session);
    case BK_EMBEDDED_NUL:
        out = key_copy(session, 0);
        if (out)
            out[16] = 0;
        return out;
    case BK_ENDED: return ended;
    case BK_ORPHANED: return orphaned;
    case BK_OVERLONG: return key_overlong();
    case BK_PAGE_END_33_HEX: return key_at_page_end(L"0123456789abcdef0123456789abcdef0", 33);
    case BK_PAGE_END_SESSION: return key_at_page_end(session, KEY_UNITS + 1);
    case BK_PAGE_END_33_X: return key_at_page_end(L"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 33);
    }
    return NULL;
}

void *bi_pointer_make(bi_pointer kind, void *valid, size_t bytes, unsigned char fill)
{
    switch (kind) {
    case BP_VALID: return valid;
    case BP_NULL: return NULL;
    case BP_PAGE_END: return guard_tail(bytes, fill);
    case BP_NO_ACCESS: return guard_no_access();
    }
    return NULL;
}

int bi_pointer_readable(bi_pointer kind)
{
    return kind == BP_VALID || kind == BP_PAGE_END;
}
