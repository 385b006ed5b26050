/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MS932 codec tests: every two-byte code and every single byte against the C
 * library's iconv CP932 on the machine running the tests, every BMP code point
 * for the encoder, and the exact offsets and kinds of bad characters.
 */
#include <criterion/criterion.h>
#include <iconv.h>
#include <string.h>

#include "../../formats/ms932/ms932.h"
#include "renkei.h"

static long iconv_once(iconv_t cd, const void *in, size_t n, void *out, size_t cap)
{
    char *ip = (char *)in, *op = out;
    size_t il = n, ol = cap;
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il)
        return -1;
    return (long)(op - (char *)out);
}

Test(ms932, every_two_byte_code_matches_iconv)
{
    iconv_t cd = iconv_open("UTF-8", "CP932");
    cr_assert(cd != (iconv_t)-1, "iconv has no CP932 on this machine");
    unsigned checked = 0, chars = 0;
    for (unsigned lead = 0x81; lead <= 0xFC; lead++) {
        if (rk_ms932_lead_index(lead) < 0)
            continue;
        for (unsigned trail = 0; trail <= 0xFF; trail++) {
            unsigned char in[2] = {(unsigned char)lead, (unsigned char)trail};
            char ref[8], ours[16];
            long rn = trail >= 0x40 ? iconv_once(cd, in, 2, ref, sizeof ref) : -1;
            size_t len;
            rk_ms932_error_kind k = rk_ms932_classify(in, 2, &len);
            int gaiji = lead >= 0xF0 && lead <= 0xF9;
            if (rn > 0) {
                chars++;
                cr_assert_eq(len, 2, "%02X%02X length", lead, trail);
                cr_assert(k == (gaiji ? RK_MS932_GAIJI : RK_MS932_OK), "%02X%02X kind %d", lead, trail, k);
                if (!gaiji) {
                    size_t w, nbad;
                    cr_assert_eq(rk_ms932_to_utf8(in, 2, ours, sizeof ours, &w, &nbad), RK_OK);
                    cr_assert_eq(nbad, 0);
                    cr_assert(w == (size_t)rn && memcmp(ours, ref, w) == 0, "%02X%02X decodes differently", lead,
                              trail);
                }
            } else {
                cr_assert(k != RK_MS932_OK, "%02X%02X accepted but iconv rejects it", lead, trail);
            }
            checked++;
        }
    }
    iconv_close(cd);
    cr_assert_eq(checked, 60u * 256u);
    /* CP932 has 7,915 two-byte characters in lead 81-9F/E0-FC outside 外字 plus 1,880 外字. */
    cr_assert(chars > 9000, "only %u two-byte characters", chars);
}

Test(ms932, every_single_byte_matches_iconv)
{
    iconv_t cd = iconv_open("UTF-8", "CP932");
    cr_assert(cd != (iconv_t)-1);
    for (unsigned b = 0; b <= 0xFF; b++) {
        unsigned char in[1] = {(unsigned char)b};
        char ref[8];
        long rn = iconv_once(cd, in, 1, ref, sizeof ref);
        size_t len;
        rk_ms932_error_kind k = rk_ms932_classify(in, 1, &len);
        if (rk_ms932_lead_index(b) >= 0) {
            cr_assert_eq(k, RK_MS932_INVALID, "lone lead %02X must be invalid", b);
            continue;
        }
        cr_assert_eq(k == RK_MS932_OK, rn > 0, "byte %02X: ours %d iconv %ld", b, k, rn);
        if (rn > 0) {
            char ours[8];
            size_t w;
            rk_ms932_to_utf8(in, 1, ours, sizeof ours, &w, NULL);
            cr_assert(w == (size_t)rn && memcmp(ours, ref, w) == 0, "byte %02X", b);
        }
    }
    iconv_close(cd);
}

Test(ms932, encoder_matches_iconv_for_every_bmp_code_point)
{
    iconv_t cd = iconv_open("CP932", "UTF-8");
    cr_assert(cd != (iconv_t)-1);
    for (uint32_t cp = 1; cp <= 0xFFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char in[4];
        size_t n;
        if (cp < 0x80) {
            in[0] = (char)cp;
            n = 1;
        } else if (cp < 0x800) {
            in[0] = (char)(0xC0 | (cp >> 6));
            in[1] = (char)(0x80 | (cp & 0x3F));
            n = 2;
        } else {
            in[0] = (char)(0xE0 | (cp >> 12));
            in[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            in[2] = (char)(0x80 | (cp & 0x3F));
            n = 3;
        }
        unsigned char ref[8], ours[8];
        long rn = iconv_once(cd, in, n, ref, sizeof ref);
        size_t w, nbad;
        cr_assert_eq(rk_ms932_from_utf8(in, n, ours, sizeof ours, &w, &nbad, NULL, NULL), RK_OK);
        if (rn > 0) {
            cr_assert_eq(nbad, 0, "U+%04X has an MS932 form", cp);
            cr_assert(w == (size_t)rn && memcmp(ours, ref, w) == 0, "U+%04X encodes differently", cp);
        } else {
            cr_assert_eq(nbad, 1, "U+%04X has no MS932 form", cp);
            cr_assert(w == 1 && ours[0] == '?');
        }
    }
    iconv_close(cd);
}

Test(ms932, validate_reports_kind_and_offset)
{
    /* a, あ, 外字 F040, unassigned 8540, half-width ｱ, then a lone lead at the end */
    const unsigned char s[] = {'a', 0x82, 0xA0, 0xF0, 0x40, 0x85, 0x40, 0xB1, 0x81};
    rk_ms932_error e;
    cr_assert_eq(rk_ms932_validate(s, sizeof s, &e), 3);
    cr_assert_eq(e.kind, RK_MS932_GAIJI);
    cr_assert_eq(e.offset, 3);
    cr_assert_eq(e.length, 2);
    cr_assert_eq(rk_ms932_validate(s + 5, 4, &e), 2);
    cr_assert_eq(e.kind, RK_MS932_UNASSIGNED);
    cr_assert_eq(rk_ms932_validate(s + 7, 2, &e), 1);
    cr_assert_eq(e.kind, RK_MS932_INVALID);
    cr_assert_eq(e.offset, 1);
    /* A lead before ',' is invalid and the comma is left alone. */
    const unsigned char t[] = {0x82, ',', 'x'};
    cr_assert_eq(rk_ms932_validate(t, 3, &e), 1);
    cr_assert_eq(e.length, 1);
    cr_assert_eq(rk_ms932_validate("plain ascii", 11, &e), 0);
    cr_assert_eq(e.kind, RK_MS932_OK);
}

static size_t seen_off[8];
static uint32_t seen_cp[8];
static size_t nseen;

static void record_unmappable(void *ctx, size_t off, uint32_t cp)
{
    (void)ctx;
    if (nseen < 8) {
        seen_off[nseen] = off;
        seen_cp[nseen] = cp;
    }
    nseen++;
}

Test(ms932, encoder_reports_every_unmappable_character)
{
    const char *s = "A\xF0\x9F\x98\x80"
                    "B\xE3\x81\x82\xFF"
                    "C"; /* A 😀 B あ <FF> C */
    unsigned char out[32];
    size_t w, nbad;
    nseen = 0;
    cr_assert_eq(rk_ms932_from_utf8(s, strlen(s), out, sizeof out, &w, &nbad, record_unmappable, NULL), RK_OK);
    cr_assert_eq(nbad, 2);
    cr_assert_eq(nseen, 2);
    cr_assert_eq(seen_off[0], 1);
    cr_assert_eq(seen_cp[0], 0x1F600);
    cr_assert_eq(seen_off[1], 9);
    cr_assert_eq(seen_cp[1], 0xFFFFFFFFu);
    cr_assert_eq(w, 7);
    cr_assert(memcmp(out, "A?B\x82\xA0?C", 7) == 0);
}

Test(ms932, no_space_is_a_status_not_an_overflow)
{
    char out[4];
    size_t w;
    cr_assert_eq(rk_ms932_to_utf8("\x82\xA0\x82\xA2", 4, out, sizeof out, &w, NULL), RK_ERR_NOSPACE);
}
