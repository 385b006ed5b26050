/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_tokenize — times the chunked parallel tokenizer on a file, with and
 * without the MS932 check: best of N runs, MB/s and records/s.
 *
 * usage: bench_tokenize FILE JOBS MS932(0|1) [RUNS [RELEASE(0|1) [CHUNK]]]
 * RELEASE 1 drops finished pages as renkei validate does, so every run faults
 * the file in afresh, as a new process would, and RSS stays bounded; 0 keeps
 * the pages mapped across runs and measures the tokenizer alone. CHUNK sets
 * the chunk size, which makes even one thread run the planned chunks with the
 * parity pre-pass (one thread otherwise walks the file in one pass).
 * prints: one line "stage jobs MB/s records/s records"
 */
#include <stdio.h>
#include <stdlib.h>

#include "../engine/walk/walk.h"
#include "bench_util.h"

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_tokenize FILE JOBS MS932 [RUNS]\n");
        return 2;
    }
    size_t len = 0;
    const unsigned char *p = bench_map(argv[1], &len);
    if (!p)
        return 3;
    rk_options o;
    rk_options_init(&o);
    o.jobs = (unsigned)strtoul(argv[2], NULL, 10);
    int ms932 = (int)strtol(argv[3], NULL, 10);
    int runs = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 3;
    int release = argc > 5 ? (int)strtol(argv[5], NULL, 10) : 1;
    if (argc > 6)
        o.chunk_size = (size_t)strtoull(argv[6], NULL, 10);
    rk_engine *e = rk_engine_new(&o);
    double best = 1e30;
    uint64_t rec = 0, fields = 0, an = 0;
    for (int r = 0; r < runs; r++) {
        double t0 = bench_now();
        if (rk_tokenize_count(e, p, len, ms932, release, &rec, &fields, &an) != RK_OK)
            return 70;
        double t = bench_now() - t0;
        if (t < best)
            best = t;
    }
    printf("%s%s%s %u %.0f %.0f %llu\n", ms932 ? "tokenize+ms932" : "tokenize", release ? "" : "(mapped)",
           argc > 6 ? "(planned)" : "", o.jobs, (double)len / best / 1e6, (double)rec / best, (unsigned long long)rec);
    rk_engine_free(e);
    return 0;
}
