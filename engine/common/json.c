/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The JSON writer (json.h).
 */
#include "json.h"

#include <inttypes.h>
#include <string.h>

#include "renkei.h"

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned b = s[0];
    size_t len;
    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF)
        len = 2;
    else if (b >= 0xE0 && b <= 0xEF)
        len = 3;
    else if (b >= 0xF0 && b <= 0xF4)
        len = 4;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t k = 1; k < len; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    if (b == 0xE0 && s[1] < 0xA0)
        return 0;
    if (b == 0xED && s[1] >= 0xA0)
        return 0;
    if (b == 0xF0 && s[1] < 0x90)
        return 0;
    if (b == 0xF4 && s[1] >= 0x90)
        return 0;
    return len;
}

void rk_json_write_string(FILE *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', out);
    size_t i = 0, run = 0; /* p[run..i): bytes that go out as they are, in one write */
    while (i < n) {
        unsigned c = p[i];
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            i++;
            continue;
        }
        size_t len = c >= 0x80 ? utf8_len(p + i, n - i) : 0;
        if (len) {
            i += len;
            continue;
        }
        fwrite(p + run, 1, i - run, out);
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (c < 0x80)
                fprintf(out, "\\u%04x", c);
            else
                fputs("\\ufffd", out); /* not UTF-8 */
            break;
        }
        run = ++i;
    }
    fwrite(p + run, 1, i - run, out);
    fputc('"', out);
}

/* The public escape (renkei.h). */
void rk_json_string(FILE *out, const char *s, size_t n)
{
    rk_json_write_string(out, s, n);
}

void rk_json_init(rk_json *w, FILE *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
}

/* Before a value: the comma after a sibling, none after a key. */
static void value_start(rk_json *w)
{
    if (w->after_key)
        w->after_key = 0;
    else if (w->has_items[w->depth])
        fputc(',', w->out);
    w->has_items[w->depth] = 1;
}

static void open(rk_json *w, char c, char closer)
{
    value_start(w);
    fputc(c, w->out);
    if (w->depth < RK_JSON_DEPTH)
        w->depth++;
    w->has_items[w->depth] = 0;
    w->closer[w->depth] = closer;
}

void rk_json_object(rk_json *w)
{
    open(w, '{', '}');
}

void rk_json_array(rk_json *w)
{
    open(w, '[', ']');
}

void rk_json_end(rk_json *w)
{
    if (!w->depth)
        return;
    fputc(w->closer[w->depth], w->out);
    w->depth--;
}

void rk_json_line(rk_json *w)
{
    fputc('\n', w->out);
    w->depth = 0;
    w->has_items[0] = 0;
    w->after_key = 0;
}

void rk_json_key(rk_json *w, const char *key)
{
    value_start(w);
    rk_json_write_string(w->out, key, strlen(key));
    fputc(':', w->out);
    w->after_key = 1;
}

void rk_json_strn(rk_json *w, const char *s, size_t n)
{
    value_start(w);
    rk_json_write_string(w->out, s, n);
}

void rk_json_str(rk_json *w, const char *s)
{
    if (s)
        rk_json_strn(w, s, strlen(s));
    else
        rk_json_null(w);
}

void rk_json_u64(rk_json *w, uint64_t v)
{
    value_start(w);
    fprintf(w->out, "%" PRIu64, v);
}

void rk_json_i64(rk_json *w, int64_t v)
{
    value_start(w);
    fprintf(w->out, "%" PRId64, v);
}

void rk_json_raw_next(rk_json *w)
{
    value_start(w);
}

void rk_json_null(rk_json *w)
{
    value_start(w);
    fputs("null", w->out);
}

void rk_json_u64_or_null(rk_json *w, uint64_t v)
{
    if (v)
        rk_json_u64(w, v);
    else
        rk_json_null(w);
}

void rk_json_header(rk_json *w, const char *schema, uint64_t version)
{
    rk_json_kstr(w, "schema", schema);
    rk_json_ku64(w, "version", version);
    rk_json_key(w, "tool");
    rk_json_object(w);
    rk_json_kstr(w, "name", "renkei");
    rk_json_kstr(w, "version", rk_version());
    rk_json_end(w);
}

void rk_json_kstr(rk_json *w, const char *key, const char *s)
{
    rk_json_key(w, key);
    rk_json_str(w, s);
}

void rk_json_ku64(rk_json *w, const char *key, uint64_t v)
{
    rk_json_key(w, key);
    rk_json_u64(w, v);
}

void rk_json_ki64(rk_json *w, const char *key, int64_t v)
{
    rk_json_key(w, key);
    rk_json_i64(w, v);
}
