/* SPDX-License-Identifier: Apache-2.0 */
/*
 * renkei rules — prints the rule catalog: as text, as JSON, or as the
 * Markdown table that README.md carries (a test keeps the two equal).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

const char usage_rules[] =
    "usage: renkei rules [--format text|json|jsonl|md]\n"
    "\n"
    "Lists every rule renkei checks: stable ID, severity, the message in\n"
    "Japanese and English, and the part of the standard it comes from.\n"
    "\n"
    "options:\n"
    "  -f, --format F   text (default), json (schema renkei.rules), jsonl, or md (a Markdown table)\n"
    "\n"
    "examples:\n"
    "  renkei rules\n"
    "  renkei rules --format json | jq -r '.rules[].id'\n";

int cmd_rules(int argc, char **argv)
{
    static const struct option longopts[] = {{"format", required_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
    const char *fmt = "text";
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
        if (c == 'f')
            fmt = optarg;
        else
            return rk_usage_error("rules", "unknown option", argv[optind - 1]);
    }
    if (optind != argc)
        return rk_usage_error("rules", "no arguments expected", argv[optind]);
    size_t n = rk_rule_count();
    if (strcmp(fmt, "text") == 0 || strcmp(fmt, "json") == 0 || strcmp(fmt, "jsonl") == 0) {
        rk_format f = RK_FMT_TEXT;
        rk_parse_format(fmt, &f);
        if (rk_rules_write(f, stdout) != RK_OK)
            return rk_status_exit("rules", "standard output", RK_ERR_IO);
    } else if (strcmp(fmt, "md") == 0) {
        printf("| ID | severity | message | メッセージ | spec |\n|---|---|---|---|---|\n");
        for (size_t i = 0; i < n; i++) {
            const rk_rule *r = rk_rule_at(i);
            printf("| %s | %s | %s | %s | %s |\n", r->id, rk_severity_name(r->severity), r->en, r->ja, r->spec);
        }
    } else {
        return rk_usage_error("rules", "--format takes text, json, jsonl or md", fmt);
    }
    return RK_EXIT_OK;
}
