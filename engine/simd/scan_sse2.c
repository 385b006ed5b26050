/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SSE2 scanner kernel and pre-pass: 64 bytes as four 16-byte compares.
 */
#include "../csv/scan_block.h"
#include "simd.h"

#ifdef RK_X86
/* Bytes of v in [lo, lo + span] (unsigned), by wrapping subtraction and min. */
__attribute__((target("sse2"))) RK_INLINE __m128i range_sse2(__m128i v, char lo, char span)
{
    __m128i t = _mm_sub_epi8(v, _mm_set1_epi8(lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(span)), t);
}

__attribute__((target("sse2"))) RK_INLINE rk_masks masks_sse2(const unsigned char *p)
{
    rk_masks m = {0, 0, 0, 0, 0, 0, 0, 0, 0};
    const __m128i q = _mm_set1_epi8('"'), c = _mm_set1_epi8(','), l = _mm_set1_epi8('\n'), r = _mm_set1_epi8('\r'),
                  z = _mm_setzero_si128();
    for (unsigned k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        unsigned sh = 16 * k;
        m.q |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, q)) << sh;
        m.c |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, c)) << sh;
        m.l |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, l)) << sh;
        m.r |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, r)) << sh;
        m.z |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, z)) << sh;
        m.h |= (uint64_t)(uint16_t)_mm_movemask_epi8(v) << sh;
        __m128i x = _mm_xor_si128(v, _mm_set1_epi8(0x20));
        m.lc |= (uint64_t)(uint16_t)_mm_movemask_epi8(range_sse2(x, (char)0xA1, 0x3B)) << sh;
        m.k |= (uint64_t)(uint16_t)_mm_movemask_epi8(range_sse2(v, (char)0xA1, 0x3E)) << sh;
    }
    return m;
}

RK_DEFINE_KERNEL(rk_scan_sse2, __attribute__((target("sse2"))), , masks_sse2, prefix_xor_shift, emit_seps)
RK_DEFINE_COUNT(rk_count_sse2, __attribute__((target("sse2"))), masks_sse2)

#endif
