/* SPDX-License-Identifier: Apache-2.0 */
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
    size_t value, expected;       /* 1 + offset into the string arena; 0 = none */
    size_t value_en, expected_en; /* the same in English; 0 = the same text */
    size_t seq;                   /* insertion order, for a stable sort */
    uint64_t ref;                 /* the earlier record the value names ("record N"), 0 = none */
} rk_ifind;

/* A link key (保険者番号 + 被保険者番号 + a date or month) and where it first occurs. */
typedef struct rk_key {
    char key[24];
    uint64_t record, line, off;
} rk_key;

typedef struct rk_fbuf {
    rk_ifind *v;
    size_t n, cap;
    char *s;
    size_t sn, scap;
    uint64_t count[RK_R_COUNT]; /* every finding, kept or not */
    unsigned keep;              /* kept per rule; 0 = all */
    int oom;
} rk_fbuf;

/* 1 when rule's findings are no longer kept (the cap is reached): the
 * finding is counted, and its text need not be made. */
static inline int rk_fbuf_count_only(rk_fbuf *f, uint32_t rule)
{
    if (!f->keep || f->count[rule] < f->keep)
        return 0;
    f->count[rule]++;
    return 1;
}

void rk_fbuf_init(rk_fbuf *f, unsigned keep);
void rk_fbuf_free(rk_fbuf *f);
void rk_fbuf_reset(rk_fbuf *f);

/* Adds a finding; value/expected are UTF-8 (may be NULL). */
void rk_fbuf_add(rk_fbuf *f, uint32_t rule, uint64_t record, uint64_t line, uint32_t field, uint64_t off,
                 const char *value, size_t vlen, const char *expected);

/* The same with the English texts (NULL: the same as value / expected). */
void rk_fbuf_add_en(rk_fbuf *f, uint32_t rule, uint64_t record, uint64_t line, uint32_t field, uint64_t off,
                    const char *value, size_t vlen, const char *value_en, const char *expected,
                    const char *expected_en);

/* As rk_fbuf_add, for an expected text of the project's own (never bytes of
 * the data): "ja" RK_JA_EN_SEP "en" (RK_JA_EN) is stored as the two
 * languages; the value too when value_ours (a text the engine wrote). */
void rk_fbuf_add_ours(rk_fbuf *f, uint32_t rule, uint64_t record, uint64_t line, uint32_t field, uint64_t off,
                      const char *value, size_t vlen, int value_ours, const char *expected);

/* Removes every finding of a rule, kept or counted. */
void rk_fbuf_drop(rk_fbuf *f, uint32_t rule);

/* Adds a finding whose value names an earlier record: "record N" (N = ref,
 * numbered like record, so that rk_fbuf_append moves both). */
void rk_fbuf_add_ref(rk_fbuf *f, uint32_t rule, uint64_t record, uint64_t line, uint64_t off, uint64_t ref);

/* Appends every kept finding of src to dst, adding record_base to record
 * numbers > 0 (and to the records values name). */
void rk_fbuf_append(rk_fbuf *dst, const rk_fbuf *src, uint64_t record_base, uint64_t line_base);

/* Writes a short UTF-8 preview of MS932 bytes (at most 48 source bytes). */
size_t rk_preview(const unsigned char *p, size_t n, char *out, size_t cap);
/* p[0..n) as "<XX XX …>" in out, cut to cap. */
void rk_hex_preview(const unsigned char *p, size_t n, char *out, size_t cap);

struct rk_report {
    rk_file_result *files;
    size_t n, cap;
    /* per file: owned memory */
    struct rk_file_mem {
        rk_finding *findings;
        char *strings;
        char **more_strings; /* string blocks of findings added later */
        size_t nmore;
        char *path;
        char *version;
        uint64_t *rule_counts; /* [RK_R_COUNT] */
        rk_name_info ni;       /* the file name, parsed */
        int layout;            /* layout generation of its records, 0 if none */
        rk_key *keys;          /* link keys, in file order; a later copy of a key has record 0 */
        size_t nkeys;
        uint32_t *slots; /* hash set over the first copies: 1 + index, 0 = empty; parts tables
                            of mask + 1 slots, the part by the hash's top bits */
        size_t mask;
        unsigned part_shift;       /* 64 - log2(parts); 64: one part */
        unsigned jobs;             /* threads that may build the set */
        unsigned keep;             /* the per-rule limit it was stored with */
        struct rk_keyspill *spill; /* the link keys on disk by partition, instead of keys (keyspill.h) */
        rk_key *whole;             /* keys in memory ordered by partition, when compared a partition at a time */
        size_t *part_at;           /* where each partition starts in whole (RK_SPILL_PARTS + 1) */
        int keys_lent;             /* keys points into whole */
    } * mem;
};

/* Reserves the next file slot; returns its index or (size_t)-1. */
size_t rk_report_add_slot(rk_report *r);

/* Sorts f into file order, applies the keep limit and stores it as file i. */
rk_status rk_report_store(rk_report *r, size_t i, rk_fbuf *f, const char *path, const char *kind, const char *version,
                          uint64_t bytes, uint64_t records, uint64_t lines);

/* Hands file i its name facts, layout and link keys (in file order; taken
 * over). jobs: threads that may build the key set later. */
rk_status rk_report_set_facts(rk_report *r, size_t i, const rk_name_info *ni, int layout, rk_key *keys, size_t nkeys,
                              unsigned jobs);

/* Builds the set over file i's link keys, once: only files that meet a
 * companion in a send unit need it. A later copy of a key gets record 0,
 * the first occurrence stays, whatever the thread count. */
rk_status rk_report_key_set(rk_report *r, size_t i);

/* Frees file i's link keys and their set (its send unit has been checked). */
void rk_report_drop_keys(rk_report *r, size_t i);
/* Frees what slot i holds (a file whose validation failed after it stored its findings). */
void rk_report_slot_free(rk_report *r, size_t i);

/* Hands file i a spill of its link keys (taken over) in place of keys. */
void rk_report_set_spill(rk_report *r, size_t i, struct rk_keyspill *spill);

/* Whether file i's link keys are on disk. */
int rk_report_spilled(const rk_report *r, size_t i);

/* Makes file i's keys and their set those of partition p alone: read from
 * its spill, or taken from its keys in memory (ordered by partition at the
 * first call). Partitions are taken in any order, each once. */
rk_status rk_report_key_part(rk_report *r, size_t i, unsigned p);

/* Whether file i has the link key `key` (24 bytes); its set is built. */
int rk_report_has_key(const rk_report *r, size_t i, const char *key);

/* Adds the findings of f to file i, keeping file order and the per-rule limit. */
rk_status rk_report_add(rk_report *r, size_t i, rk_fbuf *f);

#endif
