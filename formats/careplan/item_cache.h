/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The skip work of the record rules (record.h: rk_rec_cache): values an
 * item held last that passed, and the items a record shares byte for byte
 * with the record checked before. It only spares work: equal bytes under one
 * layout get the same verdict, so the findings are the same without it.
 * Internal to formats/careplan.
 */
#ifndef RK_ITEM_CACHE_H
#define RK_ITEM_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "record.h"

/* Values the item cache holds: at most two words. */
#define RK_CACHE_MAX 16

/* A value of up to RK_CACHE_MAX bytes as two zero-padded words. */
static inline void rk_cache_words(const unsigned char *p, size_t n, uint64_t w[2])
{
    unsigned char t[16] = {0};
    memcpy(t, p, n);
    memcpy(w, t, sizeof t);
}

/* Whether way 0 or way 1 of an item's cache holds the value (n bytes, as words). */
static inline int rk_cache_has(const rk_rec_cache *k, unsigned slot, size_t n, const uint64_t w[2])
{
    const uint64_t(*v)[2] = k->val[slot];
    return (k->len[slot][0] == n && v[0][0] == w[0] && v[0][1] == w[1]) ||
           (k->len[slot][1] == n && v[1][0] == w[0] && v[1][1] == w[1]);
}

/* Keeps a value that passed: the newest in way 0, the one before in way 1. */
static inline void rk_cache_put(rk_rec_cache *k, unsigned slot, size_t n, const uint64_t w[2])
{
    memcpy(k->val[slot][1], k->val[slot][0], sizeof k->val[slot][0]);
    k->len[slot][1] = k->len[slot][0];
    memcpy(k->val[slot][0], w, 2 * sizeof w[0]);
    k->len[slot][0] = (unsigned char)n;
}

/*
 * Whether an unquoted item of the record holds a value its cache holds as
 * valid, read as two words straight from the record (bytes below lim are
 * the record's): the test check_item makes first, without the call.
 */
static inline int rk_cache_has_raw(const rk_rec_cache *k, unsigned slot, const unsigned char *buf, const rk_field *f,
                                   uint64_t lim)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t s = f->start, n = f->end - s;
    if (n == 0 || n > RK_CACHE_MAX || s + 16 > lim || buf[s] == '"')
        return 0;
    uint64_t w[2];
    memcpy(w, buf + s, 16);
    w[0] &= n >= 8 ? ~0ull : (1ull << (8 * n)) - 1;
    w[1] &= n <= 8 ? 0 : n >= 16 ? ~0ull : (1ull << (8 * (n - 8))) - 1;
    return rk_cache_has(k, slot, (size_t)n, w);
#else
    (void)k, (void)slot, (void)buf, (void)f, (void)lim;
    return 0;
#endif
}

/* How many bytes a[0..n) and b[0..n) share from the start: eight at a time. */
static inline size_t rk_common_prefix(const unsigned char *a, const unsigned char *b, size_t n)
{
    size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; i + 8 <= n; i += 8) {
        uint64_t x, y;
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y)
            return i + (size_t)__builtin_ctzll(x ^ y) / 8;
    }
#endif
    while (i < n && a[i] == b[i])
        i++;
    return i;
}

/* How many bytes the n bytes before a and before b share from their ends. */
static inline size_t rk_common_suffix(const unsigned char *a, const unsigned char *b, size_t n)
{
    size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; i + 8 <= n; i += 8) {
        uint64_t x, y;
        memcpy(&x, a - i - 8, 8);
        memcpy(&y, b - i - 8, 8);
        if (x != y)
            return i + (size_t)__builtin_clzll(x ^ y) / 8;
    }
#endif
    while (i < n && a[-1 - (ptrdiff_t)i] == b[-1 - (ptrdiff_t)i])
        i++;
    return i;
}

/*
 * How many of the nf items have their end (ends) or start (!ends) below
 * `below`: those offsets ascend. Records alike differ in the same items, so
 * the answers for the last two records (last[0], then last[1]; 第7表
 * alternates two kinds of rows) are tried first, each proved by the items on
 * either side of it; else a branch-free binary search. last is updated.
 */
static inline unsigned rk_items_below(const rk_field *f, unsigned nf, int ends, uint64_t below, unsigned last[2])
{
#define RK_AT(i) (ends ? f[i].end : f[i].start)
#define RK_IS(x) ((x) <= nf && ((x) == 0 || RK_AT((x)-1) < below) && ((x) == nf || RK_AT(x) >= below))
    unsigned n = last[0];
    if (RK_IS(n))
        return n;
    n = last[1];
    if (!RK_IS(n)) {
        n = 0;
        for (unsigned step = 64; step; step >>= 1) {
            unsigned t = n + step;
            n = t <= nf && RK_AT(t - 1) < below ? t : n;
        }
    }
#undef RK_IS
#undef RK_AT
    last[1] = last[0];
    last[0] = n;
    return n;
}

/*
 * Items (bit i = item i+1, the first 64) whose raw bytes are those of the
 * same item of the record checked before: the items inside the bytes the two
 * records share from their starts, with the separator that ends them, and the
 * items inside the bytes they share at their ends, with the separator before
 * them. Records end outside quotes, so the quotes in a shared tail leave both
 * records in the same quote state where it begins: the shared bytes split
 * into the same items in both. Equal bytes under one layout get the same
 * verdict, so such items need no second look.
 */
static inline uint64_t rk_same_items(rk_rec_cache *k, const rk_layout *L, const unsigned char *buf,
                                     const rk_record *rec, uint64_t len)
{
    if (!k->prev || k->prev_layout != L)
        return 0;
    unsigned nf = L->nfields;
    uint64_t plen = k->prev_len, m = len < plen ? len : plen;
    const unsigned char *r = buf + rec->offset;
    uint64_t pre = rk_common_prefix(r, k->prev, (size_t)m);
    if (pre == len && len == plen)
        return nf >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << nf) - 1;
    uint64_t suf = rk_common_suffix(r + len, k->prev + plen, (size_t)m);
    const rk_field *f = rec->fields;
    uint64_t off = rec->offset;
    /* a = items whose separator after them is shared too (end < pre); b = the
     * first item whose separator before it is shared (start > len - suf). */
    unsigned a = rk_items_below(f, nf, 1, off + pre, k->last_a);
    unsigned b = rk_items_below(f, nf, 0, off + len - suf + 1, k->last_b);
    if (b < a + 1)
        b = a + 1;
    uint64_t head = a >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << a) - 1;
    uint64_t tail = b >= 64 ? 0 : ~(uint64_t)0 << b;
    return head | tail;
}

#endif
