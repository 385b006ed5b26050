/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The AVX-512BW scanner kernels and pre-pass: 64 bytes in one compare; with VBMI
 * the MS932 pairs of a block at once, with VBMI2 the separators by compress.
 */
#include "../csv/scan_block.h"
#include "simd.h"

#ifdef RK_X86
/* The byte constants of the AVX-512 loaders. */
typedef struct rk_vconst {
    __m512i quote, comma, lf, cr, x20, a1, k3b, k3e, x40, xc0, x1f;
} rk_vconst;

__attribute__((target("avx512f,avx512bw"))) RK_INLINE rk_vconst vconst_make(void)
{
    rk_vconst k;
    k.quote = _mm512_set1_epi8('"');
    k.comma = _mm512_set1_epi8(',');
    k.lf = _mm512_set1_epi8('\n');
    k.cr = _mm512_set1_epi8('\r');
    k.x20 = _mm512_set1_epi8(0x20);
    k.a1 = _mm512_set1_epi8((char)0xA1);
    k.k3b = _mm512_set1_epi8(0x3B);
    k.k3e = _mm512_set1_epi8(0x3E);
    k.x40 = _mm512_set1_epi8(0x40);
    k.xc0 = _mm512_set1_epi8((char)0xC0);
    k.x1f = _mm512_set1_epi8(0x1F);
    return k;
}

/* The same, made once before a kernel's loop and kept in registers: the
 * compiler would otherwise build each one again in every block, two
 * instructions apiece. */
__attribute__((target("avx512f,avx512bw"))) RK_INLINE rk_vconst vconst_held(void)
{
    rk_vconst k = vconst_make();
    __asm__(""
            : "+v"(k.quote), "+v"(k.comma), "+v"(k.lf), "+v"(k.cr), "+v"(k.x20), "+v"(k.a1), "+v"(k.k3b), "+v"(k.k3e),
              "+v"(k.x40), "+v"(k.xc0), "+v"(k.x1f));
    return k;
}

__attribute__((target("avx512f,avx512bw"))) RK_INLINE rk_masks masks_avx512_of(__m512i v, const rk_vconst *k)
{
    rk_masks m;
    m.q = _mm512_cmpeq_epi8_mask(v, k->quote);
    m.c = _mm512_cmpeq_epi8_mask(v, k->comma);
    m.l = _mm512_cmpeq_epi8_mask(v, k->lf);
    m.r = _mm512_cmpeq_epi8_mask(v, k->cr);
    m.z = _mm512_cmpeq_epi8_mask(v, _mm512_setzero_si512());
    m.h = _mm512_movepi8_mask(v);
    m.pv = 0;
    if (m.h) {
        __m512i x = _mm512_xor_si512(v, k->x20);
        m.lc = _mm512_cmple_epu8_mask(_mm512_sub_epi8(x, k->a1), k->k3b);
        m.k = _mm512_cmple_epu8_mask(_mm512_sub_epi8(v, k->a1), k->k3e);
    } else {
        m.lc = m.k = 0;
    }
    return m;
}

__attribute__((target("avx512f,avx512bw"))) RK_INLINE rk_masks masks_avx512(const unsigned char *p)
{
    rk_vconst k = vconst_make();
    return masks_avx512_of(_mm512_loadu_si512((const void *)p), &k);
}

/*
 * MS932 pairs of a whole block at once (AVX-512 VBMI), from pair_tab: each
 * byte's row copy by a 128-entry byte permute of its low 7 bits (the leads
 * 81-9F and E0-FC differ there), the next byte's bit in that copy by a
 * 256-entry one. Bit i of the result: bytes i and i+1 form a valid pair if
 * byte i is a lead; the per-lead test in ms932_block then only sees the rest.
 */
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) RK_INLINE uint64_t pairs_ok_vbmi(__m512i v, const rk_vconst *k)
{
    const __m512i *rows = (const __m512i *)(const void *)rk_scan_pairs.row_at;
    const __m512i *bits = (const __m512i *)(const void *)rk_scan_pairs.bits;
    const __m512i next_lane =
        _mm512_set_epi8(63, 63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41,
                        40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
                        16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
    const __m512i bit_of = _mm512_set1_epi64((long long)0x8040201008040201ull); /* byte j: 1 << (j & 7) */
    __m512i row = _mm512_permutex2var_epi8(rows[0], v, rows[1]);
    __m512i trail = _mm512_permutexvar_epi8(next_lane, v);
    __m512i t = _mm512_sub_epi8(trail, k->x40); /* trails 40-FF: 0-BF */
    __mmask64 usable =
        _mm512_cmplt_epu8_mask(t, k->xc0) & _mm512_cmpneq_epi8_mask(row, _mm512_set1_epi8((char)RK_PAIR_NO_ROW));
    __m512i at = _mm512_add_epi8(row, _mm512_and_si512(_mm512_srli_epi16(t, 3), k->x1f));
    __m512i lo = _mm512_permutex2var_epi8(bits[0], at, bits[1]);
    __m512i hi = _mm512_permutex2var_epi8(bits[2], at, bits[3]);
    __m512i byte = _mm512_mask_blend_epi8(_mm512_movepi8_mask(at), lo, hi);
    return _mm512_mask_test_epi8_mask(usable, byte, _mm512_permutexvar_epi8(t, bit_of));
}

__attribute__((target("avx512f,avx512bw,avx512vbmi"))) RK_INLINE rk_masks masks_avx512_vbmi(const unsigned char *p,
                                                                                            const rk_vconst *k)
{
    __m512i v = _mm512_loadu_si512((const void *)p);
    rk_masks m = masks_avx512_of(v, k);
    if (m.lc)
        m.pv = pairs_ok_vbmi(v, k);
    return m;
}

/* The VBMI2 kernel's loader, on the constants its prologue holds (kc). */
#define masks_vbmi_held(p) masks_avx512_vbmi(p, &kc)

/*
 * The separators' offsets by compressing the lane numbers of the separator
 * bytes (AVX-512 VBMI2) and widening them eight at a time: no loop over the
 * bits for up to 32 separators per block (a loop for more).
 */
__attribute__((target("avx512f,avx512bw,avx512vbmi2"))) RK_INLINE void emit_seps_vbmi2(rk_carry *c, uint32_t base,
                                                                                       uint64_t s)
{
    const __m512i lanes =
        _mm512_set_epi8(63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40,
                        39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16,
                        15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    __m512i at = _mm512_maskz_compress_epi8(s, lanes), b = _mm512_set1_epi32((int)base);
    unsigned cnt = (unsigned)__builtin_popcountll(s);
    uint32_t *o = c->out;
    /* Eight more are stored whatever the count: blocks of 第7表 rows, with
     * their many short items, hold about 16, and a branch at 16 would be a
     * guess for half of them (at 24, for one in 15). */
    _mm512_storeu_si512((void *)o, _mm512_add_epi32(b, _mm512_cvtepu8_epi32(_mm512_castsi512_si128(at))));
    __m128i r = _mm512_extracti32x4_epi32(at, 1);
    _mm256_storeu_si256((__m256i *)(void *)(o + 16),
                        _mm256_add_epi32(_mm512_castsi512_si256(b), _mm256_cvtepu8_epi32(r)));
    if (cnt > 24)
        _mm256_storeu_si256((__m256i *)(void *)(o + 24),
                            _mm256_add_epi32(_mm512_castsi512_si256(b), _mm256_cvtepu8_epi32(_mm_srli_si128(r, 8))));
    if (__builtin_expect(cnt > 32, 0)) {
        unsigned char rest[64];
        _mm512_storeu_si512((void *)rest, at);
        for (unsigned k = 32; k < cnt; k++)
            o[k] = base + (uint32_t)rest[k];
    }
    c->out = o + cnt;
}

RK_DEFINE_KERNEL(rk_scan_avx512, __attribute__((target("avx512f,avx512bw,pclmul,popcnt,bmi,bmi2,lzcnt"))), ,
                 masks_avx512, prefix_xor_clmul, emit_seps)
RK_DEFINE_KERNEL(rk_scan_avx512vbmi2,
                 __attribute__((target("avx512f,avx512bw,avx512vbmi,avx512vbmi2,pclmul,popcnt,bmi,bmi2,lzcnt"))),
                 rk_vconst kc = vconst_held();
                 , masks_vbmi_held, prefix_xor_clmul, emit_seps_vbmi2)
RK_DEFINE_COUNT(rk_count_avx512, __attribute__((target("avx512f,avx512bw,popcnt"))), masks_avx512)

#endif
