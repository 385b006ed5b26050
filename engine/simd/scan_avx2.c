/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The AVX2 scanner kernel and pre-pass: 64 bytes as two 32-byte compares.
 */
#include "../csv/scan_block.h"
#include "simd.h"

#ifdef RK_X86
__attribute__((target("avx2"))) RK_INLINE uint64_t range_avx2(__m256i a, __m256i b, char lo, char span)
{
    __m256i l = _mm256_set1_epi8(lo), s = _mm256_set1_epi8(span);
    __m256i ta = _mm256_sub_epi8(a, l), tb = _mm256_sub_epi8(b, l);
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(ta, s), ta)) |
           ((uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(tb, s), tb)) << 32);
}

__attribute__((target("avx2"))) RK_INLINE rk_masks masks_avx2(const unsigned char *p)
{
    rk_masks m;
    const __m256i q = _mm256_set1_epi8('"'), c = _mm256_set1_epi8(','), l = _mm256_set1_epi8('\n'),
                  r = _mm256_set1_epi8('\r'), z = _mm256_setzero_si256();
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
#define RK_M2(A, B, X)                                                                                                 \
    ((uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(A, X)) |                                               \
     ((uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(B, X)) << 32))
    m.q = RK_M2(a, b, q);
    m.c = RK_M2(a, b, c);
    m.l = RK_M2(a, b, l);
    m.r = RK_M2(a, b, r);
    m.z = RK_M2(a, b, z);
#undef RK_M2
    m.h = (uint64_t)(uint32_t)_mm256_movemask_epi8(a) | ((uint64_t)(uint32_t)_mm256_movemask_epi8(b) << 32);
    m.pv = 0;
    if (m.h) {
        __m256i f = _mm256_set1_epi8(0x20);
        m.lc = range_avx2(_mm256_xor_si256(a, f), _mm256_xor_si256(b, f), (char)0xA1, 0x3B);
        m.k = range_avx2(a, b, (char)0xA1, 0x3E);
    } else {
        m.lc = m.k = 0;
    }
    return m;
}

RK_DEFINE_KERNEL(rk_scan_avx2, __attribute__((target("avx2,pclmul,popcnt,bmi,bmi2,lzcnt"))), , masks_avx2,
                 prefix_xor_clmul, emit_seps)
RK_DEFINE_COUNT(rk_count_avx2, __attribute__((target("avx2,popcnt"))), masks_avx2)

#endif
