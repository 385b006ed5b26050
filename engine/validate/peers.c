/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rk_validate_paths across peers (rk_peers; peers.h). Peer 0 deals whole
 * send units out by bytes, since the file-set rules compare a unit's files
 * with each other and nothing else; each peer validates its units as one
 * process does; peer 0 receives every file's result, texts and counts as
 * stored, and stores them in its report in the slots of one process, so its
 * report, and whatever is written from it, is the one of one process.
 */
#include "peers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../formats/careplan/careplan.h"
#include "../common/msg.h"
#include "../findings/findings.h"

rk_status rk_vpeers_deal(const rk_peers *p, rk_xchg *x, rk_status st, const char *const *paths, size_t n, size_t *order,
                         unsigned char *starts, unsigned char *mine, size_t *nmine)
{
    *nmine = 0;
    /* the groups of order[] as the batches take them: a unit, or a file of none */
    size_t ng = 0;
    uint32_t *owner = NULL;
    for (size_t k = 0; st == RK_OK && k < n; k++)
        ng += k == 0 || starts[k];
    if (st == RK_OK && !(owner = calloc(ng ? ng : 1, sizeof *owner)))
        st = RK_ERR_NOMEM;
    if (p->rank == 0 && st == RK_OK) { /* whole units, by their bytes */
        uint64_t *bytes = calloc(ng ? ng : 1, sizeof *bytes);
        for (size_t k = 0, g = (size_t)-1; bytes && k < n; k++) {
            g += k == 0 || starts[k];
            struct stat sb;
            bytes[g] += stat(paths[order[k]], &sb) == 0 ? (uint64_t)sb.st_size : 0;
        }
        if (!bytes || !rk_deal(bytes, ng, p->size, owner))
            st = RK_ERR_NOMEM;
        free(bytes);
        for (unsigned d = 0; st == RK_OK && d < p->size; d++) {
            rk_put64(&x->out[d], ng);
            rk_put64(&x->out[d], rk_paths_hash(paths, n));
            rk_put(&x->out[d], owner, ng * sizeof *owner);
        }
    }
    rk_status sw = rk_xchg_swap(p, x);
    if (st == RK_OK)
        st = sw;
    if (st == RK_OK) {
        rk_rmsg r = rk_xchg_from(x, 0);
        uint64_t ng0 = rk_take64(&r), h0 = rk_take64(&r);
        const uint32_t *own = rk_take(&r, ng * sizeof *owner);
        if (r.bad || ng0 != ng || h0 != rk_paths_hash(paths, n))
            st = RK_ERR_ARG; /* not the files peer 0 has */
        else
            memcpy(owner, own, ng * sizeof *owner);
    }
    rk_xchg_free_in(x);
    /* this peer's groups only, in their order */
    size_t w = 0;
    for (size_t k = 0, g = (size_t)-1; st == RK_OK && k < n; k++) {
        int begins = k == 0 || starts[k];
        g += begins;
        if (owner[g] != p->rank)
            continue;
        order[w] = order[k];
        starts[w] = (unsigned char)begins;
        mine[order[k]] = 1;
        w++;
    }
    *nmine = w;
    free(owner);
    return rk_xchg_agree(p, x, st);
}

/* A file's stored result, for peer 0. */
static void put_result(rk_wmsg *w, const rk_report *r, size_t slot)
{
    const rk_file_result *fr = &r->files[slot];
    const rk_rule *rule0 = rk_rule_at(0);
    rk_put_str(w, fr->kind);
    rk_put_str(w, fr->csv_version);
    rk_put64(w, fr->bytes);
    rk_put64(w, fr->records);
    rk_put64(w, fr->lines);
    rk_put64(w, (uint64_t)r->mem[slot].layout);
    rk_put(w, fr->rule_counts, RK_R_COUNT * sizeof *fr->rule_counts);
    rk_put64(w, fr->nfindings);
    for (size_t k = 0; k < fr->nfindings; k++) {
        const rk_finding *f = &fr->findings[k];
        rk_put64(w, (uint64_t)(f->rule - rule0));
        rk_put64(w, f->record);
        rk_put64(w, f->line);
        rk_put64(w, f->field);
        rk_put64(w, f->byte_offset);
        rk_put_str(w, f->value);
        rk_put_str(w, f->expected);
        rk_put_str(w, f->value_en != f->value ? f->value_en : NULL); /* NULL: the same text */
        rk_put_str(w, f->expected_en != f->expected ? f->expected_en : NULL);
    }
}

/* A text of a message, at most 64 KiB (findings' texts are short): malloc'd into *out, or NULL. */
static int take_text(rk_rmsg *m, char **out)
{
    uint64_t n = rk_take64(m);
    *out = NULL;
    if (n == UINT64_MAX)
        return 1;
    const char *s = rk_take(m, (size_t)n);
    if (!s || !(*out = malloc((size_t)n + 1)))
        return 0;
    memcpy(*out, s, (size_t)n);
    (*out)[n] = 0;
    return 1;
}

/* Peer 0: a result of put_result stored in slot, as the peer had stored it. */
static rk_status store_result(rk_rmsg *m, rk_report *r, size_t slot, const char *path)
{
    char kind[32], version[32];
    int has_kind = rk_take_str(m, kind, sizeof kind), has_version = rk_take_str(m, version, sizeof version);
    uint64_t bytes = rk_take64(m), records = rk_take64(m), lines = rk_take64(m), layout = rk_take64(m);
    const uint64_t *counts = rk_take(m, RK_R_COUNT * sizeof *counts);
    uint64_t nf = rk_take64(m);
    if (m->bad || nf > rk_left(m) / (5 * sizeof(uint64_t)))
        return RK_ERR_INTERNAL;
    rk_fbuf fb;
    rk_fbuf_init(&fb, 0);
    rk_status st = RK_OK;
    for (uint64_t k = 0; k < nf && st == RK_OK; k++) {
        uint64_t rule = rk_take64(m), rec = rk_take64(m), line = rk_take64(m), field = rk_take64(m), off = rk_take64(m);
        char *t[4] = {NULL, NULL, NULL, NULL};
        for (int q = 0; q < 4; q++)
            if (!take_text(m, &t[q]))
                st = m->bad ? RK_ERR_INTERNAL : RK_ERR_NOMEM;
        if (st == RK_OK && (m->bad || rule >= RK_R_COUNT))
            st = RK_ERR_INTERNAL;
        if (st == RK_OK) /* in the order stored, which the report's sort keeps (insertion breaks ties) */
            rk_fbuf_add_en(&fb, (uint32_t)rule, rec, line, (uint32_t)field, off, t[0], t[0] ? strlen(t[0]) : 0, t[2],
                           t[1], t[3]);
        for (int q = 0; q < 4; q++)
            free(t[q]);
    }
    if (st == RK_OK) {
        memcpy(fb.count, counts, sizeof fb.count); /* kept or not, as counted there */
        const rk_kind *kd = has_kind ? rk_kind_find(kind) : NULL;
        st = rk_report_store(r, slot, &fb, path, kd ? kd->prefix : NULL, has_version ? version : NULL, bytes, records,
                             lines);
    }
    if (st == RK_OK) {
        const char *slash = strrchr(path, '/');
        rk_name_info ni;
        rk_name_parse(slash ? slash + 1 : path, &ni);
        st = rk_report_set_facts(r, slot, &ni, (int)layout, NULL, 0, 1);
    }
    rk_fbuf_free(&fb);
    return st;
}

rk_status rk_vpeers_gather(const rk_peers *p, rk_xchg *x, rk_status st, rk_report *r, size_t first,
                           const char *const *paths, size_t n, const unsigned char *mine, rk_status *status)
{
    if (p->rank != 0) {
        rk_wmsg *w = &x->out[0];
        for (size_t i = 0; i < n; i++) {
            if (!mine[i])
                continue;
            rk_put64(w, i);
            rk_put64(w, (uint64_t)status[i]);
            int stored = (status[i] == RK_OK || status[i] == RK_ERR_CHANGED) && r->files[first + i].path;
            rk_put64(w, (uint64_t)stored);
            if (stored)
                put_result(w, r, first + i);
        }
    }
    rk_status sw = rk_xchg_swap(p, x);
    if (st == RK_OK)
        st = sw;
    for (unsigned s = 1; p->rank == 0 && st == RK_OK && s < p->size; s++) {
        rk_rmsg m = rk_xchg_from(x, s);
        while (st == RK_OK && rk_left(&m)) {
            uint64_t i = rk_take64(&m), fst = rk_take64(&m), stored = rk_take64(&m);
            if (m.bad || i >= n || mine[i]) {
                st = RK_ERR_INTERNAL;
                break;
            }
            status[i] = (rk_status)fst;
            if (stored)
                st = store_result(&m, r, first + i, paths[i]);
        }
    }
    rk_xchg_free_in(x);
    return st;
}
