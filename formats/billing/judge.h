/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The billing judgement of one person-month (billing-rules.md §2-§5): plan
 * rows against actual rows, the 第7表 recomputed from the 第6表, the master
 * and the unit price, the 区分支給限度 (12P3) and 種類支給限度 (15P6), and the
 * 国保連 outcome of each claim (cut 事由A/B, 保留). Pure: rows come in sorted,
 * findings and claims go out through callbacks; no I/O, no threads.
 */
#ifndef RK_BILLING_JUDGE_H
#define RK_BILLING_JUDGE_H

#include <stddef.h>
#include <stdint.h>

#include "billing.h"
#include "rows.h"

/* One claim of a person-month: an (office, service type) with its units and outcome. */
typedef struct rk_claim_outcome {
    const char *office;  /* 10 bytes */
    const char *insurer; /* 6 bytes */
    const char *type;    /* 2 bytes */
    int64_t planned, actual, cut, cut_yen;
    int held; /* 保留: actual with no plan at all */
} rk_claim_outcome;

typedef struct rk_judge_sink {
    /* A finding at a row's place: rule (enum rk_rule_no), item No., value and
     * expected (UTF-8, may be NULL; copy them, they do not outlive the call). */
    void (*finding)(void *ctx, uint32_t rule, const rk_row_place *at, uint32_t field, const char *value,
                    const char *expected);
    void (*claim)(void *ctx, const rk_claim_outcome *c); /* every claim of the person-month, once */
    void *ctx;
} rk_judge_sink;

/* Master lookups remembered, by code (a person-month names a few codes, each many times). */
#define RK_JUDGE_MEMO 16
typedef struct rk_judge_memo {
    char code[6];
    int ym, known; /* ym 0: empty */
    const rk_svc *svc;
} rk_judge_memo;

/* One per thread: the reference data and the memo of master lookups. */
typedef struct rk_judge {
    const rk_master *m;
    const rk_offices *o; /* NULL: unit prices only as the 第7表 sends them */
    rk_judge_sink sink;
    rk_judge_memo memo[RK_JUDGE_MEMO];
    void *claims; /* the claims of the person-month being judged, reused */
    size_t claims_cap;
    int oom; /* memory ran out: some claim was not judged */
} rk_judge;

/* A judge over m and o (o may be NULL) reporting to sink; free with rk_judge_free. */
void rk_judge_init(rk_judge *j, const rk_master *m, const rk_offices *o, const rk_judge_sink *sink);
void rk_judge_free(rk_judge *j);

/*
 * Judges one person-month: its plan rows P and actual rows A, each sorted
 * by (office, code, date) and then by place; its 第7表 rows S in place order;
 * its 補足 h (may be NULL). At least one list is not empty.
 */
void rk_judge_person_month(rk_judge *j, const rk_day_row *const *P, size_t np, const rk_day_row *const *A, size_t na,
                           const rk_benefit_row *const *S, size_t ns, const rk_person_row *h);

/* Whether a 第7表 row is a subtotal (CD+AAAA/EEEE/ZZZZ) or the total row (999999). */
int rk_benefit_is_sum(const char code[6]);

#endif
