/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the chunked parallel tokenizer on its own, for benchmarks and
 * tests. Runs the same chunk plan and walker as validation, with a callback
 * that only counts, so it measures tokenizing (and, if asked, the MS932 check).
 */
#ifndef RK_WALK_H
#define RK_WALK_H

#include "renkei.h"

/* release: buf is a read-only file mapping whose finished pages may be dropped. */
rk_status rk_tokenize_count(rk_engine *e, const unsigned char *buf, uint64_t len, int ms932, int release,
                            uint64_t *records, uint64_t *fields, uint64_t *anomalies);

/*
 * Walks the records of buf in parallel over chunks whose starts are guessed
 * from the bytes around each nominal start, as validation does. fn receives
 * the worker thread (0 .. jobs-1), a chunk id and each record; the record's
 * rec->record and rec->line count from 1 within that chunk. A chunk whose
 * start was guessed wrong is walked again, joined with the chunk before it,
 * under a new id: its first records are then delivered twice. *out tells, by
 * chunk id, the records and lines before the chunk in the file, with which
 * the numbers are made global, or RK_CHUNK_DROPPED: that id's records came
 * from a wrong guess and must be dropped. A nonzero return from fn stops
 * that chunk (RK_ERR_ABORTED). release: as for rk_tokenize_count; the walk
 * of a wrong guess maps again what it reads.
 */
#define RK_CHUNK_DROPPED UINT64_MAX
typedef struct rk_chunk_bases {
    size_t n;          /* chunk ids 0 .. n-1 */
    uint64_t *records; /* by id: records before the chunk, or RK_CHUNK_DROPPED */
    uint64_t *lines;   /* by id: lines before the chunk */
    uint64_t *begin;   /* by id: the bytes walked, [begin, end) */
    uint64_t *end;
    uint64_t total; /* records of the file */
    int dropped;    /* some id is RK_CHUNK_DROPPED */
} rk_chunk_bases;
typedef int (*rk_chunk_fn)(void *ctx, int thread, size_t chunk, const unsigned char *buf, const rk_record *rec);
/* With anom set, the walk checks MS932 too and hands each anomaly but QLF
 * (engine/csv/scan.h), after the record it lies in, to anom. */
struct rk_anom;
typedef void (*rk_chunk_anom_fn)(void *ctx, int thread, size_t chunk, const struct rk_anom *a, const rk_record *rec);
rk_status rk_csv_each_parallel(rk_engine *e, const unsigned char *buf, uint64_t len, int release, rk_chunk_fn fn,
                               rk_chunk_anom_fn anom, void *ctx, rk_chunk_bases *out);
/* As rk_csv_each_parallel for a small file walked whole by one thread (its
 * walker): one chunk, its bases as the parallel walk gives them. */
rk_status rk_csv_each_on(rk_engine *e, int thread, const unsigned char *buf, uint64_t len, rk_chunk_fn fn,
                         rk_chunk_anom_fn anom, void *ctx, rk_chunk_bases *out);
void rk_chunk_bases_free(rk_chunk_bases *b);

/*
 * The global record and line numbers of the records that chunk `id` of buf
 * delivered at offsets offs[0..n) (ascending; repeats allowed): walks that
 * chunk again on the engine's walker `thread`. A caller that keeps only a
 * record's offset and chunk id finds its numbers here when it needs them.
 * An offset that is no record start of the chunk gets record and line 0.
 */
rk_status rk_chunk_places(rk_engine *e, int thread, const unsigned char *buf, uint64_t len, const rk_chunk_bases *b,
                          size_t id, const uint64_t *offs, size_t n, uint64_t *records, uint64_t *lines);

/* Worker threads of an engine. */
unsigned rk_engine_jobs(const rk_engine *e);

#endif
