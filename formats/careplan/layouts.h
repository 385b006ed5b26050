/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Field layouts of every interface file of the standard (careplan-csv.md §3),
 * as data: item No., name, length, required flag, type and code list, for
 * CSV version 202407 (v4.1) and, where the file exists, 202208 (v3.2).
 */
#ifndef RK_LAYOUTS_H
#define RK_LAYOUTS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Value types, derived from the 書式 column (careplan-csv.md §3 "type"). */
enum rk_ftype {
    RK_T_ANY,    /* 識別子: not used; any value of the length */
    RK_T_VER,    /* CSVバージョン: checked by the RK-VER rules */
    RK_T_INS,    /* 保険者番号: 6 digits with a check digit */
    RK_T_HIHO,   /* 被保険者番号: 10 digits, or H + 9 digits (生保単独) */
    RK_T_OFF,    /* 事業所番号: 10 characters with a check digit */
    RK_T_OFF9,   /* 事業所番号, or 9999999999 on the 第7表 total row */
    RK_T_D8,     /* YYYYMMDD, a real date */
    RK_T_D8Z,    /* YYYYMMDD or 00000000 (利用者補足 No.4) */
    RK_T_YM,     /* YYYYMM, a real month */
    RK_T_YMZ,    /* YYYYMM or 000000 (利用者補足 No.63) */
    RK_T_T4,     /* HHMM */
    RK_T_T4X,    /* HHMM or 9999 (a service without a time) */
    RK_T_N,      /* digits */
    RK_T_INT,    /* an integer, '-' allowed (units, amounts: reductions are negative) */
    RK_T_AN,     /* ASCII letters, digits and punctuation (phone numbers, type codes) */
    RK_T_FT,     /* free text: MS932, quoted */
    RK_T_C,      /* a value of the code list */
    RK_T_POST,   /* XXX-XXXX */
    RK_T_HIWARI, /* 日割対象日: 31 characters of 0/1 */
    RK_T_PRICE,  /* 単位数単価: 99.99 */
    RK_T_SVC,    /* サービスコード: 2-character type + 4-character item */
    RK_T_TAIS    /* TAIS / 福祉用具届出コード: 5 digits, '-', 6 digits (12) */
};

enum rk_req { RK_OPT = 0, RK_REQ = 1, RK_REQ_UNSURE = 2 /* ○? in the digest: warned, not an error */ };

typedef struct rk_field_def {
    uint8_t no;        /* item No. (1-based) */
    uint8_t req;       /* enum rk_req */
    uint8_t type;      /* enum rk_ftype */
    uint16_t len;      /* 項目長; 0 = ― (no length set) */
    const char *name;  /* Japanese item name */
    const char *codes; /* code list "a|b|c" for RK_T_C, else NULL */
} rk_field_def;

/* What the file-level and file-set rules need to know of a layout. */
typedef struct rk_layout {
    const char *kind; /* file kind prefix */
    int layout;       /* RK_LAYOUT_V3 or RK_LAYOUT_V4 */
    unsigned nfields;
    const rk_field_def *fields;
    uint8_t month_field;    /* 対象年月 / 削除対象年月 item, 0 = none */
    uint8_t use_date_field; /* サービス利用日 (must lie in the month), 0 = none */
    uint8_t updater_field;  /* 更新業者コード (must be the sender office), 0 = none */
    uint8_t key_field;      /* third key item linking files (date or month), 0 = none */
    uint8_t svc_field;      /* サービスコード, 0 = none */
    uint8_t tais_field;     /* TAISコード; the 届出コード follows it; 0 = none */
    uint8_t meisai_field;   /* 明細判別コード, 0 = none */
    uint8_t office_field;   /* サービス事業(所|者)コード, 0 = none */
    uint8_t sikyu;          /* 第7表: subtotal and total rows */
    uint8_t hosoku;         /* 利用者補足: No.4 / No.63 follow the file name */
    /* Items the billing judgement reads (formats/billing/rows.h), 0 = none. */
    uint8_t units_field; /* 単位数 (第6表 No.8; 第7表 13 in v4.1, 10 in v3.2: the items after it follow from it) */
    uint8_t start_field; /* サービス開始時刻 */
    uint8_t end_field;   /* サービス終了時刻 */
    uint8_t count_field; /* サービス回数 */
    uint8_t sat_field;   /* サテライト枝番 (第6表, 第7表) */
    uint8_t type_field;  /* サービス種類コード of a delete (DLTJSK) */
} rk_layout;

#define RK_MAX_ITEMS 71 /* the widest layout (UPKIHON) */

/* The layout of a kind in a layout generation, or NULL. */
const rk_layout *rk_layout_find(const char *kind, int layout);

/* Number of layouts, and layout i (for tests and the docs). */
size_t rk_layout_count(void);
const rk_layout *rk_layout_at(size_t i);

/* Rows of a 第7表 by their サービスコード: a service, a subtotal (type + AAAA / EEEE / ZZZZ) or the total (999999). */
enum { RK_SIKYU_SERVICE, RK_SIKYU_SUBTOTAL, RK_SIKYU_TOTAL };
static inline int rk_sikyu_row_kind(const unsigned char svc[6])
{
    if (memcmp(svc, "999999", 6) == 0)
        return RK_SIKYU_TOTAL;
    const unsigned char *c = svc + 2;
    if (memcmp(c, "AAAA", 4) == 0 || memcmp(c, "EEEE", 4) == 0 || memcmp(c, "ZZZZ", 4) == 0)
        return RK_SIKYU_SUBTOTAL;
    return RK_SIKYU_SERVICE;
}
/* The subtotal of services outside the 区分支給限度 (type + EEEE). */
static inline int rk_sikyu_outside_subtotal(const unsigned char svc[6])
{
    return memcmp(svc + 2, "EEEE", 4) == 0;
}

/* Service types whose codes are wholly outside the 区分支給限度 (billing-rules §2.3). */
int rk_svc_type_outside_limit(const unsigned char *type2);

#endif
