/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the WoW64 part of the core:
 *  - src/core/wow64_path.c: every rule of wow64_path.h, table driven, with the page each
 *    expectation comes from ("File System Redirector", learn.microsoft.com,
 *    windows/win32/winprog64/file-system-redirector), plus buffer limits;
 *  - src/core/wow64_answer.c: the checks on the 64-bit half's answer (nothing in it is
 *    trusted: docs/behaviour.md, B-WOW64-5), and on a 64-bit TEB read from another
 *    process (rm_teb64_peb; the x64 TEB layout of winternl.h and NT_TIB, B-WOW64-7).
 * Inputs are exact-size heap blocks without a NUL, so a sanitizer build reports any read
 * outside them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wow64_answer.h"
#include "wow64_path.h"

static rm_wchar *units(const char *ascii, size_t *length)
{
    size_t n = strlen(ascii);
    rm_wchar *p = malloc(n ? n * sizeof(rm_wchar) : 1);
    assert_non_null(p);
    for (size_t i = 0; i < n; i++)
        p[i] = (rm_wchar)(unsigned char)ascii[i];
    *length = n;
    return p;
}

static char *ascii_of(const rm_wchar *s, size_t n)
{
    char *a = malloc(n + 1);
    assert_non_null(a);
    for (size_t i = 0; i < n; i++)
        a[i] = s[i] < 0x80 ? (char)s[i] : '?';
    a[n] = 0;
    return a;
}

typedef struct row {
    const char *in;
    int redirected;
    const char *expected;
} row;

static const row rows[] = {
    /* "32-bit applications can access the native system directory by substituting
     * %windir%\Sysnative for %windir%\System32" (File System Redirector). */
    { "C:\\WINDOWS\\SYSNATIVE\\SHELL32.DLL", 1, "C:\\WINDOWS\\SYSTEM32\\SHELL32.DLL" },
    { "C:\\WINDOWS\\SYSNATIVE\\SHELL32.DLL", 0, "C:\\WINDOWS\\SYSTEM32\\SHELL32.DLL" },
    { "C:\\WINDOWS\\SYSNATIVE", 1, "C:\\WINDOWS\\SYSTEM32" },
    { "C:\\WINDOWS\\SYSNATIVE\\DRIVERS\\ETC\\HOSTS", 1, "C:\\WINDOWS\\SYSTEM32\\DRIVERS\\ETC\\HOSTS" },
    /* "whenever a 32-bit application attempts to access %windir%\System32 ... the access is
     * redirected" to %windir%\SysWOW64 (same page, table). */
    { "C:\\WINDOWS\\SYSTEM32\\USER32.DLL", 1, "C:\\WINDOWS\\SYSWOW64\\USER32.DLL" },
    { "C:\\WINDOWS\\SYSTEM32", 1, "C:\\WINDOWS\\SYSWOW64" },
    { "C:\\WINDOWS\\SYSTEM32\\A\\B\\C.DAT", 1, "C:\\WINDOWS\\SYSWOW64\\A\\B\\C.DAT" },
    /* Wow64DisableWow64FsRedirection: no redirection on that thread (same page). */
    { "C:\\WINDOWS\\SYSTEM32\\USER32.DLL", 0, "C:\\WINDOWS\\SYSTEM32\\USER32.DLL" },
    { "C:\\WINDOWS\\LASTGOOD\\SYSTEM32\\X.DLL", 1, "C:\\WINDOWS\\LASTGOOD\\SYSWOW64\\X.DLL" },
    { "C:\\WINDOWS\\REGEDIT.EXE", 1, "C:\\WINDOWS\\SYSWOW64\\REGEDIT.EXE" },
    { "C:\\WINDOWS\\REGEDIT.EXE", 0, "C:\\WINDOWS\\REGEDIT.EXE" },
    /* "Certain subdirectories are exempt from redirection" (same page, Windows 7+ list). */
    { "C:\\WINDOWS\\SYSTEM32\\CATROOT\\X.CAT", 1, "C:\\WINDOWS\\SYSTEM32\\CATROOT\\X.CAT" },
    { "C:\\WINDOWS\\SYSTEM32\\CATROOT2", 1, "C:\\WINDOWS\\SYSTEM32\\CATROOT2" },
    { "C:\\WINDOWS\\SYSTEM32\\DRIVERSTORE\\F\\D.SYS", 1, "C:\\WINDOWS\\SYSTEM32\\DRIVERSTORE\\F\\D.SYS" },
    { "C:\\WINDOWS\\SYSTEM32\\DRIVERS\\ETC\\HOSTS", 1, "C:\\WINDOWS\\SYSTEM32\\DRIVERS\\ETC\\HOSTS" },
    { "C:\\WINDOWS\\SYSTEM32\\LOGFILES\\L.LOG", 1, "C:\\WINDOWS\\SYSTEM32\\LOGFILES\\L.LOG" },
    { "C:\\WINDOWS\\SYSTEM32\\SPOOL\\P", 1, "C:\\WINDOWS\\SYSTEM32\\SPOOL\\P" },
    /* Only whole components match (inferred from the redirector's directory semantics). */
    { "C:\\WINDOWS\\SYSTEM32\\DRIVERS\\X.SYS", 1, "C:\\WINDOWS\\SYSWOW64\\DRIVERS\\X.SYS" },
    { "C:\\WINDOWS\\SYSTEM32\\SPOOLER.DLL", 1, "C:\\WINDOWS\\SYSWOW64\\SPOOLER.DLL" },
    { "C:\\WINDOWS\\SYSTEM32X\\A", 1, "C:\\WINDOWS\\SYSTEM32X\\A" },
    { "C:\\WINDOWS\\SYSNATIVEX\\A", 1, "C:\\WINDOWS\\SYSNATIVEX\\A" },
    { "C:\\WINDOWSX\\SYSTEM32\\A", 1, "C:\\WINDOWSX\\SYSTEM32\\A" },
    { "C:\\WINDOWS\\REGEDIT.EXE\\X", 1, "C:\\WINDOWS\\REGEDIT.EXE\\X" },
    { "C:\\WINDOWS\\SYSWOW64\\USER32.DLL", 1, "C:\\WINDOWS\\SYSWOW64\\USER32.DLL" },
    { "C:\\WINDOWS", 1, "C:\\WINDOWS" },
    { "D:\\WINDOWS\\SYSTEM32\\A", 1, "D:\\WINDOWS\\SYSTEM32\\A" },
    { "C:\\DATA\\SYSTEM32\\A", 1, "C:\\DATA\\SYSTEM32\\A" },
    { "\\\\SRV\\SHARE\\SYSTEM32", 1, "\\\\SRV\\SHARE\\SYSTEM32" },
};

static void test_rows(void **state)
{
    (void)state;
    size_t windir_length;
    rm_wchar *windir = units("C:\\WINDOWS", &windir_length);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        size_t length;
        rm_wchar *in = units(rows[i].in, &length);
        size_t cap = length + RM_WOW64_PATH_GROWTH + 1;
        rm_wchar *out = malloc(cap * sizeof(rm_wchar));
        assert_non_null(out);
        size_t got = rm_wow64_real_path(in, length, windir, windir_length, rows[i].redirected, out,
                                        cap);
        char *text = ascii_of(out, got);
        if (strcmp(text, rows[i].expected) != 0 || out[got] != 0)
            fail_msg("row %zu: %s (redirected=%d) gave '%s' (length %zu), expected '%s'", i,
                     rows[i].in, rows[i].redirected, text, got, rows[i].expected);
        free(text);
        free(out);
        free(in);
    }
    free(windir);
}

/* A result that does not fit is 0 with an empty output; one that just fits is whole. */
static void test_capacity(void **state)
{
    (void)state;
    size_t windir_length, length;
    rm_wchar *windir = units("C:\\WINDOWS", &windir_length);
    rm_wchar *in = units("C:\\WINDOWS\\REGEDIT.EXE", &length);
    const size_t needed = length + RM_WOW64_PATH_GROWTH; /* without the NUL */
    rm_wchar out[64];
    out[0] = 'x';
    assert_int_equal(rm_wow64_real_path(in, length, windir, windir_length, 1, out, needed), 0);
    assert_int_equal(out[0], 0);
    assert_int_equal(rm_wow64_real_path(in, length, windir, windir_length, 1, out, needed + 1),
                     needed);
    assert_int_equal(rm_wow64_real_path(in, 0, windir, windir_length, 1, out, 64), 0);
    /* No Windows directory known: nothing is rewritten. */
    size_t plain = rm_wow64_real_path(in, length, windir, 0, 1, out, 64);
    assert_int_equal(plain, length);
    free(in);
    free(windir);
}

/* ---- the 64-bit half's answer ------------------------------------------------------ */

static rm_wow64_query queries[3];

static void reset_queries(void)
{
    const rm_wow64_query asked[3] = { { 100, 1111, 0 }, { 200, 2222, 0 }, { 300, 3333, 0 } };
    memcpy(queries, asked, sizeof(asked));
}

/* An answer written by rm_wow64_answer_write from these entries, in an exact-size block. */
static uint8_t *answer_of(const rm_wow64_query *entries, size_t count, size_t *size)
{
    uint8_t buffer[512];
    *size = rm_wow64_answer_write(entries, count, buffer, sizeof(buffer));
    assert_true(*size > 0);
    uint8_t *exact = malloc(*size);
    assert_non_null(exact);
    memcpy(exact, buffer, *size);
    return exact;
}

static void test_answer_accepted(void **state)
{
    (void)state;
    const rm_wow64_query said[2] = { { 300, 3333, 0x7fff0000 }, { 100, 1111, 0x12345678000ull } };
    size_t size;
    uint8_t *answer = answer_of(said, 2, &size);
    reset_queries();
    assert_int_equal(size, rm_wow64_answer_max_bytes(2));
    assert_int_equal(rm_wow64_answer_apply(answer, size, queries, 3), 2);
    assert_true(queries[0].peb == 0x12345678000ull);
    assert_true(queries[1].peb == 0);
    assert_true(queries[2].peb == 0x7fff0000);
    free(answer);
}

/* Entries the DLL did not ask for, or for another process with the same pid (another
 * creation time), or repeated, or without a PEB, change nothing. */
static void test_answer_entries_checked(void **state)
{
    (void)state;
    const rm_wow64_query said[5] = {
        { 999, 1111, 0x1000 },        /* not asked about */
        { 200, 2223, 0x2000 },        /* pid reused: another creation time */
        { 100, 1111, 0x3000 },
        { 100, 1111, 0x4000 },        /* a second entry for one process */
        { 300, 3333, 0 },             /* written only when peb != 0: filtered by the writer */
    };
    size_t size;
    uint8_t *answer = answer_of(said, 5, &size);
    reset_queries();
    /* Four entries for three queries is more than asked: refused whole. */
    assert_int_equal(rm_wow64_answer_apply(answer, size, queries, 3), -1);
    assert_true(queries[0].peb == 0);
    free(answer);
    answer = answer_of(said, 3, &size);
    reset_queries();
    assert_int_equal(rm_wow64_answer_apply(answer, size, queries, 3), 1);
    assert_true(queries[0].peb == 0x3000);
    assert_true(queries[1].peb == 0);
    assert_true(queries[2].peb == 0);
    free(answer);
    answer = answer_of(said + 2, 2, &size);
    reset_queries();
    assert_int_equal(rm_wow64_answer_apply(answer, size, queries, 3), 1);
    assert_true(queries[0].peb == 0x3000);
    free(answer);
}

static void test_answer_malformed(void **state)
{
    (void)state;
    const rm_wow64_query said[1] = { { 100, 1111, 0x3000 } };
    size_t size;
    uint8_t *answer = answer_of(said, 1, &size);
    reset_queries();
    /* Cut short, one byte too many, bad magic, bad version, count beyond the bytes,
     * a reserved field set: refused, nothing filled. */
    assert_int_equal(rm_wow64_answer_apply(answer, size - 1, queries, 3), -1);
    assert_int_equal(rm_wow64_answer_apply(answer, 11, queries, 3), -1);
    assert_int_equal(rm_wow64_answer_apply(NULL, 0, queries, 3), -1);
    uint8_t *longer = calloc(size + 1, 1);
    assert_non_null(longer);
    memcpy(longer, answer, size);
    assert_int_equal(rm_wow64_answer_apply(longer, size + 1, queries, 3), -1);
    free(longer);
    for (size_t byte = 0; byte < 12; byte++) {
        if (byte >= 8 && byte < 12) {
            answer[byte] ^= 0x02; /* count 1 -> 3 or beyond */
        } else {
            answer[byte] ^= 0x40;
        }
        int got = rm_wow64_answer_apply(answer, size, queries, 3);
        if (got != -1)
            fail_msg("header byte %zu changed: %d, expected -1", byte, got);
        answer[byte] ^= (byte >= 8 && byte < 12) ? 0x02 : 0x40;
    }
    answer[12 + 4] = 1; /* reserved */
    assert_int_equal(rm_wow64_answer_apply(answer, size, queries, 3), -1);
    assert_true(queries[0].peb == 0);
    /* No room to write: 0. */
    uint8_t small[12];
    assert_int_equal(rm_wow64_answer_write(said, 1, small, sizeof(small)), 0);
    free(answer);
}

/* ---- a 64-bit TEB read from another process -------------------------------------- */

#define TEB_AT 0x67fe0000ull
#define PEB_AT 0x67ff0000ull

static void put_u64(uint8_t *teb_bytes, unsigned offset, uint64_t value)
{
    for (int i = 0; i < 8; i++)
        teb_bytes[offset - RM_TEB64_CHECKED_FROM + i] = (uint8_t)(value >> (8 * i));
}

/* The checked part of a TEB at TEB_AT of thread 0x24 in process 0x38, in an exact-size
 * heap block. */
static uint8_t *teb_of(uint64_t self, uint64_t pid, uint64_t thread, uint64_t peb)
{
    uint8_t *bytes = calloc(1, RM_TEB64_CHECKED_BYTES);
    assert_non_null(bytes);
    put_u64(bytes, 0x30, self);   /* NT_TIB.Self */
    put_u64(bytes, 0x40, pid);    /* ClientId.UniqueProcess */
    put_u64(bytes, 0x48, thread); /* ClientId.UniqueThread */
    put_u64(bytes, 0x60, peb);    /* ProcessEnvironmentBlock */
    return bytes;
}

static void expect_peb(uint64_t self, uint64_t pid, uint64_t thread, uint64_t peb,
                       uint64_t teb, uint64_t expected)
{
    uint8_t *bytes = teb_of(self, pid, thread, peb);
    uint64_t got = rm_teb64_peb(bytes, teb, 0x38, 0x24);
    if (got != expected)
        print_message("TEB self %#llx pid %#llx thread %#llx: got PEB %#llx, expected %#llx\n",
                      (unsigned long long)self, (unsigned long long)pid,
                      (unsigned long long)thread, (unsigned long long)got,
                      (unsigned long long)expected);
    assert_true(got == expected);
    free(bytes);
}

/* Only the TEB of the thread and process the system listed names a PEB (inferred: memory
 * of another process proves nothing by itself; a freed TEB's page may hold anything). */
static void test_teb_checked(void **state)
{
    (void)state;
    expect_peb(TEB_AT, 0x38, 0x24, PEB_AT, TEB_AT, PEB_AT);
    expect_peb(TEB_AT + 0x2000, 0x38, 0x24, PEB_AT, TEB_AT, 0); /* another thread's block */
    expect_peb(TEB_AT, 0x3C, 0x24, PEB_AT, TEB_AT, 0);          /* another process's */
    expect_peb(TEB_AT, 0x38, 0x28, PEB_AT, TEB_AT, 0);          /* another thread's */
    expect_peb(TEB_AT, 0x38 | 1ull << 32, 0x24, PEB_AT, TEB_AT, 0); /* high bits set */
    expect_peb(0, 0x38, 0x24, PEB_AT, 0, 0);                    /* no TEB at all */
    expect_peb(TEB_AT, 0x38, 0x24, 0, TEB_AT, 0);               /* no PEB named */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_capacity),
        cmocka_unit_test(test_answer_accepted),
        cmocka_unit_test(test_answer_entries_checked),
        cmocka_unit_test(test_answer_malformed),
        cmocka_unit_test(test_teb_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
