/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 介護給付費 reference data and arithmetic (billing-rules.md §2-§4): the
 * service-code master, the offices' 級地, 区分支給限度基準額 and 地域区分 unit
 * prices keyed by effective date, and the yen arithmetic. Pure: rows come in
 * as strings from whoever read the files; no I/O, no threads.
 */
#ifndef RK_BILLING_H
#define RK_BILLING_H

#include <stddef.h>
#include <stdint.h>

enum rk_unit_kind { RK_PER_VISIT = 0, RK_PER_DAY = 1, RK_PER_MONTH = 2 };

typedef struct rk_svc {
    char code[7]; /* サービスコード */
    char *name;
    int units;        /* 単位数 of one unit_kind */
    int unit_kind;    /* enum rk_unit_kind */
    int limit_target; /* 1 = inside the 区分支給限度, 0 = outside */
    int valid_from;   /* YYYYMM */
    int valid_to;     /* YYYYMM, 999999 = open */
    int wage_share;   /* 人件費割合 70 / 55 / 45, 0 = always 10円 */
    char daily_of[7]; /* the monthly code this 日割 code stands for, "" if none */
} rk_svc;

typedef struct rk_master rk_master;

rk_master *rk_master_new(void);
void rk_master_free(rk_master *m);

/*
 * Adds a row: service_code,name,units,unit_kind,limit_target,valid_from,
 * valid_to,wage_share,daily_of (UTF-8, unit_kind 回/日/月). Returns NULL, or
 * what is wrong with the row (static text).
 */
const char *rk_master_add(rk_master *m, const char *const col[9]);

/* Must be called once after the last add, before any find. */
void rk_master_done(rk_master *m);

/* The row of code valid in service month yyyymm, or NULL; *known (may be
 * NULL) tells whether the code exists in some other period. */
const rk_svc *rk_master_find(const rk_master *m, const unsigned char *code, int yyyymm, int *known);

size_t rk_master_size(const rk_master *m);

/* Declares the service types (2 characters each, separated by spaces) whose
 * every code in force the master holds. Returns NULL, or what is wrong. */
const char *rk_master_declare_complete(rk_master *m, const char *types);
/* Whether the master declared the service type of a 6-character code complete:
 * an unknown code of that type is then not a code at all. */
int rk_master_covers(const rk_master *m, const unsigned char *code);

/* Offices' 級地 (1-7, 0 = その他). */
typedef struct rk_offices rk_offices;
rk_offices *rk_offices_new(void);
void rk_offices_free(rk_offices *o);
/* Adds office_no,grade; returns NULL or what is wrong. */
const char *rk_offices_add(rk_offices *o, const char *office, const char *grade);
void rk_offices_done(rk_offices *o);
/* The grade of a 10-character office number, -1 if unknown. */
int rk_offices_grade(const rk_offices *o, const unsigned char *office);

/* 区分支給限度基準額 (units) of a 要介護状態区分 code ("12", "21", ...) in a month; -1 if none. */
int rk_limit_units(const unsigned char *level2, int yyyymm);

/* 1単位の単価 in hundredths of a yen (1140 = 11.40) for a grade and wage
 * share in a service month; -1 if no table covers the month. */
int rk_unit_price(int grade, int wage_share, int yyyymm);

/* 費用総額 = floor(units × price); price in hundredths. */
static inline int64_t rk_cost(int64_t units, int price100)
{
    return units * price100 / 100;
}
/* 保険請求額 = floor(cost × rate / 100); 0 for 生活保護単独 (被保険者番号 H…). */
static inline int64_t rk_claim(int64_t cost, int rate, int seiho)
{
    return seiho ? 0 : cost * rate / 100;
}

/* Service types of 介護予防 (and 総合事業 A*): only for 要支援 / 事業対象者. */
int rk_svc_type_yobo(const unsigned char *type2);

#endif
