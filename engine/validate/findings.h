/*
 * Findings buffers: per-chunk collections of findings with their strings,
 * and the report that owns the merged results of every file.
 */
#ifndef RK_FINDINGS_H
#define RK_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#include "../../formats/careplan/careplan.h"
#include "renkei.h"

typedef struct rk_ifind {
    uint64_t record, line, off;
    uint32_t rule, field;
    size_t value, expected; /* 1 + offset into the string arena; 0 = none */
    size_t seq;             /* insertion order, for a stable sort */
} rk_ifind;

typedef struct rk_fbuf {
    rk_ifind *v;
    size_t n, cap;
    char *s;
    size_t sn, scap;
    uint64_t count[RK_R_COUNT]; /* every finding, kept or not */
    unsigned keep;              /* kept per rule; 0 = all */
    int oom;
} rk_fbuf;

void rk_fbuf_init(rk_fbuf *f, unsigned keep);
void rk_fbuf_free(rk_fbuf *f);
void rk_fbuf_reset(rk_fbuf *f);

/* Adds a finding; value/expected are UTF-8 (may be NULL). */
void rk_fbuf_add(rk_fbuf *f, uint32_t rule, uint64_t record, uint64_t line, uint32_t field, uint64_t off,
                 const char *value, size_t vlen, const char *expected);

/* Appends every kept finding of src to dst, adding record_base to record numbers > 0. */
void rk_fbuf_append(rk_fbuf *dst, const rk_fbuf *src, uint64_t record_base);

/* Writes a short UTF-8 preview of MS932 bytes (at most 48 source bytes). */
size_t rk_preview(const unsigned char *p, size_t n, char *out, size_t cap);

struct rk_report {
    rk_file_result *files;
    size_t n, cap;
    /* per file: owned memory */
    struct rk_file_mem {
        rk_finding *findings;
        char *strings;
        char *path;
        char *version;
    } * mem;
};

/* Reserves the next file slot; returns its index or (size_t)-1. */
size_t rk_report_add_slot(rk_report *r);

/* Sorts f into file order, applies the keep limit and stores it as file i. */
rk_status rk_report_store(rk_report *r, size_t i, rk_fbuf *f, const char *path, const char *kind, const char *version,
                          uint64_t bytes, uint64_t records, uint64_t lines);

#endif
