/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one SIMD dispatch of the engine: which kernel a run uses, from
 * rk_options.simd (--simd) and the CPU, for the scanner (csv/scan.c), the
 * field store (csv/records.c) and the mask pass of the record rules
 * (rk_mask_pass_fn). A kernel the CPU lacks is never chosen, and a kernel
 * asked for is never exceeded: --simd scalar runs no vector code at all.
 */
#ifndef RK_SIMD_H
#define RK_SIMD_H

#include <stdint.h>

#include "../../formats/careplan/record.h"
#include "../csv/scan.h"
#include "renkei.h"

typedef void (*rk_scan_fn)(rk_scanner *sc, uint64_t begin, uint64_t end);
typedef void (*rk_count_fn)(const unsigned char *buf, uint64_t begin, uint64_t end, uint64_t *quotes, uint64_t *lfs);

/* A kernel: its name, what the CPU needs, and its code. */
typedef struct rk_kernel {
    rk_simd id;
    const char *name;
    const char *needs[4]; /* CPU features (__builtin_cpu_supports names), NULL-padded */
    rk_scan_fn scan;      /* the structural scanner (csv/scan.h) */
    rk_count_fn count;    /* the chunk planner's pre-pass: quotes and LFs */
} rk_kernel;

/* The kernel of an id; an unknown id gets the portable kernel. */
const rk_kernel *rk_simd_kernel(rk_simd id);

/* Resolves RK_SIMD_AUTO and kernels the CPU lacks to the best available. */
rk_simd rk_simd_resolve(rk_simd want);

/* Whether the CPU has what kernel k's code needs. */
int rk_simd_cpu_has(rk_simd k);

/* The mask pass for a resolved kernel, or NULL (item by item). */
rk_mask_pass_fn rk_mask_pass_for(rk_simd kernel);

/* The kernels, in the files of their instruction sets (scalar and portable in csv/scan.c). */
void rk_scan_scalar(rk_scanner *sc, uint64_t begin, uint64_t end);
void rk_scan_portable(rk_scanner *sc, uint64_t begin, uint64_t end);
void rk_count_portable(const unsigned char *buf, uint64_t begin, uint64_t end, uint64_t *quotes, uint64_t *lfs);
void rk_scan_sse2(rk_scanner *sc, uint64_t begin, uint64_t end);
void rk_count_sse2(const unsigned char *buf, uint64_t begin, uint64_t end, uint64_t *quotes, uint64_t *lfs);
void rk_scan_avx2(rk_scanner *sc, uint64_t begin, uint64_t end);
void rk_count_avx2(const unsigned char *buf, uint64_t begin, uint64_t end, uint64_t *quotes, uint64_t *lfs);
void rk_scan_avx512(rk_scanner *sc, uint64_t begin, uint64_t end);
void rk_scan_avx512vbmi2(rk_scanner *sc, uint64_t begin, uint64_t end);
void rk_count_avx512(const unsigned char *buf, uint64_t begin, uint64_t end, uint64_t *quotes, uint64_t *lfs);
uint64_t rk_mask_pass_avx512vbmi2(rk_rec_cache *k, const unsigned char *r, uint64_t len, unsigned nf,
                                  uint64_t *empty_items, uint64_t *same_items);

#endif
