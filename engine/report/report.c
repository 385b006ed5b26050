/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Report writers: text, JSON Lines and JSON renderings of one findings model.
 * They only format what the report holds; they never decide what is wrong.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/json.h"
#include "../common/text.h"
#include "report.h"

#define RK_SCHEMA "renkei.findings"
#define RK_SCHEMA_VERSION 1

static void json_finding(rk_json *w, const rk_file_result *fr, const rk_finding *f)
{
    rk_json_object(w);
    rk_json_kstr(w, "type", "finding");
    rk_json_kstr(w, "rule", f->rule->id);
    rk_json_kstr(w, "severity", rk_severity_name(f->rule->severity));
    rk_json_kstr(w, "file", fr->path);
    rk_json_key(w, "record");
    rk_json_u64_or_null(w, f->record);
    rk_json_key(w, "line");
    rk_json_u64_or_null(w, f->line);
    rk_json_key(w, "field");
    rk_json_u64_or_null(w, f->field);
    rk_json_kstr(w, "field_name", f->field_name);
    rk_json_ku64(w, "byte_offset", f->byte_offset);
    rk_json_kstr(w, "value", f->value);
    rk_json_kstr(w, "expected", f->expected);
    if (f->value_en && f->value_en != f->value) /* only where the English differs */
        rk_json_kstr(w, "value_en", f->value_en);
    if (f->expected_en && f->expected_en != f->expected)
        rk_json_kstr(w, "expected_en", f->expected_en);
    rk_json_kstr(w, "message", f->rule->ja);
    rk_json_kstr(w, "message_en", f->rule->en);
    rk_json_end(w);
}

static void json_file(rk_json *w, const rk_file_result *fr)
{
    rk_json_object(w);
    rk_json_kstr(w, "type", "file");
    rk_json_kstr(w, "file", fr->path);
    rk_json_kstr(w, "kind", fr->kind);
    rk_json_kstr(w, "csv_version", fr->csv_version);
    rk_json_ku64(w, "bytes", fr->bytes);
    rk_json_ku64(w, "records", fr->records);
    rk_json_ku64(w, "lines", fr->lines);
    rk_json_ku64(w, "errors", fr->counts[RK_SEV_ERROR]);
    rk_json_ku64(w, "warnings", fr->counts[RK_SEV_WARNING]);
    rk_json_ku64(w, "infos", fr->counts[RK_SEV_INFO]);
    rk_json_ku64(w, "findings_shown", fr->nfindings);
    rk_json_end(w);
}

static void json_summary(rk_json *w, const rk_report *r)
{
    uint64_t c[3], records, bytes;
    rk_report_totals(r, c, &records, &bytes);
    rk_json_object(w);
    rk_json_kstr(w, "type", "summary");
    rk_json_ku64(w, "files", rk_report_nfiles(r));
    rk_json_ku64(w, "records", records);
    rk_json_ku64(w, "bytes", bytes);
    rk_json_ku64(w, "errors", c[RK_SEV_ERROR]);
    rk_json_ku64(w, "warnings", c[RK_SEV_WARNING]);
    rk_json_ku64(w, "infos", c[RK_SEV_INFO]);
    rk_json_end(w);
}

/* The rules with findings and their counts over every file (kept or not), in catalog order. */
static void json_rule_counts(rk_json *w, const rk_report *r, int lines)
{
    size_t nr = rk_rule_count();
    uint64_t *c = calloc(nr, sizeof *c);
    if (!c)
        return; /* the counts are a summary of what the writer has shown in full */
    rk_report_rule_counts(r, c);
    for (size_t k = 0; k < nr; k++) {
        if (!c[k])
            continue;
        const rk_rule *rule = rk_rule_at(k);
        rk_json_object(w);
        if (lines)
            rk_json_kstr(w, "type", "rule_count");
        rk_json_kstr(w, "rule", rule->id);
        rk_json_kstr(w, "severity", rk_severity_name(rule->severity));
        rk_json_ku64(w, "count", c[k]);
        rk_json_kstr(w, "message", rule->ja);
        rk_json_kstr(w, "message_en", rule->en);
        rk_json_end(w);
        if (lines)
            rk_json_line(w);
    }
    free(c);
}

static const char *sev_ja(rk_severity s);

static void text_rule_counts(const rk_report *r, rk_lang lang, FILE *out)
{
    size_t nr = rk_rule_count();
    uint64_t *c = calloc(nr, sizeof *c);
    if (!c)
        return;
    rk_report_rule_counts(r, c);
    int any = 0;
    for (size_t k = 0; k < nr; k++) {
        if (!c[k])
            continue;
        const rk_rule *rule = rk_rule_at(k);
        if (!any)
            fputs(lang == RK_LANG_JA ? "\n規則別 件数\n" : "\nby rule\n", out);
        any = 1;
        fprintf(out, "%-12s %10" PRIu64 "  %s: %s\n", rule->id, c[k],
                lang == RK_LANG_JA ? sev_ja(rule->severity) : rk_severity_name(rule->severity),
                lang == RK_LANG_JA ? rule->ja : rule->en);
    }
    free(c);
}

/* The members naming the schema and the tool, in the open object. */
static void json_header(rk_json *w)
{
    rk_json_header(w, RK_SCHEMA, RK_SCHEMA_VERSION);
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
    const char *value = rk_finding_value(f, lang), *expected = rk_finding_expected(f, lang);
    if (value || expected) {
        fputs(" (", out);
        if (value) {
            fputs(lang == RK_LANG_JA ? "値 " : "found ", out);
            text_value(out, value);
        }
        if (value && expected)
            fputs(", ", out);
        if (expected) {
            fputs(lang == RK_LANG_JA ? "期待 " : "expected ", out);
            text_value(out, expected);
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

/* The form compilers use, which editors and CI problem matchers parse:
 * FILE:LINE: SEVERITY: MESSAGE (ITEM; found ..., expected ...) [RULE], the
 * severity always in English; a finding on the whole file has no line. */
static void gnu_report(const rk_report *r, rk_lang lang, FILE *out)
{
    for (size_t i = 0; i < rk_report_nfiles(r); i++) {
        const rk_file_result *fr = rk_report_file(r, i);
        for (size_t k = 0; k < fr->nfindings; k++) {
            const rk_finding *f = &fr->findings[k];
            fputs(fr->path, out);
            if (f->line)
                fprintf(out, ":%" PRIu64, f->line);
            fprintf(out, ": %s: %s", f->rule->severity == RK_SEV_INFO ? "note" : rk_severity_name(f->rule->severity),
                    lang == RK_LANG_JA ? f->rule->ja : f->rule->en);
            const char *value = rk_finding_value(f, lang), *expected = rk_finding_expected(f, lang);
            if (f->field || value || expected) {
                fputs(" (", out);
                if (f->field)
                    fprintf(out, "%s%" PRIu32 "%s%s", lang == RK_LANG_JA ? "項目 " : "item ", f->field,
                            f->field_name ? " " : "", f->field_name ? f->field_name : "");
                if (value) {
                    fputs(f->field ? "; " : "", out);
                    fputs(lang == RK_LANG_JA ? "値 " : "found ", out);
                    text_value(out, value);
                }
                if (expected) {
                    fputs(f->field || value ? ", " : "", out);
                    fputs(lang == RK_LANG_JA ? "期待 " : "expected ", out);
                    text_value(out, expected);
                }
                fputs(")", out);
            }
            fprintf(out, " [%s]\n", f->rule->id);
        }
    }
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
    /* the columns by display width, every cell from the data escaped */
    const char *head[2][7] = {{"kind", "version", "records", "bytes", "errors", "warn", "file"},
                              {"種別", "版", "レコード", "バイト", "エラー", "警告", "ファイル"}};
    const char *const *h = head[lang == RK_LANG_JA];
    rk_text_pad(out, h[0], 13);
    fputc(' ', out);
    rk_text_pad(out, h[1], 8);
    static const size_t w[6] = {0, 0, 10, 12, 6, 6};
    for (int k = 2; k < 6; k++) {
        fputc(' ', out);
        rk_text_rpad(out, h[k], w[k]);
    }
    fputs("  ", out);
    fputs(h[6], out);
    fputc('\n', out);
    for (size_t i = 0; i < n; i++) {
        const rk_file_result *fr = rk_report_file(r, i);
        rk_text_pad(out, fr->kind ? fr->kind : "?", 13);
        fputc(' ', out);
        rk_text_pad(out, fr->csv_version ? fr->csv_version : "-", 8);
        fprintf(out, " %10" PRIu64 " %12" PRIu64 " %6" PRIu64 " %6" PRIu64 "  ", fr->records, fr->bytes,
                fr->counts[RK_SEV_ERROR], fr->counts[RK_SEV_WARNING]);
        rk_text_cell(out, fr->path);
        fputc('\n', out);
    }
    text_rule_counts(r, lang, out);
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
    rk_json w;
    rk_json_init(&w, out);
    switch (fmt) {
    case RK_FMT_TEXT: text_report(r, lang, out); break;
    case RK_FMT_SARIF: return rk_report_write_sarif(r, lang, out);
    case RK_FMT_GNU: gnu_report(r, lang, out); break;
    case RK_FMT_JSONL:
        rk_json_object(&w);
        rk_json_kstr(&w, "type", "header");
        json_header(&w);
        rk_json_end(&w);
        rk_json_line(&w);
        for (size_t i = 0; i < n; i++) {
            const rk_file_result *fr = rk_report_file(r, i);
            for (size_t k = 0; k < fr->nfindings; k++) {
                json_finding(&w, fr, &fr->findings[k]);
                rk_json_line(&w);
            }
            json_file(&w, fr);
            rk_json_line(&w);
        }
        json_rule_counts(&w, r, 1);
        json_summary(&w, r);
        rk_json_line(&w);
        break;
    case RK_FMT_JSON:
        rk_json_object(&w);
        json_header(&w);
        rk_json_key(&w, "files");
        rk_json_array(&w);
        for (size_t i = 0; i < n; i++)
            json_file(&w, rk_report_file(r, i));
        rk_json_end(&w);
        rk_json_key(&w, "findings");
        rk_json_array(&w);
        for (size_t i = 0; i < n; i++) {
            const rk_file_result *fr = rk_report_file(r, i);
            for (size_t k = 0; k < fr->nfindings; k++)
                json_finding(&w, fr, &fr->findings[k]);
        }
        rk_json_end(&w);
        rk_json_key(&w, "by_rule");
        rk_json_array(&w);
        json_rule_counts(&w, r, 0);
        rk_json_end(&w);
        rk_json_key(&w, "summary");
        json_summary(&w, r);
        rk_json_end(&w);
        rk_json_line(&w);
        break;
    default: return RK_ERR_ARG;
    }
    return ferror(out) ? RK_ERR_IO : RK_OK;
}

/* One rule as a JSON object. */
static void json_rule(rk_json *w, const rk_rule *r)
{
    rk_json_object(w);
    rk_json_kstr(w, "id", r->id);
    rk_json_kstr(w, "severity", rk_severity_name(r->severity));
    rk_json_kstr(w, "message", r->ja);
    rk_json_kstr(w, "message_en", r->en);
    rk_json_kstr(w, "spec", r->spec);
    rk_json_end(w);
}

rk_status rk_rules_write(rk_format fmt, FILE *out)
{
    if (!out)
        return RK_ERR_ARG;
    size_t n = rk_rule_count();
    rk_json w;
    rk_json_init(&w, out);
    switch (fmt) {
    case RK_FMT_TEXT:
        for (size_t i = 0; i < n; i++) {
            const rk_rule *r = rk_rule_at(i);
            fprintf(out, "%-12s %-8s %s\n%-21s %s\n%-21s [%s]\n", r->id, rk_severity_name(r->severity), r->en, "",
                    r->ja, "", r->spec);
        }
        break;
    case RK_FMT_JSONL:
        for (size_t i = 0; i < n; i++) {
            json_rule(&w, rk_rule_at(i));
            rk_json_line(&w);
        }
        break;
    case RK_FMT_JSON:
        rk_json_object(&w);
        rk_json_kstr(&w, "schema", "renkei.rules");
        rk_json_ku64(&w, "version", 1);
        rk_json_key(&w, "rules");
        rk_json_array(&w);
        for (size_t i = 0; i < n; i++)
            json_rule(&w, rk_rule_at(i));
        rk_json_end(&w);
        rk_json_end(&w);
        rk_json_line(&w);
        break;
    default: return RK_ERR_ARG;
    }
    return ferror(out) ? RK_ERR_IO : RK_OK;
}
