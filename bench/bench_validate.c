/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_validate — times full validation of one file in process, on a
 * mapping kept across runs: best of N runs, MB/s and records/s. It measures
 * the rules alone, without the page faults and the report output of a
 * `renkei validate` process (bench/run.sh times that too).
 *
 * usage: bench_validate FILE JOBS [RUNS]
 * The file name is passed through, so the name rules apply as in renkei.
 * prints: one line "validate(mapped) jobs MB/s records/s findings"
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench_util.h"
#include "renkei.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_validate FILE JOBS [RUNS]\n");
        return 2;
    }
    size_t len = 0;
    const unsigned char *p = bench_map(argv[1], &len);
    if (!p)
        return 3;
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += p[i] == '\n';
    rk_options o;
    rk_options_init(&o);
    o.jobs = (unsigned)strtoul(argv[2], NULL, 10);
    int runs = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 3;
    rk_engine *e = rk_engine_new(&o);
    double best = 1e30;
    uint64_t findings = 0;
    for (int r = 0; r < runs; r++) {
        rk_report *rep = rk_report_new();
        double t0 = bench_now();
        if (!rep || rk_validate_buffer(e, rep, argv[1], p, len) != RK_OK)
            return 70;
        double t = bench_now() - t0;
        uint64_t counts[3], records, bytes;
        rk_report_totals(rep, counts, &records, &bytes);
        findings = counts[0] + counts[1] + counts[2];
        rk_report_free(rep);
        if (t < best)
            best = t;
    }
    printf("validate(mapped) %u %.0f %.0f %llu\n", o.jobs, (double)len / best / 1e6, (double)lines / best,
           (unsigned long long)findings);
    rk_engine_free(e);
    return 0;
}
