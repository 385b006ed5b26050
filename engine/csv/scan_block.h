/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the scanner kernels share (internal to engine/csv and engine/simd):
 * the masks of a 64-byte block, the bit logic between masks and separators
 * (block_logic), the MS932 fast check, the separator emitter and the kernel
 * loop. The SIMD kernels only differ in how they turn 64 bytes into masks
 * and write the separators out, each in the file of its instruction set
 * (engine/simd/scan_*.c); the logic here is one copy, so they cannot drift
 * apart.
 */
#ifndef RK_SCAN_BLOCK_H
#define RK_SCAN_BLOCK_H

#include <stdint.h>
#include <string.h>

#include "../../formats/ms932/ms932.h"
#include "scan.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define RK_X86 1
#endif

#define RK_INLINE static inline __attribute__((always_inline))

/*
 * Each lead row's valid trails 40-FF as a 24-byte bitmap (bit t & 7 of byte
 * (t - 0x40) >> 3); rows with the same bitmap share one copy, and ten copies
 * fit in 256 bytes. row_at[lead & 0x7F] = the byte offset of the lead's copy,
 * or RK_PAIR_NO_ROW for rows without one: their leads take the per-lead test.
 * Built by rk_scanner_init from the pair table, so it cannot disagree with it.
 */
#define RK_PAIR_NO_ROW 0xFF
typedef struct rk_pair_table {
    unsigned char row_at[128];
    unsigned char bits[256];
} rk_pair_table;
extern rk_pair_table rk_scan_pairs;

typedef struct rk_masks {
    uint64_t q, c, l, r, z, h; /* quote, comma, LF, CR, NUL, high bit */
    uint64_t lc, k;            /* MS932 lead-capable (81-9F, E0-FC), half-width kana (A1-DF) */
    uint64_t pv;               /* bytes known to start a valid MS932 pair with the next (0 = none known) */
} rk_masks;

/*
 * The leads among lead-capable bytes lc. Those bytes come in runs; the byte
 * before a run is never a lead, so a run alternates lead, trail, lead, ...
 * from its first byte. Adding the even-positioned run starts to lc clears
 * exactly the runs that start at even positions, which tells each run's
 * phase without a loop.
 */
RK_INLINE uint64_t leads_of(uint64_t lc)
{
    const uint64_t even = 0x5555555555555555ull;
    uint64_t starts = lc & ~(lc << 1);
    uint64_t in_even = lc & ~(lc + (starts & even));
    return (in_even & even) | (lc & ~in_even & ~even);
}

/* MS932 over one block in full (the rare case ms932_check hands on). */
void rk_scan_ms932_block(rk_scanner *sc, const unsigned char *p, uint64_t base, const rk_masks *m, unsigned len);

/*
 * ms932_block's common case, inline in the kernels: every lead's pair found
 * valid by the kernel (m->pv) or, for a lead waiting from the block before,
 * by one table lookup made whether or not one waits; a lead in the last byte
 * left waiting; no byte out of place. Anything else goes to ms932_block,
 * with the scanner's state untouched, and it works the block out in full.
 * The call is rare this way; made for every block with MS932 text, it made
 * the kernel keep its vector constants on the stack.
 */
RK_INLINE void ms932_check(rk_scanner *sc, const unsigned char *p, uint64_t base, const rk_masks *m, unsigned len)
{
    uint64_t valid = len == 64 ? ~0ull : (1ull << len) - 1;
    uint64_t last = 1ull << (len - 1);
    uint64_t first_trail = (uint64_t)sc->pending;
    /* The waiting lead, or the block's first byte when none waits: picked by
     * a mask, as the compiler made a branch of a conditional. */
    unsigned lead = sc->buf[base ^ ((sc->pending_pos ^ base) & (0 - first_trail))];
    uint64_t pend_bad = first_trail & (uint64_t)!rk_ms932_pair_valid(lead, p[0]);
    uint64_t leads = leads_of(m->lc & valid & ~first_trail);
    uint64_t at_end = leads & last;
    leads &= ~last;
    uint64_t bad = m->h & valid & ~leads & ~((leads << 1) | first_trail | at_end) & ~m->k;
    if (__builtin_expect(pend_bad | bad | (leads & ~m->pv), 0)) {
        rk_scan_ms932_block(sc, p, base, m, len);
        return;
    }
    sc->pending = at_end != 0;
    sc->pending_pos = base + len - 1;
}

/* ---- the bit logic of a block --------------------------------------------- */

/* Classes of the byte after a block: bit 0 = may follow a closing quote, bit 1 = LF. */
RK_INLINE unsigned next_class(const rk_scanner *sc, uint64_t pos)
{
    if (pos >= sc->buflen)
        return 1; /* end of file: a closing quote may end there, a CR may not */
    /* By table, not by compares: the byte after a block is as good as
     * random, and a branch on its class (often a comma) would be a guess. */
    static const unsigned char cls[256] = {['\n'] = 3, ['\r'] = 1, ['"'] = 1, [','] = 1};
    return cls[sc->buf[pos]];
}

RK_INLINE uint64_t prefix_xor_shift(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/* Per-block carries, kept in registers inside a kernel loop. */
typedef struct rk_carry {
    uint64_t inq, prev_sep, prev_close, last_open;
    uint32_t *out; /* next separator slot */
    uint64_t *lf;  /* next LF index slot */
} rk_carry;

/* Separator slots an emitter may write past the count (reserved per range):
 * the VBMI2 one writes 24 from where it starts, whatever the count. */
#define RK_EMIT_OVERRUN 24

/* base: the block's offset from seps_base. */
RK_INLINE void emit_seps(rk_carry *c, uint32_t base, uint64_t s)
{
    /* Writes in groups of four with no data-dependent branch; writing past
     * the count is harmless because capacity is reserved per range. */
    uint32_t *o = c->out;
    unsigned cnt = (unsigned)__builtin_popcountll(s);
    const uint64_t top = 1ull << 63;
    for (unsigned k = 0; k < cnt; k += 4) {
        o[k] = base + (uint32_t)__builtin_ctzll(s | top);
        s &= s - 1;
        o[k + 1] = base + (uint32_t)__builtin_ctzll(s | top);
        s &= s - 1;
        o[k + 2] = base + (uint32_t)__builtin_ctzll(s | top);
        s &= s - 1;
        o[k + 3] = base + (uint32_t)__builtin_ctzll(s | top);
        s &= s - 1;
    }
    c->out = o + cnt;
}

/*
 * The indices (into the separators) of a block's LF separators lf, where
 * the block's separators s follow the n0 emitted before it. A block holds
 * at most one record end unless its records are short: the first is
 * written without a branch, the others in a loop that rarely runs.
 */
RK_INLINE void note_lfs(rk_carry *c, uint64_t n0, uint64_t s, uint64_t lf)
{
    c->lf[0] = n0 + (uint64_t)__builtin_popcountll(s & ((lf & (0 - lf)) - 1));
    c->lf += lf != 0;
    lf &= lf - 1;
    while (__builtin_expect(lf != 0, 0)) {
        *c->lf++ = n0 + (uint64_t)__builtin_popcountll(s & ((lf & (0 - lf)) - 1));
        lf &= lf - 1;
    }
}

/* Anomalies of a block, in position order (rare). */
void rk_scan_emit_anoms(rk_scanner *sc, uint64_t base, uint64_t all, uint64_t nul, uint64_t bad_open,
                        uint64_t bad_close, uint64_t bare);

/*
 * One block of `len` valid bytes at `base`; px = prefix XOR of m.q; p points
 * at the block bytes (a padded copy for a partial block).
 */
RK_INLINE uint64_t block_logic(rk_scanner *sc, rk_carry *cy, const unsigned char *p, uint64_t base, rk_masks m,
                               uint64_t px, unsigned len)
{
    uint64_t valid = len == 64 ? ~0ull : (1ull << len) - 1;
    uint64_t inq = px ^ cy->inq;
    uint64_t s = (m.c | m.l) & ~inq & valid;
    uint64_t open = m.q & inq, close = m.q & ~inq;
    uint64_t start = (s << 1) | cy->prev_sep;
    uint64_t after_close = (close << 1) | cy->prev_close;
    unsigned nc = next_class(sc, base + len);
    uint64_t nx = ((s | m.q | m.r) >> 1) | ((uint64_t)(nc & 1) << (len - 1));
    uint64_t lnx = (m.l >> 1) | ((uint64_t)(nc >> 1) << (len - 1));
    uint64_t bad_open = open & ~start & ~after_close;
    uint64_t bad_close = close & ~nx;
    uint64_t bare = m.r & ~inq & ~lnx;
    uint64_t qlf = m.l & inq;

    cy->inq = (uint64_t)((int64_t)inq >> 63);
    cy->prev_sep = s >> 63;
    cy->prev_close = close >> 63;
    if (open)
        cy->last_open = base + 63 - (uint64_t)__builtin_clzll(open);
    uint64_t all = bad_open | bad_close | bare | m.z | qlf;
    if (__builtin_expect(all != 0, 0))
        rk_scan_emit_anoms(sc, base, all, m.z, bad_open, bad_close, bare);
    if (sc->ms932 && (m.h | (uint64_t)sc->pending))
        ms932_check(sc, p, base, &m, len);
    return s; /* the separators, for the kernel's emitter */
}

/* Room for every separator of [begin, end) plus an emitter's overrun; 0 out of memory. */
int rk_scan_reserve(rk_scanner *sc, uint64_t begin, uint64_t end);

/* Copies a partial block, padding with a byte of no class. */
RK_INLINE void pad_block(unsigned char *pad, const unsigned char *src, unsigned len)
{
    memcpy(pad, src, len);
    memset(pad + len, 'x', 64 - len);
}

#ifdef RK_X86
__attribute__((target("pclmul,sse2"))) RK_INLINE uint64_t prefix_xor_clmul(uint64_t x)
{
    __m128i a = _mm_set_epi64x(0, (long long)x);
    __m128i ones = _mm_set1_epi8((char)0xFF);
    return (uint64_t)_mm_cvtsi128_si64(_mm_clmulepi64_si128(a, ones, 0));
}
#endif

/* How far ahead of the block it scans a kernel asks for the file's bytes:
 * one page, as the hardware's own prefetch stops at page ends. Measured on
 * 第7表: about 1% (pinned medians); 4 KiB came out best of 256 B to 8 KiB,
 * though those runs were unpinned and their spread was as large. */
#define RK_PREFETCH 4096
/* The kernel loop, instantiated once per mask loader with its own target. */
#define RK_DEFINE_KERNEL(NAME, TARGET, PROLOGUE, LOADER, PXOR, EMIT)                                                   \
    TARGET void NAME(rk_scanner *sc, uint64_t begin, uint64_t end)                                                     \
    {                                                                                                                  \
        if (!rk_scan_reserve(sc, begin, end))                                                                          \
            return;                                                                                                    \
        rk_carry cy = {                                                                                                \
            sc->inq, sc->prev_sep, sc->prev_close, sc->last_open, sc->seps.v + sc->seps.n, sc->lfs.v + sc->lfs.n};     \
        PROLOGUE                                                                                                       \
        uint64_t pos = begin;                                                                                          \
        for (; pos + 64 <= end; pos += 64) {                                                                           \
            const unsigned char *p = sc->buf + pos;                                                                    \
            __builtin_prefetch(p + RK_PREFETCH);                                                                       \
            rk_masks m = LOADER(p);                                                                                    \
            uint64_t s = block_logic(sc, &cy, p, pos, m, PXOR(m.q), 64);                                               \
            note_lfs(&cy, (uint64_t)(cy.out - sc->seps.v), s, s &m.l);                                                 \
            EMIT(&cy, (uint32_t)(pos - sc->seps_base), s);                                                             \
        }                                                                                                              \
        if (pos < end) {                                                                                               \
            unsigned char pad[64];                                                                                     \
            unsigned len = (unsigned)(end - pos);                                                                      \
            pad_block(pad, sc->buf + pos, len);                                                                        \
            rk_masks m = LOADER(pad);                                                                                  \
            uint64_t s = block_logic(sc, &cy, pad, pos, m, PXOR(m.q), len);                                            \
            note_lfs(&cy, (uint64_t)(cy.out - sc->seps.v), s, s &m.l);                                                 \
            EMIT(&cy, (uint32_t)(pos - sc->seps_base), s);                                                             \
        }                                                                                                              \
        sc->inq = cy.inq;                                                                                              \
        sc->prev_sep = cy.prev_sep;                                                                                    \
        sc->prev_close = cy.prev_close;                                                                                \
        sc->last_open = cy.last_open;                                                                                  \
        sc->seps.n = (size_t)(cy.out - sc->seps.v);                                                                    \
        sc->lfs.n = (size_t)(cy.lf - sc->lfs.v);                                                                       \
    }

#define RK_DEFINE_COUNT(NAME, TARGET, LOADER)                                                                          \
    TARGET void NAME(const unsigned char *buf, uint64_t begin, uint64_t end, uint64_t *q, uint64_t *l)                 \
    {                                                                                                                  \
        uint64_t nq = 0, nl = 0, pos = begin;                                                                          \
        for (; pos + 64 <= end; pos += 64) {                                                                           \
            rk_masks m = LOADER(buf + pos);                                                                            \
            nq += (uint64_t)__builtin_popcountll(m.q);                                                                 \
            nl += (uint64_t)__builtin_popcountll(m.l);                                                                 \
        }                                                                                                              \
        for (; pos < end; pos++) {                                                                                     \
            nq += buf[pos] == '"';                                                                                     \
            nl += buf[pos] == '\n';                                                                                    \
        }                                                                                                              \
        *q = nq;                                                                                                       \
        *l = nl;                                                                                                       \
    }

#endif
