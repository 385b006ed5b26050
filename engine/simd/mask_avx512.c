/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The mask pass for AVX-512 with VBMI2 and BMI2 (rk_mask_pass_fn, record.h).
 */
#include "simd.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

/*
 * The items quick_ok passes, found for a whole record at once. Per 64 bytes
 * of the record, masks of its commas, quotes, digits and digits or A-Z; a
 * field is all digits when adding its start bit to the digit mask carries
 * all the way to the comma that ends it (a non-digit stops the carry), and
 * the same sum on the second mask finds service codes. The commas then
 * number the fields (PEXT), and their positions, gathered into one vector of
 * bytes (records under 256 bytes), give every field's length at once. A
 * comma inside quotes would shift the numbering: then the commas outnumber
 * the fields, and nothing is decided here. Every item the mask holds passes
 * quick_ok (formats/careplan/record.c); the rest go item by item. The same carry over the bytes equal to
 * those of the record before at the same places finds, in the first 64
 * bytes, the items that are its items again where they end (and so start)
 * where its items did: 第7表 alternates a service row and its person's total
 * row, so a person's first row shares no head with the row before, yet its
 * dates sit where they sat. The record's field table is not read: its
 * entries were stored just before, and wide loads across them would wait.
 */
#define RK_MASK_TARGET __attribute__((target("avx512f,avx512bw,avx512vbmi,avx512vbmi2,bmi2,popcnt")))

RK_MASK_TARGET uint64_t rk_mask_pass_avx512vbmi2(rk_rec_cache *k, const unsigned char *r, uint64_t len, unsigned nf,
                                                 uint64_t *empty_items, uint64_t *same_items)
{
    *same_items = 0;
    if (len > 255)
        return 0;
    __m512i comma = _mm512_set1_epi8(','), quote = _mm512_set1_epi8('"'), zero = _mm512_set1_epi8('0'),
            nine = _mm512_set1_epi8(9), upper_a = _mm512_set1_epi8('A'), z25 = _mm512_set1_epi8(25);
    const __m512i iota =
        _mm512_set_epi8(63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40,
                        39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16,
                        15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    /* Kept in registers: the compiler would otherwise build each constant
     * again in every unrolled block, two instructions apiece. */
    __asm__("" : "+v"(comma), "+v"(quote), "+v"(zero), "+v"(nine), "+v"(upper_a), "+v"(z25));
    __m512i epos = _mm512_setzero_si512();               /* where each field ends (its comma), in bytes */
    uint64_t digits = 0, alnum = 0, quoted = 0, top = 0; /* top: the last comma of the word before closed a field */
    unsigned nd = 0, ns = 0;
    unsigned char carry = 0, carry_an = 0;
    /* The record before, where its item ends are known: the items in the
     * first 64 bytes whose bytes are all those of it at the same places
     * (such a run carries like a run of digits). */
    int usable = k->fast_prev == k->prev && k->prev;
    const unsigned char *pv = usable ? k->prev : r; /* read under an empty mask when not usable */
    uint64_t m = usable ? (len < k->prev_len ? len : k->prev_len) : 0;
    __mmask64 in_both = m >= 64 ? ~(__mmask64)0 : ((__mmask64)1 << m) - 1;
    uint64_t same = 0;
    for (uint64_t at = 0; at <= len; at += 64) {
        uint64_t left = len - at;
        __mmask64 in = left >= 64 ? ~(__mmask64)0 : ((__mmask64)1 << left) - 1;
        __m512i v = _mm512_maskz_loadu_epi8(in, r + at);
        uint64_t c = _mm512_mask_cmpeq_epi8_mask(in, v, comma);
        uint64_t q = _mm512_mask_cmpeq_epi8_mask(in, v, quote);
        uint64_t d = _mm512_mask_cmple_epu8_mask(in, _mm512_sub_epi8(v, zero), nine);
        uint64_t a = d | _mm512_mask_cmple_epu8_mask(in, _mm512_sub_epi8(v, upper_a), z25); /* 0-9, A-Z */
        uint64_t ends = c | (left < 64 ? (uint64_t)1 << left : 0); /* the record's end closes the last field */
        uint64_t starts = c << 1 | top | (at == 0);
        top = c >> 63;
        unsigned long long sum;
        carry = _addcarry_u64(carry, d, starts, &sum);
        unsigned long long sum_an;
        carry_an = _addcarry_u64(carry_an, a, starts, &sum_an);
        if (at == 0) { /* the first 64 bytes against the record before's */
            uint64_t e = _mm512_mask_cmpeq_epi8_mask(in_both, v, _mm512_maskz_loadu_epi8(in_both, pv));
            same = _pext_u64(((e & ~ends) + starts) & ends, ends);
        }
        unsigned pe = (unsigned)__builtin_popcountll(ends), ps = (unsigned)__builtin_popcountll(starts);
        if (nd + pe > nf || ns + ps > nf)
            return 0;
        if (pe) {
            digits |= _pext_u64(sum & ends, ends) << nd;
            alnum |= _pext_u64(sum_an & ends, ends) << nd;
            __m512i p = _mm512_add_epi8(_mm512_maskz_compress_epi8(ends, iota), _mm512_set1_epi8((char)at));
            epos = _mm512_mask_expand_epi8(
                epos, (__mmask64)(((pe + nd) >= 64 ? ~0ull : (1ull << (pe + nd)) - 1) & ~((1ull << nd) - 1)), p);
        }
        if (ps)
            quoted |= _pext_u64(q & starts, starts) << ns;
        nd += pe;
        ns += ps;
    }
    if (nd != nf || ns != nf)
        return 0;
    /* A field starts past the end of the one before; the first at 0. */
    const __m512i before =
        _mm512_set_epi8(62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39,
                        38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15,
                        14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0);
    __m512i spos = _mm512_maskz_add_epi8(~(__mmask64)1, _mm512_permutexvar_epi8(before, epos), _mm512_set1_epi8(1));
    __m512i n = _mm512_sub_epi8(epos, spos);
    __m512i lo = _mm512_loadu_si512((const void *)k->fast_min), hi = _mm512_loadu_si512((const void *)k->fast_max);
    uint64_t bad = _mm512_cmplt_epu8_mask(n, lo) | _mm512_cmpgt_epu8_mask(n, hi);
    uint64_t empty = _mm512_cmpeq_epi8_mask(n, _mm512_setzero_si512());
    uint64_t all = nf >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << nf) - 1;
    *empty_items = empty & all;
    /* Items ending where they ended in the record before, after an item that
     * did too (or first): they start there as well. */
    uint64_t at_prev = _mm512_cmpeq_epi8_mask(epos, _mm512_loadu_si512((const void *)k->fast_prev_ends));
    *same_items = usable ? same & at_prev & (at_prev << 1 | 1) & all : 0;
    _mm512_storeu_si512((void *)k->fast_prev_ends, epos);
    k->fast_prev = r;
    return ((((digits & k->fast_digits) | (alnum & k->fast_alnum) | (quoted & k->fast_ft)) & ~bad) |
            (empty & k->fast_opt)) &
           all;
}
#endif
