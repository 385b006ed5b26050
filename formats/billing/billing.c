/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reference data and arithmetic of 介護給付費 (see billing.h). The numbers
 * marked uncertain in billing-rules.md stay here as data:
 *  - 区分支給限度基準額 in force since 2019-10; 事業対象者 (06) takes 要支援1's
 *    5,032 as the municipalities' usual guide [U];
 *  - 地域区分 prices of R6-R8 (2024-04 to 2027-03), 単価 = 10 + 10 × 上乗せ ×
 *    人件費割合 rounded half-up; months before 2024-04 have no table here.
 */
#include "billing.h"

#include <stdlib.h>
#include <string.h>

struct rk_master {
    rk_svc *v;
    size_t n, cap;
    char (*complete)[2]; /* service types the master holds every code of */
    size_t ncomplete;
};

rk_master *rk_master_new(void)
{
    return calloc(1, sizeof(rk_master));
}

void rk_master_free(rk_master *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        free(m->v[i].name);
    free(m->v);
    free(m->complete);
    free(m);
}

size_t rk_master_size(const rk_master *m)
{
    return m ? m->n : 0;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    if (!*s)
        return -1;
    long v = 0;
    int neg = 0;
    if (*s == '-') {
        neg = 1;
        s++;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 100000000)
            return -1;
        v = v * 10 + (*s - '0');
    }
    v = neg ? -v : v;
    if (v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

static int code_ok(const char *c)
{
    if (strlen(c) != 6)
        return 0;
    for (int i = 0; i < 6; i++)
        if (!((c[i] >= '0' && c[i] <= '9') || (c[i] >= 'A' && c[i] <= 'Z')))
            return 0;
    return 1;
}

static int month_ok(int ym)
{
    return ym == 999999 || (ym >= 190001 && ym <= 219912 && ym % 100 >= 1 && ym % 100 <= 12);
}

const char *rk_master_add(rk_master *m, const char *const col[9])
{
    rk_svc s;
    memset(&s, 0, sizeof s);
    if (!code_ok(col[0]))
        return "service_code must be 6 characters (2 type + 4 item)";
    memcpy(s.code, col[0], 7);
    if (parse_int(col[2], -100000, 1000000, &s.units))
        return "units must be an integer";
    if (strcmp(col[3], "回") == 0)
        s.unit_kind = RK_PER_VISIT;
    else if (strcmp(col[3], "日") == 0)
        s.unit_kind = RK_PER_DAY;
    else if (strcmp(col[3], "月") == 0)
        s.unit_kind = RK_PER_MONTH;
    else
        return "unit_kind must be 回, 日 or 月";
    if (parse_int(col[4], 0, 1, &s.limit_target))
        return "limit_target must be 1 (inside the limit) or 0";
    if (parse_int(col[5], 0, 999999, &s.valid_from) || !month_ok(s.valid_from) ||
        parse_int(col[6], 0, 999999, &s.valid_to) || !month_ok(s.valid_to) || s.valid_to < s.valid_from)
        return "valid_from / valid_to must be YYYYMM (999999 = open), from <= to";
    if (parse_int(col[7], 0, 100, &s.wage_share) ||
        !(s.wage_share == 70 || s.wage_share == 55 || s.wage_share == 45 || s.wage_share == 0))
        return "wage_share must be 70, 55, 45 or 0";
    if (col[8][0] && !code_ok(col[8]))
        return "daily_of must be empty or a 6-character service code";
    memcpy(s.daily_of, col[8], strlen(col[8]) + 1);
    s.name = strdup(col[1]);
    if (!s.name)
        return "out of memory";
    if (m->n == m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 256;
        rk_svc *q = realloc(m->v, nc * sizeof *q);
        if (!q) {
            free(s.name);
            return "out of memory";
        }
        m->v = q;
        m->cap = nc;
    }
    m->v[m->n++] = s;
    return NULL;
}

static int cmp_svc(const void *a, const void *b)
{
    const rk_svc *x = a, *y = b;
    int c = memcmp(x->code, y->code, 6);
    return c ? c : (x->valid_from > y->valid_from) - (x->valid_from < y->valid_from);
}

void rk_master_done(rk_master *m)
{
    if (m->n)
        qsort(m->v, m->n, sizeof *m->v, cmp_svc);
}

const rk_svc *rk_master_find(const rk_master *m, const unsigned char *code, int yyyymm, int *known)
{
    size_t lo = 0, hi = m ? m->n : 0;
    while (lo < hi) { /* first row of the code */
        size_t mid = (lo + hi) / 2;
        if (memcmp(m->v[mid].code, code, 6) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (known)
        *known = lo < (m ? m->n : 0) && memcmp(m->v[lo].code, code, 6) == 0;
    for (size_t i = lo; m && i < m->n && memcmp(m->v[i].code, code, 6) == 0; i++)
        if (m->v[i].valid_from <= yyyymm && yyyymm <= m->v[i].valid_to)
            return &m->v[i];
    return NULL;
}

const char *rk_master_declare_complete(rk_master *m, const char *types)
{
    for (const char *p = types;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            return NULL;
        const char *e = p;
        while (*e && *e != ' ' && *e != '\t')
            e++;
        char t[7] = {0};
        if (e - p != 2)
            return "complete_types: service types are 2 characters, separated by spaces";
        memcpy(t, p, 2);
        memcpy(t + 2, "0000", 5);
        if (!code_ok(t))
            return "complete_types: a service type is digits and capital letters";
        char(*q)[2] = realloc(m->complete, (m->ncomplete + 1) * sizeof *q);
        if (!q)
            return "out of memory";
        m->complete = q;
        memcpy(q[m->ncomplete++], p, 2);
        p = e;
    }
}

int rk_master_covers(const rk_master *m, const unsigned char *code)
{
    for (size_t i = 0; m && i < m->ncomplete; i++)
        if (memcmp(m->complete[i], code, 2) == 0)
            return 1;
    return 0;
}

/* ---- offices ---------------------------------------------------------------- */

typedef struct office {
    char no[11];
    int grade;
} office;

struct rk_offices {
    office *v;
    size_t n, cap;
};

rk_offices *rk_offices_new(void)
{
    return calloc(1, sizeof(rk_offices));
}

void rk_offices_free(rk_offices *o)
{
    if (o) {
        free(o->v);
        free(o);
    }
}

const char *rk_offices_add(rk_offices *o, const char *no, const char *grade)
{
    office x;
    if (strlen(no) != 10)
        return "office_no must have 10 characters";
    if (parse_int(grade, 0, 7, &x.grade))
        return "grade must be 1-7 (級地) or 0 (その他)";
    memcpy(x.no, no, 11);
    if (o->n == o->cap) {
        size_t nc = o->cap ? o->cap * 2 : 64;
        office *q = realloc(o->v, nc * sizeof *q);
        if (!q)
            return "out of memory";
        o->v = q;
        o->cap = nc;
    }
    o->v[o->n++] = x;
    return NULL;
}

static int cmp_office(const void *a, const void *b)
{
    return memcmp(((const office *)a)->no, ((const office *)b)->no, 10);
}

void rk_offices_done(rk_offices *o)
{
    if (o->n)
        qsort(o->v, o->n, sizeof *o->v, cmp_office);
}

int rk_offices_grade(const rk_offices *o, const unsigned char *no)
{
    size_t lo = 0, hi = o ? o->n : 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = memcmp(o->v[mid].no, no, 10);
        if (c == 0)
            return o->v[mid].grade;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* ---- limits and prices ------------------------------------------------------ */

static const struct {
    int from; /* YYYYMM */
    char level[3];
    int units;
} limits[] = {
    /* since 2019-10 (billing-rules.md §3.1) */
    {201910, "06", 5032}, /* 事業対象者: 要支援1 as the usual guide [U] */
    {201910, "12", 5032},  {201910, "13", 10531}, {201910, "21", 16765}, {201910, "22", 19705},
    {201910, "23", 27048}, {201910, "24", 30938}, {201910, "25", 36217},
};

int rk_limit_units(const unsigned char *level2, int yyyymm)
{
    int best = -1, best_from = 0;
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
        if (memcmp(limits[i].level, level2, 2) == 0 && limits[i].from <= yyyymm && limits[i].from >= best_from) {
            best = limits[i].units;
            best_from = limits[i].from;
        }
    return best;
}

static const struct {
    int from, to;      /* service months YYYYMM */
    short price[8][3]; /* [grade 0..7][70%, 55%, 45%] in hundredths; grade 0 = その他 */
} prices[] = {
    {202404,
     202703,
     {{1000, 1000, 1000},
      {1140, 1110, 1090},
      {1112, 1088, 1072},
      {1105, 1083, 1068},
      {1084, 1066, 1054},
      {1070, 1055, 1045},
      {1042, 1033, 1027},
      {1021, 1017, 1014}}},
};

int rk_unit_price(int grade, int wage_share, int yyyymm)
{
    if (grade < 0 || grade > 7)
        return -1;
    for (size_t i = 0; i < sizeof prices / sizeof prices[0]; i++) {
        if (yyyymm < prices[i].from || yyyymm > prices[i].to)
            continue;
        switch (wage_share) {
        case 70: return prices[i].price[grade][0];
        case 55: return prices[i].price[grade][1];
        case 45: return prices[i].price[grade][2];
        case 0: return 1000; /* 居宅療養管理指導, 福祉用具貸与: always 10円 */
        default: return -1;
        }
    }
    return -1;
}

int rk_svc_type_yobo(const unsigned char *t)
{
    static const char yobo[][3] = {"24", "25", "26", "2B", "34", "35", "37", "39", "46", "61",
                                   "62", "63", "64", "65", "66", "67", "69", "74", "75"};
    if (t[0] == 'A')
        return 1; /* 総合事業 */
    for (size_t i = 0; i < sizeof yobo / sizeof yobo[0]; i++)
        if (yobo[i][0] == t[0] && yobo[i][1] == t[1])
            return 1;
    return 0;
}
