/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Record rules: the findings of a record do not depend on the records
 * checked before it. The rules skip items a record shares byte for byte with
 * the record before and values already seen valid; this test checks every
 * record of long random runs twice, once after its predecessors and once
 * with a fresh cache, and demands the same findings, in the same order.
 * Items judged by the inline fast path (empty, numbers, free text, persons,
 * service codes) are also held, in every layout, to the verdicts check_item
 * gives. A third check turns off the pass that judges a whole record's
 * numbers and free text from masks of its bytes: the findings must be the
 * same item by item (runs where every item changes make that pass run).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../formats/careplan/careplan.h"
#include "../../formats/careplan/layouts.h"
#include "../../formats/careplan/record.h"
#include "../../engine/simd/simd.h"
#include "renkei.h"
#include "../test_util.h"

static uint64_t seed = 0x9E3779B97F4A7C15ull;
static unsigned pick(unsigned n)
{
    return (unsigned)(rk_test_rand(&seed) % n);
}

/* Values every item may take: valid and broken ones of every type. */
static const char *const pool[] = {
    "",
    "202407",
    "131011",
    "131010",
    "0000012345",
    "H000012345",
    "20251020",
    "20251131",
    "202511",
    "202510",
    "202513",
    "1310100019",
    "1310100018",
    "9999999999",
    "\"\x8E\x52\x96\x7B \x8C\x62\x8E\x71\"",
    "\x8E\x52\x96\x7B",
    "\"\"",
    "244",
    "-3",
    "x1",
    "1000",
    "2460",
    "9999",
    "111111",
    "17A001",
    "171001",
    "999999",
    "11AAAA",
    "00000-000001",
    "0000000000000000000000000000001",
    "0000000000000000000000000000000",
    "12.34",
    "1.2",
    "123-4567",
    "00000000",
    "000000",
    "1",
    "\"a,b\"",
    "\"1\"",
    "12345",
    "99",
    "17a001",
    "17@00[",
    "1700[1",
    "toolongvaluetoolongvaluetoolongvalue",
};
#define NPOOL (sizeof pool / sizeof pool[0])

typedef struct seen {
    char text[8192];
    size_t w;
} seen;

static void collect(void *ctx, uint32_t rule, uint32_t field, uint64_t off, const unsigned char *val, size_t vlen,
                    const char *expected)
{
    seen *s = ctx;
    int n = snprintf(s->text + s->w, sizeof s->text - s->w, "%u/%u@%llu[%.*s](%s);", rule, field,
                     (unsigned long long)off, (int)vlen, (const char *)val, expected ? expected : "");
    cr_assert(n > 0 && (size_t)n < sizeof s->text - s->w, "findings text overflow");
    s->w += (size_t)n;
}

typedef struct run_ctx {
    rk_file_facts ff;
    rk_rec_cache *shared;
    size_t records, findings;
} run_ctx;

static int on_rec(void *vctx, const unsigned char *buf, const rk_record *rec)
{
    run_ctx *r = vctx;
    if (rec->nfields != r->ff.layout->nfields)
        return 0;
    seen a = {.w = 0}, b = {.w = 0};
    rk_check_record(&r->ff, buf, rec, r->shared, collect, &a);
    rk_rec_cache *fresh = calloc(1, sizeof *fresh);
    cr_assert_not_null(fresh);
    fresh->mask_pass = r->shared->mask_pass;
    rk_check_record(&r->ff, buf, rec, fresh, collect, &b);
    cr_assert_str_eq(a.text, b.text, "record %llu: after its predecessors\n  %s\nalone\n  %s",
                     (unsigned long long)rec->record, a.text, b.text);
    seen c = {.w = 0};
    memset(fresh, 0, sizeof *fresh);
    fresh->mask_pass = NULL; /* item by item */
    rk_check_record(&r->ff, buf, rec, fresh, collect, &c);
    free(fresh);
    cr_assert_str_eq(a.text, c.text, "record %llu: with the mask pass\n  %s\nitem by item\n  %s",
                     (unsigned long long)rec->record, a.text, c.text);
    r->records++;
    r->findings += a.text[0] != 0;
    return 0;
}

static unsigned pool_index(const char *v)
{
    for (unsigned i = 0; i < NPOOL; i++)
        if (strcmp(pool[i], v) == 0)
            return i;
    cr_assert_fail("%s not in the pool", v);
    return 0;
}

/* A value for item i: half the time one that matters for its type, so that
 * a month with 30 days meets a 日割対象日 marking day 31. */
static unsigned pick_value(const rk_layout *L, unsigned i)
{
    unsigned no = i + 1, units = L->svc_field + (L->tais_field ? 4u : 1u);
    if (pick(2)) {
        /* Values that pass the rules between items, so that whole runs of
         * records pass them and the shortcut for a record that repeats the
         * items they read is taken often (and must not hide a finding). */
        if (no == L->updater_field || no == L->meisai_field || (L->sikyu && no > units && no <= units + 2))
            return pool_index(pick(4) ? "" : "1310100019");
        if (no == L->office_field)
            return pool_index("1310100019");
        if (no == L->svc_field)
            return pool_index(pick(4) ? "111111" : "171001");
        if (L->sikyu && (no == units || no == units + 5))
            return pool_index(pick(4) ? "1" : "");
        if (L->tais_field && no == L->tais_field)
            return pool_index("00000-000001");
        if (L->hosoku && no == 4)
            return pool_index("00000000");
        if (L->hosoku && no == 63)
            return pool_index("202511");
    }
    if (pick(2)) {
        if (no == L->month_field)
            return pool_index(pick(2) ? "202510" : "202511");
        if (L->fields[i].type == RK_T_HIWARI)
            return pool_index(pick(2) ? "0000000000000000000000000000001" : "0000000000000000000000000000000");
    }
    return pick(NPOOL);
}

/* churn: every item takes a new value in one record of churn (0 = never). */
static void random_runs(const char *kind, const char *month, unsigned churn)
{
    const rk_layout *L = rk_layout_find(kind, RK_LAYOUT_V4);
    cr_assert_not_null(L, "%s layout", kind);
    size_t nrec = 4000, cap = nrec * 2048, w = 0;
    char *buf = malloc(cap);
    cr_assert_not_null(buf);
    unsigned cur[RK_MAX_ITEMS];
    for (unsigned i = 0; i < L->nfields; i++)
        cur[i] = pick_value(L, i);
    for (size_t r = 0; r < nrec; r++) {
        /* Most items keep their value, as in a person's run of records; a
         * few change, sometimes to a value of another length. */
        unsigned changes = churn && pick(churn) == 0 ? 4 * L->nfields : pick(4);
        for (unsigned k = 0; k < changes; k++) {
            unsigned i = pick(L->nfields);
            cur[i] = pick_value(L, i);
        }
        for (unsigned i = 0; i < L->nfields; i++)
            w += (size_t)snprintf(buf + w, cap - w, "%s%s", i ? "," : "", pool[cur[i]]);
        w += (size_t)snprintf(buf + w, cap - w, pick(8) ? "\r\n" : "\n");
    }
    rk_engine *e = rk_engine_new(NULL);
    cr_assert_not_null(e);
    rk_rec_cache *shared = calloc(1, sizeof *shared);
    shared->mask_pass = rk_mask_pass_for(rk_simd_best()); /* the engine's choice on this CPU */
    run_ctx rc = {{L, month, "1310100019"}, shared, 0, 0};
    cr_assert_eq(rk_csv_each(e, buf, w, on_rec, &rc), RK_OK);
    if (shared->mask_pass && L->nfields <= 64) /* the runs where every item changes ran the mask pass */
        cr_assert(shared->mask_records > nrec / 20, "%s: the mask pass judged %llu of %zu records", kind,
                  (unsigned long long)shared->mask_records, nrec);
    else if (!shared->mask_pass)
        cr_log_info("%s: this CPU has no mask pass (AVX-512 VBMI2): item by item only", kind);
    cr_assert_eq(rc.records, nrec, "%s: every record checked (%zu)", kind, rc.records);
    cr_assert(rc.findings > nrec / 10, "%s: the runs break rules (%zu records with findings)", kind, rc.findings);
    free(shared);
    rk_engine_free(e);
    free(buf);
}

Test(record, findings_do_not_depend_on_the_records_before_upplan)
{
    random_runs("UPPLAN", "202511", 0);
}

Test(record, findings_do_not_depend_on_the_records_before_upjsk)
{
    random_runs("UPJSK", "202511", 0);
}

Test(record, findings_do_not_depend_on_the_records_before_upsikyu)
{
    random_runs("UPSIKYU", "202511", 0);
}

Test(record, findings_do_not_depend_on_the_records_before_uphosoku)
{
    random_runs("UPHOSOKU", "202511", 0);
}

Test(record, findings_do_not_depend_on_the_records_before_upkihon)
{
    random_runs("UPKIHON", NULL, 0);
}

/* Records unlike the one before: the numbers, free text and empty items of
 * the record are judged all at once (where the CPU can), and must be judged
 * as item by item. */
Test(record, whole_records_of_new_values_upsikyu)
{
    random_runs("UPSIKYU", "202511", 1);
}

Test(record, whole_records_of_new_values_upplan)
{
    random_runs("UPPLAN", "202511", 2);
}

Test(record, whole_records_of_new_values_upjsk)
{
    random_runs("UPJSK", "202511", 2);
}

/* Rules hit by the one-item record of L whose item i is v, every other item empty. */
typedef struct one_item {
    const rk_layout *L;
    unsigned item;
    uint32_t rules[8];
    size_t n;
} one_item;

static void collect_item(void *ctx, uint32_t rule, uint32_t field, uint64_t off, const unsigned char *val, size_t vlen,
                         const char *expected)
{
    (void)off, (void)val, (void)vlen, (void)expected;
    one_item *o = ctx;
    if (field == o->item && o->n < 8)
        o->rules[o->n++] = rule;
}

static int check_one(void *vctx, const unsigned char *buf, const rk_record *rec)
{
    one_item *o = vctx;
    rk_file_facts ff = {o->L, NULL, NULL};
    rk_rec_cache *fresh = calloc(1, sizeof *fresh);
    cr_assert_not_null(fresh);
    fresh->mask_pass = rk_mask_pass_for(rk_simd_best());
    rk_check_record(&ff, buf, rec, fresh, collect_item, o);
    free(fresh);
    return 0;
}

static void item_rules(rk_engine *e, const rk_layout *L, unsigned i, const char *v, one_item *o)
{
    char line[4096];
    size_t w = 0;
    for (unsigned k = 0; k < L->nfields; k++)
        w += (size_t)snprintf(line + w, sizeof line - w, "%s%s", k ? "," : "", k == i ? v : "");
    w += (size_t)snprintf(line + w, sizeof line - w, "\n");
    memset(o, 0, sizeof *o);
    o->L = L;
    o->item = i + 1;
    cr_assert_eq(rk_csv_each(e, line, w, check_one, o), RK_OK);
}

static int has_rule(const one_item *o, uint32_t rule)
{
    for (size_t k = 0; k < o->n; k++)
        if (o->rules[k] == rule)
            return 1;
    return 0;
}

/* 被保険者番号 and サービスコード, judged inline by word operations: each
 * valid form passes; each byte next to an allowed range, in every place, and
 * each wrong length or letter is reported. */
static void word_forms(rk_engine *e, const rk_layout *L, unsigned i, one_item *o)
{
    static const char *const hiho[] = {"0123456789", "9876543210", "H000000000", "H987654321",  NULL, "012345678",
                                       "h123456789", "HH12345678", "0H12345678", "12345678901", NULL};
    static const char *const svc[] = {"111111", "17A001",  "ZZ09AZ", "9999AA", "0A0Z00", NULL,
                                      "11111",  "1111111", "1a1111", "11111z", NULL};
    const rk_field_def *d = &L->fields[i];
    const char *const *v = d->type == RK_T_HIHO ? hiho : svc;
    for (; *v; v++) {
        item_rules(e, L, i, *v, o);
        cr_assert_eq(o->n, 0, "%s item %u: %s is valid", L->kind, d->no, *v);
        size_t n = strlen(*v);
        for (size_t at = 0; at < n; at++)
            for (const char *b = "/:@[`"; *b; b++) {
                char bad[16];
                memcpy(bad, *v, n + 1);
                bad[at] = *b;
                item_rules(e, L, i, bad, o);
                cr_assert_gt(o->n, 0, "%s item %u: %s is not valid", L->kind, d->no, bad);
            }
    }
    for (v++; *v; v++) {
        item_rules(e, L, i, *v, o);
        cr_assert_gt(o->n, 0, "%s item %u: %s is not valid", L->kind, d->no, *v);
    }
}

/* Every item of every layout: an empty quoted free text is missing where
 * the item is required; a number longer than its item, or with a letter,
 * is reported; an empty optional item is not; persons and service codes
 * are held to word_forms. */
Test(record, empty_long_and_broken_items_of_every_layout)
{
    rk_engine *e = rk_engine_new(NULL);
    cr_assert_not_null(e);
    one_item o;
    size_t checked = 0;
    for (size_t l = 0; l < rk_layout_count(); l++) {
        const rk_layout *L = rk_layout_at(l);
        for (unsigned i = 0; i < L->nfields; i++) {
            const rk_field_def *d = &L->fields[i];
            if (d->req == RK_OPT) {
                item_rules(e, L, i, "", &o);
                cr_assert_eq(o.n, 0, "%s item %u: empty and optional, yet %zu findings", L->kind, d->no, o.n);
            }
            if (d->type == RK_T_FT) {
                item_rules(e, L, i, "\"\"", &o);
                cr_assert_eq(has_rule(&o, RK_R_REC_REQUIRED), d->req == RK_REQ, "%s item %u: \"\"", L->kind, d->no);
                checked++;
            }
            if ((d->type == RK_T_N || d->type == RK_T_INT) && d->len && d->len < 40) {
                char v[48];
                memset(v, '1', d->len + 1u);
                v[d->len + 1u] = 0;
                item_rules(e, L, i, v, &o);
                cr_assert(has_rule(&o, RK_R_REC_LENGTH), "%s item %u: %s is too long", L->kind, d->no, v);
                item_rules(e, L, i, "1x", &o);
                cr_assert(d->len < 2 || has_rule(&o, RK_R_REC_NUMBER), "%s item %u: 1x", L->kind, d->no);
                item_rules(e, L, i, "1", &o);
                cr_assert_eq(o.n, 0, "%s item %u: 1 is a number", L->kind, d->no);
                /* Digits of every length the item allows, then each with a
                 * byte next to '0' or '9' in one place. */
                for (unsigned w = 1; w <= d->len && w <= 10; w++) {
                    char num[12];
                    for (unsigned k = 0; k < w; k++)
                        num[k] = (char)('0' + (k * 7 + w) % 10);
                    num[w] = 0;
                    item_rules(e, L, i, num, &o);
                    cr_assert_eq(o.n, 0, "%s item %u: %s is a number", L->kind, d->no, num);
                    for (unsigned k = 0; k < w; k++)
                        for (const char *b = "/:"; *b; b++) {
                            char bad[12];
                            memcpy(bad, num, sizeof bad);
                            bad[k] = *b;
                            item_rules(e, L, i, bad, &o);
                            cr_assert(has_rule(&o, RK_R_REC_NUMBER), "%s item %u: %s is no number", L->kind, d->no,
                                      bad);
                        }
                }
                checked++;
            }
            if (d->type == RK_T_HIHO || d->type == RK_T_SVC) {
                word_forms(e, L, i, &o);
                checked++;
            }
        }
    }
    cr_assert_gt(checked, 100, "items of those kinds in the layouts (%zu)", checked);
    rk_engine_free(e);
}

/* The calendar, written plainly: days in month m of year y. */
static int month_days(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* Whether v is n digits; *val receives them as a number. */
static int all_digits(const char *v, size_t n, long *val)
{
    if (strlen(v) != n)
        return 0;
    *val = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return 0;
        *val = *val * 10 + (v[i] - '0');
    }
    return 1;
}

/* The verdict the standard gives a date, month or time item (unquoted). */
static int valid_value(int type, const char *v)
{
    long x;
    switch (type) {
    case RK_T_D8Z:
        if (strcmp(v, "00000000") == 0)
            return 1;
        /* fall through */
    case RK_T_D8:
        return all_digits(v, 8, &x) && x / 10000 >= 1900 && x / 10000 <= 2199 && x / 100 % 100 >= 1 &&
               x / 100 % 100 <= 12 && x % 100 >= 1 && x % 100 <= month_days((int)(x / 10000), (int)(x / 100 % 100));
    case RK_T_YMZ:
        if (strcmp(v, "000000") == 0)
            return 1;
        /* fall through */
    case RK_T_YM: return all_digits(v, 6, &x) && x / 100 >= 1900 && x / 100 <= 2199 && x % 100 >= 1 && x % 100 <= 12;
    case RK_T_T4X:
        if (strcmp(v, "9999") == 0)
            return 1;
        /* fall through */
    case RK_T_T4: return all_digits(v, 4, &x) && x / 100 <= 23 && x % 100 <= 59;
    }
    return -1;
}

/* Candidate values for a date, month or time: every boundary of the
 * calendar and the clock, and each position with the bytes next to '0' and '9'. */
static size_t calendar_values(char (*out)[16], size_t cap)
{
    static const int years[] = {1899, 1900, 2000, 2023, 2024, 2100, 2199, 2200, 9999};
    static const int months[] = {0, 1, 2, 4, 9, 10, 12, 13, 19, 99};
    static const int days[] = {0, 1, 9, 10, 28, 29, 30, 31, 32, 39, 99};
    static const char *const extra[] = {"0000",  "2359",     "2400",         "2360",       "0959",    "1960",
                                        "9999",  "00000000", "000000",       "2025110",    "2025113", "202511031",
                                        "20251", "2025",     "\"20251103\"", "\"202511\"", "\"1030\""};
    size_t n = 0;
    for (size_t a = 0; a < sizeof years / sizeof years[0]; a++)
        for (size_t b = 0; b < sizeof months / sizeof months[0]; b++) {
            snprintf(out[n++], 16, "%04d%02d", years[a], months[b]);
            for (size_t c = 0; c < sizeof days / sizeof days[0]; c++)
                snprintf(out[n++], 16, "%04d%02d%02d", years[a], months[b], days[c]);
        }
    for (size_t k = 0; k < sizeof extra / sizeof extra[0]; k++)
        snprintf(out[n++], 16, "%s", extra[k]);
    const char *base[] = {"20251103", "202511", "1030"};
    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; i < strlen(base[k]); i++)
            for (const char *b = "/:"; *b; b++) {
                snprintf(out[n], 16, "%s", base[k]);
                out[n++][i] = *b;
            }
    cr_assert_leq(n, cap);
    return n;
}

/* Every date, month and time item of every layout gives the calendar's verdict. */
Test(record, dates_months_and_times_of_every_layout)
{
    rk_engine *e = rk_engine_new(NULL);
    cr_assert_not_null(e);
    static char values[1200][16];
    size_t nv = calendar_values(values, 1200), checked = 0;
    one_item o;
    for (size_t l = 0; l < rk_layout_count(); l++) {
        const rk_layout *L = rk_layout_at(l);
        for (unsigned i = 0; i < L->nfields; i++) {
            const rk_field_def *d = &L->fields[i];
            uint32_t rule = d->type == RK_T_D8 || d->type == RK_T_D8Z   ? RK_R_REC_DATE
                            : d->type == RK_T_YM || d->type == RK_T_YMZ ? RK_R_REC_MONTH
                            : d->type == RK_T_T4 || d->type == RK_T_T4X ? RK_R_REC_TIME
                                                                        : 0;
            if (!rule)
                continue;
            for (size_t k = 0; k < nv; k++) {
                const char *v = values[k];
                char bare[16];
                size_t n = strlen(v);
                if (v[0] == '"') {
                    memcpy(bare, v + 1, n - 2);
                    bare[n - 2] = 0;
                } else {
                    memcpy(bare, v, n + 1);
                }
                if (d->len && strlen(bare) > d->len)
                    continue; /* the length rule speaks first */
                item_rules(e, L, i, v, &o);
                int want = !valid_value(d->type, bare);
                cr_assert_eq(has_rule(&o, rule), want, "%s item %u (%s): %s should %s", L->kind, d->no, d->name, v,
                             want ? "be reported" : "pass");
                checked++;
            }
        }
    }
    cr_assert_gt(checked, 1000, "values checked (%zu)", checked);
    rk_engine_free(e);
}

/* The service types outside the 区分支給限度 (billing-rules.md §2.3), as the
 * spec lists them; every other pair of digits or letters is inside. */
Test(record, service_types_outside_the_limit)
{
    static const char *const listed[] = {"31", "32", "33", "34", "35", "36", "37", "41", "42",
                                         "43", "44", "45", "46", "51", "52", "53", "54", "55"};
    const char chars[] = "0123456789ABHZ ";
    for (const char *a = chars; *a; a++)
        for (const char *b = chars; *b; b++) {
            unsigned char t[2] = {(unsigned char)*a, (unsigned char)*b};
            int want = 0;
            for (size_t i = 0; i < sizeof listed / sizeof listed[0]; i++)
                want |= listed[i][0] == *a && listed[i][1] == *b;
            cr_assert_eq(rk_svc_type_outside_limit(t), want, "type %c%c", *a, *b);
        }
}

/* --simd reaches the mask pass: a kernel below AVX-512 VBMI2 has none, and
 * the engine's choice is the one the kernel it resolved to allows. */
Test(record, the_mask_pass_follows_the_kernel_asked_for)
{
    for (rk_simd k = RK_SIMD_AUTO; k < RK_SIMD_AVX512VBMI2; k++)
        cr_assert_null(rk_mask_pass_for(k), "%s has no mask pass", rk_simd_name(k));
    rk_mask_pass_fn best = rk_mask_pass_for(RK_SIMD_AVX512VBMI2);
    cr_assert_eq(best != NULL, rk_simd_best() == RK_SIMD_AVX512VBMI2 && rk_simd_cpu_has(RK_SIMD_AVX512VBMI2));
    rk_simd back;
    for (rk_simd k = RK_SIMD_AUTO; k <= RK_SIMD_AVX512VBMI2; k++)
        cr_assert(rk_simd_from_name(rk_simd_name(k), &back) && back == k, "%s names its kernel", rk_simd_name(k));
    cr_assert(!rk_simd_from_name("avx1024", &back));
}
