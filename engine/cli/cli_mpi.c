/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --mpi: the peers of rk_peers are the ranks of MPI_COMM_WORLD. An exchange
 * is MPI_Alltoall of the byte counts, then MPI_Alltoallv of the bytes in
 * rounds of at most a piece per pair (MPI counts and displacements are
 * ints), through staging buffers of a round. RENKEI_MPI_PIECE=BYTES sets the
 * piece (default 64 MiB), so a test can make an exchange take many rounds.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifdef RK_HAVE_MPI
#include <mpi.h>

/* Ends the whole job: an exchange that cannot go on would leave the other ranks waiting. */
static void give_up(const char *what)
{
    fprintf(stderr, "renkei: --mpi: %s\n", what);
    MPI_Abort(MPI_COMM_WORLD, RK_EXIT_INTERNAL);
    exit(RK_EXIT_INTERNAL);
}

static size_t piece_bytes(int n)
{
    const char *e = getenv("RENKEI_MPI_PIECE");
    unsigned long long v;
    size_t piece = (size_t)64 << 20;
    if (e && !rk_parse_uint(e, (unsigned long long)1 << 40, &v) && v > 0)
        piece = (size_t)v;
    size_t most = (size_t)INT_MAX / (size_t)n;
    return piece < most ? piece : most;
}

/* Bytes of a message of `total` bytes in round r of pieces. */
static size_t in_round(uint64_t total, uint64_t r, size_t piece)
{
    uint64_t off = r * piece;
    return off >= total ? 0 : (size_t)(total - off < piece ? total - off : piece);
}

typedef struct xbufs {
    uint64_t *sc, *rc;
    int *scount, *sdisp, *rcount, *rdisp;
    char *sbuf, *rbuf;
} xbufs;

static void xbufs_free(xbufs *b)
{
    free(b->sc);
    free(b->rc);
    free(b->scount);
    free(b->sdisp);
    free(b->rcount);
    free(b->rdisp);
    free(b->sbuf);
    free(b->rbuf);
}

static int mpi_exchange(void *ctx, const void *const *send, const size_t *len, void **recv, size_t *rlen)
{
    (void)ctx;
    int n;
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    const size_t un = (size_t)n, piece = piece_bytes(n);
    xbufs b = {calloc(un, sizeof *b.sc),
               calloc(un, sizeof *b.rc),
               calloc(un, sizeof(int)),
               calloc(un, sizeof(int)),
               calloc(un, sizeof(int)),
               calloc(un, sizeof(int)),
               NULL,
               NULL};
    if (!b.sc || !b.rc || !b.scount || !b.sdisp || !b.rcount || !b.rdisp)
        give_up("out of memory for an exchange");
    uint64_t most = 0;
    for (size_t d = 0; d < un; d++) {
        b.sc[d] = len[d];
        most = b.sc[d] > most ? b.sc[d] : most;
    }
    int bad = MPI_Alltoall(b.sc, 1, MPI_UINT64_T, b.rc, 1, MPI_UINT64_T, MPI_COMM_WORLD) != MPI_SUCCESS;
    for (size_t s = 0; s < un; s++) {
        rlen[s] = bad ? 0 : (size_t)b.rc[s];
        recv[s] = rlen[s] ? malloc(rlen[s]) : NULL;
        if (rlen[s] && !recv[s])
            give_up("out of memory for a message");
        most = rlen[s] > most ? rlen[s] : most;
    }
    size_t scap = 1, rcap = 1; /* a round's bytes at most */
    for (size_t d = 0; d < un; d++) {
        scap += in_round(b.sc[d], 0, piece);
        rcap += in_round(b.rc[d], 0, piece);
    }
    if (!(b.sbuf = malloc(scap)) || !(b.rbuf = malloc(rcap)))
        give_up("out of memory for an exchange");
    uint64_t all = 0; /* the longest message of any pair: the rounds every rank takes */
    bad = bad || MPI_Allreduce(&most, &all, 1, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD) != MPI_SUCCESS;
    for (uint64_t r = 0; !bad && r * piece < all; r++) {
        int so = 0, ro = 0;
        for (size_t d = 0; d < un; d++) {
            size_t m = in_round(b.sc[d], r, piece);
            if (m)
                memcpy(b.sbuf + so, (const char *)send[d] + r * piece, m);
            b.scount[d] = (int)m;
            b.sdisp[d] = so;
            so += (int)m;
            b.rcount[d] = (int)in_round(b.rc[d], r, piece);
            b.rdisp[d] = ro;
            ro += b.rcount[d];
        }
        bad = MPI_Alltoallv(b.sbuf, b.scount, b.sdisp, MPI_BYTE, b.rbuf, b.rcount, b.rdisp, MPI_BYTE, MPI_COMM_WORLD) !=
              MPI_SUCCESS;
        for (size_t s = 0; !bad && s < un; s++)
            if (b.rcount[s])
                memcpy((char *)recv[s] + r * piece, b.rbuf + b.rdisp[s], (size_t)b.rcount[s]);
    }
    xbufs_free(&b);
    return bad;
}

int rk_cli_mpi_begin(const char *cmd, rk_peers *p)
{
    (void)cmd;
    int rank, size;
    if (MPI_Init(NULL, NULL) != MPI_SUCCESS)
        return RK_EXIT_INTERNAL;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    memset(p, 0, sizeof *p);
    p->rank = (unsigned)rank;
    p->size = (unsigned)size;
    p->exchange = mpi_exchange;
    rk_cli_silent = rank != 0;
    return RK_EXIT_OK;
}

int rk_cli_mpi_end(int rc)
{
    fflush(stdout);
    fflush(stderr);
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Finalize();
    return rc;
}

#else

int rk_cli_mpi_begin(const char *cmd, rk_peers *p)
{
    memset(p, 0, sizeof *p);
    return rk_usage_error(cmd, "--mpi: this renkei was built without MPI (install libopenmpi-dev and build again)",
                          NULL);
}

int rk_cli_mpi_end(int rc)
{
    return rc;
}

#endif
