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

#endif
