/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Messages between peers (rk_peers): bytes written in order, read back in
 * the same order. A failed allocation is remembered by the writer (the
 * message then goes empty); reading past the end marks the reader bad.
 */
#ifndef RK_COMMON_MSG_H
#define RK_COMMON_MSG_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "renkei.h"
#include "vec.h"

typedef struct rk_wmsg {
    char *p;
    size_t n, cap;
    int oom;
} rk_wmsg;

static inline void rk_put(rk_wmsg *w, const void *x, size_t n)
{
    if (w->oom || !n)
        return;
    if (!RK_RESERVE(w->p, w->cap, w->n + n, 4096)) {
        w->oom = 1;
        return;
    }
    memcpy(w->p + w->n, x, n);
    w->n += n;
}

static inline void rk_put64(rk_wmsg *w, uint64_t v)
{
    rk_put(w, &v, sizeof v);
}

/* A string: its length, then its bytes; NULL as the length UINT64_MAX. */
static inline void rk_put_str(rk_wmsg *w, const char *s)
{
    rk_put64(w, s ? strlen(s) : UINT64_MAX);
    if (s)
        rk_put(w, s, strlen(s));
}

typedef struct rk_rmsg {
    const char *p;
    size_t n, at;
    int bad;
} rk_rmsg;

static inline const void *rk_take(rk_rmsg *r, size_t n)
{
    if (r->bad || n > r->n - r->at) {
        r->bad = 1;
        return NULL;
    }
    const void *x = r->p + r->at;
    r->at += n;
    return x;
}

static inline uint64_t rk_take64(rk_rmsg *r)
{
    uint64_t v = 0;
    const void *x = rk_take(r, sizeof v);
    if (x)
        memcpy(&v, x, sizeof v);
    return v;
}

/* Bytes left to read. */
static inline size_t rk_left(const rk_rmsg *r)
{
    return r->bad ? 0 : r->n - r->at;
}

/* A string of rk_put_str into buf (cut to cap - 1 bytes, NUL-terminated); 0 for NULL or a bad message. */
static inline int rk_take_str(rk_rmsg *r, char *buf, size_t cap)
{
    uint64_t n = rk_take64(r);
    if (n == UINT64_MAX || r->bad)
        return 0;
    const char *s = rk_take(r, (size_t)n);
    if (!s)
        return 0;
    size_t k = n < cap - 1 ? (size_t)n : cap - 1;
    memcpy(buf, s, k);
    buf[k] = 0;
    return 1;
}

/* The messages of one exchange among the peers, one per peer each way. */
typedef struct rk_xchg {
    unsigned n;
    rk_wmsg *out;      /* [n]: to peer d */
    const void **send; /* [n] */
    size_t *len;       /* [n] */
    void **in;         /* [n]: from peer s, after rk_xchg_swap */
    size_t *inlen;     /* [n] */
} rk_xchg;

/* Buffers for the peers; NULL out of memory. */
rk_xchg *rk_xchg_new(const rk_peers *p);
void rk_xchg_free(rk_xchg *x);
/* Frees what came in. */
void rk_xchg_free_in(rk_xchg *x);
/* Sends out[d] to each peer d (one that ran out of memory goes empty) and
 * frees it; what came in is in in[]. RK_ERR_IO when the exchange failed,
 * RK_ERR_NOMEM when a message of ours ran out of memory, else RK_OK. */
rk_status rk_xchg_swap(const rk_peers *p, rk_xchg *x);
/* A reader over what peer s sent. */
static inline rk_rmsg rk_xchg_from(const rk_xchg *x, unsigned s)
{
    rk_rmsg r = {(const char *)x->in[s], x->inlen[s], 0, 0};
    return r;
}
/* A hash of the paths in order: peers given other paths than peer 0 are found by it. */
uint64_t rk_paths_hash(const char *const *paths, size_t n);
/* Deals n items of bytes[i] out to peers: the largest first (then the
 * lowest index), each to the peer with the fewest bytes so far (then the
 * lowest peer); owner[i] receives its peer. 0 out of memory. */
int rk_deal(const uint64_t *bytes, size_t n, unsigned peers, uint32_t *owner);

/* The peers' statuses of a step, exchanged: the first failure in peer order stands. */
rk_status rk_xchg_agree(const rk_peers *p, rk_xchg *x, rk_status st);

#endif
