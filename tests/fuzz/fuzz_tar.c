/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the tar layer behind renkei verify. The input is the tar
 * stream itself, wrapped here in a valid zstd frame (with its checksum), so
 * mutations reach the header, manifest and member parsing instead of
 * stopping at the frame's checksum. Any stream must give findings, never a
 * crash; a stream shorter than the two closing blocks is never clean, and a
 * clean verdict names at least one member.
 */
#include <stdint.h>
#include <stdlib.h>

#include <zstd.h>

#include "../../engine/seal/verify_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t cap = ZSTD_compressBound(size);
    unsigned char *z = malloc(cap ? cap : 1);
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    if (!z || !cc)
        abort();
    ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
    ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, 1);
    size_t zn = ZSTD_compress2(cc, z, cap, data, size);
    if (ZSTD_isError(zn))
        abort();
    rk_verify_options o;
    rk_verify_options_init(&o);
    rk_fbuf f;
    rk_fbuf_init(&f, 0);
    uint64_t members = 0;
    if (rk_verify_bytes(&o, z, zn, &f, &members) != RK_OK)
        abort();
    uint64_t errors = 0;
    for (size_t i = 0; i < RK_R_COUNT; i++)
        if (rk_rule_at(i)->severity == RK_SEV_ERROR)
            errors += f.count[i];
    if (errors == 0 && (size < 1024 || members == 0))
        abort();
    for (size_t i = 0; i < f.n; i++)
        if (f.v[i].off > size)
            abort(); /* a place inside the stream read */
    rk_fbuf_free(&f);
    ZSTD_freeCCtx(cc);
    free(z);
    return 0;
}
