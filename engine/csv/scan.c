/* SPDX-License-Identifier: Apache-2.0 */
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
#include "scan_block.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../../formats/ms932/ms932.h"
#include "../common/vec.h"
#include "../simd/simd.h"

/* ---- output vectors ---------------------------------------------------- */

/* A run of NUL bytes, of bare CRs or of bytes that are no MS932 byte at all is one
 * anomaly (len = the run's bytes): a file of zeros is one finding, not one
 * per byte, and memory stays bounded however long the run. */
static int runs_join(uint32_t kind)
{
    return kind == RK_AN_NUL || kind == RK_AN_ENC_INVALID || kind == RK_AN_BARE_CR;
}

int rk_anom_push(rk_anomvec *v, uint64_t pos, uint32_t kind, uint32_t len)
{
    if (v->n && runs_join(kind)) {
        rk_anom *last = &v->v[v->n - 1];
        if (last->kind == kind && last->pos + last->len == pos && last->len <= UINT32_MAX - len) {
            last->len += len;
            return 1;
        }
    }
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

rk_pair_table rk_scan_pairs __attribute__((aligned(64)));
static pthread_once_t pair_tab_once = PTHREAD_ONCE_INIT;

static void pair_tab_build(void)
{
    unsigned copies = 0;
    memset(rk_scan_pairs.row_at, RK_PAIR_NO_ROW, sizeof rk_scan_pairs.row_at);
    memset(rk_scan_pairs.bits, 0, sizeof rk_scan_pairs.bits);
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
        while (k < copies && memcmp(rk_scan_pairs.bits + 24 * k, row, sizeof row) != 0)
            k++;
        if (k == copies) {
            if (24 * (copies + 1) > sizeof rk_scan_pairs.bits)
                continue;
            memcpy(rk_scan_pairs.bits + 24 * k, row, sizeof row);
            copies++;
        }
        rk_scan_pairs.row_at[lead & 0x7F] = (unsigned char)(24 * k);
    }
}

static void pair_tab_ready(void)
{
    pthread_once(&pair_tab_once, pair_tab_build);
}

/* ---- MS932 over the high-bit positions of one block -------------------- */

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
 * MS932 over one block, from masks: the leads (leads_of), then only leads
 * are visited, one bitmap test per character, and not those whose pair the
 * kernel already found valid (m->pv); bytes that are neither lead, trail nor
 * kana are invalid.
 */
void rk_scan_ms932_block(rk_scanner *sc, const unsigned char *p, uint64_t base, const rk_masks *m, unsigned len)
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

/* ---- shared bit logic (scan_block.h) ------------------------------------ */

void rk_scan_emit_anoms(rk_scanner *sc, uint64_t base, uint64_t all, uint64_t nul, uint64_t bad_open,
                        uint64_t bad_close, uint64_t bare)
{
    if (all == ~0ull && nul == ~0ull) { /* a block of zeros: one push */
        push_anom(sc, &sc->anoms, base, RK_AN_NUL, 64);
        return;
    }
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

int rk_scan_reserve(rk_scanner *sc, uint64_t begin, uint64_t end)
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

RK_DEFINE_KERNEL(rk_scan_portable, , , masks_portable, prefix_xor_shift, emit_seps)

/* ---- scalar reference ---------------------------------------------------- */

void rk_scan_scalar(rk_scanner *sc, uint64_t begin, uint64_t end)
{
    const unsigned char *b = sc->buf;
    int inq = sc->inq != 0, after_sep = (int)sc->prev_sep, after_close = (int)sc->prev_close;
    if (!rk_scan_reserve(sc, begin, end))
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
    rk_simd_kernel(kernel)->scan(sc, begin, end);
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

RK_DEFINE_COUNT(rk_count_portable, , masks_portable)

void rk_count_quotes_lfs(rk_simd kernel, const unsigned char *buf, uint64_t begin, uint64_t end, uint64_t *q,
                         uint64_t *l)
{
    rk_simd_kernel(kernel)->count(buf, begin, end, q, l);
}
