/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The chunk plan (DESIGN §4): a file's bytes cut into record-aligned chunks
 * that threads walk in parallel. Nominal chunks are chunk_size bytes; where
 * each chunk's first record starts is found by a pre-pass over quote parity
 * (exact), guessed from the bytes around the nominal start (the walk proves
 * the guess), or, for teams, guessed only at the start of each run of chunks
 * a thread walks in turn. And the page releaser that drops what a thread has
 * walked of a file mapping, in batches.
 */
#ifndef RK_WALK_PLAN_H
#define RK_WALK_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "renkei.h"

/* Pages the kernel maps around a faulting one (fault_around_bytes): a read
 * just past a chunk maps this much of the next, which the chunk releases. */
#define RK_FAULT_AROUND (64u * 1024u)

/* How rk_plan_chunks finds the chunks' starts. */
enum {
    RK_PLAN_PASS,  /* a pass over the file: every start exact, lines counted */
    RK_PLAN_GUESS, /* every start guessed from the bytes around it */
    RK_PLAN_TEAM   /* only the first start of each run of chunks guessed: the
                      thread that walks the run finds the others (rk_plan_runs) */
};

typedef struct rk_plan_req {
    const unsigned char *buf;
    uint64_t len, start; /* plan buf[start..len) */
    uint64_t chunk_size;
    int chunk_explicit; /* the caller set chunk_size: always honour it */
    unsigned jobs;      /* threads of the engine */
    rk_simd kernel;     /* for the pre-pass */
    int mode;           /* RK_PLAN_* */
    int parallel;       /* the chunks may go to several threads */
    int release;        /* buf is our file mapping: drop the pages the plan read */
} rk_plan_req;

/*
 * a[0..nch] are the chunk bounds (a[nch] = len); l0[i] the LFs before a[i]
 * (NULL unless RK_PLAN_PASS or one chunk). Empty chunks have a[i] == a[i+1].
 * threads: the team size to use. In RK_PLAN_TEAM, a[i] of a chunk that is not
 * the first of a run is its nominal start, where the walk of the chunk before
 * may stop.
 */
typedef struct rk_chunk_plan {
    size_t nch;
    uint64_t *a, *l0;
    int threads;
} rk_chunk_plan;

rk_status rk_plan_chunks(const rk_plan_req *rq, rk_chunk_plan *p);
void rk_chunk_plan_free(rk_chunk_plan *p);

/*
 * The runs of chunks of RK_PLAN_TEAM: run k is chunks [runs[k], runs[k+1]),
 * *nrun runs; malloc'd, NULL when out of memory.
 */
size_t *rk_plan_runs(size_t nch, int threads, size_t *nrun);

/* Batches page releases of one thread's contiguous work: fewer madvise calls,
 * so fewer TLB shootdowns across the worker threads. */
typedef struct rk_releaser {
    const unsigned char *buf;
    uint64_t len, from, to;
    int on; /* 0: releases nothing */
} rk_releaser;

/* The thread walked [from, to): released with the batch it joins. */
void rk_rel_note(rk_releaser *r, uint64_t from, uint64_t to);
/* Releases the batch so far. */
void rk_rel_flush(rk_releaser *r);
/* Ends a run of work the next batch will not continue. */
void rk_rel_done(rk_releaser *r);

#endif
