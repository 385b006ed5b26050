/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the archive reader behind renkei verify. Any bytes must give
 * findings, never a crash; a finding's offset lies inside the tar stream read
 * so far, and an input that is not a complete archive is never reported clean.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../engine/seal/verify_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rk_verify_options o;
    rk_verify_options_init(&o);
    rk_fbuf f;
    rk_fbuf_init(&f, 0);
    uint64_t members = 0;
    if (rk_verify_bytes(&o, data, size, &f, &members) != RK_OK)
        abort();
    uint64_t errors = 0;
    for (size_t i = 0; i < RK_R_COUNT; i++)
        if (rk_rule_at(i)->severity == RK_SEV_ERROR)
            errors += f.count[i];
    /* Fewer than one zstd frame holding two tar blocks cannot be a whole archive. */
    if (size < 20 && errors == 0)
        abort();
    rk_fbuf_free(&f);
    return 0;
}
