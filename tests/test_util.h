/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the unit tests and the fuzz targets: a small
 * deterministic random generator and "validate this buffer with these options".
 */
#ifndef RK_TEST_UTIL_H
#define RK_TEST_UTIL_H

#include <stdint.h>
#include <stdlib.h>

#include "renkei.h"

#define RK_TEST_PLAN_NAME "UPPLAN_202511_1310100019_43_1371100015_11_20251025103000.CSV"

/* xorshift64: the same sequence on every machine. */
static inline uint64_t rk_test_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

/* Validates buf as a UPPLAN file with every finding kept; NULL on failure. */
static inline rk_report *rk_test_validate(const void *buf, size_t len, unsigned jobs, size_t chunk, rk_simd simd)
{
    rk_options o;
    rk_options_init(&o);
    o.jobs = jobs;
    o.chunk_size = chunk;
    o.simd = simd;
    o.max_per_rule = 0;
    rk_engine *e = rk_engine_new(&o);
    rk_report *r = rk_report_new();
    if (!e || !r || rk_validate_buffer(e, r, "dir/" RK_TEST_PLAN_NAME, buf, len) != RK_OK) {
        rk_engine_free(e);
        rk_report_free(r);
        return NULL;
    }
    rk_engine_free(e);
    return r;
}

#endif
