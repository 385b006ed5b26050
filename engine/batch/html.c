/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.html of `renkei batch`: one self-contained page, no script and no
 * network (inline CSS, inline SVG): the month's totals, plan against actual
 * by service type as a chart, the offices with bars, the findings grouped by
 * rule with counts and the first examples, and a section per office.
 */
#include <stdio.h>
#include <string.h>

#include "batch.h"

#define RK_EXAMPLES 3      /* examples shown per rule */
#define RK_OFFICE_SHOWN 20 /* findings shown per office section */

typedef struct text {
    const char *ja, *en;
} text;

static const char *tr(const bt_month *m, text t)
{
    return m->o->lang == RK_LANG_JA ? t.ja : t.en;
}

/* Text of the data: &, <, >, " and ' escaped. */
static void esc(FILE *out, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out);
        }
}

static const char style[] =
    "body{font-family:'Noto Sans CJK JP','Hiragino Sans',Meiryo,sans-serif;margin:2em;color:#222;max-width:72em}"
    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}"
    "table{border-collapse:collapse;margin:.5em 0}th,td{padding:.2em .6em;border-bottom:1px solid #eee;"
    "text-align:right;vertical-align:top}th{background:#f4f4f4;white-space:nowrap}td.l,th.l{text-align:left}"
    "td.rule{white-space:nowrap}"
    ".cards{display:flex;flex-wrap:wrap;gap:.8em}.card{border:1px solid #ddd;border-radius:.4em;padding:.5em 1em}"
    ".card b{display:block;font-size:1.4em}.bar{display:inline-block;height:.8em;background:#c0392b}"
    ".warn{background:#e67e22}.error{color:#c0392b}.warning{color:#d35400}.info{color:#555}"
    "code{font-size:.9em}section{margin-top:1.5em}";

static void card(FILE *out, const char *label, long long v)
{
    fprintf(out, "<div class=\"card\"><b>%lld</b>", v);
    esc(out, label);
    fputs("</div>\n", out);
}

static void totals(const bt_month *m, FILE *out)
{
    const bt_office *a = &m->all;
    fputs("<div class=\"cards\">\n", out);
    card(out, tr(m, (text){"ファイル", "files"}), (long long)a->files);
    card(out, tr(m, (text){"レコード", "records"}), (long long)a->records);
    card(out, tr(m, (text){"エラー", "errors"}), (long long)a->counts[RK_SEV_ERROR]);
    card(out, tr(m, (text){"警告", "warnings"}), (long long)a->counts[RK_SEV_WARNING]);
    card(out, tr(m, (text){"減額見込み(単位)", "predicted cut (units)"}), (long long)a->cut);
    card(out, tr(m, (text){"減額見込み(円)", "predicted cut (yen)"}), (long long)a->cut_yen);
    card(out, tr(m, (text){"保留", "held (保留)"}), (long long)a->held);
    card(out, tr(m, (text){"返戻 12P3", "returned 12P3"}), (long long)a->by_rule[RK_R_CHK_12P3]);
    card(out, tr(m, (text){"返戻 15P6", "returned 15P6"}), (long long)a->by_rule[RK_R_CHK_15P6]);
    fputs("</div>\n", out);
}

/* Planned and actual units by service type: two bars a type, scaled to the largest. */
static void chart(const bt_month *m, FILE *out)
{
    const rk_check_summary *s = m->check;
    int64_t top = 1;
    for (size_t i = 0; i < s->ntype; i++) {
        if (s->type[i].planned_units > top)
            top = s->type[i].planned_units;
        if (s->type[i].actual_units > top)
            top = s->type[i].actual_units;
    }
    const int row = 34, width = 520, left = 60;
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
            left + width + 120, (int)s->ntype * row + 30);
    esc(out, tr(m, (text){"サービス種類別の予定と実績", "plan and actual by service type"}));
    fputs("\">\n", out);
    for (size_t i = 0; i < s->ntype; i++) {
        const rk_check_total *t = &s->type[i];
        int y = (int)i * row + 4;
        int wp = (int)(t->planned_units * width / top), wa = (int)(t->actual_units * width / top);
        fprintf(out, "<text x=\"0\" y=\"%d\" font-size=\"13\">", y + 17);
        esc(out, t->key);
        fprintf(out,
                "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"12\" fill=\"#2e86c1\"/>"
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"12\" fill=\"#28b463\"/>"
                "<text x=\"%d\" y=\"%d\" font-size=\"11\">%lld / %lld</text>\n",
                left, y, wp, left, y + 14, wa, left + (wp > wa ? wp : wa) + 6, y + 18, (long long)t->planned_units,
                (long long)t->actual_units);
    }
    fprintf(out,
            "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"#2e86c1\"/><text x=\"%d\" y=\"%d\" "
            "font-size=\"12\">",
            left, (int)s->ntype * row + 12, left + 14, (int)s->ntype * row + 21);
    esc(out, tr(m, (text){"予定", "planned"}));
    fprintf(out,
            "</text><rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"#28b463\"/><text x=\"%d\" y=\"%d\" "
            "font-size=\"12\">",
            left + 90, (int)s->ntype * row + 12, left + 104, (int)s->ntype * row + 21);
    esc(out, tr(m, (text){"実績", "actual"}));
    fputs("</text></svg>\n", out);
}

static const char *role(const bt_month *m, const bt_office *x)
{
    if (!x->no[0])
        return tr(m, (text){"不明(ファイル名)", "unknown (file name)"});
    return bt_is_care_manager(x) ? tr(m, (text){"居宅介護支援", "care manager"})
                                 : tr(m, (text){"サービス事業所", "provider"});
}

static void offices(const bt_month *m, FILE *out)
{
    uint64_t top = 1;
    for (size_t i = 0; i < m->noffice; i++)
        if (m->office[i].counts[RK_SEV_ERROR] + m->office[i].counts[RK_SEV_WARNING] > top)
            top = m->office[i].counts[RK_SEV_ERROR] + m->office[i].counts[RK_SEV_WARNING];
    fprintf(out,
            "<table><tr><th class=\"l\">%s</th><th class=\"l\">%s</th><th>%s</th><th>%s</th><th>%s</th>"
            "<th>%s</th><th class=\"l\"></th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
            tr(m, (text){"事業所番号", "office"}), tr(m, (text){"種別", "role"}), tr(m, (text){"ファイル", "files"}),
            tr(m, (text){"レコード", "records"}), tr(m, (text){"エラー", "errors"}), tr(m, (text){"警告", "warnings"}),
            tr(m, (text){"減額(単位)", "cut units"}), tr(m, (text){"減額(円)", "cut yen"}),
            tr(m, (text){"保留", "held"}));
    for (size_t i = 0; i < m->noffice; i++) {
        const bt_office *x = &m->office[i];
        const char *no = x->no[0] ? x->no : "unknown";
        fprintf(out, "<tr><td class=\"l\"><a href=\"#o-%s\">%s</a></td><td class=\"l\">", no, no);
        esc(out, role(m, x));
        unsigned we = (unsigned)(x->counts[RK_SEV_ERROR] * 200 / top),
                 ww = (unsigned)(x->counts[RK_SEV_WARNING] * 200 / top);
        fprintf(out,
                "</td><td>%llu</td><td>%llu</td><td class=\"error\">%llu</td><td class=\"warning\">%llu</td>"
                "<td class=\"l\"><span class=\"bar\" style=\"width:%upx\"></span><span class=\"bar warn\" "
                "style=\"width:%upx\"></span></td><td>%lld</td><td>%lld</td><td>%llu</td></tr>\n",
                (unsigned long long)x->files, (unsigned long long)x->records,
                (unsigned long long)x->counts[RK_SEV_ERROR], (unsigned long long)x->counts[RK_SEV_WARNING], we, ww,
                (long long)x->cut, (long long)x->cut_yen, (unsigned long long)x->held);
    }
    fputs("</table>\n", out);
}

static void finding_line(const bt_month *m, FILE *out, const rk_file_result *f, const rk_finding *x)
{
    fputs("<li><code>", out);
    esc(out, f->name);
    fprintf(out, ":%llu", (unsigned long long)x->line);
    if (x->field)
        fprintf(out, ":%u", x->field);
    fputs("</code> <span class=\"", out);
    fputs(rk_severity_name(x->rule->severity), out);
    fputs("\">", out);
    esc(out, x->rule->id);
    fputs("</span> ", out);
    esc(out, m->o->lang == RK_LANG_JA ? x->rule->ja : x->rule->en);
    const char *value = rk_finding_value(x, m->o->lang), *expected = rk_finding_expected(x, m->o->lang);
    if (value) {
        fputs(" <code>", out);
        esc(out, value);
        fputs("</code>", out);
    }
    if (expected) {
        fputs(tr(m, (text){" 期待: ", " expected: "}), out);
        fputs("<code>", out);
        esc(out, expected);
        fputs("</code>", out);
    }
    fputs("</li>\n", out);
}

/* What the exchange saved against paper, by the cost simulator's settings. */
static void cost(const bt_month *m, FILE *out)
{
    const bt_cost *c = &m->cost_all;
    fprintf(out, "<table><tr><th class=\"l\"></th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
            tr(m, (text){"お届け", "by hand"}), tr(m, (text){"郵送", "by mail"}), tr(m, (text){"FAX", "by FAX"}),
            tr(m, (text){"データ連携", "the exchange"}));
    fprintf(out, "<tr><td class=\"l\">%s</td><td>%lld</td><td>%lld</td><td>%lld</td><td>%lld</td></tr>\n",
            tr(m, (text){"費用(円)", "cost (yen)"}), (long long)c->hand, (long long)c->mail, (long long)c->fax,
            (long long)c->exchange);
    fprintf(out, "<tr><td class=\"l\">%s</td><td>%lld</td><td>%lld</td><td>%lld</td><td></td></tr></table>\n",
            tr(m, (text){"データ連携で削減(円)", "saved by the exchange (yen)"}), (long long)(c->hand - c->exchange),
            (long long)(c->mail - c->exchange), (long long)(c->fax - c->exchange));
    fprintf(out, "<p>%s %llu · %s %llu</p>\n<table><tr><th class=\"l\">%s</th><th>%s</th><th class=\"l\"></th></tr>\n",
            tr(m, (text){"利用者(人月)", "users (person-months)"}), (unsigned long long)c->users,
            tr(m, (text){"送付先(延べ事業所)", "offices sent to (summed over users)"}), (unsigned long long)c->offices,
            tr(m, (text){"前提", "assumption"}), tr(m, (text){"値", "value"}));
    for (int k = 0; k < BT_COST_COUNT; k++) {
        fputs("<tr><td class=\"l\"><code>", out);
        esc(out, m->cost[k].key);
        fprintf(out, "</code></td><td>%lld %s</td><td class=\"l\">", (long long)m->cost[k].value, m->cost[k].unit);
        esc(out, m->o->lang == RK_LANG_JA ? m->cost[k].ja : m->cost[k].en);
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

/* What the --offices list and the month's name say is missing or out of place. */
static void out_of_place(const bt_month *m, FILE *out)
{
    if (m->listed) {
        fprintf(out, "<h3>%s</h3><ul>\n",
                tr(m, (text){"送信のない事業所 (一覧にあり)", "Listed offices that sent nothing"}));
        for (size_t i = 0; i < m->nlisted; i++)
            if (!m->listed[i].sent) {
                fputs("<li>", out);
                esc(out, m->listed[i].no);
                fputs(" ", out);
                esc(out, m->listed[i].name);
                fputs("</li>\n", out);
            }
        fprintf(out, "</ul><h3>%s</h3><ul>\n", tr(m, (text){"一覧にない送信元", "Senders not on the list"}));
        for (size_t i = 0; i < m->noffice; i++)
            if (m->office[i].no[0] && !bt_is_listed(m, m->office[i].no)) {
                fputs("<li>", out);
                esc(out, m->office[i].no);
                fputs("</li>\n", out);
            }
        fputs("</ul>\n", out);
    }
    fprintf(out, "<h3>%s</h3><ul>\n", tr(m, (text){"他の月のファイル", "Files of another month"}));
    for (size_t i = 0; i < m->nother; i++) {
        fputs("<li><code>", out);
        esc(out, m->other_month[i]);
        fputs("</code></li>\n", out);
    }
    fputs("</ul>\n", out);
}

/* The rules with findings, each with its count and first examples in file order. */
static void rules(const bt_month *m, FILE *out)
{
    size_t shown[RK_R_COUNT] = {0};
    const rk_rule *first = rk_rule_at(0);
    fprintf(out, "<table><tr><th class=\"l\">%s</th><th class=\"l\">%s</th><th>%s</th><th class=\"l\">%s</th></tr>\n",
            tr(m, (text){"規則", "rule"}), tr(m, (text){"内容", "message"}), tr(m, (text){"件数", "count"}),
            tr(m, (text){"最初の例", "first examples"}));
    for (size_t r = 0; r < RK_R_COUNT; r++) {
        if (!m->all.by_rule[r])
            continue;
        const rk_rule *rule = rk_rule_at(r);
        fprintf(out, "<tr><td class=\"l rule %s\">", rk_severity_name(rule->severity));
        esc(out, rule->id);
        fputs("</td><td class=\"l\">", out);
        esc(out, m->o->lang == RK_LANG_JA ? rule->ja : rule->en);
        fprintf(out, "</td><td>%llu</td><td class=\"l\"><ul>", (unsigned long long)m->all.by_rule[r]);
        for (size_t i = 0; i < rk_report_nfiles(m->merged) && shown[r] < RK_EXAMPLES; i++) {
            const rk_file_result *f = rk_report_file(m->merged, i);
            for (size_t k = 0; k < f->nfindings && shown[r] < RK_EXAMPLES; k++)
                if ((size_t)(f->findings[k].rule - first) == r) {
                    finding_line(m, out, f, &f->findings[k]);
                    shown[r]++;
                }
        }
        fputs("</ul></td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

static void office_sections(const bt_month *m, FILE *out)
{
    for (size_t i = 0; i < m->noffice; i++) {
        const bt_office *x = &m->office[i];
        const char *no = x->no[0] ? x->no : "unknown";
        fprintf(out, "<section id=\"o-%s\"><h3>%s ", no, no);
        esc(out, role(m, x));
        fprintf(out, "</h3><p>%s %llu · %s %llu · %s %llu · %s %llu · <a href=\"offices/%s.txt\">%s</a></p>\n",
                tr(m, (text){"ファイル", "files"}), (unsigned long long)x->files, tr(m, (text){"レコード", "records"}),
                (unsigned long long)x->records, tr(m, (text){"エラー", "errors"}),
                (unsigned long long)x->counts[RK_SEV_ERROR], tr(m, (text){"警告", "warnings"}),
                (unsigned long long)x->counts[RK_SEV_WARNING], no, tr(m, (text){"この事業所の報告", "its report"}));
        size_t shown = 0;
        fputs("<ul>\n", out);
        for (size_t f = 0; f < rk_report_nfiles(x->report) && shown < RK_OFFICE_SHOWN; f++) {
            const rk_file_result *r = rk_report_file(x->report, f);
            for (size_t k = 0; k < r->nfindings && shown < RK_OFFICE_SHOWN; k++, shown++)
                finding_line(m, out, r, &r->findings[k]);
        }
        fputs("</ul></section>\n", out);
    }
}

rk_status bt_write_html(const bt_month *m, FILE *out)
{
    fprintf(out,
            "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width\"><title>renkei ",
            m->o->lang == RK_LANG_JA ? "ja" : "en");
    esc(out, m->month);
    fprintf(out, "</title><style>%s</style></head><body>\n<h1>", style);
    esc(out, tr(m, (text){"ケアプランデータ連携 月次点検", "Care-plan data exchange: the month checked"}));
    fputs(" ", out);
    esc(out, m->month);
    fputs("</h1>\n", out);
    totals(m, out);
    fprintf(out, "<h2>%s</h2>\n",
            tr(m, (text){"予定と実績 (サービス種類別、区分支給限度内の単位)",
                         "Plan and actual by service type (units inside the limit)"}));
    chart(m, out);
    fprintf(out, "<h2>%s</h2>\n", tr(m, (text){"事業所", "Offices"}));
    offices(m, out);
    out_of_place(m, out);
    fprintf(out, "<h2>%s</h2>\n", tr(m, (text){"規則別の指摘", "Findings by rule"}));
    rules(m, out);
    fprintf(out, "<h2>%s</h2>\n",
            tr(m, (text){"紙・郵送・FAXとの費用比較 (料金シミュレーターの前提)",
                         "Cost against paper, mail and FAX (the cost simulator's assumptions)"}));
    cost(m, out);
    fprintf(out, "<h2>%s</h2>\n", tr(m, (text){"事業所別", "By office"}));
    office_sections(m, out);
    fprintf(out, "<footer><p>renkei %s</p></footer></body></html>\n", rk_version());
    return ferror(out) ? RK_ERR_IO : RK_OK;
}
