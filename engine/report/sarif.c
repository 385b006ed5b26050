/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The report as SARIF 2.1.0 (OASIS Static Analysis Results Interchange
 * Format), for code-scanning tools and editors: one run, the whole rule
 * catalog as the driver's rules (Japanese and English text), one result per
 * finding kept, placed by artifact, line and byte offset.
 */
#include <stdio.h>
#include <string.h>

#include "../common/json.h"
#include "report.h"

static const char *level(rk_severity s)
{
    return s == RK_SEV_ERROR ? "error" : s == RK_SEV_WARNING ? "warning" : "note";
}

/* A path as a URI reference: bytes outside RFC 3986's unreserved set and '/' percent-encoded. */
static void uri(rk_json *w, const char *path)
{
    char buf[4096];
    size_t n = 0;
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)path; *p && n + 4 < sizeof buf; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
            buf[n++] = (char)*p;
        else {
            buf[n++] = '%';
            buf[n++] = hex[*p >> 4];
            buf[n++] = hex[*p & 15];
        }
    }
    rk_json_strn(w, buf, n);
}

static void text(rk_json *w, const char *key, const char *s)
{
    rk_json_key(w, key);
    rk_json_object(w);
    rk_json_kstr(w, "text", s);
    rk_json_end(w);
}

static void rules(rk_json *w, rk_lang lang)
{
    rk_json_key(w, "rules");
    rk_json_array(w);
    for (size_t i = 0; i < rk_rule_count(); i++) {
        const rk_rule *r = rk_rule_at(i);
        rk_json_object(w);
        rk_json_kstr(w, "id", r->id);
        text(w, "shortDescription", lang == RK_LANG_JA ? r->ja : r->en);
        text(w, "fullDescription", lang == RK_LANG_JA ? r->en : r->ja);
        text(w, "help", r->spec);
        rk_json_key(w, "defaultConfiguration");
        rk_json_object(w);
        rk_json_kstr(w, "level", level(r->severity));
        rk_json_end(w);
        rk_json_key(w, "properties");
        rk_json_object(w);
        rk_json_kstr(w, "message_ja", r->ja);
        rk_json_kstr(w, "message_en", r->en);
        rk_json_kstr(w, "spec", r->spec);
        rk_json_end(w);
        rk_json_end(w);
    }
    rk_json_end(w);
}

static void result(rk_json *w, const rk_file_result *fr, size_t artifact, const rk_finding *f, rk_lang lang)
{
    char msg[1024];
    const char *m = lang == RK_LANG_JA ? f->rule->ja : f->rule->en;
    const char *value = rk_finding_value(f, lang), *expected = rk_finding_expected(f, lang);
    if (value && expected)
        snprintf(msg, sizeof msg, "%s (%s %s, %s %s)", m, lang == RK_LANG_JA ? "値" : "found", value,
                 lang == RK_LANG_JA ? "期待" : "expected", expected);
    else if (value)
        snprintf(msg, sizeof msg, "%s (%s %s)", m, lang == RK_LANG_JA ? "値" : "found", value);
    else if (expected)
        snprintf(msg, sizeof msg, "%s (%s %s)", m, lang == RK_LANG_JA ? "期待" : "expected", expected);
    else
        snprintf(msg, sizeof msg, "%s", m);
    rk_json_object(w);
    rk_json_kstr(w, "ruleId", f->rule->id);
    rk_json_ku64(w, "ruleIndex", (uint64_t)(f->rule - rk_rule_at(0)));
    rk_json_kstr(w, "level", level(f->rule->severity));
    text(w, "message", msg);
    rk_json_key(w, "locations");
    rk_json_array(w);
    rk_json_object(w);
    rk_json_key(w, "physicalLocation");
    rk_json_object(w);
    rk_json_key(w, "artifactLocation");
    rk_json_object(w);
    rk_json_key(w, "uri");
    uri(w, fr->path);
    rk_json_ku64(w, "index", artifact);
    rk_json_end(w);
    rk_json_key(w, "region"); /* a finding on the file as a whole is anchored at its start */
    rk_json_object(w);
    rk_json_ku64(w, "startLine", f->line ? f->line : 1);
    rk_json_ku64(w, "byteOffset", f->byte_offset);
    rk_json_end(w);
    rk_json_end(w);
    rk_json_end(w);
    rk_json_end(w);
    rk_json_key(w, "properties");
    rk_json_object(w);
    rk_json_key(w, "record");
    rk_json_u64_or_null(w, f->record);
    rk_json_key(w, "field");
    rk_json_u64_or_null(w, f->field);
    rk_json_kstr(w, "field_name", f->field_name);
    rk_json_kstr(w, "value", value);
    rk_json_kstr(w, "expected", expected);
    rk_json_end(w);
    rk_json_end(w);
}

rk_status rk_report_write_sarif(const rk_report *r, rk_lang lang, FILE *out)
{
    rk_json w;
    rk_json_init(&w, out);
    size_t n = rk_report_nfiles(r);
    rk_json_object(&w);
    rk_json_kstr(&w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    rk_json_kstr(&w, "version", "2.1.0");
    rk_json_key(&w, "runs");
    rk_json_array(&w);
    rk_json_object(&w);
    rk_json_key(&w, "tool");
    rk_json_object(&w);
    rk_json_key(&w, "driver");
    rk_json_object(&w);
    rk_json_kstr(&w, "name", "renkei");
    rk_json_kstr(&w, "version", rk_version());
    rk_json_kstr(&w, "semanticVersion", rk_version());
    rk_json_kstr(&w, "language", lang == RK_LANG_JA ? "ja" : "en");
    rules(&w, lang);
    rk_json_end(&w);
    rk_json_end(&w);
    rk_json_key(&w, "artifacts");
    rk_json_array(&w);
    for (size_t i = 0; i < n; i++) {
        const rk_file_result *fr = rk_report_file(r, i);
        rk_json_object(&w);
        rk_json_key(&w, "location");
        rk_json_object(&w);
        rk_json_key(&w, "uri");
        uri(&w, fr->path);
        rk_json_end(&w);
        rk_json_ku64(&w, "length", fr->bytes);
        rk_json_kstr(&w, "encoding", "Shift_JIS");
        rk_json_end(&w);
    }
    rk_json_end(&w);
    rk_json_key(&w, "results");
    rk_json_array(&w);
    for (size_t i = 0; i < n; i++) {
        const rk_file_result *fr = rk_report_file(r, i);
        for (size_t k = 0; k < fr->nfindings; k++)
            result(&w, fr, i, &fr->findings[k], lang);
    }
    rk_json_end(&w);
    rk_json_end(&w);
    rk_json_end(&w);
    rk_json_end(&w);
    rk_json_line(&w);
    return ferror(out) ? RK_ERR_IO : RK_OK;
}
