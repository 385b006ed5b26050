/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The billing view of a record: what the plan-against-actual judgement
 * (judge.h) reads of a 第6表 (予定 / 実績), 第7表 or 利用者補足 record, as
 * small fixed-width rows, and the items each value comes from. Pure: the
 * caller hands in tokenized records; no I/O, no threads, no hashing.
 */
#ifndef RK_BILLING_ROWS_H
#define RK_BILLING_ROWS_H

#include <stdint.h>
#include <string.h>

#include "../careplan/careplan.h"
#include "../careplan/families.h"
#include "../careplan/layouts.h"
#include "../careplan/record.h"

/* The kinds of file the judgement reads, in the order of its row lists. */
enum rk_billing_kind {
    RK_BK_PLAN,    /* UPPLAN: 第6表 予定 */
    RK_BK_ACTUAL,  /* UPJSK: 第6表 実績 */
    RK_BK_BENEFIT, /* UPSIKYU: 第7表 */
    RK_BK_PERSON,  /* UPHOSOKU sent with 第6表/第7表 (a month in its name) */
    RK_BK_DELETE,  /* DLTPLAN (the receiver's plan withdrawn) and DLTJSK (a provider's 実績 of a type deleted) */
    RK_BK_COUNT
};

/* The billing kind of a parsed file name, -1 when the judgement does not read
 * the file, RK_BK_BAD_NAME for a kind it reads under a name that breaks the
 * grammar (its sender, receiver and ファイル連番 are unknown: it cannot be placed in the month). */
#define RK_BK_BAD_NAME (-2)
int rk_billing_kind(const rk_name_info *ni);

/* 利用者補足 items the judgement reads (careplan-csv.md §3.1). */
enum {
    RK_PERSON_FROM = 14,  /* 限度額適用開始年月日 */
    RK_PERSON_TO = 15,    /* 限度額適用終了年月日 */
    RK_PERSON_LEVEL = 18, /* 要介護状態区分 */
    RK_PERSON_LIMIT = 19, /* 区分支給限度基準額 */
    RK_PERSON_SLOT = 20,  /* サービス種類コード of slot 1; slot k at 20 + 4k, its 支給限度基準額 next */
    RK_PERSON_SLOTS = 9
};

/* The item holding a record's 対象年月 for its person-month key. */
static inline unsigned rk_billing_month_item(const rk_layout *L)
{
    return L->hosoku ? (unsigned)RK_PERSON_KEY_MONTH : L->month_field;
}

/* Where a row's record is: opaque to the judgement, handed back with its findings. */
typedef struct rk_row_place {
    uint64_t off;
    uint32_t file, chunk;
} rk_row_place;

/* Every row starts with the hash of its person-month and the person-month:
 * 保険者番号 + 被保険者番号 + 対象年月, space-padded, two zero bytes. */
#define RK_PM_OFF 8
#define RK_PM_LEN 22

typedef struct rk_day_row { /* one 第6表 record: a service on a day, 予定 or 実績 */
    uint64_t h;
    char pm[24];
    char office[10], code[6], date[8], start[4], end[4]; /* office, code and date contiguous: one key */
    char sat[2];                                         /* サテライト枝番, spaces when none */
    int16_t count;                                       /* サービス回数 (2 digits; larger values are clamped) */
    int units;
    rk_row_place at;
} rk_day_row;

/* The service type of a 第6表 row: the first two characters of its code. */
static inline const char *rk_day_row_type(const rk_day_row *r)
{
    return r->code;
}

/* Values of a 第7表 row, in the order of rk_benefit_item. */
enum {
    RK_V_COUNT,
    RK_V_AMOUNT,
    RK_V_KYUFU,
    RK_V_OVER,
    RK_V_INSIDE,
    RK_V_PRICE,
    RK_V_COST,
    RK_V_RATE,
    RK_V_CLAIM,
    RK_V_USER,
    RK_V_FULL,
    RK_V_UNITS,
    RK_V_COUNT_OF_VALUES
};

typedef struct rk_benefit_row { /* one 第7表 record */
    uint64_t h;
    char pm[24];
    char office[10], code[6];
    int64_t v[RK_V_COUNT_OF_VALUES];
    unsigned have; /* bit i: v[i] present */
    rk_row_place at;
    uint8_t units_item; /* item No. of 単位数 in the row's layout: every other value follows from it */
    char sat[2];        /* サテライト枝番, spaces when none */
} rk_benefit_row;

/* Item No. of value v of a 第7表 row: 回数／日数, サービス単位金額, 給付管理単位数,
 * 区分支給限度基準超/内単位数, 単位数単価, 費用総額, 給付率, 請求額, 利用者負担, 全額負担, 単位数. */
static inline unsigned rk_benefit_item(const rk_benefit_row *r, int v)
{
    static const unsigned char after_units[RK_V_COUNT_OF_VALUES] = {3, 4, 5, 8, 9, 10, 11, 12, 13, 15, 16, 0};
    return r->units_item + after_units[v];
}

typedef struct rk_person_row { /* 利用者補足 with 6/7表 */
    uint64_t h;
    char pm[24];
    char level[2];
    int limit; /* 区分支給限度基準額, -1 empty */
    char slot_type[RK_PERSON_SLOTS][2];
    int slot_limit[RK_PERSON_SLOTS]; /* -1 empty */
    char from[8], to[8];             /* 限度額適用期間, "" when empty */
    int seiho;                       /* 被保険者番号 H…: 生活保護単独 */
    rk_row_place at;
} rk_person_row;

typedef struct rk_delete_row { /* one DLTPLAN or DLTJSK record */
    uint64_t h;
    char pm[24];
    char office[10], type[2]; /* DLTJSK: サービス事業者コード, サービス種類コード; spaces for DLTPLAN */
    int plan;                 /* 1 DLTPLAN, 0 DLTJSK */
    rk_row_place at;
} rk_delete_row;

/* An integer item (a '-' allowed; 99.99 read as hundredths); 0 when empty or not a number. */
static inline int rk_item_int(const unsigned char *buf, const rk_record *rec, unsigned no, int64_t *out)
{
    const unsigned char *p;
    size_t n;
    rk_item(buf, rec, no, &p, &n);
    if (n == 0 || n > 12)
        return 0;
    int neg = p[0] == '-';
    int64_t v = 0;
    for (size_t i = (size_t)neg; i < n; i++) {
        if (p[i] == '.') { /* 単位数単価 99.99 → hundredths */
            if (n - i != 3)
                return 0;
            v = v * 100 + (p[i + 1] - '0') * 10 + (p[i + 2] - '0');
            *out = neg ? -v : v;
            return 1;
        }
        if (p[i] < '0' || p[i] > '9')
            return 0;
        v = v * 10 + (p[i] - '0');
    }
    *out = neg ? -v : v;
    return 1;
}

/* Fills a 第6表 row's items after its hash and person-month. */
static inline void rk_day_row_fill(const rk_layout *L, const unsigned char *buf, const rk_record *rec, rk_day_row *r)
{
    rk_item_fixed(buf, rec, L->office_field, r->office, 10);
    rk_item_fixed(buf, rec, L->svc_field, r->code, 6);
    rk_item_fixed(buf, rec, L->use_date_field, r->date, 8);
    rk_item_fixed(buf, rec, L->start_field, r->start, 4);
    rk_item_fixed(buf, rec, L->end_field, r->end, 4);
    rk_item_fixed(buf, rec, L->sat_field, r->sat, 2);
    int64_t x;
    r->count = (int16_t)(rk_item_int(buf, rec, L->count_field, &x) ? (x > INT16_MAX ? INT16_MAX : x) : 0);
    r->units = rk_item_int(buf, rec, L->units_field, &x) ? (int)x : 0;
}

/* Fills a 第7表 row's items after its hash and person-month (the rest zeroed by the caller). */
static inline void rk_benefit_row_fill(const rk_layout *L, const unsigned char *buf, const rk_record *rec,
                                       rk_benefit_row *r)
{
    rk_item_fixed(buf, rec, L->office_field, r->office, 10);
    rk_item_fixed(buf, rec, L->svc_field, r->code, 6);
    rk_item_fixed(buf, rec, L->sat_field, r->sat, 2);
    r->units_item = L->units_field;
    for (int i = 0; i < RK_V_COUNT_OF_VALUES; i++)
        if (rk_item_int(buf, rec, rk_benefit_item(r, i), &r->v[i]))
            r->have |= 1u << i;
}

/* Fills a delete row's items after its hash and person-month: a DLTPLAN has
 * no office or type (its layout names neither), a DLTJSK both. */
static inline void rk_delete_row_fill(const rk_layout *L, const unsigned char *buf, const rk_record *rec,
                                      rk_delete_row *r)
{
    r->plan = L->office_field == 0;
    memset(r->office, ' ', sizeof r->office);
    memset(r->type, ' ', sizeof r->type);
    if (L->office_field)
        rk_item_fixed(buf, rec, L->office_field, r->office, 10);
    if (L->type_field)
        rk_item_fixed(buf, rec, L->type_field, r->type, 2);
}

/* Fills a 利用者補足 row's items after its hash and person-month (the rest zeroed by the caller). */
static inline void rk_person_row_fill(const unsigned char *buf, const rk_record *rec, rk_person_row *r)
{
    const unsigned char *p;
    size_t n;
    int64_t x;
    rk_item_fixed(buf, rec, RK_PERSON_LEVEL, r->level, 2);
    r->limit = rk_item_int(buf, rec, RK_PERSON_LIMIT, &x) ? (int)x : -1;
    for (unsigned k = 0; k < RK_PERSON_SLOTS; k++) {
        rk_item_fixed(buf, rec, RK_PERSON_SLOT + 4u * k, r->slot_type[k], 2);
        r->slot_limit[k] = rk_item_int(buf, rec, RK_PERSON_SLOT + 1u + 4u * k, &x) ? (int)x : -1;
    }
    rk_item(buf, rec, RK_PERSON_FROM, &p, &n);
    if (n == 8)
        memcpy(r->from, p, 8);
    rk_item(buf, rec, RK_PERSON_TO, &p, &n);
    if (n == 8)
        memcpy(r->to, p, 8);
    r->seiho = r->pm[6] == 'H';
}

/* Orders n >= 8 bytes as memcmp does, 8 at a time, the last 8 overlapping;
 * n is a constant at every call, so this unrolls into a few loads. */
static inline int rk_keycmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0;; i += 8) {
        if (i + 8 > n)
            i = n - 8;
        uint64_t u, v;
        memcpy(&u, x + i, 8);
        memcpy(&v, y + i, 8);
        if (u != v) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            u = __builtin_bswap64(u);
            v = __builtin_bswap64(v);
#endif
            return u < v ? -1 : 1;
        }
        if (i + 8 >= n)
            return 0;
    }
}

#endif
