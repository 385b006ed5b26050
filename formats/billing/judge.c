/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The billing judgement of one person-month (judge.h). Item numbers of the
 * findings are the 第6表 / 第7表 / 補足 items the values were read from.
 */
#include "judge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 第6表 items a finding points at (careplan-csv.md §3.6; the same in both layouts). */
enum { ITEM_UNITS = 8, ITEM_DATE = 10, ITEM_START = 12, ITEM_COUNT = 14, ITEM_CODE = 15 };
/* 第7表 item of the サービス事業所コード. */
enum { ITEM_SIKYU_OFFICE = 7 };

void rk_judge_init(rk_judge *j, const rk_master *m, const rk_offices *o, const rk_judge_sink *sink)
{
    memset(j, 0, sizeof *j);
    j->m = m;
    j->o = o;
    j->sink = *sink;
}

void rk_judge_free(rk_judge *j)
{
    free(j->claims);
    j->claims = NULL;
    j->claims_cap = 0;
}

int rk_benefit_is_sum(const char code[6])
{
    return rk_sikyu_row_kind((const unsigned char *)code) != RK_SIKYU_SERVICE;
}

static void say(rk_judge *j, uint32_t rule, const rk_row_place *at, uint32_t field, const char *value,
                const char *expected)
{
    j->sink.finding(j->sink.ctx, rule, at, field, value, expected);
}

/* A text made of bytes of the data, as an expected value: control bytes shown as '?', so
 * that none is taken for the separator of the languages (RK_JA_EN_SEP). */
static char *data_text(char *s)
{
    for (char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = '?';
    return s;
}

static void say_num(rk_judge *j, uint32_t rule, const rk_row_place *at, uint32_t field, int64_t got, int64_t want)
{
    char g[32], w[32];
    snprintf(g, sizeof g, "%lld", (long long)got);
    snprintf(w, sizeof w, "%lld", (long long)want);
    say(j, rule, at, field, g, w);
}

static const rk_svc *find_svc(rk_judge *j, const char code[6], int ym, int *known)
{
    /* direct-mapped on the code's last bytes (サービス項目: they differ between codes) */
    rk_judge_memo *x = &j->memo[((unsigned char)code[5] * 7u + (unsigned char)code[4]) % RK_JUDGE_MEMO];
    if (x->ym != ym || memcmp(x->code, code, 6) != 0) {
        x->svc = rk_master_find(j->m, (const unsigned char *)code, ym, &x->known);
        memcpy(x->code, code, 6);
        x->ym = ym;
    }
    if (known)
        *known = x->known;
    return x->svc;
}

static int month_of(const char pm[22])
{
    int v = 0;
    for (int i = 16; i < 22; i++)
        v = v * 10 + (pm[i] >= '0' && pm[i] <= '9' ? pm[i] - '0' : 0);
    return v;
}

/* The unit price of an office for a code, in hundredths; -1 when unknown. */
static int price_of(const rk_judge *j, const char office[10], const rk_svc *s, int ym)
{
    int g = rk_offices_grade(j->o, (const unsigned char *)office);
    return g < 0 || !s ? -1 : rk_unit_price(g, s->wage_share, ym);
}

/* Checks one 第6表 row against the master and the person's 補足. */
static const rk_svc *code_rules(rk_judge *j, const rk_day_row *r, const rk_person_row *h, int ym, unsigned code_item,
                                unsigned date_item)
{
    int known = 0;
    const rk_svc *s = find_svc(j, r->code, ym, &known);
    char code[7] = {0};
    memcpy(code, r->code, 6);
    if (!s) {
        uint32_t rule = known                                                 ? RK_R_CHK_CODE_PERIOD
                        : rk_master_covers(j->m, (const unsigned char *)code) ? RK_R_CHK_CODE_UNKNOWN
                                                                              : RK_R_CHK_CODE_UNCOVERED;
        say(j, rule, &r->at, code_item, code, NULL);
        return NULL;
    }
    if (h && h->level[0] != ' ') {
        int yobo = rk_svc_type_yobo((const unsigned char *)r->code);
        int shien = memcmp(h->level, "06", 2) == 0 || memcmp(h->level, "12", 2) == 0 || memcmp(h->level, "13", 2) == 0;
        int kaigo = h->level[0] == '2';
        if ((yobo && kaigo) || (!yobo && shien))
            say(j, RK_R_CHK_LEVEL, &r->at, code_item, code,
                yobo ? RK_JA_EN("要支援・事業対象者のみ", "要支援 or 事業対象者 only")
                     : RK_JA_EN("要介護1-5のみ", "要介護1-5 only"));
    }
    if (h && ((h->from[0] && rk_keycmp(r->date, h->from, 8) < 0) || (h->to[0] && rk_keycmp(r->date, h->to, 8) > 0))) {
        char d[9] = {0}, per[20];
        memcpy(d, r->date, 8);
        snprintf(per, sizeof per, "%.8s-%.8s", h->from[0] ? h->from : "", h->to[0] ? h->to : "");
        say(j, RK_R_CHK_PERIOD, &r->at, date_item, d, data_text(per));
    }
    return s;
}

/* A monthly code and its 日割 code for one office in one month. */
static void daily_rule(rk_judge *j, const rk_day_row *const *v, size_t n, int ym, unsigned code_item)
{
    for (size_t i = 0; i < n; i++) {
        const rk_svc *s = find_svc(j, v[i]->code, ym, NULL);
        const char *of = s && s->daily_of[0] ? s->daily_of : NULL;
        if (!of)
            continue;
        for (size_t k = 0; k < n; k++)
            if (memcmp(v[k]->office, v[i]->office, 10) == 0 && memcmp(v[k]->code, of, 6) == 0) {
                char code[7] = {0};
                memcpy(code, v[i]->code, 6);
                say(j, RK_R_CHK_DAILY, &v[i]->at, code_item, code, of);
                break;
            }
    }
}

typedef struct claim { /* one (office, type) of a person-month */
    char office[10], type[2];
    int64_t planned, actual;
    int64_t planned_over; /* units the 第7表 already gives to 全額負担 (区分支給限度基準超) */
    int has_plan_rows, has_actual;
    int price; /* hundredths, -1 unknown */
    const rk_day_row *first_actual;
} claim;

/* Room for one more claim; 0 (the judge's oom set) when memory runs out. */
static __attribute__((noinline)) int grow_claims(rk_judge *j)
{
    size_t cap = j->claims_cap ? 2 * j->claims_cap : 16;
    claim *c = realloc(j->claims, cap * sizeof *c);
    if (!c) {
        j->oom = 1;
        return 0;
    }
    j->claims = c;
    j->claims_cap = cap;
    return 1;
}

/* The claim of (office, type), added when new; NULL when memory runs out
 * (the judge's oom is then set). */
static inline claim *claim_of(rk_judge *j, size_t *n, const char office[10], const char type[2])
{
    claim *c = j->claims;
    for (size_t i = 0; i < *n; i++)
        if (memcmp(c[i].office, office, 10) == 0 && memcmp(c[i].type, type, 2) == 0)
            return &c[i];
    if (*n == j->claims_cap && !grow_claims(j))
        return NULL;
    claim *x = &((claim *)j->claims)[(*n)++];
    memset(x, 0, sizeof *x);
    memcpy(x->office, office, 10);
    memcpy(x->type, type, 2);
    x->price = -1;
    return x;
}

/* The rows of the person-month being judged. */
typedef struct pm_rows {
    const rk_day_row *const *P, *const *A;
    const rk_benefit_row *const *S;
    size_t np, na, ns;
    const rk_person_row *h;
    const char *pm;
    int ym;
} pm_rows;

/* Keys of the join: office + code + date, or office + code for a code of
 * the month (1月につき), matched per month, whatever its days. */
enum { KEY_DAY = 24, KEY_MONTH = 16 };

static size_t join_key(rk_judge *j, const rk_day_row *r, int ym)
{
    const rk_svc *s = find_svc(j, r->code, ym, NULL);
    return s && s->unit_kind == RK_PER_MONTH ? KEY_MONTH : KEY_DAY;
}

/* The join of plan and actual on (office, code, date): both lists are sorted that way. */
static void join_days(rk_judge *j, const pm_rows *m)
{
    const rk_day_row *const *P = m->P, *const *A = m->A;
    size_t np = m->np, na = m->na, i = 0, k = 0, kl = KEY_DAY;
    const char *last = NULL; /* the code kl was found for: groups of one code follow each other */
    while (i < np || k < na) {
        const rk_day_row *lead = i == np                                               ? A[k]
                                 : k == na                                             ? P[i]
                                 : rk_keycmp(P[i]->office, A[k]->office, KEY_DAY) <= 0 ? P[i]
                                                                                       : A[k];
        if (!last || memcmp(last, lead->code, 6) != 0) {
            kl = join_key(j, lead, m->ym);
            last = lead->code;
        }
        int c = i == np ? 1 : k == na ? -1 : rk_keycmp(P[i]->office, A[k]->office, kl);
        size_t i2 = i, k2 = k;
        int pc = 0, ac = 0;
        if (c <= 0)
            while (i2 < np && rk_keycmp(P[i2]->office, P[i]->office, kl) == 0)
                pc += P[i2++]->count;
        if (c >= 0)
            while (k2 < na && rk_keycmp(A[k2]->office, A[k]->office, kl) == 0)
                ac += A[k2++]->count;
        char code[7] = {0};
        if (c > 0) { /* actual without plan; with no plan at all it is 保留 (settle_claims) */
            memcpy(code, A[k]->code, 6);
            if (np || m->ns)
                say(j, RK_R_CHK_NO_PLAN, &A[k]->at, ITEM_CODE, code, NULL);
        } else if (c < 0) { /* plan without actual, when the office sent actuals for the person */
            int office_sent = 0;
            for (size_t t = 0; t < na && !office_sent; t++)
                office_sent = rk_keycmp(A[t]->office, P[i]->office, 10) == 0;
            memcpy(code, P[i]->code, 6);
            if (office_sent)
                say(j, RK_R_CHK_NO_ACTUAL, &P[i]->at, ITEM_CODE, code, NULL);
        } else {
            if (pc != ac)
                say_num(j, RK_R_CHK_COUNT, &A[k]->at, ITEM_COUNT, ac, pc);
            if (kl == KEY_DAY && rk_keycmp(P[i]->start, A[k]->start, 8) != 0) {
                char g[10], w[10];
                snprintf(g, sizeof g, "%.4s-%.4s", A[k]->start, A[k]->end);
                snprintf(w, sizeof w, "%.4s-%.4s", P[i]->start, P[i]->end);
                say(j, RK_R_CHK_TIME, &A[k]->at, ITEM_START, g, data_text(w));
            }
            if (P[i]->units != A[k]->units)
                say_num(j, RK_R_CHK_UNITS, &A[k]->at, ITEM_UNITS, A[k]->units, P[i]->units);
        }
        i = c <= 0 ? i2 : i;
        k = c >= 0 ? k2 : k;
    }
}

/* The claims per (office, service type): planned (給付管理, from the 第7表 as
 * sent, else from the 第6表) and actual units inside the limit. */
static size_t gather_claims(rk_judge *j, const pm_rows *m)
{
    size_t ncl = 0;
    for (size_t t = 0; t < m->na; t++) {
        const rk_day_row *a = m->A[t];
        const rk_svc *s = find_svc(j, a->code, m->ym, NULL);
        claim *x = claim_of(j, &ncl, a->office, a->code);
        if (!x)
            continue;
        if (!x->has_actual)
            x->first_actual = a;
        x->has_actual = 1;
        if (!s || s->limit_target)
            x->actual += (int64_t)a->units * a->count;
        if (x->price < 0)
            x->price = price_of(j, a->office, s, m->ym);
    }
    int seven = 0;
    for (size_t t = 0; t < m->ns; t++) {
        const rk_benefit_row *r = m->S[t];
        if (rk_benefit_is_sum(r->code))
            continue;
        seven = 1;
        claim *x = claim_of(j, &ncl, r->office, r->code);
        if (!x)
            continue;
        x->has_plan_rows = 1;
        if (r->have & (1u << RK_V_INSIDE))
            x->planned += r->v[RK_V_INSIDE];
        if (r->have & (1u << RK_V_OVER))
            x->planned_over += r->v[RK_V_OVER];
        if (x->price < 0 && (r->have & (1u << RK_V_PRICE)))
            x->price = (int)r->v[RK_V_PRICE];
    }
    for (size_t t = 0; t < m->np; t++) {
        const rk_day_row *p = m->P[t];
        const rk_svc *s = find_svc(j, p->code, m->ym, NULL);
        claim *x = claim_of(j, &ncl, p->office, p->code);
        if (!x)
            continue;
        x->has_plan_rows = 1;
        if (!seven && (!s || s->limit_target)) /* no 第7表 as sent: from the 第6表 */
            x->planned += (int64_t)p->units * p->count;
        if (x->price < 0)
            x->price = price_of(j, p->office, s, m->ym);
    }
    return ncl;
}

/* The 国保連 outcome of each claim (cut 事由A/B, 保留), reported to the sink;
 * returns the planned units of the person-month. */
static int64_t settle_claims(rk_judge *j, const pm_rows *m, const claim *cl, size_t ncl)
{
    int have_plan = m->np || m->ns;
    int64_t planned_total = 0;
    for (size_t t = 0; t < ncl; t++) {
        const claim *x = &cl[t];
        planned_total += x->planned;
        int64_t cut = 0, yen = 0;
        int held = 0;
        if (x->has_actual) {
            char v[64], e[64];
            if (!have_plan) {
                held = 1;
                say(j, RK_R_CHK_HOLD, &x->first_actual->at, 0, NULL, NULL);
            } else if (!x->has_plan_rows) {
                cut = x->actual;
            } else if (x->actual > x->planned + x->planned_over) {
                /* Units planned over the limit are the user's (全額負担), not claimed: no cut. */
                cut = x->actual - x->planned - x->planned_over;
            }
            if (cut) {
                yen = x->price >= 0 ? rk_cost(cut, x->price) : 0;
                snprintf(v, sizeof v, RK_JA_EN("%lld単位", "%lld units"), (long long)cut, (long long)cut);
                if (x->price >= 0)
                    snprintf(e, sizeof e, RK_JA_EN("%lld円", "%lld yen"), (long long)yen, (long long)yen);
                else
                    snprintf(e, sizeof e, RK_JA_EN("単価不明", "price unknown"));
                say(j, x->has_plan_rows ? RK_R_CHK_CUT_B : RK_R_CHK_CUT_A, &x->first_actual->at, 0, v, e);
            }
        }
        rk_claim_outcome out = {x->office, m->pm, x->type, x->planned, x->actual, cut, yen, held};
        j->sink.claim(j->sink.ctx, &out);
    }
    return planned_total;
}

/* 12P3 (区分支給限度) and 15P6 (種類支給限度) against the 補足. */
static void limit_rules(rk_judge *j, const pm_rows *m, const claim *cl, size_t ncl, int64_t planned_total)
{
    const rk_person_row *h = m->h;
    if (!h)
        return;
    int limit = h->limit >= 0 ? h->limit : rk_limit_units((const unsigned char *)h->level, m->ym);
    if (limit >= 0 && planned_total > limit)
        say_num(j, RK_R_CHK_12P3, &h->at, RK_PERSON_LIMIT, planned_total, limit);
    for (int s = 0; s < RK_PERSON_SLOTS; s++) {
        if (h->slot_type[s][0] == ' ' || h->slot_limit[s] < 0)
            continue;
        int64_t typed = 0;
        for (size_t t = 0; t < ncl; t++)
            if (memcmp(cl[t].type, h->slot_type[s], 2) == 0)
                typed += cl[t].planned;
        if (typed > h->slot_limit[s])
            say_num(j, RK_R_CHK_15P6, &h->at, RK_PERSON_SLOT + 1u + 4u * (unsigned)s, typed, h->slot_limit[s]);
    }
}

static int has(const rk_benefit_row *r, int v)
{
    return (r->have >> v) & 1u;
}

/* The unit price of a 第7表 row's office and code (hundredths), -1 unknown;
 * an office missing from the list is a finding. */
static int benefit_price(rk_judge *j, const rk_benefit_row *r, const rk_svc *s, int ym)
{
    if (!j->o)
        return -1;
    int g = rk_offices_grade(j->o, (const unsigned char *)r->office);
    if (g < 0) {
        char off[11] = {0};
        memcpy(off, r->office, 10);
        say(j, RK_R_CHK_OFFICE, &r->at, ITEM_SIKYU_OFFICE, off, NULL);
        return -1;
    }
    return s ? rk_unit_price(g, s->wage_share, ym) : -1;
}

/* The yen of a 第7表 row at a unit price: cost, claim, user's share, 全額負担. */
static void benefit_yen(rk_judge *j, const rk_benefit_row *r, int price)
{
    if (has(r, RK_V_COST) && has(r, RK_V_INSIDE)) {
        int64_t cost = rk_cost(r->v[RK_V_INSIDE], price);
        if (r->v[RK_V_COST] != cost)
            say_num(j, RK_R_CHK_7_COST, &r->at, rk_benefit_item(r, RK_V_COST), r->v[RK_V_COST], cost);
        if (has(r, RK_V_CLAIM) && has(r, RK_V_RATE)) {
            int64_t claimv = rk_claim(r->v[RK_V_COST], (int)r->v[RK_V_RATE], r->pm[6] == 'H');
            if (r->v[RK_V_CLAIM] != claimv)
                say_num(j, RK_R_CHK_7_CLAIM, &r->at, rk_benefit_item(r, RK_V_CLAIM), r->v[RK_V_CLAIM], claimv);
            if (has(r, RK_V_USER) && r->v[RK_V_USER] != r->v[RK_V_COST] - r->v[RK_V_CLAIM])
                say_num(j, RK_R_CHK_7_USER, &r->at, rk_benefit_item(r, RK_V_USER), r->v[RK_V_USER],
                        r->v[RK_V_COST] - r->v[RK_V_CLAIM]);
        }
    }
    if (has(r, RK_V_FULL) && has(r, RK_V_OVER)) {
        int64_t full = rk_cost(r->v[RK_V_OVER], price);
        if (r->v[RK_V_FULL] != full)
            say_num(j, RK_R_CHK_7_FULL, &r->at, rk_benefit_item(r, RK_V_FULL), r->v[RK_V_FULL], full);
    }
}

/* The 第7表 as sent, recomputed from the 第6表, the master and the unit price. */
static void recompute_benefit(rk_judge *j, const pm_rows *m)
{
    for (size_t t = 0; t < m->ns; t++) {
        const rk_benefit_row *r = m->S[t];
        if (rk_benefit_is_sum(r->code))
            continue;
        int64_t cnt = 0, amount = 0;
        for (size_t q = 0; q < m->np; q++) /* the site's rows: office, code and サテライト枝番 */
            if (rk_keycmp(m->P[q]->office, r->office, 16) == 0 && memcmp(m->P[q]->sat, r->sat, 2) == 0) {
                cnt += m->P[q]->count;
                amount += (int64_t)m->P[q]->units * m->P[q]->count;
            }
        if (has(r, RK_V_COUNT) && m->np && r->v[RK_V_COUNT] != cnt)
            say_num(j, RK_R_CHK_7_COUNT, &r->at, rk_benefit_item(r, RK_V_COUNT), r->v[RK_V_COUNT], cnt);
        if (has(r, RK_V_AMOUNT) && m->np && r->v[RK_V_AMOUNT] != amount)
            say_num(j, RK_R_CHK_7_AMOUNT, &r->at, rk_benefit_item(r, RK_V_AMOUNT), r->v[RK_V_AMOUNT], amount);
        const rk_svc *s = find_svc(j, r->code, m->ym, NULL);
        int price = benefit_price(j, r, s, m->ym);
        if (price >= 0 && has(r, RK_V_PRICE) && r->v[RK_V_PRICE] != price) {
            char g[48], w[16];
            snprintf(g, sizeof g, "%lld.%02lld", (long long)(r->v[RK_V_PRICE] / 100),
                     (long long)(r->v[RK_V_PRICE] % 100));
            snprintf(w, sizeof w, "%d.%02d", price / 100, price % 100);
            say(j, RK_R_CHK_7_PRICE, &r->at, rk_benefit_item(r, RK_V_PRICE), g, w);
        }
        /* The split: inside + over the limit is the row's units, for codes inside the limit. */
        if (s && s->limit_target && has(r, RK_V_AMOUNT) && has(r, RK_V_INSIDE)) {
            int64_t split = r->v[RK_V_INSIDE] + (has(r, RK_V_OVER) ? r->v[RK_V_OVER] : 0);
            if (split != r->v[RK_V_AMOUNT])
                say_num(j, RK_R_CHK_7_SPLIT, &r->at, rk_benefit_item(r, RK_V_INSIDE), split, r->v[RK_V_AMOUNT]);
        }
        if (price < 0 && has(r, RK_V_PRICE))
            price = (int)r->v[RK_V_PRICE]; /* taken as sent */
        if (price >= 0)
            benefit_yen(j, r, price);
    }
}

void rk_judge_person_month(rk_judge *j, const rk_day_row *const *P, size_t np, const rk_day_row *const *A, size_t na,
                           const rk_benefit_row *const *S, size_t ns, const rk_person_row *h)
{
    pm_rows m = {P, A, S, np, na, ns, h, np ? P[0]->pm : na ? A[0]->pm : ns ? S[0]->pm : h->pm, 0};
    m.ym = month_of(m.pm);
    /* Codes of plan and actual against the master and the 補足. */
    for (size_t i = 0; i < np; i++)
        code_rules(j, P[i], h, m.ym, ITEM_CODE, ITEM_DATE);
    for (size_t i = 0; i < na; i++)
        code_rules(j, A[i], h, m.ym, ITEM_CODE, ITEM_DATE);
    daily_rule(j, P, np, m.ym, ITEM_CODE);
    daily_rule(j, A, na, m.ym, ITEM_CODE);
    join_days(j, &m);
    size_t ncl = gather_claims(j, &m);
    const claim *cl = j->claims;
    int64_t planned_total = settle_claims(j, &m, cl, ncl);
    limit_rules(j, &m, cl, ncl, planned_total);
    recompute_benefit(j, &m);
}
