/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Findings buffers and the report (see findings.h). Findings are collected
 * per chunk without locks and merged in file order, so the output never
 * depends on the number of threads.
 */
#include "../common/vec.h"
#include "findings.h"
#include "../validate/keyspill.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../formats/careplan/layouts.h"
#include "../../formats/ms932/ms932.h"

#define XXH_INLINE_ALL /* keys of 24 bytes: inlined, a hash is a few loads */
#include <xxhash.h>

void rk_fbuf_init(rk_fbuf *f, unsigned keep)
{
    memset(f, 0, sizeof *f);
    f->keep = keep;
}

void rk_fbuf_free(rk_fbuf *f)
{
    free(f->v);
    free(f->s);
    memset(f, 0, sizeof *f);
}

void rk_fbuf_reset(rk_fbuf *f)
{
    f->n = f->sn = 0;
    memset(f->count, 0, sizeof f->count);
    f->oom = 0;
}

static size_t add_string(rk_fbuf *f, const char *s, size_t len)
{
    if (!s)
        return 0;
    if (!RK_RESERVE(f->s, f->scap, f->sn + len + 1, 4096)) {
        f->oom = 1;
        return 0;
    }
    size_t at = f->sn;
    memcpy(f->s + at, s, len);
    f->s[at + len] = 0;
    f->sn += len + 1;
    return at + 1;
}

static void push(rk_fbuf *f, const rk_ifind *x, const char *value, const char *expected, const char *value_en,
                 const char *expected_en)
{
    if (!RK_RESERVE(f->v, f->cap, f->n + 1, 64)) {
        f->oom = 1;
        return;
    }
    rk_ifind *d = &f->v[f->n];
    *d = *x;
    d->value = value ? add_string(f, value, strlen(value)) : 0;
    d->expected = expected ? add_string(f, expected, strlen(expected)) : 0;
    d->value_en = value_en ? add_string(f, value_en, strlen(value_en)) : 0;
    d->expected_en = expected_en ? add_string(f, expected_en, strlen(expected_en)) : 0;
    d->seq = f->n++;
}

void rk_fbuf_add_en(rk_fbuf *f, uint32_t rule, uint64_t record, uint64_t line, uint32_t field, uint64_t off,
                    const char *value, size_t vlen, const char *value_en, const char *expected, const char *expected_en)
{
    if (f->keep && f->count[rule] >= f->keep) {
        f->count[rule]++;
        return;
    }
    f->count[rule]++;
    rk_ifind x = {record, line, off, rule, field, 0, 0, 0, 0, 0, 0};
    size_t n0 = f->n;
    push(f, &x, NULL, NULL, NULL, NULL);
    if (f->n == n0)
        return;
    f->v[n0].value = value ? add_string(f, value, vlen) : 0;
    f->v[n0].expected = expected ? add_string(f, expected, strlen(expected)) : 0;
    f->v[n0].value_en = value && value_en ? add_string(f, value_en, strlen(value_en)) : 0;
    f->v[n0].expected_en = expected && expected_en ? add_string(f, expected_en, strlen(expected_en)) : 0;
}

void rk_fbuf_add(rk_fbuf *f, uint32_t rule, uint64_t record, uint64_t line, uint32_t field, uint64_t off,
                 const char *value, size_t vlen, const char *expected)
{
    rk_fbuf_add_en(f, rule, record, line, field, off, value, vlen, NULL, expected, NULL);
}

/* Splits "ja" RK_JA_EN_SEP "en" of s[0..n): the Japanese into ja, returns the English or NULL. */
static const char *split_ja_en(const char *s, size_t n, char *ja, size_t cap, size_t *jn)
{
    const char *sep = s ? memchr(s, RK_JA_EN_SEP, n) : NULL;
    if (!sep)
        return NULL;
    *jn = (size_t)(sep - s) < cap - 1 ? (size_t)(sep - s) : cap - 1;
    memcpy(ja, s, *jn);
    ja[*jn] = 0;
    return sep + 1;
}

void rk_fbuf_add_ours(rk_fbuf *f, uint32_t rule, uint64_t record, uint64_t line, uint32_t field, uint64_t off,
                      const char *value, size_t vlen, int value_ours, const char *expected)
{
    char vja[256], eja[256];
    size_t vn = 0, en = 0;
    const char *ven = value_ours ? split_ja_en(value, vlen, vja, sizeof vja, &vn) : NULL;
    const char *een = expected ? split_ja_en(expected, strlen(expected), eja, sizeof eja, &en) : NULL;
    rk_fbuf_add_en(f, rule, record, line, field, off, ven ? vja : value, ven ? vn : vlen, ven, een ? eja : expected,
                   een);
}

/* "レコード N" and "record N": a value naming an earlier record. */
static void ref_text(uint64_t ref, char ja[40], char en[32])
{
    snprintf(ja, 40, "レコード %llu", (unsigned long long)ref);
    snprintf(en, 32, "record %llu", (unsigned long long)ref);
}

void rk_fbuf_add_ref(rk_fbuf *f, uint32_t rule, uint64_t record, uint64_t line, uint64_t off, uint64_t ref)
{
    char ja[40], en[32];
    ref_text(ref, ja, en);
    size_t n0 = f->n;
    rk_fbuf_add_en(f, rule, record, line, 0, off, ja, strlen(ja), en, NULL, NULL);
    if (f->n > n0)
        f->v[n0].ref = ref;
}

void rk_fbuf_append(rk_fbuf *dst, const rk_fbuf *src, uint64_t record_base, uint64_t line_base)
{
#define STR(off) ((off) ? src->s + (off)-1 : NULL)
    for (size_t i = 0; i < src->n; i++) {
        rk_ifind x = src->v[i];
        if (x.record) {
            x.record += record_base;
            x.line += line_base;
        }
        const char *value = STR(x.value), *value_en = STR(x.value_en);
        char ja[40], en[32];
        if (x.ref) { /* the value names a record of the same numbering */
            x.ref += record_base;
            ref_text(x.ref, ja, en);
            value = ja;
            value_en = en;
        }
        push(dst, &x, value, STR(x.expected), value_en, STR(x.expected_en));
    }
#undef STR
    for (size_t r = 0; r < RK_R_COUNT; r++)
        dst->count[r] += src->count[r];
}

void rk_hex_preview(const unsigned char *p, size_t n, char *out, size_t cap)
{
    size_t w = 0;
    w += (size_t)snprintf(out + w, cap - w, "<");
    for (size_t i = 0; i < n && w < cap; i++)
        w += (size_t)snprintf(out + w, cap - w, i ? " %02X" : "%02X", p[i]);
    if (w < cap)
        snprintf(out + w, cap - w, ">");
}

size_t rk_preview(const unsigned char *p, size_t n, char *out, size_t cap)
{
    const size_t maxsrc = 48;
    int cut = n > maxsrc;
    size_t take = cut ? maxsrc : n;
    /* Do not cut a two-byte character in half. */
    if (cut) {
        size_t i = 0;
        while (i < take) {
            size_t len;
            rk_ms932_classify(p + i, n - i, &len);
            if (i + len > take)
                break;
            i += len;
        }
        take = i;
    }
    size_t w = 0;
    if (cap < 3 * take + 4 || rk_ms932_to_utf8(p, take, out, cap - 4, &w, NULL) != RK_OK)
        w = 0;
    if (cut) {
        memcpy(out + w, "\xE2\x80\xA6", 3); /* … */
        w += 3;
    }
    out[w] = 0;
    return w;
}

/* ---- report ----------------------------------------------------------- */

rk_report *rk_report_new(void)
{
    return calloc(1, sizeof(rk_report));
}

void rk_report_slot_free(rk_report *r, size_t i)
{
    free(r->mem[i].findings);
    free(r->mem[i].strings);
    for (size_t k = 0; k < r->mem[i].nmore; k++)
        free(r->mem[i].more_strings[k]);
    free(r->mem[i].more_strings);
    free(r->mem[i].path);
    free(r->mem[i].version);
    free(r->mem[i].rule_counts);
    rk_report_drop_keys(r, i);
    memset(&r->mem[i], 0, sizeof r->mem[i]);
}

void rk_report_free(rk_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        rk_report_slot_free(r, i);
    free(r->files);
    free(r->mem);
    free(r);
}

size_t rk_report_nfiles(const rk_report *r)
{
    return r ? r->n : 0;
}

const rk_file_result *rk_report_file(const rk_report *r, size_t i)
{
    return r && i < r->n ? &r->files[i] : NULL;
}

/* Whether rule id is named by a comma-separated list of IDs or prefixes. */
static int listed(const char *list, const char *id)
{
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n && strncmp(id, p, n) == 0)
            return 1;
        p = e ? e + 1 : p + n;
    }
    return 0;
}

/* Every entry of a list names some rule. */
static int list_known(const char *list)
{
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p), k = 0;
        while (n && k < RK_R_COUNT && strncmp(rk_rule_at(k)->id, p, n) != 0)
            k++;
        if (n && k == RK_R_COUNT)
            return 0;
        p = e ? e + 1 : p + n;
    }
    return 1;
}

rk_status rk_report_select(rk_report *r, const char *select, const char *ignore)
{
    if (!r || !list_known(select) || !list_known(ignore))
        return RK_ERR_ARG;
    unsigned char drop[RK_R_COUNT];
    for (size_t k = 0; k < RK_R_COUNT; k++) {
        const char *id = rk_rule_at(k)->id;
        drop[k] = (select && *select && !listed(select, id)) || listed(ignore, id);
    }
    const rk_rule *first = rk_rule_at(0);
    for (size_t i = 0; i < r->n; i++) {
        rk_file_result *fr = &r->files[i];
        struct rk_file_mem *m = &r->mem[i];
        size_t w = 0;
        for (size_t k = 0; k < fr->nfindings; k++)
            if (!drop[m->findings[k].rule - first])
                m->findings[w++] = m->findings[k];
        fr->nfindings = w;
        for (size_t k = 0; m->rule_counts && k < RK_R_COUNT; k++)
            if (drop[k]) {
                fr->counts[rk_rule_at(k)->severity] -= m->rule_counts[k];
                m->rule_counts[k] = 0;
            }
    }
    return RK_OK;
}

void rk_fbuf_drop(rk_fbuf *f, uint32_t rule)
{
    size_t w = 0;
    for (size_t k = 0; k < f->n; k++)
        if (f->v[k].rule != rule)
            f->v[w++] = f->v[k];
    f->n = w;
    f->count[rule] = 0;
}

void rk_report_rule_counts(const rk_report *r, uint64_t *counts)
{
    memset(counts, 0, RK_R_COUNT * sizeof *counts);
    for (size_t i = 0; r && i < r->n; i++)
        for (size_t k = 0; r->mem[i].rule_counts && k < RK_R_COUNT; k++)
            counts[k] += r->mem[i].rule_counts[k];
}

void rk_report_totals(const rk_report *r, uint64_t counts[3], uint64_t *records, uint64_t *bytes)
{
    uint64_t c[3] = {0, 0, 0}, rec = 0, by = 0;
    for (size_t i = 0; r && i < r->n; i++) {
        for (int s = 0; s < 3; s++)
            c[s] += r->files[i].counts[s];
        rec += r->files[i].records;
        by += r->files[i].bytes;
    }
    if (counts)
        memcpy(counts, c, sizeof c);
    if (records)
        *records = rec;
    if (bytes)
        *bytes = by;
}

size_t rk_report_add_slot(rk_report *r)
{
    size_t mcap = r->cap; /* the two arrays grow together */
    if (!RK_RESERVE(r->files, r->cap, r->n + 1, 16) || !RK_RESERVE(r->mem, mcap, r->cap, 16))
        return (size_t)-1;
    memset(&r->files[r->n], 0, sizeof r->files[r->n]);
    memset(&r->mem[r->n], 0, sizeof r->mem[r->n]);
    return r->n++;
}

const char *rk_finding_value(const rk_finding *f, rk_lang lang)
{
    return lang == RK_LANG_EN && f->value_en ? f->value_en : f->value;
}

const char *rk_finding_expected(const rk_finding *f, rk_lang lang)
{
    return lang == RK_LANG_EN && f->expected_en ? f->expected_en : f->expected;
}

/* A stored finding from a buffered one whose strings were copied to `strings`. */
static void to_finding(rk_finding *d, const rk_ifind *x, const char *strings)
{
    d->rule = rk_rule_at(x->rule);
    d->record = x->record;
    d->line = x->line;
    d->field = x->field;
    d->byte_offset = x->off;
    d->field_name = NULL;
    d->value = x->value ? strings + x->value - 1 : NULL;
    d->expected = x->expected ? strings + x->expected - 1 : NULL;
    d->value_en = x->value_en ? strings + x->value_en - 1 : d->value;
    d->expected_en = x->expected_en ? strings + x->expected_en - 1 : d->expected;
}

static int cmp_find(const void *a, const void *b)
{
    const rk_ifind *x = a, *y = b;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    if (x->record != y->record)
        return x->record < y->record ? -1 : 1;
    if (x->field != y->field)
        return x->field < y->field ? -1 : 1;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

rk_status rk_report_store(rk_report *r, size_t i, rk_fbuf *f, const char *path, const char *kind, const char *version,
                          uint64_t bytes, uint64_t records, uint64_t lines)
{
    if (f->oom)
        return RK_ERR_NOMEM;
    /* File-level findings (record 0) sort first: they carry offset 0. */
    if (f->n)
        qsort(f->v, f->n, sizeof *f->v, cmp_find);
    rk_finding *out = malloc((f->n ? f->n : 1) * sizeof *out);
    char *strings = malloc(f->sn ? f->sn : 1);
    char *p = strdup(path);
    char *ver = version ? strdup(version) : NULL;
    uint64_t *rc = malloc(RK_R_COUNT * sizeof *rc);
    if (!out || !strings || !p || (version && !ver) || !rc) {
        free(out);
        free(strings);
        free(p);
        free(ver);
        free(rc);
        return RK_ERR_NOMEM;
    }
    memcpy(rc, f->count, RK_R_COUNT * sizeof *rc);
    if (f->sn)
        memcpy(strings, f->s, f->sn);
    uint64_t kept[RK_R_COUNT] = {0};
    size_t n = 0;
    for (size_t k = 0; k < f->n; k++) {
        const rk_ifind *x = &f->v[k];
        if (f->keep && kept[x->rule] >= f->keep)
            continue;
        kept[x->rule]++;
        to_finding(&out[n++], x, strings);
    }
    rk_file_result *fr = &r->files[i];
    struct rk_file_mem *m = &r->mem[i];
    m->findings = out;
    m->strings = strings;
    m->path = p;
    m->version = ver;
    m->rule_counts = rc;
    fr->rule_counts = rc;
    fr->path = p;
    const char *slash = strrchr(p, '/');
    fr->name = slash ? slash + 1 : p;
    fr->kind = kind;
    fr->csv_version = ver;
    fr->bytes = bytes;
    fr->records = records;
    fr->lines = lines;
    fr->nfindings = n;
    fr->findings = out;
    m->keep = f->keep;
    for (size_t rule = 0; rule < RK_R_COUNT; rule++)
        fr->counts[rk_rule_at(rule)->severity] += f->count[rule];
    return RK_OK;
}

/* Names each finding's item after the file's layout. */
static void name_fields(rk_finding *f, size_t n, const struct rk_file_mem *m)
{
    const rk_layout *L = m->ni.kind && m->layout ? rk_layout_find(m->ni.kind, m->layout) : NULL;
    for (size_t k = 0; k < n; k++)
        f[k].field_name = L && f[k].field && f[k].field <= L->nfields ? L->fields[f[k].field - 1].name : NULL;
}

static uint64_t key_hash(const char *key)
{
    return XXH3_64bits(key, sizeof((rk_key *)0)->key);
}

/* The part a hash's keys go to (its top bits), when the set has parts. */
static size_t key_part(unsigned shift, uint64_t hash)
{
    return shift >= 64 ? 0 : (size_t)(hash >> shift);
}

static size_t key_probe(const struct rk_file_mem *m, const char *key, uint64_t hash)
{
    size_t base = key_part(m->part_shift, hash) * (m->mask + 1), h = (size_t)hash & m->mask;
    while (m->slots[base + h] && memcmp(m->keys[m->slots[base + h] - 1].key, key, sizeof m->keys[0].key) != 0)
        h = (h + 1) & m->mask;
    return base + h;
}

void rk_report_drop_keys(rk_report *r, size_t i)
{
    struct rk_file_mem *m = &r->mem[i];
    if (!m->keys_lent)
        free(m->keys);
    free(m->slots);
    free(m->whole);
    free(m->part_at);
    rk_keyspill_free(m->spill);
    m->keys = m->whole = NULL;
    m->slots = NULL;
    m->part_at = NULL;
    m->spill = NULL;
    m->keys_lent = 0;
    m->nkeys = 0;
    m->mask = 0;
    m->part_shift = 64;
}

rk_status rk_report_set_facts(rk_report *r, size_t i, const rk_name_info *ni, int layout, rk_key *keys, size_t nkeys,
                              unsigned jobs)
{
    struct rk_file_mem *m = &r->mem[i];
    m->ni = *ni;
    m->layout = layout;
    rk_report_drop_keys(r, i);
    m->keys = keys;
    m->nkeys = nkeys;
    m->jobs = jobs;
    name_fields(m->findings, r->files[i].nfindings, m);
    return RK_OK;
}

rk_status rk_report_key_set(rk_report *r, size_t i)
{
    struct rk_file_mem *m = &r->mem[i];
    size_t nkeys = m->nkeys;
    rk_key *keys = m->keys;
    if (m->slots || !nkeys)
        return RK_OK;
    int threads = m->jobs > 1 && nkeys > 65536 ? (int)m->jobs : 1;
    /* One part per thread (a power of two): each thread puts in the keys of
     * its part, in file order, so the first copy of a key is the one kept
     * whatever the thread count. */
    unsigned lg = 0;
    while ((1u << lg) < (unsigned)threads && lg < 6)
        lg++;
    size_t parts = (size_t)1 << lg;
    uint64_t *hash = malloc(nkeys * sizeof *hash);
    size_t *count = calloc(parts, sizeof *count);
    if (!hash || !count || nkeys >= UINT32_MAX) {
        free(hash);
        free(count);
        return RK_ERR_NOMEM;
    }
    m->part_shift = lg ? 64 - lg : 64;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (size_t k = 0; k < nkeys; k++)
        hash[k] = key_hash(keys[k].key);
    for (size_t k = 0; k < nkeys; k++) /* each part sized for its own keys: none can fill */
        count[key_part(m->part_shift, hash[k])]++;
    size_t most = 0, cap = 16;
    for (size_t p = 0; p < parts; p++)
        most = count[p] > most ? count[p] : most;
    free(count);
    while (cap < 2 * most)
        cap *= 2;
    /* Each part is zeroed by the thread that fills it: its pages are faulted
     * in by that thread, in order, before the probes at random places. */
    m->slots = malloc(parts * cap * sizeof *m->slots);
    if (!m->slots) {
        free(hash);
        return RK_ERR_NOMEM;
    }
    m->mask = cap - 1;
    /* The tables are far larger than the caches: the home slots of the keys
     * ahead are fetched while the ones before go in (slots stay 4 bytes:
     * with a hash tag beside the index, the larger table was slower here). */
    enum { AHEAD = 16 };
#pragma omp parallel for num_threads(threads) schedule(static, 1)
    for (size_t p = 0; p < parts; p++) {
        memset(&m->slots[p * cap], 0, cap * sizeof *m->slots);
        for (size_t k = 0; k < nkeys; k++) {
            if (k + AHEAD < nkeys && key_part(m->part_shift, hash[k + AHEAD]) == p)
                __builtin_prefetch(&m->slots[p * cap + ((size_t)hash[k + AHEAD] & m->mask)]);
            if (key_part(m->part_shift, hash[k]) != p)
                continue;
            size_t h = key_probe(m, keys[k].key, hash[k]);
            if (m->slots[h])
                keys[k].record = 0; /* a later copy */
            else
                m->slots[h] = (uint32_t)(k + 1);
        }
    }
    free(hash);
    return RK_OK;
}

void rk_report_set_spill(rk_report *r, size_t i, struct rk_keyspill *spill)
{
    struct rk_file_mem *m = &r->mem[i];
    rk_keyspill_free(m->spill);
    m->spill = spill;
}

int rk_report_spilled(const rk_report *r, size_t i)
{
    return r->mem[i].spill != NULL;
}

/* File i's keys in memory, ordered by partition (each partition's in file
 * order), into whole and part_at. */
static rk_status keys_by_part(struct rk_file_mem *m)
{
    size_t n = m->nkeys;
    m->part_at = calloc(RK_SPILL_PARTS + 1, sizeof *m->part_at);
    m->whole = malloc((n ? n : 1) * sizeof *m->whole);
    unsigned char *part = malloc(n ? n : 1);
    if (!m->part_at || !m->whole || !part) {
        free(part);
        return RK_ERR_NOMEM;
    }
    for (size_t k = 0; k < n; k++) {
        part[k] = (unsigned char)rk_keyspill_part(&m->keys[k]);
        m->part_at[part[k] + 1]++;
    }
    for (unsigned p = 0; p < RK_SPILL_PARTS; p++)
        m->part_at[p + 1] += m->part_at[p];
    size_t *at = malloc(RK_SPILL_PARTS * sizeof *at);
    if (!at) {
        free(part);
        return RK_ERR_NOMEM;
    }
    memcpy(at, m->part_at, RK_SPILL_PARTS * sizeof *at);
    for (size_t k = 0; k < n; k++)
        m->whole[at[part[k]]++] = m->keys[k];
    free(at);
    free(part);
    free(m->keys);
    m->keys = NULL;
    m->nkeys = 0;
    return RK_OK;
}

rk_status rk_report_key_part(rk_report *r, size_t i, unsigned p)
{
    struct rk_file_mem *m = &r->mem[i];
    if (!m->spill && !m->part_at) {
        rk_status st = keys_by_part(m);
        if (st != RK_OK)
            return st;
    }
    if (!m->keys_lent)
        free(m->keys);
    free(m->slots);
    m->keys = NULL;
    m->slots = NULL;
    m->nkeys = 0;
    m->keys_lent = 0;
    if (m->spill) {
        rk_status st = rk_keyspill_read(m->spill, p, &m->keys, &m->nkeys);
        if (st != RK_OK)
            return st;
    } else {
        m->keys = m->whole + m->part_at[p];
        m->nkeys = m->part_at[p + 1] - m->part_at[p];
        m->keys_lent = 1;
    }
    return rk_report_key_set(r, i);
}

int rk_report_has_key(const rk_report *r, size_t i, const char *key)
{
    const struct rk_file_mem *m = &r->mem[i];
    return m->slots && m->slots[key_probe(m, key, key_hash(key))] != 0;
}

static int cmp_final(const void *a, const void *b)
{
    const rk_finding *x = a, *y = b;
    if (x->byte_offset != y->byte_offset)
        return x->byte_offset < y->byte_offset ? -1 : 1;
    if (x->record != y->record)
        return x->record < y->record ? -1 : 1;
    if (x->field != y->field)
        return x->field < y->field ? -1 : 1;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1; /* catalog order: rules are one array */
    return 0;
}

rk_status rk_report_add(rk_report *r, size_t i, rk_fbuf *f)
{
    if (f->oom)
        return RK_ERR_NOMEM;
    int any = 0;
    for (size_t k = 0; k < RK_R_COUNT; k++)
        any |= f->count[k] != 0;
    if (!any)
        return RK_OK;
    rk_file_result *fr = &r->files[i];
    struct rk_file_mem *m = &r->mem[i];
    char *strings = malloc(f->sn ? f->sn : 1);
    rk_finding *out = malloc((fr->nfindings + f->n + 1) * sizeof *out);
    char **more = realloc(m->more_strings, (m->nmore + 1) * sizeof *more);
    if (!strings || !out || !more) {
        free(strings);
        free(out);
        if (more)
            m->more_strings = more;
        return RK_ERR_NOMEM;
    }
    m->more_strings = more;
    m->more_strings[m->nmore++] = strings;
    if (f->sn)
        memcpy(strings, f->s, f->sn);
    uint64_t have[RK_R_COUNT] = {0};
    for (size_t k = 0; k < fr->nfindings; k++)
        have[fr->findings[k].rule - rk_rule_at(0)]++;
    if (fr->nfindings)
        memcpy(out, fr->findings, fr->nfindings * sizeof *out);
    size_t n = fr->nfindings;
    for (size_t k = 0; k < f->n; k++) {
        const rk_ifind *x = &f->v[k];
        if (m->keep && have[x->rule] >= m->keep)
            continue;
        have[x->rule]++;
        to_finding(&out[n++], x, strings);
    }
    qsort(out, n, sizeof *out, cmp_final);
    name_fields(out, n, m);
    free(m->findings);
    m->findings = out;
    fr->findings = out;
    fr->nfindings = n;
    for (size_t rule = 0; rule < RK_R_COUNT; rule++) {
        fr->counts[rk_rule_at(rule)->severity] += f->count[rule];
        m->rule_counts[rule] += f->count[rule];
    }
    return RK_OK;
}
