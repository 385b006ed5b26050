/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Record rules of the standard: every item of a record against its field
 * definition, the conditional rules between items, and the rules that tie a
 * record to its file name. Pure: no I/O, no threads; findings go out through
 * a callback.
 */
#ifndef RK_RECORD_H
#define RK_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "layouts.h"
#include "renkei.h"

/* What the rules know of the file a record comes from. */
typedef struct rk_file_facts {
    const rk_layout *layout;
    const char *name_month; /* YYYYMM / 000000 segment of the file name, or NULL */
    const char *sender;     /* sender office number of the file name, or NULL */
} rk_file_facts;

/*
 * Receives one finding: rule (enum rk_rule_no), item No. (1-based, 0 = the
 * record), byte offset of the item, the raw MS932 bytes found, and what was
 * expected (UTF-8, may be NULL).
 */
typedef void (*rk_emit_fn)(void *ctx, uint32_t rule, uint32_t field, uint64_t off, const unsigned char *val,
                           size_t vlen, const char *expected);

typedef struct rk_rec_cache rk_rec_cache;

/*
 * A mask pass: judges the items of a record r (len bytes, nf items, under
 * 256 bytes) at once from byte masks, against the per-layout classes and
 * lengths in k (fast_*). Returns the items that pass quick_ok; *empty the
 * empty items; *same the items that are the record before's again, byte for
 * byte and in place (none unless k->fast_prev is k->prev). Records k->fast_prev
 * and k->fast_prev_ends for the next record. Returns 0 with *same 0 when it
 * cannot decide (a comma inside quotes). The engine supplies one for the CPU
 * (a SIMD kernel); the rules are the same without it.
 */
typedef uint64_t (*rk_mask_pass_fn)(rk_rec_cache *k, const unsigned char *r, uint64_t len, unsigned nf, uint64_t *empty,
                                    uint64_t *same);

/*
 * The last valid value of each item, so that a value repeated record after
 * record (an office, an insurer, a date) is checked once. Zero it before use;
 * one per thread. It only skips work: the findings are the same without it.
 */
struct rk_rec_cache {
    uint64_t val[RK_MAX_ITEMS][2][2];   /* two ways (第7表 alternates service and total rows), each a
                                           value of up to 16 bytes zero-padded, as two words */
    unsigned char len[RK_MAX_ITEMS][2]; /* 0 = nothing cached */
    /* The record checked last, so that items it shares byte for byte with the
     * next record are not checked again: its bytes, its layout and which of
     * its items passed (bit i = item i+1; items past 64 are always checked). */
    const unsigned char *prev;
    const rk_layout *prev_layout;
    uint64_t prev_len;
    uint64_t prev_clean;
    uint64_t hiwari;               /* the layout's 日割対象日 items, judged with the month */
    uint64_t cond_items;           /* the items the rules between items read */
    int cond_quiet;                /* those rules found nothing in the record checked last */
    int prev_month_ok;             /* its 対象年月 was a real month */
    unsigned last_a[2], last_b[2]; /* where the shared head ended and the shared tail began, in items,
                                      for the last two different answers */
    /* Items judged a whole record at a time by the mask pass, set up per
     * layout: numbers and 被保険者番号 (all digits), サービスコード (digits and
     * A-Z), quoted free text, empty optional items, each with the lengths
     * that pass. fast_on = 0 where there is no mask pass or the layout has
     * more than 64 items. */
    rk_mask_pass_fn mask_pass; /* set by the caller; NULL: every item one by one */
    uint64_t mask_records;     /* records the mask pass judged (for tests and statistics) */
    const rk_layout *fast_layout;
    int fast_on;
    uint64_t fast_digits, fast_alnum, fast_ft, fast_opt, fast_any;
    unsigned char fast_min[64], fast_max[64]; /* lengths of a record under 256 bytes */
    /* Where the items of the record at fast_prev end, from its mask pass:
     * an item that ends there and starts there in the next record too, with
     * the same bytes, is the same item (see fast_items). */
    const unsigned char *fast_prev;
    unsigned char fast_prev_ends[64];
};

/* Applies every record rule to rec (whose field count must match the layout). */
void rk_check_record(const rk_file_facts *ff, const unsigned char *buf, const rk_record *rec, rk_rec_cache *cache,
                     rk_emit_fn emit, void *ctx);

/* Check digit of a 事業所番号 / 保険者番号 body (digits and letters without I, O, Q); -1 if a character is not allowed.
 */
int rk_check_digit(const unsigned char *body, size_t n);

/* Value of item `no` (1-based) without its quotes. */
static inline void rk_item(const unsigned char *buf, const rk_record *rec, unsigned no, const unsigned char **p,
                           size_t *n)
{
    const rk_field *f = &rec->fields[no - 1];
    uint64_t s = f->start, e = f->end;
    if (e - s >= 2 && buf[s] == '"' && buf[e - 1] == '"') {
        s++;
        e--;
    }
    *p = buf + s;
    *n = (size_t)(e - s);
}

/* Item `no` space-padded (or cut) to w bytes at dst. */
static inline void rk_item_fixed(const unsigned char *buf, const rk_record *rec, unsigned no, char *dst, size_t w)
{
    const unsigned char *p;
    size_t n;
    rk_item(buf, rec, no, &p, &n);
    if (n == w) { /* the usual case: the item fills its width */
        memcpy(dst, p, w);
        return;
    }
    for (size_t i = 0; i < w; i++) /* a few bytes: no call */
        dst[i] = i < n ? (char)p[i] : ' ';
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Six bytes as the low bytes of a word, in two loads of registers (a
 * memcpy of six bytes goes through the stack, and the word read back stalls). */
static inline uint64_t rk_load6(const unsigned char *p)
{
    uint32_t lo;
    uint16_t hi;
    memcpy(&lo, p, 4);
    memcpy(&hi, p + 4, 2);
    return lo | (uint64_t)hi << 32;
}
#endif

/*
 * 保険者番号 (6) + 被保険者番号 (10) of a record, each space-padded to its
 * width, as two words in memory order. Where both fill their widths (the
 * usual case) the words are put together in registers: code that hashes or
 * compares them right away then reads no bytes of several fresh stores,
 * which would stall on every record.
 */
static inline void rk_person_words(const unsigned char *buf, const rk_record *rec, uint64_t w[2])
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const unsigned char *a, *b;
    size_t na, nb;
    rk_item(buf, rec, 2, &a, &na);
    rk_item(buf, rec, 3, &b, &nb);
    if (na == 6 && nb == 10) {
        uint64_t b8;
        uint16_t b2;
        memcpy(&b8, b, 8);
        memcpy(&b2, b + 8, 2);
        w[0] = rk_load6(a) | b8 << 48;
        w[1] = b8 >> 16 | (uint64_t)b2 << 48;
        return;
    }
#endif
    char t[16];
    rk_item_fixed(buf, rec, 2, t, 6);
    rk_item_fixed(buf, rec, 3, t + 6, 10);
    memcpy(w, t, 16);
}

#endif
