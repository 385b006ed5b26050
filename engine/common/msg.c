/* SPDX-License-Identifier: Apache-2.0 */
/* Exchanges among peers (msg.h). */
#include "msg.h"

#include <stdlib.h>
#include <xxhash.h>

rk_xchg *rk_xchg_new(const rk_peers *p)
{
    rk_xchg *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->n = p->size;
    x->out = calloc(x->n, sizeof *x->out);
    x->send = calloc(x->n, sizeof *x->send);
    x->len = calloc(x->n, sizeof *x->len);
    x->in = calloc(x->n, sizeof *x->in);
    x->inlen = calloc(x->n, sizeof *x->inlen);
    if (!x->out || !x->send || !x->len || !x->in || !x->inlen) {
        rk_xchg_free(x);
        return NULL;
    }
    return x;
}

void rk_xchg_free_in(rk_xchg *x)
{
    for (unsigned s = 0; s < x->n; s++) {
        free(x->in[s]);
        x->in[s] = NULL;
        x->inlen[s] = 0;
    }
}

void rk_xchg_free(rk_xchg *x)
{
    if (!x)
        return;
    for (unsigned d = 0; x->out && d < x->n; d++)
        free(x->out[d].p);
    if (x->in && x->inlen)
        rk_xchg_free_in(x);
    free(x->out);
    free(x->send);
    free(x->len);
    free(x->in);
    free(x->inlen);
    free(x);
}

rk_status rk_xchg_swap(const rk_peers *p, rk_xchg *x)
{
    int oom = 0;
    rk_xchg_free_in(x);
    for (unsigned d = 0; d < x->n; d++) {
        oom |= x->out[d].oom;
        x->send[d] = x->out[d].oom ? NULL : x->out[d].p;
        x->len[d] = x->out[d].oom ? 0 : x->out[d].n;
    }
    int bad = p->exchange(p->ctx, x->send, x->len, x->in, x->inlen);
    for (unsigned d = 0; d < x->n; d++) {
        free(x->out[d].p);
        memset(&x->out[d], 0, sizeof x->out[d]);
    }
    return bad ? RK_ERR_IO : oom ? RK_ERR_NOMEM : RK_OK;
}

rk_status rk_xchg_agree(const rk_peers *p, rk_xchg *x, rk_status st)
{
    for (unsigned d = 0; d < x->n; d++)
        rk_put64(&x->out[d], (uint64_t)st);
    rk_status sw = rk_xchg_swap(p, x);
    if (sw != RK_OK)
        return sw;
    for (unsigned s = 0; s < x->n; s++) {
        rk_rmsg r = rk_xchg_from(x, s);
        uint64_t st1 = rk_take64(&r);
        if (r.bad)
            return RK_ERR_INTERNAL;
        if (st1 != RK_OK)
            return (rk_status)st1;
    }
    return RK_OK;
}

uint64_t rk_paths_hash(const char *const *paths, size_t n)
{
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++)
        h = XXH64(paths[i], strlen(paths[i]) + 1, h);
    return h;
}

/* Items by bytes, the largest first, then by index (qsort_r's context: the bytes). */
static int by_bytes(const void *a, const void *b, void *ctx)
{
    const uint64_t *bytes = ctx;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (bytes[x] != bytes[y])
        return bytes[x] > bytes[y] ? -1 : 1;
    return (x > y) - (x < y);
}

int rk_deal(const uint64_t *bytes, size_t n, unsigned peers, uint32_t *owner)
{
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    uint64_t *load = calloc(peers ? peers : 1, sizeof *load);
    if (!order || !load) {
        free(order);
        free(load);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    if (n)
        qsort_r(order, n, sizeof *order, by_bytes, (void *)bytes);
    for (size_t k = 0; k < n; k++) {
        unsigned to = 0;
        for (unsigned d = 1; d < peers; d++)
            if (load[d] < load[to])
                to = d;
        owner[order[k]] = to;
        load[to] += bytes[order[k]] + 1;
    }
    free(order);
    free(load);
    return 1;
}
