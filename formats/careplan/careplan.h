/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The standard as data: file kinds, CSV versions and the rule catalog.
 * No I/O, no threads: engine/ drives these tables over tokenized records.
 */
#ifndef RK_CAREPLAN_H
#define RK_CAREPLAN_H

#include <stddef.h>

#include "renkei.h"

/* Rules, in catalog order. The numbers index rk_rule_at(); IDs never change. */
enum rk_rule_no {
    RK_R_NAME_UNKNOWN,   /* RK-NAME-001 */
    RK_R_NAME_GRAMMAR,   /* RK-NAME-002 */
    RK_R_ENC_INVALID,    /* RK-ENC-001 */
    RK_R_ENC_UNASSIGNED, /* RK-ENC-002 */
    RK_R_ENC_GAIJI,      /* RK-ENC-003 */
    RK_R_ENC_BOM,        /* RK-ENC-004 */
    RK_R_ENC_UTF8,       /* RK-ENC-005: the whole file is UTF-8 */
    RK_R_CSV_EMPTY,      /* RK-CSV-001 */
    RK_R_CSV_UNTERMINATED,
    RK_R_CSV_QUOTE_IN_UNQUOTED,
    RK_R_CSV_TEXT_AFTER_QUOTE,
    RK_R_CSV_NUL,
    RK_R_CSV_FIELD_COUNT,
    RK_R_CSV_BARE_CR,
    RK_R_CSV_MIXED_EOL,
    RK_R_CSV_BLANK_LINE,
    RK_R_VER_UNKNOWN,
    RK_R_VER_MIXED,
    RK_R_VER_KIND,
    RK_R_REC_REQUIRED, /* RK-REC-001 */
    RK_R_REC_REQUIRED_UNSURE,
    RK_R_REC_LENGTH,
    RK_R_REC_NUMBER,
    RK_R_REC_DATE,
    RK_R_REC_MONTH,
    RK_R_REC_TIME,
    RK_R_REC_CODE,
    RK_R_REC_ASCII,
    RK_R_REC_POSTAL,
    RK_R_REC_HIWARI,
    RK_R_REC_HIWARI_DAY,
    RK_R_REC_PRICE,
    RK_R_REC_SVC,
    RK_R_REC_TAIS,
    RK_R_REC_FT_UNQUOTED,
    RK_R_ID_INSURER, /* RK-ID-001 */
    RK_R_ID_OFFICE,
    RK_R_ID_INSURED,
    RK_R_COND_TAIS, /* RK-COND-001 */
    RK_R_COND_MEISAI,
    RK_R_COND_SUM_UNITS,
    RK_R_COND_SUM_DISCOUNT,
    RK_R_COND_TOTAL_OFFICE,
    RK_R_COND_OUTSIDE_LIMIT,
    RK_R_COND_HOSOKU_DATE,
    RK_R_COND_HOSOKU_MONTH,
    RK_R_FILE_MONTH, /* RK-FILE-001 */
    RK_R_FILE_USE_DATE,
    RK_R_FILE_UPDATER,
    RK_R_FILE_DUPLICATE,
    RK_R_SET_MISSING, /* RK-SET-001 */
    RK_R_SET_ORPHAN,
    RK_R_SET_UNMATCHED,
    RK_R_SEAL_CORRUPT, /* RK-SEAL-001 */
    RK_R_SEAL_SHA256,
    RK_R_SEAL_XXH3,
    RK_R_SEAL_MISSING,
    RK_R_SEAL_EXTRA,
    RK_R_SEAL_SIGNATURE,
    RK_R_SEAL_UNTRUSTED,
    RK_R_SEAL_UNSIGNED,
    RK_R_SEAL_UNSAFE,
    RK_R_SEAL_MANIFEST,
    RK_R_SEAL_EXTRACT,
    RK_R_SEAL_SIGNER, /* RK-SEAL-012: who signed, when a trust anchor checked it */
    RK_R_CHK_NO_PLAN, /* RK-CHK-001 */
    RK_R_CHK_NO_ACTUAL,
    RK_R_CHK_COUNT,
    RK_R_CHK_TIME,
    RK_R_CHK_UNITS,
    RK_R_CHK_HOLD,
    RK_R_CHK_CUT_A,
    RK_R_CHK_CUT_B,
    RK_R_CHK_12P3,
    RK_R_CHK_15P6,
    RK_R_CHK_7_COUNT,
    RK_R_CHK_7_AMOUNT,
    RK_R_CHK_7_PRICE,
    RK_R_CHK_OFFICE,
    RK_R_CHK_7_COST,
    RK_R_CHK_7_CLAIM,
    RK_R_CHK_7_USER,
    RK_R_CHK_7_FULL,
    RK_R_CHK_7_SPLIT,
    RK_R_CHK_LEVEL,
    RK_R_CHK_PERIOD,
    RK_R_CHK_DAILY,
    RK_R_CHK_CODE_UNKNOWN,
    RK_R_CHK_CODE_PERIOD,
    RK_R_CHK_CODE_UNCOVERED,
    RK_R_COUNT
};

/* Layout generations: the v3.2 (CSV version 202208) and v4.1 (202407) layouts. */
enum { RK_LAYOUT_V3 = 3, RK_LAYOUT_V4 = 4 };

typedef struct rk_kind {
    const char *prefix; /* file-name prefix */
    int month_segment;  /* 1 = name has _YYYYMM, 2 = optional "_000000" (UPKIHON), 0 = none */
    int image;          /* 1 = JPEG with a 4-digit branch number, no CSV */
} rk_kind;

/* CSV versions with a known layout (careplan-csv.md §1.2). */
typedef struct rk_csv_version {
    const char *value;        /* No.1 CSVバージョン */
    const char *applies_from; /* service month YYYYMM from which the layout applies */
    int layout;               /* RK_LAYOUT_V3 or RK_LAYOUT_V4 */
} rk_csv_version;

const rk_kind *rk_kind_find(const char *prefix);
size_t rk_kind_count(void);
const rk_kind *rk_kind_at(size_t i);

/* The version entry for a 6-byte value, or NULL if the value has no layout. */
const rk_csv_version *rk_csv_version_find(const unsigned char *v, size_t len);

/* Item No. of the CSVバージョン in every record, and its length. */
/* A text of the project's own in both languages, as one string: what a
 * finding expected ("ja" RK_JA_EN_SEP "en"); the report shows the one asked
 * for. Never used on bytes of the data. */
#define RK_JA_EN_SEP '\x1f'
#define RK_JA_EN(ja, en) ja "\x1f" en

#define RK_VERSION_ITEM 1
#define RK_VERSION_LEN 6

/* The CSV version value (6 bytes, not terminated) of a layout; 0 if none. */
int rk_csv_version_of(int layout, char out[RK_VERSION_LEN]);

/* Item count of a kind under a layout; 0 when the kind has no file in it. */
unsigned rk_kind_fields(const rk_kind *k, int layout);

#endif
