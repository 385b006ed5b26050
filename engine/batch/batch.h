/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal to `renkei batch` (batch.c runs it, html.c writes report.html):
 * a month's findings and totals by office.
 */
#ifndef RK_BATCH_H
#define RK_BATCH_H

#include <stdint.h>
#include <stdio.h>

#include "../../formats/careplan/careplan.h"
#include "renkei.h"

/* The cost simulator's settings (cost.c), in yen unless named otherwise. */
enum {
    BT_SHEETS,
    BT_PRINT,
    BT_POSTAGE,
    BT_FAX,
    BT_LABOUR_HAND,
    BT_LABOUR_MAIL,
    BT_LABOUR_FAX,
    BT_SYSTEM_FEE,
    BT_LABOUR_EXCHANGE,
    BT_COST_COUNT
};

typedef struct bt_cost_setting {
    const char *key;
    int64_t value;
    const char *unit, *en, *ja;
} bt_cost_setting;

/* An office's month by each way of sending (yen). */
typedef struct bt_cost {
    uint64_t users, offices; /* users sent for, and the offices sent to summed over them */
    int64_t hand, mail, fax, exchange;
} bt_cost;

/* What one office sent and what the month did to its claims. */
typedef struct bt_office {
    char no[11], type[3]; /* 事業所番号 and the service type of the names it sends under ("" unknown) */
    uint64_t files, records, bytes, counts[3];
    int64_t planned, actual, cut, cut_yen;
    uint64_t held, claims;
    uint64_t *by_rule; /* [RK_R_COUNT] findings of its files */
    bt_cost cost;
    rk_report *report; /* its files, validate's and check's findings together */
} bt_office;

/* An office of the --offices list, and whether it sent anything. */
typedef struct bt_listed {
    char no[11];
    char name[128]; /* UTF-8, "" when the list gives none */
    int sent;
} bt_listed;

typedef struct bt_month {
    const rk_batch_options *o;
    char month[7];     /* the month most files name */
    bt_office all;     /* the month's totals (no report) */
    bt_office *office; /* sorted by number; files of no known sender under "" */
    size_t noffice;
    rk_report *merged; /* every file: validate's findings and check's */
    rk_check_summary *check;
    bt_listed *listed; /* the --offices list, in its order; NULL without it */
    size_t nlisted;
    const char **other_month; /* files whose name gives another month than the month's */
    size_t nother;
    bt_cost_setting cost[BT_COST_COUNT];
    bt_cost cost_all;
} bt_month;

/* The settings: the defaults, changed by "KEY=VALUE" strings; RK_ERR_ARG with err for a bad one. */
rk_status bt_cost_settings(bt_cost_setting out[BT_COST_COUNT], const char *const *kv, size_t n, char *err,
                           size_t errcap);
/* The month of `users` users sent to `offices` offices (summed over the users), by each way. */
void bt_cost_of(const bt_cost_setting *s, uint64_t users, uint64_t offices, bt_cost *c);
/* cost.json (schema renkei.cost version 1). */
rk_status bt_write_cost(const bt_month *m, FILE *out);

/* Whether a sender office is on the --offices list (always, without a list). */
int bt_is_listed(const bt_month *m, const char *no);

/* report.html: one self-contained page (no network), in o->lang. */
rk_status bt_write_html(const bt_month *m, FILE *out);

/* The role of an office by the service type it sends under: 居宅介護支援 (43) and 介護予防支援 (46) plan. */
int bt_is_care_manager(const bt_office *x);

#endif
