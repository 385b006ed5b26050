/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the parts of `renkei check` share (internal to engine/check): the
 * partitions rows are read into, the findings and totals they collect, and
 * the steps: read (read.c), sort (sort.c), judge and place (check.c), sum
 * (totals.c). The billing judgement itself is formats/billing/judge.h.
 */
#ifndef RK_CHECK_INTERNAL_H
#define RK_CHECK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../formats/billing/billing.h"
#include "../../formats/billing/judge.h"
#include "../../formats/billing/month.h"
#include "../../formats/billing/rows.h"
#include "../common/vec.h"
#include "../walk/walk.h"
#include "renkei.h"

/* Rows are partitioned by the low bits of their person-month hash. */
#define NPART_BITS 6
#define NPART (1u << NPART_BITS)

/* A finding of the check, at a row's place; record and line found at the end. */
typedef struct cfind {
    uint32_t rule, field;
    rk_row_place at;
    uint64_t record, line;         /* found at the end */
    char value[64], expected[128]; /* expected: RK_JA_EN text (judge.h) */
    char *note;                    /* heap: replaces value when set (ck_merge_codes) */
    int dropped;                   /* merged into another finding: not reported */
    int value_ours;                /* value is a text of the engine's (RK_JA_EN), not bytes of the data */
} cfind;

/* A run: consecutive rows of one reader vector of one person-month. A file
 * keeps a person's records together, so a month's rows come in runs of a
 * person-month and the sort orders runs, not rows. */
typedef struct run {
    uint64_t h;
    size_t first, n; /* row indexes in the vector */
} run;

/* How many person-months of a file did not stand, why, and what stood instead. */
typedef struct ck_disp {
    uint32_t file, by;
    uint32_t disposition; /* enum rk_disposition */
    uint64_t person_months;
} ck_disp;

#define RK_DISP_CACHE 256 /* dispositions summed in place before they go to the vector */

typedef struct part {
    rk_vec rows[RK_BK_COUNT]; /* by kind: rk_day_row (予定), rk_day_row (実績), rk_benefit_row, rk_person_row,
                                 rk_delete_row: a reader thread's rows of the partition */
    rk_vec runs[RK_BK_COUNT]; /* run, over rows[kind] */
    rk_vec finds;             /* cfind */
    rk_vec disps;             /* ck_disp, summed by ck_disp_sum */
    ck_disp dcache[RK_DISP_CACHE];
    rk_vec totals; /* rk_check_total rows keyed "O<office>", "I<insurer>", "T<type>" */
    uint32_t *tix; /* open addressing over totals by key: row index + 1, 0 = free */
    size_t tcap;   /* slots of tix, a power of two */
    int oom;
} part;

/* A person-month key as three words: the bytes of a row's pm. */
typedef struct pmkey {
    uint64_t w[3];
} pmkey;

/* Every row type starts with its hash and person-month. */
_Static_assert(offsetof(rk_day_row, pm) == RK_PM_OFF && offsetof(rk_benefit_row, pm) == RK_PM_OFF &&
                   offsetof(rk_person_row, pm) == RK_PM_OFF,
               "rows start with h and pm");

/* Two person-months (pm[24]) are the same: three words each, no call. */
static inline int same_pm(const char *a, const char *b)
{
    uint64_t x[3], y[3];
    memcpy(x, a, sizeof x);
    memcpy(y, b, sizeof y);
    return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2])) == 0;
}

/* Row sizes and where each row type keeps its place, by billing kind. */
extern const size_t ck_row_size[RK_BK_COUNT];
extern const size_t ck_place_off[RK_BK_COUNT];

/* ---- read.c ---- */

#define RK_TOO_MANY_CHUNKS 2 /* in reader.oom: a file of more chunks than a place can name */
#define RK_SPILL_FAILED 3    /* in reader.oom: rows could not be written out (spill.err) */

/* What read_record knows of the file it reads. */
typedef struct ck_reader {
    uint32_t file;
    int kind;
    const rk_layout *l3, *l4; /* the kind's layouts, looked up once */
    char v3[RK_VERSION_LEN];  /* the CSV versions of the v3.2 and v4.1 layouts: any other is */
    char v4[RK_VERSION_LEN];  /* reported (RK-VER-001) and read as v4.1 */
    part *parts;              /* [thread][NPART] */
    int *oom;                 /* per thread: 1 out of memory, or RK_TOO_MANY_CHUNKS */
    rk_vec *unread;           /* per thread: ck_unread */
    struct ck_spill *spill;   /* where rows go past a thread's share of the budget (spill.on) */
} ck_reader;

/* rk_chunk_fn: a record of a file of the reader's kind, as a row of its partition. */
int ck_read_record(void *ctx, int thread, size_t chunk, const unsigned char *buf, const rk_record *rec);
/* A record the check could not read (field count, CSV version) or a byte not
 * MS932: per thread and file, the first place and the count. */
typedef struct ck_unread {
    uint32_t file, rule;
    rk_row_place at;
    uint64_t count; /* records */
    uint64_t last;  /* offset of the last record counted */
    uint32_t want;  /* RK-CSV-006: the layout's item count */
} ck_unread;

/* rk_anom_chunk_fn: an MS932 anomaly of a reader's file. */
void ck_read_anomaly(void *ctx, int thread, size_t chunk, const struct rk_anom *a, const rk_record *rec);
/* Drops a thread's rows of a kind read on a wrong guess of a chunk start,
 * counting the runs again if any went (or always, with runs set); 0 out of memory. */
int ck_drop_rows(part *tp, int kind, const rk_chunk_bases *b, int runs);
/* Counts the runs of a thread's vector of a kind again (rows were added); 0 out of memory. */
int ck_count_runs(part *tp, int kind);
void ck_part_free_rows(part *tp);

/* ---- spill.c ---- */

/* A stretch of rows a thread wrote out: partition, sub-partition, kind. */
typedef struct ck_seg {
    uint32_t pi, sub;
    int kind;
    uint64_t off; /* in the thread's file */
    size_t n;     /* rows */
} ck_seg;

typedef struct ck_segref {
    unsigned thread;
    size_t seg;
} ck_segref;

typedef struct ck_spill {
    int on;               /* the month passes the budget: rows go out as they pass thread_budget */
    int wrote;            /* some thread wrote rows out */
    int err;              /* errno of a failed write or read */
    unsigned jobs;        /* reader threads */
    unsigned sub_bits;    /* a partition is judged in 2^sub_bits pieces (the top bits of the hash) */
    size_t thread_budget; /* bytes of rows a reader thread holds */
    size_t *used;         /* [jobs]: bytes of rows each holds */
    int *fd;              /* [jobs]: its file (-1 until it writes) */
    uint64_t *size;       /* [jobs]: bytes in it */
    rk_vec *segs;         /* [jobs]: ck_seg, in the order written */
    ck_segref *index;     /* the segments by (partition, sub-partition), a thread's in order */
    size_t *first;        /* [units + 1]: where a unit's segments start in index */
    char dir[4096];       /* where the files go (TMPDIR, else /tmp) */
} ck_spill;

/* Readies the spill for a budget of bytes (0: no limit), its sub-partitions
 * sized by the month's billing files. 0 out of memory. */
int ck_spill_plan(ck_spill *s, uint64_t input_bytes, size_t budget, unsigned jobs);
void ck_spill_free(ck_spill *s);
/* Writes thread t's rows (tp: its NPART partitions) out and frees them; 0 on
 * a write error (s->err). */
int ck_spill_thread(ck_spill *s, part *tp, unsigned t);
/* After the last write: the segments by unit. 0 out of memory. */
int ck_spill_index(ck_spill *s);
/* Reads sub-partition sub of partition pi back into the threads' vectors of
 * pi (empty before), the rows of dropped chunks left out, runs counted. */
int ck_spill_load(ck_spill *s, part *tparts, unsigned pi, unsigned sub, const rk_chunk_bases *bases);

/* ---- codes.c ---- */

/* One finding per unknown service code: the first place keeps it, its value
 * becomes the code, the count and the first places; the rest are dropped.
 * Needs the findings' lines (after the places are found). 0 out of memory. */
int ck_merge_codes(part *parts, size_t nparts, char *const *files);
/* Frees the notes of a partition's findings. */
void ck_free_notes(part *p);

/* ---- tables.c ---- */

/* Reads the service-code master (m) or the office table (o) at path. */
rk_status ck_load_table(const char *path, rk_master *m, rk_offices *o, char *err, size_t cap);

/* ---- sort.c ---- */

/*
 * Sorts partition `pi`'s rows of one kind, from every thread's vectors, into
 * `out` as pointers, in the order of the kind's comparator (hash, then bytes,
 * then file and record). The runs are radix-sorted on the hash bits above the
 * partition's; runs that share those bits (one person-month split between
 * chunks, or a rare collision) and runs out of order are sorted row by row.
 * Rows stay where the readers put them.
 */
typedef struct ck_ref {
    uint64_t h;
    const char *row; /* the run's first row */
    size_t n;
} ck_ref;

typedef struct ck_sorted {
    const void **v;
    size_t n, cap;
} ck_sorted;

/* A worker's buffers, grown as partitions need and reused for the next. */
typedef struct ck_scratch {
    ck_ref *r, *tmp; /* runs */
    size_t rcap, tcap;
    const void **merge; /* rows */
    size_t mcap;
    ck_sorted k[RK_BK_COUNT]; /* plan, actual, 7表, 補足, deletes */
    rk_month_scratch month;
} ck_scratch;

#define RK_RADIX_BITS 11
#define RK_PREFETCH_RUNS 8
#define RK_RADIX_PASSES 3 /* 33 hash bits: person-months rarely share them */

/* The hash bits above the partition's the runs are radix-sorted on. */
static inline uint64_t ck_radix_key(uint64_t h)
{
    return (h >> NPART_BITS) & (((uint64_t)1 << (RK_RADIX_BITS * RK_RADIX_PASSES)) - 1);
}

/* The order of person-months in a partition's sorted lists, the same for
 * every kind: radix key, then the whole hash, then the bytes. Whoever merges
 * the lists must use it too. */
static inline int ck_pm_cmp(uint64_t h1, const char *pm1, uint64_t h2, const char *pm2)
{
    uint64_t k1 = ck_radix_key(h1), k2 = ck_radix_key(h2);
    if (k1 != k2)
        return k1 < k2 ? -1 : 1;
    if (h1 != h2)
        return h1 < h2 ? -1 : 1;
    return rk_keycmp(pm1, pm2, RK_PM_LEN);
}

/* Partition pi's rows of a kind from every thread's vectors, sorted by
 * person-month, then the kind's order; 0 out of memory. */
int ck_sort_part(ck_sorted *out, ck_scratch *sc, part *tparts, unsigned jobs, size_t pi, int kind);
void ck_scratch_free(ck_scratch *sc);

/* ---- totals.c ---- */

/* rk_judge_sink.claim: a claim to the totals of its office, insurer and type. */
void ck_part_claim(void *ctx, const rk_claim_outcome *c);
/* A standing plan: one user of care manager cm planned with `offices` offices. */
void ck_part_plan(part *p, const char cm[10], size_t offices);
/* rk_month_sink.disposed: a person-month of a file that did not stand, summed. */
void ck_part_disposed(void *ctx, uint32_t file, int disposition, uint32_t by_file);
/* Empties the partition's disposition cache into its vector; 0 out of memory. */
int ck_part_disp_flush(part *p);
/* The month's totals from every partition's (all: rk_check_total), and the
 * dispositions (disps: ck_disp) by file name. */
rk_status ck_build_summary(rk_vec *all, rk_vec *disps, char *const *files, rk_check_summary **out);

/* ---- check.c ---- */

/* One run of the check: the inputs, the threads' partitions and what they found. */
typedef struct check_run {
    const rk_check_options *o;
    rk_report *r;
    char *err;
    size_t errcap;
    rk_master *m;
    rk_offices *of;
    char **files;
    size_t nf;
    unsigned jobs;
    rk_engine *e;
    part *parts;  /* [NPART]: findings and totals of each partition */
    part *tparts; /* [jobs][NPART]: the rows each reader thread read */
    size_t *slot; /* by file: its report slot */
    int *kinds;   /* by file: its billing kind, -1 if the check does not read it */
    uint64_t *sizes, *records;
    rk_chunk_bases *bases; /* by file: its chunks' record bases */
    rk_month_file *mfiles; /* by file: what the month model knows of it */
    rk_vec *unread;        /* [jobs]: ck_unread */
    int dropped;           /* some chunk was read on a wrong guess of its start */
    ck_spill spill;        /* rows written out past the memory budget */
    const rk_peers *peers; /* o->peers: one of several processes (peers.c) */
    uint32_t *owner;       /* with peers, by file: the peer that reads it */
    struct rk_xchg *x;     /* with peers: the buffers of an exchange (common/msg.h) */
} check_run;

/* ---- peers.c: one month across processes (rk_peers) ---- */

/* The peer that judges partition pi. */
static inline unsigned ck_part_owner(const check_run *c, size_t pi)
{
    return c->peers ? (unsigned)(pi % c->peers->size) : 0;
}

/* The buffers of the exchanges, before the first; freed by ck_peers_close. */
rk_status ck_peers_open(check_run *c);
void ck_peers_close(check_run *c);
/* Every peer's status of a step: the failure of the lowest file (then the
 * lowest peer) stands everywhere, its message in c->err. */
rk_status ck_peers_agree(check_run *c, rk_status st, uint32_t file);
/* Peer 0 deals the billing files out by size (c->owner); every peer checks
 * that it sees the same files. */
rk_status ck_peers_deal(check_run *c);
/* To peer 0: the counts, sizes and chunk bases of each peer's files and what
 * it could not read. */
rk_status ck_peers_meta(check_run *c);
/* Each row to the peer that owns its partition. */
rk_status ck_peers_rows(check_run *c);
/* To peer 0: the findings, totals and dispositions of each peer's partitions. */
rk_status ck_peers_results(check_run *c);

#endif
