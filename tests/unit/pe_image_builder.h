// SPDX-License-Identifier: LGPL-2.1-or-later
/* Small PE images built in memory, for the tests of src/core/pe_version: the native unit
 * test (tests/unit/test_pe_version.c) and the Wine comparison (tests/conformance/
 * test_pe_version.c, which writes them to files for GetFileVersionInfoW). Written
 * independently of the parser: the layouts are those of the PE Format page and of
 * VS_VERSIONINFO, with one section (.rsrc) holding the resource directory. Plain C. */
#ifndef RM_TEST_PE_IMAGE_BUILDER_H
#define RM_TEST_PE_IMAGE_BUILDER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PEB_MAX_BYTES 16384u
#define PEB_MAX_RESOURCES 8u
#define PEB_LFANEW 0x40u
#define PEB_RSRC_FILE_OFFSET 0x200u
#define PEB_RSRC_RVA 0x1000u
#define PEB_RT_ICON 3u
#define PEB_RT_VERSION 16u
#define PEB_CUI 3u /* IMAGE_SUBSYSTEM_WINDOWS_CUI */
#define PEB_GUI 2u /* IMAGE_SUBSYSTEM_WINDOWS_GUI */

static inline void peb_put16(uint8_t *at, uint32_t value)
{
    at[0] = (uint8_t)value;
    at[1] = (uint8_t)(value >> 8);
}

static inline void peb_put32(uint8_t *at, uint32_t value)
{
    peb_put16(at, value & 0xFFFFu);
    peb_put16(at + 2, value >> 16);
}

static inline size_t peb_align(size_t n, size_t to)
{
    return (n + to - 1) / to * to;
}

/* --- VS_VERSIONINFO ------------------------------------------------------------------ */

typedef struct peb_buffer {
    uint8_t bytes[PEB_MAX_BYTES / 2];
    size_t size;
} peb_buffer;

static inline void peb_pad4(peb_buffer *b)
{
    while (b->size % 4)
        b->bytes[b->size++] = 0;
}

/* Opens a block: wLength (set by peb_block_end), wValueLength, wType, key, padding, the
 * value's bytes, padding. Returns its offset. */
static inline size_t peb_block_begin(peb_buffer *b, const char *key, uint32_t type,
                                     uint32_t value_length, const void *value, size_t value_bytes)
{
    peb_pad4(b);
    const size_t start = b->size;
    peb_put16(b->bytes + start + 2, value_length);
    peb_put16(b->bytes + start + 4, type);
    b->size += 6;
    for (size_t i = 0;; i++) {
        peb_put16(b->bytes + b->size, (unsigned char)key[i]);
        b->size += 2;
        if (!key[i])
            break;
    }
    peb_pad4(b);
    if (value_bytes)
        memcpy(b->bytes + b->size, value, value_bytes);
    b->size += value_bytes;
    peb_pad4(b);
    return start;
}

static inline void peb_block_end(peb_buffer *b, size_t start)
{
    peb_put16(b->bytes + start, (uint32_t)(b->size - start));
}

/* A String block whose value is text (UTF-16, NUL-terminated), wValueLength its units with
 * the NUL (or 0 when zero_length). */
static inline void peb_string(peb_buffer *b, const char *key, const uint16_t *text, int zero_length)
{
    size_t units = 0;
    while (text[units])
        units++;
    uint8_t value[1024];
    if (units >= sizeof(value) / 2)
        units = sizeof(value) / 2 - 1;
    for (size_t i = 0; i <= units; i++)
        peb_put16(value + 2 * i, i < units ? text[i] : 0);
    size_t start = peb_block_begin(b, key, 1, zero_length ? 0 : (uint32_t)(units + 1), value,
                                   2 * (units + 1));
    peb_block_end(b, start);
}

typedef struct peb_string_table {
    const char *key;                /* e.g. "040904b0" */
    const uint16_t *description;    /* NULL: no FileDescription */
    int zero_length;                /* FileDescription's wValueLength is 0 */
} peb_string_table;

typedef struct peb_version {
    int has_translation;
    uint16_t language, code_page;
    const peb_string_table *tables;
    size_t table_count;
    /* Key spellings; NULL: the usual ones. */
    const char *string_file_info, *var_file_info, *translation, *file_description;
} peb_version;

/* VS_VERSION_INFO with VS_FIXEDFILEINFO, StringFileInfo (each table has a CompanyName
 * before its FileDescription) and, if asked, VarFileInfo\Translation. */
static inline size_t peb_version_build(const peb_version *spec, uint8_t *out)
{
    static peb_buffer b;
    b.size = 0;
    memset(b.bytes, 0, sizeof(b.bytes));
    uint8_t fixed[52] = { 0 };
    peb_put32(fixed, 0xFEEF04BDu); /* VS_FIXEDFILEINFO's dwSignature */
    peb_put32(fixed + 4, 0x00010000u);
    const size_t root =
        peb_block_begin(&b, "VS_VERSION_INFO", 0, sizeof(fixed), fixed, sizeof(fixed));
    const char *info_key = spec->string_file_info ? spec->string_file_info : "StringFileInfo";
    const size_t info = peb_block_begin(&b, info_key, 1, 0, NULL, 0);
    for (size_t t = 0; t < spec->table_count; t++) {
        const size_t table = peb_block_begin(&b, spec->tables[t].key, 1, 0, NULL, 0);
        peb_string(&b, "CompanyName", u"Example Company", 0);
        if (spec->tables[t].description)
            peb_string(&b, spec->file_description ? spec->file_description : "FileDescription",
                       spec->tables[t].description, spec->tables[t].zero_length);
        peb_block_end(&b, table);
    }
    peb_block_end(&b, info);
    if (spec->has_translation) {
        const size_t var = peb_block_begin(
            &b, spec->var_file_info ? spec->var_file_info : "VarFileInfo", 1, 0, NULL, 0);
        uint8_t pair[4];
        peb_put16(pair, spec->language);
        peb_put16(pair + 2, spec->code_page);
        const size_t translation = peb_block_begin(
            &b, spec->translation ? spec->translation : "Translation", 0, 4, pair, 4);
        peb_block_end(&b, translation);
        peb_block_end(&b, var);
    }
    peb_block_end(&b, root);
    memcpy(out, b.bytes, b.size);
    return b.size;
}

/* --- the image ----------------------------------------------------------------------- */

typedef struct peb_resource {
    uint16_t type, name, language;
    const uint8_t *data;
    size_t size;
} peb_resource;

typedef struct peb_spec {
    int pe32plus;
    uint32_t subsystem;
    /* Sorted by type, name, language; none: no resource directory. */
    const peb_resource *resources;
    size_t resource_count;
    int named_type;     /* a type named "MUI" before the id entries */
} peb_spec;

typedef struct peb_image {
    uint8_t bytes[PEB_MAX_BYTES];
    size_t size;
    /* File offsets, for the malformed cases. */
    size_t resource_entry;                  /* data directory 2: RVA, Size */
    size_t section;                         /* the .rsrc section header */
    size_t type_entries;                    /* the root directory's first id entry */
    size_t name_directory;                  /* RT_VERSION's directory */
    size_t language_directory;              /* RT_VERSION\1's directory */
    size_t data_entry[PEB_MAX_RESOURCES];   /* each IMAGE_RESOURCE_DATA_ENTRY */
    size_t data[PEB_MAX_RESOURCES];         /* each resource's bytes */
} peb_image;

/* Lays the resource directory out at section (offsets from its start) and returns its
 * length. Directories first (root, types, names), then data entries, the "MUI" name,
 * and the data. */
static inline size_t peb_resources(const peb_spec *spec, uint8_t *section, peb_image *image)
{
    const peb_resource *r = spec->resources;
    const size_t n = spec->resource_count;
    size_t types = 0, names[PEB_MAX_RESOURCES] = { 0 }, languages[PEB_MAX_RESOURCES] = { 0 };
    size_t type_of[PEB_MAX_RESOURCES], name_of[PEB_MAX_RESOURCES], name_count = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || r[i].type != r[i - 1].type)
            types++;
        type_of[i] = types - 1;
        if (i == 0 || r[i].type != r[i - 1].type || r[i].name != r[i - 1].name) {
            names[types - 1]++;
            name_count++;
        }
        name_of[i] = name_count - 1;
        languages[name_count - 1]++;
    }
    const size_t named = spec->named_type ? 1 : 0;
    size_t at = 16 + 8 * (named + types);
    size_t type_directory[PEB_MAX_RESOURCES], name_directory[PEB_MAX_RESOURCES];
    for (size_t t = 0; t < types; t++) {
        type_directory[t] = at;
        at += 16 + 8 * names[t];
    }
    for (size_t m = 0; m < name_count; m++) {
        name_directory[m] = at;
        at += 16 + 8 * languages[m];
    }
    size_t data_entry[PEB_MAX_RESOURCES];
    for (size_t i = 0; i < n; i++) {
        data_entry[i] = at;
        at += 16;
    }
    const size_t mui_directory = at, mui_name = at + 16;
    if (named)
        at = peb_align(mui_name + 2 + 2 * 3, 4);
    /* The root. */
    peb_put16(section + 12, (uint32_t)named);
    peb_put16(section + 14, (uint32_t)types);
    size_t entry = 16;
    if (named) {
        peb_put32(section + entry, 0x80000000u | (uint32_t)mui_name);
        peb_put32(section + entry + 4, 0x80000000u | (uint32_t)mui_directory);
        peb_put16(section + mui_name, 3);
        peb_put16(section + mui_name + 2, 'M');
        peb_put16(section + mui_name + 4, 'U');
        peb_put16(section + mui_name + 6, 'I');
        entry += 8;
    }
    image->type_entries = PEB_RSRC_FILE_OFFSET + entry;
    size_t type_entry[PEB_MAX_RESOURCES], name_entry[PEB_MAX_RESOURCES];
    for (size_t t = 0; t < types; t++, entry += 8) {
        type_entry[t] = type_directory[t] + 16;
        peb_put16(section + type_directory[t] + 14, (uint32_t)names[t]);
    }
    for (size_t m = 0; m < name_count; m++) {
        name_entry[m] = name_directory[m] + 16;
        peb_put16(section + name_directory[m] + 14, (uint32_t)languages[m]);
    }
    entry = 16 + 8 * named;
    for (size_t i = 0; i < n; i++) {
        const size_t t = type_of[i], m = name_of[i];
        if (i == 0 || t != type_of[i - 1]) {
            peb_put32(section + entry, r[i].type);
            peb_put32(section + entry + 4, 0x80000000u | (uint32_t)type_directory[t]);
            entry += 8;
            if (r[i].type == PEB_RT_VERSION)
                image->name_directory = PEB_RSRC_FILE_OFFSET + type_directory[t];
        }
        if (i == 0 || m != name_of[i - 1]) {
            peb_put32(section + type_entry[t], r[i].name);
            peb_put32(section + type_entry[t] + 4, 0x80000000u | (uint32_t)name_directory[m]);
            type_entry[t] += 8;
            if (r[i].type == PEB_RT_VERSION && r[i].name == 1)
                image->language_directory = PEB_RSRC_FILE_OFFSET + name_directory[m];
        }
        peb_put32(section + name_entry[m], r[i].language);
        peb_put32(section + name_entry[m] + 4, (uint32_t)data_entry[i]);
        name_entry[m] += 8;
    }
    for (size_t i = 0; i < n; i++) {
        at = peb_align(at, 4);
        peb_put32(section + data_entry[i], PEB_RSRC_RVA + (uint32_t)at);
        peb_put32(section + data_entry[i] + 4, (uint32_t)r[i].size);
        memcpy(section + at, r[i].data, r[i].size);
        image->data_entry[i] = PEB_RSRC_FILE_OFFSET + data_entry[i];
        image->data[i] = PEB_RSRC_FILE_OFFSET + at;
        at += r[i].size;
    }
    return at;
}

/* MZ header, PE signature, file and optional headers (PE32 or PE32+, 16 data
 * directories), one section .rsrc at RVA 0x1000 / file offset 0x200. */
static inline void peb_build(const peb_spec *spec, peb_image *image)
{
    memset(image, 0, sizeof(*image));
    uint8_t *b = image->bytes;
    const size_t nt = PEB_LFANEW, optional = nt + 24;
    const uint32_t optional_size = spec->pe32plus ? 240 : 224;
    b[0] = 'M';
    b[1] = 'Z';
    peb_put32(b + 0x3C, PEB_LFANEW);
    memcpy(b + nt, "PE\0\0", 4);
    peb_put16(b + nt + 4, spec->pe32plus ? 0x8664 : 0x14C);
    peb_put16(b + nt + 6, 1);
    peb_put16(b + nt + 20, optional_size);
    peb_put16(b + nt + 22, 0x0102);
    peb_put16(b + optional, spec->pe32plus ? 0x20B : 0x10B);
    peb_put32(b + optional + 32, 0x1000);   /* SectionAlignment */
    peb_put32(b + optional + 36, 0x200);    /* FileAlignment */
    peb_put16(b + optional + 40, 4);        /* MajorOperatingSystemVersion */
    peb_put16(b + optional + 48, 4);        /* MajorSubsystemVersion */
    peb_put32(b + optional + 60, PEB_RSRC_FILE_OFFSET); /* SizeOfHeaders */
    peb_put16(b + optional + 68, spec->subsystem);
    const size_t directories = optional + (spec->pe32plus ? 112 : 96);
    peb_put32(b + directories - 4, 16);     /* NumberOfRvaAndSizes */
    image->resource_entry = directories + 8 * 2;
    image->section = optional + optional_size;
    size_t length = 0;
    if (spec->resource_count || spec->named_type) {
        length = peb_resources(spec, b + PEB_RSRC_FILE_OFFSET, image);
        peb_put32(b + image->resource_entry, PEB_RSRC_RVA);
        peb_put32(b + image->resource_entry + 4, (uint32_t)length);
    }
    const size_t raw = peb_align(length ? length : 1, 0x200);
    memcpy(b + image->section, ".rsrc", 5);
    peb_put32(b + image->section + 8, (uint32_t)(length ? length : 1));     /* VirtualSize */
    peb_put32(b + image->section + 12, PEB_RSRC_RVA);
    peb_put32(b + image->section + 16, (uint32_t)raw);                      /* SizeOfRawData */
    peb_put32(b + image->section + 20, PEB_RSRC_FILE_OFFSET);
    peb_put32(b + image->section + 36, 0x40000040u);  /* initialised data, readable */
    peb_put32(b + optional + 56, PEB_RSRC_RVA + (uint32_t)peb_align(raw, 0x1000)); /* SizeOfImage */
    image->size = PEB_RSRC_FILE_OFFSET + raw;
}

#endif
