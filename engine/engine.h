/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The engine object behind the public rk_engine handle, shared by the
 * engine's modules (api.c, walk/, validate/, check/); never by the CLI.
 */
#ifndef RK_ENGINE_H
#define RK_ENGINE_H

#include <stdint.h>

#include "../formats/careplan/record.h"
#include "csv/records.h"
#include "renkei.h"
#include "walk/plan.h"

struct rk_engine {
    rk_options o;
    rk_simd kernel;            /* the kernel rk_options.simd resolved to (simd/simd.h) */
    rk_mask_pass_fn mask_pass; /* the record rules' mask pass for that kernel, or NULL */
    unsigned jobs;             /* worker threads */
    int chunk_explicit;        /* the caller set chunk_size: always honour the plan */
    rk_walker *walkers;        /* one per worker thread */
};

/* Bytes of a leading UTF-8 BOM (reported, then skipped by every walk). */
static inline uint64_t rk_bom_len(const unsigned char *buf, uint64_t len)
{
    return len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF ? 3 : 0;
}

/* A plan request for buf[start..len) with the engine's chunking. */
static inline rk_plan_req rk_engine_plan_req(const rk_engine *e, const unsigned char *buf, uint64_t len, uint64_t start,
                                             int mode, int parallel, int release)
{
    rk_plan_req q = {buf, len, start, e->o.chunk_size, e->chunk_explicit, e->jobs, e->kernel, mode, parallel, release};
    return q;
}

#endif
