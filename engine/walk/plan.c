/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The chunk plan (plan.h).
 */
#include "plan.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "../csv/records.h"
#include "../io/io.h"

/* Bytes a thread walks before its pages are released. */
#define RK_RELEASE_BATCH (16u << 20)

/* Releases the batch; what lies past its last whole 2 MiB block stays
 * pending for the next batch, if that one continues it. */
void rk_rel_flush(rk_releaser *r)
{
    if (r->on && r->to > r->from) { /* with the kernel's fault-around margin past the end */
        uint64_t done =
            rk_release(r->buf, r->from, r->to + RK_FAULT_AROUND < r->len ? r->to + RK_FAULT_AROUND : r->len);
        r->from = done < r->to ? done : r->to;
    }
}

void rk_rel_note(rk_releaser *r, uint64_t from, uint64_t to)
{
    if (!r->on)
        return;
    if (r->to > r->from && r->to != from) { /* elsewhere: what is pending here stays resident */
        rk_rel_flush(r);
        r->from = r->to = 0;
    }
    if (r->to <= r->from)
        r->from = from;
    r->to = to;
    if (r->to - r->from >= RK_RELEASE_BATCH)
        rk_rel_flush(r);
}

/* Ends the batches of a run of work the next batch will not continue: what
 * is still pending is dropped with the whole blocks it touches (a block may
 * hold the start of the next run; the pages fault back in if read). */
void rk_rel_done(rk_releaser *r)
{
    rk_rel_flush(r);
    if (r->on && r->to > r->from)
        rk_release_blocks(r->buf, r->len, r->from, r->to + RK_FAULT_AROUND);
    r->from = r->to = 0;
}

/* Bytes read past s (and back from it, to the line end before it), at most,
 * to choose between the two readings of a guess. */
#define RK_GUESS_WINDOW (64u * 1024u)

/*
 * Where the record after nominal start s begins (below t; t if none). The
 * last LF before s (or lo, the first record's start) either ends a record or
 * lies inside quotes: both readings are followed at once through the quotes
 * after it, and the one that meets a quote the CSV syntax forbids (an
 * opening quote inside a field, a closing quote followed by text) is
 * dropped. Files with line breaks in quoted notes would otherwise be guessed
 * wrong about as often as such a break comes last before a chunk start.
 */
static uint64_t guess_start(const unsigned char *buf, uint64_t lo, uint64_t s, uint64_t t)
{
    uint64_t from = s, floor = s - lo > RK_GUESS_WINDOW ? s - RK_GUESS_WINDOW : lo;
    while (from > floor && buf[from - 1] != '\n')
        from--;
    if (from == floor && floor > lo && buf[from - 1] != '\n')
        from = s;               /* no line end in the window: a line longer than it, whose quotes are not followed */
    uint64_t found[2] = {t, t}; /* reading r: inside quotes at from iff r */
    int bad[2] = {0, 0}, q = 0; /* q: parity of the quotes since from */
    uint64_t stop = s + RK_GUESS_WINDOW < t ? s + RK_GUESS_WINDOW : t;
    for (uint64_t i = from; i < stop; i++) {
        unsigned c = buf[i];
        if (c == '"') {
            unsigned prev = i > from ? buf[i - 1] : '\n', next = i + 1 < t ? buf[i + 1] : '\n';
            int opens_ok = prev == ',' || prev == '\n' || prev == '"';
            int closes_ok = next == ',' || next == '\n' || next == '\r' || next == '"';
            for (int r = 0; r < 2; r++)
                bad[r] |= (q ^ r) ? !closes_ok : !opens_ok;
            q ^= 1;
        } else if (c == '\n' && i >= s) {
            if (found[q] == t)
                found[q] = i; /* unquoted in the reading that starts in state q */
        }
        int pick = bad[0] && !bad[1]; /* malformed either way: the usual reading */
        if ((bad[0] || bad[1]) && found[pick] < t)
            break; /* decided, and the start of the reading kept is known */
        if (found[0] < t && found[1] < t && i >= s + 4096)
            break; /* both readings hold so far: the usual one */
    }
    return bad[0] && !bad[1] ? found[1] : found[0];
}

/* guess_start, and with release set, the pages the guess read (with the
 * kernel's fault-around around them) dropped with their whole blocks. */
static uint64_t guess_dropping(const unsigned char *buf, uint64_t len, uint64_t lo, uint64_t s, uint64_t t, int release)
{
    uint64_t pos = guess_start(buf, lo, s, t);
    if (release) {
        const uint64_t fa = RK_FAULT_AROUND;
        rk_release_blocks(buf, len, s > fa ? s - fa : 0, (pos < len ? pos : len) + 2 * fa);
    }
    return pos;
}

/*
 * The runs of chunks of RK_PLAN_TEAM: run k is chunks [runs[k], runs[k+1]),
 * *nrun runs. A thread walks one run at a time, in order, and takes the next
 * run left when it is done: each run is a share of what is left (the first
 * 1 / 2T of the chunks, then 1 / 2T of the rest, down to one chunk), so the
 * threads finish within a small run of each other however their speeds
 * differ. One thread: one run. NULL when out of memory.
 */
size_t *rk_plan_runs(size_t nch, int threads, size_t *nrun)
{
    size_t *runs = malloc((nch + 1) * sizeof *runs), n = 0;
    if (!runs)
        return NULL;
    for (size_t at = 0; at < nch; n++) {
        size_t left = nch - at, take = threads > 1 ? (left + 2 * (size_t)threads - 1) / (2 * (size_t)threads) : left;
        runs[n] = at;
        at += take;
    }
    runs[n] = nch;
    *nrun = n;
    return runs;
}

/* RK_PLAN_TEAM: a thread walks a run of chunks from its first start; only
 * the runs' starts are guessed. a[i] of any other chunk is its nominal start. */
static rk_status plan_team(const rk_plan_req *rq, uint64_t cs, rk_chunk_plan *p)
{
    const unsigned char *buf = rq->buf;
    const uint64_t len = rq->len, start = rq->start;
    const int release = rq->release, threads = p->threads;
    const size_t nch = p->nch;
    /* A thread walks a run of chunks from its first start: the walk
     * finds where each of its chunks ends, past the next one's nominal
     * start. Only the runs' starts are guessed (see below). */
    size_t nrun, *runs = rk_plan_runs(nch, threads, &nrun);
    uint64_t *a = calloc(nch + 1, sizeof *a);
    if (!a || !runs) {
        free(a);
        free(runs);
        return RK_ERR_NOMEM;
    }
    for (size_t i = 0; i < nch; i++)
        a[i] = start + i * cs;
    a[nch] = len;
    for (size_t ri = nrun - 1; ri >= 1; ri--) {
        size_t i = runs[ri], k = runs[ri + 1];
        uint64_t s = a[i], bound = k < nch ? start + k * cs : len;
        uint64_t pos = guess_dropping(buf, len, start, s, bound, release);
        a[i] = pos < bound ? pos + 1 : a[k]; /* none: the run is empty */
    }
    free(runs);
    p->a = a;
    return RK_OK;
}

/* RK_PLAN_GUESS: every chunk's start guessed. */
static rk_status plan_guess(const rk_plan_req *rq, uint64_t cs, rk_chunk_plan *p)
{
    const unsigned char *buf = rq->buf;
    const uint64_t len = rq->len, start = rq->start;
    const int release = rq->release, threads = p->threads;
    const size_t nch = p->nch;
    /* Guess where each chunk's first record starts from the bytes around
     * its nominal start alone: no pass over the whole file. The walk
     * proves the guess (no chunk but the last ends inside quotes); where
     * it does not, the caller walks the chunk again joined with the next. */
    uint64_t *a = calloc(nch + 1, sizeof *a);
    if (!a)
        return RK_ERR_NOMEM;
    a[0] = start;
    a[nch] = len;
    /* Each guess reads (and faults in) a few pages of its own, which the
     * kernel may map by the whole 2 MiB block: the block is dropped. */
#pragma omp parallel for num_threads(threads) schedule(static)
    for (size_t i = 1; i < nch; i++) {
        uint64_t s = start + i * cs, t = s + cs < len ? s + cs : len;
        uint64_t pos = guess_dropping(buf, len, start, s, t, release);
        a[i] = pos < t ? pos + 1 : 0;
    }
    for (size_t i = nch - 1; i >= 1; i--) /* a chunk with no record start of its own is empty */
        if (!a[i])
            a[i] = a[i + 1];
    p->a = a;
    return RK_OK;
}

/* RK_PLAN_PASS: a pre-pass counts quotes and LFs per chunk; the prefix XOR of
 * quote parity gives the quote state at each nominal start. */
static rk_status plan_pass(const rk_plan_req *rq, uint64_t cs, rk_chunk_plan *p)
{
    const unsigned char *buf = rq->buf;
    const uint64_t len = rq->len, start = rq->start;
    const int release = rq->release, threads = p->threads;
    const size_t nch = p->nch;
    uint64_t *q = calloc(nch, sizeof *q), *lf = calloc(nch, sizeof *lf);
    uint64_t *a = calloc(nch + 1, sizeof *a), *l0 = calloc(nch + 1, sizeof *l0);
    unsigned char *inq = calloc(nch, 1), *found = calloc(nch, 1);
    if (!q || !lf || !a || !l0 || !inq || !found) {
        free(q);
        free(lf);
        free(a);
        free(l0);
        free(inq);
        free(found);
        return RK_ERR_NOMEM;
    }
    uint64_t(*cand)[2][2] = calloc(nch, sizeof *cand); /* [i][state] = {pos, lfs} */
    if (!cand) {
        free(q);
        free(lf);
        free(a);
        free(l0);
        free(inq);
        free(found);
        return RK_ERR_NOMEM;
    }
    /* Pass 1: quote parity and LF count of every nominal chunk, and where its
     * first record would start for either quote state at its start. Each
     * thread takes a contiguous run of chunks, so releases batch up. */
#pragma omp parallel num_threads(threads)
    {
        rk_releaser rel = {buf, len, 0, 0, release};
#pragma omp for schedule(static) nowait
        for (size_t i = 0; i < nch; i++) {
            uint64_t s = start + i * cs, t = s + cs < len ? s + cs : len;
            rk_count_quotes_lfs(rq->kernel, buf, s, t, &q[i], &lf[i]);
            if (i > 0) {
                uint64_t pos[2], lfs[2];
                rk_record_starts(buf, s, t, pos, lfs);
                cand[i][0][0] = pos[0];
                cand[i][0][1] = lfs[0];
                cand[i][1][0] = pos[1];
                cand[i][1][1] = lfs[1];
            }
            rk_rel_note(&rel, s, t);
        }
        rk_rel_flush(&rel);
    }
    uint64_t lfs_before = 0;
    int parity = 0;
    for (size_t i = 0; i < nch; i++) {
        inq[i] = (unsigned char)parity;
        l0[i] = lfs_before; /* LFs before the nominal start, for now */
        parity ^= (int)(q[i] & 1);
        lfs_before += lf[i];
    }
    /* Each chunk starts after the first unquoted LF at or past its nominal start. */
    for (size_t i = 1; i < nch; i++) {
        uint64_t t = start + (i + 1) * cs < len ? start + (i + 1) * cs : len;
        uint64_t pos = cand[i][inq[i]][0];
        if (pos < t) {
            found[i] = 1;
            a[i] = pos + 1;
            l0[i] += cand[i][inq[i]][1] + 1;
        }
    }
    free(cand);
    a[0] = start;
    l0[0] = 0;
    a[nch] = len;
    l0[nch] = lfs_before;
    /* A chunk with no record start of its own is empty: it ends where the next begins. */
    for (size_t i = nch - 1; i >= 1; i--) {
        if (!found[i]) {
            a[i] = a[i + 1];
            l0[i] = l0[i + 1];
        }
    }
    free(q);
    free(lf);
    free(inq);
    free(found);
    p->a = a;
    p->l0 = l0;
    return RK_OK;
}

rk_status rk_plan_chunks(const rk_plan_req *rq, rk_chunk_plan *p)
{
    memset(p, 0, sizeof *p);
    uint64_t cs = rq->chunk_size, len = rq->len, start = rq->start;
    /* One thread walks the file in one pass unless asked for chunks: the
     * findings are the same either way, and the pre-pass costs a read. */
    if ((!rq->parallel || rq->jobs == 1) && !rq->chunk_explicit)
        cs = len - start;
    p->nch = (size_t)((len - start + cs - 1) / cs);
    if (p->nch == 1) { /* nothing to plan */
        p->a = calloc(2, sizeof *p->a);
        p->l0 = calloc(2, sizeof *p->l0);
        if (!p->a || !p->l0) {
            rk_chunk_plan_free(p);
            return RK_ERR_NOMEM;
        }
        p->a[0] = start;
        p->a[1] = len;
        p->threads = 1;
        return RK_OK;
    }
    p->threads = rq->parallel ? (int)rq->jobs : 1;
    switch (rq->mode) {
    case RK_PLAN_TEAM: return plan_team(rq, cs, p);
    case RK_PLAN_GUESS: return plan_guess(rq, cs, p);
    default: return plan_pass(rq, cs, p);
    }
}

void rk_chunk_plan_free(rk_chunk_plan *p)
{
    free(p->a);
    free(p->l0);
    memset(p, 0, sizeof *p);
}
