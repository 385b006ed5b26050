/* SPDX-License-Identifier: Apache-2.0 */
/*
 * renkei check: 予定 against 実績, and what the 国保連 will do about it.
 *
 * 1. The master and the office table are read with the project's own CSV
 *    walker and handed row by row to formats/billing.
 * 2. Every UPPLAN / UPSIKYU / UPHOSOKU (with 6/7表) / UPJSK record is reduced
 *    to a small row (person-month key, office, code, date, counts, units,
 *    amounts) and its place in its file.
 * 3. Rows are partitioned by the XXH3 hash of (保険者番号, 被保険者番号,
 *    対象年月): one person-month lands in one partition, partitions are
 *    judged in parallel, each on its own, and the same partitioning is the
 *    unit of work for a month spread over many machines.
 * 4. Inside a partition, rows are sorted by their full key (person-month,
 *    office, code, date) and joined by merging; all per-person rules run there.
 * Findings go to their file and are sorted by place; totals are sums of
 * integers. Neither depends on the number of threads.
 */
#include <omp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../formats/careplan/careplan.h"
#include "../../formats/careplan/layouts.h"
#include "../findings/findings.h"
#include "../../formats/ms932/ms932.h"
#include "../io/io.h"
#include "../walk/walk.h"
#include "check_internal.h"

/* A file of at most this much (the default chunk) is read whole by one thread. */
#define RK_CHECK_SMALL ((size_t)1 << 20)

/* The judge's sink: a finding of the partition's person-months. */
static void part_finding(void *ctx, uint32_t rule, const rk_row_place *at, uint32_t field, const char *value,
                         const char *expected)
{
    part *p = ctx;
    cfind f;
    memset(&f, 0, sizeof f);
    f.rule = rule;
    f.field = field;
    f.at = *at;
    f.value_ours = rule == RK_R_CHK_CUT_A || rule == RK_R_CHK_CUT_B; /* the cut in units: the judge's text */
    if (value)
        snprintf(f.value, sizeof f.value, "%s", value);
    if (expected)
        snprintf(f.expected, sizeof f.expected, "%s", expected);
    if (!rk_vec_push(&p->finds, &f))
        p->oom = 1;
}

/* The lists of one kind of row: rows start with their hash, then their person-month. */
static uint64_t row_hash(const void *row)
{
    uint64_t h;
    memcpy(&h, row, sizeof h);
    return h;
}

/* Row pointers of a sorted kind from i on (none: NULL, which has no offsets). */
static const void *run_at(const ck_sorted *k, size_t i)
{
    return k->v ? (const void *)(k->v + i) : NULL;
}

/* Each person-month of the partition: the month model picks the rows that
 * stand (month.h), the judge judges them. The lists arrive sorted (sort.c). */
static void judge_part(rk_judge *j, const ck_sorted *k, const rk_month_file *files, rk_month_scratch *ms, part *p)
{
    size_t at[RK_BK_COUNT] = {0}, end[RK_BK_COUNT];
    rk_month_sink sink = {ck_part_disposed, p};
    for (;;) {
        /* the first person-month among the lists, in their order (ck_pm_cmp) */
        uint64_t kh = 0;
        const char *pm = NULL;
        for (int q = 0; q < RK_BK_COUNT; q++) {
            if (at[q] == k[q].n)
                continue;
            const char *row = k[q].v[at[q]];
            uint64_t h = row_hash(row);
            if (!pm || ck_pm_cmp(h, row + RK_PM_OFF, kh, pm) < 0) {
                kh = h;
                pm = row + RK_PM_OFF;
            }
        }
        if (!pm)
            return;
        char key[RK_PM_LEN];
        memcpy(key, pm, RK_PM_LEN);
        for (int q = 0; q < RK_BK_COUNT; q++) {
            size_t e = at[q];
            while (e < k[q].n && row_hash(k[q].v[e]) == kh &&
                   rk_keycmp((const char *)k[q].v[e] + RK_PM_OFF, key, RK_PM_LEN) == 0)
                e++;
            end[q] = e;
        }
        rk_pm_lists in;
        in.P = (const rk_day_row *const *)run_at(&k[RK_BK_PLAN], at[RK_BK_PLAN]);
        in.A = (const rk_day_row *const *)run_at(&k[RK_BK_ACTUAL], at[RK_BK_ACTUAL]);
        in.S = (const rk_benefit_row *const *)run_at(&k[RK_BK_BENEFIT], at[RK_BK_BENEFIT]);
        in.H = (const rk_person_row *const *)run_at(&k[RK_BK_PERSON], at[RK_BK_PERSON]);
        in.D = (const rk_delete_row *const *)run_at(&k[RK_BK_DELETE], at[RK_BK_DELETE]);
        in.np = end[RK_BK_PLAN] - at[RK_BK_PLAN];
        in.na = end[RK_BK_ACTUAL] - at[RK_BK_ACTUAL];
        in.ns = end[RK_BK_BENEFIT] - at[RK_BK_BENEFIT];
        in.nh = end[RK_BK_PERSON] - at[RK_BK_PERSON];
        in.nd = end[RK_BK_DELETE] - at[RK_BK_DELETE];
        rk_pm_lists m;
        const rk_person_row *h;
        if (!rk_month_pick(files, &in, &m, &h, ms, &sink))
            p->oom = 1;
        if (m.np) { /* the plan's care manager, and the offices it names (P is sorted by office) */
            size_t offices = 1;
            for (size_t q = 1; q < m.np; q++)
                offices += memcmp(m.P[q]->office, m.P[q - 1]->office, sizeof m.P[q]->office) != 0;
            ck_part_plan(p, files[m.P[0]->at.file].sender, offices);
        }
        if (m.np || m.na || m.ns || h)
            rk_judge_person_month(j, m.P, m.np, m.A, m.na, m.S, m.ns, h);
        memcpy(at, end, sizeof at);
    }
}

/* ---- the whole check -------------------------------------------------------------- */

static int cmp_find_place(const void *a, const void *b)
{
    const cfind *x = *(const cfind *const *)a, *y = *(const cfind *const *)b;
    if (x->at.file != y->at.file)
        return x->at.file < y->at.file ? -1 : 1;
    if (x->at.chunk != y->at.chunk)
        return x->at.chunk < y->at.chunk ? -1 : 1;
    return (x->at.off > y->at.off) - (x->at.off < y->at.off);
}

/* The record and line numbers of the findings: their chunks are walked again,
 * in parallel, each file mapped once more. */
static rk_status find_places(rk_engine *e, part *parts, char *const *files, size_t nf, const rk_chunk_bases *bases,
                             unsigned jobs)
{
    size_t n = 0;
    for (size_t i = 0; i < NPART; i++)
        n += parts[i].finds.n;
    if (!n)
        return RK_OK;
    cfind **fp = malloc(n * sizeof *fp);
    uint64_t *offs = malloc(n * sizeof *offs), *recs = malloc(n * sizeof *recs), *lines = malloc(n * sizeof *lines);
    size_t *group = malloc((n + 1) * sizeof *group); /* starts of runs of one (file, chunk) */
    rk_status st = fp && offs && recs && lines && group ? RK_OK : RK_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; st == RK_OK && i < NPART; i++)
        for (size_t q = 0; q < parts[i].finds.n; q++)
            fp[k++] = (cfind *)parts[i].finds.v + q;
    if (st == RK_OK)
        qsort(fp, n, sizeof *fp, cmp_find_place);
    for (size_t a = 0; st == RK_OK && a < n;) {
        uint32_t file = fp[a]->at.file;
        size_t b = a, ng = 0;
        while (b < n && fp[b]->at.file == file) {
            if (b == a || fp[b]->at.chunk != fp[b - 1]->at.chunk)
                group[ng++] = b;
            offs[b] = fp[b]->at.off;
            b++;
        }
        group[ng] = b;
        rk_map map;
        if (file >= nf || rk_map_file(files[file], &map) != RK_OK) {
            st = RK_ERR_IO;
            break;
        }
        rk_status gst = RK_OK;
#pragma omp parallel for num_threads((int)jobs) schedule(dynamic, 1)
        for (size_t g = 0; g < ng; g++) {
            size_t lo = group[g], m = group[g + 1] - lo;
            rk_status s1 = rk_chunk_places(e, omp_get_thread_num(), map.p, map.len, &bases[file], fp[lo]->at.chunk,
                                           offs + lo, m, recs + lo, lines + lo);
            if (s1 != RK_OK) {
#pragma omp critical(rk_find_places)
                gst = s1;
            }
        }
        rk_unmap(&map);
        st = gst;
        a = b;
    }
    for (size_t i = 0; st == RK_OK && i < n; i++) {
        fp[i]->record = recs[i];
        fp[i]->line = lines[i];
    }
    free(fp);
    free(offs);
    free(recs);
    free(lines);
    free(group);
    return st;
}

/* The master, the office table, the list of files, and room for the rest. */
static rk_status run_open(check_run *c, const char *const *paths, size_t n)
{
    const rk_check_options *o = c->o;
    c->m = rk_master_new();
    c->of = o->offices_path ? rk_offices_new() : NULL;
    c->parts = calloc(NPART, sizeof *c->parts);
    if (!c->m || !c->parts || (o->offices_path && !c->of))
        return RK_ERR_NOMEM;
    for (size_t i = 0; i < NPART; i++) {
        rk_vec_init(&c->parts[i].finds, sizeof(cfind));
        rk_vec_init(&c->parts[i].totals, sizeof(rk_check_total));
        rk_vec_init(&c->parts[i].disps, sizeof(ck_disp));
    }
    rk_status st = ck_load_table(o->master_path, c->m, NULL, c->err, c->errcap);
    if (st == RK_OK && c->of)
        st = ck_load_table(o->offices_path, NULL, c->of, c->err, c->errcap);
    if (st != RK_OK)
        return st;
    if ((st = rk_collect_files(paths, n, &c->files, &c->nf)) != RK_OK) {
        rk_name_failing_input(paths, n, c->err, c->errcap); /* which input, and why */
        return st;
    }
    c->jobs = o->jobs ? o->jobs : (unsigned)omp_get_num_procs();
    size_t nf1 = c->nf ? c->nf : 1;
    c->slot = calloc(nf1, sizeof *c->slot);
    c->kinds = calloc(nf1, sizeof *c->kinds);
    c->sizes = calloc(nf1, sizeof *c->sizes);
    c->records = calloc(nf1, sizeof *c->records);
    c->bases = calloc(nf1, sizeof *c->bases);
    c->mfiles = calloc(nf1, sizeof *c->mfiles);
    c->tparts = calloc((size_t)c->jobs * NPART, sizeof *c->tparts);
    c->unread = calloc(c->jobs, sizeof *c->unread);
    if (!c->slot || !c->kinds || !c->sizes || !c->records || !c->bases || !c->mfiles || !c->tparts || !c->unread)
        return RK_ERR_NOMEM;
    for (unsigned t = 0; t < c->jobs; t++)
        rk_vec_init(&c->unread[t], sizeof(ck_unread));
    for (size_t i = 0; i < (size_t)c->jobs * NPART; i++)
        for (int k = 0; k < RK_BK_COUNT; k++) {
            rk_vec_init(&c->tparts[i].rows[k], ck_row_size[k]);
            rk_vec_init(&c->tparts[i].runs[k], sizeof(run));
        }
    rk_options eo;
    rk_options_init(&eo);
    eo.jobs = c->jobs;
    eo.chunk_size = o->chunk_size;
    c->e = rk_engine_new(&eo);
    return c->e ? RK_OK : RK_ERR_NOMEM;
}

/* The error of a temporary file of --max-memory that failed (spill.err). */
static rk_status spill_failed(check_run *c, const char *what)
{
    snprintf(c->err, c->errcap, "cannot %s %s (--max-memory): %s", what, c->spill.dir, strerror(c->spill.err));
    return RK_ERR_IO;
}

/* How a process reads a file (name_file). */
enum { READ_NONE, READ_SMALL, READ_LARGE };

/* File i's name: its billing kind, what the month model knows of it and its
 * slot in the report; *how: whether this process reads it, and whether
 * whole on one thread (a file of one chunk) or in chunks across them. */
static rk_status name_file(check_run *c, size_t i, int *how)
{
    *how = READ_NONE;
    const char *nm = strrchr(c->files[i], '/');
    rk_name_info ni;
    rk_name_parse(nm ? nm + 1 : c->files[i], &ni);
    c->kinds[i] = rk_billing_kind(&ni);
    if (c->kinds[i] < 0 && c->kinds[i] != RK_BK_BAD_NAME) /* a bad name is reported, not read (store_results) */
        return RK_OK;
    c->slot[i] = rk_report_add_slot(c->r);
    if (c->slot[i] == (size_t)-1)
        return RK_ERR_NOMEM;
    if (c->kinds[i] == RK_BK_BAD_NAME)
        return RK_OK;
    rk_month_file *mf = &c->mfiles[i];
    mf->serial = rk_month_serial(ni.serial);
    memcpy(mf->sender, ni.sender, sizeof mf->sender);
    memcpy(mf->receiver, ni.receiver, sizeof mf->receiver);
    mf->kind = c->kinds[i];
    if (c->peers && c->owner[i] != c->peers->rank) /* another peer reads it */
        return RK_OK;
    struct stat sb; /* its size: for the memory plan, and whether it is small */
    size_t chunk = c->o->chunk_size ? c->o->chunk_size : RK_CHECK_SMALL;
    int reg = stat(c->files[i], &sb) == 0 && S_ISREG(sb.st_mode);
    c->sizes[i] = reg ? (uint64_t)sb.st_size : 0;
    *how = reg && c->sizes[i] <= chunk ? READ_SMALL : READ_LARGE;
    return RK_OK;
}

/* What read_record knows of file i. */
static ck_reader reader_of(check_run *c, size_t i, int *oom)
{
    const char *nm = strrchr(c->files[i], '/');
    rk_name_info ni;
    rk_name_parse(nm ? nm + 1 : c->files[i], &ni);
    ck_reader rd = {.file = (uint32_t)i,
                    .kind = c->kinds[i],
                    .l3 = rk_layout_find(ni.kind, RK_LAYOUT_V3),
                    .l4 = rk_layout_find(ni.kind, RK_LAYOUT_V4),
                    .parts = c->tparts,
                    .oom = oom,
                    .unread = c->unread,
                    .spill = &c->spill};
    rk_csv_version_of(RK_LAYOUT_V3, rd.v3);
    rk_csv_version_of(RK_LAYOUT_V4, rd.v4);
    return rd;
}

/* What the reader threads flagged (oom) while file i was read, or rs. */
static rk_status read_flags(check_run *c, size_t i, const int *oom, rk_status rs)
{
    for (unsigned t = 0; t < c->jobs; t++) {
        if (oom[t] == RK_SPILL_FAILED) {
            rs = spill_failed(c, "write rows out to");
        } else if (oom[t] == RK_TOO_MANY_CHUNKS) {
            snprintf(c->err, c->errcap, "%s: too many chunks; raise --chunk-size", c->files[i]);
            rs = RK_ERR_ARG;
        } else if (oom[t] && rs == RK_OK) {
            rs = RK_ERR_NOMEM;
        }
    }
    return rs;
}

/* The error of file i that could not be read (RK_ERR_IO) or changed while
 * read (RK_ERR_CHANGED), said in c->err. */
static rk_status read_failed(check_run *c, size_t i, rk_status rs)
{
    if (rs == RK_ERR_CHANGED) {
        snprintf(c->err, c->errcap, "%s: the file changed (shrank) while it was read", c->files[i]);
        return RK_ERR_IO;
    }
    if (rs == RK_ERR_IO)
        rk_cannot_read(c->err, c->errcap, c->files[i]);
    return rs;
}

/* Reads a large file i in chunks across the threads, each thread into its own partitions. */
static rk_status read_large(check_run *c, size_t i, int *oom)
{
    rk_map map;
    if (rk_map_file(c->files[i], &map) != RK_OK)
        return read_failed(c, i, RK_ERR_IO);
    ck_reader rd = reader_of(c, i, oom);
    rk_status rs = rk_csv_each_parallel(c->e, map.p, map.len, 1, ck_read_record, ck_read_anomaly, &rd, &c->bases[i]);
    rs = read_flags(c, i, oom, rs);
    c->records[i] = c->bases[i].total;
    c->dropped |= c->bases[i].dropped;
    c->sizes[i] = map.len;
    if (rs == RK_OK && rk_map_changed(&map) != RK_OK)
        rs = read_failed(c, i, RK_ERR_CHANGED);
    rk_unmap(&map);
    return rs == RK_OK || rs == RK_ERR_ARG || rs == RK_ERR_IO ? rs : RK_ERR_NOMEM;
}

/* Reads a small file i whole on thread t, into t's partitions. */
static rk_status read_small(check_run *c, size_t i, int *oom, int t, rk_read_buf *b)
{
    size_t len;
    rk_status rs = rk_read_file(c->files[i], &b->p, &b->cap, &len);
    if (rs != RK_OK)
        return rs;
    ck_reader rd = reader_of(c, i, oom);
    rs = rk_csv_each_on(c->e, t, b->p, len, ck_read_record, ck_read_anomaly, &rd, &c->bases[i]);
    c->records[i] = c->bases[i].total;
    c->sizes[i] = len;
    return rs;
}

/* Every file this process reads (how: name_file's): the small ones a file
 * per thread, then the large ones in chunks across the threads; the
 * failure of the first file in order that failed. */
static rk_status read_each(check_run *c, const int *how, int *oom, uint32_t *failed)
{
    size_t nf1 = c->nf ? c->nf : 1;
    rk_status *fst = calloc(nf1, sizeof *fst);
    rk_read_buf *bufs = calloc(c->jobs, sizeof *bufs);
    rk_status st = fst && bufs ? RK_OK : RK_ERR_NOMEM;
    const size_t ns = st == RK_OK ? c->nf : 0;
#pragma omp parallel for num_threads((int)c->jobs) schedule(dynamic, 4)
    for (size_t i = 0; i < ns; i++)
        if (how[i] == READ_SMALL)
            fst[i] = read_small(c, i, oom, omp_get_thread_num(), &bufs[omp_get_thread_num()]);
    size_t bad = SIZE_MAX;
    for (size_t i = 0; i < ns && bad == SIZE_MAX; i++) {
        if (how[i] == READ_LARGE) /* in order, up to the first small file that failed */
            fst[i] = read_large(c, i, oom);
        else if (how[i] == READ_SMALL && fst[i] == RK_OK)
            fst[i] = read_flags(c, i, oom, RK_OK);
        else if (how[i] == READ_SMALL)
            fst[i] = read_failed(c, i, fst[i]);
        if (fst[i] != RK_OK)
            bad = i;
    }
    if (bad != SIZE_MAX) {
        st = fst[bad] == RK_OK || fst[bad] == RK_ERR_ARG || fst[bad] == RK_ERR_IO ? fst[bad] : RK_ERR_NOMEM;
        *failed = (uint32_t)bad;
    }
    for (unsigned t = 0; bufs && t < c->jobs; t++)
        free(bufs[t].p);
    free(bufs);
    free(fst);
    return st;
}

static int cmp_unread(const void *a, const void *b)
{
    const ck_unread *x = a, *y = b;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    /* File order is byte order: a chunk walked again joined with the next
     * has a new chunk number, past every chunk after it. */
    if (x->at.off != y->at.off)
        return x->at.off < y->at.off ? -1 : 1;
    return (x->at.chunk > y->at.chunk) - (x->at.chunk < y->at.chunk);
}

/* What the check could not read, one finding per file and rule at the first
 * place, with the count (chunks read on a wrong guess left out): a file of
 * another layout, version or encoding never passes as judged. */
static rk_status unread_findings(check_run *c)
{
    rk_vec all;
    rk_vec_init(&all, sizeof(ck_unread));
    for (unsigned t = 0; t < c->jobs; t++) {
        const ck_unread *u = c->unread[t].v;
        for (size_t i = 0; i < c->unread[t].n; i++)
            if (c->bases[u[i].file].records[u[i].at.chunk] != RK_CHUNK_DROPPED && !rk_vec_push(&all, &u[i])) {
                rk_vec_free(&all);
                return RK_ERR_NOMEM;
            }
    }
    ck_unread *u = all.v;
    if (all.n)
        qsort(u, all.n, sizeof *u, cmp_unread);
    rk_status st = RK_OK;
    for (size_t i = 0; i < all.n && st == RK_OK;) {
        size_t e = i;
        uint64_t n = 0;
        while (e < all.n && u[e].file == u[i].file && u[e].rule == u[i].rule)
            n += u[e++].count;
        cfind f;
        memset(&f, 0, sizeof f);
        f.rule = u[i].rule;
        rk_map map;
        size_t first;
        if (f.rule == RK_R_ENC_INVALID && rk_map_file(c->files[u[i].file], &map) == RK_OK) {
            if (rk_utf8_text(map.p, map.len, &first)) /* the whole file in UTF-8: said so, once */
                f.rule = RK_R_ENC_UTF8;
            rk_unmap(&map);
        }
        f.field = u[i].rule == RK_R_VER_UNKNOWN ? RK_VERSION_ITEM : 0;
        f.at = u[i].at;
        const char *s = n == 1 ? "" : "s";
        unsigned long long nn = (unsigned long long)n;
        f.value_ours = 1;
        if (u[i].rule == RK_R_CSV_FIELD_COUNT) {
            snprintf(f.value, sizeof f.value, RK_JA_EN("%llu件読めません", "%llu record%s not read"), nn, nn, s);
            snprintf(f.expected, sizeof f.expected, RK_JA_EN("%u項目", "%u items"), u[i].want, u[i].want);
        } else if (u[i].rule == RK_R_VER_UNKNOWN) {
            char v3[RK_VERSION_LEN + 1] = {0}, v4[RK_VERSION_LEN + 1] = {0};
            rk_csv_version_of(RK_LAYOUT_V3, v3);
            rk_csv_version_of(RK_LAYOUT_V4, v4);
            snprintf(f.value, sizeof f.value, RK_JA_EN("%llu件", "%llu record%s"), nn, nn, s);
            snprintf(f.expected, sizeof f.expected,
                     RK_JA_EN("%s または %s(%sとして読みました)", "%s or %s (read as %s)"), v3, v4, v4, v3, v4, v4);
        } else {
            snprintf(f.value, sizeof f.value, RK_JA_EN("%llu件", "%llu record%s"), nn, nn, s);
            snprintf(f.expected, sizeof f.expected, "MS932");
        }
        if (!rk_vec_push(&c->parts[0].finds, &f))
            st = RK_ERR_NOMEM;
        i = e;
    }
    rk_vec_free(&all);
    return st;
}

/* The memory budget: --max-memory, else half the physical memory; none
 * with peers (each holds its share). */
static size_t memory_budget(const rk_check_options *o)
{
    if (o->peers)
        return 0;
    if (o->max_memory)
        return o->max_memory;
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? (size_t)pages * (size_t)page / 2 : 0;
}

/* The spill readied for the budget, its sub-partitions sized by the
 * month's billing files (spill.c; their sizes from name_file). */
static rk_status plan_memory(check_run *c)
{
    uint64_t bytes = 0;
    for (size_t i = 0; i < c->nf; i++)
        bytes += c->kinds[i] >= 0 ? c->sizes[i] : 0;
    return ck_spill_plan(&c->spill, bytes, memory_budget(c->o), c->jobs) ? RK_OK : RK_ERR_NOMEM;
}

/* Every file read (with peers, this peer's share); then the rows read on a
 * wrong guess of a chunk start go (when the rows were written out, as they
 * are read back). *failed: the file whose read failed. */
static rk_status read_files(check_run *c, uint32_t *failed)
{
    int *oom = calloc(c->jobs, sizeof *oom), *how = calloc(c->nf ? c->nf : 1, sizeof *how);
    rk_status st = oom && how ? RK_OK : RK_ERR_NOMEM;
    for (size_t i = 0; i < c->nf && st == RK_OK; i++)
        st = name_file(c, i, &how[i]);
    if (st == RK_OK)
        st = plan_memory(c);
    if (st == RK_OK)
        st = read_each(c, how, oom, failed);
    free(oom);
    free(how);
    for (unsigned t = 0; st == RK_OK && c->spill.wrote && t < c->jobs; t++) /* some went out: the rest too */
        if (!ck_spill_thread(&c->spill, &c->tparts[(size_t)t * NPART], t)) {
            st = spill_failed(c, "write rows out to");
        }
    if (st == RK_OK && c->spill.wrote && !ck_spill_index(&c->spill))
        st = RK_ERR_NOMEM;
    int fix_oom = 0;
    const size_t nt = st == RK_OK && c->dropped && !c->spill.wrote ? (size_t)c->jobs * NPART : 0;
#pragma omp parallel for num_threads((int)c->jobs) schedule(dynamic, 4) reduction(| : fix_oom)
    for (size_t t = 0; t < nt; t++)
        for (int k = 0; k < RK_BK_COUNT; k++)
            fix_oom |= !ck_drop_rows(&c->tparts[t], k, c->bases, 0);
    if (st == RK_OK && fix_oom)
        return RK_ERR_NOMEM;
    return st; /* what could not be read: unread_findings, once every peer's is in */
}

/* Sorts and judges the threads' rows of partition i (all of them, or one
 * sub-partition read back), then frees them; 0 out of memory. */
static int judge_rows(check_run *c, ck_scratch *sc, size_t i)
{
    part *p = &c->parts[i];
    int ok = 1;
    for (int k = 0; k < RK_BK_COUNT && ok; k++)
        ok = ck_sort_part(&sc->k[k], sc, c->tparts, c->jobs, i, k);
    if (ok) {
        rk_judge j;
        rk_judge_sink sink = {part_finding, ck_part_claim, p};
        rk_judge_init(&j, c->m, c->of, &sink);
        judge_part(&j, sc->k, c->mfiles, &sc->month, p);
        ok = !j.oom && ck_part_disp_flush(p);
        rk_judge_free(&j);
    }
    for (unsigned t = 0; t < c->jobs; t++) /* judged: the threads' rows go */
        ck_part_free_rows(&c->tparts[(size_t)t * NPART + i]);
    return ok;
}

/* Judges the partitions in parallel, each first sorted from the threads' rows. */
static rk_status judge_parts(check_run *c)
{
    ck_scratch *scr = calloc(c->jobs, sizeof *scr);
    if (!scr)
        return RK_ERR_NOMEM;
    int io = 0;
#pragma omp parallel for num_threads((int)c->jobs) schedule(dynamic, 1) reduction(| : io)
    for (size_t i = 0; i < NPART; i++) {
        part *p = &c->parts[i];
        ck_scratch *sc = &scr[omp_get_thread_num()];
        if (!c->spill.wrote) {
            p->oom |= !judge_rows(c, sc, i);
            continue;
        }
        for (unsigned sub = 0; sub < 1u << c->spill.sub_bits && !p->oom; sub++) {
            if (!ck_spill_load(&c->spill, c->tparts, (unsigned)i, sub, c->bases)) {
                io |= c->spill.err != 0;
                p->oom = 1;
                break;
            }
            p->oom |= !judge_rows(c, sc, i);
        }
    }
    for (unsigned t = 0; t < c->jobs; t++)
        ck_scratch_free(&scr[t]);
    free(scr);
    if (io) {
        return spill_failed(c, "read rows back from");
    }
    for (size_t i = 0; i < NPART; i++)
        if (c->parts[i].oom)
            return RK_ERR_NOMEM;
    return RK_OK;
}

/* Findings to their files' reports; the totals summed into the summary. */
static rk_status store_results(check_run *c, rk_check_summary **summary)
{
    rk_fbuf *fb = calloc(c->nf ? c->nf : 1, sizeof *fb);
    rk_vec all;
    rk_vec_init(&all, sizeof(rk_check_total));
    if (!fb)
        return RK_ERR_NOMEM;
    rk_status st = RK_OK;
    for (size_t i = 0; i < c->nf; i++)
        rk_fbuf_init(&fb[i], c->o->max_per_rule);
    rk_vec disps;
    rk_vec_init(&disps, sizeof(ck_disp));
    for (size_t i = 0; i < NPART; i++) {
        const ck_disp *d = c->parts[i].disps.v;
        for (size_t k = 0; k < c->parts[i].disps.n && st == RK_OK; k++)
            if (!rk_vec_push(&disps, &d[k]))
                st = RK_ERR_NOMEM;
        const cfind *f = c->parts[i].finds.v;
        for (size_t k = 0; k < c->parts[i].finds.n; k++) {
            if (f[k].dropped)
                continue;
            const char *val = f[k].note ? f[k].note : f[k].value;
            rk_fbuf_add_ours(&fb[f[k].at.file], f[k].rule, f[k].record, f[k].line, f[k].field, f[k].at.off,
                             val[0] ? val : NULL, strlen(val), f[k].value_ours && !f[k].note,
                             f[k].expected[0] ? f[k].expected : NULL);
        }
        const rk_check_total *t = c->parts[i].totals.v;
        for (size_t k = 0; k < c->parts[i].totals.n && st == RK_OK; k++)
            if (!rk_vec_push(&all, &t[k]))
                st = RK_ERR_NOMEM;
    }
    for (size_t i = 0; i < c->nf; i++) {
        const char *nm = strrchr(c->files[i], '/');
        nm = nm ? nm + 1 : c->files[i];
        rk_name_info ni;
        rk_name_parse(nm, &ni);
        if (st == RK_OK && c->kinds[i] == RK_BK_BAD_NAME) {
            rk_fbuf_add_en(&fb[i], RK_R_NAME_GRAMMAR, 0, 0, 0, 0, nm, strlen(nm), NULL, ni.problem_ja, ni.problem);
            st = rk_report_store(c->r, c->slot[i], &fb[i], c->files[i], ni.kind, NULL, 0, 0, 0);
        } else if (st == RK_OK && c->kinds[i] >= 0) {
            st = rk_report_store(c->r, c->slot[i], &fb[i], c->files[i], ni.kind, NULL, c->sizes[i], c->records[i], 0);
            if (st == RK_OK)
                st = rk_report_set_facts(c->r, c->slot[i], &ni, RK_LAYOUT_V4, NULL, 0, 1);
        }
        rk_fbuf_free(&fb[i]);
    }
    free(fb);
    if (st == RK_OK)
        st = ck_build_summary(&all, &disps, c->files, summary);
    rk_vec_free(&all);
    rk_vec_free(&disps);
    return st;
}

static void run_close(check_run *c)
{
    if (c->peers)
        ck_peers_close(c);
    rk_engine_free(c->e);
    ck_spill_free(&c->spill);
    for (size_t t = 0; c->tparts && t < (size_t)c->jobs * NPART; t++)
        ck_part_free_rows(&c->tparts[t]);
    free(c->tparts);
    for (size_t i = 0; c->parts && i < NPART; i++) {
        ck_free_notes(&c->parts[i]);
        rk_vec_free(&c->parts[i].finds);
        rk_vec_free(&c->parts[i].totals);
        rk_vec_free(&c->parts[i].disps);
        free(c->parts[i].tix);
    }
    free(c->parts);
    for (unsigned t = 0; c->unread && t < c->jobs; t++)
        rk_vec_free(&c->unread[t]);
    free(c->unread);
    free(c->mfiles);
    free(c->owner);
    free(c->slot);
    free(c->kinds);
    free(c->sizes);
    free(c->records);
    for (size_t i = 0; c->bases && i < c->nf; i++)
        rk_chunk_bases_free(&c->bases[i]);
    free(c->bases);
    rk_paths_free(c->files, c->nf);
    rk_master_free(c->m);
    rk_offices_free(c->of);
}

rk_status rk_check(const rk_check_options *o, const char *const *paths, size_t n, rk_report *r,
                   rk_check_summary **summary, char *err, size_t errcap)
{
    char dummy[8];
    if (!err || !errcap) {
        err = dummy;
        errcap = sizeof dummy;
    }
    err[0] = 0;
    *summary = NULL;
    if (!o || !o->master_path || !r)
        return RK_ERR_ARG;
    check_run c;
    memset(&c, 0, sizeof c);
    c.o = o;
    c.r = r;
    c.err = err;
    c.errcap = errcap;
    c.peers = o->peers;
    if (c.peers && (!c.peers->exchange || c.peers->size == 0 || c.peers->rank >= c.peers->size))
        return RK_ERR_ARG;
    rk_status st = c.peers ? ck_peers_open(&c) : RK_OK;
    if (st == RK_OK)
        st = run_open(&c, paths, n);
    uint32_t failed = UINT32_MAX; /* the file a step failed on */
    if (c.peers && (st = ck_peers_agree(&c, st, failed)) == RK_OK)
        st = ck_peers_deal(&c);
    if (st == RK_OK)
        st = read_files(&c, &failed);
    if (c.peers && (st = ck_peers_agree(&c, st, failed)) == RK_OK)
        st = ck_peers_meta(&c);
    if (st == RK_OK && (!c.peers || c.peers->rank == 0))
        st = unread_findings(&c);
    if (c.peers && (st = ck_peers_agree(&c, st, failed)) == RK_OK)
        st = ck_peers_rows(&c);
    if (st == RK_OK)
        st = judge_parts(&c);
    if (c.peers && (st = ck_peers_agree(&c, st, failed)) == RK_OK)
        st = ck_peers_results(&c);
    if (c.peers && st == RK_OK && c.peers->rank != 0) { /* peer 0 has the month */
        st = ck_peers_agree(&c, RK_OK, failed);
        run_close(&c);
        return st;
    }
    if (st == RK_OK)
        st = find_places(c.e, c.parts, c.files, c.nf, c.bases, c.jobs);
    if (st == RK_OK && !ck_merge_codes(c.parts, NPART, c.files))
        st = RK_ERR_NOMEM;
    if (st == RK_OK)
        st = store_results(&c, summary);
    if (c.peers) /* the last step: every peer returns peer 0's status */
        st = ck_peers_agree(&c, st, failed);
    run_close(&c);
    return st;
}
