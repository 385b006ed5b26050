/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Validation through the public API: findings identical for every thread
 * count and chunk size (down to 64 bytes), exact places for each structural
 * finding, record and line numbers across quoted line breaks, the file-name
 * grammar of both CSV versions, and the rule catalog. Chunk starts guessed
 * wrong (quoted line breaks no syntax rule tells from record ends) are
 * repaired: validation and the parallel record walk give what one pass gives.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

#include "renkei.h"
#include "../../engine/findings/findings.h"
#include "../../engine/validate/keyspill.h"
#include "../../engine/io/io.h"
#include "../../engine/walk/walk.h"
#include "../test_util.h"

#define PLAN RK_TEST_PLAN_NAME

static uint64_t seed = 88172645463325252ull;
static uint64_t rnd(void)
{
    return rk_test_rand(&seed);
}

/* A UPPLAN-shaped file of n records, some broken on purpose. */
static char *make_file(size_t n, size_t *len)
{
    size_t cap = n * 400 + 64, w = 0;
    char *b = malloc(cap);
    for (size_t i = 0; i < n; i++) {
        unsigned r = (unsigned)(rnd() % 40);
        const char *name = r == 0   ? "\"\x8E\x52\x96\x7B \"\"\x8C\x62\x8E\x71\"\"\""
                           : r == 1 ? "\"\x89\xFC\x8D\x73\r\n\x82\xA0\x82\xE8\""
                           : r == 2 ? "\x8E\x52\x96\x7B\"x"
                                    : "\"\x8E\x52\x96\x7B \x8C\x62\x8E\x71\"";
        const char *office = r == 3   ? "\"\x85\x40\""
                             : r == 4 ? "\"\xF0\x40\""
                             : r == 5 ? "\"\x82\xA0\"\x82\xA2"
                                      : "\"\x83\x77\x83\x8B\x83\x70\x81\x5B\x87\x8A\"";
        const char *tail = r == 6 ? ",extra" : "";
        const char *eol = r == 7 ? "\n" : r == 8 ? "\r" : "\r\n";
        w += (size_t)snprintf(b + w, cap - w,
                              "202407,131011,0000012345,20251020,202511,1310100019,%s,244,,202511%02u,,1000,1030,1,"
                              "111111,,,\"\",,1371100015,%s,,0,1310100019,%s%s",
                              name, 1 + (unsigned)(i % 28), office, tail, eol);
        if (r == 9)
            w += (size_t)snprintf(b + w, cap - w, "\r\n");
    }
    *len = w;
    return b;
}

static rk_report *validate_with(const char *buf, size_t len, unsigned jobs, size_t chunk, rk_simd simd)
{
    rk_report *r = rk_test_validate(buf, len, jobs, chunk, simd);
    cr_assert_not_null(r);
    return r;
}

/* File i of a and of b: the same records, lines and findings, each in the same place. */
static void same_file(const rk_report *a, const rk_report *b, size_t i, const char *what)
{
    const rk_file_result *x = rk_report_file(a, i), *y = rk_report_file(b, i);
    cr_assert_eq(x->records, y->records, "%s: records %lu vs %lu", what, (unsigned long)x->records,
                 (unsigned long)y->records);
    cr_assert_eq(x->lines, y->lines, "%s: lines", what);
    cr_assert_eq(x->nfindings, y->nfindings, "%s: findings %zu vs %zu", what, x->nfindings, y->nfindings);
    for (size_t i = 0; i < x->nfindings; i++) {
        const rk_finding *f = &x->findings[i], *g = &y->findings[i];
        cr_assert_eq(f->rule, g->rule, "%s: finding %zu rule %s vs %s", what, i, f->rule->id, g->rule->id);
        cr_assert_eq(f->record, g->record, "%s: finding %zu record", what, i);
        cr_assert_eq(f->line, g->line, "%s: finding %zu line", what, i);
        cr_assert_eq(f->field, g->field, "%s: finding %zu field", what, i);
        cr_assert_eq(f->byte_offset, g->byte_offset, "%s: finding %zu offset", what, i);
        cr_assert_str_eq(f->value ? f->value : "", g->value ? g->value : "", "%s: finding %zu value", what, i);
    }
}

/* Every chunk size of chunks[0..n) with jobs from jobs_lo to 3 gives ref. */
static void same_for_chunks(const char *buf, size_t len, const rk_report *ref, const size_t *chunks, size_t n,
                            unsigned jobs_lo, const char *label)
{
    for (size_t c = 0; c < n; c++)
        for (unsigned jobs = jobs_lo; jobs <= 3; jobs++) {
            rk_report *r = validate_with(buf, len, jobs, chunks[c], RK_SIMD_AUTO);
            char what[80];
            snprintf(what, sizeof what, "%schunk %zu jobs %u", label, chunks[c], jobs);
            same_file(ref, r, 0, what);
            rk_report_free(r);
        }
}

Test(validate, same_findings_for_any_thread_count_chunk_size_and_kernel)
{
    size_t len;
    char *buf = make_file(3000, &len);
    rk_report *ref = validate_with(buf, len, 1, 1u << 30, RK_SIMD_SCALAR);
    cr_assert(rk_report_file(ref, 0)->nfindings > 100, "the generated file should have many findings");
    const size_t chunks[] = {64, 100, 1024, 4096, 65536, 1u << 20};
    same_for_chunks(buf, len, ref, chunks, sizeof chunks / sizeof chunks[0], 1, "");
    rk_report_free(ref);
    free(buf);
}

/* Records whose only quoted field is a note ",..\n..,": a chunk start guessed
 * after its line break reads as valid CSV either way, so guesses go wrong. */
static char *make_ambiguous(size_t n, size_t *len)
{
    size_t cap = n * 200 + 64, w = 0;
    char *b = malloc(cap);
    for (size_t i = 0; i < n; i++)
        w += (size_t)snprintf(b + w, cap - w,
                              "202407,131011,0000012345,20251020,202511,1310100019,name,244,,202511%02u,,1000,1030,1,"
                              "111111,,,\",note %zu\nmore,\",,1371100015,office,,0,1310100019,\n",
                              1 + (unsigned)(i % 28), i);
    *len = w;
    return b;
}

Test(validate, ambiguous_line_breaks_give_the_same_findings)
{
    size_t len;
    char *buf = make_ambiguous(2000, &len);
    rk_report *ref = validate_with(buf, len, 1, 1u << 30, RK_SIMD_AUTO);
    cr_assert_eq(rk_report_file(ref, 0)->records, 2000);
    cr_assert_eq(rk_report_file(ref, 0)->lines, 4000);
    cr_assert(rk_report_file(ref, 0)->nfindings >= 2000, "each name is unquoted free text");
    const size_t chunks[] = {64, 1000, 4096};
    same_for_chunks(buf, len, ref, chunks, sizeof chunks / sizeof chunks[0], 2, "ambiguous: ");
    rk_report_free(ref);
    free(buf);
}

typedef struct seen {
    uint64_t *off;   /* [chunk id][local record - 1] */
    size_t per;      /* slots per chunk id */
    uint64_t *count; /* records per chunk id */
} seen;

static int note_record(void *ctx, int thread, size_t chunk, const unsigned char *buf, const rk_record *rec)
{
    (void)thread;
    (void)buf;
    seen *s = ctx;
    cr_assert_lt(rec->record - 1, s->per);
    s->off[chunk * s->per + rec->record - 1] = rec->offset;
    s->count[chunk]++;
    return 0;
}

Test(validate, parallel_walk_drops_what_it_read_on_a_wrong_guess)
{
    size_t len;
    char *buf = make_ambiguous(2000, &len);
    rk_options o;
    rk_options_init(&o);
    o.jobs = 2;
    o.chunk_size = 1000;
    rk_engine *e = rk_engine_new(&o);
    size_t ids = 2 * (len / o.chunk_size + 2);
    seen s = {calloc(ids * 2000, sizeof(uint64_t)), 2000, calloc(ids, sizeof(uint64_t))};
    rk_chunk_bases b;
    cr_assert_eq(rk_csv_each_parallel(e, (const unsigned char *)buf, len, 0, note_record, NULL, &s, &b), RK_OK);
    cr_assert(b.dropped, "some chunk start should have been guessed inside a note");
    cr_assert_eq(b.total, 2000);
    /* The ids that stand give every record once, numbered as one pass numbers them. */
    uint64_t *global = calloc(2000, sizeof *global);
    for (size_t id = 0; id < b.n; id++) {
        if (b.records[id] == RK_CHUNK_DROPPED)
            continue;
        for (uint64_t k = 0; k < s.count[id]; k++) {
            uint64_t g = b.records[id] + k; /* 0-based */
            cr_assert_lt(g, 2000);
            cr_assert_eq(global[g], 0, "record %lu delivered twice", (unsigned long)g + 1);
            global[g] = s.off[id * s.per + k] + 1;
        }
        /* Each standing id's records are found again by offset with their numbers. */
        if (s.count[id]) {
            uint64_t rec, line, off = s.off[id * s.per + s.count[id] - 1];
            cr_assert_eq(rk_chunk_places(e, 0, (const unsigned char *)buf, len, &b, id, &off, 1, &rec, &line), RK_OK);
            cr_assert_eq(rec, b.records[id] + s.count[id]);
            cr_assert_eq(line, 2 * rec - 1, "each record spans two lines");
        }
    }
    for (uint64_t g = 0; g < 2000; g++) {
        cr_assert_neq(global[g], 0, "record %lu missing", (unsigned long)g + 1);
        if (g)
            cr_assert_gt(global[g], global[g - 1]);
    }
    rk_chunk_bases_free(&b);
    free(global);
    free(s.off);
    free(s.count);
    rk_engine_free(e);
    free(buf);
}

static const rk_finding *only_finding(const rk_report *r, const char *rule)
{
    const rk_file_result *f = rk_report_file(r, 0);
    cr_assert_eq(f->nfindings, 1, "expected one finding, got %zu", f->nfindings);
    cr_assert_str_eq(f->findings[0].rule->id, rule);
    return &f->findings[0];
}

Test(validate, structural_findings_carry_record_line_field_and_offset)
{
    /* Record 2 spans lines 2-3 (a quoted CRLF); record 3 starts on line 4. */
    /* MS932: 山本 = 8E52 967B, あおば = 82A0 82A8 82CE */
    const char *good = "202407,131011,0000012345,20251020,202511,1310100019,\"\x8E\x52\x96\x7B\",244,,20251103,,1000,"
                       "1030,1,111111,,,\"\",,1371100015,\"\x82\xA0\x82\xA8\x82\xCE\",,0,1310100019,";
    char buf[2048];
    int n = snprintf(buf, sizeof buf, "%s\r\n%s\r\n%s\r\n", good, good, good);
    size_t reclen = strlen(good) + 2;
    /* Record 2's name spans two lines: 山 becomes CR LF. */
    char *name2 = strstr(buf + reclen, "\x8E\x52");
    memcpy(name2, "\r\n", 2);
    /* Record 3's field 21 loses its opening quote: Xあおば" has a quote inside an unquoted field. */
    char *third = strstr(buf + 2 * reclen, "\x82\xA0\x82\xA8");
    third[-1] = 'X';
    rk_report *r = validate_with(buf, (size_t)n, 2, 64, RK_SIMD_AUTO);
    const rk_finding *f = only_finding(r, "RK-CSV-003");
    cr_assert_eq(f->record, 3);
    cr_assert_eq(f->line, 4);
    cr_assert_eq(f->field, 21);
    cr_assert_eq(f->byte_offset, (uint64_t)(third - buf) + 6);
    cr_assert_eq(rk_report_file(r, 0)->records, 3);
    cr_assert_eq(rk_report_file(r, 0)->lines, 4);
    rk_report_free(r);
}

static int count_records(void *ctx, const unsigned char *buf, const rk_record *rec)
{
    uint64_t *expect = ctx;
    cr_assert_eq(rec->record, expect[0] + 1);
    cr_assert_eq(rec->line, expect[1]);
    unsigned char val[64];
    size_t w;
    rk_field_value(buf, &rec->fields[1], val, &w);
    if (rec->record == 2) {
        cr_assert_eq(w, 6);
        cr_assert(memcmp(val, "a\"b\nc", 5) == 0 || memcmp(val, "a\"b\r\nc", 6) == 0);
    }
    expect[0]++;
    expect[1] += rec->record == 2 ? 2 : 1;
    return 0;
}

Test(validate, csv_each_numbers_records_and_lines_across_chunks)
{
    const char *s = "x,1\r\ny,\"a\"\"b\r\nc\"\r\nz,3\r\n";
    for (size_t chunk = 64; chunk <= 4096; chunk *= 4) {
        rk_options o;
        rk_options_init(&o);
        o.chunk_size = chunk;
        rk_engine *e = rk_engine_new(&o);
        uint64_t st[2] = {0, 1};
        cr_assert_eq(rk_csv_each(e, s, strlen(s), count_records, st), RK_OK);
        cr_assert_eq(st[0], 3);
        rk_engine_free(e);
    }
}

Test(validate, name_grammar_of_both_versions)
{
    rk_name_info ni;
    rk_name_parse("UPPLAN_202511_1310100019_43_1371100015_11_20251025103000.CSV", &ni);
    cr_assert_str_eq(ni.kind, "UPPLAN");
    cr_assert_eq(ni.grammar, 4);
    cr_assert_null(ni.problem);
    cr_assert_str_eq(ni.month, "202511");
    cr_assert_str_eq(ni.sender_type, "43");
    cr_assert_str_eq(ni.receiver, "1371100015");
    cr_assert_str_eq(ni.serial, "20251025103000");

    rk_name_parse("UPJSK_201912_0300000005_0300000100_20191025200201.CSV", &ni);
    cr_assert_eq(ni.grammar, 3);
    cr_assert_null(ni.problem);

    rk_name_parse("UPKIHON_SUB1_0300000100_43_0300000005_11_20191025200201.CSV", &ni);
    cr_assert_str_eq(ni.kind, "UPKIHON_SUB1");
    cr_assert_null(ni.problem);
    rk_name_parse("UPKIHON_000000_0300000100_43_0300000005_11_20191025200201.CSV", &ni);
    cr_assert_str_eq(ni.kind, "UPKIHON");
    cr_assert_null(ni.problem);
    cr_assert_str_eq(ni.month, "000000");
    rk_name_parse("UPKIHON_0300000100_43_0300000005_11_20191025200201.csv", &ni);
    cr_assert_null(ni.problem);
    rk_name_parse("UPKIHON_IMAGE_0300000100_43_0300000005_11_20191025200201_0001.JPG", &ni);
    cr_assert_str_eq(ni.kind, "UPKIHON_IMAGE");
    cr_assert_str_eq(ni.branch, "0001");
    cr_assert_null(ni.problem);

    rk_name_parse("UP1KYO_123456789_43_2468135790_11_20191110102233.CSV", &ni);
    cr_assert_not_null(ni.problem); /* the spec's own 9-digit example */
    rk_name_parse("UPPLAN_0300000100_43_0300000005_11_20191025200201.CSV", &ni);
    cr_assert_not_null(ni.problem); /* month segment missing */
    rk_name_parse("UPPLAN_201913_0300000100_43_0300000005_11_20191025200201.CSV", &ni);
    cr_assert_not_null(ni.problem); /* month 13 */
    rk_name_parse("UPPLAN_201912_0300000100_43_0300000005_11_201910252002.CSV", &ni);
    cr_assert_not_null(ni.problem); /* 12-digit serial */
    rk_name_parse("UPPLAN_201912_0300000100_43_0300000005_11_20191025200201.TXT", &ni);
    cr_assert_not_null(ni.problem);
    rk_name_parse("README.md", &ni);
    cr_assert_null(ni.kind);
}

Test(validate, rule_catalog_ids_are_unique_and_complete)
{
    size_t n = rk_rule_count();
    cr_assert(n >= 18);
    for (size_t i = 0; i < n; i++) {
        const rk_rule *r = rk_rule_at(i);
        cr_assert(strncmp(r->id, "RK-", 3) == 0);
        cr_assert(r->ja[0] && r->en[0] && r->spec[0]);
        cr_assert_eq(rk_rule_find(r->id), r);
        for (size_t j = 0; j < i; j++)
            cr_assert_str_neq(rk_rule_at(j)->id, r->id);
    }
    cr_assert_null(rk_rule_at(n));
    cr_assert_null(rk_rule_find("RK-NOPE-000"));
}

Test(validate, per_rule_limit_keeps_the_first_and_counts_all)
{
    size_t len;
    char *buf = make_file(3000, &len);
    rk_options o;
    rk_options_init(&o);
    o.max_per_rule = 2;
    o.chunk_size = 512;
    rk_engine *e = rk_engine_new(&o);
    rk_report *r = rk_report_new();
    cr_assert_eq(rk_validate_buffer(e, r, PLAN, buf, len), RK_OK);
    rk_report *all = validate_with(buf, len, 1, 1u << 20, RK_SIMD_AUTO);
    const rk_file_result *f = rk_report_file(r, 0), *g = rk_report_file(all, 0);
    cr_assert_eq(f->counts[RK_SEV_ERROR], g->counts[RK_SEV_ERROR]);
    cr_assert(f->nfindings < g->nfindings);
    /* The kept ones are the first of each rule in file order. */
    size_t k = 0;
    for (size_t i = 0; i < g->nfindings && k < f->nfindings; i++) {
        size_t before = 0;
        for (size_t j = 0; j < i; j++)
            before += g->findings[j].rule == g->findings[i].rule;
        if (before < 2) {
            cr_assert_eq(f->findings[k].byte_offset, g->findings[i].byte_offset);
            k++;
        }
    }
    cr_assert_eq(k, f->nfindings);
    rk_report_free(r);
    rk_report_free(all);
    rk_engine_free(e);
    free(buf);
}

Test(validate, free_null_is_a_no_op)
{
    rk_engine_free(NULL);
    rk_report_free(NULL);
    rk_afile_abort(NULL);
    cr_assert_str_eq(rk_status_name(RK_ERR_IO), "RK_ERR_IO");
    cr_assert_str_eq(rk_version(), RK_VERSION_STRING);
}

/*
 * The link keys of a file: later copies of a key are marked (record 0) and
 * the set answers for every key, the same whether one thread fills it or
 * several (each filling its part, in file order), and past the size at
 * which the threads share the work.
 */
Test(validate, link_key_set_keeps_the_first_copy_for_any_thread_count)
{
    enum { N = 200000, DISTINCT = 150000 };
    rk_key *ref = NULL;
    for (unsigned jobs = 1; jobs <= 3; jobs++) {
        rk_key *keys = calloc(N, sizeof *keys);
        cr_assert_not_null(keys);
        for (size_t k = 0; k < N; k++) { /* keys DISTINCT.. repeat earlier ones, far apart */
            snprintf(keys[k].key, sizeof keys[k].key, "131011%010zu202511", (size_t)(k * 7919u) % DISTINCT);
            keys[k].record = k + 1;
            keys[k].line = k + 1;
        }
        rk_report *r = rk_report_new();
        cr_assert_not_null(r);
        size_t slot = rk_report_add_slot(r);
        rk_name_info ni;
        memset(&ni, 0, sizeof ni);
        cr_assert_eq(rk_report_set_facts(r, slot, &ni, 0, keys, N, jobs), RK_OK);
        cr_assert_eq(rk_report_key_set(r, slot), RK_OK);
        const struct rk_file_mem *m = &r->mem[slot];
        cr_assert_eq(m->nkeys, N);
        for (size_t k = 0; k < N; k++)
            cr_assert_eq(m->keys[k].record, k < DISTINCT ? k + 1 : 0, "jobs %u: key %zu", jobs, k);
        char key[24] = {0}; /* a key is its 24 bytes: the ones after the text are zeros */
        for (size_t id = 0; id < DISTINCT + 1000; id += 7) {
            snprintf(key, sizeof key, "131011%010zu202511", id);
            cr_assert_eq(rk_report_has_key(r, slot, key), id < DISTINCT, "jobs %u: key %zu", jobs, id);
        }
        if (!ref) {
            ref = malloc(N * sizeof *ref);
            memcpy(ref, m->keys, N * sizeof *ref);
        } else {
            cr_assert(memcmp(ref, m->keys, N * sizeof *ref) == 0, "jobs %u: keys differ from one thread's", jobs);
        }
        rk_report_free(r); /* frees the keys */
    }
    free(ref);
}

/* Copies corpus/conformance/<case>/<kind>_<rest> to dir under serial `serial`. */
static char *unit_file(const char *dir, const char *cs, const char *kind, const char *serial)
{
    char src[512], *dst = malloc(512);
    snprintf(src, sizeof src, "%s/conformance/%s/%s_202511_1310100019_43_1371100015_11_20251025103000.CSV",
             RK_TEST_CORPUS, cs, kind);
    snprintf(dst, 512, "%s/%s_202511_1310100019_43_1371100015_11_%s.CSV", dir, kind, serial);
    FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
    cr_assert(in && out, "%s", src);
    char b[4096];
    size_t n;
    while ((n = fread(b, 1, sizeof b, in)) > 0)
        cr_assert_eq(fwrite(b, 1, n, out), n);
    fclose(in);
    cr_assert_eq(fclose(out), 0);
    return dst;
}

static size_t count_rule(const rk_file_result *f, const char *id)
{
    size_t k = 0;
    for (size_t i = 0; i < f->nfindings; i++)
        k += strcmp(f->findings[i].rule->id, id) == 0;
    return k;
}

/*
 * A month of send units named in no particular order: whole units are taken
 * a batch at a time and their link keys freed once checked, and the findings
 * are the same whatever the batch size and thread count. Units A and B (the
 * orphan case under two ファイル連番) each report their orphan person, C (a
 * plan whose keys its 利用者補足 lacks) its two unmatched records, and D (a
 * 第7表 alone) its missing parent.
 */
Test(validate, send_units_give_the_same_findings_whatever_the_batch)
{
    char dir[] = "/tmp/rk_units_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    const char *A = "20251025103000", *B = "20251026103000", *C = "20251027103000", *D = "20251028103000";
    const char *o = "set-002-orphan", *u = "set-003-plan-without-hosoku";
    char *paths[] = {unit_file(dir, o, "UPPLAN", A),  unit_file(dir, o, "UPSIKYU", B),
                     unit_file(dir, u, "UPPLAN", C),  unit_file(dir, o, "UPSIKYU", D),
                     unit_file(dir, o, "UPSIKYU", A), unit_file(dir, u, "UPHOSOKU", C),
                     unit_file(dir, o, "UPPLAN", B),  unit_file(dir, o, "UPHOSOKU", A),
                     unit_file(dir, u, "UPSIKYU", C), unit_file(dir, o, "UPHOSOKU", B)};
    const size_t n = sizeof paths / sizeof paths[0];
    const struct {
        unsigned jobs;
        size_t batch, spill;
    } runs[] = {{1, 0, 0}, {2, 1, 0}, {2, 0, 0}, {1, 1, 0}, {2, 5000, 0}, {1, 0, 1}, {2, 1, 1}};
    rk_report *ref = NULL;
    for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++) {
        rk_options opt;
        rk_options_init(&opt);
        opt.jobs = runs[k].jobs;
        opt.batch_bytes = runs[k].batch;
        opt.spill_bytes = runs[k].spill; /* 1: every file's keys go to disk */
        opt.max_per_rule = 0;
        rk_engine *e = rk_engine_new(&opt);
        rk_report *r = rk_report_new();
        cr_assert_eq(rk_validate_paths(e, r, (const char *const *)paths, n, NULL), RK_OK);
        cr_assert_eq(rk_report_nfiles(r), n);
        for (size_t i = 0; i < n; i++)
            cr_assert(r->mem[i].keys == NULL && r->mem[i].slots == NULL && r->mem[i].spill == NULL &&
                          r->mem[i].whole == NULL,
                      "run %zu: file %zu kept its keys", k, i);
        if (!ref) {
            ref = r;
        } else {
            for (size_t i = 0; i < n; i++) {
                char what[64];
                snprintf(what, sizeof what, "run %zu file %zu", k, i);
                same_file(ref, r, i, what);
            }
            rk_report_free(r);
        }
        rk_engine_free(e);
    }
    const size_t orphan[] = {1, 4}, unmatched = 2, alone = 3;
    for (size_t i = 0; i < n; i++) {
        const rk_file_result *f = rk_report_file(ref, i);
        cr_assert_eq(count_rule(f, "RK-SET-002"), i == orphan[0] || i == orphan[1], "file %zu", i);
        cr_assert_eq(count_rule(f, "RK-SET-003"), i == unmatched ? 2u : 0u, "file %zu", i);
        cr_assert_eq(count_rule(f, "RK-SET-001"), i == alone, "file %zu", i);
    }
    rk_report_free(ref);
    for (size_t i = 0; i < n; i++) {
        remove(paths[i]);
        free(paths[i]);
    }
    remove(dir);
}

/* A key of person p in month m (record and line numbered in its chunk). */
static rk_key spill_key(unsigned p, unsigned m, uint64_t rec)
{
    rk_key k;
    char t[32];
    snprintf(t, sizeof t, "131011%010u2025%02u  ", p, m);
    memcpy(k.key, t, sizeof k.key);
    k.record = rec;
    k.line = 2 * rec;
    k.off = 100 * rec;
    return k;
}

/*
 * The spill gives back each partition's keys in file order, numbered in the
 * file, whatever order the chunks arrive in, and only each chunk's last walk:
 * chunk 1 walked from a wrong start sends keys that its walk again (empty,
 * epoch 1) voids; chunk 0 walked again (epoch 1) sends its keys again.
 */
Test(validate, key_spill_gives_back_each_partition_in_file_order)
{
    enum { N = 3000 };
    rk_keyspill *s = rk_keyspill_open();
    cr_assert_not_null(s);
    rk_key *c0 = malloc(N * sizeof *c0), *c2 = malloc(N * sizeof *c2), wrong[3];
    for (unsigned i = 0; i < N; i++) {
        c0[i] = spill_key(i, 11, i + 1);     /* chunk 0: records 1..N */
        c2[i] = spill_key(N + i, 11, i + 1); /* chunk 2: records 1..N of its own */
    }
    for (unsigned i = 0; i < 3; i++)
        wrong[i] = spill_key(90000 + i, 11, i + 1);
    cr_assert_eq(rk_keyspill_put(s, c2, N, 2, 0), RK_OK);
    cr_assert_eq(rk_keyspill_put(s, wrong, 3, 1, 0), RK_OK);
    cr_assert_eq(rk_keyspill_put(s, c0, N / 2, 0, 0), RK_OK); /* the first walk, ended inside quotes */
    cr_assert_eq(rk_keyspill_put(s, c0, N, 0, 1), RK_OK);
    cr_assert_eq(rk_keyspill_count(s), 2 * N + 3 + N / 2);
    uint64_t *rb = malloc(3 * sizeof *rb), *lb = malloc(3 * sizeof *lb);
    uint32_t *ep = malloc(3 * sizeof *ep);
    rb[0] = 0, rb[1] = N, rb[2] = N; /* chunk 1 is empty after the joint walk */
    lb[0] = 0, lb[1] = 2 * N, lb[2] = 2 * N;
    ep[0] = 1, ep[1] = 1, ep[2] = 0;
    cr_assert_eq(rk_keyspill_close(s, 3, rb, lb, ep), RK_OK);
    unsigned char *seen = calloc(2 * N, 1);
    size_t total = 0;
    for (unsigned p = 0; p < RK_SPILL_PARTS; p++) {
        rk_key *k;
        size_t n;
        cr_assert_eq(rk_keyspill_read(s, p, &k, &n), RK_OK);
        for (size_t i = 0; i < n; i++) {
            unsigned who;
            cr_assert_eq(sscanf(k[i].key + 6, "%10u", &who), 1);
            cr_assert_lt(who, 2 * N, "a voided key came back: person %u", who);
            cr_assert_eq(seen[who], 0, "person %u twice", who);
            seen[who] = 1;
            cr_assert_eq((unsigned)(XXH3_64bits(k[i].key, sizeof k[i].key) >> 56), p,
                         "partition by the hash's top bits");
            cr_assert_eq(k[i].record, who + 1, "numbered in the file");
            cr_assert_eq(k[i].line, 2 * (uint64_t)(who + 1));
            cr_assert_eq(k[i].off, 100 * (uint64_t)(who < N ? who + 1 : who - N + 1), "offsets as found");
            if (i)
                cr_assert_gt(k[i].record, k[i - 1].record, "file order in partition %u", p);
        }
        total += n;
        free(k);
    }
    cr_assert_eq(total, 2 * N);
    free(seen);
    free(c0);
    free(c2);
    rk_keyspill_free(s);
}

/* The first line (with its LF) of a conformance file. */
static char *first_line(const char *cs, const char *kind)
{
    char src[512];
    snprintf(src, sizeof src, "%s/conformance/%s/%s_202511_1310100019_43_1371100015_11_20251025103000.CSV",
             RK_TEST_CORPUS, cs, kind);
    FILE *in = fopen(src, "rb");
    cr_assert_not_null(in, "%s", src);
    char *line = malloc(4096);
    cr_assert_not_null(fgets(line, 4096, in));
    fclose(in);
    return line;
}

/* Writes dir/KIND_..._serial.CSV: records of the given persons, each from
 * line with its 被保険者番号 (bytes 14-23) replaced, or (line NULL) UPPLAN
 * records whose quoted note holds a line break, so that chunk starts are
 * guessed wrong and walked again. */
static char *person_file(const char *dir, const char *kind, const char *line, const unsigned *who, size_t n)
{
    char *dst = malloc(512);
    snprintf(dst, 512, "%s/%s_202511_1310100019_43_1371100015_11_20251029103000.CSV", dir, kind);
    FILE *out = fopen(dst, "wb");
    cr_assert_not_null(out);
    for (size_t i = 0; i < n; i++) {
        char id[11];
        snprintf(id, sizeof id, "%010u", who[i]);
        if (line) {
            fwrite(line, 1, 14, out);
            fwrite(id, 1, 10, out);
            fputs(line + 24, out);
        } else {
            fprintf(out,
                    "202407,131011,%s,20251020,202511,1310100019,name,244,,202511%02u,,1000,1030,1,111111,,,"
                    "\",note %zu\nmore,\",,1371100015,office,,0,1310100019,\n",
                    id, 1 + (unsigned)(i % 28), i);
        }
    }
    cr_assert_eq(fclose(out), 0);
    return dst;
}

/* Every finding and count of file i the same in a and b. */
static void same_counts(const rk_report *a, const rk_report *b, size_t i, const char *what)
{
    same_file(a, b, i, what);
    for (int s = 0; s < 3; s++)
        cr_assert_eq(rk_report_file(a, i)->counts[s], rk_report_file(b, i)->counts[s], "%s: counts[%d]", what, s);
}

/*
 * One send unit whose link keys go to disk by partition (rk_options.
 * spill_bytes) gives the findings its keys give in memory: each missing
 * key once, in file order, the same ones kept under a per-rule limit, the
 * same counts; for any thread count and chunk size, with chunks walked
 * again after a start guessed inside a quoted note; and where no temporary
 * file can be made, the keys stay in memory with the same result.
 */
Test(validate, send_unit_keys_on_disk_give_the_same_findings)
{
    char dir[] = "/tmp/rk_spill_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    enum { PERSONS = 1500 };
    unsigned plan[2 * PERSONS + 4], sikyu[PERSONS], hosoku[PERSONS + 10];
    size_t np = 0, ns = 0, nh = 0;
    for (unsigned p = 0; p < PERSONS; p++) { /* two records a person: one key */
        plan[np++] = p;
        plan[np++] = p;
    }
    plan[np++] = 5; /* persons met again later: later copies of their keys, reported once */
    plan[np++] = 10;
    plan[np++] = 0;
    plan[np++] = 299;
    for (unsigned p = 300; p < PERSONS + 300; p++) /* 0-299 unmatched in 第7表, 1500-1799 orphans */
        sikyu[ns++] = p;
    for (unsigned p = 0; p < PERSONS; p++) /* every tenth unmatched in 利用者補足 */
        if (p % 10)
            hosoku[nh++] = p;
    for (unsigned p = 0; p < 10; p++) /* and ten orphans there */
        hosoku[nh++] = 5000 + p;
    char *sl = first_line("set-002-orphan", "UPSIKYU"), *hl = first_line("set-002-orphan", "UPHOSOKU");
    char *paths[] = {person_file(dir, "UPPLAN", NULL, plan, np), person_file(dir, "UPSIKYU", sl, sikyu, ns),
                     person_file(dir, "UPHOSOKU", hl, hosoku, nh)};
    free(sl);
    free(hl);
    const size_t n = 3;
    const struct {
        unsigned jobs, keep;
        size_t chunk, spill;
        int no_tmp; /* $TMPDIR names no directory: the keys stay in memory */
    } runs[] = {{1, 0, 0, 0, 0}, {1, 0, 0, 1, 0},    {2, 0, 1000, 1, 0}, {1, 0, 4096, 1, 0}, {2, 0, 1000, 1, 1},
                {1, 7, 0, 0, 0}, {2, 7, 1000, 1, 0}, {1, 7, 0, 1, 0},    {1, 7, 0, 1, 1}};
    rk_report *ref[2] = {NULL, NULL}; /* all kept; 7 kept */
    for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++) {
        rk_options opt;
        rk_options_init(&opt);
        opt.jobs = runs[k].jobs;
        opt.chunk_size = runs[k].chunk;
        opt.spill_bytes = runs[k].spill;
        opt.max_per_rule = runs[k].keep;
        rk_engine *e = rk_engine_new(&opt);
        rk_report *r = rk_report_new();
        const char *tmp = getenv("TMPDIR");
        char *was = tmp ? strdup(tmp) : NULL;
        if (runs[k].no_tmp)
            cr_assert_eq(setenv("TMPDIR", "/nonexistent/renkei-tmp", 1), 0);
        cr_assert_eq(rk_validate_paths(e, r, (const char *const *)paths, n, NULL), RK_OK, "run %zu", k);
        cr_assert_eq(was ? setenv("TMPDIR", was, 1) : unsetenv("TMPDIR"), 0);
        free(was);
        rk_engine_free(e);
        rk_report **want = &ref[runs[k].keep != 0];
        if (!*want) {
            *want = r;
            continue;
        }
        for (size_t i = 0; i < n; i++) {
            char what[64];
            snprintf(what, sizeof what, "run %zu file %zu", k, i);
            same_counts(*want, r, i, what);
        }
        rk_report_free(r);
    }
    /* Missing keys each reported once: UPPLAN lacks 300 in 第7表 and 150 in 利用者補足. */
    cr_assert_eq(count_rule(rk_report_file(ref[0], 0), "RK-SET-003"), 450);
    cr_assert_eq(count_rule(rk_report_file(ref[0], 1), "RK-SET-002"), 300);
    cr_assert_eq(count_rule(rk_report_file(ref[0], 2), "RK-SET-002"), 10);
    cr_assert_eq(count_rule(rk_report_file(ref[1], 0), "RK-SET-003"), 7);
    const rk_file_result *f = rk_report_file(ref[0], 0);
    uint64_t last = 0;
    for (size_t i = 0; i < f->nfindings; i++) /* the first copy named: persons 0-299 on records 1-599 */
        if (strcmp(f->findings[i].rule->id, "RK-SET-003") == 0) {
            cr_assert_lt(f->findings[i].record, 2 * PERSONS);
            cr_assert_geq(f->findings[i].record, last);
            last = f->findings[i].record;
        }
    rk_report_free(ref[0]);
    rk_report_free(ref[1]);
    for (size_t i = 0; i < n; i++) {
        remove(paths[i]);
        free(paths[i]);
    }
    remove(dir);
}

/* The file's duplicate findings are exactly n copies: copy p is record
 * rec[p] and names its first record ref[p] ("record N"). */
static void assert_copies(const rk_file_result *f, const uint64_t *rec, const uint64_t *ref, size_t n)
{
    cr_assert_eq(count_rule(f, "RK-FILE-004"), n);
    for (size_t i = 0, p = 0; i < f->nfindings; i++) {
        if (strcmp(f->findings[i].rule->id, "RK-FILE-004") != 0)
            continue;
        cr_assert_eq(f->findings[i].record, rec[p], "copy %zu", p);
        char want[32];
        snprintf(want, sizeof want, "record %llu", (unsigned long long)ref[p]);
        cr_assert_str_eq(f->findings[i].value_en, want, "copy %zu", p);
        snprintf(want, sizeof want, "レコード %llu", (unsigned long long)ref[p]);
        cr_assert_str_eq(f->findings[i].value, want, "copy %zu", p);
        p++;
    }
}

/* A 第6表 record for the duplicate tests: person (%010u), then the name
 * NAME (a printf conversion) in quotes. */
#define DUP_REC(NAME)                                                                                                  \
    "202407,131011,%010u,20251020,202511,1310100019,\"" NAME "\",244,,20251101,,1000,1030,1,111111,,,\"\",,"           \
    "1371100015,\"o\",,0,1310100019,\r\n"

/* Short runs of records of different lengths are only hashed once two
 * lengths meet: a copy must still be found, after 1 to 12 other records. */
Test(validate, duplicates_in_runs_of_records_of_different_lengths)
{
    size_t cap = 1 << 20, w = 0;
    char *b = malloc(cap);
    const char *rec = DUP_REC("%.*s");
    const char *name = "nnnnnnnnnnnnnnnnnnnn";
    uint64_t at = 0, want_rec[24], want_ref[24];
    unsigned nwant = 0;
    for (unsigned k = 1; k <= 12; k++) {
        for (unsigned i = 0; i < k; i++) /* person k: k records of lengths 1..k */
            w += (size_t)snprintf(b + w, cap - w, rec, 30000u + k, (int)(i + 1), name);
        unsigned j = k % 2 ? k - 1 : k / 2; /* then a copy of one of them */
        w += (size_t)snprintf(b + w, cap - w, rec, 30000u + k, (int)(j + 1), name);
        want_ref[nwant] = at + j + 1;
        want_rec[nwant++] = at + k + 1;
        at += k + 1;
        for (unsigned i = 0; i < k + 3; i++) /* person 100 + k: all different, no copy */
            w += (size_t)snprintf(b + w, cap - w, rec, 30100u + k, (int)(i + 1), name);
        at += k + 3;
    }
    rk_report *ref = validate_with(b, w, 1, 1u << 30, RK_SIMD_AUTO);
    const rk_file_result *f = rk_report_file(ref, 0);
    assert_copies(f, want_rec, want_ref, nwant);
    const size_t chunks[] = {64, 300, 1000, 4096};
    same_for_chunks(b, w, ref, chunks, sizeof chunks / sizeof chunks[0], 1, "short runs: ");
    rk_report_free(ref);
    free(b);
}

/*
 * Duplicate records (RK-FILE-004) of short runs after one long run of one
 * person: the hash set grown for the long run is given back, and each copy
 * is still reported against its first record, for any chunking.
 */
Test(validate, duplicates_after_a_long_run_of_one_person)
{
    size_t cap = 1 << 20, w = 0;
    char *b = malloc(cap);
    const char *rec = DUP_REC("n%u");
    for (unsigned i = 0; i < 300; i++) /* one person, 300 records */
        w += (size_t)snprintf(b + w, cap - w, rec, 12345u, i);
    for (unsigned p = 0; p < 200; p++) /* then 200 people of 2 records; every 10th person's two are one */
        for (unsigned k = 0; k < 2; k++)
            w += (size_t)snprintf(b + w, cap - w, rec, 20000u + p, p % 10 == 0 ? 0u : k);
    rk_report *ref = validate_with(b, w, 1, 1u << 30, RK_SIMD_AUTO);
    const rk_file_result *f = rk_report_file(ref, 0);
    uint64_t want_rec[20], want_ref[20];
    for (size_t p = 0; p < 20; p++) {
        want_ref[p] = 300 + 2 * 10 * p + 1; /* record numbers from 1 */
        want_rec[p] = want_ref[p] + 1;
    }
    assert_copies(f, want_rec, want_ref, 20);
    const size_t chunks[] = {64, 1000, 4096, 65536};
    same_for_chunks(b, w, ref, chunks, sizeof chunks / sizeof chunks[0], 1, "after a long run: ");
    rk_report_free(ref);
    free(b);
}

/* Resident bytes of the mapping that starts at addr, from /proc/self/smaps. */
static long long mapping_rss(const void *addr)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    cr_assert_not_null(f);
    char line[512];
    int in = 0;
    long long kb = -1;
    while (fgets(line, sizeof line, f)) {
        unsigned long long lo, hi;
        if (sscanf(line, "%llx-%llx ", &lo, &hi) == 2) { /* a mapping's first line */
            in = (uintptr_t)addr >= lo && (uintptr_t)addr < hi;
            continue;
        }
        if (in && sscanf(line, "Rss: %lld kB", &kb) == 1)
            break;
    }
    fclose(f);
    cr_assert_geq(kb, 0, "the mapping is in smaps");
    return kb * 1024;
}

/* Reads a byte of every page (through volatile: the reads must happen). */
static void touch_all(const unsigned char *p, size_t len)
{
    const volatile unsigned char *v = p;
    for (size_t i = 0; i < len; i += 4096)
        (void)v[i];
    (void)v[len - 1];
}

Test(validate, page_release_drops_whole_blocks_and_keeps_the_bytes)
{
    char path[] = "/tmp/rk_release_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    const size_t len = (8u << 20) + 12345;
    unsigned char *data = malloc(len);
    cr_assert_not_null(data);
    for (size_t i = 0; i < len; i++)
        data[i] = (unsigned char)(i * 131u >> 7);
    cr_assert_eq(write(fd, data, len), (ssize_t)len);
    close(fd);
    rk_map m;
    cr_assert_eq(rk_map_file(path, &m), RK_OK);
    const uintptr_t b0 = (uintptr_t)m.p, blk = RK_RELEASE_ALIGN;
    touch_all(m.p, len);
    long long full = mapping_rss(m.p);
    cr_assert_geq(full, (long long)(len & ~(size_t)4095), "every page resident after the touch");

    /* Inward: the whole 2 MiB blocks (of addresses) inside [from, to). */
    uint64_t from = 100, to = (5u << 20) + 7;
    uintptr_t a = (b0 + from + blk - 1) & ~(blk - 1), b = (b0 + to) & ~(blk - 1);
    cr_assert_gt(b, a, "a 5 MiB range holds a whole block");
    cr_assert_eq(rk_release(m.p, from, to), (uint64_t)(b - b0), "returns the end of the last block dropped");
    cr_assert_leq(mapping_rss(m.p), full - (long long)(b - a), "the blocks' pages are dropped");
    cr_assert_eq(memcmp(m.p, data, len), 0, "the bytes read back the same");
    /* A range inside one block drops nothing and says so. */
    uint64_t mid = (uint64_t)(((b0 + (3u << 20)) & ~(blk - 1)) + 4096 - b0);
    touch_all(m.p, len);
    full = mapping_rss(m.p);
    cr_assert_eq(rk_release(m.p, mid, mid + 8192), mid);
    cr_assert_eq(mapping_rss(m.p), full, "nothing dropped");

    /* Outward: every block a few pages touch, within the mapping. */
    rk_release_blocks(m.p, len, mid, mid + 8192);
    uintptr_t ba = (b0 + mid) & ~(blk - 1);
    cr_assert_leq(mapping_rss(m.p), full - (long long)(ba + blk > b0 + len ? b0 + len - ba : blk) + 4096,
                  "the block around the pages is dropped");
    cr_assert_eq(memcmp(m.p, data, len), 0, "the bytes read back the same");
    /* The last, partial block: up to the mapping's last whole page. */
    touch_all(m.p, len);
    full = mapping_rss(m.p);
    rk_release_blocks(m.p, len, len - 10, len + 4096);
    uintptr_t la = (b0 + len - 10) & ~(blk - 1);
    if (la < b0)
        la = b0;
    cr_assert_leq(mapping_rss(m.p), full - (long long)(((b0 + len) & ~(uintptr_t)4095) - la));
    cr_assert_eq(memcmp(m.p, data, len), 0);
    rk_unmap(&m);
    unlink(path);
    free(data);
}
