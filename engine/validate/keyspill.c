/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Link keys on disk by partition (see keyspill.h). One temporary file holds
 * every partition: each partition fills a buffer of BLOCK entries in memory
 * and writes it out whole at the file's end, and the spill remembers where
 * each partition's blocks went. Reading a partition back reads its blocks,
 * drops the keys of chunks walked again, and orders the rest by chunk (a
 * chunk's keys arrive together and in order, so within a partition they stay
 * in order), which is file order.
 */
#include "../common/vec.h"
#include "keyspill.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

/* A key as written: the chunk and epoch it came from. */
typedef struct ent {
    rk_key k;
    uint32_t chunk, epoch;
} ent;

/* Entries per block: 8 KiB, so the buffers of all partitions take 2 MiB. */
#define BLOCK (8192 / sizeof(ent))

typedef struct part {
    uint64_t *at; /* file offset of each block */
    uint32_t *n;  /* entries in each block */
    size_t nb, cap;
    uint32_t fill; /* entries in the buffer */
} part;

struct rk_keyspill {
    int fd;
    uint64_t end; /* bytes written */
    uint64_t count;
    pthread_mutex_t mu;
    ent *buf; /* RK_SPILL_PARTS buffers of BLOCK entries */
    part parts[RK_SPILL_PARTS];
    size_t nch;
    uint64_t *rbase, *lbase;
    uint32_t *epoch;
    rk_status err;
};

rk_keyspill *rk_keyspill_open(void)
{
    rk_keyspill *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->buf = malloc(RK_SPILL_PARTS * BLOCK * sizeof *s->buf);
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/renkei-keys-XXXXXX", dir && *dir ? dir : "/tmp");
    s->fd = s->buf ? mkstemp(path) : -1;
    if (s->fd < 0) {
        free(s->buf);
        free(s);
        return NULL;
    }
    unlink(path); /* gone when closed, whatever happens */
    pthread_mutex_init(&s->mu, NULL);
    return s;
}

void rk_keyspill_free(rk_keyspill *s)
{
    if (!s)
        return;
    close(s->fd);
    pthread_mutex_destroy(&s->mu);
    for (unsigned p = 0; p < RK_SPILL_PARTS; p++) {
        free(s->parts[p].at);
        free(s->parts[p].n);
    }
    free(s->buf);
    free(s->rbase);
    free(s->lbase);
    free(s->epoch);
    free(s);
}

static rk_status write_all(int fd, const void *p, size_t n, uint64_t off)
{
    const char *c = p;
    while (n) {
        ssize_t w = pwrite(fd, c, n, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return RK_ERR_IO;
        c += w;
        n -= (size_t)w;
        off += (uint64_t)w;
    }
    return RK_OK;
}

/* Writes partition p's buffer out as a block (the lock is held). */
static rk_status flush_part(rk_keyspill *s, unsigned p)
{
    part *q = &s->parts[p];
    if (!q->fill)
        return RK_OK;
    size_t ncap = q->cap; /* the two arrays grow together */
    if (!RK_RESERVE(q->at, q->cap, q->nb + 1, 8) || !RK_RESERVE(q->n, ncap, q->cap, 8))
        return RK_ERR_NOMEM;
    size_t bytes = q->fill * sizeof(ent);
    rk_status st = write_all(s->fd, s->buf + (size_t)p * BLOCK, bytes, s->end);
    if (st != RK_OK)
        return st;
    q->at[q->nb] = s->end;
    q->n[q->nb++] = q->fill;
    s->end += bytes;
    q->fill = 0;
    return RK_OK;
}

unsigned rk_keyspill_part(const rk_key *k)
{
    return (unsigned)(XXH3_64bits(k->key, sizeof k->key) >> 56);
}

rk_status rk_keyspill_put(rk_keyspill *s, const rk_key *k, size_t n, uint32_t chunk, uint32_t epoch)
{
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < n && s->err == RK_OK; i++) {
        unsigned p = rk_keyspill_part(&k[i]);
        part *q = &s->parts[p];
        ent *e = &s->buf[(size_t)p * BLOCK + q->fill++];
        e->k = k[i];
        e->chunk = chunk;
        e->epoch = epoch;
        if (q->fill == BLOCK)
            s->err = flush_part(s, p);
    }
    s->count += n;
    rk_status st = s->err;
    pthread_mutex_unlock(&s->mu);
    return st;
}

rk_status rk_keyspill_close(rk_keyspill *s, size_t nch, uint64_t *rbase, uint64_t *lbase, uint32_t *epoch)
{
    s->nch = nch;
    s->rbase = rbase;
    s->lbase = lbase;
    s->epoch = epoch;
    for (unsigned p = 0; p < RK_SPILL_PARTS && s->err == RK_OK; p++)
        s->err = flush_part(s, p);
    free(s->buf);
    s->buf = NULL;
    return s->err;
}

uint64_t rk_keyspill_count(const rk_keyspill *s)
{
    return s->count;
}

rk_status rk_keyspill_read(const rk_keyspill *s, unsigned p, rk_key **out, size_t *n)
{
    const part *q = &s->parts[p];
    size_t total = 0;
    for (size_t b = 0; b < q->nb; b++)
        total += q->n[b];
    *out = NULL;
    *n = 0;
    if (!total)
        return RK_OK;
    ent *e = malloc(total * sizeof *e);
    size_t *start = calloc(s->nch + 1, sizeof *start);
    rk_key *keys = malloc(total * sizeof *keys);
    rk_status st = e && start && keys ? RK_OK : RK_ERR_NOMEM;
    size_t got = 0;
    for (size_t b = 0; b < q->nb && st == RK_OK; b++) {
        size_t bytes = q->n[b] * sizeof(ent);
        char *dst = (char *)(e + got);
        uint64_t off = q->at[b];
        while (bytes && st == RK_OK) {
            ssize_t r = pread(s->fd, dst, bytes, (off_t)off);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                st = RK_ERR_IO;
            else {
                dst += r;
                off += (uint64_t)r;
                bytes -= (size_t)r;
            }
        }
        got += q->n[b];
    }
    /* By chunk, keeping each chunk's order: a count, then a stable scatter. */
    size_t kept = 0;
    for (size_t i = 0; i < total && st == RK_OK; i++) {
        uint32_t c = e[i].chunk;
        if (c >= s->nch) {
            st = RK_ERR_IO; /* not what was written */
            break;
        }
        if (e[i].epoch == s->epoch[c]) {
            start[c + 1]++;
            kept++;
        }
    }
    for (size_t c = 0; c < s->nch && st == RK_OK; c++)
        start[c + 1] += start[c];
    for (size_t i = 0; i < total && st == RK_OK; i++) {
        uint32_t c = e[i].chunk;
        if (e[i].epoch != s->epoch[c])
            continue;
        rk_key *k = &keys[start[c]++];
        *k = e[i].k;
        k->record += s->rbase[c];
        k->line += s->lbase[c];
    }
    free(e);
    free(start);
    if (st != RK_OK || !kept) {
        free(keys);
        return st;
    }
    *out = keys;
    *n = kept;
    return RK_OK;
}
