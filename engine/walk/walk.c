/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parallel record walks over a chunk plan (walk.h): the tokenizer alone for
 * benchmarks, the walk the cross-check reads its rows with, and the places
 * of records found again by chunk and offset.
 */
#include "walk.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "../csv/records.h"
#include "../engine.h"
#include "plan.h"

/* ---- the tokenizer alone (benchmarks) ------------------------------------ */

typedef struct count_ctx {
    uint64_t fields, anomalies;
} count_ctx;

static int count_record(void *vctx, const rk_record *rec, int unterminated)
{
    (void)unterminated;
    ((count_ctx *)vctx)->fields += rec->nfields;
    return 0;
}

static void count_anom(void *vctx, const rk_anom *a, const rk_record *rec, uint64_t line, uint32_t field)
{
    (void)a;
    (void)rec;
    (void)line;
    (void)field;
    ((count_ctx *)vctx)->anomalies++;
}

rk_status rk_tokenize_count(rk_engine *e, const unsigned char *buf, uint64_t len, int ms932, int release,
                            uint64_t *records, uint64_t *fields, uint64_t *anomalies)
{
    uint64_t nrec = 0, nf = 0, nan = 0;
    if (len == 0) {
        *records = *fields = *anomalies = 0;
        return RK_OK;
    }
    rk_plan_req rq = rk_engine_plan_req(e, buf, len, 0, RK_PLAN_PASS, 1, release);
    rk_chunk_plan plan;
    rk_status st = rk_plan_chunks(&rq, &plan);
    if (st != RK_OK)
        return st;
    const size_t nch = plan.nch;
    const uint64_t *a = plan.a, *l0 = plan.l0;
    const int threads = plan.threads;
#pragma omp parallel num_threads(threads) reduction(+ : nrec, nf, nan)
    {
        rk_releaser rel = {buf, len, 0, 0, release};
#pragma omp for schedule(static) nowait
        for (size_t i = 0; i < nch; i++) {
            if (a[i] >= a[i + 1])
                continue;
            count_ctx c = {0, 0};
            rk_walk_cb cb = {&c, count_record, count_anom};
            uint64_t n = 0;
            rk_walk(&e->walkers[omp_get_thread_num()],
                    &(rk_walk_span){.buf = buf,
                                    .buflen = len,
                                    .begin = a[i],
                                    .end = a[i + 1],
                                    .line0 = l0[i],
                                    .kernel = e->kernel,
                                    .ms932 = ms932,
                                    .release = release},
                    &cb, &n, NULL);
            rk_rel_note(&rel, a[i], a[i + 1]);
            nrec += n;
            nf += c.fields;
            nan += c.anomalies;
        }
        rk_rel_flush(&rel);
    }
    rk_chunk_plan_free(&plan);
    *records = nrec;
    *fields = nf;
    *anomalies = nan;
    return RK_OK;
}

/* ---- parallel record walk (for the cross-check) ---------------------------- */

typedef struct par_ctx {
    rk_chunk_fn fn;
    rk_chunk_anom_fn anom;
    void *ctx;
    int thread;
    size_t chunk;
    const unsigned char *buf;
} par_ctx;

static int par_record(void *vctx, const rk_record *rec, int unterminated)
{
    (void)unterminated;
    par_ctx *x = vctx;
    return x->fn(x->ctx, x->thread, x->chunk, x->buf, rec);
}

static void par_anom(void *vctx, const rk_anom *a, const rk_record *rec, uint64_t line, uint32_t field)
{
    (void)line;
    (void)field;
    par_ctx *x = vctx;
    x->anom(x->ctx, x->thread, x->chunk, a, rec);
}

rk_status rk_csv_each_parallel(rk_engine *e, const unsigned char *buf, uint64_t len, int release, rk_chunk_fn fn,
                               rk_chunk_anom_fn anom, void *ctx, rk_chunk_bases *out)
{
    memset(out, 0, sizeof *out);
    uint64_t start = rk_bom_len(buf, len);
    if (start >= len)
        return RK_OK;
    rk_plan_req rq = rk_engine_plan_req(e, buf, len, start, RK_PLAN_GUESS, 1, release);
    rk_chunk_plan plan;
    rk_status st = rk_plan_chunks(&rq, &plan);
    if (st != RK_OK)
        return st;
    const size_t nch = plan.nch;
    const uint64_t *a = plan.a;
    const int threads = plan.threads;
    /* ids: the nch planned chunks, then one per joined walk (fewer than nch) */
    size_t cap = 2 * nch, ids = nch, no = 0;
    uint64_t *cnt = calloc(cap, sizeof *cnt), *lfs = calloc(cap, sizeof *lfs);
    unsigned char *inq = calloc(cap, 1);
    rk_status *cst = calloc(nch, sizeof *cst);
    size_t *order = calloc(nch, sizeof *order); /* the ids that stand, in file order */
    out->records = calloc(cap, sizeof *out->records);
    out->lines = calloc(cap, sizeof *out->lines);
    out->begin = calloc(cap, sizeof *out->begin);
    out->end = calloc(cap, sizeof *out->end);
    if (!cnt || !lfs || !inq || !cst || !order || !out->records || !out->lines || !out->begin || !out->end)
        st = RK_ERR_NOMEM;
#pragma omp parallel num_threads(threads)
    {
        /* Each thread takes a contiguous run of chunks, so that the pages it
         * has read are dropped in batches, as validation does. */
        rk_releaser rel = {buf, len, 0, 0, release};
#pragma omp for schedule(static) nowait
        for (size_t i = 0; i < (st == RK_OK ? nch : 0); i++) {
            if (a[i] >= a[i + 1])
                continue;
            int t = omp_get_thread_num();
            par_ctx x = {fn, anom, ctx, t, i, buf};
            rk_walk_cb cb = {&x, par_record, anom ? par_anom : NULL};
            cst[i] = rk_walk(&e->walkers[t],
                             &(rk_walk_span){.buf = buf,
                                             .buflen = len,
                                             .begin = a[i],
                                             .end = a[i + 1],
                                             .kernel = e->kernel,
                                             .ms932 = anom != NULL,
                                             .release = release},
                             &cb, &cnt[i], &lfs[i]);
            inq[i] = (unsigned char)e->walkers[t].sc.ended_inq;
            rk_rel_note(&rel, a[i], a[i + 1]);
        }
        rk_rel_flush(&rel);
    }
    for (size_t i = 0; i < nch && st == RK_OK; i++) {
        st = cst[i];
        out->begin[i] = a[i];
        out->end[i] = a[i + 1];
    }
    /* A chunk that ends inside quotes hands the next a start that is no
     * record start: walk the two as one under a new id, from its own start
     * (known good), until the joined walk ends outside quotes. */
    for (size_t i = 0; i < nch && st == RK_OK;) {
        size_t id = i, k = i + 1;
        while (inq[id] && k < nch && st == RK_OK) {
            out->records[id] = RK_CHUNK_DROPPED;
            out->records[k] = RK_CHUNK_DROPPED;
            id = ids++;
            out->begin[id] = a[i];
            out->end[id] = a[k + 1];
            par_ctx x = {fn, anom, ctx, 0, id, buf};
            rk_walk_cb cb = {&x, par_record, anom ? par_anom : NULL};
            st = rk_walk(&e->walkers[0],
                         &(rk_walk_span){.buf = buf,
                                         .buflen = len,
                                         .begin = a[i],
                                         .end = a[k + 1],
                                         .kernel = e->kernel,
                                         .ms932 = anom != NULL},
                         &cb, &cnt[id], &lfs[id]);
            inq[id] = (unsigned char)e->walkers[0].sc.ended_inq;
            k++;
        }
        order[no++] = id;
        i = k;
    }
    uint64_t rb = 0, lb = 0;
    for (size_t q = 0; q < no && st == RK_OK; q++) {
        out->records[order[q]] = rb;
        out->lines[order[q]] = lb;
        rb += cnt[order[q]];
        lb += lfs[order[q]];
    }
    out->n = ids;
    out->total = rb;
    out->dropped = ids > nch;
    free(cnt);
    free(lfs);
    free(inq);
    free(cst);
    free(order);
    rk_chunk_plan_free(&plan);
    if (st != RK_OK)
        rk_chunk_bases_free(out);
    return st;
}

rk_status rk_csv_each_on(rk_engine *e, int thread, const unsigned char *buf, uint64_t len, rk_chunk_fn fn,
                         rk_chunk_anom_fn anom, void *ctx, rk_chunk_bases *out)
{
    memset(out, 0, sizeof *out);
    uint64_t start = rk_bom_len(buf, len);
    if (start >= len)
        return RK_OK;
    out->records = calloc(1, sizeof *out->records);
    out->lines = calloc(1, sizeof *out->lines);
    out->begin = calloc(1, sizeof *out->begin);
    out->end = calloc(1, sizeof *out->end);
    if (!out->records || !out->lines || !out->begin || !out->end) {
        rk_chunk_bases_free(out);
        return RK_ERR_NOMEM;
    }
    par_ctx x = {fn, anom, ctx, thread, 0, buf};
    rk_walk_cb cb = {&x, par_record, anom ? par_anom : NULL};
    uint64_t cnt = 0, lfs = 0;
    rk_status st =
        rk_walk(&e->walkers[thread],
                &(rk_walk_span){
                    .buf = buf, .buflen = len, .begin = start, .end = len, .kernel = e->kernel, .ms932 = anom != NULL},
                &cb, &cnt, &lfs);
    out->begin[0] = start;
    out->end[0] = len;
    out->n = 1;
    out->total = cnt;
    if (st != RK_OK)
        rk_chunk_bases_free(out);
    return st;
}

typedef struct places_ctx {
    const uint64_t *offs;
    size_t n, k;
    uint64_t rbase, lbase;
    uint64_t *records, *lines;
} places_ctx;

static int place_record(void *vctx, const rk_record *rec, int unterminated)
{
    (void)unterminated;
    places_ctx *x = vctx;
    while (x->k < x->n && x->offs[x->k] < rec->offset) /* no record starts there */
        x->k++;
    for (; x->k < x->n && x->offs[x->k] == rec->offset; x->k++) {
        x->records[x->k] = x->rbase + rec->record;
        x->lines[x->k] = x->lbase + rec->line;
    }
    return x->k == x->n; /* all found: stop the walk */
}

rk_status rk_chunk_places(rk_engine *e, int thread, const unsigned char *buf, uint64_t len, const rk_chunk_bases *b,
                          size_t id, const uint64_t *offs, size_t n, uint64_t *records, uint64_t *lines)
{
    memset(records, 0, n * sizeof *records);
    memset(lines, 0, n * sizeof *lines);
    if (id >= b->n || b->records[id] == RK_CHUNK_DROPPED || thread < 0 || (unsigned)thread >= e->jobs)
        return RK_ERR_ARG;
    places_ctx x = {offs, n, 0, b->records[id], b->lines[id], records, lines};
    rk_walk_cb cb = {&x, place_record, NULL};
    rk_status st =
        n ? rk_walk(&e->walkers[thread],
                    &(rk_walk_span){
                        .buf = buf, .buflen = len, .begin = b->begin[id], .end = b->end[id], .kernel = e->kernel},
                    &cb, NULL, NULL)
          : RK_OK;
    return st == RK_ERR_ABORTED ? RK_OK : st;
}

void rk_chunk_bases_free(rk_chunk_bases *b)
{
    free(b->records);
    free(b->lines);
    free(b->begin);
    free(b->end);
    memset(b, 0, sizeof *b);
}
