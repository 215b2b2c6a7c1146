// SPDX-License-Identifier: LGPL-2.1-or-later
/* What a program file's PE image says about it, read from the file itself: whether it is
 * a console program (Subsystem IMAGE_SUBSYSTEM_WINDOWS_CUI) and its FileDescription, the
 * string GetFileVersionInfoW + VerQueryValueW give for "\StringFileInfo\<lang><cp>\
 * FileDescription" with <lang><cp> taken from "\VarFileInfo\Translation" first, then
 * 040904b0, 040904e4 and 000004b0 (a string found but empty counts as not found). The
 * adapter (src/win/getlist/image_info.c) supplies the reading and the languages. Plain
 * C11, no Windows.
 *
 * The file is read as a data file (Windows' loader rules for one, RtlImageRvaToVa):
 * GetFileVersionInfoW maps it (Wine 8 as an image resource), which gives the same bytes
 * wherever the resource directory and the block lie in the sections' raw data, as they
 * do in every file of Wine's system directories (tests/conformance/test_pe_version.c).
 *  - console: "MZ", e_lfanew > 0, "PE\0\0", Subsystem at offset 68 of the optional header
 *    (PE32 and PE32+ alike; the optional header's magic is not looked at for this);
 *  - the resource directory: data directory 2 of a PE32 (0x10b) or PE32+ (0x20b) optional
 *    header, present when NumberOfRvaAndSizes > 2 and its RVA and size are not 0; an RVA
 *    below SizeOfHeaders is its own file offset, any other lies in the first section with
 *    VirtualAddress <= RVA < VirtualAddress + SizeOfRawData (RtlImageDirectoryEntryToData,
 *    RtlImageRvaToVa). Subdirectory offsets count from the directory's start;
 *  - FindResourceW(file, MAKEINTRESOURCE(1), RT_VERSION): type id 16, then name id 1 (no
 *    other name: GetFileVersionInfoW asks for VS_VERSION_INFO only), looked up by binary
 *    search over the id entries as the loader does; then the language: the first of
 *    languages[] that the directory has, else its first data entry (FindResource's
 *    lookup for LANG_NEUTRAL ends there; with one language, the common case, that one is
 *    taken whatever the list);
 *  - the block (IMAGE_RESOURCE_DATA_ENTRY's RVA and size, at most
 *    RM_PE_VERSION_MAX_BYTES) parsed as VS_VERSIONINFO: every block is wLength,
 *    wValueLength, wType, a NUL-terminated UTF-16 key, padding to 4 bytes from the block's
 *    start, the value (wValueLength bytes, or WCHARs when wType is not 0), padding,
 *    children. A root whose key starts with a printable ANSI byte is a 16-bit block to
 *    VerQueryValueW, and has no description here. A child is looked for as
 *    VerQueryValueW does: the first child, starting at the parent's children, before the
 *    parent's wLength, whose key equals (ASCII letters folded); a child of wLength 0 ends
 *    the search. The root's key is not checked
 *    (VerQueryValueW never looks at it). The string is the NUL-terminated text at the
 *    value (as the old adapter copied it), within the block read.
 * PE files only: GetFileVersionInfoW also reads the version block of a 16-bit NE file,
 * but such a program is never a process's image (NTVDM's or winevdm's is).
 * Nothing from the file is trusted: every offset and length is checked against what the
 * reader returned, directories are searched by bisection or scanned up to
 * RM_PE_MAX_DIRECTORY_ENTRIES entries, the tree has its fixed depth (no recursion), and
 * the only allocation is the version block (at most RM_PE_VERSION_MAX_BYTES). The small
 * reads are served from two 4 KiB windows (on the stack, about 8 KiB): an ordinary file
 * costs read() two to six calls. */
#ifndef RM_CORE_PE_VERSION_H
#define RM_CORE_PE_VERSION_H

#include <stddef.h>
#include <stdint.h>

#include "rm_wchar.h"

/* Reads size bytes of the file at offset into buffer; returns 1 only if all were read. */
typedef int (*rm_pe_read_fn)(void *context, uint64_t offset, void *buffer, size_t size);

/* The most of the version block read: VS_VERSIONINFO's wLength is a WORD. */
#define RM_PE_VERSION_MAX_BYTES 65536u
/* The most entries of one resource directory scanned for its first data entry. */
#define RM_PE_MAX_DIRECTORY_ENTRIES 4096u
/* The most languages of the preference list looked at. */
#define RM_PE_MAX_LANGUAGES 16u

typedef struct rm_pe_image_facts {
    int is_console;     /* Subsystem is IMAGE_SUBSYSTEM_WINDOWS_CUI */
    int no_memory;      /* the version block could not be allocated: no description */
    int has_mui;        /* a resource type "MUI": the description is in a language
                           satellite; none is read here (the system's call must answer) */
} rm_pe_image_facts;

/* Reads the file through read(context, ...) and writes its FileDescription to
 * description[0..capacity): at most capacity - 1 units and a NUL, "" if it has none
 * (nothing is written when capacity is 0). languages[0..language_count) are the LANGIDs
 * preferred for the version resource, in order (see above). */
rm_pe_image_facts rm_pe_image_read(rm_pe_read_fn read, void *context, const uint16_t *languages,
                                   size_t language_count, rm_wchar *description,
                                   size_t capacity);

#endif
