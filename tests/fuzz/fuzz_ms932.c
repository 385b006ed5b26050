/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the MS932 codec. Properties: validate and decode agree on the
 * number of bad characters; text without bad characters survives
 * decode → encode unchanged in meaning (decoding the re-encoded bytes gives
 * the same UTF-8); encoding never writes more than its input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "renkei.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rk_ms932_error first;
    size_t nbad = rk_ms932_validate(data, size, &first);
    if ((nbad == 0) != (first.kind == RK_MS932_OK) || (nbad && first.offset >= size))
        abort();
    char *u = malloc(3 * size + 1);
    size_t w, bad2;
    if (rk_ms932_to_utf8(data, size, u, 3 * size + 1, &w, &bad2) != RK_OK || bad2 != nbad)
        abort();
    unsigned char *back = malloc(w + 1);
    size_t bw, unm;
    if (rk_ms932_from_utf8(u, w, back, w + 1, &bw, &unm, NULL, NULL) != RK_OK || bw > w)
        abort();
    if (nbad == 0) {
        if (unm)
            abort();
        char *u2 = malloc(3 * bw + 1);
        size_t w2;
        if (rk_ms932_to_utf8(back, bw, u2, 3 * bw + 1, &w2, NULL) != RK_OK || w2 != w || memcmp(u, u2, w) != 0)
            abort();
        free(u2);
    }
    free(back);
    free(u);
    return 0;
}
