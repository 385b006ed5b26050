/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the record rules of every file kind. The input is validated
 * under the name of each kind of both CSV versions; every finding must lie
 * inside the input, name a known item, and not depend on the chunk size.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "renkei.h"

static const char *names[] = {
    "UPHOSOKU_202511_1310100019_43_1371100015_11_20251025103000.CSV",
    "UPHOSOKU_000000_1310100019_43_1371100015_11_20251020090000.CSV",
    "UP1KYO_1310100019_43_1371100015_11_20251020090000.CSV",
    "DLT1KYO_1310100019_43_1371100015_11_20251020090000.CSV",
    "UP2KYO_1310100019_43_1371100015_11_20251020090000.CSV",
    "UP3KYO_1310100019_43_1371100015_11_20251020090000.CSV",
    "UPPLAN_202511_1310100019_43_1371100015_11_20251025103000.CSV",
    "UPJSK_202511_1371100015_11_1310100019_43_20251203083000.CSV",
    "UPJSK_202511_1371100015_1310100019_20251203083000.CSV",
    "DLTPLAN_202511_1310100019_43_1371100015_11_20251025103000.CSV",
    "DLTJSK_202511_1371100015_11_1310100019_43_20251203083000.CSV",
    "UPSIKYU_202511_1310100019_43_1371100015_11_20251025103000.CSV",
    "UPSIKYU_202511_1310100019_1371100015_20251025103000.CSV",
    "UPKIHON_1300100011_46_13A0100019_A6_20251015100000.CSV",
    "DLTKIHON_1300100011_46_13A0100019_A6_20251015100000.CSV",
    "UPKIHON_SUB1_1300100011_46_13A0100019_A6_20251015100000.CSV",
    "UPKIHON_SUB2_1300100011_46_13A0100019_A6_20251015100000.CSV",
    "UPYOBO_1300100011_46_13A0100019_A6_20251016100000.CSV",
    "DLTYOBO_1300100011_46_13A0100019_A6_20251016100000.CSV",
    "UPYOBO_SUB_1300100011_46_13A0100019_A6_20251016100000.CSV",
};

static rk_report *run(const uint8_t *data, size_t size, const char *name, size_t chunk)
{
    rk_options o;
    rk_options_init(&o);
    o.jobs = 1;
    o.chunk_size = chunk;
    o.max_per_rule = 0;
    rk_engine *e = rk_engine_new(&o);
    rk_report *r = rk_report_new();
    if (!e || !r || rk_validate_buffer(e, r, name, data, size) != RK_OK)
        abort();
    rk_engine_free(e);
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        rk_report *a = run(data, size, names[k], 1u << 30), *b = run(data, size, names[k], 64);
        const rk_file_result *x = rk_report_file(a, 0), *y = rk_report_file(b, 0);
        if (x->nfindings != y->nfindings)
            abort();
        for (size_t i = 0; i < x->nfindings; i++) {
            const rk_finding *f = &x->findings[i];
            if (f->byte_offset > size || f->rule != y->findings[i].rule || f->byte_offset != y->findings[i].byte_offset)
                abort();
            if (f->field_name && !f->field)
                abort();
        }
        rk_report_free(a);
        rk_report_free(b);
    }
    return 0;
}
