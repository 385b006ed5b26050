/* SPDX-License-Identifier: Apache-2.0 */
/*
 * renkei batch — the whole month of every office in one pass: validate,
 * check, a report per office, report.html, and a signed archive.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

const char usage_batch[] =
    "usage: renkei batch [--master FILE] [--offices FILE] [--lang L] [--jobs N] [--key FILE [--cert FILE]]\n"
    "                    -o OUT_DIR MONTH_DIR...\n"
    "\n"
    "Validates and cross-checks a month of many offices (files found by name, in any folder\n"
    "layout), then writes into OUT_DIR:\n"
    "  batch.json          the month's and each office's files, records, findings by severity\n"
    "                      and by rule, planned / actual / cut units and yen, 保留, 12P3 / 15P6\n"
    "                      (schema renkei.batch version 1)\n"
    "  findings.jsonl      every finding of validate and check (schema renkei.findings)\n"
    "  findings.sarif      the same as SARIF 2.1.0 (code scanning, editors)\n"
    "  offices/NO.txt      per sending office: its files' findings only, to hand to it\n"
    "  offices/NO.jsonl    the same as JSON Lines\n"
    "  report.html         one self-contained page (no network): totals, offices, findings by\n"
    "                      rule, plan against actual by service type\n"
    "  cost.json           what paper, mail or FAX and labour the exchange replaced, per office,\n"
    "                      by the exchange's cost simulator, every assumption listed\n"
    "  month.tar.zst       with --key: the inputs and the reports, signed as by `renkei seal`\n"
    "\n"
    "options:\n"
    "  -o, --output DIR    where the reports go (created if missing; each file written atomically)\n"
    "      --master FILE   service-code master (as for check)\n"
    "      --offices FILE  office_no,grade (as for check)\n"
    "      --lang L        ja (default) or en: the text reports and report.html\n"
    "  -j, --jobs N        threads (default: all cores); the outputs do not depend on it\n"
    "      --key FILE      sign the archive (PEM key; Ed25519 alone, or with --cert a CMS signature)\n"
    "      --cert FILE     the signer's certificate (PEM)\n"
    "      --strict        exit 1 on warnings too\n"
    "      --progress P    auto (default: a line on stderr when it is a terminal), jsonl (a JSON\n"
    "                      line per step: phase, files, bytes, seconds, ETA) or none\n"
    "      --cost KEY=YEN  a setting of the cost report (repeatable; defaults of the simulator):\n"
    "                      sheets_per_user=2 print_yen_per_sheet=2 postage_per_user=130\n"
    "                      fax_yen_per_sheet=10 labour_hand_per_user=135 labour_mail_per_user=90\n"
    "                      labour_fax_per_user=90 system_fee_per_month=1750 labour_exchange_per_user=10\n"
    "\n"
    "exit status: 0 nothing to fix, 1 findings of severity error, 2 usage, 3 I/O or bad master\n"
    "\n"
    "example:\n"
    "  renkei batch --offices corpus/check/month.offices.csv -o out/2025-11 corpus/check/month\n";

/* Progress on stderr: a line rewritten in place on a terminal, or JSON Lines for tools. */
enum { PROGRESS_NONE, PROGRESS_TEXT, PROGRESS_JSONL };

typedef struct cli_progress {
    int mode;
    double t0, last;
    const char *last_phase;
} cli_progress;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_progress(void *ctx, const rk_batch_progress *p)
{
    cli_progress *c = ctx;
    double t = now(), secs = t - c->t0;
    int phase_changed = !c->last_phase || strcmp(c->last_phase, p->phase) != 0;
    if (c->mode == PROGRESS_TEXT && !phase_changed && t - c->last < 0.1)
        return;
    c->last = t;
    c->last_phase = p->phase;
    /* two passes over the input: validation, then the check */
    double total = 2.0 * (double)p->bytes_total,
           done = p->passes_done ? (double)p->passes_done * (double)p->bytes_total : (double)p->bytes;
    double rate = secs > 0 ? done / secs : 0, eta = rate > 0 ? (total - done) / rate : -1;
    /* input per second: of the validation so far, then of the whole run */
    double input = secs > 0 ? (p->passes_done ? (double)p->bytes_total : (double)p->bytes) / secs : 0;
    int finished = strcmp(p->phase, "done") == 0;
    if (c->mode == PROGRESS_JSONL) {
        fprintf(stderr,
                "{\"type\":\"progress\",\"phase\":\"%s\",\"files\":%llu,\"files_total\":%llu,\"bytes\":%llu,"
                "\"bytes_total\":%llu,\"seconds\":%.3f,\"eta_seconds\":%.1f}\n",
                p->phase, (unsigned long long)p->files, (unsigned long long)p->files_total,
                (unsigned long long)p->bytes, (unsigned long long)p->bytes_total, secs, finished ? 0.0 : eta);
        return;
    }
    fprintf(stderr, "\rrenkei batch: %-8s %llu/%llu files, %.1f/%.1f MB, %.0f MB/s, ETA %s%.0f s   ", p->phase,
            (unsigned long long)p->files, (unsigned long long)p->files_total, (double)p->bytes / 1e6,
            (double)p->bytes_total / 1e6, input / 1e6, eta < 0 ? "~" : "", eta < 0 ? 0 : eta);
    if (finished)
        fputc('\n', stderr);
}

int cmd_batch(int argc, char **argv)
{
    enum { OPT_MASTER = 256, OPT_OFFICES, OPT_LANG, OPT_STRICT, OPT_KEY, OPT_CERT, OPT_COST, OPT_PROGRESS };
    static const struct option longopts[] = {{"master", required_argument, NULL, OPT_MASTER},
                                             {"offices", required_argument, NULL, OPT_OFFICES},
                                             {"output", required_argument, NULL, 'o'},
                                             {"lang", required_argument, NULL, OPT_LANG},
                                             {"jobs", required_argument, NULL, 'j'},
                                             {"key", required_argument, NULL, OPT_KEY},
                                             {"cert", required_argument, NULL, OPT_CERT},
                                             {"strict", no_argument, NULL, OPT_STRICT},
                                             {"cost", required_argument, NULL, OPT_COST},
                                             {"progress", required_argument, NULL, OPT_PROGRESS},
                                             {NULL, 0, NULL, 0}};
    rk_batch_options o;
    memset(&o, 0, sizeof o);
    o.lang = RK_LANG_JA;
    const char *out = NULL, *master = NULL;
    char master_buf[4096];
    const char *cost[argc + 1]; /* the --cost settings: at most one per argument */
    o.cost = cost;
    cli_progress prog = {isatty(STDERR_FILENO) ? PROGRESS_TEXT : PROGRESS_NONE, now(), 0, NULL};
    int strict = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:j:", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_MASTER: master = optarg; break;
        case OPT_OFFICES: o.offices_path = optarg; break;
        case 'o': out = optarg; break;
        case OPT_LANG:
            if (strcmp(optarg, "ja") != 0 && strcmp(optarg, "en") != 0)
                return rk_usage_error("batch", "--lang takes ja or en", optarg);
            o.lang = optarg[0] == 'e' ? RK_LANG_EN : RK_LANG_JA;
            break;
        case OPT_KEY: o.key_path = optarg; break;
        case OPT_CERT: o.cert_path = optarg; break;
        case OPT_STRICT: strict = 1; break;
        case OPT_COST: cost[o.ncost++] = optarg; break;
        case OPT_PROGRESS:
            if (strcmp(optarg, "jsonl") == 0)
                prog.mode = PROGRESS_JSONL;
            else if (strcmp(optarg, "none") == 0)
                prog.mode = PROGRESS_NONE;
            else if (strcmp(optarg, "auto") != 0)
                return rk_usage_error("batch", "--progress takes auto, jsonl or none", optarg);
            break;
        case 'j':
            if (rk_parse_jobs("batch", optarg, &o.jobs))
                return RK_EXIT_USAGE;
            break;
        default: return rk_usage_error("batch", "unknown option", argv[optind - 1]);
        }
    }
    const char *bad = !out                         ? "-o OUT_DIR is required"
                      : optind >= argc             ? "no month directory given"
                      : o.cert_path && !o.key_path ? "--cert needs --key"
                                                   : NULL;
    if (bad)
        return rk_usage_error("batch", bad, NULL);
    if (!(o.master_path = rk_cli_master("batch", master, master_buf, sizeof master_buf)))
        return RK_EXIT_IO;
    if (prog.mode != PROGRESS_NONE) {
        o.progress = on_progress;
        o.progress_ctx = &prog;
    }
    uint64_t counts[3] = {0, 0, 0};
    char err[512];
    rk_status st =
        rk_batch(&o, (const char *const *)(argv + optind), (size_t)(argc - optind), out, counts, err, sizeof err);
    if (st != RK_OK) {
        fprintf(stderr, "renkei batch: %s\n", err[0] ? err : rk_status_name(st));
        return st == RK_ERR_IO || st == RK_ERR_ARG ? RK_EXIT_IO : RK_EXIT_INTERNAL;
    }
    fprintf(stderr, "renkei batch: %s/report.html: %llu errors, %llu warnings\n", out,
            (unsigned long long)counts[RK_SEV_ERROR], (unsigned long long)counts[RK_SEV_WARNING]);
    return counts[RK_SEV_ERROR] || (strict && counts[RK_SEV_WARNING]) ? RK_EXIT_FINDINGS : RK_EXIT_OK;
}
