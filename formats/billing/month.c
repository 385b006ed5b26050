/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The month as the exchange sees it (month.h): plan units and 実績 versions
 * of one person-month, the deletes applied, the newest standing.
 */
#include "month.h"

#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

/* A document version of the person-month: a plan unit (sender, receiver,
 * 連番) or the 実績 of one (office, service type) in one file. */
typedef struct doc {
    int plan;
    uint64_t serial;
    const char *sender, *receiver; /* plan: 10 bytes each, in files */
    const char *office, *type;     /* 実績: 10 and 2 bytes, in a row */
    uint32_t file;                 /* 実績: the file; plan: its first file */
    uint32_t file_of[RK_BK_COUNT]; /* plan: its file of each kind, NONE if none */
    uint32_t deleted_by;           /* the delete file, NONE while it stands */
    uint64_t del_serial;
    int chosen;
} doc;

uint64_t rk_month_serial(const char *serial)
{
    uint64_t v = 0;
    for (int i = 0; i < 14; i++) {
        if (serial[i] < '0' || serial[i] > '9')
            return 0;
        v = v * 10 + (uint64_t)(serial[i] - '0');
    }
    return serial[14] == 0 ? v : 0;
}

void rk_month_scratch_free(rk_month_scratch *s)
{
    free(s->out);
    free(s->units);
    free(s->told);
    memset(s, 0, sizeof *s);
}

static int reserve(void *pp, size_t *cap, size_t n, size_t elem)
{
    if (n <= *cap)
        return 1;
    size_t c = *cap ? *cap : 16;
    while (c < n)
        c *= 2;
    void *p = realloc(*(void **)pp, c * elem);
    if (!p)
        return 0;
    *(void **)pp = p;
    *cap = c;
    return 1;
}

static int same_plan_unit(const rk_month_file *a, const rk_month_file *b)
{
    return a->serial == b->serial && memcmp(a->sender, b->sender, 10) == 0 && memcmp(a->receiver, b->receiver, 10) == 0;
}

/* Whether every plan-side row (予定, 第7表, 補足) comes from one send unit. */
static int one_plan_unit(const rk_month_file *files, const rk_pm_lists *in)
{
    const rk_month_file *u = NULL;
#define RK_SAME_UNIT(list, n)                                                                                          \
    for (size_t i = 0; i < (n); i++) {                                                                                 \
        const rk_month_file *f = &files[(list)[i]->at.file];                                                           \
        if (!u)                                                                                                        \
            u = f;                                                                                                     \
        else if (f != u && !same_plan_unit(f, u))                                                                      \
            return 0;                                                                                                  \
    }
    RK_SAME_UNIT(in->P, in->np)
    RK_SAME_UNIT(in->S, in->ns)
    RK_SAME_UNIT(in->H, in->nh)
#undef RK_SAME_UNIT
    return 1;
}

static int one_actual_file(const rk_pm_lists *in)
{
    for (size_t i = 1; i < in->na; i++)
        if (in->A[i]->at.file != in->A[0]->at.file)
            return 0;
    return 1;
}

/* The plan unit of a file, added when new. */
static doc *plan_unit(doc *d, size_t *n, const rk_month_file *files, uint32_t file)
{
    const rk_month_file *f = &files[file];
    for (size_t i = 0; i < *n; i++)
        if (d[i].plan && d[i].serial == f->serial && memcmp(d[i].sender, f->sender, 10) == 0 &&
            memcmp(d[i].receiver, f->receiver, 10) == 0) {
            if (d[i].file_of[f->kind] == NONE || file < d[i].file_of[f->kind])
                d[i].file_of[f->kind] = file;
            return &d[i];
        }
    doc *u = &d[(*n)++];
    memset(u, 0, sizeof *u);
    u->plan = 1;
    u->serial = f->serial;
    u->sender = f->sender;
    u->receiver = f->receiver;
    for (int k = 0; k < RK_BK_COUNT; k++)
        u->file_of[k] = NONE;
    u->file_of[f->kind] = file;
    u->file = file;
    u->deleted_by = NONE;
    return u;
}

/* The 実績 version of a row (its office and type in its file), added when new. */
static doc *actual_version(doc *d, size_t *n, const rk_month_file *files, const rk_day_row *r)
{
    for (size_t i = 0; i < *n; i++)
        if (!d[i].plan && d[i].file == r->at.file && memcmp(d[i].office, r->office, 10) == 0 &&
            memcmp(d[i].type, rk_day_row_type(r), 2) == 0)
            return &d[i];
    doc *v = &d[(*n)++];
    memset(v, 0, sizeof *v);
    v->serial = files[r->at.file].serial;
    v->office = r->office;
    v->type = rk_day_row_type(r);
    v->file = r->at.file;
    v->deleted_by = NONE;
    return v;
}

/* A delete of serial s in file `file` applies to d when d is older; the
 * first delete in 連番 order is the one named. */
static void delete_doc(doc *d, uint32_t file, uint64_t s)
{
    if (d->serial >= s)
        return;
    if (d->deleted_by == NONE || s < d->del_serial || (s == d->del_serial && file < d->deleted_by)) {
        d->deleted_by = file;
        d->del_serial = s;
    }
}

/* Whether plan unit b comes before a: newer, or of the same 連番 to a lower receiver. */
static int plan_before(const doc *b, const doc *a)
{
    if (b->serial != a->serial)
        return b->serial > a->serial;
    int c = memcmp(b->receiver, a->receiver, 10);
    return c != 0 ? c < 0 : b->file < a->file;
}

static int actual_before(const doc *b, const doc *a)
{
    return b->serial != a->serial ? b->serial > a->serial : b->file < a->file;
}

static int same_document(const doc *a, const doc *b)
{
    if (a->plan != b->plan)
        return 0;
    if (a->plan)
        return memcmp(a->sender, b->sender, 10) == 0;
    return memcmp(a->office, b->office, 10) == 0 && memcmp(a->type, b->type, 2) == 0;
}

/* Per document (plan per care manager, 実績 per office and type): the first
 * standing version in the order above is chosen. */
static void choose(doc *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (d[i].deleted_by != NONE)
            continue;
        int best = 1;
        for (size_t k = 0; k < n && best; k++)
            if (k != i && d[k].deleted_by == NONE && same_document(&d[k], &d[i]))
                best = !(d[i].plan ? plan_before(&d[k], &d[i]) : actual_before(&d[k], &d[i]));
        d[i].chosen = best;
    }
}

static const doc *find_plan(const doc *d, size_t n, const rk_month_file *files, uint32_t file)
{
    for (size_t i = 0; i < n; i++)
        if (d[i].plan && same_plan_unit(&files[d[i].file], &files[file]))
            return &d[i];
    return NULL;
}

static const doc *find_actual(const doc *d, size_t n, const rk_day_row *r)
{
    for (size_t i = 0; i < n; i++)
        if (!d[i].plan && d[i].file == r->at.file && memcmp(d[i].office, r->office, 10) == 0 &&
            memcmp(d[i].type, rk_day_row_type(r), 2) == 0)
            return &d[i];
    return NULL;
}

/* The version standing in place of x (chosen, the same document), or NULL. */
static const doc *standing(const doc *d, size_t n, const doc *x)
{
    for (size_t i = 0; i < n; i++)
        if (d[i].chosen && same_document(&d[i], x))
            return &d[i];
    return NULL;
}

/* Tells the sink, once per file, why x's rows in file do not stand. */
static int tell(rk_month_scratch *sc, size_t *ntold, const rk_month_sink *sink, const rk_month_file *files,
                const doc *d, size_t n, const doc *x, uint32_t file)
{
    for (size_t i = 0; i < *ntold; i++)
        if (sc->told[i] == file)
            return 1;
    if (!reserve(&sc->told, &sc->told_cap, *ntold + 1, sizeof *sc->told))
        return 0;
    sc->told[(*ntold)++] = file;
    if (!sink)
        return 1;
    if (x->deleted_by != NONE) {
        sink->disposed(sink->ctx, file, RK_DISP_DELETED, x->deleted_by);
        return 1;
    }
    const doc *s = standing(d, n, x);
    if (!s) /* cannot be: a version not deleted, or one standing beside it */
        return 1;
    uint32_t by = s->file;
    if (x->plan) {
        int kind = files[file].kind;
        by = s->file_of[kind] != NONE ? s->file_of[kind] : s->file;
    }
    sink->disposed(sink->ctx, file, s->serial == x->serial ? RK_DISP_COPY : RK_DISP_SUPERSEDED, by);
    return 1;
}

/* Keeps the rows of list whose plan unit is chosen; reports the others. */
#define RK_KEEP_PLAN(list, n, dst, ndst)                                                                               \
    do {                                                                                                               \
        (dst) = (const void *)(o + no);                                                                                \
        for (size_t i = 0; i < (n); i++) {                                                                             \
            const doc *u = find_plan(d, nd, files, (list)[i]->at.file);                                                \
            if (u && u->chosen)                                                                                        \
                o[no++] = (list)[i];                                                                                   \
            else if (u && !tell(sc, &ntold, sink, files, d, nd, u, (list)[i]->at.file))                                \
                return 0;                                                                                              \
        }                                                                                                              \
        (ndst) = (size_t)((o + no) - (const void **)(dst));                                                            \
    } while (0)

/* The versions of the person-month, the deletes applied, the rows of the chosen ones out. */
static int pick_rows(const rk_month_file *files, const rk_pm_lists *in, rk_pm_lists *out, rk_month_scratch *sc,
                     const rk_month_sink *sink)
{
    size_t total = in->np + in->na + in->ns + in->nh;
    if (!reserve(&sc->out, &sc->out_cap, total ? total : 1, sizeof *sc->out) ||
        !reserve(&sc->units, &sc->units_cap, total ? total : 1, sizeof(doc)))
        return 0;
    doc *d = sc->units;
    size_t nd = 0, ntold = 0;
    for (size_t i = 0; i < in->np; i++)
        plan_unit(d, &nd, files, in->P[i]->at.file);
    for (size_t i = 0; i < in->ns; i++)
        plan_unit(d, &nd, files, in->S[i]->at.file);
    for (size_t i = 0; i < in->nh; i++)
        plan_unit(d, &nd, files, in->H[i]->at.file);
    for (size_t i = 0; i < in->na; i++)
        actual_version(d, &nd, files, in->A[i]);
    for (size_t q = 0; q < in->nd; q++) { /* deletes, each against the versions it names */
        const rk_delete_row *x = in->D[q];
        const rk_month_file *f = &files[x->at.file];
        for (size_t i = 0; i < nd; i++) {
            if (x->plan && d[i].plan && memcmp(d[i].sender, f->sender, 10) == 0 &&
                memcmp(d[i].receiver, f->receiver, 10) == 0)
                delete_doc(&d[i], x->at.file, f->serial);
            else if (!x->plan && !d[i].plan && memcmp(d[i].office, x->office, 10) == 0 &&
                     memcmp(d[i].type, x->type, 2) == 0)
                delete_doc(&d[i], x->at.file, f->serial);
        }
    }
    choose(d, nd);
    const void **o = sc->out;
    size_t no = 0;
    RK_KEEP_PLAN(in->P, in->np, out->P, out->np);
    RK_KEEP_PLAN(in->S, in->ns, out->S, out->ns);
    RK_KEEP_PLAN(in->H, in->nh, out->H, out->nh);
    out->A = (const void *)(o + no);
    for (size_t i = 0; i < in->na; i++) {
        const doc *v = find_actual(d, nd, in->A[i]);
        if (v && v->chosen)
            o[no++] = in->A[i];
        else if (v && !tell(sc, &ntold, sink, files, d, nd, v, in->A[i]->at.file))
            return 0;
    }
    out->na = (size_t)((o + no) - (const void **)out->A);
    return 1;
}

int rk_month_pick(const rk_month_file *files, const rk_pm_lists *in, rk_pm_lists *out, const rk_person_row **h,
                  rk_month_scratch *sc, const rk_month_sink *sink)
{
    *out = *in;
    *h = in->nh ? in->H[0] : NULL;
    if (!in->nd && one_plan_unit(files, in) && one_actual_file(in))
        return 1; /* the usual person-month: one document of each */
    if (!pick_rows(files, in, out, sc, sink)) {
        *out = *in;
        return 0;
    }
    *h = out->nh ? out->H[0] : NULL;
    return 1;
}
