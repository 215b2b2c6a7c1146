// SPDX-License-Identifier: LGPL-2.1-or-later
/* Unit tests of src/core/path_norm.c: every canonicalisation rule of path_norm.h, table
 * driven (one cmocka test per row), plus buffer limits, case folding and the helpers.
 * Inputs are copied to exact-size heap blocks without a terminating NUL, so that a
 * sanitizer build (-DRSTRTMGR_SANITIZE=ON) reports any read or write outside them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "path_norm.h"

/* ---- helpers ----------------------------------------------------------------------- */

static size_t ulen(const rm_wchar *s)
{
    return rm_wcsnlen(s, RM_PATH_CANON_CAP * 2);
}

/* Printable form of a UTF-16 string for failure messages. */
static const char *show(const rm_wchar *s, size_t n)
{
    static char buf[4][512];
    static int which;
    char *b = buf[which++ & 3];
    size_t w = 0;
    if (!s)
        return "(null)";
    for (size_t i = 0; i < n && w + 8 < sizeof(buf[0]); i++) {
        if (s[i] >= 0x20 && s[i] < 0x7F)
            b[w++] = (char)s[i];
        else
            w += (size_t)snprintf(b + w, sizeof(buf[0]) - w, "\\u%04X", s[i]);
    }
    b[w] = 0;
    return b;
}

static rm_wchar *heap_units(const rm_wchar *s, size_t n)
{
    rm_wchar *p = malloc(n ? n * sizeof(rm_wchar) : 1);
    assert_non_null(p);
    if (n)
        memcpy(p, s, n * sizeof(rm_wchar));
    return p;
}

/* Canonical form of s (exact-size input, out_cap = cap) into a fresh heap block. */
static size_t canon_n(const rm_wchar *s, size_t n, size_t cap, const rm_device_map *map,
                      rm_wchar **out)
{
    rm_wchar *in = heap_units(s, n);
    *out = malloc(cap ? cap * sizeof(rm_wchar) : 1);
    assert_non_null(*out);
    size_t r = rm_path_canonicalize(in, n, *out, cap, map);
    free(in);
    return r;
}

#define E(s, letter) { s, sizeof(s) / sizeof(rm_wchar) - 1, letter }

static const rm_device_prefix test_entries[] = {
    E(u"\\Device\\HarddiskVolume1", 'C'),
    E(u"\\Device\\HarddiskVolume10", 'D'),
    E(u"\\device\\cdrom0\\", 'e'),               /* lower case, trailing separator */
    E(u"\\Device\\HarddiskVolume4", 'G'),
    E(u"/Device//HarddiskVolume4/Sub", 'F'),     /* longer match wins over G: */
    { NULL, 0, 'H' },                             /* ignored */
    { u"\\Device\\HarddiskVolume6", 0, 'I' },     /* empty: ignored */
    E(u"\\Device\\HarddiskVolume5", '1'),        /* not a drive letter: ignored */
    E(u"\\Device", 'J'),                          /* shorter than a device root: ignored */
    E(u"\\Device\\LanmanRedirector\\;Z:0\\srv\\share", 'Z'), /* UNC is preferred */
};
static const rm_device_map test_map = {test_entries, sizeof(test_entries) / sizeof(test_entries[0])};

/* ---- the table --------------------------------------------------------------------- */

typedef struct path_case {
    const rm_wchar *in;
    const rm_wchar *want; /* NULL: rejected (0) */
    int use_map;
} path_case;

#define OK(in, want) { in, want, 1 }
#define NOMAP(in, want) { in, want, 0 }
#define REJ(in) { in, NULL, 1 }

static const path_case cases[] = {
    /* Drive paths, case, separators */
    OK(u"C:\\", u"C:\\"),
    OK(u"c:\\", u"C:\\"),
    OK(u"C:/", u"C:\\"),
    OK(u"C:\\Windows\\System32\\kernel32.dll", u"C:\\WINDOWS\\SYSTEM32\\KERNEL32.DLL"),
    OK(u"c:/users/x/File.txt", u"C:\\USERS\\X\\FILE.TXT"),
    OK(u"C:\\a/b\\c", u"C:\\A\\B\\C"),
    OK(u"Z:\\usr\\lib\\x.so", u"Z:\\USR\\LIB\\X.SO"),
    OK(u"c:\\MiXeD\\CaSe", u"C:\\MIXED\\CASE"),
    OK(u"C:\\Program Files (x86)\\App", u"C:\\PROGRAM FILES (X86)\\APP"),
    OK(u"C:\\a:stream", u"C:\\A:STREAM"),
    /* Repeated and trailing separators */
    OK(u"C:\\\\a\\\\\\b", u"C:\\A\\B"),
    OK(u"C://a//b//", u"C:\\A\\B"),
    OK(u"C:\\a\\", u"C:\\A"),
    OK(u"C:\\a\\\\\\", u"C:\\A"),
    OK(u"C:\\\\", u"C:\\"),
    /* . and .. */
    OK(u"C:\\.\\a\\.\\b", u"C:\\A\\B"),
    OK(u"C:\\a\\.", u"C:\\A"),
    OK(u"C:\\a\\..\\b", u"C:\\B"),
    OK(u"C:\\a\\..", u"C:\\"),
    OK(u"C:\\..", u"C:\\"),
    OK(u"C:\\..\\..\\a", u"C:\\A"),
    OK(u"C:\\a\\b\\..\\..\\..\\c", u"C:\\C"),
    OK(u"C:\\a\\b\\c\\..\\..\\d\\.\\e\\..", u"C:\\A\\D"),
    OK(u"C:\\a\\..\\..\\b\\c\\..", u"C:\\B"),
    OK(u"C:/a/./../b/", u"C:\\B"),
    /* Trailing dots and spaces */
    OK(u"C:\\a\\b. ", u"C:\\A\\B"),
    OK(u"C:\\a.\\b", u"C:\\A\\B"),
    OK(u"C:\\a \\b", u"C:\\A\\B"),
    OK(u"C:\\a...\\b. . .", u"C:\\A\\B"),
    OK(u"C:\\...\\a", u"C:\\A"),
    OK(u"C:\\a\\ . \\b", u"C:\\A\\B"),
    OK(u"C:\\.a\\b.c", u"C:\\.A\\B.C"),
    OK(u"C:\\ a\\b", u"C:\\ A\\B"),
    OK(u"C:\\a. \\..\\b", u"C:\\B"),
    /* \\?\ \??\ \\.\ \DosDevices\ \GLOBAL??\ */
    OK(u"\\\\?\\C:\\X\\..\\Y", u"C:\\Y"),
    OK(u"\\\\?\\c:\\x", u"C:\\X"),
    OK(u"\\??\\C:\\users\\x", u"C:\\USERS\\X"),
    OK(u"\\??\\Z:\\usr\\lib\\libc.so.6", u"Z:\\USR\\LIB\\LIBC.SO.6"),
    OK(u"\\??\\z:\\home\\user\\.wine", u"Z:\\HOME\\USER\\.WINE"),
    OK(u"\\\\.\\C:\\x", u"C:\\X"),
    OK(u"\\DosDevices\\C:\\x", u"C:\\X"),
    OK(u"\\dosdevices\\c:\\x", u"C:\\X"),
    OK(u"\\GLOBAL??\\C:\\x", u"C:\\X"),
    OK(u"\\global?\?\\d:\\x\\..\\..\\y", u"D:\\Y"),
    OK(u"//?/C:/x", u"C:\\X"),
    OK(u"/?\?/C:/x", u"C:\\X"),
    OK(u"\\\\?\\C:\\", u"C:\\"),
    OK(u"\\??\\C:", u"C:\\"),
    OK(u"\\\\?\\\\C:\\x", u"C:\\X"),
    /* UNC */
    OK(u"\\\\server\\share\\dir\\f", u"\\\\SERVER\\SHARE\\DIR\\F"),
    OK(u"//server/share/f", u"\\\\SERVER\\SHARE\\F"),
    OK(u"\\\\server\\share", u"\\\\SERVER\\SHARE"),
    OK(u"\\\\server\\share\\", u"\\\\SERVER\\SHARE"),
    OK(u"\\\\server\\share\\..\\..\\x", u"\\\\SERVER\\SHARE\\X"),
    OK(u"\\\\server\\\\\\share\\\\f", u"\\\\SERVER\\SHARE\\F"),
    OK(u"\\\\server.\\share \\f", u"\\\\SERVER\\SHARE\\F"),
    OK(u"\\\\?\\UNC\\server\\share\\f", u"\\\\SERVER\\SHARE\\F"),
    OK(u"\\??\\UNC\\server\\share\\f", u"\\\\SERVER\\SHARE\\F"),
    OK(u"\\\\?\\unc\\Server\\Share", u"\\\\SERVER\\SHARE"),
    OK(u"\\\\.\\UNC\\s\\t\\f", u"\\\\S\\T\\F"),
    OK(u"\\GLOBAL??\\UNC\\s\\t\\f", u"\\\\S\\T\\F"),
    OK(u"\\Device\\Mup\\server\\share\\f", u"\\\\SERVER\\SHARE\\F"),
    OK(u"\\Device\\LanmanRedirector\\server\\share\\f", u"\\\\SERVER\\SHARE\\F"),
    OK(u"\\Device\\LanmanRedirector\\;Z:0000000000012345\\server\\share\\f", u"\\\\SERVER\\SHARE\\F"),
    OK(u"\\Device\\Mup\\;LanmanRedirector\\;Z:00000000000003e7\\server\\share\\f", u"\\\\SERVER\\SHARE\\F"),
    OK(u"\\device\\mup\\server\\share", u"\\\\SERVER\\SHARE"),
    OK(u"\\Device\\LanmanRedirector\\;Z:0\\srv\\share\\f", u"\\\\SRV\\SHARE\\F"),
    /* \Device\ with the map */
    OK(u"\\Device\\HarddiskVolume1\\users\\x", u"C:\\USERS\\X"),
    OK(u"\\Device\\HarddiskVolume10\\x", u"D:\\X"),
    OK(u"\\device\\harddiskvolume1\\x", u"C:\\X"),
    OK(u"\\Device\\HarddiskVolume1", u"C:\\"),
    OK(u"\\Device\\HarddiskVolume1\\", u"C:\\"),
    OK(u"\\Device\\HarddiskVolume1\\..\\..\\x", u"C:\\X"),
    OK(u"/Device/HarddiskVolume1/x", u"C:\\X"),
    OK(u"\\Device\\\\HarddiskVolume1\\\\x", u"C:\\X"),
    OK(u"\\Device\\HarddiskVolume1.\\x", u"C:\\X"),
    OK(u"\\Device\\CdRom0\\setup.exe", u"E:\\SETUP.EXE"),
    OK(u"\\Device\\HarddiskVolume4\\Sub\\x", u"F:\\X"),
    OK(u"\\Device\\HarddiskVolume4\\sub", u"F:\\"),
    OK(u"\\Device\\HarddiskVolume4\\Subx\\y", u"G:\\SUBX\\Y"),
    OK(u"\\Device\\HarddiskVolume4\\a\\..\\Sub\\y", u"F:\\Y"),
    /* \Device\ without a map entry: kept as a device path */
    OK(u"\\Device\\HarddiskVolume11\\x", u"\\DEVICE\\HARDDISKVOLUME11\\X"),
    OK(u"\\Device\\HarddiskVolume3\\x", u"\\DEVICE\\HARDDISKVOLUME3\\X"),
    OK(u"\\device\\harddiskvolume3\\X\\", u"\\DEVICE\\HARDDISKVOLUME3\\X"),
    OK(u"\\Device\\HarddiskVolume3\\..\\x", u"\\DEVICE\\HARDDISKVOLUME3\\X"),
    OK(u"\\Device\\HarddiskVolume3", u"\\DEVICE\\HARDDISKVOLUME3"),
    OK(u"\\Device\\HarddiskVolume5\\x", u"\\DEVICE\\HARDDISKVOLUME5\\X"),
    OK(u"\\Device\\HarddiskVolume6\\x", u"\\DEVICE\\HARDDISKVOLUME6\\X"),
    NOMAP(u"\\Device\\HarddiskVolume1\\users\\x", u"\\DEVICE\\HARDDISKVOLUME1\\USERS\\X"),
    /* Other objects behind a prefix */
    OK(u"\\\\?\\Volume{1234-abcd}\\x", u"\\??\\VOLUME{1234-ABCD}\\X"),
    OK(u"\\\\.\\pipe\\foo", u"\\??\\PIPE\\FOO"),
    OK(u"\\??\\pipe\\..\\..\\foo", u"\\??\\PIPE\\FOO"),
    OK(u"\\??\\C:foo\\x", u"\\??\\C:FOO\\X"),
    /* Case folding beyond ASCII */
    OK(u"C:\\\u0434\u0438\u0440\\\u0444\u0430\u0439\u043b", u"C:\\\u0414\u0418\u0420\\\u0424\u0410\u0419\u041B"),
    OK(u"C:\\\u0451\u0452\u045f", u"C:\\\u0401\u0402\u040F"),
    OK(u"C:\\\u0461\u048b\u04c2\u04cf\u04ff", u"C:\\\u0460\u048A\u04C1\u04C0\u04FE"),
    OK(u"C:\\\u03b1\u03b2\u03b3\u03c9", u"C:\\\u0391\u0392\u0393\u03A9"),
    OK(u"C:\\\u03ac\u03ad\u03cc\u03ce", u"C:\\\u0386\u0388\u038C\u038F"),
    OK(u"C:\\\u03c3\u03c2", u"C:\\\u03A3\u03C2"),
    OK(u"C:\\\u00e9t\u00e9\\\u00e0\u00fe", u"C:\\\u00C9T\u00C9\\\u00C0\u00DE"),
    OK(u"C:\\\u00ff\u00df\u00b5\u00f7", u"C:\\\u0178\u00DF\u00B5\u00F7"),
    OK(u"C:\\\u0101\u0151\u017e\u013a\u0131\u017f", u"C:\\\u0100\u0150\u017D\u0139\u0131\u017F"),
    OK(u"C:\\\u4e2d\u6587\\\u0561", u"C:\\\u4E2D\u6587\\\u0561"),
    OK(u"\\\\\u0441\u0435\u0440\u0432\u0435\u0440\\\u03b4\\x", u"\\\\\u0421\u0415\u0420\u0412\u0415\u0420\\\u0394\\X"),
    /* Rejected */
    REJ(u""),
    REJ(u"foo"),
    REJ(u"foo\\bar"),
    REJ(u".\\foo"),
    REJ(u"..\\foo"),
    REJ(u"C:"),
    REJ(u"C:foo"),
    REJ(u"C:."),
    REJ(u"C:..\\x"),
    REJ(u"1:\\x"),
    REJ(u"\\foo\\bar"),
    REJ(u"\\"),
    REJ(u"/"),
    REJ(u"\\\\"),
    REJ(u"\\\\server"),
    REJ(u"\\\\server\\"),
    REJ(u"\\\\server\\..\\x"),
    REJ(u"\\\\..\\share"),
    REJ(u"\\\\?"),
    REJ(u"\\\\?\\"),
    REJ(u"\\??\\"),
    REJ(u"\\??"),
    REJ(u"\\\\.\\"),
    REJ(u"\\\\?\\UNC\\server"),
    REJ(u"\\??\\UNC"),
    REJ(u"\\??\\UNC\\?\\share"),
    REJ(u"\\Device"),
    REJ(u"\\Device\\"),
    REJ(u"\\Device\\..\\x"),
    REJ(u"\\Device\\Mup"),
    REJ(u"\\Device\\Mup\\;x\\;y"),
    REJ(u"\\Device\\Mup\\server"),
    REJ(u"\\SystemRoot\\system32"),
};
#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static void test_case(void **state)
{
    const path_case *c = *state;
    const rm_device_map *map = c->use_map ? &test_map : NULL;
    size_t n = ulen(c->in);
    rm_wchar *out;
    size_t r = canon_n(c->in, n, n + 1, map, &out);

    if (!c->want) {
        if (r != 0)
            fail_msg("\"%s\": expected rejection, got \"%s\"", show(c->in, n), show(out, r));
        free(out);
        return;
    }
    size_t wn = ulen(c->want);
    if (r != wn || memcmp(out, c->want, wn * sizeof(rm_wchar)) != 0 || out[r] != 0)
        fail_msg("\"%s\": expected \"%s\", got \"%s\" (%zu)", show(c->in, n), show(c->want, wn),
                 show(out, r), r);

    /* Idempotent, with an exact-size buffer; one unit less does not fit. */
    rm_wchar *again;
    size_t r2 = canon_n(out, r, r + 1, map, &again);
    if (r2 != r || memcmp(again, out, r * sizeof(rm_wchar)) != 0)
        fail_msg("\"%s\" is not stable: \"%s\"", show(out, r), show(again, r2));
    free(again);
    rm_wchar *small;
    assert_int_equal(canon_n(c->in, n, r, map, &small), 0);
    if (r)
        assert_int_equal(small[0], 0);
    free(small);
    free(out);
}

/* ---- spellings of one file --------------------------------------------------------- */

static void expect_same(const rm_wchar *const *spellings, size_t count, const rm_wchar *want)
{
    size_t wn = ulen(want);
    for (size_t i = 0; i < count; i++) {
        rm_wchar *out;
        size_t r = canon_n(spellings[i], ulen(spellings[i]), RM_PATH_CANON_CAP, &test_map, &out);
        if (r != wn || memcmp(out, want, wn * sizeof(rm_wchar)) != 0)
            fail_msg("\"%s\" -> \"%s\", expected \"%s\"", show(spellings[i], ulen(spellings[i])),
                     show(out, r), show(want, wn));
        assert_int_equal(rm_path_hash(out, r), rm_path_hash(want, wn));
        free(out);
    }
}

static void test_spellings_of_one_file(void **state)
{
    (void)state;
    static const rm_wchar *const local[] = {
        u"C:\\Users\\Public\\file.txt",
        u"c:/users/public/FILE.TXT",
        u"\\\\?\\C:\\Users\\Public\\file.txt",
        u"\\??\\C:\\Users\\Public\\file.txt",
        u"\\\\.\\c:\\users\\public\\file.txt",
        u"\\DosDevices\\C:\\Users\\Public\\file.txt",
        u"\\GLOBAL??\\C:\\Users\\Public\\file.txt",
        u"\\Device\\HarddiskVolume1\\Users\\Public\\file.txt",
        u"C:\\Users\\.\\Default\\..\\Public\\\\file.txt. ",
        u"C:\\Users\\Public\\file.txt\\",
    };
    expect_same(local, sizeof(local) / sizeof(local[0]), u"C:\\USERS\\PUBLIC\\FILE.TXT");

    static const rm_wchar *const remote[] = {
        u"\\\\srv\\share\\dir\\f.dat",
        u"//SRV/Share/Dir/F.dat",
        u"\\\\?\\UNC\\srv\\share\\dir\\f.dat",
        u"\\??\\UNC\\srv\\share\\dir\\f.dat",
        u"\\Device\\Mup\\srv\\share\\dir\\f.dat",
        u"\\Device\\LanmanRedirector\\;Z:00000000000003e7\\srv\\share\\dir\\f.dat",
        u"\\\\srv\\share\\x\\..\\dir\\.\\f.dat",
    };
    expect_same(remote, sizeof(remote) / sizeof(remote[0]), u"\\\\SRV\\SHARE\\DIR\\F.DAT");
}

/* ---- limits -------------------------------------------------------------------------- */

static rm_wchar *long_path(size_t total, rm_wchar fill)
{
    rm_wchar *p = malloc(total * sizeof(rm_wchar));
    assert_non_null(p);
    p[0] = 'C';
    p[1] = ':';
    p[2] = '\\';
    for (size_t i = 3; i < total; i++)
        p[i] = (i % 200 == 0) ? '\\' : fill;
    if (p[total - 1] == '\\')
        p[total - 1] = fill;
    return p;
}

static void test_overlong(void **state)
{
    (void)state;
    rm_wchar *out = malloc(RM_PATH_CANON_CAP * sizeof(rm_wchar) + 16);
    assert_non_null(out);

    rm_wchar *p = long_path(RM_PATH_MAX_INPUT, 'a');
    size_t r = rm_path_canonicalize(p, RM_PATH_MAX_INPUT, out, RM_PATH_CANON_CAP, NULL);
    assert_int_equal(r, RM_PATH_MAX_INPUT);
    assert_int_equal(out[r], 0);
    for (size_t i = 3; i < r; i++)
        assert_int_equal(out[i], p[i] == '\\' ? '\\' : 'A');
    /* One unit too small for the longest result. */
    assert_int_equal(rm_path_canonicalize(p, RM_PATH_MAX_INPUT, out, RM_PATH_MAX_INPUT, NULL), 0);
    free(p);

    p = long_path(RM_PATH_MAX_INPUT + 1, 'a');
    assert_int_equal(rm_path_canonicalize(p, RM_PATH_MAX_INPUT + 1, out, RM_PATH_CANON_CAP, NULL), 0);
    assert_int_equal(out[0], 0);
    free(p);

    /* Over the limit even if the result would be short. */
    size_t n = 70000;
    p = malloc(n * sizeof(rm_wchar));
    assert_non_null(p);
    p[0] = 'C';
    p[1] = ':';
    for (size_t i = 2; i < n; i++)
        p[i] = '\\';
    assert_int_equal(rm_path_canonicalize(p, n, out, RM_PATH_CANON_CAP, NULL), 0);
    /* ... and within it: 32765 separators collapse. */
    assert_int_equal(rm_path_canonicalize(p, RM_PATH_MAX_INPUT, out, 4, NULL), 3);
    assert_memory_equal(out, u"C:\\", 4 * sizeof(rm_wchar));
    free(p);

    /* A deep ".." chain: 5000 components popped by 5000 "..". */
    n = 3 + 5000 * 2 + 5000 * 3 + 1;
    assert_true(n <= RM_PATH_MAX_INPUT);
    p = malloc(n * sizeof(rm_wchar));
    assert_non_null(p);
    size_t w = 0;
    p[w++] = 'C';
    p[w++] = ':';
    p[w++] = '\\';
    for (int i = 0; i < 5000; i++) {
        p[w++] = 'd';
        p[w++] = '\\';
    }
    for (int i = 0; i < 5000; i++) {
        p[w++] = '.';
        p[w++] = '.';
        p[w++] = '\\';
    }
    p[w++] = 'f';
    rm_wchar *in = heap_units(p, w);
    assert_int_equal(rm_path_canonicalize(in, w, out, 5, NULL), 4);
    assert_memory_equal(out, u"C:\\F", 5 * sizeof(rm_wchar));
    free(in);
    free(p);
    free(out);
}

static void test_out_cap(void **state)
{
    (void)state;
    static const rm_wchar in[] = u"c:\\dir\\file";
    const size_t n = sizeof(in) / sizeof(in[0]) - 1;
    rm_wchar buf[32];

    for (size_t cap = 0; cap <= 20; cap++) {
        for (size_t i = 0; i < 32; i++)
            buf[i] = 0xBEEF;
        size_t r = rm_path_canonicalize(in, n, buf, cap, NULL);
        if (cap >= n + 1) {
            assert_int_equal(r, n);
            assert_memory_equal(buf, u"C:\\DIR\\FILE", (n + 1) * sizeof(rm_wchar));
        } else {
            assert_int_equal(r, 0);
            if (cap)
                assert_int_equal(buf[0], 0);
        }
        size_t used = cap < n + 1 ? (cap ? 1 : 0) : n + 1;
        for (size_t i = used; i < 32; i++)
            assert_int_equal(buf[i], 0xBEEF); /* nothing written past the result */
    }
    assert_int_equal(rm_path_canonicalize(in, n, NULL, 100, NULL), 0);
    assert_int_equal(rm_path_canonicalize(in, n, NULL, 0, NULL), 0);

    /* A device path mapped to a drive needs only room for the (shorter) result. */
    static const rm_wchar dev[] = u"\\Device\\HarddiskVolume1\\x";
    const size_t dn = sizeof(dev) / sizeof(dev[0]) - 1;
    rm_wchar *out;
    assert_int_equal(canon_n(dev, dn, 5, &test_map, &out), 4);
    assert_memory_equal(out, u"C:\\X", 5 * sizeof(rm_wchar));
    free(out);
    assert_int_equal(canon_n(dev, dn, 4, &test_map, &out), 0);
    free(out);
    static const rm_wchar root[] = u"\\Device\\HarddiskVolume1";
    assert_int_equal(canon_n(root, sizeof(root) / sizeof(root[0]) - 1, 4, &test_map, &out), 3);
    assert_memory_equal(out, u"C:\\", 4 * sizeof(rm_wchar));
    free(out);
    /* ".." shortening the result: only the final length matters. */
    static const rm_wchar dots[] = u"C:\\a-rather-long-directory-name\\..\\x";
    assert_int_equal(canon_n(dots, sizeof(dots) / sizeof(dots[0]) - 1, 5, NULL, &out), 4);
    assert_memory_equal(out, u"C:\\X", 5 * sizeof(rm_wchar));
    free(out);
}

static void test_embedded_nul_and_length(void **state)
{
    (void)state;
    static const rm_wchar with_nul[] = {'C', ':', '\\', 'a', 0, 'b'};
    rm_wchar out[64];
    assert_int_equal(rm_path_canonicalize(with_nul, 6, out, 16, NULL), 0);
    assert_int_equal(rm_path_canonicalize(with_nul, 4, out, 16, NULL), 4);
    assert_memory_equal(out, u"C:\\A", 5 * sizeof(rm_wchar));
    static const rm_wchar trailing_nul[] = {'C', ':', '\\', 'a', 0};
    assert_int_equal(rm_path_canonicalize(trailing_nul, 5, out, 16, NULL), 0);

    /* in_len, not a NUL, ends the input: the rest of the buffer is never read. */
    static const rm_wchar longer[] = u"C:\\abc\\def";
    rm_wchar *in = heap_units(longer, 5); /* "C:\ab" with no NUL */
    assert_int_equal(rm_path_canonicalize(in, 5, out, 16, NULL), 5);
    assert_memory_equal(out, u"C:\\AB", 6 * sizeof(rm_wchar));
    free(in);

    assert_int_equal(rm_path_canonicalize(NULL, 5, out, 16, NULL), 0);
    assert_int_equal(rm_path_canonicalize(longer, 0, out, 16, NULL), 0);
    assert_int_equal(out[0], 0);

    /* A map with no entries array is ignored. */
    rm_device_map empty = {NULL, 3};
    static const rm_wchar dev[] = u"\\Device\\HarddiskVolume1";
    assert_int_equal(rm_path_canonicalize(dev, sizeof(dev) / sizeof(dev[0]) - 1, out, 64, &empty),
                     sizeof(dev) / sizeof(dev[0]) - 1);
}

static void test_surrogates(void **state)
{
    (void)state;
    static const rm_wchar in[] = {'c', ':', '\\', 0xD800, 'x', 0xDC00, '\\', 0xD83D, 0xDE00,
                                  0xDBFF, '\\', 0xDFFF, '.', ' '};
    static const rm_wchar want[] = {'C', ':', '\\', 0xD800, 'X', 0xDC00, '\\', 0xD83D, 0xDE00,
                                    0xDBFF, '\\', 0xDFFF, 0};
    rm_wchar *out;
    size_t r = canon_n(in, sizeof(in) / sizeof(in[0]), 64, NULL, &out);
    assert_int_equal(r, sizeof(want) / sizeof(want[0]) - 1);
    assert_memory_equal(out, want, sizeof(want));
    free(out);
}

/* ---- case folding --------------------------------------------------------------------- */

static void test_upcase_pairs(void **state)
{
    (void)state;
    static const rm_wchar pairs[][2] = {
        {'a', 'A'}, {'z', 'Z'}, {'A', 'A'}, {'0', '0'}, {'_', '_'}, {'{', '{'}, {'`', '`'},
        {0xE0, 0xC0}, {0xF6, 0xD6}, {0xF8, 0xD8}, {0xFE, 0xDE}, {0xFF, 0x178}, {0xF7, 0xF7},
        {0xDF, 0xDF}, {0xB5, 0xB5}, {0xAA, 0xAA},
        {0x101, 0x100}, {0x12F, 0x12E}, {0x130, 0x130}, {0x131, 0x131}, {0x133, 0x132},
        {0x137, 0x136}, {0x138, 0x138}, {0x13A, 0x139}, {0x148, 0x147}, {0x149, 0x149},
        {0x14B, 0x14A}, {0x177, 0x176}, {0x178, 0x178}, {0x17A, 0x179}, {0x17E, 0x17D},
        {0x17F, 0x17F},
        {0x3B1, 0x391}, {0x3C1, 0x3A1}, {0x3C2, 0x3C2}, {0x3C3, 0x3A3}, {0x3CB, 0x3AB},
        {0x3AC, 0x386}, {0x3AF, 0x38A}, {0x3CC, 0x38C}, {0x3CE, 0x38F}, {0x390, 0x390},
        {0x371, 0x370}, {0x37B, 0x3FD}, {0x3D7, 0x3CF}, {0x3D9, 0x3D8}, {0x3EF, 0x3EE},
        {0x3F2, 0x3F9}, {0x3F3, 0x37F}, {0x3F8, 0x3F7}, {0x3FB, 0x3FA}, {0x3D0, 0x3D0},
        {0x430, 0x410}, {0x44F, 0x42F}, {0x450, 0x400}, {0x45F, 0x40F}, {0x461, 0x460},
        {0x481, 0x480}, {0x48B, 0x48A}, {0x4BF, 0x4BE}, {0x4C2, 0x4C1}, {0x4CE, 0x4CD},
        {0x4CF, 0x4C0}, {0x4D1, 0x4D0}, {0x4FF, 0x4FE}, {0x482, 0x482},
        {0x501, 0x501}, {0x561, 0x561}, {0x1E01, 0x1E01}, {0xFF41, 0xFF41}, {0xD800, 0xD800},
    };
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        if (rm_char_upcase(pairs[i][0]) != pairs[i][1])
            fail_msg("upcase(U+%04X) = U+%04X, expected U+%04X", pairs[i][0],
                     rm_char_upcase(pairs[i][0]), pairs[i][1]);
    }
}

static void test_upcase_properties(void **state)
{
    (void)state;
    for (uint32_t c = 0; c <= 0xFFFF; c++) {
        rm_wchar u = rm_char_upcase((rm_wchar)c);
        if (rm_char_upcase(u) != u)
            fail_msg("upcase not idempotent at U+%04X", c);
        if (u == c)
            continue;
        /* Only the documented blocks change, never into ASCII from outside it, and never
         * into a character the canonical form gives a meaning. */
        int in_blocks = c < 0x180 || (c >= 0x370 && c <= 0x4FF);
        if (!in_blocks)
            fail_msg("U+%04X changed outside the documented blocks", c);
        if ((u < 0x80) != (c < 0x80))
            fail_msg("U+%04X crosses the ASCII boundary", c);
        if (u == 0 || u == '.' || u == ' ' || u == '\\' || u == '/' || u == ':' || u == '?')
            fail_msg("U+%04X upper-cases to a special character", c);
        /* Every lower-case letter maps to a distinct upper-case one: a bijection. */
        if (u >= 'a' && u <= 'z')
            fail_msg("U+%04X upper-cases to lower-case ASCII", c);
    }
    for (rm_wchar c = 'a'; c <= 'z'; c++)
        assert_int_equal(rm_char_upcase(c), c - 32);
}

/* ---- helpers: hash, file name offset ----------------------------------------------- */

static void test_hash(void **state)
{
    (void)state;
    assert_int_equal(rm_path_hash(NULL, 0), 2166136261u);
    assert_int_equal(rm_path_hash(u"", 0), 2166136261u);
    /* FNV-1a of the bytes 'A', 0x00. */
    uint32_t h = 2166136261u;
    h = (h ^ 'A') * 16777619u;
    h = (h ^ 0) * 16777619u;
    assert_int_equal(rm_path_hash(u"A", 1), h);
    assert_int_equal(rm_path_hash(u"C:\\X", 4), rm_path_hash(u"C:\\X", 4));
    assert_int_not_equal(rm_path_hash(u"C:\\X", 4), rm_path_hash(u"C:\\Y", 4));
    assert_int_not_equal(rm_path_hash(u"C:\\X", 4), rm_path_hash(u"C:\\X", 3));
    /* Unit order and both bytes count. */
    assert_int_not_equal(rm_path_hash(u"\u0141", 1), rm_path_hash(u"\u4101", 1));
}

/* Pipe and mailslot names are never disk files (inferred from their device types,
 * FILE_DEVICE_NAMED_PIPE / FILE_DEVICE_MAILSLOT; the names are those NtQueryObject gives
 * under Wine 8). */
#define PIPE_OR_MAILSLOT(literal) \
    rm_path_names_pipe_or_mailslot(literal, sizeof(literal) / sizeof((literal)[0]) - 1)
static void test_pipe_or_mailslot_names(void **state)
{
    (void)state;
    assert_true(PIPE_OR_MAILSLOT(u"\\Device\\NamedPipe\\svcctl"));
    assert_true(PIPE_OR_MAILSLOT(u"\\DEVICE\\namedpipe\\LRPC\\irpcss"));
    assert_true(PIPE_OR_MAILSLOT(u"\\Device\\NamedPipe"));
    assert_true(PIPE_OR_MAILSLOT(u"\\Device\\Mailslot\\x"));
    /* a longer device name, a disk volume, a drive path, a cut name: not pipes */
    assert_false(PIPE_OR_MAILSLOT(u"\\Device\\NamedPipeX\\a"));
    assert_false(PIPE_OR_MAILSLOT(u"\\Device\\HarddiskVolume1\\a"));
    assert_false(PIPE_OR_MAILSLOT(u"C:\\Device\\NamedPipe"));
    assert_false(PIPE_OR_MAILSLOT(u"\\Device\\NamedPip"));
    assert_false(rm_path_names_pipe_or_mailslot(u"\\Device\\NamedPipe\\svcctl", 0));
    assert_false(rm_path_names_pipe_or_mailslot(NULL, 5));
}
#undef PIPE_OR_MAILSLOT

static void test_file_name_offset(void **state)
{
    (void)state;
    assert_int_equal(rm_path_file_name_offset(u"C:\\DIR\\FILE.TXT", 15), 7);
    assert_int_equal(rm_path_file_name_offset(u"C:\\FILE", 7), 3);
    assert_int_equal(rm_path_file_name_offset(u"C:\\", 3), 3);
    assert_int_equal(rm_path_file_name_offset(u"\\\\S\\T\\F", 7), 6);
    assert_int_equal(rm_path_file_name_offset(u"\\\\S\\T", 5), 4);
    assert_int_equal(rm_path_file_name_offset(u"NAME", 4), 0);
    assert_int_equal(rm_path_file_name_offset(u"", 0), 0);
    assert_int_equal(rm_path_file_name_offset(NULL, 0), 0);
    /* Only len units are looked at. */
    assert_int_equal(rm_path_file_name_offset(u"C:\\A\\B", 4), 3);
}

static void test_wchar_helpers(void **state)
{
    (void)state;
    assert_int_equal(rm_wcsnlen(u"abc", 10), 3);
    assert_int_equal(rm_wcsnlen(u"abc", 2), 2);
    assert_int_equal(rm_wcsnlen(u"", 10), 0);
    assert_int_equal(rm_wcsnlen(NULL, 10), 0);
    assert_true(rm_wmemeq(u"abc", u"abd", 2));
    assert_false(rm_wmemeq(u"abc", u"abd", 3));
}

/* ---- main -------------------------------------------------------------------------- */

int main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_spellings_of_one_file),
        cmocka_unit_test(test_overlong),
        cmocka_unit_test(test_out_cap),
        cmocka_unit_test(test_embedded_nul_and_length),
        cmocka_unit_test(test_surrogates),
        cmocka_unit_test(test_upcase_pairs),
        cmocka_unit_test(test_upcase_properties),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_file_name_offset),
        cmocka_unit_test(test_pipe_or_mailslot_names),
        cmocka_unit_test(test_wchar_helpers),
    };
    const size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
    static struct CMUnitTest tests[N_CASES + sizeof(fixed) / sizeof(fixed[0])];
    static char names[N_CASES][96];

    for (size_t i = 0; i < N_CASES; i++) {
        snprintf(names[i], sizeof(names[i]), "case_%03zu %s", i,
                 show(cases[i].in, ulen(cases[i].in)));
        tests[i].name = names[i];
        tests[i].test_func = test_case;
        tests[i].setup_func = NULL;
        tests[i].teardown_func = NULL;
        tests[i].initial_state = (void *)&cases[i];
    }
    for (size_t i = 0; i < nfixed; i++)
        tests[N_CASES + i] = fixed[i];
    return _cmocka_run_group_tests("path_norm", tests, N_CASES + nfixed, NULL, NULL);
}
