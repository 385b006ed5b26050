/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Record rules (see record.h). Each item is checked by its type from the
 * layout table; the few rules that look at several items at once follow.
 * Values are short ASCII strings except free text, so every check is a
 * handful of byte comparisons: this runs once per field of every record.
 */
#include "record.h"

#include <stdio.h>
#include <string.h>

#include "careplan.h"
#include "item_cache.h"

static int digits(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned)(p[i] - '0') > 9)
            return 0;
    return 1;
}

static unsigned num2(const unsigned char *p)
{
    return (unsigned)(p[0] - '0') * 10 + (unsigned)(p[1] - '0');
}

static unsigned days_in(unsigned y, unsigned m)
{
    static const unsigned char d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

/*
 * Dates, months and times in words: n ASCII characters as the low bytes of a
 * word (the first in the lowest byte), tested for digits and turned into
 * two-digit values all at once, with no loop and no branch per character.
 */
static uint64_t load_n(const unsigned char *p, size_t n)
{
    uint64_t x = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* Loads of 8, 4 and 2 bytes put together in registers: bytes stored to
     * the stack and read back as one word would stall on every call. */
    uint32_t w4;
    uint16_t w2;
    if (n == 8) {
        memcpy(&x, p, 8);
    } else {
        memcpy(&w4, p, 4);
        x = w4;
        if (n == 6) {
            memcpy(&w2, p + 4, 2);
            x |= (uint64_t)w2 << 32;
        }
    }
#else
    for (size_t i = 0; i < n; i++)
        x |= (uint64_t)p[i] << (8 * i);
#endif
    return x;
}

/* Whether the low n bytes of x are all '0'..'9'. */
static int digit_word(uint64_t x, size_t n)
{
    const uint64_t hi = 0xF0F0F0F0F0F0F0F0ull, lo = 0x0F0F0F0F0F0F0F0Full, k = 0x0606060606060606ull;
    uint64_t m = n >= 8 ? ~0ull : (1ull << (8 * n)) - 1;
    /* high nibble 3, and low nibble + 6 stays below 16 (no carry leaves a byte) */
    return ((x & hi & m) == (0x3030303030303030ull & m)) & ((((x & lo) + k) & hi & m) == 0);
}

/* The two-digit values of a word of digits: value k from characters 2k, 2k+1, in bits 16k.. */
static uint64_t pairs_of(uint64_t x)
{
    uint64_t d = x & 0x0F0F0F0F0F0F0F0Full;
    return (d & 0x00FF00FF00FF00FFull) * 10 + ((d >> 8) & 0x00FF00FF00FF00FFull);
}

static unsigned pair_at(uint64_t v, unsigned k)
{
    return (unsigned)(v >> (16 * k)) & 0xFFFFu;
}

/* YYYYMM with a year from 1900 to 2199. */
static int month_ok(const unsigned char *p, size_t n)
{
    if (n != 6)
        return 0;
    uint64_t x = load_n(p, 6), v = pairs_of(x);
    unsigned y = pair_at(v, 0) * 100 + pair_at(v, 1), m = pair_at(v, 2);
    return digit_word(x, 6) & (y >= 1900) & (y <= 2199) & (m >= 1) & (m <= 12);
}

static int date_ok(const unsigned char *p, size_t n)
{
    if (n != 8)
        return 0;
    uint64_t x = load_n(p, 8), v = pairs_of(x);
    unsigned y = pair_at(v, 0) * 100 + pair_at(v, 1), m = pair_at(v, 2), d = pair_at(v, 3);
    if (!(digit_word(x, 8) & (y >= 1900) & (y <= 2199) & (m >= 1) & (m <= 12)))
        return 0;
    return d >= 1 && d <= days_in(y, m);
}

static int time_ok(const unsigned char *p, size_t n)
{
    if (n != 4)
        return 0;
    uint64_t x = load_n(p, 4), v = pairs_of(x);
    return digit_word(x, 4) & (pair_at(v, 0) <= 23) & (pair_at(v, 1) <= 59);
}

static int is_zeros(const unsigned char *p, size_t n, size_t want)
{
    if (n != want)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] != '0')
            return 0;
    return 1;
}

static int code_ok(const char *codes, const unsigned char *p, size_t n)
{
    const char *c = codes;
    while (*c) {
        size_t k = 0;
        while (c[k] && c[k] != '|')
            k++;
        if (k == n && memcmp(c, p, n) == 0)
            return 1;
        c += k + (c[k] == '|');
    }
    return 0;
}

/* Value of a character in a number with a check digit: digits 0-9, letters
 * 10.. skipping I, O and Q (billing-rules.md §5.1); 255 = not allowed. */
static const unsigned char cd_value[256] = {
    ['0'] = 0,  ['1'] = 1,  ['2'] = 2,  ['3'] = 3,  ['4'] = 4,  ['5'] = 5,  ['6'] = 6,  ['7'] = 7,  ['8'] = 8,
    ['9'] = 9,  ['A'] = 10, ['B'] = 11, ['C'] = 12, ['D'] = 13, ['E'] = 14, ['F'] = 15, ['G'] = 16, ['H'] = 17,
    ['J'] = 18, ['K'] = 19, ['L'] = 20, ['M'] = 21, ['N'] = 22, ['P'] = 23, ['R'] = 24, ['S'] = 25, ['T'] = 26,
    ['U'] = 27, ['V'] = 28, ['W'] = 29, ['X'] = 30, ['Y'] = 31, ['Z'] = 32};

/* Digit sum of a product (at most 2 * 32 = 64). */
static unsigned digit_sum(unsigned v)
{
    return v / 10 + v % 10;
}

int rk_check_digit(const unsigned char *body, size_t n)
{
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = body[n - 1 - i];
        unsigned v = cd_value[c];
        if (v == 0 && c != '0')
            return -1;
        sum += digit_sum(i % 2 == 0 ? 2 * v : v);
    }
    return (int)((10 - sum % 10) % 10);
}

/* Checks an identifier with a check digit; on failure writes what was expected. */
static int id_ok(const unsigned char *p, size_t n, size_t want, char *exp, size_t cap)
{
    if (n != want || (unsigned)(p[n - 1] - '0') > 9) {
        snprintf(exp, cap, RK_JA_EN("%zu桁(最後の1桁はチェックデジット)", "%zu characters, the last a check digit"),
                 want, want);
        return 0;
    }
    int cd = rk_check_digit(p, n - 1);
    if (cd < 0) {
        snprintf(exp, cap,
                 RK_JA_EN("数字、またはI・O・Q以外の英大文字", "digits or capital letters other than I, O, Q"));
        return 0;
    }
    if (p[n - 1] - '0' != cd) {
        snprintf(exp, cap, RK_JA_EN("チェックデジット %d", "check digit %d"), cd, cd);
        return 0;
    }
    return 1;
}

static int an_ok(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x20 || p[i] > 0x7E)
            return 0;
    return 1;
}

static int upper_alnum(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'A' && p[i] <= 'Z')))
            return 0;
    return 1;
}

/* The record being judged and where its findings go. */
typedef struct rec_judge {
    const unsigned char *buf;
    const rk_record *rec;
    rk_rec_cache *cache;
    rk_emit_fn emit;
    void *emit_ctx;
    unsigned said; /* findings emitted so far for this record */
} rec_judge;

static void say(rec_judge *c, uint32_t rule, unsigned no, const unsigned char *p, size_t n, const char *exp)
{
    c->said++;
    c->emit(c->emit_ctx, rule, no, c->rec->fields[no - 1].start, p, n, exp);
}

/*
 * The rule a non-empty value breaks for its type, or 0 if it is valid; *exp
 * receives what was expected. month = the record's 対象年月, or NULL.
 */
static uint32_t item_rule(const rk_field_def *d, const unsigned char *p, size_t n, const unsigned char *month,
                          char *exp, size_t cap)
{
    exp[0] = 0;
    switch (d->type) {
    case RK_T_INS:
        if (digits(p, n) && id_ok(p, n, 6, exp, cap))
            return 0;
        if (!digits(p, n))
            snprintf(exp, cap, RK_JA_EN("数字6桁", "6 digits"));
        return RK_R_ID_INSURER;
    case RK_T_HIHO:
        if (n == 10 && (digits(p, 10) || (p[0] == 'H' && digits(p + 1, 9))))
            return 0;
        snprintf(exp, cap, RK_JA_EN("数字10桁、またはHと数字9桁", "10 digits, or H and 9 digits"));
        return RK_R_ID_INSURED;
    case RK_T_OFF9:
        if (n == 10 && memcmp(p, "9999999999", 10) == 0)
            return 0;
        /* fall through */
    case RK_T_OFF: return id_ok(p, n, 10, exp, cap) ? 0 : RK_R_ID_OFFICE;
    case RK_T_D8Z:
        if (is_zeros(p, n, 8))
            return 0;
        /* fall through */
    case RK_T_D8: snprintf(exp, cap, "YYYYMMDD"); return date_ok(p, n) ? 0 : RK_R_REC_DATE;
    case RK_T_YMZ:
        if (is_zeros(p, n, 6))
            return 0;
        /* fall through */
    case RK_T_YM: snprintf(exp, cap, "YYYYMM"); return month_ok(p, n) ? 0 : RK_R_REC_MONTH;
    case RK_T_T4X:
        if (n == 4 && memcmp(p, "9999", 4) == 0)
            return 0;
        snprintf(exp, cap, RK_JA_EN("HHMMまたは9999", "HHMM or 9999"));
        return time_ok(p, n) ? 0 : RK_R_REC_TIME;
    case RK_T_T4: snprintf(exp, cap, "HHMM"); return time_ok(p, n) ? 0 : RK_R_REC_TIME;
    case RK_T_N: snprintf(exp, cap, RK_JA_EN("数字", "digits")); return digits(p, n) ? 0 : RK_R_REC_NUMBER;
    case RK_T_INT:
        snprintf(exp, cap, RK_JA_EN("整数", "an integer"));
        return (p[0] == '-' && n > 1 && digits(p + 1, n - 1)) || digits(p, n) ? 0 : RK_R_REC_NUMBER;
    case RK_T_AN: return an_ok(p, n) ? 0 : RK_R_REC_ASCII;
    case RK_T_C: snprintf(exp, cap, "%s", d->codes); return code_ok(d->codes, p, n) ? 0 : RK_R_REC_CODE;
    case RK_T_POST:
        snprintf(exp, cap, "XXX-XXXX");
        return n == 8 && digits(p, 3) && p[3] == '-' && digits(p + 4, 4) ? 0 : RK_R_REC_POSTAL;
    case RK_T_HIWARI: {
        for (size_t i = 0; i < n; i++)
            if (p[i] != '0' && p[i] != '1')
                n = 0;
        if (n != 31) {
            snprintf(exp, cap, RK_JA_EN("0と1の31文字", "31 characters of 0 and 1"));
            return RK_R_REC_HIWARI;
        }
        if (month) {
            unsigned last = days_in(num2(month) * 100 + num2(month + 2), num2(month + 4));
            for (size_t i = last; i < 31; i++)
                if (p[i] == '1') {
                    snprintf(exp, cap, RK_JA_EN("%u日より後に1なし", "no 1 after day %u"), last, last);
                    return RK_R_REC_HIWARI_DAY;
                }
        }
        return 0;
    }
    case RK_T_PRICE: {
        size_t dot = n >= 3 ? n - 3 : 0;
        snprintf(exp, cap, "99.99");
        return n >= 4 && n <= 5 && p[dot] == '.' && digits(p, dot) && digits(p + dot + 1, 2) ? 0 : RK_R_REC_PRICE;
    }
    case RK_T_SVC:
        snprintf(exp, cap, RK_JA_EN("種類2文字と項目4文字", "2-character type and 4-character item"));
        return n == 6 && upper_alnum(p, 6) ? 0 : RK_R_REC_SVC;
    case RK_T_TAIS:
        snprintf(exp, cap, "NNNNN-NNNNNN");
        return n == 12 && digits(p, 5) && p[5] == '-' && digits(p + 6, 6) ? 0 : RK_R_REC_TAIS;
    default: /* RK_T_ANY */ return 0;
    }
}

/* One item against its definition; month = the record's 対象年月 (for 日割対象日), or NULL. */
static void check_item(rec_judge *c, const rk_field_def *d, const unsigned char *month)
{
    const unsigned char *p;
    size_t n;
    rk_item(c->buf, c->rec, d->no, &p, &n);
    if (n == 0) {
        if (d->req == RK_REQ)
            say(c, RK_R_REC_REQUIRED, d->no, p, 0, NULL);
        else if (d->req == RK_REQ_UNSURE)
            say(c, RK_R_REC_REQUIRED_UNSURE, d->no, p, 0, NULL);
        return;
    }
    if (d->type == RK_T_FT) {
        if (c->buf[c->rec->fields[d->no - 1].start] != '"')
            say(c, RK_R_REC_FT_UNQUOTED, d->no, p, n, NULL);
        return;
    }
    if (d->type == RK_T_VER)
        return; /* the RK-VER rules */
    char exp[160];
    if (d->len && n > d->len) {
        snprintf(exp, sizeof exp, RK_JA_EN("%uバイト以内", "at most %u"), (unsigned)d->len, (unsigned)d->len);
        say(c, RK_R_REC_LENGTH, d->no, p, n, exp);
        return;
    }
    /* The same value as the last valid one of this item is valid again
     * (日割対象日 depends on the month too, so it is not cached). */
    unsigned slot = d->no - 1u;
    rk_rec_cache *k = c->cache;
    /* Only where a check costs more than a compare and values repeat: numbers,
     * times, persons and service codes are cheap to check (quick_ok passes the
     * valid ones) and change record by record. */
    int cacheable = n <= RK_CACHE_MAX &&
                    (d->type == RK_T_INS || d->type == RK_T_OFF || d->type == RK_T_OFF9 || d->type == RK_T_D8Z ||
                     d->type == RK_T_YMZ || d->type == RK_T_C || d->type == RK_T_PRICE || d->type == RK_T_TAIS);
    uint64_t w[2];
    if (cacheable) {
        rk_cache_words(p, n, w);
        if (rk_cache_has(k, slot, n, w))
            return;
    }
    uint32_t rule = item_rule(d, p, n, month, exp, sizeof exp);
    if (rule) {
        say(c, rule, d->no, p, n, exp[0] ? exp : NULL);
    } else if (cacheable) {
        rk_cache_put(k, slot, n, w);
    }
}

static int same(const unsigned char *p, size_t n, const char *s)
{
    return n == strlen(s) && memcmp(p, s, n) == 0;
}

/* Items of a 第7表 layout from 単位数 on (the layout names it). */
static unsigned sikyu_units(const rk_layout *L)
{
    return L->units_field;
}

/* Remembers rec as the record checked last; clean = its items that passed. */
static void keep_prev(rk_rec_cache *k, const rk_layout *L, const unsigned char *buf, const rk_record *rec, uint64_t len,
                      uint64_t clean)
{
    if (k->prev_layout != L) {
        uint64_t hw = 0;
        for (unsigned i = 0; i < L->nfields && i < 64; i++)
            if (L->fields[i].type == RK_T_HIWARI)
                hw |= (uint64_t)1 << i;
        /* Every item the rules between items read (the rules cannot be
         * skipped when one lies past the 64 the masks hold). */
        const unsigned no[] = {L->month_field,
                               L->updater_field,
                               L->svc_field,
                               L->tais_field,
                               L->tais_field ? L->tais_field + 1u : 0u,
                               L->meisai_field,
                               L->office_field,
                               L->sikyu ? sikyu_units(L) : 0u,
                               L->sikyu ? sikyu_units(L) + 1u : 0u,
                               L->sikyu ? sikyu_units(L) + 2u : 0u,
                               L->sikyu ? sikyu_units(L) + 5u : 0u,
                               L->hosoku ? 4u : 0u,
                               L->hosoku ? 63u : 0u};
        uint64_t ci = 0;
        for (size_t j = 0; j < sizeof no / sizeof no[0]; j++)
            ci |= no[j] == 0 ? 0 : no[j] > 64 ? ~(uint64_t)0 : (uint64_t)1 << (no[j] - 1);
        k->prev_layout = L;
        k->hiwari = hw;
        k->cond_items = ci;
        k->cond_quiet = 0;
    }
    k->prev = buf + rec->offset;
    k->prev_len = len;
    k->prev_clean = clean;
}

/*
 * Whether an item is valid by a test cheaper than check_item's: an empty
 * optional item, digits within the length for numbers, a quoted free text,
 * an unquoted date, month or time, a 被保険者番号, a サービスコード. 0 = not
 * decided here (check_item decides, and says why). Bytes below lim belong to
 * the record and may be read.
 */
static int quick_ok(const rk_field_def *d, const unsigned char *buf, const rk_field *f, uint64_t lim)
{
    uint64_t s = f->start, n = f->end - s;
    const unsigned char *p = buf + s;
    if (n == 0)
        return d->req == RK_OPT;
    /* Tests in the order of how common the types are, as branches the
     * predictor follows item by item (a jump table misses). */
    unsigned t = d->type;
    if (t == RK_T_N || t == RK_T_INT) {
        if (d->len && n > d->len)
            return 0;
        if (n <= 8 && s + 8 <= lim) /* a word of the record: no loop, no branch per digit */
            return digit_word(load_n(p, 8), (size_t)n);
        return digits(p, (size_t)n);
    }
    if (t == RK_T_FT) /* "" is empty: check_item tells if it may be */
        return p[0] == '"' && (n > 2 || d->req == RK_OPT);
    if (t == RK_T_D8)
        return date_ok(p, (size_t)n);
    if (t == RK_T_YM)
        return month_ok(p, (size_t)n);
    if (t == RK_T_T4 || t == RK_T_T4X)
        return time_ok(p, (size_t)n) || (t == RK_T_T4X && n == 4 && memcmp(p, "9999", 4) == 0);
    /* A person and a service code change record by record: a few word
     * operations judge them where the item cache would mostly miss. */
    if ((t == RK_T_HIHO || t == RK_T_SVC) && d->len && n > d->len)
        return 0;
    if (t == RK_T_HIHO) { /* 10 digits, or H and 9: words of bytes 0-7 or 1-8, and bytes 8-9 */
        if (n != 10)
            return 0;
        uint16_t last;
        memcpy(&last, p + 8, 2);
        return digit_word(last, 2) && (digit_word(load_n(p, 8), 8) || (p[0] == 'H' && digit_word(load_n(p + 1, 8), 7)));
    }
    if (t == RK_T_SVC)
        return n == 6 && upper_alnum(p, 6);
    return 0;
}

/* The classes and lengths the mask pass (rk_mask_pass_fn) judges a layout's items by. */
static void fast_setup(rk_rec_cache *k, const rk_layout *L)
{
    k->fast_layout = L;
    k->fast_digits = k->fast_alnum = k->fast_ft = k->fast_opt = k->fast_any = 0;
    k->fast_on = k->mask_pass && L->nfields <= 64;
    for (unsigned i = 0; i < 64; i++) {
        k->fast_min[i] = 1;
        k->fast_max[i] = 0; /* min > max: nothing passes */
        if (i >= L->nfields)
            continue;
        const rk_field_def *d = &L->fields[i];
        uint64_t bit = (uint64_t)1 << i;
        unsigned char len = d->len && d->len < 255 ? (unsigned char)d->len : 255;
        if (d->req == RK_OPT)
            k->fast_opt |= bit;
        if (d->type == RK_T_N || d->type == RK_T_INT) {
            k->fast_digits |= bit;
            k->fast_max[i] = len;
        } else if (d->type == RK_T_HIHO && len >= 10) { /* the H + 9 digits form goes item by item */
            k->fast_digits |= bit;
            k->fast_min[i] = k->fast_max[i] = 10;
        } else if (d->type == RK_T_SVC && (d->len == 0 || d->len >= 6)) {
            k->fast_alnum |= bit;
            k->fast_min[i] = k->fast_max[i] = 6;
        } else if (d->type == RK_T_FT) {
            k->fast_ft |= bit;
            k->fast_min[i] = d->req == RK_OPT ? 1 : 3; /* "" is empty */
            k->fast_max[i] = 255;
        }
    }
    k->fast_any = k->fast_digits | k->fast_alnum | k->fast_ft | k->fast_opt;
}

/* Items left to judge for which the mask pass pays: it costs about as much
 * as a dozen items judged one by one (measured on 第7表). */
#define RK_FAST_MIN 12

/* Bits set in x, by halves (a popcount instruction is not in the base x86-64 set). */
static unsigned bits_set(uint64_t x)
{
    x -= (x >> 1) & 0x5555555555555555ull;
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

/* Whether item no (1-based) is among the items known to be empty: the rules
 * below pass an empty item without reading it. */
static int known_empty(uint64_t empty, unsigned no)
{
    return no <= 64 && ((empty >> (no - 1u)) & 1u);
}

/* The rules that tie a record's items to each other and to the file name;
 * empty: items known to be empty. */
static void cond_rules(rec_judge *cx, const rk_file_facts *ff, const unsigned char *month, uint64_t empty)
{
    const rk_layout *L = ff->layout;
    const unsigned char *buf = cx->buf, *p;
    const rk_record *rec = cx->rec;
    size_t n;
    /* The file name's month is every record's month (6表, 7表 and their deletes). */
    if (L->month_field && ff->name_month && month && memcmp(month, ff->name_month, 6) != 0)
        say(cx, RK_R_FILE_MONTH, L->month_field, month, 6, ff->name_month);
    /* 更新業者コード is the sending office. */
    if (L->updater_field && ff->sender && !known_empty(empty, L->updater_field)) {
        rk_item(buf, rec, L->updater_field, &p, &n);
        if (n && !(n == 10 && memcmp(p, ff->sender, 10) == 0))
            say(cx, RK_R_FILE_UPDATER, L->updater_field, p, n, ff->sender);
    }
    /* 福祉用具: TAIS or 届出 code for types 17 and 67; 明細判別コード only for 17. */
    const unsigned char *svc = NULL;
    if (L->svc_field) {
        rk_item(buf, rec, L->svc_field, &p, &n);
        svc = n == 6 ? p : NULL;
    }
    /* (a 第7表's subtotal and total rows name no product) */
    if (svc && L->tais_field && ((svc[0] == '1' || svc[0] == '6') && svc[1] == '7') &&
        (!L->sikyu || rk_sikyu_row_kind(svc) == RK_SIKYU_SERVICE)) {
        const unsigned char *q;
        size_t m;
        rk_item(buf, rec, L->tais_field, &p, &n);
        rk_item(buf, rec, L->tais_field + 1u, &q, &m);
        if (!n && !m)
            say(cx, RK_R_COND_TAIS, L->tais_field, p, 0,
                RK_JA_EN("TAISコードまたは福祉用具届出コード", "TAISコード or 福祉用具届出コード"));
    }
    if (svc && L->meisai_field && !known_empty(empty, L->meisai_field)) {
        rk_item(buf, rec, L->meisai_field, &p, &n);
        if (n && !(svc[0] == '1' && svc[1] == '7'))
            say(cx, RK_R_COND_MEISAI, L->meisai_field, p, n,
                RK_JA_EN("サービス種類17以外は空欄", "empty unless the service type is 17"));
    }
    /* 第7表: subtotal rows (CD+AAAA/EEEE/ZZZZ) and the total row (999999). */
    if (svc && L->sikyu) {
        unsigned b = sikyu_units(L); /* 単位数 */
        int row = rk_sikyu_row_kind(svc);
        int total = row == RK_SIKYU_TOTAL, subtotal = row == RK_SIKYU_SUBTOTAL;
        if (total || subtotal) {
            rk_item(buf, rec, b, &p, &n);
            if (!same(p, n, "0"))
                say(cx, RK_R_COND_SUM_UNITS, b, p, n, "0");
            for (unsigned k = b + 1; k <= b + 2; k++) {
                if (known_empty(empty, k))
                    continue;
                rk_item(buf, rec, k, &p, &n);
                if (n)
                    say(cx, RK_R_COND_SUM_DISCOUNT, k, p, n, RK_JA_EN("空欄", "empty"));
            }
        }
        rk_item(buf, rec, L->office_field, &p, &n);
        int all9 = same(p, n, "9999999999");
        if (total != all9)
            say(cx, RK_R_COND_TOTAL_OFFICE, L->office_field, p, n,
                total ? RK_JA_EN("合計行は9999999999", "9999999999 on the total row")
                      : RK_JA_EN("9999999999は合計行のみ", "9999999999 only on the total row"));
        if (!known_empty(empty, b + 5)) {
            rk_item(buf, rec, b + 5, &p, &n); /* 給付管理単位数 */
            if (n && ((subtotal && rk_sikyu_outside_subtotal(svc)) || (!total && rk_svc_type_outside_limit(svc))))
                say(cx, RK_R_COND_OUTSIDE_LIMIT, b + 5, p, n, RK_JA_EN("空欄", "empty"));
        }
    }
    /* 利用者補足: which family it travels with shows in the file name's month. */
    if (L->hosoku && ff->name_month) {
        int plan_family = memcmp(ff->name_month, "000000", 6) == 0;
        rk_item(buf, rec, 4, &p, &n);
        if (plan_family == is_zeros(p, n, 8))
            say(cx, RK_R_COND_HOSOKU_DATE, 4, p, n,
                plan_family ? RK_JA_EN("計画の作成（変更）日", "the plan's 作成（変更）日")
                            : RK_JA_EN("第6表/第7表と送るときは00000000", "00000000 with 第6表/第7表"));
        rk_item(buf, rec, 63, &p, &n);
        if (!(n == 6 && memcmp(p, ff->name_month, 6) == 0))
            say(cx, RK_R_COND_HOSOKU_MONTH, 63, p, n, ff->name_month);
    }
}

void rk_check_record(const rk_file_facts *ff, const unsigned char *buf, const rk_record *rec, rk_rec_cache *cache,
                     rk_emit_fn emit, void *ctx)
{
    const rk_layout *L = ff->layout;
    if (rec->nfields != L->nfields)
        return; /* items would be shifted; RK-CSV-006 says why */
    rec_judge c = {buf, rec, cache, emit, ctx, 0};
    const unsigned char *month = NULL, *p;
    size_t n;
    uint64_t len = rec->end - rec->offset;
    uint64_t eq = rk_same_items(cache, L, buf, rec, len);
    unsigned nf = L->nfields;
    uint64_t all = nf >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << nf) - 1;
    if (cache->fast_layout != L)
        fast_setup(cache, L);
    uint64_t empty = 0, ok = 0; /* items known to be empty, items that passed (from the mask pass) */
    uint64_t many = ~(eq & cache->prev_clean) & all & cache->fast_any; /* a span of RK_FAST_MIN items, then a count */
    if (cache->fast_on && many && 63 - __builtin_clzll(many) - __builtin_ctzll(many) >= RK_FAST_MIN - 1 &&
        bits_set(many) >= RK_FAST_MIN) {
        uint64_t at_prev;
        ok = cache->mask_pass(cache, buf + rec->offset, len, nf, &empty, &at_prev);
        eq |= cache->prev_layout == L ? at_prev : 0;
        cache->mask_records++;
    }
    if (L->month_field) {
        rk_item(buf, rec, L->month_field, &p, &n);
        /* the bytes of the record before are the month it had */
        int ok_m = L->month_field <= 64 && ((eq >> (L->month_field - 1u)) & 1u) ? cache->prev_month_ok : month_ok(p, n);
        month = ok_m ? p : NULL; /* an invalid month is RK-REC-006 alone */
    }
    /* 日割対象日 is judged against the month too. */
    if (L->month_field && !((eq >> (L->month_field - 1u)) & 1u))
        eq &= ~cache->hiwari;
    uint64_t clean = (eq & cache->prev_clean) | ok;
    uint64_t unchecked = ~clean & all;
    while (unchecked) {
        unsigned i = (unsigned)__builtin_ctzll(unchecked);
        unchecked &= unchecked - 1;
        if (quick_ok(&L->fields[i], buf, &rec->fields[i], rec->offset + len) ||
            rk_cache_has_raw(cache, i, buf, &rec->fields[i], rec->offset + len)) {
            clean |= (uint64_t)1 << i;
            continue;
        }
        unsigned before = c.said;
        check_item(&c, &L->fields[i], month);
        if (c.said == before)
            clean |= (uint64_t)1 << i;
    }
    for (unsigned i = 64; i < nf; i++)
        check_item(&c, &L->fields[i], month);
    /* The rules between items below read only cond_items: where those are
     * the bytes of the record before, which passed them, they pass again. */
    int same_rules = cache->prev_layout == L && cache->cond_quiet && cache->cond_items != ~(uint64_t)0 &&
                     (eq & cache->cond_items) == cache->cond_items;
    keep_prev(cache, L, buf, rec, len, clean);
    cache->prev_month_ok = month != NULL;

    /* サービス利用日 lies in 対象年月 (a date that passed its item check needs no second look). */
    if (L->use_date_field && month) {
        rk_item(buf, rec, L->use_date_field, &p, &n);
        int passed = L->use_date_field <= 64 && ((clean >> (L->use_date_field - 1u)) & 1u);
        if ((passed || date_ok(p, n)) && memcmp(p, month, 6) != 0)
            say(&c, RK_R_FILE_USE_DATE, L->use_date_field, p, n, NULL);
    }
    if (!same_rules) {
        unsigned before = c.said;
        cond_rules(&c, ff, month, empty);
        cache->cond_quiet = c.said == before;
    }
}
