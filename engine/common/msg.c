/* SPDX-License-Identifier: Apache-2.0 */
/* Exchanges among peers (msg.h). */
#include "msg.h"

#include <stdlib.h>

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
