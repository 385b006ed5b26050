/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MS932 (CP932) validation, decoding to UTF-8 and encoding from UTF-8.
 *
 * Knows the encoding only: no files, no threads, no output. The tables come
 * from ms932_tables.c, generated from iconv CP932 (see gen/ms932_gen.c).
 * The classification of one character is shared with the tokenizer's fused
 * check through ms932.h, so both report the same kinds at the same offsets.
 */
#include "ms932.h"

#include <string.h>

#include "ms932_tables.h"

int rk_ms932_lead_index(unsigned lead)
{
    if (lead >= 0x81 && lead <= 0x9F)
        return (int)lead - 0x81;
    if (lead >= 0xE0 && lead <= 0xFC)
        return (int)lead - 0xE0 + 31;
    return -1;
}

rk_ms932_error_kind rk_ms932_classify(const unsigned char *p, size_t avail, size_t *len)
{
    unsigned b = p[0];
    *len = 1;
    if (b < 0x80 || (b >= 0xA1 && b <= 0xDF))
        return RK_MS932_OK;
    if (rk_ms932_lead_index(b) < 0 || avail < 2)
        return RK_MS932_INVALID;
    unsigned t = p[1];
    if (t < 0x40 || t > 0xFC || t == 0x7F)
        return RK_MS932_INVALID; /* the trail byte is not consumed */
    *len = 2;
    if (rk_ms932_pair_valid(b, t))
        return RK_MS932_OK;
    if (b >= 0xF0 && b <= 0xF9)
        return RK_MS932_GAIJI;
    return RK_MS932_UNASSIGNED;
}

/* Length of the all-ASCII run at p, 8 bytes at a time. */
static size_t ascii_run(const unsigned char *p, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080ull)
            break;
    }
    while (i < n && p[i] < 0x80)
        i++;
    return i;
}

size_t rk_ms932_validate(const void *src, size_t n, rk_ms932_error *first)
{
    const unsigned char *p = src;
    size_t i = 0, nbad = 0;
    if (first) {
        first->kind = RK_MS932_OK;
        first->offset = 0;
        first->length = 0;
    }
    while (i < n) {
        i += ascii_run(p + i, n - i);
        if (i >= n)
            break;
        size_t len;
        rk_ms932_error_kind k = rk_ms932_classify(p + i, n - i, &len);
        if (k != RK_MS932_OK) {
            if (nbad++ == 0 && first) {
                first->kind = k;
                first->offset = i;
                first->length = len;
            }
        }
        i += len;
    }
    return nbad;
}

static size_t put_utf8(char *d, uint32_t cp)
{
    if (cp < 0x80) {
        d[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (char)(0xC0 | (cp >> 6));
        d[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    d[0] = (char)(0xE0 | (cp >> 12));
    d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    d[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

uint32_t rk_ms932_decode_pair(unsigned lead, unsigned trail)
{
    int li = rk_ms932_lead_index(lead);
    if (li < 0 || trail < 0x40 || trail > 0xFC)
        return 0;
    return rk_ms932_dbcs[li][trail - 0x40];
}

rk_status rk_ms932_to_utf8(const void *src, size_t n, char *dst, size_t cap, size_t *written, size_t *nbad)
{
    const unsigned char *p = src;
    size_t i = 0, o = 0, bad = 0;
    while (i < n) {
        size_t run = ascii_run(p + i, n - i);
        if (run) {
            if (cap - o < run)
                return RK_ERR_NOSPACE;
            memcpy(dst + o, p + i, run);
            o += run;
            i += run;
            continue;
        }
        size_t len;
        rk_ms932_error_kind k = rk_ms932_classify(p + i, n - i, &len);
        uint32_t cp;
        if (k != RK_MS932_OK) {
            cp = 0xFFFD;
            bad++;
        } else if (len == 1) {
            cp = 0xFF61 + (p[i] - 0xA1u); /* half-width katakana */
        } else {
            cp = rk_ms932_decode_pair(p[i], p[i + 1]);
        }
        if (cap - o < 3)
            return RK_ERR_NOSPACE;
        o += put_utf8(dst + o, cp);
        i += len;
    }
    if (written)
        *written = o;
    if (nbad)
        *nbad = bad;
    return RK_OK;
}

uint16_t rk_ms932_encode_cp(uint32_t cp)
{
    if (cp < 0x80)
        return (uint16_t)cp;
    if (cp > 0xFFFF)
        return 0;
    unsigned pg = rk_ms932_enc_index[cp >> 8];
    if (pg == 0xFF)
        return 0;
    return rk_ms932_enc_pages[pg][cp & 0xFF];
}

/* Decodes one UTF-8 sequence; returns its length, or 0 if invalid. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned b = s[0];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    size_t len;
    uint32_t c, min;
    if (b >= 0xC2 && b <= 0xDF) {
        len = 2;
        c = b & 0x1F;
        min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        c = b & 0x0F;
        min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        c = b & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

int rk_utf8_text(const unsigned char *s, size_t n, size_t *first)
{
    int any = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_next(s + i, n - i, &cp);
        if (!len)
            return 0;
        if (len > 1 && !any) {
            any = 1;
            *first = i;
        }
        i += len;
    }
    return any;
}

rk_status rk_ms932_from_utf8(const char *src, size_t n, void *dstv, size_t cap, size_t *written, size_t *nbad,
                             rk_unmappable_fn on_unmappable, void *ctx)
{
    const unsigned char *s = (const unsigned char *)src;
    unsigned char *d = dstv;
    size_t i = 0, o = 0, bad = 0;
    while (i < n) {
        size_t run = ascii_run(s + i, n - i);
        if (run) {
            if (cap - o < run)
                return RK_ERR_NOSPACE;
            memcpy(d + o, s + i, run);
            o += run;
            i += run;
            continue;
        }
        uint32_t cp = 0xFFFFFFFFu;
        size_t len = utf8_next(s + i, n - i, &cp);
        uint16_t code = len ? rk_ms932_encode_cp(cp) : 0;
        if (!len)
            len = 1;
        if (code == 0) {
            bad++;
            if (on_unmappable)
                on_unmappable(ctx, i, cp);
            code = '?';
        }
        if (cap - o < 2)
            return RK_ERR_NOSPACE;
        if (code > 0xFF) {
            d[o++] = (unsigned char)(code >> 8);
            d[o++] = (unsigned char)(code & 0xFF);
        } else {
            d[o++] = (unsigned char)code;
        }
        i += len;
    }
    if (written)
        *written = o;
    if (nbad)
        *nbad = bad;
    return RK_OK;
}
