/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the CSV tokenizer and validation. Property checked on every
 * input: the findings and counts are the same with one thread and one huge
 * chunk as with two threads and 64-byte chunks, and rk_csv_each sees as many
 * records as validation counts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "renkei.h"
#include "../test_util.h"

static rk_report *run(const uint8_t *data, size_t size, unsigned jobs, size_t chunk, rk_simd simd)
{
    rk_report *r = rk_test_validate(data, size, jobs, chunk, simd);
    if (!r)
        abort();
    return r;
}

static int count(void *ctx, const unsigned char *buf, const rk_record *rec)
{
    (void)buf;
    uint64_t *n = ctx;
    if (rec->record != *n + 1)
        abort();
    for (size_t i = 0; i < rec->nfields; i++)
        if (rec->fields[i].start > rec->fields[i].end)
            abort();
    (*n)++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rk_report *a = run(data, size, 1, 1u << 30, RK_SIMD_SCALAR);
    rk_report *b = run(data, size, 2, 64, RK_SIMD_AUTO);
    const rk_file_result *x = rk_report_file(a, 0), *y = rk_report_file(b, 0);
    if (x->records != y->records || x->lines != y->lines || x->nfindings != y->nfindings)
        abort();
    for (size_t i = 0; i < x->nfindings; i++) {
        const rk_finding *f = &x->findings[i], *g = &y->findings[i];
        if (f->rule != g->rule || f->record != g->record || f->line != g->line || f->field != g->field ||
            f->byte_offset != g->byte_offset || f->byte_offset > size)
            abort();
    }
    rk_engine *e = rk_engine_new(NULL);
    uint64_t n = 0;
    if (rk_csv_each(e, data, size, count, &n) != RK_OK || n != x->records)
        abort();
    rk_engine_free(e);
    rk_report_free(a);
    rk_report_free(b);
    return 0;
}
