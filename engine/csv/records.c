/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Record walker over the scanner's output (see records.h). Windows of 64 KiB
 * keep the separator list and the bytes in cache; a record that spans windows
 * keeps its separators until its LF arrives.
 */
#include "../common/vec.h"
#include "records.h"

#include "../io/io.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define RK_WALK_X86 1
#endif

#define RK_WINDOW (8u * 1024u)
#define RK_RELEASE_STEP (4u << 20) /* drop finished pages in steps of 4 MiB */
#define RK_SOFT_SLACK 1024u        /* bytes scanned past a soft end at first */

void rk_walker_free(rk_walker *w)
{
    rk_scanner_free(&w->sc);
    free(w->fields);
    memset(w, 0, sizeof *w);
}

void rk_record_starts(const unsigned char *buf, uint64_t from, uint64_t to, uint64_t pos[2], uint64_t lfs[2])
{
    int inq = 0, need = 2;
    uint64_t n = 0;
    pos[0] = pos[1] = to;
    lfs[0] = lfs[1] = 0;
    for (uint64_t i = from; i < to && need; i++) {
        unsigned c = buf[i];
        if (c == '"') {
            inq = !inq;
        } else if (c == '\n') {
            /* Unquoted if the chunk began outside quotes and the parity is
             * even, or began inside and the parity is odd. */
            int state = inq; /* the start state for which this LF is unquoted */
            if (pos[state] == to) {
                pos[state] = i;
                lfs[state] = n;
                need--;
            }
            n++;
        }
    }
}

typedef struct walk_state {
    const unsigned char *buf;
    uint64_t record; /* records emitted so far */
    uint64_t line;   /* line of the next record */
    size_t ai, ei;   /* next structural / encoding anomaly */
    uint64_t folded; /* fields of the current record past RK_FIELDS_MAX */
} walk_state;

static uint32_t field_of(const rk_record *rec, uint64_t pos)
{
    /* Fields are few and anomalies rare: a linear search is enough. */
    uint32_t f = 1;
    for (size_t k = 0; k + 1 < rec->nfields; k++)
        if (pos > rec->fields[k].end)
            f = (uint32_t)(k + 2);
    return f;
}

/* Emits the anomalies up to `last` (inclusive) for rec; returns the LFs inside quotes. */
static uint64_t place_anoms(rk_walker *w, walk_state *st, const rk_record *rec, uint64_t last, const rk_walk_cb *cb)
{
    rk_anomvec *a = &w->sc.anoms, *e = &w->sc.enc;
    uint64_t qlf = 0;
    for (;;) {
        const rk_anom *x = st->ai < a->n && a->v[st->ai].pos <= last ? &a->v[st->ai] : NULL;
        const rk_anom *y = st->ei < e->n && e->v[st->ei].pos <= last ? &e->v[st->ei] : NULL;
        if (!x && !y)
            break;
        const rk_anom *m;
        if (x && (!y || x->pos <= y->pos)) {
            m = x;
            st->ai++;
        } else {
            m = y;
            st->ei++;
        }
        if (m->kind == RK_AN_QLF) {
            qlf++;
            continue;
        }
        if (cb->on_anom)
            cb->on_anom(cb->ctx, m, rec, rec->line + qlf, field_of(rec, m->pos));
    }
    return qlf;
}

static int has_unterminated(const rk_anomvec *a, size_t from, uint64_t last)
{
    for (size_t i = from; i < a->n && a->v[i].pos <= last; i++)
        if (a->v[i].kind == RK_AN_UNTERMINATED)
            return 1;
    return 0;
}

/* Past RK_FIELDS_MAX fields a record's last held field spans the rest, which
 * are only counted: a line of commas costs no memory per comma. */
static void fold_fields(rk_walker *w, size_t *nf, uint64_t *folded)
{
    if (*nf <= RK_FIELDS_MAX)
        return;
    w->fields[RK_FIELDS_MAX - 1].end = w->fields[*nf - 1].end;
    *folded += *nf - RK_FIELDS_MAX;
    *nf = RK_FIELDS_MAX;
}

static int fields_reserve(rk_walker *w, size_t need)
{
    return RK_RESERVE(w->fields, w->fcap, need, 64);
}

/* Emits the record starting at rs whose fields are w->fields[0..nf); the last
 * field ends at term (an LF when has_lf, else the end of the chunk). */
static rk_status emit_record(rk_walker *w, walk_state *st, uint64_t rs, size_t nf, uint64_t term, int has_lf,
                             const rk_walk_cb *cb)
{
    /* A CR before the LF belongs to the line end, not to the last field. The
     * last field ends at term: its bounds, just stored, are not loaded back,
     * and an empty last field has a separator (or nothing) before term. */
    uint64_t last_end = term;
    if (has_lf && term > rs && st->buf[term - 1] == '\r')
        w->fields[nf - 1].end = last_end = term - 1;
    rk_record rec;
    fold_fields(w, &nf, &st->folded);
    rec.fields_all = nf + st->folded;
    st->folded = 0;
    rec.record = ++st->record;
    rec.line = st->line;
    rec.offset = rs;
    rec.nfields = nf;
    rec.fields = w->fields;
    rec.end = last_end;
    uint64_t lastbyte = has_lf ? term : term - 1;
    /* Neither pass is called while no anomaly is left in the window (most windows hold none). */
    int any = st->ai < w->sc.anoms.n || st->ei < w->sc.enc.n;
    int unterminated = any && has_unterminated(&w->sc.anoms, st->ai, lastbyte);
    if (cb->on_record && cb->on_record(cb->ctx, &rec, unterminated))
        return RK_ERR_ABORTED;
    uint64_t qlf = any ? place_anoms(w, st, &rec, lastbyte, cb) : 0;
    st->line += qlf + (uint64_t)has_lf;
    return RK_OK;
}

/*
 * The fields closed by the k separators base + sep[0..k) into f[0..k), the
 * first starting at fs: field j spans from the separator before it to
 * sep[j], so it is the pair sep[j-1], sep[j] with the first moved past its
 * separator (no test per field).
 */
static size_t add_fields(rk_field *f, uint64_t fs, uint64_t base, const uint32_t *sep, size_t k)
{
    _Static_assert(sizeof(rk_field) == 2 * sizeof(uint64_t) && offsetof(rk_field, end) == sizeof(uint64_t),
                   "a field is its start and end offsets, in that order");
    f[0].start = fs;
    f[0].end = base + sep[0];
    for (size_t j = 1; j < k; j++) {
        f[j].start = base + sep[j - 1] + 1;
        f[j].end = base + sep[j];
    }
    return k;
}

#if defined(RK_WALK_X86)
/* add_fields, four fields to a vector: five separators spread into pairs,
 * each widened to 64 bits by the permute's zeroed odd lanes. */
__attribute__((target("avx512f"))) static size_t add_fields_avx512(rk_field *f, uint64_t fs, uint64_t base,
                                                                   const uint32_t *sep, size_t k)
{
    const __m512i pairs = _mm512_set_epi32(0, 4, 0, 3, 0, 3, 0, 2, 0, 2, 0, 1, 0, 1, 0, 0);
    const __m512i past = _mm512_add_epi64(_mm512_set_epi64(0, 1, 0, 1, 0, 1, 0, 1), _mm512_set1_epi64((long long)base));
    f[0].start = fs;
    f[0].end = base + sep[0];
    size_t j = 1;
    for (; j + 4 <= k; j += 4) {
        __m512i s = _mm512_maskz_loadu_epi32(0x1F, sep + j - 1);
        _mm512_storeu_si512((void *)&f[j], _mm512_add_epi64(_mm512_maskz_permutexvar_epi32(0x5555, pairs, s), past));
    }
    for (; j < k; j++) {
        f[j].start = base + sep[j - 1] + 1;
        f[j].end = base + sep[j];
    }
    return k;
}
#endif

/* Removes the first k of *n elements of v. */
static void drop_front(void *v, size_t *n, size_t k, size_t elem)
{
    if (k == 0)
        return;
    if (*n > k)
        memmove(v, (char *)v + k * elem, (*n - k) * elem);
    *n -= k;
}

rk_status rk_walk(rk_walker *w, const rk_walk_span *span, const rk_walk_cb *cb, uint64_t *nrecords, uint64_t *nlines)
{
    const unsigned char *buf = span->buf;
    const uint64_t buflen = span->buflen, begin = span->begin, soft = span->soft, end = span->end;
    const uint64_t line0 = span->line0;
    const rk_simd kernel = span->kernel;
    const int ms932 = span->ms932, release = span->release;
    uint64_t released = begin; /* pages below this are dropped (release mode) */
    rk_scanner *sc = &w->sc;
    walk_state st = {buf, 0, line0 + 1, 0, 0, 0};
    rk_scanner_init(sc, buf, buflen, ms932);
    uint64_t rs = begin; /* start of the current record */
    uint64_t fs = begin; /* start of the current field */
    size_t nf = 0;       /* fields of the current record so far */
    rk_status status = RK_OK;
    int stopped = soft && begin >= soft; /* a record started at or past soft */
    for (uint64_t pos = begin; pos < end && status == RK_OK && !stopped;) {
        uint64_t wend = end - pos > RK_WINDOW ? pos + RK_WINDOW : end;
        /* The record that crosses soft mostly ends soon after it: the window
         * stops a little past soft, not a whole window, which the next chunk
         * scans again. Whole blocks, as every scan but a chunk's last. */
        if (soft > pos && soft + RK_SOFT_SLACK < wend) {
            uint64_t cut = pos + ((soft + RK_SOFT_SLACK - pos + 63) & ~(uint64_t)63);
            wend = cut < wend ? cut : wend;
        }
        rk_scan(kernel, sc, pos, wend);
        if (wend == end)
            rk_scan_finish(sc, end);
        if (sc->oom || !fields_reserve(w, nf + sc->seps.n + 1))
            return RK_ERR_NOMEM;
        /* Each separator closes a field; the scanner lists the LFs, which close records. */
        const uint32_t *seps = sc->seps.v;
        const uint64_t sb = sc->seps_base;
        for (size_t li = 0, si = 0; li <= sc->lfs.n && status == RK_OK; li++) {
            size_t upto = li < sc->lfs.n ? (size_t)sc->lfs.v[li] + 1 : sc->seps.n;
            if (upto > si) {
#if defined(RK_WALK_X86)
                if (kernel >= RK_SIMD_AVX512)
                    nf += add_fields_avx512(w->fields + nf, fs, sb, seps + si, upto - si);
                else
#endif
                    nf += add_fields(w->fields + nf, fs, sb, seps + si, upto - si);
                fs = sb + seps[upto - 1] + 1;
                fold_fields(w, &nf, &st.folded);
            }
            si = upto;
            if (li == sc->lfs.n)
                break;
            status = emit_record(w, &st, rs, nf, sb + seps[upto - 1], 1, cb);
            rs = fs;
            nf = 0;
            if (soft && rs >= soft) {
                stopped = 1;
                break;
            }
        }
        sc->seps.n = sc->lfs.n = 0;
        drop_front(sc->anoms.v, &sc->anoms.n, st.ai, sizeof *sc->anoms.v);
        st.ai = 0;
        drop_front(sc->enc.v, &sc->enc.n, st.ei, sizeof *sc->enc.v);
        st.ei = 0;
        pos = wend;
        if (release && rs - released >= RK_RELEASE_STEP) {
            released = rk_release(buf, released, rs);
        }
    }
    if (stopped)
        sc->ended_inq = 0; /* it stopped after an LF outside quotes, before the scan of the rest was finished */
    w->end = stopped ? rs : end;
    if (status == RK_OK && rs < end && !stopped) {
        if (!fields_reserve(w, nf + 1))
            return RK_ERR_NOMEM;
        w->fields[nf].start = fs;
        w->fields[nf].end = end;
        status = emit_record(w, &st, rs, nf + 1, end, 0, cb);
    }
    if (nrecords)
        *nrecords = st.record;
    if (nlines)
        *nlines = st.line - 1 - line0;
    return status;
}
