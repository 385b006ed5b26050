/*
 * Duplicate records (RK-FILE-004). The standard writes the data of one person
 * together, so a record is compared with the records before it in the same
 * run of 保険者番号 + 被保険者番号: an XXH3 hash set per run, bytes compared on a
 * hash match. Runs cut by a chunk boundary are finished when chunks merge,
 * from each chunk's first and last run (hashed when the chunk ends), so
 * chunking never changes the result.
 */
#ifndef RK_DUPRUNS_H
#define RK_DUPRUNS_H

#include <stddef.h>
#include <stdint.h>

#include "../findings/findings.h"
#include "renkei.h"

typedef struct rk_run_rec {
    uint64_t hash, record, line, off, len;
} rk_run_rec;

typedef struct rk_person_run {
    uint64_t who[2]; /* 保険者番号 + 被保険者番号, space-padded (rk_person_words) */
    rk_run_rec *v;
    size_t n, cap;
    int hashed; /* every record has its hash, and the run its hash set */
} rk_person_run;

typedef struct rk_dup_table {
    uint32_t *slot; /* 1 + index into the current run, 0 = empty */
    size_t mask;
} rk_dup_table;

/* What a chunk's walk keeps: its first and current run of one person. */
typedef struct rk_dup_runs {
    rk_person_run first, cur;
    int first_closed; /* the first run ended inside the chunk */
    rk_dup_table set; /* hashes of the current run */
} rk_dup_runs;

/* What the merge carries across chunk boundaries: the person run still open. */
typedef struct rk_dup_open {
    rk_person_run run;
    rk_dup_table set;
} rk_dup_open;

/* A record of person `who` walked in a chunk: a duplicate of an earlier one
 * in the chunk goes to f. RK_ERR_NOMEM when memory runs out. */
rk_status rk_dup_note(rk_dup_runs *c, const unsigned char *buf, const uint64_t who[2], const rk_record *rec,
                      rk_fbuf *f);
/* The chunk's walk ended: its last run is hashed for the merge. */
void rk_dup_chunk_done(rk_dup_runs *c, const unsigned char *buf);
/* Whether the chunk holds runs the merge must look at. */
int rk_dup_pending(const rk_dup_runs *c);
/* Finishes the runs cut by the boundary before chunk c (record and line
 * numbers made global with base, lbase) and carries c's last run in o. */
rk_status rk_dup_merge(rk_fbuf *fb, const unsigned char *buf, const rk_dup_runs *c, uint64_t base, uint64_t lbase,
                       rk_dup_open *o);
void rk_dup_runs_free(rk_dup_runs *c);
void rk_dup_open_free(rk_dup_open *o);

#endif
