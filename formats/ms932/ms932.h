/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal interface of the MS932 codec, shared with the tokenizer's fused
 * encoding check. The public functions are declared in renkei.h.
 */
#ifndef RK_MS932_H
#define RK_MS932_H

#include <stddef.h>
#include <stdint.h>

#include "renkei.h"

extern const uint64_t rk_ms932_valid_pairs[1024];

/* Nonzero if lead/trail is an MS932 character other than 外字. */
static inline int rk_ms932_pair_valid(unsigned lead, unsigned trail)
{
    unsigned idx = (lead << 8) | trail;
    return (int)((rk_ms932_valid_pairs[idx >> 6] >> (idx & 63)) & 1u);
}

/* 0..59 for a lead byte, -1 otherwise. */
int rk_ms932_lead_index(unsigned lead);

/*
 * Classifies the character at p (avail > 0 bytes left). *len receives the
 * bytes it spans: 2 for a well-formed pair (valid or not), else 1.
 */
rk_ms932_error_kind rk_ms932_classify(const unsigned char *p, size_t avail, size_t *len);

/* Unicode of a pair, 0 if unassigned. */
uint32_t rk_ms932_decode_pair(unsigned lead, unsigned trail);

/* MS932 code of a code point (< 0x100 one byte, else two), 0 if none. */
uint16_t rk_ms932_encode_cp(uint32_t cp);

/* Whether n bytes are UTF-8 text with at least one multi-byte character (the
 * first at *first): a file in UTF-8 where MS932 was due. */
int rk_utf8_text(const unsigned char *s, size_t n, size_t *first);

#endif
