// SPDX-License-Identifier: LGPL-2.1-or-later
/* The console flag and FileDescription read from a PE file (src/core/pe_version.h), on
 * images built in memory (pe_image_builder.h). Each expectation names its source: [doc]
 * a Microsoft page, [wine] what Wine's GetFileVersionInfoW, FindResourceW and
 * VerQueryValueW do (kernelbase/version.c, ntdll/resource.c), [old] what the adapter did
 * before (those calls, its fallback tables, its copy of the string), or [inferred].
 * Malformed images must give "no description" without reading outside what the reader
 * returned. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pe_image_builder.h"
#include "pe_version.h"

#define SENTINEL 0xA5A5u
#define OUT_UNITS 600u

typedef struct memory_file {
    const uint8_t *bytes;
    size_t size;
    unsigned reads;
} memory_file;

static int read_memory(void *context, uint64_t offset, void *buffer, size_t size)
{
    memory_file *file = context;
    file->reads++;
    if (offset > file->size || size > file->size - offset)
        return 0;
    memcpy(buffer, file->bytes + offset, size);
    return 1;
}

typedef struct outcome {
    int is_console;
    int no_memory;
    int has_mui;
    unsigned reads;
    char description[OUT_UNITS + 1]; /* ASCII; '?' for other units */
} outcome;

/* Reads bytes[0..size) with the languages given, into a buffer of capacity units, and
 * checks the output's bounds: NUL-terminated within capacity, nothing written after. */
static outcome read_with(const uint8_t *bytes, size_t size, const uint16_t *languages,
                         size_t language_count, size_t capacity)
{
    /* Exactly size bytes on the heap, so that ASan sees any read past them. */
    uint8_t *copy = malloc(size ? size : 1);
    assert_non_null(copy);
    if (size)
        memcpy(copy, bytes, size);
    memory_file file = { copy, size, 0 };
    rm_wchar out[OUT_UNITS];
    for (size_t i = 0; i < OUT_UNITS; i++)
        out[i] = SENTINEL;
    assert_true(capacity <= OUT_UNITS);
    rm_pe_image_facts facts =
        rm_pe_image_read(read_memory, &file, languages, language_count, out, capacity);
    outcome result;
    memset(&result, 0, sizeof(result));
    result.is_console = facts.is_console;
    result.no_memory = facts.no_memory;
    result.has_mui = facts.has_mui;
    result.reads = file.reads;
    if (capacity) {
        size_t n = rm_wcsnlen(out, capacity);
        assert_true(n < capacity);
        for (size_t i = 0; i < n; i++)
            result.description[i] = out[i] < 0x80 ? (char)out[i] : '?';
        for (size_t i = n + 1; i < OUT_UNITS; i++)
            assert_int_equal(out[i], SENTINEL);
    } else {
        for (size_t i = 0; i < OUT_UNITS; i++)
            assert_int_equal(out[i], SENTINEL);
    }
    free(copy);
    return result;
}

static const uint16_t us_english[] = { 0x0000, 0x0409 };

static outcome read_image(const peb_image *image)
{
    return read_with(image->bytes, image->size, us_english, 2, 256);
}

/* --- images ---------------------------------------------------------------------- */

static peb_image image;
static uint8_t version_data[PEB_MAX_RESOURCES][PEB_MAX_BYTES / 2];
static size_t version_size; /* of the last build_version_image's block */

/* An image whose version resource (language 0x0409) is spec. */
static void build_version_image(int pe32plus, uint32_t subsystem, const peb_version *spec)
{
    peb_resource resource = { PEB_RT_VERSION, 1, 0x0409, version_data[0], 0 };
    resource.size = version_size = peb_version_build(spec, version_data[0]);
    peb_spec image_spec = { pe32plus, subsystem, &resource, 1, 0 };
    peb_build(&image_spec, &image);
}

static const peb_string_table us_table[] = { { "040904b0", u"Standard Description", 0 } };

/* PE32, GUI, Translation 0409/04b0 and its table. */
static void build_standard_image(void)
{
    peb_version spec = { 1, 0x0409, 0x04b0, us_table, 1, NULL, NULL, NULL, NULL };
    build_version_image(0, PEB_GUI, &spec);
}

static void put32(size_t at, uint32_t value)
{
    peb_put32(image.bytes + at, value);
}

static void put16(size_t at, uint32_t value)
{
    peb_put16(image.bytes + at, value);
}

/* --- the console flag ------------------------------------------------------------- */

/* [doc] "PE Format": Subsystem at offset 68 of the optional header in PE32 and PE32+;
 * IMAGE_SUBSYSTEM_WINDOWS_CUI (3) is a console program, WINDOWS_GUI (2) not. */
static void test_console_and_gui_in_pe32_and_pe32plus(void **state)
{
    (void)state;
    for (int pe32plus = 0; pe32plus <= 1; pe32plus++) {
        peb_spec spec = { pe32plus, PEB_CUI, NULL, 0, 0 };
        peb_build(&spec, &image);
        outcome got = read_image(&image);
        assert_int_equal(got.is_console, 1);
        assert_string_equal(got.description, "");
        spec.subsystem = PEB_GUI;
        peb_build(&spec, &image);
        assert_int_equal(read_image(&image).is_console, 0);
        spec.subsystem = 9; /* IMAGE_SUBSYSTEM_WINDOWS_CE_GUI */
        peb_build(&spec, &image);
        assert_int_equal(read_image(&image).is_console, 0);
    }
}

/* [old] the adapter read the Subsystem without looking at the optional header's magic;
 * [doc] "PE Format": the data directories' place depends on it, so an unknown magic has
 * no resources to look at. */
static void test_console_without_known_magic(void **state)
{
    (void)state;
    build_standard_image();
    put16(PEB_LFANEW + 24 + 68, PEB_CUI);
    put16(PEB_LFANEW + 24, 0x107); /* a ROM image's magic */
    outcome got = read_image(&image);
    assert_int_equal(got.is_console, 1);
    assert_string_equal(got.description, "");
}

/* [doc] "PE Format": "MZ" at 0, e_lfanew at 0x3C, "PE\0\0" there; [old] e_lfanew > 0. */
static void test_not_a_pe_file(void **state)
{
    (void)state;
    build_standard_image();
    put16(PEB_LFANEW + 24 + 68, PEB_CUI);
    assert_int_equal(read_image(&image).is_console, 1);
    static const uint32_t bad_lfanew[] = { 0, 0x80000000u, 0xFFFFFFFFu, 0x7FFFFFF0u,
                                           PEB_MAX_BYTES };
    for (size_t i = 0; i < sizeof(bad_lfanew) / sizeof(bad_lfanew[0]); i++) {
        build_standard_image();
        put16(PEB_LFANEW + 24 + 68, PEB_CUI);
        put32(0x3C, bad_lfanew[i]);
        outcome got = read_image(&image);
        assert_int_equal(got.is_console, 0);
        assert_string_equal(got.description, "");
    }
    build_standard_image();
    put16(PEB_LFANEW + 24 + 68, PEB_CUI);
    image.bytes[PEB_LFANEW + 2] = 'X';
    assert_int_equal(read_image(&image).is_console, 0);
    build_standard_image();
    image.bytes[1] = 'X';
    assert_string_equal(read_image(&image).description, "");
}

/* --- where the version resource is ------------------------------------------------- */

/* [doc] "PE Format": data directory 2 is the resource table; without one (RVA 0, or
 * fewer than 3 directories) there is no version resource. [wine] GetFileVersionInfoSizeW
 * fails. */
static void test_no_resources(void **state)
{
    (void)state;
    peb_spec spec = { 0, PEB_GUI, NULL, 0, 0 };
    peb_build(&spec, &image);
    assert_string_equal(read_image(&image).description, "");
    build_standard_image();
    assert_string_equal(read_image(&image).description, "Standard Description");
    put32(PEB_LFANEW + 24 + 92, 2); /* NumberOfRvaAndSizes */
    assert_string_equal(read_image(&image).description, "");
    build_standard_image();
    put32(image.resource_entry + 4, 0); /* Size */
    assert_string_equal(read_image(&image).description, "");
}

/* [doc] "VerQueryValueW" / "GetFileVersionInfoW": a file without a version resource has
 * no version information. */
static void test_no_version_resource(void **state)
{
    (void)state;
    static const uint8_t icon[16] = { 1, 2, 3 };
    peb_resource resource = { PEB_RT_ICON, 1, 0x0409, icon, sizeof(icon) };
    peb_spec spec = { 1, PEB_CUI, &resource, 1, 0 };
    peb_build(&spec, &image);
    outcome got = read_image(&image);
    assert_int_equal(got.is_console, 1);
    assert_string_equal(got.description, "");
}

/* [wine] GetFileVersionInfoW asks for the resource named 1 (VS_VERSION_INFO) only: a
 * version resource under another name is not found. */
static void test_version_resource_under_other_name(void **state)
{
    (void)state;
    peb_version version = { 1, 0x0409, 0x04b0, us_table, 1, NULL, NULL, NULL, NULL };
    peb_resource resource = { PEB_RT_VERSION, 2, 0x0409, version_data[0], 0 };
    resource.size = peb_version_build(&version, version_data[0]);
    peb_spec spec = { 0, PEB_GUI, &resource, 1, 0 };
    peb_build(&spec, &image);
    assert_string_equal(read_image(&image).description, "");
}

/* [doc] "GetFileVersionInfoW", Remarks: the strings of a file with language satellites
 * ("MUI" resources, as Windows' own files have) come from the satellite of the user's
 * language, which this reader does not read: it says so (has_mui) and gives no
 * description, for the adapter to ask the system. [doc] "PE Format", resource directory
 * table: the name entries come before the id entries. */
static void test_mui_type_leaves_description_to_the_system(void **state)
{
    (void)state;
    static const uint8_t icon[16] = { 1 };
    peb_version version = { 1, 0x0409, 0x04b0, us_table, 1, NULL, NULL, NULL, NULL };
    peb_resource resources[2] = { { PEB_RT_ICON, 1, 0x0409, icon, sizeof(icon) },
                                  { PEB_RT_VERSION, 1, 0x0409, version_data[0], 0 } };
    resources[1].size = peb_version_build(&version, version_data[0]);
    peb_spec spec = { 1, PEB_GUI, resources, 2, 1 };
    peb_build(&spec, &image);
    outcome with_mui = read_image(&image);
    assert_int_equal(with_mui.has_mui, 1);
    assert_string_equal(with_mui.description, "");
    spec.named_type = 0;
    peb_build(&spec, &image);
    outcome without = read_image(&image);
    assert_int_equal(without.has_mui, 0);
    assert_string_equal(without.description, "Standard Description");
}

/* [wine] RtlImageDirectoryEntryToData: a directory RVA below SizeOfHeaders is its file
 * offset (Wine maps the file as an image: the headers are there); any other must lie in
 * a section's raw data. */
static void test_resource_directory_rva(void **state)
{
    (void)state;
    build_standard_image();
    put32(image.resource_entry, PEB_RSRC_FILE_OFFSET);
    assert_string_equal(read_image(&image).description, "");
    put32(PEB_LFANEW + 24 + 60, (uint32_t)image.size); /* SizeOfHeaders covers the tree */
    assert_string_equal(read_image(&image).description, "Standard Description");
    build_standard_image();
    put32(image.section + 16, 0x10); /* SizeOfRawData: the directory lies past it */
    put32(image.resource_entry, PEB_RSRC_RVA + 0x10);
    assert_string_equal(read_image(&image).description, "");
}

/* --- which string table -------------------------------------------------------------- */

/* [doc] "VerQueryValueW": \VarFileInfo\Translation is an array of language and code page
 * pairs, and \StringFileInfo\<lang><cp>\FileDescription the string in that table; [old]
 * the first pair's table is asked first. */
static void test_translation_table_first(void **state)
{
    (void)state;
    static const peb_string_table tables[] = { { "040704b0", u"Beschreibung", 0 },
                                               { "040904b0", u"Description", 0 } };
    peb_version spec = { 1, 0x0407, 0x04b0, tables, 2, NULL, NULL, NULL, NULL };
    build_version_image(0, PEB_GUI, &spec);
    assert_string_equal(read_image(&image).description, "Beschreibung");
    spec.language = 0x0409;
    build_version_image(0, PEB_GUI, &spec);
    assert_string_equal(read_image(&image).description, "Description");
}

/* [old] without Translation, or without its table: 040904b0, 040904e4, 000004b0 in that
 * order, and no other table. */
static void test_fallback_tables(void **state)
{
    (void)state;
    static const struct {
        const char *tables[2];
        int translation;
        const char *expected;
    } cases[] = {
        { { "040904b0", NULL }, 0, "040904b0" },
        { { "040904e4", NULL }, 0, "040904e4" },
        { { "000004b0", NULL }, 0, "000004b0" },
        { { "000004b0", "040904e4" }, 0, "040904e4" },
        { { "040904e4", "040904b0" }, 0, "040904b0" },
        { { "040704b0", NULL }, 0, "" },
        { { "040904b0", NULL }, 1, "040904b0" },   /* Translation 0407/04b0, no table */
        { { "04090000", NULL }, 0, "" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        /* Each table's description is its own key. */
        peb_string_table tables[2];
        uint16_t texts[2][9];
        size_t count = 0;
        for (; count < 2 && cases[i].tables[count]; count++) {
            for (size_t c = 0; c < 9; c++)
                texts[count][c] = (uint16_t)(unsigned char)cases[i].tables[count][c];
            tables[count].key = cases[i].tables[count];
            tables[count].description = texts[count];
            tables[count].zero_length = 0;
        }
        peb_version spec = { cases[i].translation, 0x0407, 0x04b0, tables, count,
                             NULL, NULL, NULL, NULL };
        build_version_image(1, PEB_GUI, &spec);
        outcome got = read_image(&image);
        if (strcmp(got.description, cases[i].expected) != 0)
            fail_msg("case %zu: got \"%s\", expected \"%s\"", i, got.description,
                     cases[i].expected);
    }
}

/* [old] a description found but empty (no units, or wValueLength 0) is not one: the next
 * table is asked. */
static void test_empty_description_falls_back(void **state)
{
    (void)state;
    peb_string_table tables[] = { { "040704b0", u"", 0 }, { "040904b0", u"Fallback", 0 } };
    peb_version spec = { 1, 0x0407, 0x04b0, tables, 2, NULL, NULL, NULL, NULL };
    build_version_image(0, PEB_GUI, &spec);
    assert_string_equal(read_image(&image).description, "Fallback");
    tables[0].description = u"Has text";
    tables[0].zero_length = 1;
    build_version_image(0, PEB_GUI, &spec);
    assert_string_equal(read_image(&image).description, "Fallback");
    tables[1].description = u"";
    build_version_image(0, PEB_GUI, &spec);
    assert_string_equal(read_image(&image).description, "");
}

/* [wine] VerQueryValueW compares keys case-insensitively (wcsnicmp); [inferred] only ASCII
 * letters fold in the C locale (name_compare.h). A key must end where the asked one
 * does. */
static void test_keys_in_other_case(void **state)
{
    (void)state;
    static const peb_string_table tables[] = { { "040704B0", u"Upper-case keys", 0 } };
    peb_version spec = { 1, 0x0407, 0x04b0, tables, 1, "STRINGFILEINFO", "varfileinfo",
                         "TRANSLATION", "fileDESCRIPTION" };
    build_version_image(0, PEB_GUI, &spec);
    assert_string_equal(read_image(&image).description, "Upper-case keys");
    spec.file_description = "FileDescriptionX";
    build_version_image(0, PEB_GUI, &spec);
    assert_string_equal(read_image(&image).description, "");
    spec.file_description = "FileDescriptio";
    build_version_image(0, PEB_GUI, &spec);
    assert_string_equal(read_image(&image).description, "");
    spec.file_description = NULL;
    spec.string_file_info = "StringFileInf0";
    build_version_image(0, PEB_GUI, &spec);
    assert_string_equal(read_image(&image).description, "");
}

/* --- which language --------------------------------------------------------------- */

/* [doc] "FindResourceExW": the resource of the language asked; [wine] FindResourceW's
 * LANG_NEUTRAL lookup tries its list of languages in order, then takes the first entry. */
static void test_preferred_languages(void **state)
{
    (void)state;
    static const peb_string_table neutral[] = { { "000004b0", u"Neutral", 0 } };
    static const peb_string_table german[] = { { "040704b0", u"Deutsch", 0 } };
    static const peb_string_table english[] = { { "040904b0", u"English", 0 } };
    peb_version neutral_spec = { 1, 0x0000, 0x04b0, neutral, 1, NULL, NULL, NULL, NULL };
    peb_version german_spec = { 1, 0x0407, 0x04b0, german, 1, NULL, NULL, NULL, NULL };
    peb_version english_spec = { 1, 0x0409, 0x04b0, english, 1, NULL, NULL, NULL, NULL };
    peb_resource resources[3] = { { PEB_RT_VERSION, 1, 0x0000, version_data[0], 0 },
                                  { PEB_RT_VERSION, 1, 0x0407, version_data[1], 0 },
                                  { PEB_RT_VERSION, 1, 0x0409, version_data[2], 0 } };
    resources[0].size = peb_version_build(&neutral_spec, version_data[0]);
    resources[1].size = peb_version_build(&german_spec, version_data[1]);
    resources[2].size = peb_version_build(&english_spec, version_data[2]);
    static const struct {
        uint16_t languages[3];
        size_t count;
        int with_neutral;
        const char *expected;
    } cases[] = {
        { { 0x0409 }, 1, 1, "English" },
        { { 0x0407 }, 1, 1, "Deutsch" },
        { { 0x0000, 0x0409 }, 2, 1, "Neutral" },
        { { 0x0000, 0x0409 }, 2, 0, "English" },
        { { 0x040C, 0x0407, 0x0409 }, 3, 0, "Deutsch" },
        { { 0x040C }, 1, 0, "Deutsch" },     /* none listed: the first entry */
        { { 0 }, 0, 0, "Deutsch" },
        { { 0x040C, 0x040C }, 2, 1, "Neutral" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        peb_spec spec = { 0, PEB_GUI, cases[i].with_neutral ? resources : resources + 1,
                          cases[i].with_neutral ? 3 : 2, 0 };
        peb_build(&spec, &image);
        outcome got = read_with(image.bytes, image.size, cases[i].languages, cases[i].count, 256);
        if (strcmp(got.description, cases[i].expected) != 0)
            fail_msg("case %zu: got \"%s\", expected \"%s\"", i, got.description,
                     cases[i].expected);
    }
    /* One language: taken whatever the list. */
    peb_spec one = { 0, PEB_GUI, resources + 1, 1, 0 };
    peb_build(&one, &image);
    static const uint16_t french[] = { 0x040C };
    assert_string_equal(read_with(image.bytes, image.size, french, 1, 256).description, "Deutsch");
}

/* --- the string ------------------------------------------------------------------- */

/* [old] the description keeps at most capacity - 1 units (CCH_RM_MAX_APP_NAME of
 * RM_PROCESS_INFO's strAppName) and a NUL. */
static void test_truncation_to_capacity(void **state)
{
    (void)state;
    uint16_t long_text[301];
    char expected[301];
    for (size_t i = 0; i < 300; i++) {
        long_text[i] = (uint16_t)('a' + i % 26);
        expected[i] = (char)long_text[i];
    }
    long_text[300] = 0;
    expected[300] = 0;
    peb_string_table tables[] = { { "040904b0", long_text, 0 } };
    peb_version spec = { 1, 0x0409, 0x04b0, tables, 1, NULL, NULL, NULL, NULL };
    build_version_image(0, PEB_GUI, &spec);
    outcome got = read_with(image.bytes, image.size, us_english, 2, 256);
    assert_int_equal(strlen(got.description), 255);
    assert_memory_equal(got.description, expected, 255);
    assert_string_equal(read_with(image.bytes, image.size, us_english, 2, 301).description,
                        expected);
    got = read_with(image.bytes, image.size, us_english, 2, 5);
    assert_string_equal(got.description, "abcd");
    assert_string_equal(read_with(image.bytes, image.size, us_english, 2, 1).description, "");
    read_with(image.bytes, image.size, us_english, 2, 0); /* writes nothing */
}

/* [inferred] units other than ASCII are kept as they are. */
static void test_non_ascii_description(void **state)
{
    (void)state;
    static const peb_string_table tables[] = { { "040904b0", u"Caf\u00e9 \u4e2d", 0 } };
    peb_version spec = { 1, 0x0409, 0x04b0, tables, 1, NULL, NULL, NULL, NULL };
    build_version_image(0, PEB_GUI, &spec);
    memory_file file = { image.bytes, image.size, 0 };
    rm_wchar out[16];
    rm_pe_image_read(read_memory, &file, us_english, 2, out, 16);
    static const rm_wchar expected[] = { 'C', 'a', 'f', 0xE9, ' ', 0x4E2D, 0 };
    assert_memory_equal(out, expected, sizeof(expected));
}

/* --- malformed images: no description, no crash, no read outside the file ----------- */

/* [inferred] every prefix of a valid image: the description is all or nothing, and the
 * console flag needs the headers up to the Subsystem. */
static void test_every_truncation(void **state)
{
    (void)state;
    build_standard_image();
    put16(PEB_LFANEW + 24 + 68, PEB_CUI);
    int found_at = -1;
    for (size_t size = 0; size <= image.size; size++) {
        outcome got = read_with(image.bytes, size, us_english, 2, 256);
        assert_int_equal(got.is_console, size >= PEB_LFANEW + 24 + 70);
        if (got.description[0]) {
            assert_string_equal(got.description, "Standard Description");
            if (found_at < 0)
                found_at = (int)size;
        } else {
            assert_int_equal(found_at, -1); /* once found, found for every longer prefix */
        }
    }
    /* Found only once the whole version block is there. */
    assert_int_equal(found_at, (int)(image.data[0] + version_size));
}

static outcome read_standard_mutated(size_t at, uint32_t value, int bytes)
{
    build_standard_image();
    if (bytes == 2)
        put16(at, value);
    else
        put32(at, value);
    return read_image(&image);
}

/* [inferred] offsets, sizes and counts that point outside the file or at nonsense. */
static void test_bad_offsets_and_counts(void **state)
{
    (void)state;
    build_standard_image();
    const size_t entry = image.resource_entry, section = image.section;
    const size_t root = PEB_RSRC_FILE_OFFSET, names = image.name_directory;
    const size_t languages = image.language_directory, data_entry = image.data_entry[0];
    const uint32_t raw = (uint32_t)(image.bytes[section + 16] | image.bytes[section + 17] << 8);
    static struct {
        size_t at;
        uint32_t value;
        int bytes;
        const char *expected;
    } cases[32];
    size_t n = 0;
#define CASE(a, v, b) (cases[n].at = (a), cases[n].value = (v), cases[n].bytes = (b), \
                       cases[n].expected = "", n++)
    CASE(entry, 0x7FFFF000u, 4);                 /* resource RVA in no section */
    CASE(entry, 0xFFFFFFFFu, 4);
    CASE(section + 20, 0xFFFFFF00u, 4);          /* PointerToRawData past the end */
    CASE(section + 16, 0xFFFFFFFFu, 4);          /* SizeOfRawData huge: VA + size does not wrap */
    cases[n - 1].expected = "Standard Description";
    CASE(PEB_LFANEW + 6, 0, 2);                  /* no sections */
    CASE(PEB_LFANEW + 6, 0xFFFF, 2);             /* sections past the end of the file... */
    cases[n - 1].expected = "Standard Description"; /* ...after the one that matches */
    CASE(PEB_LFANEW + 20, 0xFFFF, 2);            /* SizeOfOptionalHeader past the end */
    CASE(root + 14, 0xFFFF, 2);                  /* id entries past the end */
    CASE(root + 12, 0xFFFF, 2);                  /* named entries past the end */
    CASE(image.type_entries + 4, 0xFFFFFFFFu, 4);  /* RT_VERSION's directory past the end */
    CASE(image.type_entries + 4, 0x80000000u, 4);  /* RT_VERSION's directory is the root */
    CASE(image.type_entries + 4, 0x00000000u, 4);  /* RT_VERSION is a data entry */
    CASE(names + 16 + 4, 0x80000000u | (uint32_t)(names - root), 4); /* name 1 loops back */
    CASE(names + 16, 2, 4);                      /* no name 1 */
    CASE(languages + 16 + 4, 0x80000000u | (uint32_t)(languages - root), 4); /* a directory */
    CASE(languages + 16 + 4, 0x7FFFFFFFu, 4);    /* data entry past the end */
    CASE(languages + 14, 0xFFFF, 2);             /* languages past the end */
    CASE(data_entry, 0xFFFFFFF0u, 4);            /* block RVA in no section */
    CASE(data_entry, PEB_RSRC_RVA + raw - 8, 4); /* block runs past the end of the file */
    CASE(data_entry + 4, 0xFFFFFFFFu, 4);        /* block size huge: capped, past the end */
    CASE(data_entry + 4, 5, 4);                  /* block smaller than a header */
    CASE(data_entry + 4, 0, 4);
    CASE(image.data[0] + 4, 'V', 2);             /* looks like a 16-bit block */
    CASE(image.data[0] + 4, 1, 2);               /* root wType 1: its value counts WCHARs */
#undef CASE
    for (size_t i = 0; i < n; i++) {
        outcome got = read_standard_mutated(cases[i].at, cases[i].value, cases[i].bytes);
        if (strcmp(got.description, cases[i].expected) != 0)
            fail_msg("case %zu (at 0x%zx = 0x%x): got \"%s\"", i, cases[i].at,
                     (unsigned)cases[i].value, got.description);
        /* Bounded work: a few reads per section chunk and directory probe. */
        assert_true(got.reads < 5000);
    }
}

/* [inferred] lengths inside VS_VERSIONINFO that overrun, loop or stop. */
static void test_bad_version_blocks(void **state)
{
    (void)state;
    build_standard_image();
    const size_t block = image.data[0];
    outcome got;
    /* The root's wLength past the block: only what was read is looked at. */
    got = read_standard_mutated(block, 0xFFFF, 2);
    assert_string_equal(got.description, "Standard Description");
    /* The root's wLength shorter than its value: no children. */
    got = read_standard_mutated(block, 8, 2);
    assert_string_equal(got.description, "");
    /* StringFileInfo's wLength 0: VerQueryValueW stops at such a child. */
    build_standard_image();
    const size_t string_info = block + 92; /* 6 + 32 (key) + 2 pad + 52 (value) */
    assert_int_equal(image.bytes[string_info + 6], 'S');
    put16(string_info, 0);
    got = read_image(&image);
    assert_string_equal(got.description, "");
    /* A key without its NUL up to the block's end. */
    build_standard_image();
    for (size_t at = block + 6; at < block + 0x200 && at + 2 <= image.size; at += 2)
        put16(at, 'A');
    assert_string_equal(read_image(&image).description, "");
    /* The value's wValueLength past the block: the children are then past it too. */
    got = read_standard_mutated(block + 2, 0xFFFF, 2);
    assert_string_equal(got.description, "");
    /* The description without its NUL up to the end of the block read: cut there. */
    build_standard_image();
    const size_t size_at = image.data_entry[0] + 4;
    const uint32_t full = (uint32_t)version_size;
    /* Translation comes last; cut the block right after "Standard" in the string. */
    size_t text = 0;
    for (size_t at = block; at + 16 <= block + full; at += 2)
        if (memcmp(image.bytes + at, "S\0t\0a\0n\0d\0a\0r\0d\0", 16) == 0) {
            text = at;
            break;
        }
    assert_true(text != 0);
    put32(size_at, (uint32_t)(text + 16 - block));
    /* Without the Translation block the 040904b0 fallback finds the same table. */
    assert_string_equal(read_image(&image).description, "Standard");
    /* Translation's value shorter than one pair: the fallbacks are asked. */
    static const peb_string_table tables[] = { { "040704b0", u"German", 0 },
                                               { "040904b0", u"US", 0 } };
    peb_version spec = { 1, 0x0407, 0x04b0, tables, 2, NULL, NULL, NULL, NULL };
    build_version_image(0, PEB_GUI, &spec);
    assert_string_equal(read_image(&image).description, "German");
    size_t translation = 0;
    for (size_t at = image.data[0]; at + 22 <= image.data[0] + 1024; at += 2)
        if (memcmp(image.bytes + at, "T\0r\0a\0n\0s\0l\0a\0t\0i\0o\0n\0", 22) == 0) {
            translation = at - 6;
            break;
        }
    assert_true(translation != 0);
    put16(translation + 2, 3);
    assert_string_equal(read_image(&image).description, "US");
}

/* [inferred] the reader's calls cost a system call each: pieces close together (headers,
 * section table, directories, a small block) come in one read, also near the end of the
 * file, at the cost of a few failed reads there. */
static void test_few_reads(void **state)
{
    (void)state;
    build_standard_image();
    const size_t size = image.size;
    outcome got = read_image(&image);
    assert_string_equal(got.description, "Standard Description");
    const unsigned short_file_reads = got.reads;
    image.size = 3 * 4096; /* zeros after the image */
    memset(image.bytes + size, 0, image.size - size);
    got = read_image(&image);
    assert_string_equal(got.description, "Standard Description");
    assert_int_equal(got.reads, 1);
    /* The short file (1 KiB): windows of 4 and 2 KiB fail, one of 1 KiB holds it all. */
    assert_int_equal(short_file_reads, 3);
}

/* [inferred] no_memory only when the block's allocation fails, which it does not here. */
static void test_no_memory_is_not_reported(void **state)
{
    (void)state;
    build_standard_image();
    assert_int_equal(read_image(&image).no_memory, 0);
}

#define TEST(name) cmocka_unit_test(name)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(test_console_and_gui_in_pe32_and_pe32plus),
        TEST(test_console_without_known_magic),
        TEST(test_not_a_pe_file),
        TEST(test_no_resources),
        TEST(test_no_version_resource),
        TEST(test_version_resource_under_other_name),
        TEST(test_mui_type_leaves_description_to_the_system),
        TEST(test_resource_directory_rva),
        TEST(test_translation_table_first),
        TEST(test_fallback_tables),
        TEST(test_empty_description_falls_back),
        TEST(test_keys_in_other_case),
        TEST(test_preferred_languages),
        TEST(test_truncation_to_capacity),
        TEST(test_non_ascii_description),
        TEST(test_every_truncation),
        TEST(test_bad_offsets_and_counts),
        TEST(test_bad_version_blocks),
        TEST(test_few_reads),
        TEST(test_no_memory_is_not_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
