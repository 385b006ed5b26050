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
#include "renkei.h"

/* Resolves RK_SIMD_AUTO and kernels the CPU lacks to the best available. */
rk_simd rk_simd_resolve(rk_simd want);

/* Whether the CPU has what kernel k's code needs. */
int rk_simd_cpu_has(rk_simd k);

/* The mask pass for a resolved kernel, or NULL (item by item). */
rk_mask_pass_fn rk_mask_pass_for(rk_simd kernel);

/* The kernels, in the files of their instruction sets. */
uint64_t rk_mask_pass_avx512vbmi2(rk_rec_cache *k, const unsigned char *r, uint64_t len, unsigned nf,
                                  uint64_t *empty_items, uint64_t *same_items);

#endif
