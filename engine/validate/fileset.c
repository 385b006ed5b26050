/* SPDX-License-Identifier: Apache-2.0 */
/*
 * File-set rules (careplan-csv.md §2.6, §2.7, §4): files sent together share
 * sender, receiver and ファイル連番; each family of files must arrive whole,
 * and the records of the dependent files must link to a record of the parent
 * by 保険者番号 + 被保険者番号 + a date or month, and the other way round.
 * Send units are taken in ファイル連番 order, the order the receiver imports them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/vec.h"
#include "../../formats/careplan/careplan.h"
#include "../../formats/careplan/families.h"
#include "fileset.h"
#include "../findings/findings.h"
#include "keyspill.h"

typedef struct unit_file {
    const rk_name_info *ni;
    size_t pos; /* position in the caller's list */
    char role[RK_ROLE_MAX];
} unit_file;

/* A key comparison of a send unit: every key of `from` must be in `to`. */
typedef struct pair {
    const unit_file *from, *to;
    uint32_t rule;
} pair;

/* The keys a comparison finds missing, when it runs a partition at a time:
 * the `keep` first in file order (all if keep is 0) and how many in all. */
typedef struct misses {
    rk_key *v;
    size_t n, cap;
    uint64_t total;
} misses;

/* Checking (r set: findings into extra, by position) or planning (needs set:
 * which files the key checks would read). */
typedef struct ctx {
    rk_report *r;
    const size_t *idx; /* report index by position */
    rk_fbuf *extra;    /* one per position */
    unsigned char *needs;
    pair pairs[24]; /* the unit's comparisons, in the order they report */
    size_t npairs;
} ctx;

static int same_unit(const rk_name_info *x, const rk_name_info *y)
{
    return !strcmp(x->serial, y->serial) && !strcmp(x->sender, y->sender) && !strcmp(x->receiver, y->receiver);
}

static int cmp_unit(const void *a, const void *b)
{
    const unit_file *u = a, *v = b;
    int c = strcmp(u->ni->serial, v->ni->serial);
    if (!c)
        c = strcmp(u->ni->sender, v->ni->sender);
    if (!c)
        c = strcmp(u->ni->receiver, v->ni->receiver);
    if (!c)
        c = u->pos < v->pos ? -1 : 1;
    return c;
}

/* Whether a file with these name facts belongs to a send unit. */
static int in_unit(const rk_name_info *ni)
{
    return ni->kind && !ni->problem && ni->serial[0];
}

static const unit_file *find_role(const unit_file *u, size_t n, const char *role)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(u[i].role, role) == 0)
            return &u[i];
    return NULL;
}

static void key_text(const rk_key *k, char *out, size_t cap)
{
    /* 保険者番号 被保険者番号 date-or-month, trailing pad removed */
    int n = snprintf(out, cap, "%.6s %.10s %.8s", k->key, k->key + 6, k->key + 16);
    while (n > 0 && out[n - 1] == ' ')
        out[--n] = 0;
}

/* Every key of `from` must be in `to`: noted as a comparison of the unit. */
static void keys_within(ctx *c, const unit_file *from, const unit_file *to, uint32_t rule)
{
    if (c->needs) {
        c->needs[from->pos] = c->needs[to->pos] = 1;
        return;
    }
    c->pairs[c->npairs++] = (pair){from, to, rule};
}

/* Reports a key of `from` that `to` lacks. */
static void report_miss(ctx *c, const pair *q, const rk_key *k)
{
    char kb[20], text[40];
    const char *want = rk_role_kind(q->to->role, kb);
    key_text(k, text, sizeof text);
    rk_fbuf_add(&c->extra[q->from->pos], q->rule, k->record, k->line, 0, k->off, text, strlen(text), want);
}

static int by_record(const void *a, const void *b)
{
    const rk_key *x = a, *y = b;
    return x->record < y->record ? -1 : x->record > y->record;
}

/* Notes a missing key; keeps the `keep` first in file order. */
static rk_status note_miss(misses *m, const rk_key *k, unsigned keep)
{
    m->total++;
    if (m->n == m->cap) {
        if (keep && m->n >= 2 * (size_t)keep) { /* trim to the keep first */
            qsort(m->v, m->n, sizeof *m->v, by_record);
            m->n = keep;
        } else if (!RK_RESERVE(m->v, m->cap, m->n + 1, 64)) {
            return RK_ERR_NOMEM;
        }
    }
    m->v[m->n++] = *k;
    return RK_OK;
}

/* Each first copy of a key of q's `from` that q's `to` lacks (their sets
 * built), reported at once or noted in m. */
static rk_status each_miss(ctx *c, const pair *q, misses *m)
{
    size_t fi = c->idx[q->from->pos], ti = c->idx[q->to->pos];
    const struct rk_file_mem *mf = &c->r->mem[fi];
    rk_status st = RK_OK;
    for (size_t k = 0; k < mf->nkeys && st == RK_OK; k++) {
        if (!mf->keys[k].record || rk_report_has_key(c->r, ti, mf->keys[k].key))
            continue;
        if (m)
            st = note_miss(m, &mf->keys[k], mf->keep);
        else
            report_miss(c, q, &mf->keys[k]);
    }
    return st;
}

/*
 * The unit's comparisons with every file's keys in memory: each key of
 * `from` once (its set marks later copies), in file order.
 */
static rk_status compare_whole(ctx *c)
{
    for (size_t i = 0; i < c->npairs; i++) {
        const pair *q = &c->pairs[i];
        size_t fi = c->idx[q->from->pos], ti = c->idx[q->to->pos];
        rk_status st = rk_report_key_set(c->r, fi);
        if (st == RK_OK)
            st = rk_report_key_set(c->r, ti);
        if (st == RK_OK)
            st = each_miss(c, q, NULL);
        if (st != RK_OK)
            return st;
    }
    return RK_OK;
}

/*
 * The same where a file's keys are on disk: one partition of every file at a
 * time (equal keys share a partition, so each comparison is exact within
 * it). What each comparison misses is gathered over the partitions and then
 * reported in file order, so the findings kept are the same as above.
 */
static rk_status compare_by_part(ctx *c)
{
    misses *ms = calloc(c->npairs, sizeof *ms);
    if (!ms)
        return RK_ERR_NOMEM;
    size_t files[48], nf = 0;
    for (size_t i = 0; i < c->npairs; i++) {
        size_t f[2] = {c->idx[c->pairs[i].from->pos], c->idx[c->pairs[i].to->pos]};
        for (int s = 0; s < 2; s++) {
            size_t k = 0;
            while (k < nf && files[k] != f[s])
                k++;
            if (k == nf)
                files[nf++] = f[s];
        }
    }
    rk_status st = RK_OK;
    for (unsigned p = 0; p < RK_SPILL_PARTS && st == RK_OK; p++) {
        for (size_t k = 0; k < nf && st == RK_OK; k++)
            st = rk_report_key_part(c->r, files[k], p);
        for (size_t i = 0; i < c->npairs && st == RK_OK; i++)
            st = each_miss(c, &c->pairs[i], &ms[i]);
    }
    for (size_t i = 0; i < c->npairs; i++) {
        misses *m = &ms[i];
        if (st == RK_OK) {
            const pair *q = &c->pairs[i];
            unsigned keep = c->r->mem[c->idx[q->from->pos]].keep;
            if (m->n)
                qsort(m->v, m->n, sizeof *m->v, by_record);
            size_t n = keep && m->n > keep ? keep : m->n;
            for (size_t k = 0; k < n; k++)
                report_miss(c, q, &m->v[k]);
            c->extra[q->from->pos].count[q->rule] += m->total - n; /* counted, not kept */
        }
        free(m->v);
    }
    free(ms);
    return st;
}

static void missing(ctx *c, const unit_file *on, const char *role)
{
    if (c->needs)
        return;
    char kb[RK_ROLE_MAX];
    const char *k = rk_role_kind(role, kb);
    rk_fbuf_add(&c->extra[on->pos], RK_R_SET_MISSING, 0, 0, 0, 0, NULL, 0, k);
}

static rk_status check_unit(ctx *c, const unit_file *u, size_t n)
{
    for (size_t f = 0; f < rk_family_count(); f++) {
        const rk_family *fam = rk_family_at(f);
        const unit_file *parent = find_role(u, n, fam->parent);
        const unit_file *deps[3] = {NULL, NULL, NULL};
        for (int d = 0; d < 3 && fam->deps[d]; d++)
            deps[d] = find_role(u, n, fam->deps[d]);
        if (!parent) {
            for (int d = 0; d < 3; d++)
                if (deps[d])
                    missing(c, deps[d], fam->parent);
            continue;
        }
        int v4 = c->r && c->r->mem[c->idx[parent->pos]].layout != RK_LAYOUT_V3;
        for (int d = 0; d < 3 && fam->deps[d]; d++) {
            int needed = fam->dep_needed[d] == RK_DEP_REQUIRED || (fam->dep_needed[d] == RK_DEP_REQUIRED_V4 && v4);
            if (!deps[d]) {
                if (needed)
                    missing(c, parent, fam->deps[d]);
                continue;
            }
            keys_within(c, deps[d], parent, RK_R_SET_ORPHAN);
            if (fam->parent_in_dep[d])
                keys_within(c, parent, deps[d], RK_R_SET_UNMATCHED);
        }
    }
    if (c->needs || !c->npairs)
        return RK_OK;
    int spilled = 0;
    for (size_t i = 0; i < c->npairs; i++)
        spilled |= rk_report_spilled(c->r, c->idx[c->pairs[i].from->pos]) ||
                   rk_report_spilled(c->r, c->idx[c->pairs[i].to->pos]);
    rk_status st = spilled ? compare_by_part(c) : compare_whole(c);
    c->npairs = 0;
    return st;
}

/* The n files as unit_files: the *m of send units first, sorted by unit (and
 * given their roles), then the others in their order. */
static unit_file *sorted_units(const rk_name_info *const *ni, size_t n, size_t *m)
{
    unit_file *u = calloc(n ? n : 1, sizeof *u);
    if (!u)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (in_unit(ni[i])) {
            u[k] = (unit_file){ni[i], i, ""};
            rk_file_role(ni[i], u[k++].role);
        }
    *m = k;
    qsort(u, k, sizeof *u, cmp_unit);
    for (size_t i = 0; i < n; i++) /* no send unit can be told from their names */
        if (!in_unit(ni[i]))
            u[k++] = (unit_file){ni[i], i, ""};
    return u;
}

/* Calls check_unit on each send unit of the n files. */
/* check_unit on every send unit, across jobs threads (a unit's files are
 * its own: each unit with a ctx of its own); the first failure in unit order. */
static rk_status each_unit(const ctx *c, const rk_name_info *const *ni, size_t n, unsigned jobs)
{
    size_t m, nu = 0;
    unit_file *u = sorted_units(ni, n, &m);
    size_t *at = u ? malloc((m + 1) * sizeof *at) : NULL;
    if (!at) {
        free(u);
        return RK_ERR_NOMEM;
    }
    for (size_t i = 0; i < m; i++)
        if (i == 0 || !same_unit(u[i - 1].ni, u[i].ni))
            at[nu++] = i;
    at[nu] = m;
    rk_status st = RK_OK;
    size_t bad = SIZE_MAX;
#pragma omp parallel for num_threads((int)(jobs ? jobs : 1)) schedule(dynamic, 16) if (jobs > 1 && nu > 64)
    for (size_t q = 0; q < nu; q++) {
        ctx own = *c;
        own.npairs = 0;
        rk_status s1 = check_unit(&own, u + at[q], at[q + 1] - at[q]);
        if (s1 != RK_OK) {
#pragma omp critical(rk_each_unit)
            if (q < bad) {
                bad = q;
                st = s1;
            }
        }
    }
    free(at);
    free(u);
    return st;
}

rk_status rk_fileset_key_needs(const rk_name_info *const *ni, size_t n, unsigned char *needs, unsigned jobs)
{
    memset(needs, 0, n);
    ctx c = {.needs = needs};
    return each_unit(&c, ni, n, jobs);
}

rk_status rk_fileset_order(const rk_name_info *const *ni, size_t n, size_t *order, unsigned char *starts)
{
    size_t m;
    unit_file *u = sorted_units(ni, n, &m);
    if (!u)
        return RK_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        order[i] = u[i].pos;
        starts[i] = i == 0 || i >= m || !same_unit(u[i - 1].ni, u[i].ni);
    }
    free(u);
    return RK_OK;
}

rk_status rk_fileset_check(rk_report *r, const size_t *idx, size_t n, unsigned jobs)
{
    if (n == 0)
        return RK_OK;
    rk_fbuf *extra = calloc(n, sizeof *extra);
    const rk_name_info **ni = calloc(n, sizeof *ni);
    if (!extra || !ni) {
        free(extra);
        free(ni);
        return RK_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        rk_fbuf_init(&extra[i], r->mem[idx[i]].keep);
        ni[i] = &r->mem[idx[i]].ni;
    }
    ctx c = {.r = r, .idx = idx, .extra = extra};
    rk_status st = each_unit(&c, ni, n, jobs);
    int oom = 0;
#pragma omp parallel for num_threads((int)(jobs ? jobs : 1)) schedule(dynamic, 64) if (jobs > 1 && n > 256)            \
    reduction(|                                                                                                        \
              : oom)
    for (size_t i = 0; i < n; i++) { /* each file's findings its own */
        if (st == RK_OK)
            oom |= rk_report_add(r, idx[i], &extra[i]) != RK_OK;
        rk_fbuf_free(&extra[i]);
    }
    if (st == RK_OK && oom)
        st = RK_ERR_NOMEM;
    free(extra);
    free(ni);
    return st;
}
