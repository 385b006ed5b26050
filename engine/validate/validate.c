/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Validation driver: per file, a chunk plan (walk/plan.h) walked by a team of
 * threads, a thread taking the next run of chunks left and walking its chunks
 * in turn; every record goes through the file-kind rules of formats/careplan
 * and the duplicate runs (dupruns.h); the walk proves each guessed start (a
 * chunk that ends inside quotes is walked again joined with the next), and
 * the per-chunk findings merge in file order, so findings are the same for
 * any --jobs. Then, per batch of send units, the file-set rules (fileset.h).
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/vec.h"
#include "../../formats/careplan/careplan.h"
#include "../../formats/careplan/families.h"
#include "../../formats/careplan/record.h"
#include "../csv/records.h"
#include "../engine.h"
#include "../io/io.h"
#include "../walk/plan.h"
#include "../walk/walk.h"
#include "dupruns.h"
#include "fileset.h"
#include "../../formats/ms932/ms932.h"
#include "../findings/findings.h"
#include "keyspill.h"
#include "peers.h"

typedef struct ver_seen {
    char value[9]; /* first field, up to 8 bytes, NUL-terminated */
    uint64_t record, line, off;
} ver_seen;

/* Distinct CSV versions a file's findings name, at most: the first ones in
 * file order (a chunk keeping its first RK_VERS_KEEP holds every one of the
 * file's first RK_VERS_KEEP, so the findings do not depend on the chunks).
 * A file with more is not CSV of the standard; each is not worth a finding. */
#define RK_VERS_KEEP 64u

typedef struct eol_seen {
    int have;
    uint64_t record, line, off;
} eol_seen;

typedef struct chunk {
    uint64_t begin, end;
    int ended_inq; /* the walk ended inside quotes */
    rk_fbuf f;
    uint64_t nrecords, nlines;
    int first_style; /* 1 LF, 2 CRLF, 0 no terminated record */
    eol_seen first[3];
    ver_seen *vers; /* at most RK_VERS_KEEP */
    size_t nvers, capvers;
    uint64_t quote_rec;
    uint32_t quote_field;
    rk_key *keys; /* link keys, one per run of records with the same key */
    size_t nkeys, capkeys;
    rk_dup_runs dups;
    rk_status status;
} chunk;

typedef struct file_ctx {
    const unsigned char *buf;
    uint64_t buflen;
    const rk_kind *kind;
    int name_layout; /* layout implied by the name grammar */
    chunk *c;        /* the chunk being walked */
    int last_layout; /* cache of the last version seen */
    char last_value[9];
    int have_value;                /* last_value holds a record's version (a chunk's first has none) */
    const unsigned char *last_raw; /* the last record's first field, raw */
    size_t last_rawlen;
    rk_file_facts facts;  /* facts.layout follows last_layout */
    rk_rec_cache cache;   /* last valid value of each item (per layout) */
    unsigned key_field;   /* item closing the link key, 0 = none */
    const rk_record *rec; /* the record being checked (for emit) */
    rk_keyspill *spill;   /* where link keys go as they pile up, or NULL */
    uint32_t chunk_no, epoch;
    size_t flush_at; /* keys a chunk holds before it hands them to the spill */
} file_ctx;

/* Link keys a chunk holds at most before it hands them to the file's spill
 * (3 MiB), and at most 1/64 of rk_options.spill_bytes. */
#define RK_SPILL_FLUSH 65536

/* Hands chunk c's link keys so far (chunk no, walk number epoch) to the
 * spill and empties its list; its memory is kept for the keys to come
 * unless the chunk is done. */
static rk_status flush_keys(rk_keyspill *s, chunk *c, uint32_t no, uint32_t epoch, int done)
{
    if (!s)
        return RK_OK;
    rk_status st = c->nkeys ? rk_keyspill_put(s, c->keys, c->nkeys, no, epoch) : RK_OK;
    c->nkeys = 0;
    if (done) {
        free(c->keys);
        c->keys = NULL;
        c->capkeys = 0;
    }
    return st;
}

/* Receives a record-rule finding and files it with its place. */
static void emit_rule(void *vctx, uint32_t rule, uint32_t field, uint64_t off, const unsigned char *val, size_t vlen,
                      const char *expected)
{
    file_ctx *fx = vctx;
    const rk_record *rec = fx->rec;
    if (rk_fbuf_count_only(&fx->c->f, rule))
        return;
    uint64_t line = rec->line;
    for (uint64_t i = rec->offset; i < off; i++) /* items after a quoted line break */
        line += fx->buf[i] == '\n';
    char v[200];
    size_t n = rk_preview(val, vlen, v, sizeof v);
    rk_fbuf_add_ours(&fx->c->f, rule, rec->record, line, field, off, vlen ? v : NULL, n, 0, expected);
}

/* Remembers the link key of a record when it differs from the previous one:
 * records of one person come together, so this keeps one entry per person. */
static void note_key(file_ctx *fx, const rk_record *rec)
{
    chunk *c = fx->c;
    uint64_t w[3];
    rk_person_words(fx->buf, rec, w);
    const unsigned char *p;
    size_t n;
    rk_item(fx->buf, rec, fx->key_field, &p, &n);
    int words = 0; /* a date or a month fills the third word in registers */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (n == 8) {
        memcpy(&w[2], p, 8);
        words = 1;
    } else if (n == 6) {
        w[2] = rk_load6(p) | (uint64_t)0x2020 << 48;
        words = 1;
    }
#endif
    if (!words) {
        char t[8];
        rk_item_fixed(fx->buf, rec, fx->key_field, t, 8);
        memcpy(&w[2], t, 8);
    }
    if (c->nkeys && memcmp(c->keys[c->nkeys - 1].key, w, sizeof w) == 0)
        return; /* the same person and date as the record before: nothing new */
    rk_key k;
    memcpy(k.key, w, sizeof k.key);
    if (!RK_RESERVE(c->keys, c->capkeys, c->nkeys + 1, 64)) {
        c->status = RK_ERR_NOMEM;
        return;
    }
    k.record = rec->record;
    k.line = rec->line;
    k.off = rec->offset;
    c->keys[c->nkeys++] = k;
    if (fx->spill && c->nkeys >= fx->flush_at) { /* one chunk may be the whole file */
        rk_status st = flush_keys(fx->spill, c, fx->chunk_no, fx->epoch, 0);
        if (st != RK_OK)
            c->status = st;
    }
}

/* The first item, up to 8 bytes, NUL-padded to 9 so that values compare as arrays. */
static void first_value(const unsigned char *buf, const rk_field *f, char out[9])
{
    memset(out, 0, 9);
    uint64_t s = f->start, e = f->end;
    if (e - s >= 2 && buf[s] == '"' && buf[e - 1] == '"') {
        s++;
        e--;
    }
    size_t n = e - s > 8 ? 8 : (size_t)(e - s);
    memcpy(out, buf + s, n);
    out[n] = 0;
}

/* Checks a record against the earlier records of the same person in this chunk. */
static void note_dup(file_ctx *fx, const rk_record *rec)
{
    uint64_t who[2];
    rk_person_words(fx->buf, rec, who);
    rk_status st = rk_dup_note(&fx->c->dups, fx->buf, who, rec, &fx->c->f);
    if (st != RK_OK)
        fx->c->status = st;
}

/* Whether n bytes at a and b are equal: a CSV version's six in two words,
 * without a call per record. */
static int same_bytes(const unsigned char *a, const unsigned char *b, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (n == 6)
        return rk_load6(a) == rk_load6(b);
#endif
    return memcmp(a, b, n) == 0;
}

static int on_record(void *vctx, const rk_record *rec, int unterminated)
{
    file_ctx *fx = vctx;
    chunk *c = fx->c;
    const unsigned char *buf = fx->buf;
    uint64_t last = rec->end;
    int has_lf = last < fx->buflen &&
                 (buf[last] == '\n' || (buf[last] == '\r' && last + 1 < fx->buflen && buf[last + 1] == '\n'));
    /* Line ending style of this record. */
    if (has_lf) {
        int style = buf[last] == '\r' ? 2 : 1;
        if (!c->first_style)
            c->first_style = style;
        if (!c->first[style].have) {
            c->first[style].have = 1;
            c->first[style].record = rec->record;
            c->first[style].line = rec->line;
            c->first[style].off = rec->offset;
        }
    }
    if (rec->nfields == 1 && rec->fields[0].end == rec->fields[0].start) {
        rk_fbuf_add(&c->f, RK_R_CSV_BLANK_LINE, rec->record, rec->line, 0, rec->offset, NULL, 0, NULL);
        return 0;
    }
    /* CSV version: the first field. */
    const rk_field *f0 = &rec->fields[RK_VERSION_ITEM - 1];
    size_t rawlen = (size_t)(f0->end - f0->start);
    if (!fx->last_raw || rawlen != fx->last_rawlen || !same_bytes(buf + f0->start, fx->last_raw, rawlen)) {
        char v[9];
        first_value(buf, f0, v);
        fx->last_raw = buf + f0->start;
        fx->last_rawlen = rawlen;
        if (!fx->have_value || memcmp(v, fx->last_value, sizeof v) != 0) {
            fx->have_value = 1;
            size_t i = 0;
            while (i < c->nvers && strcmp(c->vers[i].value, v) != 0)
                i++;
            if (i == c->nvers && c->nvers < RK_VERS_KEEP) {
                if (!RK_RESERVE(c->vers, c->capvers, c->nvers + 1, 4)) {
                    c->status = RK_ERR_NOMEM;
                    return 1;
                }
                ver_seen *s = &c->vers[c->nvers++];
                memcpy(s->value, v, sizeof s->value);
                s->record = rec->record;
                s->line = rec->line;
                s->off = rec->offset;
            }
            const rk_csv_version *cv = rk_csv_version_find((const unsigned char *)v, strlen(v));
            fx->last_layout = cv ? cv->layout : fx->name_layout;
            const rk_layout *nl = fx->kind ? rk_layout_find(fx->kind->prefix, fx->last_layout) : NULL;
            if (nl != fx->facts.layout)
                memset(fx->cache.len, 0, sizeof fx->cache.len); /* items mean other things now */
            fx->facts.layout = nl;
            memcpy(fx->last_value, v, sizeof v);
        }
    }
    if (fx->kind && !unterminated) {
        const rk_layout *L = fx->facts.layout;
        unsigned want = L ? L->nfields : 0;
        if (want && rec->nfields != want) {
            char got[24], exp[24];
            int n = snprintf(got, sizeof got, "%llu", (unsigned long long)rec->fields_all);
            snprintf(exp, sizeof exp, "%u", want);
            rk_fbuf_add(&c->f, RK_R_CSV_FIELD_COUNT, rec->record, rec->line, 0, rec->offset, got, (size_t)n, exp);
        } else if (L) {
            fx->rec = rec;
            rk_check_record(&fx->facts, buf, rec, &fx->cache, emit_rule, fx);
            if (fx->key_field)
                note_key(fx, rec);
            note_dup(fx, rec);
        }
    }
    return c->status != RK_OK;
}

/* Bytes of a run of invalid bytes shown in its finding. */
#define RK_HEX_RUN 8u

/* The rule of an anomaly's finding; 0 for one that has none (a line break in quotes). */
static uint32_t anom_rule(uint32_t kind)
{
    switch (kind) {
    case RK_AN_BAD_OPEN: return RK_R_CSV_QUOTE_IN_UNQUOTED;
    case RK_AN_BAD_CLOSE: return RK_R_CSV_TEXT_AFTER_QUOTE;
    case RK_AN_UNTERMINATED: return RK_R_CSV_UNTERMINATED;
    case RK_AN_NUL: return RK_R_CSV_NUL;
    case RK_AN_BARE_CR: return RK_R_CSV_BARE_CR;
    case RK_AN_ENC_INVALID: return RK_R_ENC_INVALID;
    case RK_AN_ENC_UNASSIGNED: return RK_R_ENC_UNASSIGNED;
    case RK_AN_ENC_GAIJI: return RK_R_ENC_GAIJI;
    default: return 0;
    }
}

static void on_anom(void *vctx, const rk_anom *a, const rk_record *rec, uint64_t line, uint32_t field)
{
    file_ctx *fx = vctx;
    chunk *c = fx->c;
    const uint32_t rule = anom_rule(a->kind);
    if (!rule)
        return;
    int quote = a->kind == RK_AN_BAD_OPEN || a->kind == RK_AN_BAD_CLOSE || a->kind == RK_AN_UNTERMINATED;
    if (quote) { /* one quote problem per field: the first explains the rest */
        if (c->quote_rec == rec->record && c->quote_field == field)
            return;
        c->quote_rec = rec->record;
        c->quote_field = field;
    }
    if (rk_fbuf_count_only(&c->f, rule)) /* past the cap: counted, no text made */
        return;
    char val[200];
    size_t vlen;
    uint64_t off = a->kind == RK_AN_BAD_CLOSE ? a->pos + 1 : a->pos; /* the first byte of the stray text */
    const rk_field *f = &rec->fields[field - 1];
    if (quote) {
        uint64_t s = a->kind == RK_AN_UNTERMINATED ? a->pos : f->start;
        uint64_t e = a->kind == RK_AN_UNTERMINATED ? fx->buflen : f->end;
        vlen = rk_preview(fx->buf + s, (size_t)(e - s), val, sizeof val);
    } else if (a->kind == RK_AN_NUL || a->kind == RK_AN_BARE_CR) { /* a run of them is one finding */
        unsigned byte = a->kind == RK_AN_NUL ? 0x00 : 0x0D;
        vlen = a->len > 1 ? (size_t)snprintf(val, sizeof val, "<%02X>×%u", byte, (unsigned)a->len)
                          : (size_t)snprintf(val, sizeof val, "<%02X>", byte);
    } else if (a->len > RK_HEX_RUN) { /* a run of bytes MS932 has no use for: its first bytes and length */
        char hex[64];
        rk_hex_preview(fx->buf + a->pos, RK_HEX_RUN, hex, sizeof hex);
        vlen = (size_t)snprintf(val, sizeof val, RK_JA_EN("%s…(%u バイト)", "%s… (%u bytes)"), hex, (unsigned)a->len,
                                hex, (unsigned)a->len);
        rk_fbuf_add_ours(&c->f, rule, rec->record, line, field, off, val, vlen < sizeof val ? vlen : sizeof val - 1, 1,
                         NULL);
        return;
    } else {
        rk_hex_preview(fx->buf + a->pos, a->len, val, sizeof val);
        vlen = strlen(val);
    }
    rk_fbuf_add(&c->f, rule, rec->record, line, field, off, val, vlen, NULL);
}

static void chunk_free(chunk *c)
{
    rk_fbuf_free(&c->f);
    free(c->vers);
    free(c->keys);
    rk_dup_runs_free(&c->dups);
}

/* ---- one file ------------------------------------------------------------ */

typedef struct file_job {
    const char *path;
    rk_map map; /* a large file, while validated */
    uint64_t len;
    rk_status status;
} file_job;

/* What every chunk walk of one file shares. */
typedef struct walk_job {
    rk_engine *e;
    const unsigned char *buf;
    uint64_t len;
    const rk_kind *kind;
    const rk_name_info *ni;
    unsigned key_field;
    int release;
    rk_keyspill *spill; /* where the chunks' link keys go, or NULL: kept in the chunks */
} walk_job;

/* Walks c->begin..c->end with every record rule; c is zeroed but for its
 * bounds. A soft end (0: none) ends the chunk before the first record that
 * starts at or past it: c->end is then where the walk ended. */
static rk_status walk_chunk(const walk_job *j, chunk *c, rk_walker *w, uint64_t soft, uint32_t no, uint32_t epoch)
{
    const rk_options *o = &j->e->o;
    rk_fbuf_init(&c->f, o->max_per_rule);
    if (c->begin >= c->end)
        return RK_OK;
    file_ctx fx;
    memset(&fx, 0, sizeof fx);
    fx.buf = j->buf;
    fx.buflen = j->len;
    fx.kind = j->kind;
    fx.name_layout = j->ni->grammar == 3 ? RK_LAYOUT_V3 : RK_LAYOUT_V4;
    fx.last_layout = fx.name_layout;
    fx.c = c;
    fx.cache.mask_pass = j->e->mask_pass;
    fx.facts.layout = j->kind ? rk_layout_find(j->kind->prefix, fx.last_layout) : NULL;
    fx.facts.name_month = j->ni->month[0] ? j->ni->month : NULL;
    fx.facts.sender = j->ni->sender[0] ? j->ni->sender : NULL;
    fx.key_field = j->key_field;
    fx.spill = j->spill;
    fx.chunk_no = no;
    fx.epoch = epoch;
    fx.flush_at = o->spill_bytes / 64 / sizeof(rk_key);
    fx.flush_at = fx.flush_at < 1 ? 1 : fx.flush_at > RK_SPILL_FLUSH ? RK_SPILL_FLUSH : fx.flush_at;
    rk_walk_cb cb = {&fx, on_record, on_anom};
    rk_status s = rk_walk(w,
                          &(rk_walk_span){.buf = j->buf,
                                          .buflen = j->len,
                                          .begin = c->begin,
                                          .end = c->end,
                                          .soft = soft,
                                          .kernel = j->e->kernel,
                                          .ms932 = o->check_ms932,
                                          .release = j->release},
                          &cb, &c->nrecords, &c->nlines);
    c->end = w->end;
    c->ended_inq = w->sc.ended_inq;
    rk_dup_chunk_done(&c->dups, j->buf); /* the merge compares the runs at the chunk's ends by hash */
    if (s == RK_ERR_ABORTED)
        s = c->status;
    if (s == RK_OK && c->f.oom)
        s = RK_ERR_NOMEM;
    return s;
}

/* The records and lines before each of the nch chunks, and in all (nch + 1
 * entries each, malloc'd); 0 without memory. */
static int chunk_bases(const chunk *ch, size_t nch, uint64_t **prb, uint64_t **plb)
{
    uint64_t *rb = malloc((nch + 1) * sizeof *rb), *lb = malloc((nch + 1) * sizeof *lb);
    if (!rb || !lb) {
        free(rb);
        free(lb);
        return 0;
    }
    rb[0] = lb[0] = 0;
    for (size_t i = 0; i < nch; i++) {
        rb[i + 1] = rb[i] + ch[i].nrecords;
        lb[i + 1] = lb[i] + ch[i].nlines;
    }
    *prb = rb;
    *plb = lb;
    return 1;
}

/* Ends the spill's writing with each chunk's first record and line in the
 * file and its last walk number (*epoch is taken over). */
static rk_status close_spill(rk_keyspill *s, const chunk *ch, size_t nch, uint32_t **epoch)
{
    uint64_t *rb, *lb;
    if (!chunk_bases(ch, nch, &rb, &lb))
        return RK_ERR_NOMEM;
    uint32_t *ep = *epoch;
    *epoch = NULL;
    return rk_keyspill_close(s, nch, rb, lb, ep);
}

/* Gathers the chunks' link keys into one array, their record and line
 * numbers made global, each chunk's keys copied (and freed) on its own. */
static rk_status gather_keys(chunk *ch, size_t nch, int threads, rk_key **pkeys, size_t *pnkeys)
{
    if (nch == 1) { /* already global: the chunk's array is the file's */
        *pkeys = ch[0].keys;
        *pnkeys = ch[0].nkeys;
        ch[0].keys = NULL;
        ch[0].nkeys = ch[0].capkeys = 0;
        return RK_OK;
    }
    size_t *at = malloc((nch + 1) * sizeof *at);
    uint64_t *rb, *lb;
    if (!at || !chunk_bases(ch, nch, &rb, &lb)) {
        free(at);
        return RK_ERR_NOMEM;
    }
    at[0] = 0;
    for (size_t i = 0; i < nch; i++)
        at[i + 1] = at[i] + ch[i].nkeys;
    rk_key *keys = at[nch] ? malloc(at[nch] * sizeof *keys) : NULL;
    rk_status st = at[nch] && !keys ? RK_ERR_NOMEM : RK_OK;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (size_t i = 0; i < (st == RK_OK ? nch : 0); i++) {
        chunk *c = &ch[i];
        for (size_t k = 0; k < c->nkeys; k++) {
            rk_key *d = &keys[at[i] + k];
            *d = c->keys[k];
            d->record += rb[i];
            d->line += lb[i];
        }
        free(c->keys); /* gathered: do not hold both copies */
        c->keys = NULL;
        c->nkeys = 0;
    }
    *pkeys = keys;
    *pnkeys = at[nch];
    free(at);
    free(rb);
    free(lb);
    return st;
}

/* One file's walk: its plan, its chunks, and where its link keys go. */
typedef struct file_walk {
    rk_engine *e;
    walk_job wj;
    rk_chunk_plan plan;
    chunk *ch;
    int parallel;      /* the chunks go to the engine's threads */
    rk_walker *walker; /* else every chunk is walked on this one */
    rk_keyspill *spill;
    uint32_t *epoch; /* each chunk's walk number, for the spill */
} file_walk;

/* Pass 2: each thread takes the next run of chunks left and walks its chunks
 * in turn, each from where the one before ended, up to the next run's start. */
static rk_status walk_runs(file_walk *fw)
{
    const size_t nch = fw->plan.nch;
    const uint64_t *a = fw->plan.a;
    const walk_job *wj = &fw->wj;
    chunk *ch = fw->ch;
    rk_status *cst = calloc(nch, sizeof *cst);
    size_t nrun, *runs = cst ? rk_plan_runs(nch, fw->plan.threads, &nrun) : NULL;
    if (!runs) {
        free(cst);
        return RK_ERR_NOMEM;
    }
#pragma omp parallel num_threads(fw->plan.threads)
    {
        rk_releaser rel = {wj->buf, wj->len, 0, 0, wj->release};
        rk_walker *w = fw->parallel ? &fw->e->walkers[omp_get_thread_num()] : fw->walker;
#pragma omp for schedule(dynamic, 1) nowait
        for (size_t ri = 0; ri < nrun; ri++) {
            size_t lo = runs[ri], hi = runs[ri + 1];
            for (size_t i = lo; i < hi; i++) {
                ch[i].begin = i == lo ? a[i] : ch[i - 1].end;
                ch[i].end = a[hi];
                cst[i] = walk_chunk(wj, &ch[i], w, i + 1 < hi ? a[i + 1] : 0, (uint32_t)i, 0);
                if (cst[i] == RK_OK)
                    cst[i] = flush_keys(fw->spill, &ch[i], (uint32_t)i, 0, 1);
                rk_rel_note(&rel, ch[i].begin, ch[i].end);
            }
            rk_rel_done(&rel);
        }
    }
    free(runs);
    rk_status st = RK_OK;
    for (size_t i = 0; i < nch && st == RK_OK; i++)
        st = cst[i];
    free(cst);
    return st;
}

/* A chunk that ends inside quotes hands its next chunk a start that is no
 * record start: the two are walked as one, from its own start (known good),
 * until the joint walk ends outside quotes. */
static rk_status repair_guesses(file_walk *fw)
{
    const size_t nch = fw->plan.nch;
    chunk *ch = fw->ch;
    rk_status st = RK_OK;
    for (size_t i = 0; i + 1 < nch && st == RK_OK; i++) {
        size_t k = i + 1;
        while (ch[i].ended_inq && k < nch && st == RK_OK) {
            uint64_t b0 = ch[i].begin, e0 = ch[k].end;
            chunk_free(&ch[i]);
            chunk_free(&ch[k]);
            memset(&ch[i], 0, sizeof ch[i]);
            memset(&ch[k], 0, sizeof ch[k]);
            ch[i].begin = b0;
            ch[i].end = e0;
            ch[k].begin = ch[k].end = e0; /* empty */
            if (fw->epoch) {              /* the keys the two sent before are void */
                fw->epoch[i]++;
                fw->epoch[k]++;
            }
            uint32_t ep = fw->epoch ? fw->epoch[i] : 0;
            st = walk_chunk(&fw->wj, &ch[i], fw->parallel ? &fw->e->walkers[0] : fw->walker, 0, (uint32_t)i, ep);
            if (st == RK_OK)
                st = flush_keys(fw->spill, &ch[i], (uint32_t)i, ep, 1);
            k++;
        }
        i = k - 1;
    }
    return st;
}

/* What the merge finds of the whole file. */
typedef struct file_facts {
    uint64_t records, lines;
    char version[9];  /* the first CSV version */
    int have_version; /* a record gave one (it may be empty) */
} file_facts;

/* The CSV versions a chunk saw first, in file order: a second one is mixed,
 * one with no layout unknown, a kind the version has no file of reported once. */
static rk_status merge_versions(rk_fbuf *fb, const chunk *c, uint64_t base, uint64_t lbase, const rk_kind *kind,
                                const char ***seen, size_t *nseen, const ver_seen **filever, int *kind_missing)
{
    for (size_t k = 0; k < c->nvers && *nseen < RK_VERS_KEEP; k++) {
        const ver_seen *vs = &c->vers[k];
        size_t j = 0;
        while (j < *nseen && strcmp((*seen)[j], vs->value) != 0)
            j++;
        if (j < *nseen)
            continue;
        const char **ns = realloc(*seen, (*nseen + 1) * sizeof *ns);
        if (!ns)
            return RK_ERR_NOMEM;
        *seen = ns;
        ns[(*nseen)++] = vs->value;
        const rk_csv_version *cv = rk_csv_version_find((const unsigned char *)vs->value, strlen(vs->value));
        size_t vlen = strlen(vs->value);
        if (!*filever)
            *filever = vs;
        else
            rk_fbuf_add(fb, RK_R_VER_MIXED, vs->record + base, vs->line + lbase, 1, vs->off, vs->value, vlen,
                        (*filever)->value);
        if (!cv)
            rk_fbuf_add(fb, RK_R_VER_UNKNOWN, vs->record + base, vs->line + lbase, 1, vs->off, vs->value, vlen, NULL);
        else if (kind && !rk_kind_fields(kind, cv->layout) && !*kind_missing) {
            *kind_missing = 1;
            rk_fbuf_add(fb, RK_R_VER_KIND, vs->record + base, vs->line + lbase, 1, vs->off, vs->value, vlen, NULL);
        }
    }
    return RK_OK;
}

/* Merges the chunks' findings in file order, with what only the whole file
 * tells: duplicates across chunk boundaries, versions, mixed line ends. */
static rk_status merge_chunks(file_walk *fw, rk_fbuf *fb, file_facts *out)
{
    const chunk *ch = fw->ch;
    const unsigned char *buf = fw->wj.buf;
    rk_status st = RK_OK;
    rk_dup_open open; /* the run of one person still open at the chunk boundary */
    memset(&open, 0, sizeof open);
    const ver_seen *filever = NULL;
    uint64_t base = 0, lbase = 0; /* records and lines before the chunk */
    int file_style = 0, kind_missing = 0;
    const eol_seen *other = NULL;
    uint64_t other_base = 0, other_lbase = 0;
    const char **seen = NULL; /* distinct versions so far, in file order */
    size_t nseen = 0;
    for (size_t i = 0; i < fw->plan.nch && st == RK_OK; i++) {
        const chunk *c = &ch[i];
        rk_fbuf_append(fb, &c->f, base, lbase);
        if (rk_dup_pending(&c->dups))
            st = rk_dup_merge(fb, buf, &c->dups, base, lbase, &open);
        if (st == RK_OK)
            st = merge_versions(fb, c, base, lbase, fw->wj.kind, &seen, &nseen, &filever, &kind_missing);
        if (!file_style && c->first_style)
            file_style = c->first_style;
        if (file_style && !other && c->first[3 - file_style].have) {
            other = &c->first[3 - file_style];
            other_base = base;
            other_lbase = lbase;
        }
        base += c->nrecords;
        lbase += c->nlines;
    }
    free(seen);
    rk_dup_open_free(&open);
    if (st != RK_OK)
        return st;
    out->records = base;
    out->lines = lbase;
    if (other)
        rk_fbuf_add(fb, RK_R_CSV_MIXED_EOL, other->record + other_base, other->line + other_lbase, 0, other->off,
                    file_style == 1 ? "CRLF" : "LF", file_style == 1 ? 4 : 2, file_style == 1 ? "LF" : "CRLF");
    if (filever) {
        memcpy(out->version, filever->value, sizeof out->version);
        out->have_version = 1;
    }
    return RK_OK;
}

/* Walks and merges buf[start..) of a CSV file; the link keys gathered into
 * *keys (or the spill) when the file-set rules need them. */
static rk_status walk_file(file_walk *fw, uint64_t start, int need_keys, rk_fbuf *fb, file_facts *facts, rk_key **keys,
                           size_t *nkeys)
{
    const walk_job *wj = &fw->wj;
    /* Chunk starts are guessed and repaired after the walk; lines are
     * counted per chunk and made global in the merge. */
    rk_plan_req rq = rk_engine_plan_req(fw->e, wj->buf, wj->len, start, RK_PLAN_TEAM, fw->parallel, wj->release);
    rk_status st = rk_plan_chunks(&rq, &fw->plan);
    if (st != RK_OK)
        return st;
    fw->ch = calloc(fw->plan.nch, sizeof *fw->ch);
    if (!fw->ch)
        return RK_ERR_NOMEM;
    /* The item that closes the link key (families.h). */
    fw->wj.key_field = wj->kind && need_keys ? rk_link_key_item(wj->kind, wj->ni) : 0;
    /* A large file's keys go to disk by partition as they pile up
     * (where no temporary file can be made, they stay in memory). */
    if (fw->wj.key_field && wj->len > fw->e->o.spill_bytes) {
        fw->epoch = calloc(fw->plan.nch, sizeof *fw->epoch);
        fw->spill = fw->epoch ? rk_keyspill_open() : NULL;
        fw->wj.spill = fw->spill;
    }
    st = walk_runs(fw);
    if (st == RK_OK)
        st = repair_guesses(fw);
    /* The chunks' link keys, made global, into one array: on every thread. */
    if (st == RK_OK)
        st = fw->spill ? close_spill(fw->spill, fw->ch, fw->plan.nch, &fw->epoch)
                       : gather_keys(fw->ch, fw->plan.nch, fw->plan.threads, keys, nkeys);
    if (st == RK_OK)
        st = merge_chunks(fw, fb, facts);
    return st;
}

static void file_walk_free(file_walk *fw)
{
    for (size_t i = 0; fw->ch && i < fw->plan.nch; i++)
        chunk_free(&fw->ch[i]);
    free(fw->ch);
    rk_chunk_plan_free(&fw->plan);
    rk_keyspill_free(fw->spill);
    free(fw->epoch);
}

/* Validates buf; `walker` is used for every chunk when parallel is 0; release:
 * buf is our own file mapping, whose finished pages may be dropped; need_keys:
 * the file-set rules will compare the file's link keys, so gather them. */
static rk_status validate_bytes(rk_engine *e, rk_report *r, size_t slot, const char *path, const unsigned char *buf,
                                uint64_t len, int parallel, int release, int need_keys, rk_walker *walker)
{
    rk_fbuf fb;
    rk_fbuf_init(&fb, e->o.max_per_rule);
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    rk_name_info ni;
    rk_name_parse(name, &ni);
    const rk_kind *kind = ni.kind ? rk_kind_find(ni.kind) : NULL;
    if (!kind)
        rk_fbuf_add(&fb, RK_R_NAME_UNKNOWN, 0, 0, 0, 0, name, strlen(name), NULL);
    else if (ni.problem)
        rk_fbuf_add_en(&fb, RK_R_NAME_GRAMMAR, 0, 0, 0, 0, name, strlen(name), NULL, ni.problem_ja, ni.problem);
    if (kind && kind->image) {
        /* A JPEG: only its name is the standard's business. */
        rk_status s2 = rk_report_store(r, slot, &fb, path, kind->prefix, NULL, len, 0, 0);
        if (s2 == RK_OK)
            rk_report_set_facts(r, slot, &ni, 0, NULL, 0, 1);
        rk_fbuf_free(&fb);
        return s2;
    }
    uint64_t start = 0;
    if (rk_bom_len(buf, len)) {
        rk_fbuf_add(&fb, RK_R_ENC_BOM, 0, 1, 0, 0, "<EF BB BF>", 10, NULL);
        start = 3;
    }
    file_walk fw;
    memset(&fw, 0, sizeof fw);
    fw.e = e;
    fw.wj = (walk_job){e, buf, len, kind, &ni, 0, release, NULL};
    fw.parallel = parallel;
    fw.walker = walker;
    file_facts facts;
    memset(&facts, 0, sizeof facts);
    rk_key *keys = NULL;
    size_t nkeys = 0;
    rk_status st = RK_OK;
    if (len == start)
        rk_fbuf_add(&fb, RK_R_CSV_EMPTY, 0, 0, 0, 0, NULL, 0, NULL);
    else
        st = walk_file(&fw, start, need_keys, &fb, &facts, &keys, &nkeys);
    size_t first;
    if (st == RK_OK && fb.count[RK_R_ENC_INVALID] && rk_utf8_text(buf + start, len - start, &first)) {
        /* A file in UTF-8: one finding that says so, not one per character. */
        rk_fbuf_drop(&fb, RK_R_ENC_INVALID);
        rk_fbuf_drop(&fb, RK_R_ENC_UNASSIGNED);
        rk_fbuf_drop(&fb, RK_R_ENC_GAIJI);
        rk_fbuf_add(&fb, RK_R_ENC_UTF8, 0, 0, 0, start + first, NULL, 0, "MS932");
    }
    if (st == RK_OK) {
        /* The line count of a file that ends without LF includes the last line. */
        uint64_t nlines = facts.lines + (len > start && buf[len - 1] != '\n');
        st = rk_report_store(r, slot, &fb, path, kind ? kind->prefix : NULL, facts.have_version ? facts.version : NULL,
                             len, facts.records, nlines);
    }
    if (st == RK_OK) {
        const rk_csv_version *cv =
            facts.have_version ? rk_csv_version_find((const unsigned char *)facts.version, 6) : NULL;
        int layout = !kind ? 0 : cv ? cv->layout : ni.grammar == 3 ? RK_LAYOUT_V3 : RK_LAYOUT_V4;
        st = rk_report_set_facts(r, slot, &ni, layout, keys, nkeys, e->jobs);
        keys = NULL;
        if (st == RK_OK && fw.spill) {
            rk_report_set_spill(r, slot, fw.spill);
            fw.spill = NULL;
        }
    }
    free(keys);
    file_walk_free(&fw);
    rk_fbuf_free(&fb);
    return st;
}

rk_status rk_validate_buffer(rk_engine *e, rk_report *r, const char *path, const void *buf, size_t len)
{
    if (!e || !r || !path || (!buf && len))
        return RK_ERR_ARG;
    size_t slot = rk_report_add_slot(r);
    if (slot == (size_t)-1)
        return RK_ERR_NOMEM;
    rk_status st = validate_bytes(e, r, slot, path, buf ? buf : "", len, 1, 0, 0, NULL);
    if (st != RK_OK)
        r->n--;
    return st;
}

rk_status rk_validate_file(rk_engine *e, rk_report *r, const char *path)
{
    const char *one[1] = {path};
    rk_status st1;
    rk_status st = rk_validate_paths(e, r, one, 1, &st1);
    return st != RK_OK ? st : st1;
}

/* Input taken at a time by default: its link keys, at most ~48 bytes per
 * person-month, are freed once its send units are checked. */
#define RK_BATCH_BYTES ((uint64_t)256 << 20)
/* Files mapped at once at most (far below the kernel's limit on mappings),
 * unless one send unit has more. */
#define RK_BATCH_FILES 1024

/* Validates the files at positions order[0..n) of jobs (sized, not yet
 * opened), then checks their send units and frees their link keys. */
static rk_status validate_batch(rk_engine *e, rk_report *r, size_t first, file_job *jobs, const size_t *order, size_t n,
                                const unsigned char *needs, size_t *idx, rk_read_buf *rb)
{
    /* Small files go to the threads one file each, each thread reading its
     * file into its own buffer; a large file is mapped and split into chunks
     * across the threads. Either way each file's findings are its own. */
#pragma omp parallel for num_threads((int)e->jobs) schedule(dynamic, 4)
    for (size_t k = 0; k < n; k++) {
        file_job *j = &jobs[order[k]];
        if (j->status != RK_OK || j->len > e->o.chunk_size)
            continue;
        rk_read_buf *b = &rb[omp_get_thread_num()];
        size_t got;
        rk_status rs = rk_read_file(j->path, &b->p, &b->cap, &got);
        if (rs == RK_OK || rs == RK_ERR_CHANGED) {
            rk_status vs = validate_bytes(e, r, first + order[k], j->path, b->p, got, 0, 0, needs[order[k]],
                                          &e->walkers[omp_get_thread_num()]);
            rs = vs != RK_OK ? vs : rs;
        }
        j->status = rs;
    }
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        file_job *j = &jobs[order[k]];
        if (j->status == RK_OK && j->len > e->o.chunk_size) {
            j->status = rk_map_file(j->path, &j->map);
            if (j->status == RK_OK)
                j->status =
                    validate_bytes(e, r, first + order[k], j->path, j->map.p, j->map.len, 1, 1, needs[order[k]], NULL);
        }
        if (j->status == RK_OK)
            j->status = rk_map_changed(&j->map);
        rk_unmap(&j->map);
        if (j->status == RK_OK)
            idx[m++] = first + order[k];
    }
    rk_status st = rk_fileset_check(r, idx, m, e->jobs);
    for (size_t k = 0; k < m; k++)
        rk_report_drop_keys(r, idx[k]);
    return st;
}

rk_status rk_validate_files(rk_engine *e, rk_report *r, const char *const *paths, size_t n, rk_status *statuses,
                            rk_status prior)
{
    const rk_peers *peers = e->o.peers;
    size_t first = r->n;
    for (size_t i = 0; i < n && prior == RK_OK; i++)
        if (rk_report_add_slot(r) == (size_t)-1)
            prior = RK_ERR_NOMEM;
    if (prior != RK_OK && !peers)
        return prior;
    size_t n1 = n ? n : 1;
    file_job *jobs = calloc(n1, sizeof *jobs);
    rk_name_info *ni = calloc(n1, sizeof *ni);
    const rk_name_info **nip = calloc(n1, sizeof *nip);
    size_t *order = calloc(n1, sizeof *order), *idx = calloc(n1, sizeof *idx);
    unsigned char *starts = calloc(n1, 1), *needs = calloc(n1, 1), *mine = peers ? calloc(n1, 1) : NULL;
    rk_xchg *x = peers ? rk_xchg_new(peers) : NULL;
    rk_read_buf *rbufs = calloc(e->jobs, sizeof *rbufs);
    rk_status fs =
        jobs && ni && nip && order && idx && starts && needs && rbufs && (!peers || (mine && x)) ? prior : RK_ERR_NOMEM;
    const size_t nj = jobs ? n : 0;
#pragma omp parallel for num_threads((int)e->jobs) schedule(static, 512)
    for (size_t i = 0; i < nj; i++) {
        jobs[i].path = paths[i];
        jobs[i].status = RK_ERR_ABORTED; /* until mapped: a run stopped by an error never reaches it */
        if (fs != RK_OK)
            continue;
        const char *slash = strrchr(paths[i], '/');
        rk_name_parse(slash ? slash + 1 : paths[i], &ni[i]);
        nip[i] = &ni[i];
    }
    /* Whole send units at a time, so that link keys are held for one batch
     * only, and only by files whose unit compares them. */
    if (fs == RK_OK)
        fs = rk_fileset_order(nip, n, order, starts);
    if (fs == RK_OK)
        fs = rk_fileset_key_needs(nip, n, needs, e->jobs);
    size_t nrun = n; /* positions of order this process validates */
    if (peers && x)  /* without x this peer cannot take part: the exchange fails on the others */
        fs = rk_vpeers_deal(peers, x, fs, paths, n, order, starts, mine, &nrun);
    uint64_t budget = e->o.batch_bytes ? e->o.batch_bytes : RK_BATCH_BYTES, done_bytes = 0;
    const size_t nsize = fs == RK_OK ? nrun : 0;
#pragma omp parallel for num_threads((int)e->jobs) schedule(dynamic, 256)
    for (size_t k = 0; k < nsize; k++) { /* sized here, opened by validate_batch */
        file_job *j = &jobs[order[k]];
        struct stat sb;
        j->status = stat(j->path, &sb) == 0 && S_ISREG(sb.st_mode) ? RK_OK : RK_ERR_IO;
        j->len = j->status == RK_OK ? (uint64_t)sb.st_size : 0;
    }
    for (size_t b = 0; b < nrun && fs == RK_OK;) {
        size_t end = b;
        uint64_t bytes = 0;
        while (end < nrun && bytes < budget) {
            size_t u = end + 1;
            while (u < nrun && !starts[u])
                u++;
            if (end > b && u - b > RK_BATCH_FILES)
                break;
            for (size_t k = end; k < u; k++)
                bytes += jobs[order[k]].len;
            end = u;
        }
        fs = validate_batch(e, r, first, jobs, order + b, end - b, needs, idx, rbufs);
        done_bytes += bytes;
        b = end;
        if (e->o.progress)
            e->o.progress(e->o.progress_ctx, (uint64_t)b, done_bytes);
    }
    if (peers && x) { /* peer 0 takes every file's result; the others keep none */
        rk_status *fst = calloc(n1, sizeof *fst);
        for (size_t i = 0; fst && i < n; i++)
            fst[i] = jobs[i].status;
        fs = rk_vpeers_gather(peers, x, fst ? fs : RK_ERR_NOMEM, r, first, paths, n, mine, fst);
        for (size_t i = 0; fst && i < n; i++)
            jobs[i].status = peers->rank == 0 ? fst[i] : RK_ERR_ABORTED;
        free(fst);
    }
    rk_status worst = RK_OK;
    size_t w = first;
    for (size_t i = 0; i < n && jobs; i++) {
        if (statuses)
            statuses[i] = jobs[i].status;
        if (jobs[i].status == RK_OK || jobs[i].status == RK_ERR_CHANGED) {
            /* Compact: files that failed to open leave no slot behind; one that
             * changed while read keeps what was found (its status says it is incomplete). */
            if (w != first + i) {
                r->files[w] = r->files[first + i];
                r->mem[w] = r->mem[first + i];
            }
            w++;
        } else {
            rk_report_slot_free(r, first + i); /* what a failed file had stored goes */
        }
        if (jobs[i].status != RK_OK && (worst == RK_OK || jobs[i].status == RK_ERR_NOMEM)) {
            worst = jobs[i].status == RK_ERR_IO ? RK_OK : jobs[i].status;
        }
    }
    r->n = w;
    if (peers && x) { /* the run's status, the same on every peer: peer 0's files decide it */
        fs = rk_xchg_agree(peers, x, fs != RK_OK || peers->rank != 0 ? fs : worst);
        worst = RK_OK;
    }
    rk_xchg_free(x);
    for (unsigned t = 0; rbufs && t < e->jobs; t++)
        free(rbufs[t].p);
    free(rbufs);
    free(mine);
    free(jobs);
    free(ni);
    free(nip);
    free(order);
    free(idx);
    free(starts);
    free(needs);
    return fs != RK_OK ? fs : worst;
}
