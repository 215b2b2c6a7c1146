// SPDX-License-Identifier: LGPL-2.1-or-later
#include "pe_version.h"
#include "name_compare.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* IMAGE_DOS_HEADER: 64 bytes, e_lfanew at 0x3C. */
#define DOS_HEADER_BYTES 64u
#define DOS_LFANEW_OFFSET 0x3Cu
/* From e_lfanew: Signature (4), IMAGE_FILE_HEADER (20), then the optional header. */
#define FILE_SECTION_COUNT_OFFSET 6u
#define FILE_OPTIONAL_SIZE_OFFSET 20u
#define OPTIONAL_HEADER_OFFSET 24u
#define OPTIONAL_MAGIC_OFFSET (OPTIONAL_HEADER_OFFSET + 0u)
#define OPTIONAL_SIZE_OF_HEADERS_OFFSET (OPTIONAL_HEADER_OFFSET + 60u)
#define OPTIONAL_SUBSYSTEM_OFFSET (OPTIONAL_HEADER_OFFSET + 68u)
/* NumberOfRvaAndSizes, then the data directories (8 bytes each). */
#define PE32_DIRECTORY_COUNT_OFFSET (OPTIONAL_HEADER_OFFSET + 92u)
#define PE32PLUS_DIRECTORY_COUNT_OFFSET (OPTIONAL_HEADER_OFFSET + 108u)
#define RESOURCE_DIRECTORY_INDEX 2u
#define PE32_MAGIC 0x10Bu
#define PE32PLUS_MAGIC 0x20Bu
#define SUBSYSTEM_WINDOWS_CUI 3u
/* What the console check reads (as the old adapter did): up to the Subsystem field. */
#define CONSOLE_HEADER_BYTES (OPTIONAL_SUBSYSTEM_OFFSET + 2u)
/* What the resource lookup reads: up to PE32+'s resource data directory. */
#define NT_HEADER_BYTES \
    (PE32PLUS_DIRECTORY_COUNT_OFFSET + 4u + 8u * (RESOURCE_DIRECTORY_INDEX + 1u))

/* IMAGE_SECTION_HEADER: VirtualAddress at 12, SizeOfRawData at 16, PointerToRawData at 20. */
#define SECTION_BYTES 40u
#define SECTIONS_PER_READ 16u

/* IMAGE_RESOURCE_DIRECTORY (16 bytes, the named and id entry counts at 12 and 14), then
 * IMAGE_RESOURCE_DIRECTORY_ENTRY (8 bytes: name or id, offset with the directory bit). */
#define DIRECTORY_BYTES 16u
#define ENTRY_BYTES 8u
#define ENTRIES_PER_READ 32u
#define ENTRY_IS_DIRECTORY 0x80000000u
#define RT_VERSION 16u
#define VS_VERSION_INFO 1u

/* VS_VERSIONINFO blocks: wLength, wValueLength, wType, then the key. */
#define BLOCK_HEADER_BYTES 6u

/* Small reads are served from two windows of the file: each read of the caller's costs
 * a system call (about 80 us under Wine), and the headers, the section table and the
 * resource directories are small pieces close together. */
#define WINDOW_BYTES 4096u
#define WINDOW_ALIGN 512u
#define WINDOW_COUNT 2u
/* Larger reads (the version block) go to the caller's buffer directly. */
#define DIRECT_READ_BYTES (WINDOW_BYTES / 4u)

typedef struct read_window {
    uint64_t offset;
    size_t size;                /* 0: empty */
    unsigned last_use;
    uint8_t bytes[WINDOW_BYTES];
} read_window;

typedef struct pe_file {
    rm_pe_read_fn read;
    void *context;
    read_window windows[WINDOW_COUNT];
    unsigned clock;
    uint64_t end_below;         /* a read up to here failed: the file ends before */
} pe_file;

/* Where the headers put the sections and the resource directory. */
typedef struct pe_layout {
    uint64_t sections;          /* file offset of the section table */
    uint32_t section_count;
    uint32_t size_of_headers;
    uint32_t resource_rva;      /* 0: no resource directory */
} pe_layout;

static uint16_t get_u16(const uint8_t *at)
{
    return (uint16_t)(at[0] | at[1] << 8);
}

static uint32_t get_u32(const uint8_t *at)
{
    return (uint32_t)at[0] | (uint32_t)at[1] << 8 | (uint32_t)at[2] << 16 | (uint32_t)at[3] << 24;
}

static int read_at(pe_file *file, uint64_t offset, void *buffer, size_t size)
{
    read_window *oldest = &file->windows[0];
    file->clock++;
    for (size_t i = 0; i < WINDOW_COUNT; i++) {
        read_window *window = &file->windows[i];
        if (window->size && offset >= window->offset && offset - window->offset <= window->size &&
            size <= window->size - (size_t)(offset - window->offset)) {
            memcpy(buffer, window->bytes + (offset - window->offset), size);
            window->last_use = file->clock;
            return 1;
        }
        if (window->last_use < oldest->last_use)
            oldest = window;
    }
    if (size > DIRECT_READ_BYTES)
        return file->read(file->context, offset, buffer, size) == 1;
    /* A window from a little before offset (bisections probe backwards too). The reader
     * returns all or nothing: near the end of the file the window is halved until it
     * reads (what failed is remembered), down to the bytes asked for. */
    uint64_t start = offset - offset % WINDOW_ALIGN;
    const size_t span = (size_t)(offset - start) + size;
    size_t filled = 0;
    for (size_t want = WINDOW_BYTES; want >= span && want >= WINDOW_ALIGN; want /= 2) {
        if (start + want > file->end_below)
            continue;
        if (file->read(file->context, start, oldest->bytes, want)) {
            filled = want;
            break;
        }
        file->end_below = start + want;
    }
    if (!filled) {
        start = offset;
        filled = size;
        if (!file->read(file->context, start, oldest->bytes, size)) {
            oldest->size = 0;
            return 0;
        }
    }
    oldest->offset = start;
    oldest->size = filled;
    oldest->last_use = file->clock;
    memcpy(buffer, oldest->bytes + (offset - start), size);
    return 1;
}

/* The console flag, and the layout when the file has a resource directory (0 if not). */
static int read_headers(pe_file *file, rm_pe_image_facts *facts, pe_layout *layout)
{
    uint8_t dos[DOS_HEADER_BYTES];
    uint8_t nt[NT_HEADER_BYTES];
    if (!read_at(file, 0, dos, sizeof(dos)) || dos[0] != 'M' || dos[1] != 'Z')
        return 0;
    const int32_t lfanew = (int32_t)get_u32(dos + DOS_LFANEW_OFFSET);
    if (lfanew <= 0 || !read_at(file, (uint64_t)lfanew, nt, CONSOLE_HEADER_BYTES) ||
        nt[0] != 'P' || nt[1] != 'E' || nt[2] != 0 || nt[3] != 0)
        return 0;
    facts->is_console = get_u16(nt + OPTIONAL_SUBSYSTEM_OFFSET) == SUBSYSTEM_WINDOWS_CUI;

    size_t count_at;
    switch (get_u16(nt + OPTIONAL_MAGIC_OFFSET)) {
    case PE32_MAGIC: count_at = PE32_DIRECTORY_COUNT_OFFSET; break;
    case PE32PLUS_MAGIC: count_at = PE32PLUS_DIRECTORY_COUNT_OFFSET; break;
    default: return 0;
    }
    const size_t entry_at = count_at + 4u + 8u * RESOURCE_DIRECTORY_INDEX;
    const size_t needed = entry_at + 8u;
    if (!read_at(file, (uint64_t)lfanew + CONSOLE_HEADER_BYTES, nt + CONSOLE_HEADER_BYTES,
                 needed - CONSOLE_HEADER_BYTES))
        return 0;
    if (get_u32(nt + count_at) <= RESOURCE_DIRECTORY_INDEX || get_u32(nt + entry_at) == 0 ||
        get_u32(nt + entry_at + 4) == 0)
        return 0;
    layout->resource_rva = get_u32(nt + entry_at);
    layout->size_of_headers = get_u32(nt + OPTIONAL_SIZE_OF_HEADERS_OFFSET);
    layout->section_count = get_u16(nt + FILE_SECTION_COUNT_OFFSET);
    layout->sections = (uint64_t)lfanew + OPTIONAL_HEADER_OFFSET +
                       get_u16(nt + FILE_OPTIONAL_SIZE_OFFSET);
    return 1;
}

/* The file offset of rva: in the first section whose raw data covers it, or, when
 * in_headers allows, itself if it lies in the headers. */
static int rva_to_offset(pe_file *file, const pe_layout *layout, uint32_t rva,
                         int in_headers, uint64_t *offset)
{
    if (in_headers && rva < layout->size_of_headers) {
        *offset = rva;
        return 1;
    }
    uint8_t sections[SECTIONS_PER_READ * SECTION_BYTES];
    for (uint32_t first = 0; first < layout->section_count; first += SECTIONS_PER_READ) {
        uint32_t count = layout->section_count - first;
        if (count > SECTIONS_PER_READ)
            count = SECTIONS_PER_READ;
        if (!read_at(file, layout->sections + (uint64_t)first * SECTION_BYTES, sections,
                     (size_t)count * SECTION_BYTES))
            return 0;
        for (uint32_t i = 0; i < count; i++) {
            const uint8_t *section = sections + i * SECTION_BYTES;
            const uint64_t start = get_u32(section + 12);
            if (start <= rva && rva < start + get_u32(section + 16)) {
                *offset = get_u32(section + 20) + (rva - start);
                return 1;
            }
        }
    }
    return 0;
}

/* A resource directory at root + at: its entries' offset and counts. */
typedef struct resource_directory {
    uint64_t entries;
    uint32_t named;
    uint32_t ids;
} resource_directory;

static int open_directory(pe_file *file, uint64_t root, uint32_t at, resource_directory *dir)
{
    uint8_t header[DIRECTORY_BYTES];
    if (!read_at(file, root + at, header, sizeof(header)))
        return 0;
    dir->entries = root + at + DIRECTORY_BYTES;
    dir->named = get_u16(header + 12);
    dir->ids = get_u16(header + 14);
    return 1;
}

/* The entry with id among the id entries, found by bisection as the loader does (the
 * entries are sorted); it counts only if it is of the wanted kind (a subdirectory, or a
 * data entry). Gives the entry's offset from the root. Returns 1 if found, 0 if not, -1
 * if an entry could not be read (the directory is then not trusted for anything else). */
static int find_id(pe_file *file, const resource_directory *dir, uint16_t id,
                   int want_directory, uint32_t *at)
{
    int64_t low = dir->named, high = (int64_t)dir->named + dir->ids - 1;
    while (low <= high) {
        const int64_t middle = (low + high) / 2;
        uint8_t entry[ENTRY_BYTES];
        if (!read_at(file, dir->entries + (uint64_t)middle * ENTRY_BYTES, entry, sizeof(entry)))
            return -1;
        const uint16_t entry_id = get_u16(entry); /* the loader compares the low word */
        if (entry_id == id) {
            const uint32_t target = get_u32(entry + 4);
            if (!(target & ENTRY_IS_DIRECTORY) != !want_directory)
                return 0;
            *at = target & ~ENTRY_IS_DIRECTORY;
            return 1;
        }
        if (entry_id > id)
            high = middle - 1;
        else
            low = middle + 1;
    }
    return 0;
}

/* The first data entry, named or not. */
static int find_first_data(pe_file *file, const resource_directory *dir, uint32_t *at)
{
    uint32_t total = dir->named + dir->ids;
    if (total > RM_PE_MAX_DIRECTORY_ENTRIES)
        total = RM_PE_MAX_DIRECTORY_ENTRIES;
    uint8_t entries[ENTRIES_PER_READ * ENTRY_BYTES];
    for (uint32_t first = 0; first < total; first += ENTRIES_PER_READ) {
        uint32_t count = total - first;
        if (count > ENTRIES_PER_READ)
            count = ENTRIES_PER_READ;
        if (!read_at(file, dir->entries + (uint64_t)first * ENTRY_BYTES, entries,
                     (size_t)count * ENTRY_BYTES))
            return 0;
        for (uint32_t i = 0; i < count; i++) {
            const uint32_t target = get_u32(entries + i * ENTRY_BYTES + 4);
            if (!(target & ENTRY_IS_DIRECTORY)) {
                *at = target;
                return 1;
            }
        }
    }
    return 0;
}

/* Whether the root directory has a resource type named "MUI" (ASCII case folded): the file
 * has language satellites, and GetFileVersionInfoW reads its strings from the one of the
 * user's language ("GetFileVersionInfoW", Remarks), which this reader does not. Named
 * entries come before the id entries; each name is a WORD count and its UTF-16 units. */
static int has_mui_type(pe_file *file, uint64_t root, const resource_directory *dir)
{
    uint32_t named = dir->named < RM_PE_MAX_DIRECTORY_ENTRIES ? dir->named
                                                              : RM_PE_MAX_DIRECTORY_ENTRIES;
    for (uint32_t i = 0; i < named; i++) {
        uint8_t entry[ENTRY_BYTES], name[8];
        if (!read_at(file, dir->entries + (uint64_t)i * ENTRY_BYTES, entry, sizeof(entry)))
            return 0;
        const uint32_t name_field = get_u32(entry);
        if (!(name_field & ENTRY_IS_DIRECTORY) /* the flag marks a name here */ ||
            !read_at(file, root + (name_field & ~ENTRY_IS_DIRECTORY), name, sizeof(name)))
            continue;
        static const char mui[] = "MUI";
        int equal = get_u16(name) == 3;
        for (size_t k = 0; equal && k < 3; k++) {
            uint16_t unit = get_u16(name + 2 + 2 * k);
            if (unit >= 'a' && unit <= 'z')
                unit = (uint16_t)(unit - 'a' + 'A');
            equal = unit == (uint16_t)mui[k];
        }
        if (equal)
            return 1;
    }
    return 0;
}

/* The version resource's RVA and size. */
static int find_version_resource(pe_file *file, const pe_layout *layout,
                                 const uint16_t *languages, size_t language_count,
                                 uint32_t *rva, uint32_t *size, int *has_mui)
{
    uint64_t root;
    resource_directory dir;
    uint32_t at;
    if (!rva_to_offset(file, layout, layout->resource_rva, 1, &root) ||
        !open_directory(file, root, 0, &dir))
        return 0;
    if (has_mui_type(file, root, &dir)) {
        *has_mui = 1;
        return 0;
    }
    if (find_id(file, &dir, RT_VERSION, 1, &at) != 1 ||
        !open_directory(file, root, at, &dir) ||
        find_id(file, &dir, VS_VERSION_INFO, 1, &at) != 1 || !open_directory(file, root, at, &dir))
        return 0;
    if (language_count > RM_PE_MAX_LANGUAGES)
        language_count = RM_PE_MAX_LANGUAGES;
    int found = 0;
    for (size_t i = 0; i < language_count && !found; i++) {
        int seen = 0; /* each language is looked for once */
        for (size_t j = 0; j < i && !seen; j++)
            seen = languages[j] == languages[i];
        if (!seen)
            found = find_id(file, &dir, languages[i], 0, &at);
    }
    if (found < 0 || (!found && !find_first_data(file, &dir, &at)))
        return 0;
    uint8_t data_entry[8]; /* IMAGE_RESOURCE_DATA_ENTRY: OffsetToData, Size */
    if (!read_at(file, root + at, data_entry, sizeof(data_entry)))
        return 0;
    *rva = get_u32(data_entry);
    *size = get_u32(data_entry + 4);
    return 1;
}

/* One VS_VERSIONINFO block of the version data[0..size). Offsets are from data. */
typedef struct version_block {
    size_t start;
    size_t end;             /* start + wLength (may lie past the data) */
    size_t value;
    size_t value_length;    /* wValueLength */
    size_t children;
} version_block;

static size_t align4(size_t n)
{
    return (n + 3u) & ~(size_t)3u;
}

/* The block at start whose key ends (its NUL) at key_end, or 0 if its header is not in
 * the data. */
static int block_at(const uint8_t *data, size_t size, size_t start, size_t key_end,
                    version_block *block)
{
    if (start + BLOCK_HEADER_BYTES > size)
        return 0;
    const size_t value_length = get_u16(data + start + 2);
    const int text = get_u16(data + start + 4) != 0; /* as VerQueryValueW counts it */
    block->start = start;
    block->end = start + get_u16(data + start);
    block->value = start + align4(key_end + 2u - start);
    block->value_length = value_length;
    block->children = block->value + align4(value_length * (text ? 2u : 1u));
    return 1;
}

/* Whether the key at key_start equals the ASCII key (ASCII letters folded) and ends with
 * it; every unit compared must be in the data. */
static int key_equals(const uint8_t *data, size_t size, size_t key_start, const char *key,
                      size_t length)
{
    for (size_t i = 0; i <= length; i++) {
        const size_t at = key_start + 2u * i;
        if (at + 2u > size)
            return 0;
        const rm_wchar unit = get_u16(data + at);
        const rm_wchar want = i < length ? (rm_wchar)(unsigned char)key[i] : 0;
        if (rm_name_fold(unit) != rm_name_fold(want))
            return 0;
    }
    return 1;
}

/* The first child of parent with that key (VerQueryValueW's search). */
static int find_child(const uint8_t *data, size_t size, const version_block *parent,
                      const char *key, version_block *child)
{
    size_t length = 0;
    while (key[length])
        length++;
    size_t at = parent->children;
    /* Every step moves on by at least 4 bytes, and stops at the data's end. */
    while (at < parent->end && at + BLOCK_HEADER_BYTES <= size) {
        if (key_equals(data, size, at + BLOCK_HEADER_BYTES, key, length))
            return block_at(data, size, at, at + BLOCK_HEADER_BYTES + 2u * length, child);
        const size_t block_length = get_u16(data + at);
        if (block_length == 0)
            return 0;
        at += align4(block_length);
    }
    return 0;
}

static void format_table_key(uint16_t language, uint16_t code_page, char key[9])
{
    static const char digits[] = "0123456789abcdef";
    const uint32_t both = (uint32_t)language << 16 | code_page;
    for (int i = 0; i < 8; i++)
        key[i] = digits[(both >> (28 - 4 * i)) & 0xFu];
    key[8] = 0;
}

/* "\StringFileInfo\<table>\FileDescription" into description, if found and not empty. */
static int copy_description(const uint8_t *data, size_t size, const version_block *root,
                            const char *table, rm_wchar *description, size_t capacity)
{
    version_block string_info, string_table, text;
    if (!find_child(data, size, root, "StringFileInfo", &string_info) ||
        !find_child(data, size, &string_info, table, &string_table) ||
        !find_child(data, size, &string_table, "FileDescription", &text) ||
        text.value_length == 0 || text.value + 2u > size || get_u16(data + text.value) == 0)
        return 0;
    size_t n = 0;
    for (size_t at = text.value; n + 1 < capacity && at + 2u <= size; at += 2u, n++) {
        const rm_wchar unit = get_u16(data + at);
        if (!unit)
            break;
        description[n] = unit;
    }
    description[n] = 0;
    return 1;
}

static void read_description(const uint8_t *data, size_t size, rm_wchar *description,
                             size_t capacity)
{
    version_block root;
    /* A block whose key starts with a printable ANSI character is a 16-bit one to
     * VerQueryValueW (Wine's VersionInfoIs16), whose keys cannot match. */
    if (size < BLOCK_HEADER_BYTES || (data[4] >= 0x20 && data[4] < 0x80))
        return;
    size_t key_end = BLOCK_HEADER_BYTES;
    while (key_end + 2u <= size && get_u16(data + key_end) != 0)
        key_end += 2u;
    if (key_end + 2u > size || !block_at(data, size, 0, key_end, &root))
        return;

    version_block file_info, translation;
    if (find_child(data, size, &root, "VarFileInfo", &file_info) &&
        find_child(data, size, &file_info, "Translation", &translation) &&
        translation.value_length >= 4u && translation.value + 4u <= size) {
        char table[9];
        format_table_key(get_u16(data + translation.value), get_u16(data + translation.value + 2),
                         table);
        if (copy_description(data, size, &root, table, description, capacity))
            return;
    }
    /* The old adapter's fallbacks: US English with Unicode or Western code pages, neutral. */
    static const char *const fallbacks[] = { "040904b0", "040904e4", "000004b0" };
    for (size_t i = 0; i < sizeof(fallbacks) / sizeof(fallbacks[0]); i++)
        if (copy_description(data, size, &root, fallbacks[i], description, capacity))
            return;
}

rm_pe_image_facts rm_pe_image_read(rm_pe_read_fn read, void *context, const uint16_t *languages,
                                   size_t language_count, rm_wchar *description,
                                   size_t capacity)
{
    rm_pe_image_facts facts = { 0 };
    pe_file file;
    file.read = read;
    file.context = context;
    file.clock = 0;
    file.end_below = UINT64_MAX;
    for (size_t i = 0; i < WINDOW_COUNT; i++)
        file.windows[i].size = file.windows[i].last_use = 0;
    pe_layout layout = { 0 };
    uint32_t rva, size;
    uint64_t offset;
    if (capacity)
        description[0] = 0;
    if (!read_headers(&file, &facts, &layout) || !capacity ||
        !find_version_resource(&file, &layout, languages, language_count, &rva, &size,
                               &facts.has_mui) ||
        size < BLOCK_HEADER_BYTES || !rva_to_offset(&file, &layout, rva, 0, &offset))
        return facts;
    const size_t bytes = size < RM_PE_VERSION_MAX_BYTES ? size : RM_PE_VERSION_MAX_BYTES;
    uint8_t *data = malloc(bytes);
    if (!data) {
        facts.no_memory = 1;
        return facts;
    }
    if (read_at(&file, offset, data, bytes))
        read_description(data, bytes, description, capacity);
    free(data);
    return facts;
}
