/* SPDX-License-Identifier: Apache-2.0 */
/*
 * File kinds of the standard and the file-name grammar (careplan-csv.md §2.4,
 * §3), and the CSV version table (§1.2). Pure data and string parsing.
 *
 * Choices where the spec digest is uncertain (kept here as data):
 *  - UPKIHON is accepted with or without the "_000000" month segment
 *    (the layout shows none, the body text shows one);
 *  - the extension is compared without regard to case (.CSV/.csv, .JPG/.jpg);
 *  - office numbers in names must have 10 characters (the spec's own 9-digit
 *    examples are defects), digits or capital letters;
 *  - only 202208 and 202407 have layouts; 202410 and 202404 seen in the wild
 *    and the withdrawn 202504 are unknown versions.
 */
#include <string.h>

#include "careplan.h"
#include "layouts.h"

/* What is wrong with a name, in both languages (rk_name_info.problem, .problem_ja). */
#define FAULT(ja, en) (out->problem_ja = (ja), out->problem = (en))

static const rk_kind kinds[] = {
    /* Longer prefixes first: UPKIHON_SUB1 must not match as UPKIHON. */
    {"UPKIHON_IMAGE", 0, 1}, {"UPKIHON_SUB1", 0, 0}, {"UPKIHON_SUB2", 0, 0}, {"UPYOBO_SUB", 0, 0}, {"UPHOSOKU", 1, 0},
    {"UP1KYO", 0, 0},        {"DLT1KYO", 0, 0},      {"UP2KYO", 0, 0},       {"UP3KYO", 0, 0},     {"UPPLAN", 1, 0},
    {"UPJSK", 1, 0},         {"DLTPLAN", 1, 0},      {"DLTJSK", 1, 0},       {"UPSIKYU", 1, 0},    {"UPKIHON", 2, 0},
    {"DLTKIHON", 0, 0},      {"UPYOBO", 0, 0},       {"DLTYOBO", 0, 0},
};

static const rk_csv_version versions[] = {
    {"202208", "202301", RK_LAYOUT_V3},
    {"202407", "202504", RK_LAYOUT_V4},
};

size_t rk_kind_count(void)
{
    return sizeof kinds / sizeof kinds[0];
}

const rk_kind *rk_kind_at(size_t i)
{
    return i < rk_kind_count() ? &kinds[i] : NULL;
}

const rk_kind *rk_kind_find(const char *prefix)
{
    for (size_t i = 0; i < rk_kind_count(); i++)
        if (strcmp(kinds[i].prefix, prefix) == 0)
            return &kinds[i];
    return NULL;
}

const rk_csv_version *rk_csv_version_find(const unsigned char *v, size_t len)
{
    if (len != 6)
        return NULL;
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++)
        if (memcmp(versions[i].value, v, 6) == 0)
            return &versions[i];
    return NULL;
}

int rk_csv_version_of(int layout, char out[RK_VERSION_LEN])
{
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++)
        if (versions[i].layout == layout) {
            memcpy(out, versions[i].value, RK_VERSION_LEN);
            return 1;
        }
    return 0;
}

unsigned rk_kind_fields(const rk_kind *k, int layout)
{
    const rk_layout *l = rk_layout_find(k->prefix, layout);
    return l ? l->nfields : 0;
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Office numbers: 10 characters, digits or capital letters (letters occur in 事業所番号). */
static int office_ok(const char *s, size_t n)
{
    if (n != 10)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z')))
            return 0;
    return 1;
}

static int type_ok(const char *s, size_t n)
{
    if (n != 2)
        return 0;
    for (size_t i = 0; i < 2; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z')))
            return 0;
    return 1;
}

static int month_ok(const char *s, size_t n)
{
    if (n != 6 || !all_digits(s, 6))
        return 0;
    if (memcmp(s, "000000", 6) == 0)
        return 1;
    int mm = (s[4] - '0') * 10 + (s[5] - '0');
    return mm >= 1 && mm <= 12;
}

static int serial_ok(const char *s, size_t n)
{
    if (n != 14 || !all_digits(s, 14))
        return 0;
    int mo = (s[4] - '0') * 10 + (s[5] - '0'), d = (s[6] - '0') * 10 + (s[7] - '0');
    int h = (s[8] - '0') * 10 + (s[9] - '0'), mi = (s[10] - '0') * 10 + (s[11] - '0');
    int se = (s[12] - '0') * 10 + (s[13] - '0');
    return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && se <= 59;
}

static int ext_is(const char *ext, const char *want)
{
    size_t n = strlen(want);
    if (strlen(ext) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = ext[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c != want[i])
            return 0;
    }
    return 1;
}

#define MAXSEG 10

void rk_name_parse(const char *name, rk_name_info *out)
{
    memset(out, 0, sizeof *out);
    const rk_kind *k = NULL;
    size_t plen = 0;
    for (size_t i = 0; i < rk_kind_count(); i++) {
        size_t n = strlen(kinds[i].prefix);
        if (strncmp(name, kinds[i].prefix, n) == 0 && name[n] == '_') {
            k = &kinds[i];
            plen = n;
            break;
        }
    }
    if (!k) {
        FAULT("標準仕様のファイル種別にない接頭辞です", "no file kind of the standard has this prefix");
        return;
    }
    out->kind = k->prefix;
    const char *dot = strrchr(name, '.');
    if (!dot || !ext_is(dot + 1, k->image ? "JPG" : "CSV")) {
        k->image ? FAULT("拡張子は.JPGです", "extension must be .JPG")
                 : FAULT("拡張子は.CSVです", "extension must be .CSV");
        return;
    }
    /* Split the part between the prefix and the extension at '_'. */
    const char *seg[MAXSEG];
    size_t seglen[MAXSEG];
    size_t nseg = 0;
    const char *p = name + plen + 1;
    while (p <= dot) {
        const char *q = p;
        while (q < dot && *q != '_')
            q++;
        if (nseg == MAXSEG) {
            FAULT("区切りが多すぎます", "too many segments");
            return;
        }
        seg[nseg] = p;
        seglen[nseg++] = (size_t)(q - p);
        p = q + 1;
    }
    size_t i = 0;
    size_t tail = 1 + (size_t)k->image; /* serial (+ branch) */
    /* UPKIHON: the optional month segment is there when the count says so. */
    int has_month = k->month_segment == 1 || (k->month_segment == 2 && (nseg == tail + 5 || nseg == tail + 3));
    if (has_month) {
        if (nseg < 1 || !month_ok(seg[0], seglen[0])) {
            FAULT("年月の部分はYYYYMMです", "month segment must be YYYYMM");
            return;
        }
        if (k->month_segment == 2 && memcmp(seg[0], "000000", 6) != 0) {
            FAULT("UPKIHONの年月の部分は、あれば000000です", "UPKIHON month segment, when present, must be 000000");
            return;
        }
        memcpy(out->month, seg[0], 6);
        i = 1;
    }
    size_t rest = nseg - i;
    if (rest == 4 + tail) {
        out->grammar = 4;
        if (!office_ok(seg[i], seglen[i]) || !office_ok(seg[i + 2], seglen[i + 2])) {
            !office_ok(seg[i], seglen[i])
                ? FAULT("送信元の事業所番号は10桁です", "the sender's office number must have 10 digits")
                : FAULT("送信先の事業所番号は10桁です", "the receiver's office number must have 10 digits");
            return;
        }
        if (!type_ok(seg[i + 1], seglen[i + 1]) || !type_ok(seg[i + 3], seglen[i + 3])) {
            FAULT("サービス種類の部分は2文字です", "service-type segments must have 2 characters");
            return;
        }
        memcpy(out->sender, seg[i], 10);
        memcpy(out->sender_type, seg[i + 1], 2);
        memcpy(out->receiver, seg[i + 2], 10);
        memcpy(out->receiver_type, seg[i + 3], 2);
        i += 4;
    } else if (rest == 2 + tail) {
        out->grammar = 3;
        if (office_ok(seg[i], seglen[i]) && type_ok(seg[i + 1], seglen[i + 1]) && seglen[i + 1] == 2) {
            /* SENDER_TYPE_連番: a v4.1 name that stops after the sender */
            FAULT("送信元の後の送信先の事業所番号とサービス種類がありません(v4.1は"
                  "送信元_種類_送信先_種類_連番)",
                  "a receiver office number and service type after the sender's "
                  "(SENDER_TYPE_RECEIVER_TYPE_連番 in v4.1): they are missing");
            out->grammar = 0;
            return;
        }
        if (!office_ok(seg[i], seglen[i]) || !office_ok(seg[i + 1], seglen[i + 1])) {
            !office_ok(seg[i], seglen[i])
                ? FAULT("送信元の事業所番号は10桁です", "the sender's office number must have 10 digits")
                : FAULT("送信先の事業所番号は10桁です", "the receiver's office number must have 10 digits");
            return;
        }
        memcpy(out->sender, seg[i], 10);
        memcpy(out->receiver, seg[i + 1], 10);
        i += 2;
    } else if (rest == 3 + tail) {
        FAULT("部分が1つ足りません: 送信元_種類_送信先_種類_連番(v4.1)または送信元_送信先_連番(v3.2)",
              "a segment is missing: SENDER_TYPE_RECEIVER_TYPE_連番 (v4.1) or SENDER_RECEIVER_連番 (v3.2)");
        return;
    } else {
        rest < 2 + tail
            ? FAULT("「_」の区切りが足りません: 種別と年月の後に送信元_種類_送信先_種類_連番(v4.1)"
                    "または送信元_送信先_連番(v3.2)",
                    "too few '_' segments: SENDER_TYPE_RECEIVER_TYPE_連番 (v4.1) or "
                    "SENDER_RECEIVER_連番 (v3.2) after the kind and month")
            : FAULT("このファイル種別には「_」の区切りが多すぎます", "too many '_' segments for this file kind");
        return;
    }
    if (!serial_ok(seg[i], seglen[i])) {
        FAULT("ファイル連番はYYYYMMDDHHMMSSです", "ファイル連番 must be YYYYMMDDHHMMSS");
        out->grammar = 0;
        return;
    }
    memcpy(out->serial, seg[i], 14);
    if (k->image) {
        if (seglen[i + 1] != 4 || !all_digits(seg[i + 1], 4)) {
            FAULT("画像の枝番は数字4桁です", "image branch number must have 4 digits");
            out->grammar = 0;
            return;
        }
        memcpy(out->branch, seg[i + 1], 4);
    }
}
