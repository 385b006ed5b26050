/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The month as the exchange sees it (careplan-csv.md §2.5-§2.8): of the rows
 * a person-month has in a month's files, the ones that stand once copies,
 * re-sent versions and deletes are applied, imported in ファイル連番 order.
 *
 * - A plan is a send unit (sender, receiver, ファイル連番) of 第6表 予定,
 *   第7表 and 利用者補足. A care manager sends every provider of a user the
 *   whole plan: units of the same 連番 to other receivers are copies of it.
 *   Per person-month and care manager the plan is the unit of the newest 連番
 *   not withdrawn, whichever provider it was sent to; of copies, the one to
 *   the lowest receiver number.
 * - A DLTPLAN withdraws the plan units of its sender to its receiver with an
 *   older 連番 (the receiver's copy only: copies to others stand).
 * - 実績 stand per (office, service type): the file of the newest 連番 for
 *   them; a DLTJSK of a newer 連番 deletes them; of files of one 連番, the first.
 * Which reading of the standard applies is this file's data: the choices above.
 * Pure: rows come in sorted (rows.h), rows go out in the same order.
 */
#ifndef RK_BILLING_MONTH_H
#define RK_BILLING_MONTH_H

#include <stddef.h>
#include <stdint.h>

#include "rows.h"

/* What the month model knows of a file, by the row places' file index. */
typedef struct rk_month_file {
    uint64_t serial; /* ファイル連番 as a number (YYYYMMDDHHMMSS) */
    char sender[10], receiver[10];
    int kind; /* enum rk_billing_kind */
} rk_month_file;

/* Why a file's rows of a person-month do not stand. */
enum rk_disposition {
    RK_DISP_COPY,       /* the same 連番 sent to another receiver: one plan, counted once */
    RK_DISP_SUPERSEDED, /* a newer 連番 of the same document */
    RK_DISP_DELETED,    /* withdrawn by a DLTPLAN / DLTJSK of a newer 連番 */
    RK_DISP_COUNT
};

typedef struct rk_month_sink {
    /* Once per (file, person-month) whose rows do not stand, with the file
     * that stands in their place (or the delete). */
    void (*disposed)(void *ctx, uint32_t file, int disposition, uint32_t by_file);
    void *ctx;
} rk_month_sink;

/* One person-month's rows of each kind, sorted as the judgement takes them. */
typedef struct rk_pm_lists {
    const rk_day_row *const *P, *const *A;
    const rk_benefit_row *const *S;
    const rk_person_row *const *H;
    const rk_delete_row *const *D;
    size_t np, na, ns, nh, nd;
} rk_pm_lists;

/* Room reused from one person-month to the next (zero it before first use). */
typedef struct rk_month_scratch {
    const void **out; /* the rows that stand, of every kind */
    size_t out_cap;
    void *units; /* plan units and 実績 versions seen */
    size_t units_cap;
    uint32_t *told; /* files already reported for this person-month */
    size_t told_cap;
} rk_month_scratch;

/*
 * The rows of in that stand, into *out (pointing into scratch, valid until
 * the next call), the plan's 補足 in *h (NULL when none stands). Reports the
 * files whose rows do not stand to sink (may be NULL). Returns 0 when memory
 * runs out (out is then in itself, nothing filtered).
 */
int rk_month_pick(const rk_month_file *files, const rk_pm_lists *in, rk_pm_lists *out, const rk_person_row **h,
                  rk_month_scratch *scratch, const rk_month_sink *sink);

void rk_month_scratch_free(rk_month_scratch *s);

/* A ファイル連番 ("YYYYMMDDHHMMSS") as a number; 0 when it is not 14 digits. */
uint64_t rk_month_serial(const char *serial);

#endif
