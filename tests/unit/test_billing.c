/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Billing arithmetic and reference data: the worked examples of
 * billing-rules.md §4, the unit price table, the limits, and the master's
 * row checks and lookups by service month.
 */
#include <criterion/criterion.h>

#include "../../formats/billing/billing.h"

Test(billing, worked_example_12345_units_at_11_40_and_90_percent)
{
    int64_t cost = rk_cost(12345, 1140);
    int64_t claim = rk_claim(cost, 90, 0);
    cr_assert_eq(cost, 140733);
    cr_assert_eq(claim, 126659);
    cr_assert_eq(cost - claim, 14074);
    cr_assert_eq(rk_claim(cost, 90, 1), 0, "生保単独 claims nothing from the insurance");
}

Test(billing, over_the_limit_17000_against_16765)
{
    int limit = rk_limit_units((const unsigned char *)"21", 202511);
    cr_assert_eq(limit, 16765);
    int64_t over = 17000 - limit;
    cr_assert_eq(over, 235);
    cr_assert_eq(rk_cost(over, rk_unit_price(1, 70, 202511)), 2679);
}

Test(billing, limits_and_prices_by_date)
{
    cr_assert_eq(rk_limit_units((const unsigned char *)"12", 202511), 5032);
    cr_assert_eq(rk_limit_units((const unsigned char *)"25", 202511), 36217);
    cr_assert_eq(rk_limit_units((const unsigned char *)"21", 201909), -1, "before the 2019-10 table");
    cr_assert_eq(rk_limit_units((const unsigned char *)"99", 202511), -1);
    cr_assert_eq(rk_unit_price(1, 70, 202511), 1140);
    cr_assert_eq(rk_unit_price(3, 70, 202511), 1105);
    cr_assert_eq(rk_unit_price(6, 55, 202511), 1033);
    cr_assert_eq(rk_unit_price(7, 45, 202511), 1014);
    cr_assert_eq(rk_unit_price(0, 70, 202511), 1000, "その他");
    cr_assert_eq(rk_unit_price(1, 0, 202511), 1000, "居宅療養管理指導 and 福祉用具貸与: always 10円");
    cr_assert_eq(rk_unit_price(1, 70, 202403), -1, "R6 prices start in 2024-04");
    cr_assert_eq(rk_unit_price(8, 70, 202511), -1);
    /* every price of the table is 10 + 10 × 上乗せ × 人件費割合, rounded half-up */
    const int up[8] = {0, 20, 16, 15, 12, 10, 6, 3};
    const int share[3] = {70, 55, 45};
    for (int g = 0; g < 8; g++)
        for (int s = 0; s < 3; s++) {
            int want = 1000 + (1000 * up[g] * share[s] + 5000) / 10000;
            cr_assert_eq(rk_unit_price(g, share[s], 202511), want, "grade %d share %d", g, share[s]);
        }
}

Test(billing, master_rows_and_lookup)
{
    rk_master *m = rk_master_new();
    const char *ok[9] = {"111111", "身体介護１", "244", "回", "1", "202404", "999999", "70", ""};
    const char *old[9] = {"111111", "身体介護１(旧)", "250", "回", "1", "201804", "202403", "70", ""};
    const char *daily[9] = {"731112", "日割", "344", "日", "1", "202404", "999999", "55", "731111"};
    const char *bad_kind[9] = {"111112", "x", "1", "年", "1", "202404", "999999", "70", ""};
    const char *bad_share[9] = {"111113", "x", "1", "回", "1", "202404", "999999", "60", ""};
    const char *bad_code[9] = {"11111", "x", "1", "回", "1", "202404", "999999", "70", ""};
    cr_assert_null(rk_master_add(m, ok));
    cr_assert_null(rk_master_add(m, old));
    cr_assert_null(rk_master_add(m, daily));
    cr_assert_not_null(rk_master_add(m, bad_kind));
    cr_assert_not_null(rk_master_add(m, bad_share));
    cr_assert_not_null(rk_master_add(m, bad_code));
    rk_master_done(m);
    int known;
    const rk_svc *s = rk_master_find(m, (const unsigned char *)"111111", 202511, &known);
    cr_assert(s && s->units == 244 && known);
    s = rk_master_find(m, (const unsigned char *)"111111", 202301, &known);
    cr_assert(s && s->units == 250);
    cr_assert_null(rk_master_find(m, (const unsigned char *)"111111", 201701, &known));
    cr_assert(known, "the code exists in another period");
    cr_assert_null(rk_master_find(m, (const unsigned char *)"999999", 202511, &known));
    cr_assert(!known);
    s = rk_master_find(m, (const unsigned char *)"731112", 202511, NULL); /* a 日割 code names its monthly one */
    cr_assert(s);
    cr_assert_str_eq(s->daily_of, "731111");
    s = rk_master_find(m, (const unsigned char *)"111111", 202511, NULL);
    cr_assert(s && s->daily_of[0] == 0);
    rk_master_free(m);
}

Test(billing, offices_and_families)
{
    rk_offices *o = rk_offices_new();
    cr_assert_null(rk_offices_add(o, "1371100015", "1"));
    cr_assert_null(rk_offices_add(o, "1371100023", "3"));
    cr_assert_not_null(rk_offices_add(o, "137110001", "1"));
    cr_assert_not_null(rk_offices_add(o, "1371100031", "8"));
    rk_offices_done(o);
    cr_assert_eq(rk_offices_grade(o, (const unsigned char *)"1371100023"), 3);
    cr_assert_eq(rk_offices_grade(o, (const unsigned char *)"1371100031"), -1);
    rk_offices_free(o);
    cr_assert(rk_svc_type_yobo((const unsigned char *)"66"));
    cr_assert(rk_svc_type_yobo((const unsigned char *)"A6"));
    cr_assert(!rk_svc_type_yobo((const unsigned char *)"11"));
    cr_assert(!rk_svc_type_yobo((const unsigned char *)"68"), "小規模多機能(短期利用) is 介護");
}
