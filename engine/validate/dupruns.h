/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Duplicate records (RK-FILE-004). The standard writes the data of one person
 * together, so a record is compared with the records before it in the same
 * run of 保険者番号 + 被保険者番号: an XXH3 hash set per run, bytes compared on a
 * hash match. Runs cut by a chunk boundary are finished when chunks merge,
 * from each chunk's first and last run (hashed when the chunk ends), so
 * chunking never changes the result.
 */
#ifndef RK_DUPRUNS_H
#define RK_DUPRUNS_H

#include <stddef.h>
#include <stdint.h>

#include <stdlib.h>
#include <string.h>

#include "../common/vec.h"
#include "../findings/findings.h"
#include "renkei.h"

#ifndef XXH_INLINE_ALL
#define XXH_INLINE_ALL /* one hash per record: inlined, no call per record */
#endif
#include <xxhash.h>

typedef struct rk_run_rec {
    uint64_t hash, record, line, off, len;
} rk_run_rec;

typedef struct rk_person_run {
    uint64_t who[2]; /* 保険者番号 + 被保険者番号, space-padded (rk_person_words) */
    rk_run_rec *v;
    size_t n, cap;
    int hashed; /* every record has its hash, and the run its hash set */
} rk_person_run;

typedef struct rk_dup_table {
    uint32_t *slot; /* 1 + index into the current run, 0 = empty */
    size_t mask;
} rk_dup_table;

/* What a chunk's walk keeps: its first and current run of one person. */
typedef struct rk_dup_runs {
    rk_person_run first, cur;
    int first_closed; /* the first run ended inside the chunk */
    rk_dup_table set; /* hashes of the current run */
} rk_dup_runs;

/* What the merge carries across chunk boundaries: the person run still open. */
typedef struct rk_dup_open {
    rk_person_run run;
    rk_dup_table set;
} rk_dup_open;

/*
 * rk_dup_note runs on every record: the code is here, inlined into the
 * walk (a module of its own cost 4.5% of validation time on 第6表, measured
 * by sampling: the calls and run_push out of line).
 *
 * rk_dup_note(c, buf, who, rec, f): a record of person `who` walked in a
 * chunk; a duplicate of an earlier one in the chunk goes to f; RK_ERR_NOMEM
 * when memory runs out. rk_dup_chunk_done: the chunk's walk ended, its last
 * run is hashed for the merge. rk_dup_pending: the chunk holds runs the merge
 * must look at. rk_dup_merge: finishes the runs cut by the boundary before
 * chunk c (record and line numbers made global with base, lbase) and carries
 * c's last run in o.
 */

/* Records a run may hold, all of different lengths, before it is hashed. */
#define RK_DUP_LAZY 8

static inline int dup_run_push(rk_person_run *r, const rk_run_rec *x)
{
    if (!RK_RESERVE(r->v, r->cap, r->n + 1, 32))
        return 0;
    r->v[r->n++] = *x;
    return 1;
}

static inline void dup_run_free(rk_person_run *r)
{
    free(r->v);
    memset(r, 0, sizeof *r);
}

/* The earlier record of `run` with the same bytes as x, or NULL. */
static const rk_run_rec *dup_run_find(const unsigned char *buf, const rk_person_run *run, const rk_dup_table *t,
                                      const rk_run_rec *x)
{
    if (t) {
        for (size_t h = (size_t)x->hash & t->mask; t->slot[h]; h = (h + 1) & t->mask) {
            const rk_run_rec *y = &run->v[t->slot[h] - 1];
            if (y->hash == x->hash && y->len == x->len && memcmp(buf + y->off, buf + x->off, x->len) == 0)
                return y;
        }
        return NULL;
    }
    for (size_t i = 0; i < run->n; i++) {
        const rk_run_rec *y = &run->v[i];
        if (y->hash == x->hash && y->len == x->len && memcmp(buf + y->off, buf + x->off, x->len) == 0)
            return y;
    }
    return NULL;
}

/* Hashes the records of a run that have none yet (a short run of records of
 * different lengths needs none: no two can be the same). */
static inline void dup_run_hash(const unsigned char *buf, rk_person_run *r)
{
    if (r->hashed)
        return;
    for (size_t i = 0; i < r->n; i++)
        r->v[i].hash = XXH3_64bits(buf + r->v[i].off, (size_t)r->v[i].len);
    r->hashed = 1;
}

/* Rebuilds the hash set over the current run with room for twice its size. */
static inline int rk_dup_rebuild(rk_dup_table *t, const rk_person_run *run)
{
    size_t cap = 64;
    while (cap < 2 * (run->n + 1))
        cap *= 2;
    if (cap - 1 != t->mask || !t->slot) {
        free(t->slot);
        t->slot = calloc(cap, sizeof *t->slot);
        if (!t->slot)
            return 0;
        t->mask = cap - 1;
    } else {
        memset(t->slot, 0, cap * sizeof *t->slot);
    }
    for (size_t i = 0; i < run->n; i++) {
        size_t h = (size_t)run->v[i].hash & t->mask;
        while (t->slot[h])
            h = (h + 1) & t->mask;
        t->slot[h] = (uint32_t)(i + 1);
    }
    return 1;
}

/* Empties t for the next run. A table grown for a long run is given back
 * when the run before (used records) filled little of it: clearing then costs
 * what that run cost, and one long run cannot make every later person's
 * clearing slow. */
static inline void rk_dup_clear(rk_dup_table *t, size_t used)
{
    if (!t->slot)
        return;
    size_t cap = t->mask + 1;
    if (cap > 64 && cap > 8 * (used + 1)) {
        free(t->slot);
        t->slot = NULL;
        t->mask = 0;
        return;
    }
    memset(t->slot, 0, cap * sizeof *t->slot);
}

static inline rk_status rk_dup_note(rk_dup_runs *c, const unsigned char *buf, const uint64_t who[2],
                                    const rk_record *rec, rk_fbuf *f)
{
    rk_person_run *run = &c->cur;
    if (who[0] != run->who[0] || who[1] != run->who[1] || run->n == 0) {
        size_t used = run->n;
        if (run->hashed)
            rk_dup_clear(&c->set, used);
        if (run->n && !c->first_closed) { /* the first run ends: keep it for the merge */
            dup_run_hash(buf, run);
            c->first = *run;
            memset(run, 0, sizeof *run);
            c->first_closed = 1;
        }
        run->n = 0;
        run->hashed = 0;
        memcpy(run->who, who, sizeof run->who);
    }
    rk_run_rec x;
    x.off = rec->offset;
    x.len = rec->end - rec->offset;
    x.hash = 0;
    x.record = rec->record;
    x.line = rec->line;
    if (!run->hashed) {
        /* A few records of different lengths (a 第7表 service row and its
         * total row) cannot repeat each other: no hashing until two match. */
        size_t i = 0;
        while (i < run->n && run->v[i].len != x.len)
            i++;
        if (i == run->n && run->n < RK_DUP_LAZY)
            return dup_run_push(run, &x) ? RK_OK : RK_ERR_NOMEM;
        dup_run_hash(buf, run);
        if (!rk_dup_rebuild(&c->set, run))
            return RK_ERR_NOMEM;
    }
    x.hash = XXH3_64bits(buf + x.off, (size_t)x.len);
    if (2 * (run->n + 1) > (c->set.slot ? c->set.mask + 1 : 0) && !rk_dup_rebuild(&c->set, run))
        return RK_ERR_NOMEM;
    /* The chunk's first run may continue a person from the chunk before:
     * the merge reports its duplicates, naming the earliest copy. */
    const rk_run_rec *y = c->first_closed ? dup_run_find(buf, run, &c->set, &x) : NULL;
    if (y)
        rk_fbuf_add_ref(f, RK_R_FILE_DUPLICATE, rec->record, rec->line, rec->offset, y->record);
    if (!dup_run_push(run, &x))
        return RK_ERR_NOMEM;
    size_t h = (size_t)x.hash & c->set.mask;
    while (c->set.slot[h])
        h = (h + 1) & c->set.mask;
    c->set.slot[h] = (uint32_t)run->n;
    return RK_OK;
}

static inline void rk_dup_chunk_done(rk_dup_runs *c, const unsigned char *buf)
{
    dup_run_hash(buf, &c->cur);
}

static inline int rk_dup_pending(const rk_dup_runs *c)
{
    return c->cur.n || c->first.n;
}

static inline void rk_dup_runs_free(rk_dup_runs *c)
{
    dup_run_free(&c->first);
    dup_run_free(&c->cur);
    free(c->set.slot);
    memset(c, 0, sizeof *c);
}

static inline void rk_dup_open_free(rk_dup_open *o)
{
    dup_run_free(&o->run);
    free(o->set.slot);
    memset(o, 0, sizeof *o);
}

/* Adds x (its record number made global) to the open run and its hash set. */
static inline int dup_open_add(const unsigned char *buf, rk_person_run *open, rk_dup_table *t, const rk_run_rec *x,
                               uint64_t base, uint64_t lbase)
{
    rk_run_rec y = *x;
    y.record += base;
    y.line += lbase;
    (void)buf;
    if (!dup_run_push(open, &y))
        return 0;
    if (2 * open->n > (t->slot ? t->mask + 1 : 0))
        return rk_dup_rebuild(t, open);
    size_t h = (size_t)y.hash & t->mask;
    while (t->slot[h])
        h = (h + 1) & t->mask;
    t->slot[h] = (uint32_t)open->n;
    return 1;
}

/*
 * Finishes the person runs cut by the boundary before chunk c: the records
 * of c's first run that repeat a record of the same person in earlier chunks
 * (and no earlier record of their own chunk, which the chunk reported), then
 * carries c's last run forward.
 */
static inline rk_status rk_dup_merge(rk_fbuf *fb, const unsigned char *buf, const rk_dup_runs *c, uint64_t base,
                                     uint64_t lbase, rk_dup_open *o)
{
    rk_person_run *open = &o->run;
    rk_dup_table *t = &o->set;
    const rk_person_run *head = c->first_closed ? &c->first : &c->cur;
    int continues = open->n && memcmp(open->who, head->who, sizeof open->who) == 0;
    /* Duplicates in the head run: the earliest copy, in earlier chunks first. */
    rk_person_run pre = {{0}, head->v, 0, head->n, 1};
    memcpy(pre.who, head->who, sizeof pre.who);
    rk_dup_table ht = {NULL, 0};
    rk_status st = RK_OK;
    for (size_t i = 0; i < head->n && st == RK_OK; i++) {
        const rk_run_rec *r = &head->v[i];
        const rk_run_rec *y = continues ? dup_run_find(buf, open, t, r) : NULL;
        uint64_t yrec = y ? y->record : 0;
        if (!y && pre.n && (y = dup_run_find(buf, &pre, &ht, r)) != NULL)
            yrec = y->record + base;
        if (y)
            rk_fbuf_add_ref(fb, RK_R_FILE_DUPLICATE, r->record + base, r->line + lbase, r->off, yrec);
        pre.n++;
        if (2 * pre.n > (ht.slot ? ht.mask + 1 : 0)) {
            if (!rk_dup_rebuild(&ht, &pre))
                st = RK_ERR_NOMEM;
        } else {
            size_t h = (size_t)r->hash & ht.mask;
            while (ht.slot[h])
                h = (h + 1) & ht.mask;
            ht.slot[h] = (uint32_t)pre.n;
        }
    }
    free(ht.slot);
    if (st != RK_OK)
        return st;
    if (continues && !c->first_closed) { /* the whole chunk is this person: the run goes on */
        for (size_t i = 0; i < head->n; i++)
            if (!dup_open_add(buf, open, t, &head->v[i], base, lbase))
                return RK_ERR_NOMEM;
        return RK_OK;
    }
    const rk_person_run *last = &c->cur;
    rk_dup_clear(t, open->n);
    open->n = 0;
    memcpy(open->who, last->who, sizeof open->who);
    for (size_t i = 0; i < last->n; i++)
        if (!dup_open_add(buf, open, t, &last->v[i], base, lbase))
            return RK_ERR_NOMEM;
    return RK_OK;
}

#endif
