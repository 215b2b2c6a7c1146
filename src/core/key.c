// SPDX-License-Identifier: LGPL-2.1-or-later
#include "key.h"

#include <string.h>

static const char hex_digits[] = "0123456789abcdef";

void rm_key_from_bytes(const uint8_t bytes[RM_KEY_BYTES], rm_key *key)
{
    for (size_t i = 0; i < RM_KEY_BYTES; i++) {
        key->text[2 * i] = (uint8_t)hex_digits[bytes[i] >> 4];
        key->text[2 * i + 1] = (uint8_t)hex_digits[bytes[i] & 15];
    }
}

void rm_key_to_wide(const rm_key *key, rm_wchar out[RM_KEY_CHARS + 1])
{
    for (size_t i = 0; i < RM_KEY_CHARS; i++)
        out[i] = key->text[i];
    out[RM_KEY_CHARS] = 0;
}

static int hex_value(rm_wchar c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int rm_key_parse(const rm_wchar *text, rm_key *key)
{
    for (size_t i = 0; i < RM_KEY_CHARS; i++) {
        int value = hex_value(text[i]);
        if (value < 0)
            return 0; /* also stops at an early NUL */
        key->text[i] = (uint8_t)hex_digits[value];
    }
    return text[RM_KEY_CHARS] == 0;
}

int rm_key_equal(const rm_key *a, const rm_key *b)
{
    return memcmp(a->text, b->text, RM_KEY_CHARS) == 0;
}
