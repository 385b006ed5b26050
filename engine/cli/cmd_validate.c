/* SPDX-License-Identifier: Apache-2.0 */
/*
 * renkei validate — checks files and directories against the standard and
 * writes the findings as text, JSON Lines or JSON.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char usage_validate[] =
    "usage: renkei validate [OPTIONS] PATH...\n"
    "\n"
    "Checks every file given, and every .CSV / .JPG file below each directory given\n"
    "(in name order; other files there are skipped and counted on stderr): the\n"
    "file-name grammar of the standard, MS932 encoding, CSV syntax, field counts\n"
    "and the CSV version. Options may come before or after the paths.\n"
    "\n"
    "options:\n"
    "  -j, --jobs N          worker threads (default: all cores)\n"
    "  -f, --format F        text (default), jsonl, json, sarif (SARIF 2.1.0) or gnu (FILE:LINE: error: ...)\n"
    "      --lang L          ja or en (default: from LC_ALL / LC_MESSAGES / LANG)\n"
    "      --strict          exit 1 on warnings too\n"
    "      --max-per-rule N  findings shown per rule and file (default 1000, 0 = all)\n"
    "  -o, --output FILE     write the report to FILE (atomically); - is stdout (default)\n"
    "      --select RULES    only these rules (IDs or prefixes, comma-separated: RK-CSV,RK-ENC-001)\n"
    "      --ignore RULES    not these rules; --ignore RK-SET checks export files alone, without\n"
    "                        the send-unit rules (a vendor's usual case)\n"
    "      --chunk-size N    bytes per parallel chunk (default 1048576)\n"
    "      --spill-above M   a file of more than M MiB whose link keys a send unit's\n"
    "                        rules compare keeps them in a temporary file under\n"
    "                        $TMPDIR (default 256; 0 = every such file)\n"
    "      --simd K          tokenizer kernel: auto, scalar, sse2, avx2, avx512, avx512vbmi2\n"
    "      --include GLOB    take only files whose name matches GLOB (repeatable)\n"
    "      --exclude GLOB    skip files whose name matches GLOB (repeatable)\n"
    "      --name FILE_NAME  with - as the only path: read standard input as a file of that name\n"
    "  -q, --quiet           no notes on stderr (skipped files)\n"
    "  -v, --verbose         name every skipped file on stderr\n"
    "      --mpi             one rank of an MPI job (mpirun -n N renkei validate --mpi PATH...):\n"
    "                        the ranks validate a share of the send units each, and rank 0\n"
    "                        writes the report, the same as one process\n"
    "\n"
    "examples:\n"
    "  renkei validate corpus/sample\n"
    "  renkei validate -j 2 --format jsonl /data/2025-11 > findings.jsonl\n"
    "  export-tool | renkei validate --ignore RK-SET --name UPPLAN_202511_..._20251025103000.CSV -\n"
    "\n"
    "exit status: 0 clean (warnings allowed), 1 errors (or warnings with --strict),\n"
    "2 usage, 3 a file could not be read or written, or no file to validate, 70 internal error\n";

int rk_parse_simd(const char *s, rk_simd *out)
{
    return rk_simd_from_name(s, out) ? 0 : -1;
}

enum {
    OPT_LANG = 256,
    OPT_STRICT,
    OPT_MAXR,
    OPT_CHUNK,
    OPT_SIMD,
    OPT_SPILL,
    OPT_INCLUDE,
    OPT_EXCLUDE,
    OPT_SELECT,
    OPT_IGNORE,
    OPT_NAME,
    OPT_MPI
};

/* Standard input, whole, in *buf (malloc'd); 0 on success. */
static int read_stdin(unsigned char **buf, size_t *len)
{
    size_t cap = 1 << 16, n = 0, got;
    unsigned char *b = malloc(cap);
    while (b && (got = fread(b + n, 1, cap - n, stdin)) > 0) {
        n += got;
        if (n == cap) {
            unsigned char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                return -1;
            }
            b = nb;
            cap *= 2;
        }
    }
    if (!b || ferror(stdin)) {
        free(b);
        return -1;
    }
    *buf = b;
    *len = n;
    return 0;
}

/* The report in a format, for rk_cli_output. */
typedef struct report_out {
    const rk_report *r;
    rk_format fmt;
    rk_lang lang;
} report_out;

static rk_status write_report(void *ctx, FILE *out)
{
    const report_out *x = ctx;
    return rk_report_write(x->r, x->fmt, x->lang, out);
}

/* The exit code, every rank given rank 0's with --mpi. */
static int mpi_done(int mpi, int rc)
{
    return mpi ? rk_cli_mpi_end(rc) : rc;
}

int cmd_validate(int argc, char **argv)
{
    static const struct option longopts[] = {{"jobs", required_argument, NULL, 'j'},
                                             {"format", required_argument, NULL, 'f'},
                                             {"lang", required_argument, NULL, OPT_LANG},
                                             {"strict", no_argument, NULL, OPT_STRICT},
                                             {"max-per-rule", required_argument, NULL, OPT_MAXR},
                                             {"output", required_argument, NULL, 'o'},
                                             {"chunk-size", required_argument, NULL, OPT_CHUNK},
                                             {"simd", required_argument, NULL, OPT_SIMD},
                                             {"spill-above", required_argument, NULL, OPT_SPILL},
                                             {"include", required_argument, NULL, OPT_INCLUDE},
                                             {"exclude", required_argument, NULL, OPT_EXCLUDE},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"select", required_argument, NULL, OPT_SELECT},
                                             {"ignore", required_argument, NULL, OPT_IGNORE},
                                             {"name", required_argument, NULL, OPT_NAME},
                                             {"verbose", no_argument, NULL, 'v'},
                                             {"mpi", no_argument, NULL, OPT_MPI},
                                             {NULL, 0, NULL, 0}};
    rk_options o;
    rk_options_init(&o);
    rk_format fmt = RK_FMT_TEXT;
    const char *lang_arg = NULL, *output = NULL, *select = NULL, *ignore = NULL, *name = NULL;
    int strict = 0, c, verbosity = 1, mpi = 0;
    const char *include[argc + 1], *exclude[argc + 1]; /* at most one pattern per argument */
    size_t ninclude = 0, nexclude = 0;
    unsigned long long v;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "j:f:o:qv", longopts, NULL)) != -1) { /* options anywhere, as GNU tools */
        switch (c) {
        case 'j':
            if (rk_parse_jobs("validate", optarg, &o.jobs))
                return RK_EXIT_USAGE;
            break;
        case 'f':
            if (rk_parse_format(optarg, &fmt))
                return rk_usage_error("validate", "--format takes text, jsonl, json, sarif or gnu", optarg);
            break;
        case OPT_LANG: lang_arg = optarg; break;
        case OPT_STRICT: strict = 1; break;
        case OPT_MAXR:
            if (rk_parse_uint(optarg, 1u << 30, &v))
                return rk_usage_error("validate", "--max-per-rule takes a number", optarg);
            o.max_per_rule = (unsigned)v;
            break;
        case 'o': output = optarg; break;
        case OPT_INCLUDE: include[ninclude++] = optarg; break;
        case OPT_EXCLUDE: exclude[nexclude++] = optarg; break;
        case OPT_MPI: mpi = 1; break;
        case 'q': verbosity = 0; break;
        case OPT_SELECT: select = optarg; break;
        case OPT_IGNORE: ignore = optarg; break;
        case OPT_NAME: name = optarg; break;
        case 'v': verbosity = 2; break;
        case OPT_CHUNK:
            if (rk_parse_chunk("validate", optarg, &o.chunk_size))
                return RK_EXIT_USAGE;
            break;
        case OPT_SPILL:
            if (rk_parse_uint(optarg, 1u << 30, &v))
                return rk_usage_error("validate", "--spill-above takes a number of MiB", optarg);
            o.spill_bytes = v ? (size_t)v << 20 : 1; /* 0: more than 1 byte */
            break;
        case OPT_SIMD:
            if (rk_parse_simd(optarg, &o.simd))
                return rk_usage_error("validate", "--simd takes auto, scalar, sse2, avx2, avx512 or avx512vbmi2",
                                      optarg);
            break;
        default: return rk_usage_error("validate", "unknown option", argv[optind - 1]);
        }
    }
    rk_lang lang;
    if (rk_parse_lang(lang_arg, &lang))
        return rk_usage_error("validate", "--lang takes ja or en", lang_arg);
    if (rk_cli_select("validate", NULL, select, ignore) != RK_EXIT_OK)
        return RK_EXIT_USAGE;
    if (optind >= argc)
        return rk_usage_error("validate", "no file or directory given", NULL);

    if (strcmp(argv[optind], "-") == 0 && mpi)
        return rk_usage_error("validate", "--mpi takes files and directories, not standard input", NULL);
    if (strcmp(argv[optind], "-") == 0) { /* standard input: one file, its kind in --name */
        if (optind + 1 != argc || !name)
            return rk_usage_error("validate", "- (standard input) goes alone, with --name FILE_NAME for its kind",
                                  NULL);
        unsigned char *buf;
        size_t len;
        if (read_stdin(&buf, &len))
            return rk_status_exit("validate", "standard input", RK_ERR_IO);
        rk_engine *e = rk_engine_new(&o);
        rk_report *r = rk_report_new();
        rk_status st = e && r ? rk_validate_buffer(e, r, name, buf, len) : RK_ERR_NOMEM;
        free(buf);
        int rc = st != RK_OK ? rk_status_exit("validate", name, st) : RK_EXIT_OK;
        if (rc == RK_EXIT_OK) {
            rk_cli_select("validate", r, select, ignore);
            report_out ro = {r, fmt, lang};
            rc = rk_cli_output("validate", output, write_report, &ro);
        }
        if (rc == RK_EXIT_OK)
            rc = rk_findings_exit(r, strict, RK_EXIT_FINDINGS);
        rk_report_free(r);
        rk_engine_free(e);
        return rc;
    }
    if (name)
        return rk_usage_error("validate", "--name is for - (standard input)", name);
    rk_peers peers;
    if (mpi) { /* from here every return goes through mpi_done */
        int brc = rk_cli_mpi_begin("validate", &peers);
        if (brc != RK_EXIT_OK)
            return brc;
        o.peers = &peers;
        if (peers.rank != 0)
            verbosity = 0;
    }
    int rc = RK_EXIT_OK;
    char **paths = NULL;
    size_t npaths = 0, nskipped = 0;
    /* Expand one input at a time so a missing one is named. */
    for (int i = optind; i < argc; i++) {
        char **p, **sk;
        size_t n, ns;
        const char *in = argv[i];
        rk_status st = rk_collect_month(&in, 1, include, ninclude, exclude, nexclude, &p, &n, &sk, &ns);
        if (st != RK_OK) {
            rc = rk_status_exit("validate", in, st);
            continue;
        }
        for (size_t k = 0; k < ns && verbosity > 1; k++)
            fprintf(stderr, "renkei validate: skipped %s (not a file of the exchange, or excluded)\n", sk[k]);
        if (ns && verbosity == 1)
            fprintf(stderr,
                    "renkei validate: skipped %zu file%s below %s that %s not .CSV / .JPG or %s excluded (first: %s; "
                    "-v lists them)\n",
                    ns, ns == 1 ? "" : "s", in, ns == 1 ? "is" : "are", ns == 1 ? "is" : "are", sk[0]);
        nskipped += ns;
        rk_paths_free(sk, ns);
        char **np = realloc(paths, (npaths + n + 1) * sizeof *np);
        if (!np) {
            rk_paths_free(p, n);
            rk_paths_free(paths, npaths);
            return mpi_done(mpi, rk_status_exit("validate", "expanding inputs", RK_ERR_NOMEM));
        }
        paths = np;
        if (n) /* an empty directory's list may be NULL */
            memcpy(paths + npaths, p, n * sizeof *p);
        npaths += n;
        free(p); /* the strings moved to paths */
    }
    if (!npaths && rc == RK_EXIT_OK) { /* nothing to validate is no success: a CI job must not pass on it */
        fprintf(stderr, "renkei validate: no input files%s\n",
                nskipped ? " (every file found was skipped; see --include)" : "");
        rk_paths_free(paths, npaths);
        return mpi_done(mpi, RK_EXIT_IO);
    }
    rk_engine *e = rk_engine_new(&o);
    rk_report *r = rk_report_new();
    rk_status *sts = calloc(npaths ? npaths : 1, sizeof *sts);
    if (!e || !r || !sts) {
        rk_engine_free(e);
        rk_report_free(r);
        free(sts);
        rk_paths_free(paths, npaths);
        return mpi_done(mpi, rk_status_exit("validate", "starting", RK_ERR_NOMEM));
    }
    rk_status st = rk_validate_paths(e, r, (const char *const *)paths, npaths, sts);
    int named = 0; /* a file's own status says it: the overall one is not said again */
    for (size_t i = 0; i < npaths; i++)
        if (sts[i] != RK_OK) {
            rc = rk_status_exit("validate", paths[i], sts[i]);
            named |= sts[i] == st;
        }
    if (st != RK_OK && !named)
        rc = rk_status_exit("validate", "validation", st);

    int sel = rk_cli_select("validate", r, select, ignore);
    report_out ro = {r, fmt, lang};
    int orc = sel != RK_EXIT_OK || rk_cli_silent ? sel : rk_cli_output("validate", output, write_report, &ro);
    if (orc != RK_EXIT_OK)
        rc = orc;
    if (rc == RK_EXIT_OK)
        rc = rk_findings_exit(r, strict, RK_EXIT_FINDINGS);
    rk_report_free(r);
    rk_engine_free(e);
    free(sts);
    rk_paths_free(paths, npaths);
    return mpi_done(mpi, rc);
}
