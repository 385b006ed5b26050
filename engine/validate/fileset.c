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

#include "../../formats/careplan/careplan.h"
#include "fileset.h"
#include "findings.h"

/* A family: the parent kind and its companions. UPHOSOKU appears as "UPHOSOKU:M"
 * (with 第6/7表, month in the name) or "UPHOSOKU:0" (with 第1-3表, 000000). */
typedef struct family {
    const char *parent;
    const char *deps[3];
    unsigned char dep_needed[3];    /* 1 required, 4 required only in v4.1 send units, 0 optional */
    unsigned char parent_in_dep[3]; /* every parent key must appear in this companion */
} family;

static const family families[] = {
    {"UPPLAN", {"UPSIKYU", "UPHOSOKU:M", NULL}, {1, 1, 0}, {1, 1, 0}},
    {"UP1KYO", {"UP2KYO", "UP3KYO", "UPHOSOKU:0"}, {1, 4, 1}, {1, 0, 1}},
    {"UPKIHON", {"UPKIHON_SUB1", "UPKIHON_SUB2", "UPKIHON_IMAGE"}, {1, 1, 0}, {0, 0, 0}},
    {"UPYOBO", {"UPYOBO_SUB", NULL, NULL}, {1, 0, 0}, {0, 0, 0}},
};

/* The role a file plays in families: its kind, with UPHOSOKU split by family. */
static void role_of(const struct rk_file_mem *m, char out[20])
{
    if (!m->ni.kind) {
        out[0] = 0;
        return;
    }
    if (strcmp(m->ni.kind, "UPHOSOKU") == 0)
        snprintf(out, 20, "UPHOSOKU:%s", strcmp(m->ni.month, "000000") == 0 ? "0" : "M");
    else
        snprintf(out, 20, "%s", m->ni.kind);
}

typedef struct unit_file {
    size_t idx; /* file index in the report */
    char role[20];
} unit_file;

typedef struct ctx {
    rk_report *r;
    rk_fbuf *extra; /* one per file, indexed from `first` */
    size_t first;
} ctx;

static int cmp_unit(const void *a, const void *b, void *vr)
{
    const rk_report *r = vr;
    const struct rk_file_mem *x = &r->mem[((const unit_file *)a)->idx], *y = &r->mem[((const unit_file *)b)->idx];
    int c = strcmp(x->ni.serial, y->ni.serial);
    if (!c)
        c = strcmp(x->ni.sender, y->ni.sender);
    if (!c)
        c = strcmp(x->ni.receiver, y->ni.receiver);
    if (!c)
        c = ((const unit_file *)a)->idx < ((const unit_file *)b)->idx ? -1 : 1;
    return c;
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

static const char *kind_of_role(const char *role, char buf[20])
{
    snprintf(buf, 20, "%s", role);
    char *colon = strchr(buf, ':');
    if (colon)
        *colon = 0;
    return buf;
}

/* Every key of `from` must be in `to`; reports on `from`'s records, each
 * key once (the set of `from` marks its later copies). */
static rk_status keys_within(ctx *c, const unit_file *from, const unit_file *to, uint32_t rule)
{
    rk_status st = rk_report_key_set(c->r, from->idx);
    if (st == RK_OK)
        st = rk_report_key_set(c->r, to->idx);
    if (st != RK_OK)
        return st;
    const struct rk_file_mem *mf = &c->r->mem[from->idx];
    char kb[20];
    const char *want = kind_of_role(to->role, kb);
    for (size_t k = 0; k < mf->nkeys; k++) {
        if (!mf->keys[k].record || rk_report_has_key(c->r, to->idx, mf->keys[k].key))
            continue;
        char text[40];
        key_text(&mf->keys[k], text, sizeof text);
        rk_fbuf_add(&c->extra[from->idx - c->first], rule, mf->keys[k].record, mf->keys[k].line, 0, mf->keys[k].off,
                    text, strlen(text), want);
    }
    return RK_OK;
}

static void missing(ctx *c, const unit_file *on, const char *role)
{
    char kb[20];
    const char *k = kind_of_role(role, kb);
    rk_fbuf_add(&c->extra[on->idx - c->first], RK_R_SET_MISSING, 0, 0, 0, 0, NULL, 0, k);
}

static rk_status check_unit(ctx *c, const unit_file *u, size_t n)
{
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
        const family *fam = &families[f];
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
        int v4 = c->r->mem[parent->idx].layout != RK_LAYOUT_V3;
        for (int d = 0; d < 3 && fam->deps[d]; d++) {
            int needed = fam->dep_needed[d] == 1 || (fam->dep_needed[d] == 4 && v4);
            if (!deps[d]) {
                if (needed)
                    missing(c, parent, fam->deps[d]);
                continue;
            }
            rk_status st = keys_within(c, deps[d], parent, RK_R_SET_ORPHAN);
            if (st == RK_OK && fam->parent_in_dep[d])
                st = keys_within(c, parent, deps[d], RK_R_SET_UNMATCHED);
            if (st != RK_OK)
                return st;
        }
    }
    return RK_OK;
}

rk_status rk_fileset_check(rk_report *r, size_t first, size_t n)
{
    if (n == 0)
        return RK_OK;
    unit_file *u = calloc(n, sizeof *u);
    rk_fbuf *extra = calloc(n, sizeof *extra);
    if (!u || !extra) {
        free(u);
        free(extra);
        return RK_ERR_NOMEM;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        rk_fbuf_init(&extra[i], r->mem[first + i].keep);
        const struct rk_file_mem *fm = &r->mem[first + i];
        if (!fm->ni.kind || fm->ni.problem || !fm->ni.serial[0])
            continue; /* no send unit can be told from its name */
        u[m].idx = first + i;
        role_of(fm, u[m].role);
        m++;
    }
    qsort_r(u, m, sizeof *u, cmp_unit, r);
    ctx c = {r, extra, first};
    rk_status st = RK_OK;
    for (size_t i = 0; i < m && st == RK_OK;) {
        size_t j = i + 1;
        const struct rk_file_mem *a = &r->mem[u[i].idx];
        while (j < m) {
            const struct rk_file_mem *b = &r->mem[u[j].idx];
            if (strcmp(a->ni.serial, b->ni.serial) || strcmp(a->ni.sender, b->ni.sender) ||
                strcmp(a->ni.receiver, b->ni.receiver))
                break;
            j++;
        }
        st = check_unit(&c, u + i, j - i);
        i = j;
    }
    for (size_t i = 0; i < n; i++) {
        if (st == RK_OK)
            st = rk_report_add(r, first + i, &extra[i]);
        rk_fbuf_free(&extra[i]);
    }
    free(extra);
    free(u);
    return st;
}
