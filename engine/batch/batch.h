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

/* What one office sent and what the month did to its claims. */
typedef struct bt_office {
    char no[11], type[3]; /* 事業所番号 and the service type of the names it sends under ("" unknown) */
    uint64_t files, records, bytes, counts[3];
    int64_t planned, actual, cut, cut_yen;
    uint64_t held, claims;
    uint64_t *by_rule; /* [RK_R_COUNT] findings of its files */
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
    char month[7];       /* the month most files name */
    bt_office all;       /* the month's totals (no report) */
    bt_office *office;   /* sorted by number; files of no known sender under "" */
    size_t noffice;
    rk_report *merged;   /* every file: validate's findings and check's */
    rk_check_summary *check;
    bt_listed *listed;   /* the --offices list, in its order; NULL without it */
    size_t nlisted;
    const char **other_month; /* files whose name gives another month than the month's */
    size_t nother;
} bt_month;

/* Whether a sender office is on the --offices list (always, without a list). */
int bt_is_listed(const bt_month *m, const char *no);

/* report.html: one self-contained page (no network), in o->lang. */
rk_status bt_write_html(const bt_month *m, FILE *out);

/* The role of an office by the service type it sends under: 居宅介護支援 (43) and 介護予防支援 (46) plan. */
int bt_is_care_manager(const bt_office *x);

#endif
