/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scanner tests: every SIMD kernel the CPU has must give exactly the
 * separators and anomalies of the byte-at-a-time reference kernel, on random
 * inputs built from the bytes that matter, for any split into windows; and the
 * reference itself is held to hand-checked cases. The record walker on top
 * must give the same fields with every kernel.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <inttypes.h>
#include <string.h>

#include "../../engine/csv/records.h"
#include "../../engine/csv/scan.h"
#include "../../formats/ms932/ms932.h"
#include "../test_util.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{
    return rk_test_rand(&rng_state);
}

/* Random bytes weighted toward structure, multibyte lead/trail and bad bytes. */
static void fill(unsigned char *p, size_t n)
{
    static const unsigned char alpha[] = {'"',  '"',  ',',  ',',  ',',  '\n', '\n', '\r', 'a',  '1',  ' ',
                                          0x82, 0xA0, 0xB1, 0x81, 0xF0, 0x40, 0x85, 0x00, 0xFD, 0x93, 0xFA};
    for (size_t i = 0; i < n; i++)
        p[i] = alpha[rnd() % sizeof alpha];
}

static void run(rk_simd k, const unsigned char *buf, size_t n, size_t window, rk_scanner *sc)
{
    memset(sc, 0, sizeof *sc);
    rk_scanner_init(sc, buf, n, 1);
    for (size_t pos = 0; pos < n; pos += window)
        rk_scan(k, sc, pos, pos + window < n ? pos + window : n);
    rk_scan_finish(sc, n);
}

static void same(const rk_scanner *a, const rk_scanner *b, const char *what)
{
    cr_assert_eq(a->seps.n, b->seps.n, "%s: separator count %zu vs %zu", what, a->seps.n, b->seps.n);
    for (size_t i = 0; i < a->seps.n; i++)
        cr_assert_eq(a->seps_base + a->seps.v[i], b->seps_base + b->seps.v[i], "%s: separator %zu", what, i);
    /* The record ends: exactly the separators that are LFs, by index. */
    for (const rk_scanner *x = a; x; x = x == a ? b : NULL) {
        size_t k = 0;
        for (size_t i = 0; i < x->seps.n; i++)
            if (x->buf[x->seps_base + x->seps.v[i]] == '\n') {
                cr_assert_lt(k, x->lfs.n, "%s: LF separator %zu not listed", what, i);
                cr_assert_eq(x->lfs.v[k], i, "%s: LF %zu listed as separator %" PRIu64 ", is %zu", what, k, x->lfs.v[k],
                             i);
                k++;
            }
        cr_assert_eq(k, x->lfs.n, "%s: %zu LFs listed, %zu found", what, x->lfs.n, k);
    }
    cr_assert_eq(a->anoms.n, b->anoms.n, "%s: anomaly count %zu vs %zu", what, a->anoms.n, b->anoms.n);
    for (size_t i = 0; i < a->anoms.n; i++) {
        cr_assert_eq(a->anoms.v[i].pos, b->anoms.v[i].pos, "%s: anomaly %zu pos", what, i);
        cr_assert_eq(a->anoms.v[i].kind, b->anoms.v[i].kind, "%s: anomaly %zu kind", what, i);
    }
    cr_assert_eq(a->enc.n, b->enc.n, "%s: encoding anomaly count %zu vs %zu", what, a->enc.n, b->enc.n);
    for (size_t i = 0; i < a->enc.n; i++) {
        cr_assert_eq(a->enc.v[i].pos, b->enc.v[i].pos, "%s: enc %zu pos", what, i);
        cr_assert_eq(a->enc.v[i].kind, b->enc.v[i].kind, "%s: enc %zu kind", what, i);
        cr_assert_eq(a->enc.v[i].len, b->enc.v[i].len, "%s: enc %zu len", what, i);
    }
}

/* Every SIMD kernel on buf, in windows of one block and of the whole buffer, gives ref's output. */
static void kernels_equal(const rk_scanner *ref, const unsigned char *buf, size_t n)
{
    for (rk_simd k = RK_SIMD_SSE2; k <= rk_simd_best(); k++) {
        size_t windows[2] = {64, n};
        for (int w = 0; w < 2; w++) {
            rk_scanner got;
            run(k, buf, n, windows[w], &got);
            same(ref, &got, rk_simd_name(k));
            rk_scanner_free(&got);
        }
    }
}

Test(scan, every_kernel_equals_the_reference)
{
    rk_simd best = rk_simd_best();
    unsigned char *buf = malloc(5000);
    for (int iter = 0; iter < 400; iter++) {
        size_t n = 1 + (size_t)(rnd() % 4999);
        fill(buf, n);
        rk_scanner ref;
        run(RK_SIMD_SCALAR, buf, n, n, &ref);
        for (rk_simd k = RK_SIMD_SSE2; k <= best; k++) {
            size_t windows[3] = {64, 64 * (1 + rnd() % 8), n};
            for (int w = 0; w < 3; w++) {
                rk_scanner got;
                run(k, buf, n, windows[w], &got);
                same(&ref, &got, rk_simd_name(k));
                rk_scanner_free(&got);
            }
        }
        /* The portable mask kernel too (used where no SIMD exists). */
        rk_scanner got;
        run((rk_simd)99, buf, n, 128, &got);
        same(&ref, &got, "portable");
        rk_scanner_free(&got);
        rk_scanner ref2;
        run(RK_SIMD_SCALAR, buf, n, 64, &ref2);
        same(&ref, &ref2, "scalar windows");
        rk_scanner_free(&ref2);
        rk_scanner_free(&ref);
    }
    free(buf);
}

/* Blocks of 64 bytes with 0 to 64 separators (rows of empty items put more
 * than 16 and 32 in a block): every kernel lists each one. */
Test(scan, blocks_of_every_separator_density)
{
    rk_simd best = rk_simd_best();
    size_t n = 64 * 65 + 37;
    unsigned char *buf = malloc(n);
    for (int iter = 0; iter < 20; iter++) {
        for (size_t b = 0; b * 64 < n; b++) { /* block b: about b separators in 64 bytes */
            for (size_t i = b * 64; i < n && i < b * 64 + 64; i++) {
                unsigned r = (unsigned)(rnd() % 64);
                buf[i] = r < b ? (r % 9 == 0 ? '\n' : ',') : (r % 3 ? '1' : 'a');
            }
        }
        if (iter % 2) /* and some quoted stretches */
            for (int q = 0; q < 6; q++)
                buf[rnd() % n] = '"';
        rk_scanner ref;
        run(RK_SIMD_SCALAR, buf, n, n, &ref);
        for (rk_simd k = RK_SIMD_SSE2; k <= best; k++) {
            rk_scanner got;
            run(k, buf, n, 64 * (1 + rnd() % 8), &got);
            same(&ref, &got, rk_simd_name(k));
            rk_scanner_free(&got);
        }
        rk_scanner_free(&ref);
    }
    free(buf);
}

static void scan_n(const char *s, size_t n, rk_scanner *sc)
{
    run(RK_SIMD_SCALAR, (const unsigned char *)s, n, n, sc);
    rk_scanner best;
    run(rk_simd_best(), (const unsigned char *)s, n, 64, &best);
    same(sc, &best, "best");
    rk_scanner_free(&best);
}

static void scan_str(const char *s, rk_scanner *sc)
{
    scan_n(s, strlen(s), sc);
}

Test(scan, separators_ignore_quoted_commas_and_line_breaks)
{
    rk_scanner sc;
    scan_str("a,\"b,\r\nc\"\"d\",e\r\nf", &sc);
    /* a , " b , CR LF c " " d " , e CR LF f: separators ',' at 1, ',' at 12, LF at 15 */
    cr_assert_eq(sc.seps.n, 3);
    cr_assert_eq(sc.seps.v[0], 1);
    cr_assert_eq(sc.seps.v[1], 12);
    cr_assert_eq(sc.seps.v[2], 15);
    cr_assert_eq(sc.anoms.n, 1);
    cr_assert_eq(sc.anoms.v[0].kind, RK_AN_QLF);
    cr_assert_eq(sc.anoms.v[0].pos, 6);
    rk_scanner_free(&sc);
}

Test(scan, each_anomaly_at_its_byte)
{
    rk_scanner sc;
    static const char s[] = "ab\"c\",\"x\"y,z\rw,\0\n\"open";
    scan_n(s, sizeof s - 1, &sc);
    /* bad open at 2; its closing quote at 4 is followed by ',' (valid);
     * bad close at 8 ("x"y); bare CR at 12; NUL at 15; unterminated at 17 */
    cr_assert_eq(sc.anoms.n, 5);
    cr_assert_eq(sc.anoms.v[0].kind, RK_AN_BAD_OPEN);
    cr_assert_eq(sc.anoms.v[0].pos, 2);
    cr_assert_eq(sc.anoms.v[1].kind, RK_AN_BAD_CLOSE);
    cr_assert_eq(sc.anoms.v[1].pos, 8);
    cr_assert_eq(sc.anoms.v[2].kind, RK_AN_BARE_CR);
    cr_assert_eq(sc.anoms.v[2].pos, 12);
    cr_assert_eq(sc.anoms.v[3].kind, RK_AN_NUL);
    cr_assert_eq(sc.anoms.v[3].pos, 15);
    cr_assert_eq(sc.anoms.v[4].kind, RK_AN_UNTERMINATED);
    cr_assert_eq(sc.anoms.v[4].pos, 17);
    rk_scanner_free(&sc);
}

Test(scan, escaped_quotes_and_quote_at_end_of_file_are_valid)
{
    rk_scanner sc;
    scan_str("\"a\"\"b\",\"\"\"\",\"end\"", &sc);
    cr_assert_eq(sc.anoms.n, 0);
    cr_assert_eq(sc.seps.n, 2);
    rk_scanner_free(&sc);
}

Test(scan, multibyte_character_split_across_windows)
{
    /* あ (82 A0) with its lead at byte 63 and its trail at byte 64. */
    unsigned char buf[130];
    memset(buf, 'a', sizeof buf);
    buf[63] = 0x82;
    buf[64] = 0xA0;
    buf[100] = 0x82; /* lead followed by ' ' (0x20, no trail byte): invalid */
    buf[101] = ' ';
    for (rk_simd k = RK_SIMD_SCALAR; k <= rk_simd_best(); k++) {
        rk_scanner sc;
        run(k, buf, sizeof buf, 64, &sc);
        cr_assert_eq(sc.enc.n, 1, "%s", rk_simd_name(k));
        cr_assert_eq(sc.enc.v[0].pos, 100);
        cr_assert_eq(sc.enc.v[0].kind, RK_AN_ENC_INVALID);
        rk_scanner_free(&sc);
    }
}

/*
 * Every pair of a high byte and any byte, at every offset of a block and
 * across block ends (a filler byte after some pairs shifts the rest), gives
 * the reference's findings in every kernel; and among trails 40-FC exactly
 * the pairs the table leaves unassigned are reported, once each.
 */
Test(scan, every_lead_and_trail_pair_in_every_kernel)
{
    size_t cap = 128 * 256 * 3, n = 0, unassigned = 0;
    unsigned char *buf = malloc(cap);
    for (int pass = 0; pass < 2; pass++) { /* 0: trails 40-FC only; 1: every byte */
        n = 0;
        unassigned = 0;
        for (unsigned lead = 0x80; lead <= 0xFF; lead++)
            for (unsigned t = pass ? 0 : 0x40; t <= (pass ? 0xFFu : 0xFCu); t++) {
                if (rk_ms932_lead_index(lead) < 0 || t == 0x7F)
                    continue;
                buf[n++] = (unsigned char)lead;
                buf[n++] = (unsigned char)t;
                unassigned += !rk_ms932_pair_valid(lead, t);
                if ((lead + t) % 3 == 0)
                    buf[n++] = 'x';
            }
        rk_scanner ref;
        run(RK_SIMD_SCALAR, buf, n, n, &ref);
        if (pass == 0)
            cr_assert_eq(ref.enc.n, unassigned, "reference: %zu findings, %zu unassigned pairs", ref.enc.n, unassigned);
        kernels_equal(&ref, buf, n);
        rk_scanner_free(&ref);
    }
    free(buf);
}

/*
 * Every pair of a lead and any byte split across a block end (lead at byte
 * 63, trail at byte 0 of the next block): the kernels check the waiting
 * lead's pair when the next block comes, and give the reference's findings.
 */
Test(scan, every_pair_split_across_a_block_end)
{
    size_t pairs = 0;
    for (unsigned lead = 0x80; lead <= 0xFF; lead++)
        pairs += rk_ms932_lead_index(lead) >= 0 ? 256 : 0;
    size_t n = 64 * (pairs + 1);
    unsigned char *buf = malloc(n);
    memset(buf, 'a', n);
    size_t i = 0;
    for (unsigned lead = 0x80; lead <= 0xFF; lead++)
        for (unsigned t = 0; t <= 0xFF && rk_ms932_lead_index(lead) >= 0; t++, i++) {
            buf[64 * i + 63] = (unsigned char)lead;
            buf[64 * (i + 1)] = (unsigned char)(t == '"' ? 'a' : t); /* keep the quote state outside */
        }
    rk_scanner ref;
    run(RK_SIMD_SCALAR, buf, n, n, &ref);
    cr_assert_gt(ref.enc.n, 0);
    kernels_equal(&ref, buf, n);
    rk_scanner_free(&ref);
    free(buf);
}

Test(scan, quote_and_lf_counts_for_the_pre_pass)
{
    unsigned char buf[1000];
    fill(buf, sizeof buf);
    uint64_t q0 = 0, l0 = 0;
    for (size_t i = 0; i < sizeof buf; i++) {
        q0 += buf[i] == '"';
        l0 += buf[i] == '\n';
    }
    for (rk_simd k = RK_SIMD_SCALAR; k <= rk_simd_best(); k++) {
        uint64_t q, l;
        rk_count_quotes_lfs(k, buf, 0, sizeof buf, &q, &l);
        cr_assert_eq(q, q0);
        cr_assert_eq(l, l0);
    }
}

Test(scan, record_starts_for_both_quote_states)
{
    /* x " a LF b " LF y LF: outside quotes at 0, the first record ends at 6
     * (the LF at 3 is quoted); inside quotes at 0, the LF at 3 is outside. */
    const unsigned char *s = (const unsigned char *)"x\"a\nb\"\ny\n";
    uint64_t pos[2], lfs[2];
    rk_record_starts(s, 0, 9, pos, lfs);
    cr_assert_eq(pos[0], 6);
    cr_assert_eq(lfs[0], 1);
    cr_assert_eq(pos[1], 3);
    cr_assert_eq(lfs[1], 0);
    /* From 4 (b " LF y LF): outside, the quote at 5 opens and never closes, so
     * no LF is unquoted; inside, it closes and the LF at 6 ends the record. */
    rk_record_starts(s, 4, 9, pos, lfs);
    cr_assert_eq(pos[0], 9);
    cr_assert_eq(pos[1], 6);
    cr_assert_eq(lfs[1], 0);
    /* No LF at all: both are `to`. */
    rk_record_starts(s, 0, 3, pos, lfs);
    cr_assert_eq(pos[0], 3);
    cr_assert_eq(pos[1], 3);
}

/* The records a walk gives, as text: offset, line, each field's bounds. */
typedef struct walk_log {
    char *s;
    size_t n, cap;
} walk_log;

static int log_record(void *ctx, const rk_record *rec, int unterminated)
{
    walk_log *l = ctx;
    cr_assert_eq(rec->end, rec->fields[rec->nfields - 1].end, "record %" PRIu64 ": its end is its last field's",
                 rec->record);
    char t[64];
    int k = snprintf(t, sizeof t, "#%" PRIu64 "@%" PRIu64 "L%" PRIu64 "u%d:", rec->record, rec->offset, rec->line,
                     unterminated);
    for (size_t i = 0; i <= rec->nfields; i++) {
        if (l->n + 64 > l->cap) {
            l->cap = l->cap ? 2 * l->cap : 1 << 16;
            l->s = realloc(l->s, l->cap);
            cr_assert_not_null(l->s);
        }
        memcpy(l->s + l->n, t, (size_t)k);
        l->n += (size_t)k;
        if (i == rec->nfields)
            break;
        k = snprintf(t, sizeof t, "%" PRIu64 "-%" PRIu64 ",", rec->fields[i].start, rec->fields[i].end);
    }
    l->s[l->n++] = '\n';
    return 0;
}

/* Records of 1 to 80 fields, empty and quoted ones among them, CRLF and LF,
 * the last without a line end: every kernel's walk gives the fields the
 * scalar walk gives, and every record ends where its last field does. */
Test(scan, every_kernel_walks_the_same_fields)
{
    size_t cap = 1 << 18, n = 0;
    unsigned char *buf = malloc(cap);
    while (n + 2000 < cap) {
        unsigned nf = 1 + (unsigned)(rnd() % 80);
        for (unsigned i = 0; i < nf; i++) {
            if (i)
                buf[n++] = ',';
            unsigned len = (unsigned)(rnd() % 4 == 0 ? 0 : rnd() % 12);
            int q = rnd() % 6 == 0;
            if (q)
                buf[n++] = '"';
            for (unsigned c = 0; c < len; c++)
                buf[n++] = q && rnd() % 9 == 0 ? ',' : (unsigned char)('0' + rnd() % 10);
            if (q)
                buf[n++] = '"';
        }
        if (rnd() % 3 == 0)
            buf[n++] = '\r';
        buf[n++] = '\n';
    }
    memcpy(buf + n, "7,,9", 4); /* the last record without a line end */
    n += 4;
    walk_log ref = {0};
    for (rk_simd k = RK_SIMD_SCALAR; k <= rk_simd_best(); k++) {
        walk_log got = {0};
        rk_walker w;
        memset(&w, 0, sizeof w);
        rk_walk_cb cb = {&got, log_record, NULL};
        uint64_t nrec = 0, nlines = 0;
        cr_assert_eq(rk_walk(&w, &(rk_walk_span){.buf = buf, .buflen = n, .end = n, .kernel = k, .ms932 = 1}, &cb,
                             &nrec, &nlines),
                     RK_OK);
        rk_walker_free(&w);
        if (k == RK_SIMD_SCALAR) {
            ref = got;
            cr_assert_gt(nrec, 1000u);
            continue;
        }
        cr_assert_eq(got.n, ref.n, "%s: %zu bytes of records, scalar %zu", rk_simd_name(k), got.n, ref.n);
        cr_assert(memcmp(got.s, ref.s, ref.n) == 0, "%s: the records differ", rk_simd_name(k));
        free(got.s);
    }
    free(ref.s);
    free(buf);
}

/* Record starts, as a walk meets them. */
typedef struct starts_log {
    uint64_t at[4096];
    size_t n;
} starts_log;

static int log_start(void *ctx, const rk_record *rec, int unterminated)
{
    (void)unterminated;
    starts_log *l = ctx;
    cr_assert_lt(l->n, sizeof l->at / sizeof l->at[0]);
    l->at[l->n++] = rec->offset;
    return 0;
}

/* A soft end stops the walk before the first record that starts at or past
 * it, wherever it falls: inside a quoted line break, inside a record longer
 * than a window, on a record start, before the walk's start. The walk then
 * says where it ended, and that it ended outside quotes, though the bytes
 * after it end inside a quote that never closes. */
Test(scan, soft_end_stops_before_the_record_at_or_past_it)
{
    size_t cap = 1 << 17, n = 0;
    unsigned char *buf = malloc(cap);
    for (unsigned r = 0; n + 12000 < cap; r++) {
        if (r % 50 == 7) { /* one field longer than a window, with line breaks in quotes */
            buf[n++] = '"';
            for (unsigned c = 0; c < 9000; c++)
                buf[n++] = c % 100 == 99 ? '\n' : (unsigned char)('a' + c % 26);
            buf[n++] = '"';
        } else {
            n += (size_t)snprintf((char *)buf + n, cap - n, "%u,\"note\n%u\",x", r, r);
        }
        buf[n++] = '\n';
    }
    size_t full = n;
    memcpy(buf + n, "1,\"open\n", 8); /* a quote that never closes */
    n += 8;
    buf = realloc(buf, n); /* no byte past the file to read */
    cr_assert_not_null(buf);
    starts_log all = {{0}, 0};
    rk_walker w;
    memset(&w, 0, sizeof w);
    rk_walk_cb cb = {&all, log_start, NULL};
    cr_assert_eq(rk_walk(&w, &(rk_walk_span){.buf = buf, .buflen = n, .end = n, .kernel = rk_simd_best(), .ms932 = 1},
                         &cb, NULL, NULL),
                 RK_OK);
    cr_assert(w.sc.ended_inq, "the last record's quote never closes");
    cr_assert_eq(w.end, n);
    cr_assert_eq(all.at[all.n - 1], full);
    for (rk_simd k = RK_SIMD_SCALAR; k <= rk_simd_best(); k++)
        for (uint64_t soft = 1; soft <= full; soft += soft < 200 ? 1 : 97) {
            size_t want = 0; /* records that start before soft */
            while (want < all.n && all.at[want] < soft)
                want++;
            starts_log got = {{0}, 0};
            rk_walk_cb cg = {&got, log_start, NULL};
            uint64_t nrec = 0, nlines = 0;
            cr_assert_eq(
                rk_walk(&w, &(rk_walk_span){.buf = buf, .buflen = n, .end = n, .soft = soft, .kernel = k, .ms932 = 1},
                        &cg, &nrec, &nlines),
                RK_OK);
            cr_assert_eq(nrec, want, "%s soft %" PRIu64 ": %" PRIu64 " records, not %zu", rk_simd_name(k), soft, nrec,
                         want);
            cr_assert_eq(w.end, all.at[want], "%s soft %" PRIu64 ": ended at %" PRIu64, rk_simd_name(k), soft, w.end);
            cr_assert_not(w.sc.ended_inq, "%s soft %" PRIu64 ": it ended at a record start", rk_simd_name(k), soft);
            cr_assert(memcmp(got.at, all.at, want * sizeof all.at[0]) == 0);
            uint64_t lfs = 0; /* every line break before where it ended */
            for (uint64_t i = 0; i < w.end; i++)
                lfs += buf[i] == '\n';
            cr_assert_eq(nlines, lfs, "%s soft %" PRIu64, rk_simd_name(k), soft);
        }
    /* A soft end at or before the start: nothing walked. */
    uint64_t nrec = 1;
    cr_assert_eq(rk_walk(&w,
                         &(rk_walk_span){.buf = buf,
                                         .buflen = n,
                                         .begin = all.at[3],
                                         .end = n,
                                         .soft = all.at[3],
                                         .kernel = rk_simd_best(),
                                         .ms932 = 1},
                         &cb, &nrec, NULL),
                 RK_OK);
    cr_assert_eq(nrec, 0);
    cr_assert_eq(w.end, all.at[3]);
    rk_walker_free(&w);
    free(buf);
}
