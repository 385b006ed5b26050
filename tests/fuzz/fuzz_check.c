/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: check's reader of one file kind (RK_FUZZ_KIND, built once per
 * kind). The input is the newest version of that kind's file in the scenario
 * month (corpus/check/scenario), written to a scratch directory beside the
 * month's other files, and the month is checked twice, with one chunk and
 * with 64-byte chunks: rk_check must succeed, every finding must lie inside
 * its file, and the findings and totals must not depend on the chunks.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "renkei.h"

#ifndef RK_FUZZ_KIND
#define RK_FUZZ_KIND "UPPLAN"
#endif

static char dir[4096], target[4096 + 80], master[4096];
static const char *paths[1] = {dir};

static void cleanup(void)
{
    char cmd[8400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s' /tmp/rk-fuzz-codes-%ld", dir, master, (long)getpid());
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz_check: could not remove %s\n", dir);
}

/* The scenario file of the kind (of its UP form for a delete), renamed to a
 * later timestamp: the fuzzed file is the version that stands. */
static void setup(void)
{
    const char *base = getenv("RK_FUZZ_SOURCE") ? getenv("RK_FUZZ_SOURCE") : RK_FUZZ_SOURCE;
    char month[4096];
    snprintf(month, sizeof month, "%s/corpus/check/scenario", base);
    snprintf(master, sizeof master, "%s/corpus/master/master.csv", base);
    char cmd0[8400];
    /* The master's codes the month names (and its header and comments): loading
     * 15,000 rows twice per input would be most of the target's time. */
    snprintf(
        cmd0, sizeof cmd0,
        "grep -ohE '(^|,)[0-9A-Z]{6}(,|$)' '%s'/*.CSV | tr -d , | sort -u > /tmp/rk-fuzz-codes-%ld && "
        "awk -F, 'NR==FNR{c[$1]=1;next} /^#/{print;next} !h{h=1;print;next} ($1 in c)' /tmp/rk-fuzz-codes-%ld '%s' > "
        "/tmp/rk-fuzz-master-%ld.csv",
        month, (long)getpid(), (long)getpid(), master, (long)getpid());
    if (system(cmd0) != 0)
        abort();
    snprintf(master, sizeof master, "/tmp/rk-fuzz-master-%ld.csv", (long)getpid());
    snprintf(dir, sizeof dir, "%s/rk-fuzz-check-%s-%ld", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", RK_FUZZ_KIND,
             (long)getpid());
    char cmd[12000];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s' && cp '%s'/*.CSV '%s'/", dir, dir, month, dir);
    if (system(cmd) != 0)
        abort();
    static const char kind[] = RK_FUZZ_KIND;
    const char *up = strncmp(kind, "DLT", 3) == 0 ? &kind[3] : &kind[2];
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        size_t n = strlen(de->d_name), k = strlen(up);
        if (n > 18 && strncmp(de->d_name, "UP", 2) == 0 && strncmp(de->d_name + 2, up, k) == 0 &&
            de->d_name[2 + k] == '_') {
            /* prefix, the name's fields, a later timestamp */
            snprintf(target, sizeof target, "%s/%s%.*s20251231235959.CSV", dir, RK_FUZZ_KIND, (int)(n - 18 - 2 - k),
                     de->d_name + 2 + k);
            break;
        }
    }
    if (d)
        closedir(d);
    if (!target[0])
        abort();
    atexit(cleanup);
}

static rk_report *run(size_t chunk, rk_check_summary **s)
{
    rk_check_options o = {master, NULL, 1, chunk, 0};
    rk_report *r = rk_report_new();
    char err[256];
    if (!r || rk_check(&o, paths, 1, r, s, err, sizeof err) != RK_OK)
        abort();
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0])
        setup();
    FILE *f = fopen(target, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    rk_check_summary *sa = NULL, *sb = NULL;
    rk_report *a = run(1u << 30, &sa), *b = run(64, &sb);
    if (rk_report_nfiles(a) != rk_report_nfiles(b))
        abort();
    for (size_t k = 0; k < rk_report_nfiles(a); k++) {
        const rk_file_result *x = rk_report_file(a, k), *y = rk_report_file(b, k);
        if (x->nfindings != y->nfindings)
            abort();
        for (size_t i = 0; i < x->nfindings; i++) {
            const rk_finding *p = &x->findings[i], *q = &y->findings[i];
            if (p->rule != q->rule || p->byte_offset != q->byte_offset || p->record != q->record)
                abort();
            if (strcmp(x->path, target) == 0 && p->byte_offset > size)
                abort();
        }
    }
    if (memcmp(&sa->all, &sb->all, sizeof sa->all) != 0 || sa->ndisposed != sb->ndisposed)
        abort();
    rk_check_summary_free(sa);
    rk_check_summary_free(sb);
    rk_report_free(a);
    rk_report_free(b);
    return 0;
}
