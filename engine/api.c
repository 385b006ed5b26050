/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The public face of the engine (renkei.h): version, status names, options,
 * the engine object, and records in order. Validation, the cross-check and
 * sealing have their own modules.
 */
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "csv/records.h"
#include "engine.h"
#include "renkei.h"
#include "simd/simd.h"
#include "walk/plan.h"

#define RK_DEFAULT_CHUNK (1u << 20)
/* Input above which a file's link keys go to a spill (rk_options.spill_bytes). */
#define RK_SPILL_BYTES ((size_t)256 << 20)

const char *rk_version(void)
{
    return RK_VERSION_STRING;
}

const char *rk_status_name(rk_status s)
{
    switch (s) {
    case RK_OK: return "RK_OK";
    case RK_ERR_NOMEM: return "RK_ERR_NOMEM";
    case RK_ERR_IO: return "RK_ERR_IO";
    case RK_ERR_ARG: return "RK_ERR_ARG";
    case RK_ERR_NOSPACE: return "RK_ERR_NOSPACE";
    case RK_ERR_INTERNAL: return "RK_ERR_INTERNAL";
    case RK_ERR_ABORTED: return "RK_ERR_ABORTED";
    case RK_ERR_CHANGED: return "RK_ERR_CHANGED";
    }
    return "RK_ERR_UNKNOWN";
}

void rk_options_init(rk_options *o)
{
    memset(o, 0, sizeof *o);
    o->check_ms932 = 1;
    o->max_per_rule = 1000;
}

rk_engine *rk_engine_new(const rk_options *o)
{
    rk_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    if (o)
        e->o = *o;
    else
        rk_options_init(&e->o);
    e->chunk_explicit = e->o.chunk_size != 0;
    if (e->o.chunk_size == 0)
        e->o.chunk_size = RK_DEFAULT_CHUNK;
    if (e->o.spill_bytes == 0)
        e->o.spill_bytes = RK_SPILL_BYTES;
    if (e->o.chunk_size < 64)
        e->o.chunk_size = 64;
    e->kernel = rk_simd_resolve(e->o.simd);
    e->mask_pass = rk_mask_pass_for(e->kernel);
    e->jobs = e->o.jobs ? e->o.jobs : (unsigned)omp_get_num_procs();
    if (e->jobs < 1)
        e->jobs = 1;
    e->walkers = calloc(e->jobs, sizeof *e->walkers);
    if (!e->walkers) {
        free(e);
        return NULL;
    }
    return e;
}

unsigned rk_engine_jobs(const rk_engine *e)
{
    return e->jobs;
}

void rk_engine_free(rk_engine *e)
{
    if (!e)
        return;
    for (unsigned i = 0; i < e->jobs; i++)
        rk_walker_free(&e->walkers[i]);
    free(e->walkers);
    free(e);
}

/* ---- records in order ---------------------------------------------------- */

typedef struct each_ctx {
    rk_record_fn fn;
    void *ctx;
    const unsigned char *buf;
    uint64_t base; /* records in the chunks before */
} each_ctx;

static int each_record(void *vctx, const rk_record *rec, int unterminated)
{
    (void)unterminated;
    each_ctx *x = vctx;
    rk_record r = *rec;
    r.record += x->base;
    return x->fn(x->ctx, x->buf, &r);
}

rk_status rk_csv_each(rk_engine *e, const void *vbuf, size_t len, rk_record_fn fn, void *ctx)
{
    if (!e || !fn || (!vbuf && len))
        return RK_ERR_ARG;
    const unsigned char *buf = vbuf ? vbuf : (const unsigned char *)"";
    uint64_t start = rk_bom_len(buf, len);
    if (start >= len)
        return RK_OK;
    /* The same chunk plan as validation, walked in order on this thread, so
     * that record numbers run on across chunks. */
    rk_plan_req rq = rk_engine_plan_req(e, buf, len, start, RK_PLAN_PASS, 1, 0);
    rk_chunk_plan plan;
    rk_status st = rk_plan_chunks(&rq, &plan);
    const size_t nch = st == RK_OK ? plan.nch : 0;
    const uint64_t *a = plan.a, *l0 = plan.l0;
    each_ctx x = {fn, ctx, buf, 0};
    rk_walk_cb cb = {&x, each_record, NULL};
    for (size_t i = 0; i < nch && st == RK_OK; i++) {
        uint64_t nrec = 0;
        if (a[i] < a[i + 1])
            st = rk_walk(
                &e->walkers[0],
                &(rk_walk_span){
                    .buf = buf, .buflen = len, .begin = a[i], .end = a[i + 1], .line0 = l0[i], .kernel = e->kernel},
                &cb, &nrec, NULL);
        x.base += nrec;
    }
    rk_chunk_plan_free(&plan);
    return st;
}

void rk_field_value(const unsigned char *buf, const rk_field *f, unsigned char *dst, size_t *written)
{
    uint64_t s = f->start, e = f->end;
    size_t w = 0;
    if (e > s && buf[s] == '"') {
        /* Quoted: drop the outer quotes, turn "" into ". A malformed field
         * (reported by validation) keeps whatever follows its closing quote. */
        int inq = 1;
        for (uint64_t i = s + 1; i < e; i++) {
            unsigned char c = buf[i];
            if (c == '"') {
                if (inq && i + 1 < e && buf[i + 1] == '"') {
                    dst[w++] = '"';
                    i++;
                } else {
                    inq = !inq;
                }
            } else {
                dst[w++] = c;
            }
        }
    } else {
        memcpy(dst, buf + s, (size_t)(e - s));
        w = (size_t)(e - s);
    }
    *written = w;
}
