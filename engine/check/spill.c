/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bounded memory for `renkei check` (check_internal.h): when a month's rows
 * would pass the budget, each reader thread writes its rows out to a
 * temporary file of its own whenever they pass its share, as segments of
 * one partition, sub-partition and kind, and the judgement loads one
 * sub-partition at a time. A sub-partition holds whole person-months (the
 * top bits of their hash), and rows are sorted by a total order before they
 * are judged, so the result is the one of the run in memory, byte for byte.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../io/io.h"
#include "check_internal.h"

/* Bytes of row per byte of input, to size the sub-partitions: a 第6表 row is
 * 88 bytes for a record of about 100 to 160. A month of shorter records
 * makes bigger sub-partitions than planned, not a wrong result. */
#define RK_ROW_PER_BYTE 1.0

static unsigned sub_of(const ck_spill *s, uint64_t h)
{
    return s->sub_bits ? (unsigned)(h >> (64 - s->sub_bits)) : 0;
}

int ck_spill_plan(ck_spill *s, uint64_t input_bytes, size_t budget, unsigned jobs)
{
    memset(s, 0, sizeof *s);
    if (!budget)
        return 1; /* no limit: the rows stay in memory */
    /* Reading: a thread writes its rows out when they pass its half-share of
     * the budget (the vectors' room and the rest take the other half).
     * Judging: a sub-partition per thread, its rows and sort pointers, fits
     * the same share. */
    s->thread_budget = budget / (2 * (size_t)jobs);
    double rows = (double)input_bytes * RK_ROW_PER_BYTE, unit = (double)s->thread_budget;
    unsigned bits = 0;
    while (bits < 12 && rows / NPART / (double)(1u << bits) > unit)
        bits++;
    s->sub_bits = bits;
    s->jobs = jobs;
    s->fd = malloc(jobs * sizeof *s->fd);
    s->size = calloc(jobs, sizeof *s->size);
    s->used = calloc(jobs, sizeof *s->used);
    s->segs = calloc(jobs, sizeof *s->segs);
    for (unsigned t = 0; s->fd && t < jobs; t++)
        s->fd[t] = -1; /* before any return: ck_spill_free closes what is not -1 */
    if (!s->fd || !s->size || !s->used || !s->segs)
        return 0;
    for (unsigned t = 0; t < jobs; t++)
        rk_vec_init(&s->segs[t], sizeof(ck_seg));
    const char *dir = getenv("TMPDIR");
    snprintf(s->dir, sizeof s->dir, "%s", dir && *dir ? dir : "/tmp");
    s->on = 1;
    return 1;
}

void ck_spill_free(ck_spill *s)
{
    for (unsigned t = 0; s->fd && t < s->jobs; t++)
        if (s->fd[t] >= 0)
            close(s->fd[t]);
    for (unsigned t = 0; s->segs && t < s->jobs; t++)
        rk_vec_free(&s->segs[t]);
    free(s->fd);
    free(s->size);
    free(s->used);
    free(s->segs);
    free(s->index);
    free(s->first);
    memset(s, 0, sizeof *s);
}

/* The thread's file: an unnamed one in the spill directory (nothing is left
 * behind, whatever happens). */
static int spill_fd(ck_spill *s, unsigned t)
{
    if (s->fd[t] < 0) {
        char tmpl[PATH_MAX + 32];
        int slot;
        snprintf(tmpl, sizeof tmpl, "%s/.renkei-check.XXXXXX", s->dir);
        s->fd[t] = rk_tmp_create(tmpl, &slot);
        if (s->fd[t] >= 0 && slot != RK_TMP_UNNAMED) {
            unlink(tmpl);
            rk_tmp_release(slot);
        }
    }
    return s->fd[t];
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Rows grouped by sub-partition a block at a time: a segment is a
 * sub-partition's rows of one block (one write, one read back). */
#define RK_SPILL_BLOCK (4u << 20)

/* Writes rows[0..n) of a kind in one partition out, by sub-partition. */
static int spill_rows(ck_spill *s, unsigned t, unsigned pi, int kind, const char *rows, size_t n, size_t elem)
{
    int fd = spill_fd(s, t);
    if (fd < 0)
        return -1;
    const unsigned nsub = 1u << s->sub_bits;
    const size_t per = RK_SPILL_BLOCK / elem ? RK_SPILL_BLOCK / elem : 1;
    char *buf = nsub > 1 ? malloc(per * elem) : NULL;
    size_t *at = nsub > 1 ? malloc((nsub + 1) * sizeof *at) : NULL;
    int bad = nsub > 1 && (!buf || !at);
    for (size_t b = 0; b < n && !bad; b += per) {
        size_t m = n - b < per ? n - b : per;
        const char *src = rows + b * elem;
        if (nsub == 1) {
            ck_seg g = {pi, 0, kind, s->size[t], m};
            bad = write_all(fd, src, m * elem) != 0 || !rk_vec_push(&s->segs[t], &g);
            s->size[t] += (uint64_t)m * elem;
            continue;
        }
        memset(at, 0, (nsub + 1) * sizeof *at);
        for (size_t i = 0; i < m; i++) {
            uint64_t h;
            memcpy(&h, src + i * elem, sizeof h);
            at[sub_of(s, h) + 1]++;
        }
        for (unsigned q = 0; q < nsub; q++)
            at[q + 1] += at[q];
        for (size_t i = 0; i < m; i++) { /* stable: a sub-partition's rows keep their order */
            uint64_t h;
            memcpy(&h, src + i * elem, sizeof h);
            memcpy(buf + at[sub_of(s, h)]++ * elem, src + i * elem, elem);
        }
        size_t from = 0;
        for (unsigned q = 0; q < nsub && !bad; q++) { /* at[q] is now the end of q */
            size_t k = at[q] - from;
            if (k) {
                ck_seg g = {pi, q, kind, s->size[t], k};
                bad = write_all(fd, buf + (size_t)from * elem, k * elem) != 0 || !rk_vec_push(&s->segs[t], &g);
                s->size[t] += (uint64_t)k * elem;
            }
            from = at[q];
        }
    }
    free(buf);
    free(at);
    return bad ? -1 : 0;
}

int ck_spill_thread(ck_spill *s, part *tp, unsigned t)
{
    for (unsigned pi = 0; pi < NPART; pi++)
        for (int k = 0; k < RK_BK_COUNT; k++) {
            rk_vec *v = &tp[pi].rows[k];
            if (v->n && spill_rows(s, t, pi, k, v->v, v->n, v->elem) != 0) {
                __atomic_store_n(&s->err, errno ? errno : EIO, __ATOMIC_RELAXED); /* reader threads at once */
                return 0;
            }
            size_t elem = v->elem;
            rk_vec_free(v);
            rk_vec_init(v, elem);
            rk_vec_free(&tp[pi].runs[k]);
            rk_vec_init(&tp[pi].runs[k], sizeof(run));
        }
    s->used[t] = 0;
    __atomic_store_n(&s->wrote, 1, __ATOMIC_RELAXED);
    return 1;
}

int ck_spill_index(ck_spill *s)
{
    size_t units = (size_t)NPART << s->sub_bits, total = 0;
    s->first = calloc(units + 1, sizeof *s->first);
    for (unsigned t = 0; s->first && t < s->jobs; t++)
        total += s->segs[t].n;
    s->index = malloc((total ? total : 1) * sizeof *s->index);
    if (!s->first || !s->index)
        return 0;
    /* counting sort of the segments by unit, stable: a thread's in its order */
    for (unsigned t = 0; t < s->jobs; t++) {
        const ck_seg *g = s->segs[t].v;
        for (size_t i = 0; i < s->segs[t].n; i++)
            s->first[((size_t)g[i].pi << s->sub_bits | g[i].sub) + 1]++;
    }
    for (size_t u = 0; u < units; u++)
        s->first[u + 1] += s->first[u];
    size_t *fill = calloc(units, sizeof *fill);
    if (!fill)
        return 0;
    for (unsigned t = 0; t < s->jobs; t++) {
        const ck_seg *g = s->segs[t].v;
        for (size_t i = 0; i < s->segs[t].n; i++) {
            size_t u = (size_t)g[i].pi << s->sub_bits | g[i].sub;
            s->index[s->first[u] + fill[u]++] = (ck_segref){t, i};
        }
    }
    free(fill);
    return 1;
}

int ck_spill_load(ck_spill *s, part *tparts, unsigned pi, unsigned sub, const rk_chunk_bases *bases)
{
    size_t u = (size_t)pi << s->sub_bits | sub;
    for (size_t x = s->first[u]; x < s->first[u + 1]; x++) {
        const ck_segref *r = &s->index[x];
        const ck_seg *g = (const ck_seg *)s->segs[r->thread].v + r->seg;
        part *tp = &tparts[(size_t)r->thread * NPART + pi];
        rk_vec *v = &tp->rows[g->kind];
        size_t n0 = v->n;
        if (n0 + g->n > v->cap && !rk_reserve_slow(&v->v, &v->cap, n0 + g->n, v->elem, 64))
            return 0;
        size_t bytes = g->n * v->elem, got = 0;
        while (got < bytes) {
            ssize_t k = pread(s->fd[r->thread], (char *)v->v + n0 * v->elem + got, bytes - got, (off_t)(g->off + got));
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0) {
                __atomic_store_n(&s->err, k < 0 ? errno : EIO, __ATOMIC_RELAXED);
                return 0;
            }
            got += (size_t)k;
        }
        v->n = n0 + g->n;
    }
    /* the rows of chunks read on a wrong guess go; the runs are counted again */
    for (unsigned t = 0; t < s->jobs; t++)
        for (int k = 0; k < RK_BK_COUNT; k++) {
            part *tp = &tparts[(size_t)t * NPART + pi];
            tp->runs[k].n = 0;
            if (!ck_drop_rows(tp, k, bases, 1))
                return 0;
        }
    return 1;
}
