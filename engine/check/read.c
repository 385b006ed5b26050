/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading for `renkei check` (check_internal.h): each record of a billing
 * file as a small row in its thread's partition, in runs of one person-month.
 */
#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL /* the hashes here are of short keys: inlined, they cost a few loads */
#include <xxhash.h>

#include "../../formats/careplan/record.h"
#include "../csv/scan.h"
#include "check_internal.h"

const size_t ck_row_size[RK_BK_COUNT] = {sizeof(rk_day_row), sizeof(rk_day_row), sizeof(rk_benefit_row),
                                         sizeof(rk_person_row), sizeof(rk_delete_row)};
const size_t ck_place_off[RK_BK_COUNT] = {offsetof(rk_day_row, at), offsetof(rk_day_row, at),
                                          offsetof(rk_benefit_row, at), offsetof(rk_person_row, at),
                                          offsetof(rk_delete_row, at)};

/* A record (or a byte of it) the check could not read: counted with the
 * first place, per thread, file, rule and chunk (a chunk may be dropped). */
static void note_unread(ck_reader *rd, int thread, size_t chunk, uint32_t rule, const rk_record *rec, uint32_t want)
{
    rk_vec *v = &rd->unread[thread];
    ck_unread *u = v->v;
    for (size_t i = v->n; i > 0 && i + 4 > v->n; i--) /* the last few: rules of one chunk interleave */
        if (u[i - 1].file == rd->file && u[i - 1].rule == rule && u[i - 1].at.chunk == chunk) {
            u[i - 1].count += u[i - 1].last != rec->offset; /* records, not bytes */
            u[i - 1].last = rec->offset;
            return;
        }
    ck_unread x = {rd->file, rule, {rec->offset, rd->file, (uint32_t)chunk}, 1, rec->offset, want};
    if (!rk_vec_push(v, &x))
        rd->oom[thread] = 1;
}

void ck_read_anomaly(void *ctx, int thread, size_t chunk, const rk_anom *a, const rk_record *rec)
{
    if (rec && a->kind == RK_AN_ENC_INVALID) /* not MS932: the file's text is not what it says */
        note_unread(ctx, thread, chunk, RK_R_ENC_INVALID, rec, 0);
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

int ck_read_record(void *ctx, int thread, size_t chunk, const unsigned char *buf, const rk_record *rec)
{
    ck_reader *rd = ctx;
    const unsigned char *p;
    size_t n;
    if (chunk > UINT32_MAX) { /* a place keeps 32 bits of chunk id */
        rd->oom[thread] = RK_TOO_MANY_CHUNKS;
        return 1;
    }
    rk_item(buf, rec, RK_VERSION_ITEM, &p, &n);
    int v3 = 0;
    if (__builtin_expect(n != RK_VERSION_LEN || memcmp(p, rd->v4, RK_VERSION_LEN) != 0, 0) &&
        !(v3 = n == RK_VERSION_LEN && memcmp(p, rd->v3, RK_VERSION_LEN) == 0))
        note_unread(rd, thread, chunk, RK_R_VER_UNKNOWN, rec, 0); /* read as v4.1 when its items fit */
    const rk_layout *L = v3 ? rd->l3 : rd->l4;
    if (!L || rec->nfields != L->nfields) {
        note_unread(rd, thread, chunk, RK_R_CSV_FIELD_COUNT, rec, L ? L->nfields : 0);
        return 0;
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
    } else if (rd->kind == RK_BK_DELETE) {
        rk_delete_row *d = push_row(pt, RK_BK_DELETE, h, &pm);
        if ((ok = d != NULL)) {
            rk_delete_row_fill(L, buf, rec, d);
            d->at = at;
        }
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
    else if (rd->spill && rd->spill->on &&
             /* a row and its share of a run (24 bytes for some six rows of a person-month) */
             (rd->spill->used[thread] += ck_row_size[rd->kind] + sizeof(run) / 4) > rd->spill->thread_budget &&
             !ck_spill_thread(rd->spill, &rd->parts[(size_t)thread * NPART], (unsigned)thread)) {
        rd->oom[thread] = RK_SPILL_FAILED;
        return 1;
    }
    return !ok;
}

/* Drops the rows of one thread's vector of a kind read on a wrong guess of a
 * chunk start; the vector's runs are counted again. */
int ck_drop_rows(part *tp, int kind, const rk_chunk_bases *b, int runs)
{
    rk_vec *v = &tp->rows[kind];
    size_t w = 0;
    for (size_t i = 0; i < v->n; i++) {
        char *row = (char *)v->v + i * v->elem;
        const rk_row_place *at = (const rk_row_place *)(row + ck_place_off[kind]);
        if (b[at->file].records[at->chunk] == RK_CHUNK_DROPPED)
            continue;
        if (w != i)
            memcpy((char *)v->v + w * v->elem, row, v->elem);
        w++;
    }
    if (w == v->n && !runs)
        return 1;
    v->n = w;
    return ck_count_runs(tp, kind);
}

int ck_count_runs(part *tp, int kind)
{
    rk_vec *v = &tp->rows[kind], *rv = &tp->runs[kind];
    rv->n = 0;
    for (size_t i = 0; i < v->n; i++)
        if (!run_note(rv, v, i))
            return 0;
    return 1;
}

void ck_part_free_rows(part *tp)
{
    for (int k = 0; k < RK_BK_COUNT; k++) {
        free(tp->rows[k].v);
        free(tp->runs[k].v);
        tp->rows[k].v = tp->runs[k].v = NULL;
        tp->rows[k].n = tp->runs[k].n = tp->rows[k].cap = tp->runs[k].cap = 0;
    }
}
