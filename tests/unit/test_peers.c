/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rk_check across peers (rk_peers): threads of this process stand for the
 * ranks of an MPI job, their exchange a mailbox behind a barrier. Peer 0's
 * output must be the output of one process, byte for byte, for any number
 * of peers, threads and chunk sizes; the other peers return the same status
 * with nothing in their reports; a failure on one peer stops all of them
 * with its message.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "renkei.h"

#define MASTER RK_TEST_CORPUS "/master/master.csv"
#define OFFICES RK_TEST_CORPUS "/master/offices.csv"
#define MAXPEERS 5

typedef struct hub {
    unsigned n;
    pthread_barrier_t bar;
    const void *box[MAXPEERS][MAXPEERS]; /* [from][to] */
    size_t len[MAXPEERS][MAXPEERS];
    unsigned exchanges[MAXPEERS];
} hub;

typedef struct peer {
    hub *h;
    rk_peers p;
    rk_check_options o;
    const char *const *paths;
    size_t npaths;
    rk_status st;
    char err[512];
    char *out; /* peer 0: the JSON */
    size_t outlen, nfiles;
} peer;

static int hub_exchange(void *ctx, const void *const *send, const size_t *len, void **recv, size_t *rlen)
{
    peer *me = ctx;
    hub *h = me->h;
    unsigned r = me->p.rank;
    for (unsigned d = 0; d < h->n; d++) {
        h->box[r][d] = send[d];
        h->len[r][d] = len[d];
    }
    pthread_barrier_wait(&h->bar);
    for (unsigned s = 0; s < h->n; s++) {
        rlen[s] = h->len[s][r];
        recv[s] = rlen[s] ? malloc(rlen[s]) : NULL;
        if (rlen[s])
            memcpy(recv[s], h->box[s][r], rlen[s]);
    }
    h->exchanges[r]++;
    pthread_barrier_wait(&h->bar); /* every copy taken before the senders free */
    return 0;
}

static char *check_json(const rk_check_options *o, const char *const *paths, size_t n, rk_status *st, char *err,
                        size_t *nfiles)
{
    rk_report *r = rk_report_new();
    rk_check_summary *s = NULL;
    *st = rk_check(o, paths, n, r, &s, err, 512);
    *nfiles = rk_report_nfiles(r);
    char *buf = NULL;
    size_t len = 0;
    if (*st == RK_OK && s) {
        FILE *f = open_memstream(&buf, &len);
        cr_assert(rk_check_write(r, s, RK_FMT_JSON, RK_LANG_EN, f) == RK_OK);
        fclose(f);
    }
    rk_check_summary_free(s);
    rk_report_free(r);
    return buf;
}

static void *run_peer(void *arg)
{
    peer *p = arg;
    p->out = check_json(&p->o, p->paths, p->npaths, &p->st, p->err, &p->nfiles);
    return NULL;
}

/* The month checked by n peers; returns peer 0's JSON; every peer's status in st. */
static char *by_peers(unsigned n, const rk_check_options *base, const char *const *paths, size_t np,
                      const char *const *paths_of_last, rk_status *st, char err[][512], size_t *nfiles)
{
    hub h;
    memset(&h, 0, sizeof h);
    h.n = n;
    pthread_barrier_init(&h.bar, NULL, n);
    peer ps[MAXPEERS];
    pthread_t th[MAXPEERS];
    for (unsigned i = 0; i < n; i++) {
        memset(&ps[i], 0, sizeof ps[i]);
        ps[i].h = &h;
        ps[i].p = (rk_peers){i, n, hub_exchange, &ps[i]};
        ps[i].o = *base;
        ps[i].o.peers = &ps[i].p;
        ps[i].paths = i == n - 1 && paths_of_last ? paths_of_last : paths;
        ps[i].npaths = np;
        pthread_create(&th[i], NULL, run_peer, &ps[i]);
    }
    for (unsigned i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&h.bar);
    for (unsigned i = 0; i < n; i++) {
        st[i] = ps[i].st;
        memcpy(err[i], ps[i].err, 512);
        nfiles[i] = ps[i].nfiles;
        cr_assert_eq(h.exchanges[i], h.exchanges[0], "peer %u made %u exchanges, peer 0 %u", i, h.exchanges[i],
                     h.exchanges[0]);
        if (i)
            cr_assert_null(ps[i].out, "only peer 0 has the output");
    }
    return ps[0].out;
}

static void same_as_one(const char *dir, unsigned jobs, size_t chunk)
{
    const char *paths[] = {dir};
    rk_check_options o;
    memset(&o, 0, sizeof o);
    o.master_path = MASTER;
    o.offices_path = OFFICES;
    o.jobs = jobs;
    o.chunk_size = chunk;
    rk_status st1;
    char err1[512];
    size_t nf1;
    char *one = check_json(&o, paths, 1, &st1, err1, &nf1);
    cr_assert_eq(st1, RK_OK, "%s", err1);
    cr_assert(nf1 > 0);
    for (unsigned n = 1; n <= MAXPEERS; n += 2) {
        rk_status st[MAXPEERS];
        char err[MAXPEERS][512];
        size_t nf[MAXPEERS];
        char *got = by_peers(n, &o, paths, 1, NULL, st, err, nf);
        for (unsigned i = 0; i < n; i++)
            cr_assert_eq(st[i], RK_OK, "peer %u of %u: %s", i, n, err[i]);
        cr_assert_not_null(got);
        cr_assert_str_eq(got, one, "%s: %u peers, %u jobs, chunk %zu: not the output of one process", dir, n, jobs,
                         chunk);
        free(got);
    }
    free(one);
}

Test(peers, scenario_as_one_process)
{
    same_as_one(RK_TEST_CORPUS "/check/scenario", 1, 0);
    same_as_one(RK_TEST_CORPUS "/check/scenario", 2, 64);
}

Test(peers, month_as_one_process)
{
    same_as_one(RK_TEST_CORPUS "/check/month", 2, 0);
    same_as_one(RK_TEST_CORPUS "/check/month", 1, 256);
}

Test(peers, a_peer_that_sees_other_files_stops_all)
{
    const char *paths[] = {RK_TEST_CORPUS "/check/scenario"}, *other[] = {RK_TEST_CORPUS "/check/month"};
    rk_check_options o;
    memset(&o, 0, sizeof o);
    o.master_path = MASTER;
    rk_status st[3];
    char err[3][512];
    size_t nf[3];
    char *got = by_peers(3, &o, paths, 1, other, st, err, nf);
    cr_assert_null(got);
    for (unsigned i = 0; i < 3; i++) {
        cr_assert_eq(st[i], RK_ERR_ARG, "peer %u: %d", i, st[i]);
        cr_assert(strstr(err[i], "peer 2 sees other files"), "peer %u says: %s", i, err[i]);
    }
}

Test(peers, a_path_that_does_not_exist_stops_all_with_its_message)
{
    const char *paths[] = {RK_TEST_CORPUS "/check/scenario",
                           "/nonexistent/UPPLAN_202511_1310100019_43_1371100015_11_20251025103000.CSV"};
    rk_check_options o;
    memset(&o, 0, sizeof o);
    o.master_path = MASTER;
    rk_status st[3];
    char err[3][512];
    size_t nf[3];
    rk_status st1;
    char err1[512];
    size_t nf1;
    char *one = check_json(&o, paths, 2, &st1, err1, &nf1);
    cr_assert_null(one);
    char *got = by_peers(3, &o, paths, 2, NULL, st, err, nf);
    cr_assert_null(got);
    for (unsigned i = 0; i < 3; i++) {
        cr_assert_eq(st[i], st1, "peer %u: %d, one process %d", i, st[i], st1);
        cr_assert_str_eq(err[i], err1, "peer %u", i);
    }
}

Test(peers, bad_peers_are_refused)
{
    const char *paths[] = {RK_TEST_CORPUS "/check/scenario"};
    rk_check_options o;
    memset(&o, 0, sizeof o);
    o.master_path = MASTER;
    rk_peers p = {3, 3, hub_exchange, NULL};
    o.peers = &p;
    rk_report *r = rk_report_new();
    rk_check_summary *s = NULL;
    char err[512];
    cr_assert_eq(rk_check(&o, paths, 1, r, &s, err, sizeof err), RK_ERR_ARG);
    rk_report_free(r);
}

/* ---- rk_validate_paths across peers ---- */

typedef struct vpeer {
    hub *h;
    rk_peers p;
    const char *dir;
    unsigned jobs, keep;
    size_t chunk;
    rk_status st;
    char *out;
    size_t nfiles;
} vpeer;

static int vhub_exchange(void *ctx, const void *const *send, const size_t *len, void **recv, size_t *rlen)
{
    vpeer *me = ctx;
    peer as = {.h = me->h, .p = me->p};
    return hub_exchange(&as, send, len, recv, rlen);
}

static char *validate_json(const rk_peers *peers, const char *dir, unsigned jobs, size_t chunk, unsigned keep,
                           rk_status *st, size_t *nfiles)
{
    rk_options o;
    rk_options_init(&o);
    o.jobs = jobs;
    o.chunk_size = chunk;
    o.max_per_rule = keep; /* 1: most findings counted, not kept */
    o.peers = peers;
    rk_engine *e = rk_engine_new(&o);
    rk_report *r = rk_report_new();
    cr_assert(e && r);
    const char *paths[] = {dir};
    *st = rk_validate_paths(e, r, paths, 1, NULL);
    *nfiles = rk_report_nfiles(r);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert(rk_report_write(r, RK_FMT_JSON, RK_LANG_JA, f) == RK_OK);
    fclose(f);
    rk_report_free(r);
    rk_engine_free(e);
    return buf;
}

static void *run_vpeer(void *arg)
{
    vpeer *v = arg;
    v->out = validate_json(&v->p, v->dir, v->jobs, v->chunk, v->keep, &v->st, &v->nfiles);
    return NULL;
}

static void validate_as_one(const char *dir, unsigned jobs, size_t chunk, unsigned keep)
{
    rk_status st1;
    size_t nf1;
    char *one = validate_json(NULL, dir, jobs, chunk, keep, &st1, &nf1);
    cr_assert_eq(st1, RK_OK);
    cr_assert(nf1 > 1);
    for (unsigned n = 2; n <= MAXPEERS; n += 3) {
        hub h;
        memset(&h, 0, sizeof h);
        h.n = n;
        pthread_barrier_init(&h.bar, NULL, n);
        vpeer v[MAXPEERS];
        pthread_t th[MAXPEERS];
        for (unsigned i = 0; i < n; i++) {
            v[i] = (vpeer){&h, {i, n, vhub_exchange, &v[i]}, dir, jobs, keep, chunk, RK_OK, NULL, 0};
            pthread_create(&th[i], NULL, run_vpeer, &v[i]);
        }
        for (unsigned i = 0; i < n; i++)
            pthread_join(th[i], NULL);
        pthread_barrier_destroy(&h.bar);
        for (unsigned i = 0; i < n; i++) {
            cr_assert_eq(v[i].st, RK_OK, "peer %u of %u", i, n);
            cr_assert_eq(h.exchanges[i], h.exchanges[0]);
            if (i)
                cr_assert_eq(v[i].nfiles, 0, "peer %u keeps no file", i);
        }
        cr_assert_eq(v[0].nfiles, nf1);
        cr_assert_str_eq(v[0].out, one, "%s: %u peers: not the report of one process", dir, n);
        for (unsigned i = 0; i < n; i++)
            free(v[i].out);
    }
    free(one);
}

Test(peers, validate_as_one_process)
{
    validate_as_one(RK_TEST_CORPUS "/conformance", 2, 0, 0);
    validate_as_one(RK_TEST_CORPUS "/conformance", 1, 64, 1);
    validate_as_one(RK_TEST_CORPUS "/check/month", 2, 128, 1);
}

/* Copies of the scenario's 第6表 (14 errors of one rule) as units of their
 * own, so that peers other than 0 validate files of more findings of a rule
 * than are kept: their counts must travel with the kept ones. */
Test(peers, validate_counts_what_is_not_kept)
{
    char dir[] = "/tmp/renkei-peers-XXXXXX", path[256];
    cr_assert(mkdtemp(dir));
    FILE *in =
        fopen(RK_TEST_CORPUS "/check/scenario/UPPLAN_202511_1310100019_43_1371100015_11_20251025103000.CSV", "rb");
    cr_assert(in);
    static char buf[1 << 16];
    size_t len = fread(buf, 1, sizeof buf, in);
    fclose(in);
    for (int k = 0; k < 6; k++) {
        snprintf(path, sizeof path, "%s/UPPLAN_202511_1310100019_43_1371100015_11_2025102510300%d.CSV", dir, k);
        FILE *out = fopen(path, "wb");
        cr_assert(out && fwrite(buf, 1, len, out) == len);
        fclose(out);
    }
    validate_as_one(dir, 2, 0, 1);
    for (int k = 0; k < 6; k++) {
        snprintf(path, sizeof path, "%s/UPPLAN_202511_1310100019_43_1371100015_11_2025102510300%d.CSV", dir, k);
        remove(path);
    }
    rmdir(dir);
}
