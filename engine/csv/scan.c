/*
 * Structural scanner kernels: scalar reference, SSE2, AVX2, AVX-512BW and
 * AVX-512BW with VBMI2, chosen at run time. The SIMD kernels only differ in
 * how they turn 64 bytes into bit masks and how they write the separators
 * out; the bit logic between is one function (block_logic), so the kernels
 * cannot drift apart. The scalar kernel is written byte by byte,
 * independently, and the tests hold every kernel to it.
 *
 * MS932 needs no state machine on the hot path: '"', ',', CR and LF are below
 * 0x40 and so never a trail byte, and blocks without a high bit are skipped.
 */
#include "../common/vec.h"
#include "scan.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../../formats/ms932/ms932.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define RK_X86 1
#endif

#define RK_INLINE static inline __attribute__((always_inline))

/* ---- output vectors ---------------------------------------------------- */

int rk_anom_push(rk_anomvec *v, uint64_t pos, uint32_t kind, uint32_t len)
{
    if (!RK_RESERVE(v->v, v->cap, v->n + 1, 1024))
        return 0;
    v->v[v->n].pos = pos;
    v->v[v->n].kind = kind;
    v->v[v->n].len = len;
    v->n++;
    return 1;
}

static void pair_tab_ready(void);

void rk_scanner_init(rk_scanner *sc, const unsigned char *buf, uint64_t buflen, int ms932)
{
    pair_tab_ready(); /* the VBMI loader reads it whenever a block has lead bytes */
    rk_u32vec seps = sc->seps;
    rk_u64vec lfs = sc->lfs;
    rk_anomvec an = sc->anoms, enc = sc->enc;
    memset(sc, 0, sizeof *sc);
    sc->seps = seps; /* keep buffers across chunks */
    sc->lfs = lfs;
    sc->anoms = an;
    sc->enc = enc;
    sc->seps.n = sc->lfs.n = sc->anoms.n = sc->enc.n = 0;
    sc->buf = buf;
    sc->buflen = buflen;
    sc->ms932 = ms932;
    sc->prev_sep = 1;
}

void rk_scanner_free(rk_scanner *sc)
{
    free(sc->seps.v);
    free(sc->lfs.v);
    free(sc->anoms.v);
    free(sc->enc.v);
    memset(sc, 0, sizeof *sc);
}

static void push_anom(rk_scanner *sc, rk_anomvec *v, uint64_t pos, uint32_t kind, uint32_t len)
{
    if (!rk_anom_push(v, pos, kind, len))
        sc->oom = 1;
}

/* ---- MS932 pair table for byte permutes -------------------------------- */

/*
 * Each lead row's valid trails 40-FF as a 24-byte bitmap (bit t & 7 of byte
 * (t - 0x40) >> 3); rows with the same bitmap share one copy, and ten copies
 * fit in 256 bytes. row_at[lead & 0x7F] = the byte offset of the lead's copy,
 * or RK_PAIR_NO_ROW for rows without one (no valid trail, or no room left):
 * their leads take the per-lead test. Built once from the pair table, so it
 * cannot disagree with it.
 */
#define RK_PAIR_NO_ROW 0xFF
static struct {
    unsigned char row_at[128];
    unsigned char bits[256];
} pair_tab __attribute__((aligned(64)));
static pthread_once_t pair_tab_once = PTHREAD_ONCE_INIT;

static void pair_tab_build(void)
{
    unsigned copies = 0;
    memset(pair_tab.row_at, RK_PAIR_NO_ROW, sizeof pair_tab.row_at);
    memset(pair_tab.bits, 0, sizeof pair_tab.bits);
    for (unsigned lead = 0x80; lead <= 0xFF; lead++) {
        if (rk_ms932_lead_index(lead) < 0)
            continue;
        unsigned char row[24] = {0};
        int any = 0;
        for (unsigned t = 0x40; t <= 0xFF; t++)
            if (rk_ms932_pair_valid(lead, t)) {
                row[(t - 0x40) >> 3] |= (unsigned char)(1u << (t & 7));
                any = 1;
            }
        if (!any)
            continue;
        unsigned k = 0;
        while (k < copies && memcmp(pair_tab.bits + 24 * k, row, sizeof row) != 0)
            k++;
        if (k == copies) {
            if (24 * (copies + 1) > sizeof pair_tab.bits)
                continue;
            memcpy(pair_tab.bits + 24 * k, row, sizeof row);
            copies++;
        }
        pair_tab.row_at[lead & 0x7F] = (unsigned char)(24 * k);
    }
}

static void pair_tab_ready(void)
{
    pthread_once(&pair_tab_once, pair_tab_build);
}

/* ---- MS932 over the high-bit positions of one block -------------------- */

typedef struct rk_masks {
    uint64_t q, c, l, r, z, h; /* quote, comma, LF, CR, NUL, high bit */
    uint64_t lc, k;            /* MS932 lead-capable (81-9F, E0-FC), half-width kana (A1-DF) */
    uint64_t pv;               /* bytes known to start a valid MS932 pair with the next (0 = none known) */
} rk_masks;

static void enc_pair(rk_scanner *sc, uint64_t pos, unsigned lead, unsigned trail, int *consumed)
{
    if (trail < 0x40 || trail > 0xFC || trail == 0x7F) {
        push_anom(sc, &sc->enc, pos, RK_AN_ENC_INVALID, 1);
        *consumed = 0;
        return;
    }
    *consumed = 1;
    if (rk_ms932_pair_valid(lead, trail))
        return;
    push_anom(sc, &sc->enc, pos, lead >= 0xF0 && lead <= 0xF9 ? RK_AN_ENC_GAIJI : RK_AN_ENC_UNASSIGNED, 2);
}

/* A lead whose pair is not a valid character: say why, in the order a
 * sequential decoder would (the lead, then a trail that is no trail at all). */
static void enc_bad_pair(rk_scanner *sc, uint64_t pos, unsigned lead, unsigned trail)
{
    int used;
    enc_pair(sc, pos, lead, trail, &used);
    if (!used && trail >= 0x80 && !(trail >= 0xA1 && trail <= 0xDF) && rk_ms932_lead_index(trail) < 0)
        push_anom(sc, &sc->enc, pos + 1, RK_AN_ENC_INVALID, 1);
}

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

/*
 * MS932 over one block, from masks: the leads (leads_of), then only leads
 * are visited, one bitmap test per character, and not those whose pair the
 * kernel already found valid (m->pv); bytes that are neither lead, trail nor
 * kana are invalid.
 */
static void ms932_block(rk_scanner *sc, const unsigned char *p, uint64_t base, const rk_masks *m, unsigned len)
{
    uint64_t valid = len == 64 ? ~0ull : (1ull << len) - 1;
    uint64_t first_trail = (uint64_t)sc->pending;
    if (sc->pending) {
        sc->pending = 0;
        unsigned lead = sc->buf[sc->pending_pos];
        if (!rk_ms932_pair_valid(lead, p[0]))
            enc_bad_pair(sc, sc->pending_pos, lead, p[0]);
    }
    uint64_t leads = leads_of(m->lc & valid & ~first_trail);
    uint64_t last = 1ull << (len - 1);
    if (leads & last) { /* its trail is in the next block */
        leads &= ~last;
        sc->pending = 1;
        sc->pending_pos = base + len - 1;
    }
    uint64_t trails = (leads << 1) | first_trail | (sc->pending ? last : 0);
    uint64_t bad = m->h & valid & ~leads & ~trails & ~m->k;
    if (__builtin_expect(bad == 0, 1)) {
        for (uint64_t x = leads & ~m->pv; x; x &= x - 1) {
            unsigned i = (unsigned)__builtin_ctzll(x);
            if (__builtin_expect(!rk_ms932_pair_valid(p[i], p[i + 1]), 0))
                enc_bad_pair(sc, base + i, p[i], p[i + 1]);
        }
        return;
    }
    for (uint64_t x = (leads & ~m->pv) | bad; x; x &= x - 1) {
        unsigned i = (unsigned)__builtin_ctzll(x);
        if (bad & (1ull << i))
            push_anom(sc, &sc->enc, base + i, RK_AN_ENC_INVALID, 1);
        else if (!rk_ms932_pair_valid(p[i], p[i + 1]))
            enc_bad_pair(sc, base + i, p[i], p[i + 1]);
    }
}

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
        ms932_block(sc, p, base, m, len);
        return;
    }
    sc->pending = at_end != 0;
    sc->pending_pos = base + len - 1;
}

/* ---- shared bit logic --------------------------------------------------- */

/* Classes of the byte after a block: bit 0 = may follow a closing quote, bit 1 = LF. */
static unsigned next_class(const rk_scanner *sc, uint64_t pos)
{
    if (pos >= sc->buflen)
        return 1; /* end of file: a closing quote may end there, a CR may not */
    /* By table, not by compares: the byte after a block is as good as
     * random, and a branch on its class (often a comma) would be a guess. */
    static const unsigned char cls[256] = {['\n'] = 3, ['\r'] = 1, ['"'] = 1, [','] = 1};
    return cls[sc->buf[pos]];
}

static uint64_t prefix_xor_shift(uint64_t x)
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

static void emit_anoms(rk_scanner *sc, uint64_t base, uint64_t all, uint64_t nul, uint64_t bad_open, uint64_t bad_close,
                       uint64_t bare)
{
    while (all) {
        unsigned i = (unsigned)__builtin_ctzll(all);
        uint64_t bit = 1ull << i;
        uint32_t kind = (nul & bit)         ? RK_AN_NUL
                        : (bad_open & bit)  ? RK_AN_BAD_OPEN
                        : (bad_close & bit) ? RK_AN_BAD_CLOSE
                        : (bare & bit)      ? RK_AN_BARE_CR
                                            : RK_AN_QLF;
        push_anom(sc, &sc->anoms, base + i, kind, 1);
        all &= all - 1;
    }
}

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
        emit_anoms(sc, base, all, m.z, bad_open, bad_close, bare);
    if (sc->ms932 && (m.h | (uint64_t)sc->pending))
        ms932_check(sc, p, base, &m, len);
    return s; /* the separators, for the kernel's emitter */
}

static int reserve_block(rk_scanner *sc, uint64_t begin, uint64_t end)
{
    /* Room for every separator of the range plus an emitter's overrun. */
    size_t need = sc->seps.n + (size_t)(end - begin) + RK_EMIT_OVERRUN;
    if (!RK_RESERVE(sc->seps.v, sc->seps.cap, need, 1024) ||
        !RK_RESERVE(sc->lfs.v, sc->lfs.cap, sc->lfs.n + (size_t)(end - begin) + 1, 1024)) {
        sc->oom = 1;
        return 0;
    }
    return 1;
}

/* Copies a partial block, padding with a byte of no class. */
static void pad_block(unsigned char *pad, const unsigned char *src, unsigned len)
{
    memcpy(pad, src, len);
    memset(pad + len, 'x', 64 - len);
}

/* ---- masks: portable 64-bit (SWAR-free) loader for the SSE2-less case ---- */

static rk_masks masks_portable(const unsigned char *p)
{
    rk_masks m = {0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (unsigned i = 0; i < 64; i++) {
        uint64_t bit = 1ull << i;
        unsigned b = p[i];
        m.q |= b == '"' ? bit : 0;
        m.c |= b == ',' ? bit : 0;
        m.l |= b == '\n' ? bit : 0;
        m.r |= b == '\r' ? bit : 0;
        m.z |= b == 0 ? bit : 0;
        m.h |= b & 0x80 ? bit : 0;
        m.lc |= (unsigned)((b ^ 0x20) - 0xA1) < 0x3C ? bit : 0;
        m.k |= b - 0xA1 < 0x3F ? bit : 0;
    }
    return m;
}

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
    const __m512i *rows = (const __m512i *)(const void *)pair_tab.row_at;
    const __m512i *bits = (const __m512i *)(const void *)pair_tab.bits;
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
    TARGET static void NAME(rk_scanner *sc, uint64_t begin, uint64_t end)                                              \
    {                                                                                                                  \
        if (!reserve_block(sc, begin, end))                                                                            \
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

#ifdef RK_X86
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
#endif

RK_DEFINE_KERNEL(scan_portable, , , masks_portable, prefix_xor_shift, emit_seps)
#ifdef RK_X86
RK_DEFINE_KERNEL(scan_sse2, __attribute__((target("sse2"))), , masks_sse2, prefix_xor_shift, emit_seps)
RK_DEFINE_KERNEL(scan_avx2, __attribute__((target("avx2,pclmul,popcnt,bmi,bmi2,lzcnt"))), , masks_avx2,
                 prefix_xor_clmul, emit_seps)
RK_DEFINE_KERNEL(scan_avx512, __attribute__((target("avx512f,avx512bw,pclmul,popcnt,bmi,bmi2,lzcnt"))), , masks_avx512,
                 prefix_xor_clmul, emit_seps)
RK_DEFINE_KERNEL(scan_avx512_vbmi2,
                 __attribute__((target("avx512f,avx512bw,avx512vbmi,avx512vbmi2,pclmul,popcnt,bmi,bmi2,lzcnt"))),
                 rk_vconst kc = vconst_held();
                 , masks_vbmi_held, prefix_xor_clmul, emit_seps_vbmi2)
#endif

/* ---- scalar reference ---------------------------------------------------- */

static void scan_scalar(rk_scanner *sc, uint64_t begin, uint64_t end)
{
    const unsigned char *b = sc->buf;
    int inq = sc->inq != 0, after_sep = (int)sc->prev_sep, after_close = (int)sc->prev_close;
    if (!reserve_block(sc, begin, end))
        return;
    for (uint64_t i = begin; i < end; i++) {
        unsigned c = b[i];
        int next = i + 1 < sc->buflen ? b[i + 1] : -1;
        int was_sep = 0, was_close = 0;
        if (c == 0)
            push_anom(sc, &sc->anoms, i, RK_AN_NUL, 1);
        if (inq) {
            if (c == '"') {
                inq = 0;
                was_close = 1;
                if (!(next == -1 || next == ',' || next == '\n' || next == '"' || next == '\r'))
                    push_anom(sc, &sc->anoms, i, RK_AN_BAD_CLOSE, 1);
            } else if (c == '\n') {
                push_anom(sc, &sc->anoms, i, RK_AN_QLF, 1);
            }
        } else if (c == '"') {
            inq = 1;
            sc->last_open = i;
            if (!after_sep && !after_close)
                push_anom(sc, &sc->anoms, i, RK_AN_BAD_OPEN, 1);
        } else if (c == ',' || c == '\n') {
            if (c == '\n')
                sc->lfs.v[sc->lfs.n++] = sc->seps.n;
            sc->seps.v[sc->seps.n++] = (uint32_t)(i - sc->seps_base);
            was_sep = 1;
        } else if (c == '\r' && next != '\n') {
            push_anom(sc, &sc->anoms, i, RK_AN_BARE_CR, 1);
        }
        after_sep = was_sep;
        after_close = was_close;
    }
    sc->inq = inq ? ~0ull : 0;
    sc->prev_sep = (uint64_t)after_sep;
    sc->prev_close = (uint64_t)after_close;
    if (sc->ms932) {
        uint64_t i = begin;
        if (sc->pending) {
            int used;
            sc->pending = 0;
            enc_pair(sc, sc->pending_pos, b[sc->pending_pos], b[i], &used);
            i += (uint64_t)used;
        }
        while (i < end) {
            unsigned c = b[i];
            if (c < 0x80 || (c >= 0xA1 && c <= 0xDF)) {
                i++;
                continue;
            }
            if (rk_ms932_lead_index(c) >= 0 && i + 1 == end) {
                sc->pending = 1;
                sc->pending_pos = i;
                break;
            }
            size_t len;
            rk_ms932_error_kind k = rk_ms932_classify(b + i, (size_t)(end - i), &len);
            if (k != RK_MS932_OK)
                push_anom(sc, &sc->enc, i,
                          k == RK_MS932_GAIJI        ? RK_AN_ENC_GAIJI
                          : k == RK_MS932_UNASSIGNED ? RK_AN_ENC_UNASSIGNED
                                                     : RK_AN_ENC_INVALID,
                          (uint32_t)len);
            i += len;
        }
    }
}

/* ---- dispatch ----------------------------------------------------------- */

void rk_scan(rk_simd kernel, rk_scanner *sc, uint64_t begin, uint64_t end)
{
    if (begin >= end)
        return;
    if (sc->seps.n == 0)
        sc->seps_base = begin;
    if (end - sc->seps_base > (uint64_t)UINT32_MAX - 64) { /* offsets would not fit */
        sc->oom = 1;
        return;
    }
    switch (kernel) {
#ifdef RK_X86
    case RK_SIMD_AVX512VBMI2: scan_avx512_vbmi2(sc, begin, end); return;
    case RK_SIMD_AVX512: scan_avx512(sc, begin, end); return;
    case RK_SIMD_AVX2: scan_avx2(sc, begin, end); return;
    case RK_SIMD_SSE2: scan_sse2(sc, begin, end); return;
#endif
    case RK_SIMD_SCALAR: scan_scalar(sc, begin, end); return;
    default: scan_portable(sc, begin, end); return;
    }
}

void rk_scan_finish(rk_scanner *sc, uint64_t end)
{
    (void)end;
    sc->ended_inq = sc->inq != 0;
    if (sc->pending) {
        push_anom(sc, &sc->enc, sc->pending_pos, RK_AN_ENC_INVALID, 1);
        sc->pending = 0;
    }
    if (sc->inq) {
        /* The opening quote precedes the LFs already reported inside it:
         * insert in order so the list stays sorted. */
        if (!rk_anom_push(&sc->anoms, sc->last_open, RK_AN_UNTERMINATED, 1)) {
            sc->oom = 1;
            return;
        }
        size_t i = sc->anoms.n - 1;
        rk_anom a = sc->anoms.v[i];
        while (i > 0 && sc->anoms.v[i - 1].pos > a.pos) {
            sc->anoms.v[i] = sc->anoms.v[i - 1];
            i--;
        }
        sc->anoms.v[i] = a;
        sc->inq = 0;
    }
}

/* ---- pre-pass ------------------------------------------------------------ */

#define RK_DEFINE_COUNT(NAME, TARGET, LOADER)                                                                          \
    TARGET static void NAME(const unsigned char *buf, uint64_t begin, uint64_t end, uint64_t *q, uint64_t *l)          \
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

RK_DEFINE_COUNT(count_portable, , masks_portable)
#ifdef RK_X86
RK_DEFINE_COUNT(count_sse2, __attribute__((target("sse2"))), masks_sse2)
RK_DEFINE_COUNT(count_avx2, __attribute__((target("avx2,popcnt"))), masks_avx2)
RK_DEFINE_COUNT(count_avx512, __attribute__((target("avx512f,avx512bw,popcnt"))), masks_avx512)
#endif

void rk_count_quotes_lfs(rk_simd kernel, const unsigned char *buf, uint64_t begin, uint64_t end, uint64_t *q,
                         uint64_t *l)
{
    switch (kernel) {
#ifdef RK_X86
    case RK_SIMD_AVX512VBMI2:
    case RK_SIMD_AVX512: count_avx512(buf, begin, end, q, l); return;
    case RK_SIMD_AVX2: count_avx2(buf, begin, end, q, l); return;
    case RK_SIMD_SSE2: count_sse2(buf, begin, end, q, l); return;
#endif
    default: count_portable(buf, begin, end, q, l); return;
    }
}
