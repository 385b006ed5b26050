/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One month checked by several processes (rk_peers; check_internal.h).
 *
 * Peer 0 deals the billing files out by size; each peer reads its files
 * into its partitions as one process would; the rows of partition pi then go
 * to peer pi % size in rounds of one partition per peer, so no more than a
 * round's rows are held twice. Each peer judges its partitions; peer 0
 * receives their findings, totals and dispositions, with every file's chunk
 * bases and what could not be read, and places and writes them as one
 * process does. Every message is bytes: rows are plain structs of integers
 * and characters, which is why the peers must share an architecture.
 *
 * Every peer makes the same exchanges in the same order whatever went wrong
 * on it (a failed step sends what it has), and after each step the peers
 * agree on a status (ck_peers_agree), so all stop at the same step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../formats/careplan/careplan.h"
#include "../common/msg.h"
#include "check_internal.h"

rk_status ck_peers_open(check_run *c)
{
    c->x = rk_xchg_new(c->peers);
    return c->x ? RK_OK : RK_ERR_NOMEM;
}

void ck_peers_close(check_run *c)
{
    rk_xchg_free(c->x);
    c->x = NULL;
}

/* One exchange of c->x (rk_xchg_swap), its failure said in c->err. */
static rk_status swap(check_run *c)
{
    rk_status st = rk_xchg_swap(c->peers, c->x);
    if (st == RK_ERR_IO)
        snprintf(c->err, c->errcap, "the exchange between the peers failed (peer %u of %u)", c->peers->rank,
                 c->peers->size);
    return st;
}

static rk_status malformed(check_run *c, unsigned from)
{
    snprintf(c->err, c->errcap, "peer %u: a message from peer %u is malformed", c->peers->rank, from);
    return RK_ERR_INTERNAL;
}

rk_status ck_peers_agree(check_run *c, rk_status st, uint32_t file)
{
    rk_xchg *x = c->x;
    unsigned n = c->peers->size;
    if (!x) /* no buffers to exchange with: the other peers' exchange fails (an MPI job ends) */
        return RK_ERR_NOMEM;
    if (st != RK_OK && !c->err[0])
        snprintf(c->err, c->errcap, "peer %u: %s", c->peers->rank, rk_status_name(st));
    size_t elen = st == RK_OK ? 0 : strlen(c->err);
    for (unsigned d = 0; d < n; d++) {
        rk_put64(&x->out[d], (uint64_t)st);
        rk_put64(&x->out[d], st == RK_OK ? UINT32_MAX : file);
        rk_put64(&x->out[d], elen);
        rk_put(&x->out[d], c->err, elen);
    }
    rk_status sw = swap(c);
    if (sw != RK_OK)
        return sw;
    rk_status best = RK_OK;
    uint64_t best_file = 0;
    for (unsigned s = 0; s < n; s++) {
        rk_rmsg r = rk_xchg_from(x, s);
        uint64_t st1 = rk_take64(&r), f1 = rk_take64(&r), l1 = rk_take64(&r);
        const char *e1 = rk_take(&r, l1);
        if (r.bad)
            return malformed(c, s);
        if (st1 == RK_OK || (best != RK_OK && f1 >= best_file))
            continue; /* the lowest file's failure, then the lowest peer's */
        best = (rk_status)st1;
        best_file = f1;
        snprintf(c->err, c->errcap, "%.*s", (int)l1, e1);
    }
    if (best == RK_OK)
        c->err[0] = 0;
    return best;
}

/* The bytes of each billing file, for the deal: a file that cannot be
 * stat'ed counts as empty (reading it reports why). */
static uint64_t billing_bytes(const char *path)
{
    const char *nm = strrchr(path, '/');
    rk_name_info ni;
    rk_name_parse(nm ? nm + 1 : path, &ni);
    struct stat sb;
    return rk_billing_kind(&ni) >= 0 && stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
}

rk_status ck_peers_deal(check_run *c)
{
    rk_xchg *x = c->x;
    unsigned n = c->peers->size, me = c->peers->rank;
    uint64_t names = rk_paths_hash((const char *const *)c->files, c->nf);
    c->owner = calloc(c->nf ? c->nf : 1, sizeof *c->owner);
    rk_status st = c->owner ? RK_OK : RK_ERR_NOMEM;
    if (me == 0 && st == RK_OK) {
        uint64_t *bytes = calloc(c->nf ? c->nf : 1, sizeof *bytes);
        for (size_t i = 0; bytes && i < c->nf; i++)
            bytes[i] = billing_bytes(c->files[i]);
        if (!bytes || !rk_deal(bytes, c->nf, n, c->owner))
            st = RK_ERR_NOMEM;
        free(bytes);
        for (unsigned d = 0; st == RK_OK && d < n; d++) {
            rk_put64(&x->out[d], c->nf);
            rk_put64(&x->out[d], names);
            rk_put(&x->out[d], c->owner, c->nf * sizeof *c->owner);
        }
    }
    rk_status sw = swap(c);
    if (sw != RK_OK || st != RK_OK)
        return sw != RK_OK ? sw : st;
    rk_rmsg r = rk_xchg_from(x, 0);
    uint64_t nf = rk_take64(&r), h = rk_take64(&r);
    const void *own = rk_take(&r, c->nf * sizeof *c->owner);
    if (r.bad && nf == c->nf)
        return malformed(c, 0);
    if (nf != c->nf || h != names) {
        snprintf(c->err, c->errcap,
                 "peer %u sees other files than peer 0 (%zu against %llu): give every peer the same paths", me, c->nf,
                 (unsigned long long)nf);
        return RK_ERR_ARG;
    }
    memcpy(c->owner, own, c->nf * sizeof *c->owner);
    for (size_t i = 0; i < c->nf; i++)
        if (c->owner[i] >= n)
            return malformed(c, 0);
    return RK_OK;
}

/* Whether file i was read here (a billing file dealt to this peer). */
static int read_here(const check_run *c, size_t i)
{
    return c->kinds[i] >= 0 && c->owner[i] == c->peers->rank;
}

rk_status ck_peers_meta(check_run *c)
{
    rk_xchg *x = c->x;
    unsigned n = c->peers->size, me = c->peers->rank;
    if (me != 0) {
        rk_wmsg *w = &x->out[0];
        size_t nmine = 0;
        for (size_t i = 0; i < c->nf; i++)
            nmine += read_here(c, i);
        rk_put64(w, nmine);
        for (size_t i = 0; i < c->nf; i++) {
            if (!read_here(c, i))
                continue;
            const rk_chunk_bases *b = &c->bases[i];
            rk_put64(w, i);
            rk_put64(w, c->records[i]);
            rk_put64(w, c->sizes[i]);
            rk_put64(w, (uint64_t)b->dropped);
            rk_put64(w, b->n);
            rk_put(w, b->records, b->n * sizeof *b->records);
            rk_put(w, b->lines, b->n * sizeof *b->lines);
            rk_put(w, b->begin, b->n * sizeof *b->begin);
            rk_put(w, b->end, b->n * sizeof *b->end);
        }
        size_t nu = 0;
        for (unsigned t = 0; t < c->jobs; t++)
            nu += c->unread[t].n;
        rk_put64(w, nu);
        for (unsigned t = 0; t < c->jobs; t++)
            rk_put(w, c->unread[t].v, c->unread[t].n * sizeof(ck_unread));
    }
    rk_status st = swap(c);
    for (unsigned s = 1; me == 0 && st == RK_OK && s < n; s++) {
        rk_rmsg r = rk_xchg_from(x, s);
        uint64_t nfiles = rk_take64(&r);
        for (uint64_t k = 0; k < nfiles && !r.bad && st == RK_OK; k++) {
            uint64_t i = rk_take64(&r), recs = rk_take64(&r), size = rk_take64(&r), dropped = rk_take64(&r),
                     nch = rk_take64(&r);
            if (r.bad || i >= c->nf || c->owner[i] != s || c->kinds[i] < 0 || c->bases[i].n ||
                nch > rk_left(&r) / (4 * sizeof(uint64_t)))
                return malformed(c, s);
            rk_chunk_bases *b = &c->bases[i];
            uint64_t **arr[4] = {&b->records, &b->lines, &b->begin, &b->end};
            for (int a = 0; a < 4 && st == RK_OK; a++) {
                *arr[a] = malloc((nch ? nch : 1) * sizeof(uint64_t));
                if (!*arr[a])
                    st = RK_ERR_NOMEM;
                else
                    memcpy(*arr[a], rk_take(&r, nch * sizeof(uint64_t)), nch * sizeof(uint64_t));
            }
            b->n = nch;
            b->total = recs;
            b->dropped = (int)dropped;
            c->records[i] = recs;
            c->sizes[i] = size;
            c->dropped |= (int)dropped;
        }
        uint64_t nu = rk_take64(&r);
        if (r.bad || nu > rk_left(&r) / sizeof(ck_unread))
            return malformed(c, s);
        const ck_unread *u = rk_take(&r, nu * sizeof *u);
        for (uint64_t k = 0; k < nu; k++)
            if (u[k].file >= c->nf || c->owner[u[k].file] != s || u[k].at.chunk >= c->bases[u[k].file].n)
                return malformed(c, s);
        if (st == RK_OK && !rk_vec_append(&c->unread[0], u, nu))
            st = RK_ERR_NOMEM;
    }
    return st;
}

rk_status ck_peers_rows(check_run *c)
{
    rk_xchg *x = c->x;
    unsigned n = c->peers->size, me = c->peers->rank;
    rk_status st = RK_OK;
    for (size_t round = 0; round * n < NPART; round++) {
        for (unsigned d = 0; d < n; d++) { /* partition round * n + d to peer d */
            size_t pi = round * n + d;
            if (pi >= NPART || d == me)
                continue;
            for (int k = 0; k < RK_BK_COUNT; k++) {
                uint64_t rows = 0;
                for (unsigned t = 0; t < c->jobs; t++)
                    rows += c->tparts[(size_t)t * NPART + pi].rows[k].n;
                rk_put64(&x->out[d], rows);
                for (unsigned t = 0; t < c->jobs; t++) {
                    const rk_vec *v = &c->tparts[(size_t)t * NPART + pi].rows[k];
                    rk_put(&x->out[d], v->v, v->n * v->elem);
                }
            }
            for (unsigned t = 0; t < c->jobs; t++) /* sent: they go */
                ck_part_free_rows(&c->tparts[(size_t)t * NPART + pi]);
        }
        rk_status sw = swap(c);
        if (st == RK_OK)
            st = sw;
        size_t pi = round * n + me;
        if (st != RK_OK || pi >= NPART)
            continue;
        part *tp = &c->tparts[pi]; /* what came in joins thread 0's rows of the partition */
        int got[RK_BK_COUNT] = {0};
        for (unsigned s = 0; s < n && st == RK_OK; s++) {
            if (s == me)
                continue;
            rk_rmsg r = rk_xchg_from(x, s);
            for (int k = 0; k < RK_BK_COUNT && st == RK_OK; k++) {
                uint64_t rows = rk_take64(&r);
                if (r.bad || rows > rk_left(&r) / ck_row_size[k])
                    return malformed(c, s);
                if (!rk_vec_append(&tp->rows[k], rk_take(&r, rows * ck_row_size[k]), rows))
                    st = RK_ERR_NOMEM;
                got[k] |= rows != 0;
            }
        }
        for (int k = 0; k < RK_BK_COUNT && st == RK_OK; k++)
            if (got[k] && !ck_count_runs(tp, k))
                st = RK_ERR_NOMEM;
        rk_xchg_free_in(x);
    }
    return st;
}

rk_status ck_peers_results(check_run *c)
{
    rk_xchg *x = c->x;
    unsigned n = c->peers->size, me = c->peers->rank;
    if (me != 0) {
        rk_wmsg *w = &x->out[0];
        rk_put64(w, (NPART - me + n - 1) / n); /* partitions me, me + n, ... */
        for (size_t pi = me; pi < NPART; pi += n) {
            const part *p = &c->parts[pi];
            rk_put64(w, pi);
            rk_put64(w, p->finds.n);
            rk_put(w, p->finds.v, p->finds.n * p->finds.elem);
            rk_put64(w, p->totals.n);
            rk_put(w, p->totals.v, p->totals.n * p->totals.elem);
            rk_put64(w, p->disps.n);
            rk_put(w, p->disps.v, p->disps.n * p->disps.elem);
        }
    }
    rk_status st = swap(c);
    for (unsigned s = 1; me == 0 && st == RK_OK && s < n; s++) {
        rk_rmsg r = rk_xchg_from(x, s);
        uint64_t np = rk_take64(&r);
        for (uint64_t q = 0; q < np && st == RK_OK; q++) {
            uint64_t pi = rk_take64(&r);
            if (r.bad || pi >= NPART || ck_part_owner(c, pi) != s)
                return malformed(c, s);
            part *p = &c->parts[pi];
            rk_vec *vs[3] = {&p->finds, &p->totals, &p->disps};
            for (int a = 0; a < 3 && st == RK_OK; a++) {
                uint64_t m = rk_take64(&r);
                if (r.bad || m > rk_left(&r) / vs[a]->elem)
                    return malformed(c, s);
                size_t at = vs[a]->n;
                if (!rk_vec_append(vs[a], rk_take(&r, m * vs[a]->elem), m))
                    st = RK_ERR_NOMEM;
                for (size_t k = at; a == 0 && st == RK_OK && k < vs[a]->n; k++) {
                    cfind *f = (cfind *)p->finds.v + k;
                    f->note = NULL; /* notes are made later, here */
                    if (f->at.file >= c->nf)
                        return malformed(c, s);
                }
            }
        }
    }
    return st;
}
