/* SPDX-License-Identifier: Apache-2.0 */
/*
 * renkei check — 予定 against 実績 for a month, with the billing
 * recomputation and the predicted 国保連 outcomes, then totals per office,
 * insurer and service type.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char usage_check[] =
    "usage: renkei check [--master FILE] [--offices FILE] [--format F] [--lang L] [--jobs N] [--chunk-size N]\n"
    "                    [--max-memory SIZE] [--max-per-rule N] [--select RULES] [--ignore RULES] [--mpi]\n"
    "                    [-o FILE]\n"
    "                    PATH...\n"
    "\n"
    "Takes a month of files (UPPLAN, UPSIKYU, UPHOSOKU, DLTPLAN from care managers; UPJSK,\n"
    "DLTJSK from providers) as the exchange sees it: copies counted once, the newest\n"
    "ファイル連番 standing, deletes applied. Joins plan and actual on (保険者番号,\n"
    "被保険者番号, 対象年月, office, service code, day), recomputes the 第7表, and predicts\n"
    "what the 国保連 will do: claims cut (事由A, 事由B), held (保留), 給付管理 returned\n"
    "(12P3, 15P6). Lists the files whose rows were superseded, copied or deleted.\n"
    "\n"
    "options:\n"
    "      --master FILE   service-code master, UTF-8 CSV with the header\n"
    "                      service_code,name,units,unit_kind,limit_target,valid_from,valid_to,wage_share,daily_of\n"
    "                      (default: $RENKEI_MASTER, else the R6 master installed with renkei,\n"
    "                      share/renkei/master.csv beside the program)\n"
    "      --offices FILE  office_no,grade (級地 1-7, 0 = その他); without it prices are taken as sent\n"
    "  -f, --format F      text (default), jsonl, json (schema renkei.check), sarif or gnu (the findings)\n"
    "      --lang L        ja or en\n"
    "  -j, --jobs N        threads (default: all cores)\n"
    "      --chunk-size N  bytes per parallel chunk (default 1048576); results do not depend on it\n"
    "      --max-memory SIZE  memory for the month's rows (K, M, G; default half of RAM): a month\n"
    "                      past it is written to temporary files in $TMPDIR (else /tmp) and judged\n"
    "                      a part at a time, with the same results\n"
    "      --strict        exit 1 on warnings too\n"
    "  -o, --output FILE   write to FILE (atomically); - is stdout (default)\n"
    "      --max-per-rule N  findings shown per rule and file (default: all; the counts stay exact)\n"
    "      --select RULES  only these rules (IDs or prefixes, comma-separated)\n"
    "      --ignore RULES  not these rules\n"
    "      --mpi           one rank of an MPI job (mpirun -n N renkei check --mpi PATH..., or srun):\n"
    "                      the ranks read a share of the files each, send every row to the rank\n"
    "                      of its partition, judge their partitions, and rank 0 writes the output,\n"
    "                      the same as one process; each rank holds its share of the rows in memory\n"
    "\n"
    "exit status: 0 nothing to fix, 1 findings of severity error, 2 usage, 3 I/O or bad master\n"
    "\n"
    "example:\n"
    "  renkei check --offices corpus/master/offices.csv corpus/check/scenario\n";

/* The check's report and totals in a format, for rk_cli_output. */
typedef struct check_out {
    const rk_report *r;
    const rk_check_summary *s;
    rk_format fmt;
    rk_lang lang;
} check_out;

static rk_status write_check(void *ctx, FILE *out)
{
    const check_out *x = ctx;
    return rk_check_write(x->r, x->s, x->fmt, x->lang, out);
}

/* The check and its output; with peers, only peer 0 writes (the others have nothing to). */
static int run_check(const rk_check_options *o, int n, char **paths, rk_format fmt, rk_lang lang, const char *output,
                     const char *select, const char *ignore, int strict)
{
    int quiet = rk_cli_silent;
    rk_report *r = rk_report_new();
    rk_check_summary *s = NULL;
    char err[512];
    rk_status st = r ? rk_check(o, (const char *const *)paths, (size_t)n, r, &s, err, sizeof err) : RK_ERR_NOMEM;
    if (st != RK_OK) {
        if (!quiet)
            fprintf(stderr, "renkei check: %s\n", err[0] ? err : rk_status_name(st));
        rk_report_free(r);
        return st == RK_ERR_IO || st == RK_ERR_ARG ? RK_EXIT_IO : RK_EXIT_INTERNAL;
    }
    if (quiet) {
        rk_report_free(r);
        return RK_EXIT_OK;
    }
    rk_cli_select("check", r, select, ignore);
    check_out co = {r, s, fmt, lang};
    int rc = rk_cli_output("check", output, write_check, &co);
    if (rc == RK_EXIT_OK)
        rc = rk_findings_exit(r, strict, RK_EXIT_FINDINGS);
    rk_check_summary_free(s);
    rk_report_free(r);
    return rc;
}

int cmd_check(int argc, char **argv)
{
    enum {
        OPT_MASTER = 256,
        OPT_OFFICES,
        OPT_LANG,
        OPT_STRICT,
        OPT_CHUNK,
        OPT_MAXR,
        OPT_SELECT,
        OPT_IGNORE,
        OPT_MAXMEM,
        OPT_MPI
    };
    static const struct option longopts[] = {{"master", required_argument, NULL, OPT_MASTER},
                                             {"offices", required_argument, NULL, OPT_OFFICES},
                                             {"format", required_argument, NULL, 'f'},
                                             {"lang", required_argument, NULL, OPT_LANG},
                                             {"jobs", required_argument, NULL, 'j'},
                                             {"strict", no_argument, NULL, OPT_STRICT},
                                             {"chunk-size", required_argument, NULL, OPT_CHUNK},
                                             {"output", required_argument, NULL, 'o'},
                                             {"max-per-rule", required_argument, NULL, OPT_MAXR},
                                             {"max-memory", required_argument, NULL, OPT_MAXMEM},
                                             {"select", required_argument, NULL, OPT_SELECT},
                                             {"ignore", required_argument, NULL, OPT_IGNORE},
                                             {"mpi", no_argument, NULL, OPT_MPI},
                                             {NULL, 0, NULL, 0}};
    rk_check_options o;
    memset(&o, 0, sizeof o);
    rk_format fmt = RK_FMT_TEXT;
    const char *lang_arg = NULL, *output = NULL, *select = NULL, *ignore = NULL, *master = NULL;
    char master_buf[4096];
    unsigned long long v;
    int strict = 0, mpi = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:j:o:", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_MASTER: master = optarg; break;
        case OPT_OFFICES: o.offices_path = optarg; break;
        case 'f':
            if (rk_parse_format(optarg, &fmt))
                return rk_usage_error("check", "--format takes text, jsonl, json, sarif or gnu", optarg);
            break;
        case OPT_LANG: lang_arg = optarg; break;
        case OPT_STRICT: strict = 1; break;
        case OPT_MPI: mpi = 1; break;
        case 'o': output = optarg; break;
        case OPT_SELECT: select = optarg; break;
        case OPT_IGNORE: ignore = optarg; break;
        case OPT_MAXR:
            if (rk_parse_uint(optarg, 1u << 30, &v))
                return rk_usage_error("check", "--max-per-rule takes a number", optarg);
            o.max_per_rule = (unsigned)v;
            break;
        case OPT_MAXMEM:
            if (rk_parse_size("check", "--max-memory", optarg, &o.max_memory))
                return RK_EXIT_USAGE;
            break;
        case OPT_CHUNK:
            if (rk_parse_chunk("check", optarg, &o.chunk_size))
                return RK_EXIT_USAGE;
            break;
        case 'j':
            if (rk_parse_jobs("check", optarg, &o.jobs))
                return RK_EXIT_USAGE;
            break;
        default: return rk_usage_error("check", "unknown option", argv[optind - 1]);
        }
    }
    rk_lang lang;
    if (rk_parse_lang(lang_arg, &lang))
        return rk_usage_error("check", "--lang takes ja or en", lang_arg);
    if (optind >= argc)
        return rk_usage_error("check", "no file or directory given", NULL);
    if (rk_cli_select("check", NULL, select, ignore) != RK_EXIT_OK)
        return RK_EXIT_USAGE;
    if (!(o.master_path = rk_cli_master("check", master, master_buf, sizeof master_buf)))
        return RK_EXIT_IO;
    rk_peers peers;
    if (mpi) {
        int rc = rk_cli_mpi_begin("check", &peers);
        if (rc != RK_EXIT_OK)
            return rc;
        o.peers = &peers;
    }
    int rc = run_check(&o, argc - optind, argv + optind, fmt, lang, output, select, ignore, strict);
    return mpi ? rk_cli_mpi_end(rc) : rc;
}
