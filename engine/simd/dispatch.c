/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kernel table (simd.h): every kernel, its name and what the CPU needs
 * for it, in one place.
 */
#include "simd.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define RK_X86 1
#endif

/* In rising order: a kernel needs every feature of those before it that it uses. */
static const rk_kernel kernels[] = {
    {RK_SIMD_AUTO, "auto", {NULL}, rk_scan_portable, rk_count_portable},
    {RK_SIMD_SCALAR, "scalar", {NULL}, rk_scan_scalar, rk_count_portable},
#ifdef RK_X86
    {RK_SIMD_SSE2, "sse2", {"sse2", NULL}, rk_scan_sse2, rk_count_sse2},
    {RK_SIMD_AVX2, "avx2", {"avx2", NULL}, rk_scan_avx2, rk_count_avx2},
    {RK_SIMD_AVX512, "avx512", {"avx512f", "avx512bw", NULL}, rk_scan_avx512, rk_count_avx512},
    {RK_SIMD_AVX512VBMI2,
     "avx512vbmi2",
     {"avx512f", "avx512bw", "avx512vbmi2", NULL},
     rk_scan_avx512vbmi2,
     rk_count_avx512},
#else /* named, never chosen: the CPU has none of them */
    {RK_SIMD_SSE2, "sse2", {"sse2", NULL}, rk_scan_portable, rk_count_portable},
    {RK_SIMD_AVX2, "avx2", {"avx2", NULL}, rk_scan_portable, rk_count_portable},
    {RK_SIMD_AVX512, "avx512", {"avx512f", NULL}, rk_scan_portable, rk_count_portable},
    {RK_SIMD_AVX512VBMI2, "avx512vbmi2", {"avx512vbmi2", NULL}, rk_scan_portable, rk_count_portable},
#endif
};
#define NKERNELS (sizeof kernels / sizeof kernels[0])

static int cpu_supports(const char *f)
{
#ifdef RK_X86
    /* __builtin_cpu_supports takes a literal: one branch per feature named above. */
    __builtin_cpu_init();
    if (!strcmp(f, "sse2"))
        return __builtin_cpu_supports("sse2");
    if (!strcmp(f, "avx2"))
        return __builtin_cpu_supports("avx2");
    if (!strcmp(f, "avx512f"))
        return __builtin_cpu_supports("avx512f");
    if (!strcmp(f, "avx512bw"))
        return __builtin_cpu_supports("avx512bw");
    if (!strcmp(f, "avx512vbmi"))
        return __builtin_cpu_supports("avx512vbmi");
    if (!strcmp(f, "avx512vbmi2"))
        return __builtin_cpu_supports("avx512vbmi2");
    if (!strcmp(f, "bmi2"))
        return __builtin_cpu_supports("bmi2");
    if (!strcmp(f, "popcnt"))
        return __builtin_cpu_supports("popcnt");
#else
    (void)f;
#endif
    return 0;
}

static int has_all(const char *const *needs)
{
    for (int i = 0; i < 4 && needs[i]; i++)
        if (!cpu_supports(needs[i]))
            return 0;
    return 1;
}

const rk_kernel *rk_simd_kernel(rk_simd id)
{
    for (size_t i = 0; i < NKERNELS; i++)
        if (kernels[i].id == id)
            return &kernels[i];
    return &kernels[0];
}

int rk_simd_cpu_has(rk_simd k)
{
    for (size_t i = 0; i < NKERNELS; i++)
        if (kernels[i].id == k)
            return k != RK_SIMD_AUTO && has_all(kernels[i].needs);
    return 0;
}

rk_simd rk_simd_best(void)
{
    rk_simd best = RK_SIMD_SCALAR;
    for (size_t i = 0; i < NKERNELS; i++)
        if (kernels[i].id > best && has_all(kernels[i].needs))
            best = kernels[i].id;
    return best;
}

rk_simd rk_simd_resolve(rk_simd want)
{
    rk_simd best = rk_simd_best();
    if (want == RK_SIMD_AUTO || want > best)
        return best;
    return want;
}

const char *rk_simd_name(rk_simd s)
{
    for (size_t i = 0; i < NKERNELS; i++)
        if (kernels[i].id == s)
            return kernels[i].name;
    return "unknown";
}

int rk_simd_from_name(const char *name, rk_simd *out)
{
    for (size_t i = 0; name && i < NKERNELS; i++)
        if (strcmp(kernels[i].name, name) == 0) {
            *out = kernels[i].id;
            return 1;
        }
    return 0;
}

/* The mask pass also needs VBMI (byte permutes), BMI2 (PEXT) and POPCNT. */
static const char *const mask_needs[4] = {"avx512vbmi", "bmi2", "popcnt", NULL};

rk_mask_pass_fn rk_mask_pass_for(rk_simd kernel)
{
#ifdef RK_X86
    if (kernel == RK_SIMD_AVX512VBMI2 && rk_simd_cpu_has(kernel) && has_all(mask_needs))
        return rk_mask_pass_avx512vbmi2;
#else
    (void)kernel;
#endif
    return NULL;
}
