/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Totals for `renkei check` (check_internal.h): each claim added to its
 * partition's totals by office, insurer and service type; the month's
 * totals summed from the partitions (integers: no order matters); and their
 * text, JSON Lines and JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "../common/json.h"
#include "../common/text.h"
#include "check_internal.h"

static size_t total_slot(const part *p, const char key[12])
{
    size_t i = (size_t)XXH3_64bits(key, 12) & (p->tcap - 1);
    const rk_check_total *t = p->totals.v;
    while (p->tix[i] && memcmp(t[p->tix[i] - 1].key, key, 12) != 0)
        i = (i + 1) & (p->tcap - 1);
    return i;
}

/* Adds one claim to the partition's total of its office, insurer or type. */
static void add_total(part *p, char tag, const char *key, size_t klen, int64_t planned, int64_t actual, int64_t cut,
                      int64_t yen, int held)
{
    char k[12];
    memset(k, 0, sizeof k);
    k[0] = tag;
    memcpy(k + 1, key, klen < sizeof k - 2 ? klen : sizeof k - 2);
    if (2 * (p->totals.n + 1) > p->tcap) { /* grow and re-place the rows */
        size_t nc = p->tcap ? 2 * p->tcap : 64;
        uint32_t *x = calloc(nc, sizeof *x);
        if (!x) {
            p->oom = 1;
            return;
        }
        free(p->tix);
        p->tix = x;
        p->tcap = nc;
        const rk_check_total *t = p->totals.v;
        for (size_t r = 0; r < p->totals.n; r++)
            p->tix[total_slot(p, t[r].key)] = (uint32_t)(r + 1);
    }
    size_t i = total_slot(p, k);
    if (!p->tix[i]) {
        rk_check_total t;
        memset(&t, 0, sizeof t);
        memcpy(t.key, k, sizeof k);
        if (!rk_vec_push(&p->totals, &t)) {
            p->oom = 1;
            return;
        }
        p->tix[i] = (uint32_t)p->totals.n;
    }
    rk_check_total *t = &((rk_check_total *)p->totals.v)[p->tix[i] - 1];
    t->planned_units += planned;
    t->actual_units += actual;
    t->cut_units += cut;
    t->cut_yen += yen;
    t->held += (uint64_t)held;
    t->claims++;
}

/* The judge's sink: a claim goes to the totals of its office, insurer and type. */
void ck_part_claim(void *ctx, const rk_claim_outcome *c)
{
    part *p = ctx;
    add_total(p, 'O', c->office, 10, c->planned, c->actual, c->cut, c->cut_yen, c->held);
    add_total(p, 'I', c->insurer, 6, c->planned, c->actual, c->cut, c->cut_yen, c->held);
    add_total(p, 'T', c->type, 2, c->planned, c->actual, c->cut, c->cut_yen, c->held);
}

/* A standing plan of a person-month: its care manager's users and the offices they are planned with. */
void ck_part_plan(part *p, const char cm[10], size_t offices)
{
    add_total(p, 'C', cm, 10, (int64_t)offices, 0, 0, 0, 0);
}

/* ---- dispositions ----------------------------------------------------------------- */

/* A direct-mapped cache sums a partition's dispositions: a month has few
 * (file, kind, by) triples and many person-months of each. A slot taken by
 * another triple goes to the vector; the vector is summed at the end. */
static size_t disp_slot(uint32_t file, uint32_t kind, uint32_t by)
{
    uint64_t k = ((uint64_t)file << 32 | by) * 0x9E3779B97F4A7C15ull + kind;
    return (size_t)(k >> 56) & (RK_DISP_CACHE - 1);
}

void ck_part_disposed(void *ctx, uint32_t file, int disposition, uint32_t by_file)
{
    part *p = ctx;
    ck_disp *d = &p->dcache[disp_slot(file, (uint32_t)disposition, by_file)];
    if (d->person_months && d->file == file && d->by == by_file && d->disposition == (uint32_t)disposition) {
        d->person_months++;
        return;
    }
    if (d->person_months && !rk_vec_push(&p->disps, d))
        p->oom = 1;
    *d = (ck_disp){file, by_file, (uint32_t)disposition, 1};
}

int ck_part_disp_flush(part *p)
{
    for (size_t i = 0; i < RK_DISP_CACHE; i++) {
        if (p->dcache[i].person_months && !rk_vec_push(&p->disps, &p->dcache[i]))
            return 0;
        p->dcache[i].person_months = 0;
    }
    return 1;
}

static int cmp_disp(const void *x, const void *y)
{
    const ck_disp *a = x, *b = y;
    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    if (a->disposition != b->disposition)
        return a->disposition < b->disposition ? -1 : 1;
    return (a->by > b->by) - (a->by < b->by);
}

/* The dispositions summed per (file, kind, by), in file order (the inputs are sorted by path). */
static rk_status build_disposed(rk_vec *disps, char *const *files, rk_check_summary *s)
{
    ck_disp *d = disps->v;
    if (disps->n)
        qsort(d, disps->n, sizeof *d, cmp_disp);
    s->disposed = calloc(disps->n + 1, sizeof *s->disposed);
    if (!s->disposed)
        return RK_ERR_NOMEM;
    for (size_t i = 0; i < disps->n;) {
        size_t e = i;
        uint64_t n = 0;
        while (e < disps->n && cmp_disp(&d[e], &d[i]) == 0)
            n += d[e++].person_months;
        rk_check_disposition *x = &s->disposed[s->ndisposed++];
        *x = (rk_check_disposition){strdup(files[d[i].file]), strdup(files[d[i].by]),
                                    (rk_check_disposition_kind)d[i].disposition, n};
        if (!x->file || !x->by)
            return RK_ERR_NOMEM;
        i = e;
    }
    return RK_OK;
}

/* ---- totals ------------------------------------------------------------------------- */

static int cmp_total(const void *x, const void *y)
{
    return strcmp(((const rk_check_total *)x)->key, ((const rk_check_total *)y)->key);
}

static void add_into(rk_check_total *to, const rk_check_total *t)
{
    to->planned_units += t->planned_units;
    to->actual_units += t->actual_units;
    to->cut_units += t->cut_units;
    to->cut_yen += t->cut_yen;
    to->held += t->held;
    to->claims += t->claims;
}

rk_status ck_build_summary(rk_vec *all, rk_vec *disps, char *const *files, rk_check_summary **out)
{
    rk_check_summary *s = calloc(1, sizeof *s);
    if (!s)
        return RK_ERR_NOMEM;
    rk_check_total *t = all->v;
    if (all->n)
        qsort(t, all->n, sizeof *t, cmp_total);
    rk_check_total *rows = malloc((all->n ? all->n : 1) * sizeof *rows);
    if (!rows) {
        free(s);
        return RK_ERR_NOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; i < all->n; i++) {
        if (t[i].key[0] == 'O')
            add_into(&s->all, &t[i]);
        if (n && strcmp(rows[n - 1].key, t[i].key) == 0) {
            add_into(&rows[n - 1], &t[i]);
        } else {
            rows[n] = t[i];
            n++;
        }
    }
    /* Split by tag; the tag letter is dropped from the keys. */
    size_t cnt[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < n; i++)
        cnt[rows[i].key[0] == 'I' ? 1 : rows[i].key[0] == 'O' ? 0 : rows[i].key[0] == 'C' ? 3 : 2]++;
    s->office = calloc(cnt[0] + 1, sizeof *s->office);
    s->insurer = calloc(cnt[1] + 1, sizeof *s->insurer);
    s->type = calloc(cnt[2] + 1, sizeof *s->type);
    s->care_manager = calloc(cnt[3] + 1, sizeof *s->care_manager);
    if (!s->office || !s->insurer || !s->type || !s->care_manager) {
        free(rows);
        rk_check_summary_free(s);
        return RK_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        rk_check_total x = rows[i];
        char tag = x.key[0];
        memmove(x.key, x.key + 1, sizeof x.key - 1);
        if (tag == 'O')
            s->office[s->noffice++] = x;
        else if (tag == 'I')
            s->insurer[s->ninsurer++] = x;
        else if (tag == 'C')
            s->care_manager[s->ncare_manager++] = x;
        else
            s->type[s->ntype++] = x;
    }
    free(rows);
    rk_status st = build_disposed(disps, files, s);
    if (st != RK_OK) {
        rk_check_summary_free(s);
        return st;
    }
    *out = s;
    return RK_OK;
}

void rk_check_summary_free(rk_check_summary *s)
{
    if (!s)
        return;
    free(s->office);
    free(s->insurer);
    free(s->type);
    free(s->care_manager);
    for (size_t i = 0; i < s->ndisposed; i++) {
        free((char *)s->disposed[i].file);
        free((char *)s->disposed[i].by);
    }
    free(s->disposed);
    free(s);
}

/* ---- output --------------------------------------------------------------------- */

static void text_rows(FILE *out, const char *title, const rk_check_total *t, size_t n)
{
    fputc('\n', out);
    rk_text_pad(out, title, 12); /* by display width: the Japanese titles are two columns a character */
    fprintf(out, " %12s %12s %10s %12s %6s %7s\n", "planned", "actual", "cut", "cut yen", "held", "claims");
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%-12s %12lld %12lld %10lld %12lld %6llu %7llu\n", t[i].key[0] ? t[i].key : "(all)",
                (long long)t[i].planned_units, (long long)t[i].actual_units, (long long)t[i].cut_units,
                (long long)t[i].cut_yen, (unsigned long long)t[i].held, (unsigned long long)t[i].claims);
}

static const char *const disp_names[] = {"copy", "superseded", "deleted"};

/* The files whose rows did not stand, as text. */
static void text_disposed(FILE *out, const rk_check_summary *s, rk_lang lang)
{
    if (!s->ndisposed)
        return;
    static const char *const ja[] = {"写し(同じ連番)", "新しい連番で置換", "削除"};
    static const char *const en[] = {"a copy of", "superseded by", "deleted by"};
    fputs(lang == RK_LANG_JA ? "\n突合しなかったファイルの行 (人月数)\n" : "\nrows not judged (person-months)\n", out);
    for (size_t i = 0; i < s->ndisposed; i++) {
        const rk_check_disposition *d = &s->disposed[i];
        if (lang == RK_LANG_JA)
            fprintf(out, "%s: %llu人月 %s ← %s\n", d->file, (unsigned long long)d->person_months, ja[d->kind], d->by);
        else
            fprintf(out, "%s: %llu person-month%s %s %s\n", d->file, (unsigned long long)d->person_months,
                    d->person_months == 1 ? "" : "s", en[d->kind], d->by);
    }
}

static void json_disposed(rk_json *w, const rk_check_disposition *d, int line)
{
    rk_json_object(w);
    if (line)
        rk_json_kstr(w, "type", "check_disposition");
    rk_json_kstr(w, "file", d->file);
    rk_json_kstr(w, "disposition", disp_names[d->kind]);
    rk_json_kstr(w, "by", d->by);
    rk_json_ku64(w, "person_months", d->person_months);
    rk_json_end(w);
    if (line)
        rk_json_line(w);
}

/* A total as an object; a JSON Lines row also names its type and grouping. */
static void json_total(rk_json *w, const char *by, const rk_check_total *t, int line)
{
    rk_json_object(w);
    if (line) {
        rk_json_kstr(w, "type", "check_total");
        rk_json_kstr(w, "by", by);
    }
    rk_json_kstr(w, "key", t->key);
    rk_json_ki64(w, "planned_units", t->planned_units);
    rk_json_ki64(w, "actual_units", t->actual_units);
    rk_json_ki64(w, "cut_units", t->cut_units);
    rk_json_ki64(w, "cut_yen", t->cut_yen);
    rk_json_ku64(w, "held", t->held);
    rk_json_ku64(w, "claims", t->claims);
    rk_json_end(w);
    if (line)
        rk_json_line(w);
}

rk_status rk_check_write_summary(const rk_check_summary *s, rk_format fmt, rk_lang lang, FILE *out)
{
    if (!s || !out)
        return RK_ERR_ARG;
    const struct {
        const char *by;
        const rk_check_total *t;
        size_t n;
    } groups[3] = {
        {"office", s->office, s->noffice}, {"insurer", s->insurer, s->ninsurer}, {"type", s->type, s->ntype}};
    rk_json w;
    rk_json_init(&w, out);
    if (fmt == RK_FMT_TEXT) {
        fputs(lang == RK_LANG_JA ? "\n予定と実績の突合 (単位数は区分支給限度内)\n"
                                 : "\nplan against actual (units inside the limit)\n",
              out);
        text_rows(out, lang == RK_LANG_JA ? "事業所" : "office", s->office, s->noffice);
        text_rows(out, lang == RK_LANG_JA ? "保険者" : "insurer", s->insurer, s->ninsurer);
        text_rows(out, lang == RK_LANG_JA ? "サービス種類" : "type", s->type, s->ntype);
        text_rows(out, lang == RK_LANG_JA ? "合計" : "total", &s->all, 1);
        text_disposed(out, s, lang);
    } else if (fmt == RK_FMT_JSONL) {
        for (int g = 0; g < 3; g++)
            for (size_t i = 0; i < groups[g].n; i++)
                json_total(&w, groups[g].by, &groups[g].t[i], 1);
        json_total(&w, "all", &s->all, 1);
        for (size_t i = 0; i < s->ndisposed; i++)
            json_disposed(&w, &s->disposed[i], 1);
    } else {
        rk_json_object(&w);
        rk_json_key(&w, "total");
        json_total(&w, "all", &s->all, 0);
        for (int g = 0; g < 3; g++) {
            char key[16];
            snprintf(key, sizeof key, "by_%s", groups[g].by);
            rk_json_key(&w, key);
            rk_json_array(&w);
            for (size_t i = 0; i < groups[g].n; i++)
                json_total(&w, groups[g].by, &groups[g].t[i], 0);
            rk_json_end(&w);
        }
        rk_json_key(&w, "disposed");
        rk_json_array(&w);
        for (size_t i = 0; i < s->ndisposed; i++)
            json_disposed(&w, &s->disposed[i], 0);
        rk_json_end(&w);
        rk_json_end(&w);
    }
    return ferror(out) ? RK_ERR_IO : RK_OK;
}

rk_status rk_check_write(const rk_report *r, const rk_check_summary *s, rk_format fmt, rk_lang lang, FILE *out)
{
    if (!r || !s || !out)
        return RK_ERR_ARG;
    if (fmt == RK_FMT_SARIF || fmt == RK_FMT_GNU) /* the findings; the totals have no place there */
        return rk_report_write(r, fmt, lang, out);
    if (fmt != RK_FMT_JSON) {
        rk_status st = rk_report_write(r, fmt, lang, out);
        return st != RK_OK ? st : rk_check_write_summary(s, fmt, lang, out);
    }
    /* One document: the findings report and the totals, each written by its
     * own writer into the members of this one. */
    rk_json w;
    rk_json_init(&w, out);
    rk_json_object(&w);
    rk_json_kstr(&w, "schema", "renkei.check");
    rk_json_ku64(&w, "version", 1);
    rk_json_key(&w, "report");
    rk_json_raw_next(&w);
    rk_status st = rk_report_write(r, RK_FMT_JSON, lang, out);
    rk_json_key(&w, "summary");
    rk_json_raw_next(&w);
    if (st == RK_OK)
        st = rk_check_write_summary(s, RK_FMT_JSON, lang, out);
    rk_json_end(&w);
    rk_json_line(&w);
    return st == RK_OK && ferror(out) ? RK_ERR_IO : st;
}
