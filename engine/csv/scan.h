/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The structural scanner: finds the unquoted separators (',' and LF) of a byte
 * range and the anomalies the CSV syntax and MS932 forbid, 64 bytes at a time.
 *
 * Semantics (identical in every kernel, the scalar one being the reference):
 *  - every '"' toggles the in-quote state (quote parity); separators are the
 *    ',' and LF bytes outside quotes;
 *  - an opening quote is valid at a field start or right after a closing
 *    quote (the "" escape); a closing quote is valid before ',', LF, CR, '"'
 *    or the end of the file;
 *  - CR outside quotes must be followed by LF; NUL is never valid;
 *  - LF inside quotes is reported (kind QLF) so that callers can count lines.
 * Knows nothing of files, threads or the standard's fields.
 */
#ifndef RK_SCAN_H
#define RK_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "renkei.h"

enum rk_anom_kind {
    RK_AN_QLF = 0,      /* LF inside a quoted field (not a problem) */
    RK_AN_BAD_OPEN,     /* quote inside an unquoted field */
    RK_AN_BAD_CLOSE,    /* text after a closing quote (pos = the quote) */
    RK_AN_BARE_CR,      /* CR outside quotes without LF */
    RK_AN_NUL,          /* NUL byte */
    RK_AN_UNTERMINATED, /* pos = the opening quote of a field never closed */
    RK_AN_ENC_INVALID,  /* MS932 kinds: pos = first byte, len = 1 or 2 */
    RK_AN_ENC_UNASSIGNED,
    RK_AN_ENC_GAIJI
};

typedef struct rk_anom {
    uint64_t pos;
    uint32_t kind;
    uint32_t len;
} rk_anom;

typedef struct rk_u64vec {
    uint64_t *v;
    size_t n, cap;
} rk_u64vec;

typedef struct rk_u32vec {
    uint32_t *v;
    size_t n, cap;
} rk_u32vec;

typedef struct rk_anomvec {
    rk_anom *v;
    size_t n, cap;
} rk_anomvec;

/* State carried from one block (and window) to the next. */
typedef struct rk_scanner {
    const unsigned char *buf; /* the whole file */
    uint64_t buflen;
    int ms932;           /* check the encoding too */
    uint64_t inq;        /* 0 or all ones: inside quotes after the last byte */
    int ended_inq;       /* rk_scan_finish found the range ending inside quotes */
    uint64_t prev_sep;   /* 1: the byte before is a separator or the chunk start */
    uint64_t prev_close; /* 1: the byte before is a closing quote */
    uint64_t last_open;  /* offset of the last opening quote */
    int pending;         /* MS932 lead byte waiting for its trail */
    uint64_t pending_pos;
    rk_u32vec seps;     /* out: offsets of separators from seps_base, ascending (half the
                           bytes of absolute offsets to store and to read back) */
    uint64_t seps_base; /* where a scan began into an empty seps; a range
                           scanned into one seps spans less than 4 GiB */
    rk_u64vec lfs;      /* out: indices into seps of the separators that are LFs (record ends) */
    rk_anomvec anoms;   /* out: structural anomalies, ascending */
    rk_anomvec enc;     /* out: encoding anomalies, ascending */
    int oom;            /* an allocation failed, or a range outgrew seps' 32-bit offsets; outputs incomplete */
} rk_scanner;

/* Prepares sc to scan a chunk starting at a record boundary. */
void rk_scanner_init(rk_scanner *sc, const unsigned char *buf, uint64_t buflen, int ms932);
void rk_scanner_free(rk_scanner *sc);

/*
 * Scans [begin, end); consecutive calls continue the same chunk. Every call but
 * the last of a chunk must cover a multiple of 64 bytes.
 */
void rk_scan(rk_simd kernel, rk_scanner *sc, uint64_t begin, uint64_t end);

/* Ends a chunk that ended at `end`: reports a pending lead byte and an unterminated quote. */
void rk_scan_finish(rk_scanner *sc, uint64_t end);

/* Counts quotes and LFs of [begin, end) (the parallel pre-pass). */
void rk_count_quotes_lfs(rk_simd kernel, const unsigned char *buf, uint64_t begin, uint64_t end, uint64_t *quotes,
                         uint64_t *lfs);

int rk_anom_push(rk_anomvec *v, uint64_t pos, uint32_t kind, uint32_t len);

#endif
