/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gen_corpus month — a month of the exchange as its offices send it, for the
 * tests of `renkei check` and the benchmarks: U users, C care managers
 * (居宅介護支援, 43) and P providers (訪問介護 11, 通所介護 15, 福祉用具貸与 17 in
 * turn; provider 0 has two satellites). Per care manager and provider of a
 * user, a send unit UPPLAN + UPSIKYU + UPHOSOKU with the user's whole plan
 * (every provider's services: a copy per provider); per provider and care
 * manager, the 実績 (UPJSK). Then what a real month holds beside:
 *
 *   u % 10 == 1   the plan re-sent later with one more day (all copies);
 *   u % 10 == 2   the last provider dropped: DLTPLAN to it, the plan re-sent
 *                 to the others without it, no 実績 from it;
 *   u % 10 == 3   the first provider's 実績 re-sent corrected (the first had +50 units);
 *   u % 20 == 4   the first provider's 実績 sent wrong (an extra day),
 *                 deleted (DLTJSK), sent again right;
 *   u % 20 == 14  the first provider's 実績 deleted and not sent again;
 *   福祉用具 rentals planned on the 1st and delivered on the 3rd (a code of the month).
 *
 * All of that is clean. Six defects are planted, each on the first user it
 * fits, and written with their places to OUT_DIR.expected.tsv (rule, file,
 * record, item, value, expected; empty value and expected are not compared):
 * a day not planned (the visit moved a day), units over the plan (+100, the
 * cut in units and yen), 12P3 (a limit of 100 units), a 第7表 費用総額 off by
 * one yen, a person with no plan (保留) and a visit sent twice.
 * OUT_DIR.offices.csv holds the offices' 級地 for `check --offices`.
 *
 * usage: gen_corpus month OUT_DIR USERS CARE_MANAGERS PROVIDERS
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gen_month.h"
#include "renkei.h"

#define V "202407"
#define M "202511"
#define INSURER "131011"
#define MAXP 3 /* providers per user */

static const char *const letters = "ABCDEFGHJKLMNPRSTUVWXYZ";

/* The Japanese text of the records, in MS932 (encode_texts). */
static char J_PERSON[32], J_OFFICE[32], J_KANA[32], J_NAME[32], J_TOOL1[48], J_TOOL2[32];

static void encode(char *dst, size_t cap, const char *utf8)
{
    size_t w;
    if (rk_ms932_from_utf8(utf8, strlen(utf8), dst, cap - 1, &w, NULL, NULL, NULL) != RK_OK)
        abort();
    dst[w] = 0;
}

static void encode_texts(void)
{
    encode(J_PERSON, sizeof J_PERSON, "山本 恵子");
    encode(J_OFFICE, sizeof J_OFFICE, "事業所");
    encode(J_KANA, sizeof J_KANA, "ヤマダ ハナコ");
    encode(J_NAME, sizeof J_NAME, "山田 花子");
    encode(J_TOOL1, sizeof J_TOOL1, "手すり（据置型）");
    encode(J_TOOL2, sizeof J_TOOL2, "歩行器");
}

/* 事業所番号 / 保険者番号 check digit (billing-rules.md §5): weights 2, 1, 2 ... from the right. */
static char check_digit(const char *body)
{
    size_t n = strlen(body);
    int total = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = body[n - 1 - i];
        int v = ch >= '0' && ch <= '9' ? ch - '0' : 10 + (int)(strchr(letters, ch) - letters);
        int p = v * (i % 2 == 0 ? 2 : 1);
        total += p / 10 + p % 10;
    }
    return (char)('0' + (10 - total % 10) % 10);
}

typedef struct office {
    char no[11], type[3];
    int grade;
} office;

typedef struct user {
    char no[11];
    int cm, np, prov[MAXP]; /* providers, in the order the plan lists them */
    int dropped;            /* index into prov of the provider dropped (u % 10 == 2), -1 none */
    int defect;             /* enum defect, or D_NONE */
} user;

enum defect { D_NONE, D_DAY, D_UNITS, D_12P3, D_YEN, D_DUP, D_COUNT };

typedef struct gen {
    const char *dir;
    int nu, nc, np;
    office *cm, *pv;
    user *u;
    FILE *exp;
    int hold_provider; /* sends the 実績 of a person with no plan to care manager 0 */
    unsigned long long files, records, bytes;
} gen;

/* One output file: rows go out as they are made; the record count gives places. */
typedef struct out {
    FILE *f;
    char name[96];
    unsigned long long nrec;
} out;

static void die(const char *what)
{
    fprintf(stderr, "gen_corpus month: %s: %s\n", what, strerror(errno));
    exit(3);
}

static void out_open(gen *g, out *o, const char *kind, const office *from, const office *to, const char *serial)
{
    snprintf(o->name, sizeof o->name, "%s_%s_%s_%s_%s_%s_%s.CSV", kind, M, from->no, from->type, to->no, to->type,
             serial);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", g->dir, o->name);
    o->f = fopen(path, "wb");
    if (!o->f)
        die(path);
    o->nrec = 0;
}

static void out_close(gen *g, out *o)
{
    long n = ftell(o->f);
    if (fclose(o->f) != 0)
        die(o->name);
    g->files++;
    g->records += o->nrec;
    g->bytes += (unsigned long long)(n > 0 ? n : 0);
}

/* A record (items already joined by commas), CRLF-terminated; its record number. */
static unsigned long long row(out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(o->f, fmt, ap);
    va_end(ap);
    fputs("\r\n", o->f);
    return ++o->nrec;
}

static void expect(gen *g, const char *rule, const out *o, unsigned long long rec, unsigned item, const char *value,
                   const char *expected)
{
    fprintf(g->exp, "%s\t%s\t%llu\t%u\t%s\t%s\n", rule, o->name, rec, item, value ? value : "",
            expected ? expected : "");
}

/* A ファイル連番 on a day of a month of 2025, the index as the time of day. */
static void serial(char out[15], int month, int day, int index)
{
    snprintf(out, 15, "2025%02d%02d%02d%02d%02d", month, day, index / 3600 % 24, index / 60 % 60, index % 60);
}

/* ---- services ---------------------------------------------------------------------- */

typedef struct svc {
    const char *code;
    int units, day, count;
    const char *start, *end, *sat, *tais, *tool;
} svc;

/* The rows user u has at its provider i (revised: the re-sent plan, one day more at the first provider). */
static int services(const gen *g, const user *u, int ui, int i, int revised, svc *s)
{
    const office *p = &g->pv[u->prov[i]];
    int n = 0;
    if (strcmp(p->type, "17") == 0) {
        s[n++] = (svc){"171001", 300, 1, 1, "9999", "9999", "", "00001-000010", J_TOOL1};
        if (ui % 4 == 0)
            s[n++] = (svc){"171007", 300, 1, 1, "9999", "9999", "", "00002-000020", J_TOOL2};
        return n;
    }
    int eleven = strcmp(p->type, "11") == 0;
    int alt = (ui + i) % 2;
    int days = 3 + (ui + i) % 4 + (revised && i == 0);
    for (int d = 0; d < days; d++) {
        s[n] = eleven ? (svc){alt ? "111211" : "111111", alt ? 387 : 244, 0, 1, "0900", "0930", "", "", ""}
                      : (svc){alt ? "152442" : "152441", alt ? 777 : 658, 0, 1, "1000", "1600", "", "", ""};
        s[n].day = 1 + 4 * d + ui % 3;
        s[n].sat = u->prov[i] == 0 ? (d % 2 ? "02" : "01") : "";
        n++;
    }
    return n;
}

/* 単位数単価 in hundredths by 級地 (0 or 1) and service type (billing-rules.md §3). */
static int price_of(const office *p)
{
    if (p->grade == 0 || strcmp(p->type, "17") == 0)
        return 1000;
    return strcmp(p->type, "11") == 0 ? 1140 : 1090;
}

/* ---- the care manager's send units ------------------------------------------------------ */

/* Which plan of a user stands: the newest 連番, to the lowest provider number. */
enum version { V_FIRST, V_REVISED, V_FRESH };

static int standing_version(const user *u, int ui)
{
    return ui % 10 == 1 ? V_REVISED : u->dropped >= 0 ? V_FRESH : V_FIRST;
}

static int in_version(const user *u, int i, int version)
{
    return version != V_FRESH || i != u->dropped;
}

/* The provider the standing copy went to. */
static int standing_receiver(const user *u, int ui)
{
    int best = -1, v = standing_version(u, ui);
    for (int i = 0; i < u->np; i++)
        if (in_version(u, i, v) && (best < 0 || u->prov[i] < best))
            best = u->prov[i];
    return best;
}

static void plan_rows(gen *g, out *o, const user *u, int ui, int version, int standing)
{
    svc s[16];
    for (int i = 0; i < u->np; i++) {
        if (!in_version(u, i, version))
            continue;
        int n = services(g, u, ui, i, version == V_REVISED, s);
        const office *p = &g->pv[u->prov[i]];
        for (int k = 0; k < n; k++) {
            unsigned long long rec =
                row(o, "%s,%s,%s,20251020,%s,%s,\"%s\",%d,,%s%02d,,%s,%s,%d,%s,%s,,\"%s\",,%s,\"%s\",%s,0,%s,", V,
                    INSURER, u->no, M, g->cm[u->cm].no, J_PERSON, s[k].units, M, s[k].day, s[k].start, s[k].end,
                    s[k].count, s[k].code, s[k].tais, s[k].tool, p->no, J_OFFICE, s[k].sat, g->cm[u->cm].no);
            if (standing && i == 0 && k == 0 && u->defect == D_DAY)
                expect(g, "RK-CHK-002", o, rec, 15, NULL, NULL); /* its visit went to the next day */
        }
    }
}

/* The 第7表 of a version: a row per office, satellite and code, a subtotal per
 * type with several rows, the total. */
static void sikyu_rows(gen *g, out *o, const user *u, int ui, int version, int standing)
{
    svc s[16];
    long long all_units = 0, all_cost = 0, all_claim = 0;
    int first = 1;
    for (int i = 0; i < u->np; i++) {
        if (!in_version(u, i, version))
            continue;
        const office *p = &g->pv[u->prov[i]];
        int n = services(g, u, ui, i, version == V_REVISED, s), price = price_of(p), nrows = 0;
        long long type_units = 0, type_cost = 0, type_claim = 0;
        for (int k = 0; k < n; k++) {
            int seen = 0; /* one row per (satellite, code): the first of them sums the rest */
            for (int q = 0; q < k && !seen; q++)
                seen = strcmp(s[q].code, s[k].code) == 0 && strcmp(s[q].sat, s[k].sat) == 0;
            if (seen)
                continue;
            long long count = 0, amount = 0;
            for (int q = k; q < n; q++)
                if (strcmp(s[q].code, s[k].code) == 0 && strcmp(s[q].sat, s[k].sat) == 0) {
                    count += s[q].count;
                    amount += (long long)s[q].units * s[q].count;
                }
            long long cost = amount * price / 100;
            if (first && u->defect == D_YEN)
                cost++; /* off by one yen; the claim and the user's share follow from it */
            long long claim = cost * 90 / 100;
            unsigned long long rec =
                row(o,
                    "%s,%s,%s,20251020,%s,\"%s\",%s,%s,%s,%s,,\"%s\",%d,,,%lld,%lld,%lld,,,,%lld,%d.%02d,%lld,90,%lld,,"
                    "%lld,0,,,,0,,,%s,",
                    V, INSURER, u->no, M, J_OFFICE, p->no, s[k].sat, s[k].code, s[k].tais, s[k].tool, s[k].units, count,
                    amount, amount, amount, price / 100, price % 100, cost, claim, cost - claim, g->cm[u->cm].no);
            if (standing && first && u->defect == D_YEN) {
                char v[32], e[32];
                snprintf(v, sizeof v, "%lld", cost);
                snprintf(e, sizeof e, "%lld", cost - 1);
                expect(g, "RK-CHK-024", o, rec, 24, v, e);
            }
            first = 0;
            nrows++;
            type_units += amount;
            type_cost += cost;
            type_claim += claim;
        }
        if (nrows > 1)
            row(o, "%s,%s,%s,20251020,%s,\"\",%s,,%sAAAA,,,\"\",0,,,0,%lld,%lld,,,,%lld,,%lld,,%lld,,%lld,0,,,,0,,,%s,",
                V, INSURER, u->no, M, p->no, p->type, type_units, type_units, type_units, type_cost, type_claim,
                type_cost - type_claim, g->cm[u->cm].no);
        all_units += type_units;
        all_cost += type_cost;
        all_claim += type_claim;
    }
    row(o, "%s,%s,%s,20251020,%s,\"\",9999999999,,999999,,,\"\",0,,,0,%lld,%lld,,,,%lld,,%lld,,%lld,,%lld,0,,,,0,,,%s,",
        V, INSURER, u->no, M, all_units, all_units, all_units, all_cost, all_claim, all_cost - all_claim,
        g->cm[u->cm].no);
}

static void hosoku_row(gen *g, out *o, const user *u, int standing)
{
    const char *limit = u->defect == D_12P3 ? "100" : "27048";
    char slots[40] = {0};
    memset(slots, ',', 35); /* 36 empty items of the per-type limits */
    unsigned long long rec =
        row(o,
            "%s,%s,%s,00000000,\"%s\",\"%s\",1,19400101,,\"\",\"\",,,20250401,20260331,2,,23,%s,%s,0,"
            "0,0,,%s,%s,,%s",
            V, INSURER, u->no, J_KANA, J_NAME, limit, slots, g->cm[u->cm].no, g->cm[u->cm].no, M);
    if (standing && u->defect == D_12P3)
        expect(g, "RK-CHK-013", o, rec, 19, NULL, "100");
}

/* Users of care manager c with provider p in a version (and, for V_FIRST, all). */
static int in_unit(const user *u, int ui, int p, int version)
{
    for (int i = 0; i < u->np; i++)
        if (u->prov[i] == p && in_version(u, i, version))
            return version == V_FIRST || (version == V_REVISED && ui % 10 == 1) ||
                   (version == V_FRESH && u->dropped >= 0);
    return 0;
}

static void plan_unit(gen *g, int c, int p, int version, const char *ser)
{
    int any = 0;
    for (int ui = c; ui < g->nu && !any; ui += g->nc)
        any = in_unit(&g->u[ui], ui, p, version);
    if (!any)
        return;
    static const char *const kinds[] = {"UPPLAN", "UPSIKYU", "UPHOSOKU"};
    for (int k = 0; k < 3; k++) {
        out o;
        out_open(g, &o, kinds[k], &g->cm[c], &g->pv[p], ser);
        for (int ui = c; ui < g->nu; ui += g->nc) {
            const user *u = &g->u[ui];
            if (!in_unit(u, ui, p, version))
                continue;
            int standing = version == standing_version(u, ui) && p == standing_receiver(u, ui);
            if (k == 0)
                plan_rows(g, &o, u, ui, version, standing);
            else if (k == 1)
                sikyu_rows(g, &o, u, ui, version, standing);
            else
                hosoku_row(g, &o, u, standing);
        }
        out_close(g, &o);
    }
}

static void plans(gen *g)
{
    for (int c = 0; c < g->nc; c++)
        for (int p = 0; p < g->np; p++) {
            char s1[15], s2[15], s3[15];
            serial(s1, 10, 25, c);
            serial(s2, 10, 28, c);
            serial(s3, 10, 30, c);
            plan_unit(g, c, p, V_FIRST, s1);
            plan_unit(g, c, p, V_REVISED, s2);
            plan_unit(g, c, p, V_FRESH, s3);
            out o = {0};
            for (int ui = c; ui < g->nu; ui += g->nc) { /* DLTPLAN to the provider dropped */
                const user *u = &g->u[ui];
                if (u->dropped < 0 || u->prov[u->dropped] != p)
                    continue;
                if (!o.f)
                    out_open(g, &o, "DLTPLAN", &g->cm[c], &g->pv[p], s3);
                row(&o, "%s,%s,%s,%s", V, INSURER, u->no, M);
            }
            if (o.f)
                out_close(g, &o);
        }
}

/* ---- the providers' 実績 ------------------------------------------------------------- */

enum send { S_FIRST, S_RESENT, S_DELETE, S_AGAIN };

/* The 実績 of user u at its provider i in a send, as the provider wrote it. */
static void actual_rows(gen *g, out *o, const user *u, int ui, int i, int send)
{
    svc s[16];
    int n = services(g, u, ui, i, ui % 10 == 1, s);
    const office *p = &g->pv[u->prov[i]];
    int wrong = send == S_FIRST && i == 0 && (ui % 10 == 3 || ui % 20 == 4);
    if (wrong && ui % 20 == 4 && n < 16 && strcmp(p->type, "17") != 0) { /* an extra day, later deleted */
        s[n] = s[n - 1];
        s[n++].day = 28;
    }
    unsigned long long first_rec = 0;
    for (int k = 0; k < n; k++) {
        int units = s[k].units + (wrong && ui % 10 == 3 && k == 0 ? 50 : 0);
        int day = strcmp(p->type, "17") == 0 ? 3 : s[k].day; /* rentals delivered on the 3rd */
        int plain = send == S_FIRST && i == 0 && k == 0;
        if (plain && u->defect == D_DAY)
            day++;
        if (plain && u->defect == D_UNITS)
            units += 100;
        for (int twice = 0; twice < (plain && u->defect == D_DUP ? 2 : 1); twice++) {
            unsigned long long rec =
                row(o, "%s,%s,%s,20251203,%s,%s,\"%s\",%d,,%s%02d,,%s,%s,%d,%s,%s,,\"%s\",,%s,\"%s\",%s,0,%s,", V,
                    INSURER, u->no, M, g->cm[u->cm].no, J_PERSON, units, M, day, s[k].start, s[k].end, s[k].count,
                    s[k].code, s[k].tais, s[k].tool, p->no, J_OFFICE, s[k].sat, p->no);
            if (!first_rec)
                first_rec = rec;
        }
        if (!plain)
            continue;
        char v[32], e[32];
        if (u->defect == D_DAY)
            expect(g, "RK-CHK-001", o, first_rec, 15, NULL, NULL);
        if (u->defect == D_UNITS) {
            snprintf(v, sizeof v, "%d", units);
            snprintf(e, sizeof e, "%d", s[k].units);
            expect(g, "RK-CHK-005", o, first_rec, 8, v, e);
            snprintf(e, sizeof e, "%d yen", 100 * price_of(p) / 100);
            expect(g, "RK-CHK-012", o, first_rec, 0, "100 units", e);
        }
        if (u->defect == D_DUP) {
            expect(g, "RK-CHK-003", o, first_rec, 14, "2", "1");
            snprintf(v, sizeof v, "%d units", s[k].units);
            snprintf(e, sizeof e, "%d yen", s[k].units * price_of(p) / 100);
            expect(g, "RK-CHK-012", o, first_rec, 0, v, e);
        }
    }
}

/* Whether user u's provider i sends in this send. */
static int sends(const user *u, int ui, int i, int send)
{
    if (i == u->dropped)
        return 0;
    switch (send) {
    case S_FIRST: return 1;
    case S_RESENT: return i == 0 && ui % 10 == 3;
    case S_DELETE: return i == 0 && (ui % 20 == 4 || ui % 20 == 14);
    default: return i == 0 && ui % 20 == 4;
    }
}

static void actual_send(gen *g, int p, int c, int send)
{
    static const int day[] = {3, 4, 5, 6};
    char ser[15];
    serial(ser, 12, day[send], p);
    out o = {0};
    for (int ui = c; ui < g->nu; ui += g->nc) {
        const user *u = &g->u[ui];
        for (int i = 0; i < u->np; i++) {
            if (u->prov[i] != p || !sends(u, ui, i, send))
                continue;
            if (!o.f)
                out_open(g, &o, send == S_DELETE ? "DLTJSK" : "UPJSK", &g->pv[p], &g->cm[c], ser);
            if (send == S_DELETE)
                row(&o, "%s,%s,%s,%s,%s,%s", V, INSURER, u->no, M, g->pv[p].no, g->pv[p].type);
            else
                actual_rows(g, &o, u, ui, i, send);
        }
    }
    if (send == S_FIRST && c == 0 && p == g->hold_provider) { /* a person no care manager planned: 保留 */
        if (!o.f)
            out_open(g, &o, "UPJSK", &g->pv[p], &g->cm[c], ser);
        unsigned long long rec =
            row(&o, "%s,%s,%010d,20251203,%s,%s,\"%s\",658,,%s05,,1000,1600,1,152441,,,\"\",,%s,\"%s\",,0,%s,", V,
                INSURER, 1999999999, M, g->cm[0].no, J_PERSON, M, g->pv[p].no, J_OFFICE, g->pv[p].no);
        expect(g, "RK-CHK-010", &o, rec, 0, NULL, NULL);
    }
    if (o.f)
        out_close(g, &o);
}

/* ---- the month ---------------------------------------------------------------------- */

static void make_offices(gen *g)
{
    g->cm = calloc((size_t)g->nc, sizeof *g->cm);
    g->pv = calloc((size_t)g->np, sizeof *g->pv);
    if (!g->cm || !g->pv)
        die("memory");
    static const char *const types[] = {"11", "15", "17"};
    for (int c = 0; c < g->nc; c++) {
        snprintf(g->cm[c].no, 10, "1310%05d", c + 1);
        g->cm[c].no[9] = check_digit(g->cm[c].no);
        memcpy(g->cm[c].type, "43", 3);
    }
    for (int p = 0; p < g->np; p++) {
        snprintf(g->pv[p].no, 10, "1371%05d", p + 1);
        g->pv[p].no[9] = check_digit(g->pv[p].no);
        memcpy(g->pv[p].type, types[p % 3], 3);
        g->pv[p].grade = p % 2; /* その他 and 1級地 in turn */
    }
    g->hold_provider = g->np > 1 ? 1 : 0;
}

static void make_users(gen *g)
{
    g->u = calloc((size_t)g->nu, sizeof *g->u);
    if (!g->u)
        die("memory");
    int taken[D_COUNT] = {0};
    for (int ui = 0; ui < g->nu; ui++) {
        user *u = &g->u[ui];
        snprintf(u->no, sizeof u->no, "%010d", 1000000000 + ui);
        u->cm = ui % g->nc;
        int want = 1 + ui % MAXP;
        if (want > g->np)
            want = g->np;
        /* a care manager works with a dozen offices' worth of providers, as in life */
        int p = (u->cm * 5 + (ui / g->nc) % 12 * 3) % g->np;
        for (int i = 0; i < want; i++) {
            for (int tries = 0;; tries++, p = (p + 1) % g->np) {
                int dup = 0;
                for (int q = 0; q < u->np; q++)
                    dup |= u->prov[q] == p;
                if (!dup)
                    break;
            }
            u->prov[u->np++] = p;
            p = (p + 7) % g->np;
        }
        u->dropped = ui % 10 == 2 && u->np > 1 ? u->np - 1 : -1;
        /* defects on users of no other case, the first each fits */
        const office *first = &g->pv[u->prov[0]];
        int visits = strcmp(first->type, "17") != 0 && u->prov[0] != 0;
        static const struct {
            int rem, kind, visits;
        } plant[] = {{5, D_DAY, 1}, {6, D_UNITS, 1}, {7, D_12P3, 0}, {8, D_YEN, 0}, {9, D_DUP, 1}};
        for (size_t k = 0; k < sizeof plant / sizeof plant[0]; k++)
            if (ui % 10 == plant[k].rem && !taken[plant[k].kind] && (visits || !plant[k].visits) &&
                (plant[k].kind != D_YEN || u->prov[0] != 0)) {
                u->defect = plant[k].kind;
                taken[plant[k].kind] = 1;
            }
    }
}

/* A count argument: a whole number 1-99999999, else 0 (refused). */
static int count_arg(const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    return errno || end == s || *end || v < 1 || v > 99999999 ? 0 : (int)v;
}

int gen_month(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: gen_corpus month OUT_DIR USERS CARE_MANAGERS PROVIDERS\n");
        return 2;
    }
    gen g;
    memset(&g, 0, sizeof g);
    g.dir = argv[2];
    g.nu = count_arg(argv[3]);
    g.nc = count_arg(argv[4]);
    g.np = count_arg(argv[5]);
    if (g.nu < 1 || g.nc < 1 || g.np < 1 || g.nc > 99999 || g.np > 99999) {
        fprintf(stderr, "gen_corpus month: USERS, CARE_MANAGERS and PROVIDERS must be 1-99999\n");
        return 2;
    }
    if (mkdir(g.dir, 0777) != 0 && errno != EEXIST)
        die(g.dir);
    char path[4096];
    snprintf(path, sizeof path, "%s.expected.tsv", g.dir);
    g.exp = fopen(path, "w");
    if (!g.exp)
        die(path);
    encode_texts();
    make_offices(&g);
    make_users(&g);
    plans(&g);
    for (int p = 0; p < g.np; p++)
        for (int c = 0; c < g.nc; c++)
            for (int send = S_FIRST; send <= S_AGAIN; send++)
                actual_send(&g, p, c, send);
    if (fclose(g.exp) != 0)
        die("expected.tsv");
    snprintf(path, sizeof path, "%s.offices.csv", g.dir);
    FILE *of = fopen(path, "w");
    if (!of)
        die(path);
    fputs("office_no,grade\n", of);
    for (int p = 0; p < g.np; p++)
        fprintf(of, "%s,%d\n", g.pv[p].no, g.pv[p].grade);
    if (fclose(of) != 0)
        die(path);
    fprintf(stderr, "gen_corpus month: %llu files, %llu records, %llu bytes\n", g.files, g.records, g.bytes);
    free(g.cm);
    free(g.pv);
    free(g.u);
    return 0;
}
