/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sorting for `renkei check` (check_internal.h): a partition's rows from
 * every thread's vectors, as pointers, in the order the judgement merges
 * them. The runs are radix-sorted on the hash bits above the partition's;
 * runs that share those bits (one person-month split between chunks, or a
 * rare collision) and runs out of order are sorted row by row. Rows stay
 * where the readers put them.
 */
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"

/* Person-months in the order of ck_pm_cmp; rows of one by file and record. */
static int cmp_pm(uint64_t h1, const char *pm1, uint64_t h2, const char *pm2)
{
    return ck_pm_cmp(h1, pm1, h2, pm2);
}

static int cmp_place(const rk_row_place *x, const rk_row_place *y)
{
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    return (x->off > y->off) - (x->off < y->off);
}

/* The order of rows of one person-month (the tail of each comparator). */
static inline __attribute__((always_inline)) int tail_day(const void *a, const void *b)
{
    const rk_day_row *x = a, *y = b;
    /* office, code and date are contiguous: one compare */
    int c = rk_keycmp(x->office, y->office, sizeof x->office + sizeof x->code + sizeof x->date);
    return c ? c : cmp_place(&x->at, &y->at);
}

static inline __attribute__((always_inline)) int tail_benefit(const void *a, const void *b)
{
    return cmp_place(&((const rk_benefit_row *)a)->at, &((const rk_benefit_row *)b)->at);
}

static inline __attribute__((always_inline)) int tail_person(const void *a, const void *b)
{
    return cmp_place(&((const rk_person_row *)a)->at, &((const rk_person_row *)b)->at);
}

static inline __attribute__((always_inline)) int tail_delete(const void *a, const void *b)
{
    return cmp_place(&((const rk_delete_row *)a)->at, &((const rk_delete_row *)b)->at);
}

static inline __attribute__((always_inline)) int cmp_day(const void *a, const void *b)
{
    const rk_day_row *x = a, *y = b;
    int c = cmp_pm(x->h, x->pm, y->h, y->pm);
    return c ? c : tail_day(a, b);
}

static inline __attribute__((always_inline)) int cmp_benefit(const void *a, const void *b)
{
    const rk_benefit_row *x = a, *y = b;
    int c = cmp_pm(x->h, x->pm, y->h, y->pm);
    return c ? c : tail_benefit(a, b);
}

static inline __attribute__((always_inline)) int cmp_person(const void *a, const void *b)
{
    const rk_person_row *x = a, *y = b;
    int c = cmp_pm(x->h, x->pm, y->h, y->pm);
    return c ? c : tail_person(a, b);
}

static inline __attribute__((always_inline)) int cmp_delete(const void *a, const void *b)
{
    const rk_delete_row *x = a, *y = b;
    int c = cmp_pm(x->h, x->pm, y->h, y->pm);
    return c ? c : tail_delete(a, b);
}

/* Room for n elements in *pp, its contents not kept (scratch space). */
static int reserve_scratch(void *pp, size_t *cap, size_t n, size_t elem)
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

/* Runs sorted by insertion below this (the radix passes clear and sum 2^11
 * counts each: a small month's partitions would spend their time there). */
#define RK_SMALL_SORT 64

/* Inlined once per comparator (sort_part below), so the order checks of the
 * rows, one per row, are not calls through a pointer. */
static inline __attribute__((always_inline)) int sort_part_by(ck_sorted *out, ck_scratch *sc, part *tparts,
                                                              unsigned jobs, size_t pi, int kind,
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
    if (!reserve_scratch(&sc->r, &sc->rcap, nr, sizeof *sc->r) ||
        !reserve_scratch(&sc->tmp, &sc->tcap, nr, sizeof *sc->tmp) ||
        !reserve_scratch(&sc->merge, &sc->mcap, n, sizeof *sc->merge) ||
        !reserve_scratch(&out->v, &out->cap, n, sizeof *out->v))
        return 0;
    const size_t elem = ck_row_size[kind];
    ck_ref *r = sc->r, *tmp = sc->tmp;
    size_t k = 0;
    for (unsigned t = 0; t < jobs; t++) {
        const part *tp = &tparts[(size_t)t * NPART + pi];
        const run *ru = tp->runs[kind].v;
        for (size_t i = 0; i < tp->runs[kind].n; i++)
            r[k++] = (ck_ref){ru[i].h, (const char *)tp->rows[kind].v + ru[i].first * elem, ru[i].n};
    }
    if (nr <= RK_SMALL_SORT) { /* a few runs: a stable insertion sort on the same key, no bucket tables */
        for (size_t i = 1; i < nr; i++) {
            ck_ref x = r[i];
            uint64_t key = ck_radix_key(x.h);
            size_t j = i;
            for (; j > 0 && ck_radix_key(r[j - 1].h) > key; j--)
                r[j] = r[j - 1];
            r[j] = x;
        }
    }
    for (unsigned pass = 0; nr > RK_SMALL_SORT && pass < RK_RADIX_PASSES; pass++) { /* LSD: stable, ends in r */
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
        ck_ref *sw = r;
        r = tmp;
        tmp = sw;
    }
    const void **o = out->v;
    for (size_t i = 0; i < nr;) { /* runs of equal radix key: rows out, then in order */
        /* runs lie scattered in memory: fetch the rows of the runs ahead */
        if (i + RK_PREFETCH_RUNS < nr) {
            const ck_ref *ahead = &r[i + RK_PREFETCH_RUNS];
            for (size_t x = 0; x < ahead->n * elem && x < 1024; x += 64)
                __builtin_prefetch(ahead->row + x);
        }
        size_t e = i + 1;
        uint64_t key = ck_radix_key(r[i].h);
        while (e < nr && ck_radix_key(r[e].h) == key)
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

int ck_sort_part(ck_sorted *out, ck_scratch *sc, part *tparts, unsigned jobs, size_t pi, int kind)
{
    switch (kind) {
    case RK_BK_BENEFIT: return sort_part_by(out, sc, tparts, jobs, pi, kind, cmp_benefit, tail_benefit);
    case RK_BK_PERSON: return sort_part_by(out, sc, tparts, jobs, pi, kind, cmp_person, tail_person);
    case RK_BK_DELETE: return sort_part_by(out, sc, tparts, jobs, pi, kind, cmp_delete, tail_delete);
    default: return sort_part_by(out, sc, tparts, jobs, pi, kind, cmp_day, tail_day);
    }
}

void ck_scratch_free(ck_scratch *sc)
{
    free(sc->r);
    free(sc->tmp);
    free(sc->merge);
    for (int q = 0; q < RK_BK_COUNT; q++)
        free(sc->k[q].v);
    rk_month_scratch_free(&sc->month);
    memset(sc, 0, sizeof *sc);
}
