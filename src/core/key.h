// SPDX-License-Identifier: LGPL-2.1-or-later
/* Session keys: 16 random bytes shown as CCH_RM_SESSION_KEY (32) hex digits. */
#ifndef RM_CORE_KEY_H
#define RM_CORE_KEY_H

#include <stddef.h>
#include <stdint.h>
#include "rm_wchar.h"

#define RM_KEY_CHARS 32
#define RM_KEY_BYTES 16

/* The stored form: 32 lower-case ASCII hex digits, no terminator. */
typedef struct rm_key { uint8_t text[RM_KEY_CHARS]; } rm_key;

/* Formats random bytes as a key. */
void rm_key_from_bytes(const uint8_t bytes[RM_KEY_BYTES], rm_key *key);

/* Writes the key as 32 UTF-16 digits plus a NUL: exactly RM_KEY_CHARS + 1 units. */
void rm_key_to_wide(const rm_key *key, rm_wchar out[RM_KEY_CHARS + 1]);

/* Parses caller text, reading at most RM_KEY_CHARS + 1 units and stopping at the first NUL.
 * Accepts exactly 32 hex digits (either case) followed by a NUL; returns 1 and fills key,
 * else 0. */
int rm_key_parse(const rm_wchar *text, rm_key *key);

int rm_key_equal(const rm_key *a, const rm_key *b);

#endif
