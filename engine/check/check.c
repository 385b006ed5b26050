/*
 * renkei check: 予定 against 実績, and what the 国保連 will do about it.
 *
 * 1. The master and the office table are read with the project's own CSV
 *    walker and handed row by row to formats/billing.
 * 2. Every UPPLAN / UPSIKYU / UPHOSOKU (with 6/7表) / UPJSK record is reduced
 *    to a small row (person-month key, office, code, date, counts, units,
 *    amounts) and its place in its file.
 * 3. Rows are partitioned by the XXH3 hash of (保険者番号, 被保険者番号,
 *    対象年月): one person-month lands in one partition, partitions are
 *    judged in parallel, each on its own, and the same partitioning is the
 *    unit of work for a month spread over many machines.
 * 4. Inside a partition, rows are sorted by their full key (person-month,
 *    office, code, date) and joined by merging; all per-person rules run there.
 * Findings go to their file and are sorted by place; totals are sums of
 * integers. Neither depends on the number of threads.
 */
#include <omp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL /* the hashes here are of short keys: inlined, they cost a few loads */
#include <xxhash.h>

#include "../../formats/billing/billing.h"
#include "../../formats/billing/judge.h"
#include "../../formats/billing/rows.h"
#include "../../formats/careplan/careplan.h"
#include "../../formats/careplan/layouts.h"
#include "../../formats/careplan/record.h"
#include "../common/json.h"
#include "../common/vec.h"
#include "../io/io.h"
#include "../findings/findings.h"
#include "../walk/walk.h"

#define NPART_BITS 6
#define NPART (1u << NPART_BITS)

/* ---- rows -------------------------------------------------------------------- */

/* ---- findings of the check ---------------------------------------------------- */

typedef struct cfind {
    uint32_t rule, field;
    rk_row_place at;
    uint64_t record, line; /* found at the end */
    char value[64], expected[64];
} cfind;

/* A run: consecutive rows of one reader vector of one person-month. A file
 * keeps a person's records together, so a month's rows come in runs of a
 * person-month and the sort orders runs, not rows. */
typedef struct run {
    uint64_t h;
    size_t first, n; /* row indexes in the vector */
} run;

typedef struct part {
    rk_vec rows[4]; /* by kind: rk_day_row (予定), rk_day_row (実績), rk_benefit_row, rk_person_row: a reader thread's
                    rows of the partition */
    rk_vec runs[4]; /* run, over rows[kind] */
    rk_vec finds;   /* cfind */
    rk_vec totals;  /* rk_check_total rows keyed "O<office>", "I<insurer>", "T<type>" */
    uint32_t *tix;  /* open addressing over totals by key: row index + 1, 0 = free */
    size_t tcap;    /* slots of tix, a power of two */
    int oom;
} part;

/* The judge's sink: a finding of the partition's person-months. */
static void part_finding(void *ctx, uint32_t rule, const rk_row_place *at, uint32_t field, const char *value,
                         const char *expected)
{
    part *p = ctx;
    cfind f;
    memset(&f, 0, sizeof f);
    f.rule = rule;
    f.field = field;
    f.at = *at;
    if (value)
        snprintf(f.value, sizeof f.value, "%s", value);
    if (expected)
        snprintf(f.expected, sizeof f.expected, "%s", expected);
    if (!rk_vec_push(&p->finds, &f))
        p->oom = 1;
}

/* A person-month key as three words: the bytes of a row's pm. */
typedef struct pmkey {
    uint64_t w[3];
} pmkey;

/* Every row type starts with its hash and person-month. */
_Static_assert(offsetof(rk_day_row, pm) == RK_PM_OFF && offsetof(rk_benefit_row, pm) == RK_PM_OFF &&
                   offsetof(rk_person_row, pm) == RK_PM_OFF,
               "rows start with h and pm");

/* Two person-months (pm[24]) are the same: three words each, no call. */
static inline int same_pm(const char *a, const char *b)
{
    uint64_t x[3], y[3];
    memcpy(x, a, sizeof x);
    memcpy(y, b, sizeof y);
    return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2])) == 0;
}

/* Row i of `rows` extends the last run of rv (the row before, the same
 * person-month) or starts one; 0 when memory runs out. */
static int run_note(rk_vec *rv, const rk_vec *rows, size_t i)
{
    const char *row = (const char *)rows->v + i * rows->elem;
    uint64_t h;
    memcpy(&h, row, sizeof h);
    run *last = rv->n ? (run *)rv->v + rv->n - 1 : NULL;
    if (last && last->h == h && same_pm(row - rows->elem + RK_PM_OFF, row + RK_PM_OFF)) {
        last->n++;
        return 1;
    }
    run *nr = rk_vec_add(rv);
    if (nr)
        *nr = (run){h, i, 1};
    return nr != NULL;
}

/* Appends a row of `kind` with its hash and person-month set, and extends the
 * vector's last run or starts one; returns the row, its other items to be
 * filled, or NULL when memory runs out. */
static inline __attribute__((always_inline)) void *push_row(part *pt, int kind, uint64_t h, const pmkey *k)
{
    rk_vec *v = &pt->rows[kind];
    char *d = rk_vec_add(v);
    if (!d)
        return NULL;
    memcpy(d, &h, sizeof h);
    /* Word by word from registers: a wider load of the words just made would
     * wait for their stores to reach the cache. */
    uint64_t w0 = k->w[0], w1 = k->w[1], w2 = k->w[2];
#if defined(__GNUC__)
    __asm__("" : "+r"(w0), "+r"(w1), "+r"(w2));
#endif
    memcpy(d + RK_PM_OFF, &w0, 8);
    memcpy(d + RK_PM_OFF + 8, &w1, 8);
    memcpy(d + RK_PM_OFF + 16, &w2, 8);
    return run_note(&pt->runs[kind], v, v->n - 1) ? d : NULL;
}

/* ---- reading ------------------------------------------------------------------ */

#define RK_TOO_MANY_CHUNKS 2 /* in reader.oom: a file of more chunks than a place can name */

typedef struct reader {
    uint32_t file;
    int kind;
    const rk_layout *l3, *l4; /* the kind's layouts, looked up once */
    char v3[RK_VERSION_LEN];  /* the CSV version of the v3.2 layout: any other is read as v4.1 */
    part *parts;              /* [thread][NPART] */
    int *oom;                 /* per thread: 1 out of memory, or RK_TOO_MANY_CHUNKS */
} reader;

/*
 * The person-month key of a record: 保険者番号 (6) + 被保険者番号 (10) +
 * 対象年月 (item month_no, 6), each space-padded to its width, with two
 * zero bytes after, in k; returns its XXH3. Where the items fill their
 * widths the key is put together in three words: the hash then reads whole
 * words just written, not bytes of several stores (a stall on every record).
 */
static inline __attribute__((always_inline)) uint64_t person_month_key(const unsigned char *buf, const rk_record *rec,
                                                                       unsigned month_no, pmkey *k)
{
    rk_person_words(buf, rec, k->w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const unsigned char *c;
    size_t nc;
    rk_item(buf, rec, month_no, &c, &nc);
    if (nc == 6) {
        k->w[2] = rk_load6(c);
        return XXH3_64bits(k->w, 24);
    }
#endif
    char m[8];
    rk_item_fixed(buf, rec, month_no, m, 6);
    m[6] = m[7] = 0;
    memcpy(&k->w[2], m, 8);
    return XXH3_64bits(k->w, 24);
}

static int read_record(void *ctx, int thread, size_t chunk, const unsigned char *buf, const rk_record *rec)
{
    reader *rd = ctx;
    const unsigned char *p;
    size_t n;
    rk_item(buf, rec, RK_VERSION_ITEM, &p, &n);
    const rk_layout *L = n == RK_VERSION_LEN && memcmp(p, rd->v3, RK_VERSION_LEN) == 0 ? rd->l3 : rd->l4;
    if (!L || rec->nfields != L->nfields)
        return 0;             /* renkei validate reports it */
    if (chunk > UINT32_MAX) { /* a place keeps 32 bits of chunk id */
        rd->oom[thread] = RK_TOO_MANY_CHUNKS;
        return 1;
    }
    rk_row_place at = {rec->offset, rd->file, (uint32_t)chunk};
    pmkey pm;
    uint64_t h = person_month_key(buf, rec, rk_billing_month_item(L), &pm);
    part *pt = &rd->parts[(size_t)thread * NPART + (h & (NPART - 1))];
    int ok = 1;
    if (rd->kind == RK_BK_PLAN || rd->kind == RK_BK_ACTUAL) {
        rk_day_row *r = push_row(pt, rd->kind, h, &pm); /* filled in place: no copy of the row */
        if ((ok = r != NULL)) {
            rk_day_row_fill(L, buf, rec, r);
            r->at = at;
        }
    } else if (rd->kind == RK_BK_BENEFIT) {
        rk_benefit_row r;
        memset(&r, 0, sizeof r);
        r.h = h;
        memcpy(r.pm, pm.w, sizeof r.pm);
        rk_benefit_row_fill(L, buf, rec, &r);
        r.at = at;
        rk_benefit_row *d = push_row(pt, RK_BK_BENEFIT, h, &pm);
        if ((ok = d != NULL))
            *d = r;
    } else {
        rk_person_row r;
        memset(&r, 0, sizeof r);
        r.h = h;
        memcpy(r.pm, pm.w, sizeof r.pm);
        rk_person_row_fill(buf, rec, &r);
        r.at = at;
        rk_person_row *d = push_row(pt, RK_BK_PERSON, h, &pm);
        if ((ok = d != NULL))
            *d = r;
    }
    if (!ok)
        rd->oom[thread] = 1;
    return !ok;
}

/* Drops the rows of one thread's vector of a kind read on a wrong guess of a
 * chunk start; the vector's runs are counted again. */
static int drop_rows(part *tp, int kind, size_t place_off, const rk_chunk_bases *b)
{
    rk_vec *v = &tp->rows[kind];
    size_t w = 0;
    for (size_t i = 0; i < v->n; i++) {
        char *row = (char *)v->v + i * v->elem;
        const rk_row_place *at = (const rk_row_place *)(row + place_off);
        if (b[at->file].records[at->chunk] == RK_CHUNK_DROPPED)
            continue;
        if (w != i)
            memcpy((char *)v->v + w * v->elem, row, v->elem);
        w++;
    }
    if (w == v->n)
        return 1;
    v->n = w;
    rk_vec *rv = &tp->runs[kind];
    rv->n = 0;
    for (size_t i = 0; i < v->n; i++)
        if (!run_note(rv, v, i))
            return 0;
    return 1;
}

/* ---- reference data -------------------------------------------------------------- */

typedef struct table_ctx {
    const char *path;
    rk_master *m;
    rk_offices *o;
    const char *problem;
    uint64_t line;
} table_ctx;

static int read_table_row(void *ctx, const unsigned char *buf, const rk_record *rec)
{
    table_ctx *t = ctx;
    size_t want = t->m ? 9 : 2;
    char cell[9][256];
    const char *col[9];
    if (rec->nfields != want) {
        t->problem = t->m ? "a row needs 9 columns" : "a row needs 2 columns";
        t->line = rec->line;
        return 1;
    }
    for (size_t i = 0; i < want; i++) {
        size_t n;
        unsigned char tmp[256];
        const rk_field *f = &rec->fields[i];
        if (f->end - f->start >= sizeof tmp) {
            t->problem = "a cell is too long";
            t->line = rec->line;
            return 1;
        }
        rk_field_value(buf, f, tmp, &n);
        memcpy(cell[i], tmp, n);
        cell[i][n] = 0;
        col[i] = cell[i];
    }
    if (rec->record == 1) { /* the header */
        const char *hdr = t->m ? "service_code" : "office_no";
        if (strcmp(col[0], hdr) != 0) {
            t->problem = t->m ? "the first line must be the header service_code,name,units,..."
                              : "the first line must be the header office_no,grade";
            t->line = 1;
            return 1;
        }
        return 0;
    }
    t->problem = t->m ? rk_master_add(t->m, col) : rk_offices_add(t->o, col[0], col[1]);
    t->line = rec->line;
    return t->problem != NULL;
}

static rk_status load_table(const char *path, rk_master *m, rk_offices *o, char *err, size_t cap)
{
    rk_map map;
    if (rk_map_file(path, &map) != RK_OK) {
        snprintf(err, cap, "cannot read %s", path);
        return RK_ERR_IO;
    }
    rk_options opt;
    rk_options_init(&opt);
    opt.jobs = 1;
    rk_engine *e = rk_engine_new(&opt);
    table_ctx t = {path, m, o, NULL, 0};
    rk_status st = e ? rk_csv_each(e, map.p, map.len, read_table_row, &t) : RK_ERR_NOMEM;
    rk_engine_free(e);
    rk_unmap(&map);
    if (t.problem) {
        snprintf(err, cap, "%s:%llu: %s", path, (unsigned long long)t.line, t.problem);
        return RK_ERR_ARG;
    }
    if (m)
        rk_master_done(m);
    else
        rk_offices_done(o);
    return st;
}

/* ---- judging one partition ----------------------------------------------------- */

/* Person-months order by hash, then by their bytes; rows of one by file and record. */
static int cmp_pm(uint64_t h1, const char *pm1, uint64_t h2, const char *pm2)
{
    if (h1 != h2)
        return h1 < h2 ? -1 : 1;
    return rk_keycmp(pm1, pm2, RK_PM_LEN);
}

static int cmp_place(const rk_row_place *x, const rk_row_place *y)
{
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    return (x->off > y->off) - (x->off < y->off);
}

/* The order of rows of one person-month (the tail of each comparator). */
static inline __attribute__((always_inline)) int tail6(const void *a, const void *b)
{
    const rk_day_row *x = a, *y = b;
    /* office, code and date are contiguous: one compare */
    int c = rk_keycmp(x->office, y->office, sizeof x->office + sizeof x->code + sizeof x->date);
    return c ? c : cmp_place(&x->at, &y->at);
}

static inline __attribute__((always_inline)) int tail7(const void *a, const void *b)
{
    return cmp_place(&((const rk_benefit_row *)a)->at, &((const rk_benefit_row *)b)->at);
}

static inline __attribute__((always_inline)) int tailh(const void *a, const void *b)
{
    return cmp_place(&((const rk_person_row *)a)->at, &((const rk_person_row *)b)->at);
}

static inline __attribute__((always_inline)) int cmp6(const void *a, const void *b)
{
    const rk_day_row *x = a, *y = b;
    int c = cmp_pm(x->h, x->pm, y->h, y->pm);
    return c ? c : tail6(a, b);
}

static inline __attribute__((always_inline)) int cmp7(const void *a, const void *b)
{
    const rk_benefit_row *x = a, *y = b;
    int c = cmp_pm(x->h, x->pm, y->h, y->pm);
    return c ? c : tail7(a, b);
}

static inline __attribute__((always_inline)) int cmph(const void *a, const void *b)
{
    const rk_person_row *x = a, *y = b;
    int c = cmp_pm(x->h, x->pm, y->h, y->pm);
    return c ? c : tailh(a, b);
}

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
static void part_claim(void *ctx, const rk_claim_outcome *c)
{
    part *p = ctx;
    add_total(p, 'O', c->office, 10, c->planned, c->actual, c->cut, c->cut_yen, c->held);
    add_total(p, 'I', c->insurer, 6, c->planned, c->actual, c->cut, c->cut_yen, c->held);
    add_total(p, 'T', c->type, 2, c->planned, c->actual, c->cut, c->cut_yen, c->held);
}

/*
 * Sorts partition `pi`'s rows of one kind, from every thread's vectors, into
 * `out` as pointers, in the order of the kind's comparator (hash, then bytes,
 * then file and record). The runs are radix-sorted on the hash bits above the
 * partition's; runs that share those bits (one person-month split between
 * chunks, or a rare collision) and runs out of order are sorted row by row.
 * Rows stay where the readers put them.
 */
typedef struct ref {
    uint64_t h;
    const char *row; /* the run's first row */
    size_t n;
} ref;

typedef struct sorted {
    const void **v;
    size_t n, cap;
} sorted;

/* A worker's buffers, grown as partitions need and reused for the next. */
typedef struct scratch {
    ref *r, *tmp; /* runs */
    size_t rcap, tcap;
    const void **merge; /* rows */
    size_t mcap;
    sorted k[4]; /* plan, actual, 7表, 補足 */
} scratch;

#define RK_RADIX_BITS 11
#define RK_PREFETCH_RUNS 8
#define RK_RADIX_PASSES 3 /* 33 hash bits: person-months rarely share them */

static const size_t row_size[4] = {sizeof(rk_day_row), sizeof(rk_day_row), sizeof(rk_benefit_row),
                                   sizeof(rk_person_row)};
static const size_t place_off[4] = {offsetof(rk_day_row, at), offsetof(rk_day_row, at), offsetof(rk_benefit_row, at),
                                    offsetof(rk_person_row, at)};

static void part_free_rows(part *tp)
{
    for (int k = 0; k < 4; k++) {
        free(tp->rows[k].v);
        free(tp->runs[k].v);
        tp->rows[k].v = tp->runs[k].v = NULL;
        tp->rows[k].n = tp->runs[k].n = tp->rows[k].cap = tp->runs[k].cap = 0;
    }
}

static uint64_t radix_key(uint64_t h)
{
    return (h >> NPART_BITS) & (((uint64_t)1 << (RK_RADIX_BITS * RK_RADIX_PASSES)) - 1);
}

static int grow(void *pp, size_t *cap, size_t n, size_t elem)
{
    if (n <= *cap)
        return 1;
    void **p = pp;
    free(*p);
    *p = malloc(n * elem);
    *cap = *p ? n : 0;
    return *p != NULL;
}

/* At most this many rows are sorted by insertion at a time (a person-month has few). */
#define RK_INSERTION_MAX 16

static inline __attribute__((always_inline)) void insertion_sort(const void **v, size_t n,
                                                                 int (*cmp)(const void *, const void *))
{
    for (size_t i = 1; i < n; i++) {
        const void *x = v[i];
        size_t k = i;
        while (k > 0 && cmp(v[k - 1], x) > 0) {
            v[k] = v[k - 1];
            k--;
        }
        v[k] = x;
    }
}

/* Sorts by cmp: insertion over blocks of a few rows, then merging the blocks
 * bottom up through tmp, so no input is quadratic; inlined with cmp. */
static inline __attribute__((always_inline)) void sort_rows(const void **v, size_t n, const void **tmp,
                                                            int (*cmp)(const void *, const void *))
{
    for (size_t i = 0; i < n; i += RK_INSERTION_MAX)
        insertion_sort(v + i, n - i < RK_INSERTION_MAX ? n - i : RK_INSERTION_MAX, cmp);
    for (size_t w = RK_INSERTION_MAX; w < n; w *= 2) {
        for (size_t lo = 0; lo + w < n; lo += 2 * w) {
            size_t mid = lo + w, hi = n - lo > 2 * w ? lo + 2 * w : n;
            if (cmp(v[mid - 1], v[mid]) <= 0)
                continue; /* already in order */
            memcpy(tmp, v + lo, (hi - lo) * sizeof *v);
            size_t a = 0, b = w, o = lo, m = hi - lo;
            while (a < w && b < m)
                v[o++] = cmp(tmp[b], tmp[a]) < 0 ? tmp[b++] : tmp[a++];
            while (a < w)
                v[o++] = tmp[a++];
            while (b < m)
                v[o++] = tmp[b++];
        }
    }
}

/* Inlined once per comparator (sort_part below), so the order checks of the
 * rows, one per row, are not calls through a pointer. */
static inline __attribute__((always_inline)) int sort_part_by(sorted *out, scratch *sc, part *tparts, unsigned jobs,
                                                              size_t pi, int kind,
                                                              int (*cmp)(const void *, const void *),
                                                              int (*tail)(const void *, const void *))
{
    size_t n = 0, nr = 0;
    for (unsigned t = 0; t < jobs; t++) {
        n += tparts[(size_t)t * NPART + pi].rows[kind].n;
        nr += tparts[(size_t)t * NPART + pi].runs[kind].n;
    }
    out->n = 0;
    if (!n)
        return 1;
    if (!grow(&sc->r, &sc->rcap, nr, sizeof *sc->r) || !grow(&sc->tmp, &sc->tcap, nr, sizeof *sc->tmp) ||
        !grow(&sc->merge, &sc->mcap, n, sizeof *sc->merge) || !grow(&out->v, &out->cap, n, sizeof *out->v))
        return 0;
    const size_t elem = row_size[kind];
    ref *r = sc->r, *tmp = sc->tmp;
    size_t k = 0;
    for (unsigned t = 0; t < jobs; t++) {
        const part *tp = &tparts[(size_t)t * NPART + pi];
        const run *ru = tp->runs[kind].v;
        for (size_t i = 0; i < tp->runs[kind].n; i++)
            r[k++] = (ref){ru[i].h, (const char *)tp->rows[kind].v + ru[i].first * elem, ru[i].n};
    }
    for (unsigned pass = 0; pass < RK_RADIX_PASSES; pass++) { /* LSD: stable, ends in r */
        unsigned shift = NPART_BITS + RK_RADIX_BITS * pass;
        size_t count[1u << RK_RADIX_BITS] = {0};
        const uint64_t mask = (1u << RK_RADIX_BITS) - 1;
        for (size_t i = 0; i < nr; i++)
            count[(r[i].h >> shift) & mask]++;
        size_t sum = 0;
        for (size_t b = 0; b <= mask; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < nr; i++)
            tmp[count[(r[i].h >> shift) & mask]++] = r[i];
        ref *sw = r;
        r = tmp;
        tmp = sw;
    }
    const void **o = out->v;
    for (size_t i = 0; i < nr;) { /* runs of equal radix key: rows out, then in order */
        /* runs lie scattered in memory: fetch the rows of the runs ahead */
        if (i + RK_PREFETCH_RUNS < nr) {
            const ref *ahead = &r[i + RK_PREFETCH_RUNS];
            for (size_t x = 0; x < ahead->n * elem && x < 1024; x += 64)
                __builtin_prefetch(ahead->row + x);
        }
        size_t e = i + 1;
        uint64_t key = radix_key(r[i].h);
        while (e < nr && radix_key(r[e].h) == key)
            e++;
        const void **from = o;
        int in_order = 1, one_pm = 1;
        for (size_t q = i; q < e; q++) {
            *o = r[q].row; /* a run's first row against the run before */
            if (o != from) {
                int c = cmp(o[-1], o[0]);
                in_order = in_order && c <= 0;
                one_pm = one_pm && r[q].h == r[i].h && same_pm(r[q].row + RK_PM_OFF, r[i].row + RK_PM_OFF);
            }
            o++;
            for (size_t x = 1; x < r[q].n; x++) { /* the rest: one person-month */
                *o = r[q].row + x * elem;
                in_order = in_order && tail(o[-1], o[0]) <= 0;
                o++;
            }
        }
        if (!in_order && one_pm) /* rows of one person-month: their order is the tail's */
            sort_rows(from, (size_t)(o - from), sc->merge, tail);
        else if (!in_order)
            sort_rows(from, (size_t)(o - from), sc->merge, cmp);
        i = e;
    }
    out->n = n;
    return 1;
}

static int sort_part(sorted *out, scratch *sc, part *tparts, unsigned jobs, size_t pi, int kind)
{
    switch (kind) {
    case RK_BK_BENEFIT: return sort_part_by(out, sc, tparts, jobs, pi, kind, cmp7, tail7);
    case RK_BK_PERSON: return sort_part_by(out, sc, tparts, jobs, pi, kind, cmph, tailh);
    default: return sort_part_by(out, sc, tparts, jobs, pi, kind, cmp6, tail6);
    }
}

static void judge_part(rk_judge *j, const sorted *k)
{
    const rk_day_row *const *P = (const rk_day_row *const *)k[0].v, *const *A = (const rk_day_row *const *)k[1].v;
    const rk_benefit_row *const *S = (const rk_benefit_row *const *)k[2].v;
    const rk_person_row *const *H = (const rk_person_row *const *)k[3].v;
    size_t np = k[0].n, na = k[1].n, ns = k[2].n, nh = k[3].n;
    /* the four lists arrive sorted (sort_part) */
    size_t a = 0, b = 0, c = 0, d = 0;
    while (a < np || b < na || c < ns || d < nh) {
        /* the smallest person-month (hash, then bytes) among the four lists */
        uint64_t kh = 0;
        const char *pm = NULL;
#define RK_PICK(cond, row)                                                                                             \
    if ((cond) && (!pm || (row)->h < kh || ((row)->h == kh && rk_keycmp((row)->pm, pm, 22) < 0))) {                    \
        kh = (row)->h;                                                                                                 \
        pm = (row)->pm;                                                                                                \
    }
        RK_PICK(a < np, P[a])
        RK_PICK(b < na, A[b])
        RK_PICK(c < ns, S[c])
        RK_PICK(d < nh, H[d])
#undef RK_PICK
        char key[22];
        memcpy(key, pm, 22);
        size_t a2 = a, b2 = b, c2 = c, d2 = d;
        while (a2 < np && P[a2]->h == kh && rk_keycmp(P[a2]->pm, key, 22) == 0)
            a2++;
        while (b2 < na && A[b2]->h == kh && rk_keycmp(A[b2]->pm, key, 22) == 0)
            b2++;
        while (c2 < ns && S[c2]->h == kh && rk_keycmp(S[c2]->pm, key, 22) == 0)
            c2++;
        while (d2 < nh && H[d2]->h == kh && rk_keycmp(H[d2]->pm, key, 22) == 0)
            d2++;
        rk_judge_person_month(j, P + a, a2 - a, A + b, b2 - b, S + c, c2 - c, d2 > d ? H[d] : NULL);
        a = a2;
        b = b2;
        c = c2;
        d = d2;
    }
}

/* ---- totals --------------------------------------------------------------------- */

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

static rk_status build_summary(rk_vec *all, rk_check_summary **out)
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
    size_t cnt[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++)
        cnt[rows[i].key[0] == 'I' ? 1 : rows[i].key[0] == 'O' ? 0 : 2]++;
    s->office = calloc(cnt[0] + 1, sizeof *s->office);
    s->insurer = calloc(cnt[1] + 1, sizeof *s->insurer);
    s->type = calloc(cnt[2] + 1, sizeof *s->type);
    if (!s->office || !s->insurer || !s->type) {
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
        else
            s->type[s->ntype++] = x;
    }
    free(rows);
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
    free(s);
}

/* ---- the whole check -------------------------------------------------------------- */

static int cmp_find_place(const void *a, const void *b)
{
    const cfind *x = *(const cfind *const *)a, *y = *(const cfind *const *)b;
    if (x->at.file != y->at.file)
        return x->at.file < y->at.file ? -1 : 1;
    if (x->at.chunk != y->at.chunk)
        return x->at.chunk < y->at.chunk ? -1 : 1;
    return (x->at.off > y->at.off) - (x->at.off < y->at.off);
}

/* The record and line numbers of the findings: their chunks are walked again,
 * in parallel, each file mapped once more. */
static rk_status find_places(rk_engine *e, part *parts, char *const *files, size_t nf, const rk_chunk_bases *bases,
                             unsigned jobs)
{
    size_t n = 0;
    for (size_t i = 0; i < NPART; i++)
        n += parts[i].finds.n;
    if (!n)
        return RK_OK;
    cfind **fp = malloc(n * sizeof *fp);
    uint64_t *offs = malloc(n * sizeof *offs), *recs = malloc(n * sizeof *recs), *lines = malloc(n * sizeof *lines);
    size_t *group = malloc((n + 1) * sizeof *group); /* starts of runs of one (file, chunk) */
    rk_status st = fp && offs && recs && lines && group ? RK_OK : RK_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; st == RK_OK && i < NPART; i++)
        for (size_t q = 0; q < parts[i].finds.n; q++)
            fp[k++] = (cfind *)parts[i].finds.v + q;
    if (st == RK_OK)
        qsort(fp, n, sizeof *fp, cmp_find_place);
    for (size_t a = 0; st == RK_OK && a < n;) {
        uint32_t file = fp[a]->at.file;
        size_t b = a, ng = 0;
        while (b < n && fp[b]->at.file == file) {
            if (b == a || fp[b]->at.chunk != fp[b - 1]->at.chunk)
                group[ng++] = b;
            offs[b] = fp[b]->at.off;
            b++;
        }
        group[ng] = b;
        rk_map map;
        if (file >= nf || rk_map_file(files[file], &map) != RK_OK) {
            st = RK_ERR_IO;
            break;
        }
        rk_status gst = RK_OK;
#pragma omp parallel for num_threads((int)jobs) schedule(dynamic, 1)
        for (size_t g = 0; g < ng; g++) {
            size_t lo = group[g], m = group[g + 1] - lo;
            rk_status s1 = rk_chunk_places(e, omp_get_thread_num(), map.p, map.len, &bases[file], fp[lo]->at.chunk,
                                           offs + lo, m, recs + lo, lines + lo);
            if (s1 != RK_OK) {
#pragma omp critical(rk_find_places)
                gst = s1;
            }
        }
        rk_unmap(&map);
        st = gst;
        a = b;
    }
    for (size_t i = 0; st == RK_OK && i < n; i++) {
        fp[i]->record = recs[i];
        fp[i]->line = lines[i];
    }
    free(fp);
    free(offs);
    free(recs);
    free(lines);
    free(group);
    return st;
}

rk_status rk_check(const rk_check_options *o, const char *const *paths, size_t n, rk_report *r,
                   rk_check_summary **summary, char *err, size_t errcap)
{
    char dummy[8];
    if (!err || !errcap) {
        err = dummy;
        errcap = sizeof dummy;
    }
    err[0] = 0;
    *summary = NULL;
    if (!o || !o->master_path || !r)
        return RK_ERR_ARG;
    rk_master *m = rk_master_new();
    rk_offices *of = o->offices_path ? rk_offices_new() : NULL;
    char **files = NULL;
    size_t nf = 0;
    part *parts = calloc(NPART, sizeof *parts);
    rk_status st = m && parts && (!o->offices_path || of) ? RK_OK : RK_ERR_NOMEM;
    if (st == RK_OK)
        st = load_table(o->master_path, m, NULL, err, errcap);
    if (st == RK_OK && of)
        st = load_table(o->offices_path, NULL, of, err, errcap);
    if (st == RK_OK) {
        st = rk_collect_files(paths, n, &files, &nf);
        if (st != RK_OK)
            snprintf(err, errcap, "cannot read the inputs");
    }
    for (size_t i = 0; parts && i < NPART; i++) {
        parts[i].finds.elem = sizeof(cfind);
        parts[i].totals.elem = sizeof(rk_check_total);
    }
    /* Read the files of the four kinds: each file in chunks across the
     * threads, each thread into its own partitions. */
    unsigned jobs = o->jobs ? o->jobs : (unsigned)omp_get_num_procs();
    size_t *slot = calloc(nf ? nf : 1, sizeof *slot);
    int *kinds = calloc(nf ? nf : 1, sizeof *kinds);
    uint64_t *sizes = calloc(nf ? nf : 1, sizeof *sizes), *records = calloc(nf ? nf : 1, sizeof *records);
    rk_chunk_bases *bases = calloc(nf ? nf : 1, sizeof *bases);
    int dropped = 0;
    part *tparts = calloc((size_t)jobs * NPART, sizeof *tparts);
    int *oom = calloc(jobs, sizeof *oom);
    if (st == RK_OK && (!slot || !kinds || !sizes || !records || !bases || !tparts || !oom))
        st = RK_ERR_NOMEM;
    for (size_t i = 0; tparts && i < (size_t)jobs * NPART; i++) {
        for (int k = 0; k < 4; k++) {
            tparts[i].rows[k].elem = row_size[k];
            tparts[i].runs[k].elem = sizeof(run);
        }
    }
    rk_options eo;
    rk_options_init(&eo);
    eo.jobs = jobs;
    eo.chunk_size = o->chunk_size;
    rk_engine *e = st == RK_OK ? rk_engine_new(&eo) : NULL;
    if (st == RK_OK && !e)
        st = RK_ERR_NOMEM;
    for (size_t i = 0; i < nf && st == RK_OK; i++) {
        const char *nm = strrchr(files[i], '/');
        rk_name_info ni;
        rk_name_parse(nm ? nm + 1 : files[i], &ni);
        kinds[i] = rk_billing_kind(&ni);
        if (kinds[i] < 0)
            continue;
        rk_map map;
        if (rk_map_file(files[i], &map) != RK_OK) {
            snprintf(err, errcap, "cannot read %s", files[i]);
            st = RK_ERR_IO;
            break;
        }
        slot[i] = rk_report_add_slot(r);
        const char *prefix = rk_billing_kind_prefix(kinds[i]);
        reader rd = {
            (uint32_t)i, kinds[i], rk_layout_find(prefix, RK_LAYOUT_V3), rk_layout_find(prefix, RK_LAYOUT_V4), {0},
            tparts,      oom};
        rk_csv_version_of(RK_LAYOUT_V3, rd.v3);
        rk_status rs = slot[i] == (size_t)-1 ? RK_ERR_NOMEM
                                             : rk_csv_each_parallel(e, map.p, map.len, 1, read_record, &rd, &bases[i]);
        for (unsigned t = 0; t < jobs; t++) {
            if (oom[t] == RK_TOO_MANY_CHUNKS) {
                snprintf(err, errcap, "%s: too many chunks; raise --chunk-size", files[i]);
                rs = RK_ERR_ARG;
            } else if (oom[t] && rs == RK_OK) {
                rs = RK_ERR_NOMEM;
            }
        }
        if (rs != RK_OK)
            st = rs == RK_ERR_ARG ? RK_ERR_ARG : RK_ERR_NOMEM;
        records[i] = bases[i].total;
        dropped |= bases[i].dropped;
        sizes[i] = map.len;
        rk_unmap(&map);
    }
    /* The rows read on a wrong guess of a chunk start go. */
    int fix_oom = 0;
#pragma omp parallel for num_threads((int)jobs) schedule(dynamic, 4) reduction(| : fix_oom)
    for (size_t t = 0; t < (st == RK_OK && dropped ? (size_t)jobs * NPART : 0); t++)
        for (int k = 0; k < 4; k++)
            fix_oom |= !drop_rows(&tparts[t], k, place_off[k], bases);
    if (fix_oom)
        st = RK_ERR_NOMEM;
    free(oom);
    /* Judge the partitions in parallel, each first sorted from the threads' rows. */
    if (st == RK_OK) {
        scratch *scr = calloc(jobs, sizeof *scr);
        if (!scr)
            st = RK_ERR_NOMEM;
#pragma omp parallel for num_threads((int)jobs) schedule(dynamic, 1)
        for (size_t i = 0; i < (scr ? NPART : 0); i++) {
            part *p = &parts[i];
            scratch *sc = &scr[omp_get_thread_num()];
            int ok = 1;
            for (int k = 0; k < 4 && ok; k++)
                ok = sort_part(&sc->k[k], sc, tparts, jobs, i, k);
            if (!ok) {
                p->oom = 1;
                continue;
            }
            rk_judge j;
            rk_judge_sink sink = {part_finding, part_claim, p};
            rk_judge_init(&j, m, of, &sink);
            judge_part(&j, sc->k);
            for (unsigned t = 0; t < jobs; t++) { /* judged: the threads' rows go */
                part *tp = &tparts[(size_t)t * NPART + i];
                part_free_rows(tp);
            }
        }
        for (unsigned t = 0; scr && t < jobs; t++) {
            free(scr[t].r);
            free(scr[t].tmp);
            free(scr[t].merge);
            for (int q = 0; q < 4; q++)
                free(scr[t].k[q].v);
        }
        free(scr);
        for (size_t i = 0; i < NPART; i++)
            if (parts[i].oom)
                st = RK_ERR_NOMEM;
    }
    if (st == RK_OK)
        st = find_places(e, parts, files, nf, bases, jobs);
    rk_engine_free(e);
    /* Findings to their files; totals summed. */
    if (st == RK_OK) {
        rk_fbuf *fb = calloc(nf ? nf : 1, sizeof *fb);
        rk_vec all = {NULL, 0, 0, sizeof(rk_check_total)};
        if (!fb)
            st = RK_ERR_NOMEM;
        for (size_t i = 0; fb && i < nf; i++)
            rk_fbuf_init(&fb[i], 0);
        for (size_t i = 0; fb && i < NPART; i++) {
            cfind *f = parts[i].finds.v;
            for (size_t k = 0; k < parts[i].finds.n; k++)
                rk_fbuf_add(&fb[f[k].at.file], f[k].rule, f[k].record, f[k].line, f[k].field, f[k].at.off,
                            f[k].value[0] ? f[k].value : NULL, strlen(f[k].value),
                            f[k].expected[0] ? f[k].expected : NULL);
            const rk_check_total *t = parts[i].totals.v;
            for (size_t k = 0; k < parts[i].totals.n && st == RK_OK; k++)
                if (!rk_vec_push(&all, &t[k]))
                    st = RK_ERR_NOMEM;
        }
        for (size_t i = 0; fb && i < nf; i++) {
            if (st == RK_OK && kinds[i] >= 0) {
                const char *nm = strrchr(files[i], '/');
                rk_name_info ni;
                rk_name_parse(nm ? nm + 1 : files[i], &ni);
                st = rk_report_store(r, slot[i], &fb[i], files[i], ni.kind, NULL, sizes[i], records[i], 0);
                if (st == RK_OK)
                    st = rk_report_set_facts(r, slot[i], &ni, RK_LAYOUT_V4, NULL, 0, 1);
            }
            rk_fbuf_free(&fb[i]);
        }
        free(fb);
        if (st == RK_OK)
            st = build_summary(&all, summary);
        free(all.v);
    }
    for (size_t t = 0; tparts && t < (size_t)jobs * NPART; t++) {
        part_free_rows(&tparts[t]);
    }
    free(tparts);
    for (size_t i = 0; parts && i < NPART; i++) {
        free(parts[i].finds.v);
        free(parts[i].totals.v);
        free(parts[i].tix);
    }
    free(parts);
    free(slot);
    free(kinds);
    free(sizes);
    free(records);
    for (size_t i = 0; bases && i < nf; i++)
        rk_chunk_bases_free(&bases[i]);
    free(bases);
    rk_paths_free(files, nf);
    rk_master_free(m);
    rk_offices_free(of);
    return st;
}

/* ---- output --------------------------------------------------------------------- */

static void text_rows(FILE *out, const char *title, const rk_check_total *t, size_t n)
{
    fprintf(out, "\n%-12s %12s %12s %10s %12s %6s %7s\n", title, "planned", "actual", "cut", "cut yen", "held",
            "claims");
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%-12s %12lld %12lld %10lld %12lld %6llu %7llu\n", t[i].key[0] ? t[i].key : "(all)",
                (long long)t[i].planned_units, (long long)t[i].actual_units, (long long)t[i].cut_units,
                (long long)t[i].cut_yen, (unsigned long long)t[i].held, (unsigned long long)t[i].claims);
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
    } else if (fmt == RK_FMT_JSONL) {
        for (int g = 0; g < 3; g++)
            for (size_t i = 0; i < groups[g].n; i++)
                json_total(&w, groups[g].by, &groups[g].t[i], 1);
        json_total(&w, "all", &s->all, 1);
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
        rk_json_end(&w);
    }
    return ferror(out) ? RK_ERR_IO : RK_OK;
}
