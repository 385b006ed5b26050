/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The month model (formats/billing/month.h) and the parts of the judgement
 * it changed: copies counted once, newer ファイル連番 superseding, DLTPLAN /
 * DLTJSK, codes of the month matched per month, 第7表 per satellite, and no
 * limit on the claims of a person-month.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../../formats/billing/judge.h"
#include "../../formats/billing/month.h"

#define PM "1310111000000001202511"

static rk_month_file files[8];

static void file(uint32_t i, const char *sender, const char *receiver, uint64_t serial, int kind)
{
    memcpy(files[i].sender, sender, 10);
    memcpy(files[i].receiver, receiver, 10);
    files[i].serial = serial;
    files[i].kind = kind;
}

static rk_day_row day(uint32_t f, const char *office, const char *code, int dd, int units, const char *sat)
{
    rk_day_row r;
    memset(&r, ' ', sizeof r);
    r.h = 1;
    memcpy(r.pm, PM, 22);
    r.pm[22] = r.pm[23] = 0;
    memcpy(r.office, office, 10);
    memcpy(r.code, code, 6);
    char d[9];
    snprintf(d, sizeof d, "202511%02d", dd);
    memcpy(r.date, d, 8);
    memcpy(r.start, "09000930", 8);
    memcpy(r.sat, sat ? sat : "  ", 2);
    r.count = 1;
    r.units = units;
    r.at = (rk_row_place){(uint64_t)dd * 100, f, 0};
    return r;
}

static rk_delete_row del(uint32_t f, const char *office, const char *type)
{
    rk_delete_row r;
    memset(&r, ' ', sizeof r);
    r.h = 1;
    memcpy(r.pm, PM, 22);
    r.plan = office == NULL;
    if (office) {
        memcpy(r.office, office, 10);
        memcpy(r.type, type, 2);
    }
    r.at = (rk_row_place){0, f, 0};
    return r;
}

/* What the sink heard: one line per disposition. */
static char heard[512];

static void disposed(void *ctx, uint32_t f, int disposition, uint32_t by)
{
    (void)ctx;
    static const char *const names[] = {"copy", "superseded", "deleted"};
    size_t n = strlen(heard);
    snprintf(heard + n, sizeof heard - n, "%u %s %u;", f, names[disposition], by);
}

static const rk_month_sink sink = {disposed, NULL};
static rk_month_scratch scratch;

static rk_pm_lists pick(const rk_day_row *const *P, size_t np, const rk_day_row *const *A, size_t na,
                        const rk_delete_row *const *D, size_t nd)
{
    rk_pm_lists in = {P, A, NULL, NULL, D, np, na, 0, 0, nd}, out;
    const rk_person_row *h;
    heard[0] = 0;
    cr_assert(rk_month_pick(files, &in, &out, &h, &scratch, &sink));
    return out;
}

#define CM "1310100019"
#define X "1371100015"
#define Y "1371100023"

Test(month, copies_of_one_plan_are_counted_once)
{
    file(0, CM, Y, 20251025100000, RK_BK_PLAN); /* the same 連番 to two providers */
    file(1, CM, X, 20251025100000, RK_BK_PLAN);
    rk_day_row a = day(0, X, "111111", 3, 244, NULL), b = day(1, X, "111111", 3, 244, NULL);
    const rk_day_row *P[] = {&a, &b};
    rk_pm_lists m = pick(P, 2, NULL, 0, NULL, 0);
    cr_assert_eq(m.np, 1);
    cr_assert_eq(m.P[0], &b, "of copies, the one to the lowest receiver");
    cr_assert_str_eq(heard, "0 copy 1;");
}

Test(month, a_newer_serial_supersedes_the_plan_whoever_received_it)
{
    file(0, CM, X, 20251025100000, RK_BK_PLAN);
    file(1, CM, Y, 20251028100000, RK_BK_PLAN);
    rk_day_row a = day(0, X, "111111", 3, 244, NULL), b = day(1, X, "111211", 3, 387, NULL);
    const rk_day_row *P[] = {&a, &b};
    rk_pm_lists m = pick(P, 2, NULL, 0, NULL, 0);
    cr_assert_eq(m.np, 1);
    cr_assert_eq(m.P[0], &b);
    cr_assert_str_eq(heard, "0 superseded 1;");
}

Test(month, dltplan_withdraws_the_receivers_copy_only)
{
    file(0, CM, X, 20251025100000, RK_BK_PLAN);
    file(1, CM, Y, 20251025100000, RK_BK_PLAN);
    file(2, CM, X, 20251030100000, RK_BK_DELETE);
    rk_day_row a = day(0, X, "111111", 3, 244, NULL), b = day(1, X, "111111", 3, 244, NULL);
    rk_delete_row d = del(2, NULL, NULL);
    const rk_day_row *P[] = {&a, &b};
    const rk_delete_row *D[] = {&d};
    rk_pm_lists m = pick(P, 2, NULL, 0, D, 1);
    cr_assert_eq(m.np, 1);
    cr_assert_eq(m.P[0], &b, "the copy to the other provider stands");
    cr_assert_str_eq(heard, "0 deleted 2;");
    /* a delete older than the plan does nothing */
    files[2].serial = 20251020100000;
    m = pick(P, 2, NULL, 0, D, 1);
    cr_assert_eq(m.np, 1);
    cr_assert_eq(m.P[0], &a);
}

Test(month, dltjsk_deletes_older_actuals_and_a_later_resend_stands)
{
    file(0, X, CM, 20251203080000, RK_BK_ACTUAL);
    file(1, X, CM, 20251205080000, RK_BK_DELETE);
    file(2, X, CM, 20251206080000, RK_BK_ACTUAL);
    rk_day_row a = day(0, X, "111111", 3, 244, NULL), c = day(2, X, "111111", 4, 244, NULL);
    rk_delete_row d = del(1, X, "11");
    const rk_day_row *A1[] = {&a};
    const rk_delete_row *D[] = {&d};
    rk_pm_lists m = pick(NULL, 0, A1, 1, D, 1);
    cr_assert_eq(m.na, 0);
    cr_assert_str_eq(heard, "0 deleted 1;");
    const rk_day_row *A2[] = {&a, &c};
    m = pick(NULL, 0, A2, 2, D, 1);
    cr_assert_eq(m.na, 1);
    cr_assert_eq(m.A[0], &c);
    rk_delete_row other = del(1, X, "15"); /* another service type: nothing deleted */
    const rk_delete_row *D2[] = {&other};
    m = pick(NULL, 0, A1, 1, D2, 1);
    cr_assert_eq(m.na, 1);
}

Test(month, actuals_stand_per_office_and_service_type)
{
    file(0, X, CM, 20251203080000, RK_BK_ACTUAL);
    file(1, X, CM, 20251204080000, RK_BK_ACTUAL);
    rk_day_row a = day(0, X, "111111", 3, 244, NULL), b = day(0, X, "151111", 5, 655, NULL),
               c = day(1, X, "111111", 3, 250, NULL);
    const rk_day_row *A[] = {&a, &c, &b}; /* sorted by office, code, date */
    rk_pm_lists m = pick(NULL, 0, A, 3, NULL, 0);
    cr_assert_eq(m.na, 2);
    cr_assert_eq(m.A[0], &c, "type 11 from the newer file");
    cr_assert_eq(m.A[1], &b, "type 15 from the only file that has it");
    cr_assert_str_eq(heard, "0 superseded 1;");
}

Test(month, serials)
{
    cr_assert_eq(rk_month_serial("20251025103000"), 20251025103000ull);
    cr_assert_eq(rk_month_serial("2025102510300"), 0);
    cr_assert_eq(rk_month_serial("2025102510300X"), 0);
}

/* ---- the judgement ---------------------------------------------------------------- */

static char said[4096];
static unsigned claims;

static void finding(void *ctx, uint32_t rule, const rk_row_place *at, uint32_t field, const char *value,
                    const char *expected)
{
    (void)ctx;
    (void)field;
    size_t n = strlen(said);
    snprintf(said + n, sizeof said - n, "%u@%u:%llu %s %s;", rule, at->file, (unsigned long long)at->off,
             value ? value : "-", expected ? expected : "-");
}

static void claim(void *ctx, const rk_claim_outcome *c)
{
    (void)ctx;
    (void)c;
    claims++;
}

static rk_master *master(void)
{
    rk_master *m = rk_master_new();
    const char *rows[][9] = {{"111111", "身体介護１", "244", "回", "1", "202404", "999999", "70", ""},
                             {"171001", "福祉用具貸与 手すり", "300", "月", "1", "202404", "999999", "0", ""}};
    for (size_t i = 0; i < 2; i++)
        cr_assert_null(rk_master_add(m, rows[i]));
    rk_master_done(m);
    return m;
}

static void judge(const rk_day_row *const *P, size_t np, const rk_day_row *const *A, size_t na,
                  const rk_benefit_row *const *S, size_t ns)
{
    rk_master *m = master();
    rk_judge j;
    rk_judge_sink s = {finding, claim, NULL};
    said[0] = 0;
    claims = 0;
    rk_judge_init(&j, m, NULL, &s);
    rk_judge_person_month(&j, P, np, A, na, S, ns, NULL);
    cr_assert_eq(j.oom, 0);
    rk_judge_free(&j);
    rk_master_free(m);
}

Test(judge, a_code_of_the_month_is_matched_per_month)
{
    rk_day_row p = day(0, X, "171001", 1, 300, NULL), a = day(1, X, "171001", 3, 300, NULL);
    memcpy(p.start, "99999999", 8);
    memcpy(a.start, "99999999", 8);
    const rk_day_row *P[] = {&p}, *A[] = {&a};
    judge(P, 1, A, 1, NULL, 0);
    cr_assert_str_eq(said, "", "planned on the 1st, delivered on the 3rd: %s", said);
    /* a visit (per 回) on another day is a day not planned and a plan not delivered */
    rk_day_row p2 = day(0, X, "111111", 1, 244, NULL), a2 = day(1, X, "111111", 3, 244, NULL);
    const rk_day_row *P2[] = {&p2}, *A2[] = {&a2};
    judge(P2, 1, A2, 1, NULL, 0);
    char want[128];
    snprintf(want, sizeof want, "%u@0:100 111111 -;%u@1:300 111111 -;", RK_R_CHK_NO_ACTUAL, RK_R_CHK_NO_PLAN);
    cr_assert_str_eq(said, want);
}

static rk_benefit_row seven(uint32_t f, const char *office, const char *sat, const char *code, int count, int amount)
{
    rk_benefit_row r;
    memset(&r, 0, sizeof r);
    r.h = 1;
    memcpy(r.pm, PM, 22);
    memcpy(r.office, office, 10);
    memcpy(r.code, code, 6);
    memcpy(r.sat, sat, 2);
    r.units_item = 13;
    r.v[RK_V_COUNT] = count;
    r.v[RK_V_AMOUNT] = amount;
    r.have = 1u << RK_V_COUNT | 1u << RK_V_AMOUNT;
    r.at = (rk_row_place){0, f, 0};
    return r;
}

Test(judge, the_benefit_table_is_recomputed_per_satellite)
{
    rk_day_row a = day(0, X, "111111", 1, 244, "01"), b = day(0, X, "111111", 2, 244, "01"),
               c = day(0, X, "111111", 3, 244, "02");
    rk_benefit_row s1 = seven(1, X, "01", "111111", 2, 488), s2 = seven(1, X, "02", "111111", 1, 244);
    const rk_day_row *P[] = {&a, &b, &c};
    const rk_benefit_row *S[] = {&s1, &s2};
    judge(P, 3, NULL, 0, S, 2);
    cr_assert_str_eq(said, "", "each site against its own rows: %s", said);
    rk_benefit_row merged = seven(1, X, "01", "111111", 3, 732); /* the sites added up on one row: wrong */
    const rk_benefit_row *S2[] = {&merged, &s2};
    judge(P, 3, NULL, 0, S2, 2);
    char want[64];
    snprintf(want, sizeof want, "%u@1:0 3 2;", RK_R_CHK_7_COUNT);
    cr_assert(strstr(said, want) != NULL, "site 01 has 2 visits, not 3: %s", said);
}

Test(judge, a_person_month_of_many_claims_judges_them_all)
{
    static rk_day_row rows[100];
    const rk_day_row *A[100];
    for (int i = 0; i < 100; i++) { /* 100 offices, no plan: 100 claims held */
        char office[11];
        snprintf(office, sizeof office, "13711%05d", i);
        rows[i] = day(0, office, "111111", 1 + i % 28, 244, NULL);
        A[i] = &rows[i];
    }
    judge(NULL, 0, A, 100, NULL, 0);
    cr_assert_eq(claims, 100);
    unsigned held = 0;
    for (const char *p = said; (p = strstr(p, ";")) != NULL; p++)
        held++;
    cr_assert_eq(held, 100, "one 保留 per claim");
}
