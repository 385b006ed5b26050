/*
 * Report writers: text, JSON Lines and JSON renderings of one findings model.
 * They only format what the report holds; they never decide what is wrong.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "renkei.h"

#define RK_SCHEMA "renkei.findings"
#define RK_SCHEMA_VERSION 1

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
    if (n < len)
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

void rk_json_string(FILE *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', out);
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c == '"' || c == '\\') {
            fputc('\\', out);
            fputc((int)c, out);
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            switch (c) {
            case '\n': fputs("\\n", out); break;
            case '\r': fputs("\\r", out); break;
            case '\t': fputs("\\t", out); break;
            default: fprintf(out, "\\u%04x", c); break;
            }
            i++;
        } else if (c < 0x80) {
            fputc((int)c, out);
            i++;
        } else {
            size_t len = utf8_len(p + i, n - i);
            if (len) {
                fwrite(p + i, 1, len, out);
                i += len;
            } else {
                fputs("\\ufffd", out);
                i++;
            }
        }
    }
    fputc('"', out);
}

static void json_str_or_null(FILE *out, const char *s)
{
    if (s)
        rk_json_string(out, s, strlen(s));
    else
        fputs("null", out);
}

static void json_u64_or_null(FILE *out, uint64_t v)
{
    if (v)
        fprintf(out, "%" PRIu64, v);
    else
        fputs("null", out);
}

static void json_finding(FILE *out, const rk_file_result *fr, const rk_finding *f)
{
    fputs("{\"type\":\"finding\",\"rule\":", out);
    json_str_or_null(out, f->rule->id);
    fprintf(out, ",\"severity\":\"%s\",\"file\":", rk_severity_name(f->rule->severity));
    json_str_or_null(out, fr->path);
    fputs(",\"record\":", out);
    json_u64_or_null(out, f->record);
    fputs(",\"line\":", out);
    json_u64_or_null(out, f->line);
    fputs(",\"field\":", out);
    json_u64_or_null(out, f->field);
    fputs(",\"field_name\":", out);
    json_str_or_null(out, f->field_name);
    fprintf(out, ",\"byte_offset\":%" PRIu64 ",\"value\":", f->byte_offset);
    json_str_or_null(out, f->value);
    fputs(",\"expected\":", out);
    json_str_or_null(out, f->expected);
    fputs(",\"message\":", out);
    json_str_or_null(out, f->rule->ja);
    fputs(",\"message_en\":", out);
    json_str_or_null(out, f->rule->en);
    fputs("}", out);
}

static void json_file(FILE *out, const rk_file_result *fr)
{
    fputs("{\"type\":\"file\",\"file\":", out);
    json_str_or_null(out, fr->path);
    fputs(",\"kind\":", out);
    json_str_or_null(out, fr->kind);
    fputs(",\"csv_version\":", out);
    json_str_or_null(out, fr->csv_version);
    fprintf(out,
            ",\"bytes\":%" PRIu64 ",\"records\":%" PRIu64 ",\"lines\":%" PRIu64 ",\"errors\":%" PRIu64
            ",\"warnings\":%" PRIu64 ",\"infos\":%" PRIu64 ",\"findings_shown\":%zu}",
            fr->bytes, fr->records, fr->lines, fr->counts[RK_SEV_ERROR], fr->counts[RK_SEV_WARNING],
            fr->counts[RK_SEV_INFO], fr->nfindings);
}

static void json_summary(FILE *out, const rk_report *r)
{
    uint64_t c[3], records, bytes;
    rk_report_totals(r, c, &records, &bytes);
    fprintf(out,
            "{\"type\":\"summary\",\"files\":%zu,\"records\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"errors\":%" PRIu64
            ",\"warnings\":%" PRIu64 ",\"infos\":%" PRIu64 "}",
            rk_report_nfiles(r), records, bytes, c[RK_SEV_ERROR], c[RK_SEV_WARNING], c[RK_SEV_INFO]);
}

static void json_header(FILE *out)
{
    fprintf(out, "\"schema\":\"%s\",\"version\":%d,\"tool\":{\"name\":\"renkei\",\"version\":\"%s\"}", RK_SCHEMA,
            RK_SCHEMA_VERSION, rk_version());
}

static const char *sev_ja(rk_severity s)
{
    return s == RK_SEV_ERROR ? "エラー" : s == RK_SEV_WARNING ? "警告" : "情報";
}

/* A value on one line: control characters shown as \r, \n, \t or \xNN. */
static void text_value(FILE *out, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\r')
            fputs("\\r", out);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c < 0x20 || c == 0x7F)
            fprintf(out, "\\x%02X", c);
        else
            fputc(c, out);
    }
}

static void text_finding(FILE *out, const rk_file_result *fr, const rk_finding *f, rk_lang lang)
{
    fputs(fr->path, out);
    if (f->line)
        fprintf(out, ":%" PRIu64, f->line);
    if (f->field)
        fprintf(out, ":%" PRIu32, f->field);
    fprintf(out, ": %s %s: %s", lang == RK_LANG_JA ? sev_ja(f->rule->severity) : rk_severity_name(f->rule->severity),
            f->rule->id, lang == RK_LANG_JA ? f->rule->ja : f->rule->en);
    if (f->field_name)
        fprintf(out, ": %s", f->field_name);
    if (f->value || f->expected) {
        fputs(" (", out);
        if (f->value) {
            fputs(lang == RK_LANG_JA ? "値 " : "found ", out);
            text_value(out, f->value);
        }
        if (f->value && f->expected)
            fputs(", ", out);
        if (f->expected) {
            fputs(lang == RK_LANG_JA ? "期待 " : "expected ", out);
            text_value(out, f->expected);
        }
        fputs(")", out);
    }
    if (f->record)
        fprintf(out,
                lang == RK_LANG_JA ? " [レコード %" PRIu64 ", バイト %" PRIu64 "]"
                                   : " [record %" PRIu64 ", byte %" PRIu64 "]",
                f->record, f->byte_offset);
    fputc('\n', out);
}

static void text_report(const rk_report *r, rk_lang lang, FILE *out)
{
    size_t n = rk_report_nfiles(r);
    for (size_t i = 0; i < n; i++) {
        const rk_file_result *fr = rk_report_file(r, i);
        for (size_t k = 0; k < fr->nfindings; k++)
            text_finding(out, fr, &fr->findings[k], lang);
        uint64_t total = fr->counts[0] + fr->counts[1] + fr->counts[2];
        if (total > fr->nfindings)
            fprintf(out,
                    lang == RK_LANG_JA ? "%s: 他 %" PRIu64 " 件の指摘は省略しました (--max-per-rule)\n"
                                       : "%s: %" PRIu64 " more findings not shown (--max-per-rule)\n",
                    fr->path, total - fr->nfindings);
    }
    if (n)
        fputc('\n', out);
    if (lang == RK_LANG_JA)
        fputs("種別          版          レコード       バイト エラー   警告  ファイル\n", out);
    else
        fprintf(out, "%-13s %-8s %10s %12s %6s %6s  %s\n", "kind", "version", "records", "bytes", "errors", "warn",
                "file");
    for (size_t i = 0; i < n; i++) {
        const rk_file_result *fr = rk_report_file(r, i);
        fprintf(out, "%-13s %-8s %10" PRIu64 " %12" PRIu64 " %6" PRIu64 " %6" PRIu64 "  %s\n",
                fr->kind ? fr->kind : "?", fr->csv_version ? fr->csv_version : "-", fr->records, fr->bytes,
                fr->counts[RK_SEV_ERROR], fr->counts[RK_SEV_WARNING], fr->path);
    }
    uint64_t c[3], records, bytes;
    rk_report_totals(r, c, &records, &bytes);
    if (lang == RK_LANG_JA)
        fprintf(out,
                "\n%zu ファイル, %" PRIu64 " レコード, %" PRIu64 " バイト: エラー %" PRIu64 " 件, 警告 %" PRIu64
                " 件\n",
                n, records, bytes, c[RK_SEV_ERROR], c[RK_SEV_WARNING]);
    else
        fprintf(out, "\n%zu files, %" PRIu64 " records, %" PRIu64 " bytes: %" PRIu64 " errors, %" PRIu64 " warnings\n",
                n, records, bytes, c[RK_SEV_ERROR], c[RK_SEV_WARNING]);
}

rk_status rk_report_write(const rk_report *r, rk_format fmt, rk_lang lang, FILE *out)
{
    if (!r || !out)
        return RK_ERR_ARG;
    size_t n = rk_report_nfiles(r);
    switch (fmt) {
    case RK_FMT_TEXT: text_report(r, lang, out); break;
    case RK_FMT_JSONL:
        fputs("{\"type\":\"header\",", out);
        json_header(out);
        fputs("}\n", out);
        for (size_t i = 0; i < n; i++) {
            const rk_file_result *fr = rk_report_file(r, i);
            for (size_t k = 0; k < fr->nfindings; k++) {
                json_finding(out, fr, &fr->findings[k]);
                fputc('\n', out);
            }
            json_file(out, fr);
            fputc('\n', out);
        }
        json_summary(out, r);
        fputc('\n', out);
        break;
    case RK_FMT_JSON:
        fputc('{', out);
        json_header(out);
        fputs(",\"files\":[", out);
        for (size_t i = 0; i < n; i++) {
            if (i)
                fputc(',', out);
            json_file(out, rk_report_file(r, i));
        }
        fputs("],\"findings\":[", out);
        int first = 1;
        for (size_t i = 0; i < n; i++) {
            const rk_file_result *fr = rk_report_file(r, i);
            for (size_t k = 0; k < fr->nfindings; k++) {
                if (!first)
                    fputc(',', out);
                first = 0;
                json_finding(out, fr, &fr->findings[k]);
            }
        }
        fputs("],\"summary\":", out);
        json_summary(out, r);
        fputs("}\n", out);
        break;
    default: return RK_ERR_ARG;
    }
    return ferror(out) ? RK_ERR_IO : RK_OK;
}
