/*
 * Internal: the chunked parallel tokenizer on its own, for benchmarks and
 * tests. Runs the same chunk plan and walker as validation, with a callback
 * that only counts, so it measures tokenizing (and, if asked, the MS932 check).
 */
#ifndef RK_TOKENIZE_H
#define RK_TOKENIZE_H

#include "renkei.h"

/* release: buf is a read-only file mapping whose finished pages may be dropped. */
rk_status rk_tokenize_count(rk_engine *e, const unsigned char *buf, uint64_t len, int ms932, int release,
                            uint64_t *records, uint64_t *fields, uint64_t *anomalies);

/*
 * Walks the records of buf in parallel over the planned chunks. fn receives
 * the worker thread (0 .. jobs-1), the chunk index and each record, whose
 * record number counts from 1 within its chunk; *counts (freed by the
 * caller) receives the records of each of the *nchunks chunks, so that
 * record numbers can be made global afterwards. A nonzero return from fn
 * stops that chunk (RK_ERR_ABORTED).
 */
typedef int (*rk_chunk_fn)(void *ctx, int thread, size_t chunk, const unsigned char *buf, const rk_record *rec);
rk_status rk_csv_each_parallel(rk_engine *e, const unsigned char *buf, uint64_t len, rk_chunk_fn fn, void *ctx,
                               uint64_t **counts, size_t *nchunks);

/* Worker threads of an engine. */
unsigned rk_engine_jobs(const rk_engine *e);

#endif
