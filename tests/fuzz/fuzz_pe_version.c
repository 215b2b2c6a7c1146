// SPDX-License-Identifier: LGPL-2.1-or-later
/* libFuzzer target for rm_pe_image_read() (src/core/pe_version.h): the input is the file.
 *
 * Invariants checked (abort on violation):
 *   - the description is NUL-terminated within its capacity and nothing after the NUL is
 *     written (units past it keep a sentinel);
 *   - the same file gives the same facts again, and with a smaller capacity a prefix of
 *     the same description; the console flag does not depend on the capacity;
 *   - every read the parser asks for lies inside the file it was given (the reader
 *     refuses others, and counts them), and the reads are bounded in number;
 *   - no_memory is never set (the one allocation is capped at 64 KiB).
 * The file is a heap block of its exact size, so that ASan sees any access outside it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "pe_version.h"

#define SENTINEL 0xA5A5u
#define CAPACITY 256u
#define SMALL_CAPACITY 8u
/* Far above what any file needs (section chunks, directory probes, a few headers). */
#define MAX_READS 20000u

typedef struct memory_file {
    const uint8_t *bytes;
    size_t size;
    unsigned reads;
} memory_file;

static int read_memory(void *context, uint64_t offset, void *buffer, size_t size)
{
    memory_file *file = context;
    file->reads++;
    CHECK(buffer && size > 0);
    if (offset > file->size || size > file->size - offset)
        return 0;
    memcpy(buffer, file->bytes + offset, size);
    return 1;
}

static const uint16_t languages[] = { 0x0000, 0x0409, 0x0407 };

static rm_pe_image_facts read_once(const uint8_t *bytes, size_t size, rm_wchar *out,
                                   size_t capacity)
{
    memory_file file = { bytes, size, 0 };
    for (size_t i = 0; i < CAPACITY; i++)
        out[i] = SENTINEL;
    rm_pe_image_facts facts = rm_pe_image_read(read_memory, &file, languages,
                                               sizeof(languages) / sizeof(languages[0]), out,
                                               capacity);
    CHECK(file.reads <= MAX_READS);
    CHECK(!facts.no_memory);
    CHECK(facts.is_console == 0 || facts.is_console == 1);
    size_t n = rm_wcsnlen(out, capacity);
    CHECK(n < capacity);
    for (size_t i = n + 1; i < CAPACITY; i++)
        CHECK(out[i] == SENTINEL);
    return facts;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *bytes = malloc(size ? size : 1);
    CHECK(bytes);
    if (size)
        memcpy(bytes, data, size);
    rm_wchar first[CAPACITY], again[CAPACITY], small[CAPACITY];
    rm_pe_image_facts facts = read_once(bytes, size, first, CAPACITY);
    rm_pe_image_facts facts_again = read_once(bytes, size, again, CAPACITY);
    CHECK(facts.is_console == facts_again.is_console);
    CHECK(memcmp(first, again, sizeof(first)) == 0);
    rm_pe_image_facts facts_small = read_once(bytes, size, small, SMALL_CAPACITY);
    CHECK(facts.is_console == facts_small.is_console);
    size_t n = rm_wcsnlen(small, SMALL_CAPACITY);
    CHECK(n == rm_wcsnlen(first, SMALL_CAPACITY - 1));
    CHECK(memcmp(small, first, n * sizeof(rm_wchar)) == 0);
    free(bytes);
    return 0;
}
