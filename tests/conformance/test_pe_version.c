// SPDX-License-Identifier: LGPL-2.1-or-later
/* White-box: what RmGetList's description reads from a program's file
 * (getlist/image_info.h: rm_image_info_get, over src/core/pe_version) against what the
 * system's API says of the same file, as the adapter asked it before: the console flag
 * from the PE header's Subsystem, the description from GetFileVersionInfoW and
 * VerQueryValueW (Translation's first pair, then 040904b0, 040904e4, 000004b0; an empty
 * string is not one). Compared for
 *  - every .exe and .dll of the system directory and, on a 64-bit system, of the other
 *    bitness's one (SysWOW64 from a 64-bit process; System32 from a 32-bit one, read
 *    with redirection off, as the adapter reads real image paths), and the programs
 *    beside this one (the build's bin directory);
 *  - the images of tests/unit/pe_image_builder.h, written to files: the cases the native
 *    test_pe_version takes from Wine's code, checked against the calls themselves.
 * Any difference fails, printing the path and both answers; the count of files compared
 * is printed (and must exceed 100). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include "getlist/image_info.h"
#include "pe_image_builder.h"
#include "rm_test_support.h"

#define MAX_SHOWN_DIFFERENCES 40

/* --- the old way ------------------------------------------------------------------ */

#define OLD_SUBSYSTEM_OFFSET (24u + 68u)

static BOOL old_read_at(HANDLE file, DWORD offset, void *buffer, DWORD size)
{
    OVERLAPPED at = {0};
    DWORD done = 0;
    at.Offset = offset;
    return ReadFile(file, buffer, size, &done, &at) && done == size;
}

static BOOL old_is_console(const WCHAR *path)
{
    BYTE header[4096];
    LONG pe_offset;
    WORD subsystem = 0;
    BOOL console = FALSE;
    HANDLE file = CreateFileW(path, GENERIC_READ,
                              FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                              OPEN_EXISTING, 0, NULL);
    if (file == INVALID_HANDLE_VALUE)
        return FALSE;
    if (old_read_at(file, 0, header, 0x40) && header[0] == 'M' && header[1] == 'Z') {
        memcpy(&pe_offset, header + 0x3C, sizeof(pe_offset));
        if (pe_offset > 0 &&
            old_read_at(file, (DWORD)pe_offset, header, OLD_SUBSYSTEM_OFFSET + 2) &&
            memcmp(header, "PE\0\0", 4) == 0) {
            memcpy(&subsystem, header + OLD_SUBSYSTEM_OFFSET, sizeof(subsystem));
            console = subsystem == IMAGE_SUBSYSTEM_WINDOWS_CUI;
        }
    }
    CloseHandle(file);
    return console;
}

static BOOL old_copy_description(const void *version, const WCHAR *language, WCHAR *out)
{
    WCHAR query[64];
    WCHAR *text = NULL;
    UINT length = 0;
    swprintf(query, 64, L"\\StringFileInfo\\%ls\\FileDescription", language);
    if (!VerQueryValueW(version, query, (void **)&text, &length) || !text || length == 0 ||
        !text[0])
        return FALSE;
    wcsncpy(out, text, CCH_RM_MAX_APP_NAME);
    out[CCH_RM_MAX_APP_NAME] = 0;
    return TRUE;
}

static void old_description(const WCHAR *path, WCHAR *out)
{
    DWORD ignored = 0;
    DWORD size = GetFileVersionInfoSizeW(path, &ignored);
    out[0] = 0;
    if (size == 0)
        return;
    void *version = calloc(1, size);
    assert_non_null(version);
    if (GetFileVersionInfoW(path, 0, size, version)) {
        WORD *translations = NULL;
        UINT bytes = 0;
        WCHAR language[16];
        BOOL found = FALSE;
        if (VerQueryValueW(version, L"\\VarFileInfo\\Translation", (void **)&translations,
                           &bytes) &&
            translations && bytes >= 2 * sizeof(WORD)) {
            swprintf(language, 16, L"%04x%04x", translations[0], translations[1]);
            found = old_copy_description(version, language, out);
        }
        if (!found && !old_copy_description(version, L"040904b0", out) &&
            !old_copy_description(version, L"040904e4", out))
            old_copy_description(version, L"000004b0", out);
    }
    free(version);
}

/* --- comparing ------------------------------------------------------------------- */

typedef struct tally {
    unsigned compared;
    unsigned described;
    unsigned console;
    unsigned not_pe;
    unsigned differences;
} tally;

/* Whether the file is a PE image ("PE\0\0" at e_lfanew), read here on its own. The others
 * with a version resource are 16-bit NE files, whose version block GetFileVersionInfoW
 * also reads and the PE reader does not: a 16-bit program is never a process's image
 * (NTVDM's or winevdm's is), so only their console flag is compared. */
static BOOL is_pe_file(const WCHAR *path)
{
    HANDLE file = CreateFileW(path, GENERIC_READ,
                              FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                              OPEN_EXISTING, 0, NULL);
    if (file == INVALID_HANDLE_VALUE)
        return FALSE;
    BYTE header[0x40], signature[4];
    DWORD offset;
    BOOL pe = old_read_at(file, 0, header, sizeof(header)) && header[0] == 'M' && header[1] == 'Z';
    if (pe) {
        memcpy(&offset, header + 0x3C, sizeof(offset));
        pe = old_read_at(file, offset, signature, sizeof(signature)) &&
             memcmp(signature, "PE\0\0", 4) == 0;
    }
    CloseHandle(file);
    return pe;
}

/* Compares one file; prints both answers when they differ (the first few), or always
 * when verbose. */
static void compare_file(const WCHAR *path, tally *counts, BOOL verbose)
{
    WCHAR old_text[CCH_RM_MAX_APP_NAME + 1];
    const BOOL old_console = old_is_console(path);
    old_description(path, old_text);
    rm_image_cache cache;
    rm_image_info facts;
    rm_image_cache_init(&cache);
    rm_image_info_get(&cache, path, &facts);
    rm_image_cache_free(&cache);
    assert_false(facts.no_memory);
    counts->compared++;
    counts->described += old_text[0] != 0;
    counts->console += old_console != 0;
    const BOOL pe = is_pe_file(path);
    const BOOL same = !old_console == !facts.is_console &&
                      (!pe || wcscmp(old_text, facts.description) == 0);
    if (!pe && old_text[0]) {
        counts->not_pe++;
        print_message("not PE %ls: description \"%ls\" not compared (new: \"%ls\")\n", path,
                      old_text, facts.description);
    }
    if (!same) {
        if (counts->differences < MAX_SHOWN_DIFFERENCES)
            print_message("DIFFERENT %ls\n  old: console=%d description=\"%ls\"\n"
                          "  new: console=%d description=\"%ls\"\n",
                          path, old_console ? 1 : 0, old_text, facts.is_console ? 1 : 0,
                          facts.description);
        counts->differences++;
    } else if (verbose) {
        print_message("same %ls: console=%d description=\"%ls\"\n", path, old_console ? 1 : 0,
                      old_text);
    }
}

static BOOL is_program_name(const WCHAR *name)
{
    const WCHAR *dot = wcsrchr(name, L'.');
    return dot && (_wcsicmp(dot, L".exe") == 0 || _wcsicmp(dot, L".dll") == 0);
}

/* Every .exe and .dll directly in directory. */
static void compare_directory(const WCHAR *directory, tally *counts)
{
    WCHAR pattern[MAX_PATH];
    swprintf(pattern, MAX_PATH, L"%ls\\*", directory);
    WIN32_FIND_DATAW found;
    HANDLE search = FindFirstFileW(pattern, &found);
    if (search == INVALID_HANDLE_VALUE)
        fail_msg("cannot list %ls (error %lu)", directory, GetLastError());
    const unsigned before = counts->compared;
    do {
        if ((found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) ||
            !is_program_name(found.cFileName))
            continue;
        WCHAR path[MAX_PATH];
        swprintf(path, MAX_PATH, L"%ls\\%ls", directory, found.cFileName);
        compare_file(path, counts, FALSE);
    } while (FindNextFileW(search, &found));
    FindClose(search);
    print_message("%ls: %u files\n", directory, counts->compared - before);
}

static BOOL on_64bit_system(void)
{
    BOOL wow64 = FALSE;
    return sizeof(void *) == 8 || (IsWow64Process(GetCurrentProcess(), &wow64) && wow64);
}

static void report(const char *what, const tally *counts)
{
    print_message("pe_version: %s: %u files compared (%u with a description, %u console; "
                  "%u not PE with a description), %u differences\n",
                  what, counts->compared, counts->described, counts->console, counts->not_pe,
                  counts->differences);
}

/* --- the system's files and ours ------------------------------------------------------ */

static void test_system_and_build_files(void **state)
{
    (void)state;
    tally counts = {0};
    WCHAR directory[MAX_PATH];
    assert_true(GetSystemDirectoryW(directory, MAX_PATH));
    BOOL wow64 = FALSE;
    IsWow64Process(GetCurrentProcess(), &wow64);
    /* A 32-bit process's System32 is SysWOW64 unless redirection is off; the adapter
     * reads real paths, so the old calls read them the same way. */
    PVOID redirection = NULL;
    if (wow64)
        assert_true(Wow64DisableWow64FsRedirection(&redirection));
    compare_directory(directory, &counts);
    if (wow64)
        assert_true(Wow64RevertWow64FsRedirection(redirection));
    if (on_64bit_system()) {
        assert_true(GetSystemWow64DirectoryW(directory, MAX_PATH));
        compare_directory(directory, &counts);
    }
    assert_true(GetModuleFileNameW(NULL, directory, MAX_PATH));
    *wcsrchr(directory, L'\\') = 0;
    compare_directory(directory, &counts);
    report("system and build", &counts);
    assert_true(counts.compared > 100);
    assert_true(counts.described > 0 && counts.console > 0);
    assert_int_equal(counts.differences, 0);
}

/* --- built images ----------------------------------------------------------------- */

static peb_image image;
static uint8_t version_data[3][PEB_MAX_BYTES / 2];

static void write_image(const WCHAR *name, WCHAR *path)
{
    rmt_test_path(name, path);
    HANDLE file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    assert_true(file != INVALID_HANDLE_VALUE);
    DWORD written = 0;
    assert_true(WriteFile(file, image.bytes, (DWORD)image.size, &written, NULL));
    assert_int_equal(written, image.size);
    CloseHandle(file);
}

static void build_version(int pe32plus, uint32_t subsystem, uint16_t name, const peb_version *spec,
                          int named_type)
{
    static const uint8_t icon[16] = { 1 };
    peb_resource resources[2] = { { PEB_RT_ICON, 1, 0x0409, icon, sizeof(icon) },
                                  { PEB_RT_VERSION, name, 0x0409, version_data[0], 0 } };
    resources[1].size = peb_version_build(spec, version_data[0]);
    peb_spec image_spec = { pe32plus, subsystem, resources, 2, named_type };
    peb_build(&image_spec, &image);
}

/* Each case writes one image; the answers are compared, and printed. */
static void test_built_images(void **state)
{
    (void)state;
    tally counts = {0};
    WCHAR path[RMT_PATH_CCH];
    static const peb_string_table us[] = { { "040904b0", u"Standard Description", 0 } };
    static const peb_string_table german_and_us[] = { { "040704b0", u"Beschreibung", 0 },
                                                       { "040904b0", u"Description", 0 } };
    peb_version standard = { 1, 0x0409, 0x04b0, us, 1, NULL, NULL, NULL, NULL };

    build_version(0, PEB_GUI, 1, &standard, 0);
    write_image(L"standard_pe32_gui.exe", path);
    compare_file(path, &counts, TRUE);
    build_version(1, PEB_CUI, 1, &standard, 0);
    write_image(L"standard_pe32plus_console.exe", path);
    compare_file(path, &counts, TRUE);
    build_version(1, PEB_CUI, 1, &standard, 1);
    write_image(L"named_type.dll", path);
    compare_file(path, &counts, TRUE);
    /* VS_VERSION_INFO under another name. */
    build_version(0, PEB_GUI, 2, &standard, 0);
    write_image(L"version_named_2.exe", path);
    compare_file(path, &counts, TRUE);
    /* Translation's table first; without Translation, the fallbacks. */
    peb_version german = { 1, 0x0407, 0x04b0, german_and_us, 2, NULL, NULL, NULL, NULL };
    build_version(0, PEB_GUI, 1, &german, 0);
    write_image(L"translation_german.exe", path);
    compare_file(path, &counts, TRUE);
    german.has_translation = 0;
    build_version(0, PEB_GUI, 1, &german, 0);
    write_image(L"no_translation.exe", path);
    compare_file(path, &counts, TRUE);
    static const char *const fallback_keys[] = { "040904e4", "000004b0", "040704e4" };
    for (size_t i = 0; i < 3; i++) {
        peb_string_table one[] = { { fallback_keys[i], u"Fallback table", 0 } };
        peb_version spec = { 0, 0, 0, one, 1, NULL, NULL, NULL, NULL };
        build_version(0, PEB_GUI, 1, &spec, 0);
        WCHAR name[64];
        swprintf(name, 64, L"fallback_%hs.exe", fallback_keys[i]);
        write_image(name, path);
        compare_file(path, &counts, TRUE);
    }
    /* Empty descriptions: no units, or wValueLength 0. */
    peb_string_table empty[] = { { "040704b0", u"", 0 }, { "040904b0", u"After empty", 0 } };
    peb_version empty_spec = { 1, 0x0407, 0x04b0, empty, 2, NULL, NULL, NULL, NULL };
    build_version(0, PEB_GUI, 1, &empty_spec, 0);
    write_image(L"empty_description.exe", path);
    compare_file(path, &counts, TRUE);
    empty[0].description = u"Has text";
    empty[0].zero_length = 1;
    build_version(0, PEB_GUI, 1, &empty_spec, 0);
    write_image(L"zero_value_length.exe", path);
    compare_file(path, &counts, TRUE);
    /* Keys in other case, and keys that only begin like the asked ones. */
    static const peb_string_table upper[] = { { "040704B0", u"Upper-case keys", 0 } };
    peb_version cased = { 1, 0x0407, 0x04b0, upper, 1, "STRINGFILEINFO", "varfileinfo",
                          "TRANSLATION", "fileDESCRIPTION" };
    build_version(0, PEB_GUI, 1, &cased, 0);
    write_image(L"keys_upper.exe", path);
    compare_file(path, &counts, TRUE);
    cased.file_description = "FileDescriptionX";
    build_version(0, PEB_GUI, 1, &cased, 0);
    write_image(L"key_longer.exe", path);
    compare_file(path, &counts, TRUE);
    /* A long description: cut to CCH_RM_MAX_APP_NAME units. */
    uint16_t long_text[301];
    for (size_t i = 0; i < 300; i++)
        long_text[i] = (uint16_t)('a' + i % 26);
    long_text[300] = 0;
    peb_string_table long_table[] = { { "040904b0", long_text, 0 } };
    peb_version long_spec = { 1, 0x0409, 0x04b0, long_table, 1, NULL, NULL, NULL, NULL };
    build_version(0, PEB_GUI, 1, &long_spec, 0);
    write_image(L"long_description.exe", path);
    compare_file(path, &counts, TRUE);
    /* A 16-bit-looking root, and a root whose wType says text. */
    build_version(0, PEB_GUI, 1, &standard, 0);
    peb_put16(image.bytes + image.data[1] + 4, 'V');
    write_image(L"root_16bit.exe", path);
    compare_file(path, &counts, TRUE);
    build_version(0, PEB_GUI, 1, &standard, 0);
    peb_put16(image.bytes + image.data[1] + 4, 1);
    write_image(L"root_text.exe", path);
    compare_file(path, &counts, TRUE);
    /* The resource directory's RVA below SizeOfHeaders (which covers the whole tree:
     * Wine maps the file as an image, with only the headers at such RVAs). */
    build_version(0, PEB_GUI, 1, &standard, 0);
    peb_put32(image.bytes + image.resource_entry, PEB_RSRC_FILE_OFFSET);
    peb_put32(image.bytes + PEB_LFANEW + 24 + 60, (uint32_t)image.size);
    write_image(L"directory_in_headers.exe", path);
    compare_file(path, &counts, TRUE);
    /* Several languages: the one this process's lists prefer, else the first. */
    static const peb_string_table neutral_table[] = { { "000004b0", u"Neutral", 0 } };
    static const peb_string_table german_table[] = { { "040704b0", u"Deutsch", 0 } };
    static const peb_string_table english_table[] = { { "040904b0", u"English", 0 } };
    const peb_version language_specs[3] = {
        { 1, 0x0000, 0x04b0, neutral_table, 1, NULL, NULL, NULL, NULL },
        { 1, 0x0407, 0x04b0, german_table, 1, NULL, NULL, NULL, NULL },
        { 1, 0x0409, 0x04b0, english_table, 1, NULL, NULL, NULL, NULL },
    };
    peb_resource languages[3];
    static const uint16_t ids[3] = { 0x0000, 0x0407, 0x0409 };
    for (size_t i = 0; i < 3; i++) {
        languages[i] = (peb_resource){ PEB_RT_VERSION, 1, ids[i], version_data[i], 0 };
        languages[i].size = peb_version_build(&language_specs[i], version_data[i]);
    }
    static const struct {
        size_t first, count;
        const wchar_t *name;
    } language_sets[] = {
        { 0, 3, L"languages_neutral_german_english.dll" },
        { 1, 2, L"languages_german_english.dll" },
        { 1, 1, L"language_german.dll" },
    };
    for (size_t i = 0; i < sizeof(language_sets) / sizeof(language_sets[0]); i++) {
        peb_spec spec = { 0, PEB_GUI, languages + language_sets[i].first,
                          language_sets[i].count, 0 };
        peb_build(&spec, &image);
        write_image(language_sets[i].name, path);
        compare_file(path, &counts, TRUE);
    }
    print_message("languages: user UI %04x, system UI %04x, user %04x, system %04x, thread %04lx\n",
                  GetUserDefaultUILanguage(), GetSystemDefaultUILanguage(), GetUserDefaultLangID(),
                  GetSystemDefaultLangID(), (unsigned long)GetThreadLocale());
    report("built images", &counts);
    assert_int_equal(counts.differences, 0);
}

RMT_MAIN_CASES("pe_version", NULL, NULL,
               cmocka_unit_test(test_system_and_build_files),
               rmt_fixture_test(test_built_images))
