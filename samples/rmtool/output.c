// SPDX-License-Identifier: LGPL-2.1-or-later
/* See output.h. LGPL-2.1-or-later. */
#include "output.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

#define LINE_CCH 4096

static void write_wide(DWORD which, const wchar_t *text, size_t length)
{
    HANDLE handle = GetStdHandle(which);
    DWORD mode, written;
    char stack_buffer[LINE_CCH * 3];
    char *utf8 = stack_buffer;
    int bytes;

    if (!handle || handle == INVALID_HANDLE_VALUE || length == 0)
        return;
    if (GetConsoleMode(handle, &mode)) {
        WriteConsoleW(handle, text, (DWORD)length, &written, NULL);
        return;
    }
    bytes = WideCharToMultiByte(CP_UTF8, 0, text, (int)length, NULL, 0, NULL, NULL);
    if (bytes <= 0)
        return;
    if ((size_t)bytes > sizeof(stack_buffer) && !(utf8 = malloc((size_t)bytes)))
        return;
    WideCharToMultiByte(CP_UTF8, 0, text, (int)length, utf8, bytes, NULL, NULL);
    WriteFile(handle, utf8, (DWORD)bytes, &written, NULL);
    if (utf8 != stack_buffer)
        free(utf8);
}

static void vprint(DWORD which, const wchar_t *format, va_list args)
{
    wchar_t line[LINE_CCH];
    int length = _vsnwprintf(line, LINE_CCH - 1, format, args);
    /* A longer line is cut, not lost: lines carry names of at most a few hundred chars. */
    if (length < 0)
        length = LINE_CCH - 1;
    line[length] = L'\0';
    write_wide(which, line, (size_t)length);
}

void out_printf(const wchar_t *format, ...)
{
    va_list args;
    va_start(args, format);
    vprint(STD_OUTPUT_HANDLE, format, args);
    va_end(args);
}

void err_printf(const wchar_t *format, ...)
{
    va_list args;
    va_start(args, format);
    vprint(STD_ERROR_HANDLE, format, args);
    va_end(args);
}

int err_is_console(void)
{
    DWORD mode;
    return GetConsoleMode(GetStdHandle(STD_ERROR_HANDLE), &mode) != 0;
}

void out_json_string(const wchar_t *text)
{
    wchar_t escaped[8];
    const wchar_t *run = text;
    for (const wchar_t *c = text;; c++) {
        const wchar_t *replacement = NULL;
        if (*c == L'"')
            replacement = L"\\\"";
        else if (*c == L'\\')
            replacement = L"\\\\";
        else if (*c != L'\0' && *c < 0x20) {
            _snwprintf(escaped, 8, L"\\u%04x", (unsigned)*c);
            escaped[7] = L'\0';
            replacement = escaped;
        }
        if (replacement || *c == L'\0') {
            write_wide(STD_OUTPUT_HANDLE, run, (size_t)(c - run));
            if (!replacement)
                return;
            write_wide(STD_OUTPUT_HANDLE, replacement, wcslen(replacement));
            run = c + 1;
        }
    }
}
