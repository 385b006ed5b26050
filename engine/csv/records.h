/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The record walker: drives the scanner over a record-aligned chunk in
 * windows, and turns separators into records (rk_record) and anomalies into
 * placed events (record, line, field). Knows nothing of the standard.
 */
#ifndef RK_RECORDS_H
#define RK_RECORDS_H

#include "renkei.h"
#include "scan.h"

typedef struct rk_walk_cb {
    void *ctx;
    /* Each record in order; record numbers are 1-based within the chunk. */
    int (*on_record)(void *ctx, const rk_record *rec, int unterminated);
    /* Each anomaly but QLF, after the record it lies in (may be NULL). */
    void (*on_anom)(void *ctx, const rk_anom *a, const rk_record *rec, uint64_t line, uint32_t field);
} rk_walk_cb;

typedef struct rk_walker {
    rk_scanner sc;
    rk_field *fields;
    size_t fcap;
    uint64_t end; /* out: where the last walk ended (before soft's record, or at end) */
} rk_walker;

void rk_walker_free(rk_walker *w);

/*
 * What one walk covers: [begin, end) of buf (buflen bytes); begin is a record
 * start (file start or after an unquoted LF); line0 = LFs before begin. A
 * soft end (0: none) stops the walk before the first record that starts at
 * or past soft, a record start the walk itself found outside quotes. With
 * release set, buf is a file mapping of rk_map_file and the pages of
 * finished records are dropped as the walk goes.
 */
typedef struct rk_walk_span {
    const unsigned char *buf;
    uint64_t buflen;
    uint64_t begin, end, soft, line0;
    rk_simd kernel; /* the scanner's kernel (rk_simd_resolve) */
    int ms932;      /* check MS932 as the walk goes */
    int release;
} rk_walk_span;

/*
 * Walks a span; w->end receives where the walk ended. *nrecords and *nlines
 * (each may be NULL) receive the records and LFs walked.
 * Returns RK_ERR_NOMEM or RK_ERR_ABORTED.
 */
rk_status rk_walk(rk_walker *w, const rk_walk_span *span, const rk_walk_cb *cb, uint64_t *nrecords, uint64_t *nlines);

/*
 * For both quote states a chunk may start in (index 0 outside, 1 inside),
 * the first unquoted LF in [from, to) (or `to`) and the LFs before it, in one
 * pass: the pre-pass finds both before it knows which state applies.
 */
void rk_record_starts(const unsigned char *buf, uint64_t from, uint64_t to, uint64_t pos[2], uint64_t lfs[2]);

#endif
