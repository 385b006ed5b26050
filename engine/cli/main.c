/* SPDX-License-Identifier: Apache-2.0 */
/*
 * renkei — the command-line program. A command table dispatches to one file
 * per subcommand; every subcommand has its own usage text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const rk_command commands[] = {
    {"validate", "check files against the standard (name, encoding, CSV syntax, layout)", cmd_validate, usage_validate},
    {"check", "cross-check plan against actual and predict the 国保連 outcome", cmd_check, usage_check},
    {"batch", "the whole month in one pass: validate, check, reports per office, seal", cmd_batch, usage_batch},
    {"convert", "convert a file: MS932 CSV to JSON Lines or UTF-8, UTF-8 CSV to MS932", cmd_convert, usage_convert},
    {"rules", "list the rule catalog", cmd_rules, usage_rules},
    {"seal", "write files into a signed, compressed, reproducible archive", cmd_seal, usage_seal},
    {"verify", "check an archive's signature and every member", cmd_verify, usage_verify},
    {"extract", "verify and extract an archive safely", cmd_extract, usage_extract},
};

static void help(FILE *out)
{
    fprintf(out, "renkei %s — batch engine for the care-plan data exchange CSV files (ケアプランデータ連携)\n\n",
            rk_version());
    fputs("usage: renkei COMMAND [OPTIONS] ARGS...\n\ncommands:\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\nexamples:\n"
          "  renkei validate corpus/sample            # every file below a directory\n"
          "  renkei validate --format jsonl UPPLAN_202511_*.CSV\n"
          "  renkei convert UPPLAN_….CSV --to jsonl\n"
          "  renkei rules --format json\n"
          "  renkei seal --key signer.key --cert signer.crt -o 2025-11.tar.zst corpus/sample\n"
          "  renkei verify --ca ca.pem 2025-11.tar.zst\n"
          "  renkei batch corpus/check/month -o out/2025-11\n\n"
          "exit status: 0 clean, 1 errors found, 2 usage, 3 I/O, 4 integrity, 70 internal\n"
          "'renkei COMMAND --help' shows a command's options.\n",
          out);
}

int rk_usage_error(const char *cmd, const char *msg, const char *arg)
{
    if (arg)
        fprintf(stderr, "renkei %s: %s: %s\n", cmd, msg, arg);
    else
        fprintf(stderr, "renkei %s: %s\n", cmd, msg);
    fprintf(stderr, "hint: renkei %s --help\n", cmd);
    return RK_EXIT_USAGE;
}

int rk_parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

int rk_parse_lang(const char *s, rk_lang *out)
{
    if (!s) {
        const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
        *out = RK_LANG_EN;
        for (size_t i = 0; i < 3; i++) {
            const char *v = getenv(vars[i]);
            if (v && *v) {
                *out = strncmp(v, "ja", 2) == 0 ? RK_LANG_JA : RK_LANG_EN;
                break;
            }
        }
        return 0;
    }
    if (strcmp(s, "ja") == 0)
        *out = RK_LANG_JA;
    else if (strcmp(s, "en") == 0)
        *out = RK_LANG_EN;
    else
        return -1;
    return 0;
}

int rk_cli_output(const char *cmd, const char *path, rk_status (*fn)(void *ctx, FILE *out), void *ctx)
{
    if (!path || strcmp(path, "-") == 0) {
        rk_status st = fn(ctx, stdout);
        if (st == RK_OK && fflush(stdout) != 0)
            st = RK_ERR_IO;
        return st == RK_OK ? RK_EXIT_OK : rk_status_exit(cmd, "standard output", st);
    }
    rk_afile *af = rk_afile_open(path);
    if (!af)
        return rk_status_exit(cmd, path, RK_ERR_IO);
    rk_status st = fn(ctx, rk_afile_stream(af));
    if (st == RK_OK)
        st = rk_afile_commit(af);
    else
        rk_afile_abort(af);
    return st == RK_OK ? RK_EXIT_OK : rk_status_exit(cmd, path, st);
}

int rk_cli_select(const char *cmd, rk_report *r, const char *select, const char *ignore)
{
    rk_report *probe = r ? NULL : rk_report_new(); /* r NULL: only check the lists */
    rk_status st = select || ignore ? rk_report_select(r ? r : probe, select, ignore) : RK_OK;
    rk_report_free(probe);
    if (st != RK_OK)
        return rk_usage_error(cmd, "--select / --ignore take rule IDs or prefixes (renkei rules)",
                              select ? select : ignore);
    return RK_EXIT_OK;
}

int rk_parse_format(const char *s, rk_format *out)
{
    if (strcmp(s, "text") == 0)
        *out = RK_FMT_TEXT;
    else if (strcmp(s, "jsonl") == 0)
        *out = RK_FMT_JSONL;
    else if (strcmp(s, "json") == 0)
        *out = RK_FMT_JSON;
    else if (strcmp(s, "sarif") == 0)
        *out = RK_FMT_SARIF;
    else if (strcmp(s, "gnu") == 0)
        *out = RK_FMT_GNU;
    else
        return -1;
    return 0;
}

int rk_parse_jobs(const char *cmd, const char *arg, unsigned *jobs)
{
    unsigned long long v;
    if (rk_parse_uint(arg, 1024, &v) || v == 0)
        return rk_usage_error(cmd, "--jobs takes a number from 1 to 1024", arg);
    *jobs = (unsigned)v;
    return 0;
}

int rk_parse_size(const char *cmd, const char *opt, const char *arg, size_t *out)
{
    char num[32];
    size_t n = strlen(arg), mult = 1;
    char last = n ? arg[n - 1] : 0;
    if (last == 'K' || last == 'k' || last == 'M' || last == 'm' || last == 'G' || last == 'g') {
        mult = last == 'K' || last == 'k' ? 1u << 10 : last == 'M' || last == 'm' ? 1u << 20 : 1u << 30;
        n--;
    }
    unsigned long long v;
    if (n == 0 || n >= sizeof num) {
        fprintf(stderr, "renkei %s: %s takes a size: bytes, or a number with K, M or G\n", cmd, opt);
        return RK_EXIT_USAGE;
    }
    memcpy(num, arg, n);
    num[n] = 0;
    if (rk_parse_uint(num, (1ull << 50) / mult, &v) || v == 0) {
        fprintf(stderr, "renkei %s: %s takes a size: bytes, or a number with K, M or G (%s)\n", cmd, opt, arg);
        return RK_EXIT_USAGE;
    }
    *out = (size_t)(v * mult);
    return 0;
}

int rk_parse_chunk(const char *cmd, const char *arg, size_t *chunk)
{
    unsigned long long v;
    if (rk_parse_uint(arg, 1ull << 40, &v) || v < 64)
        return rk_usage_error(cmd, "--chunk-size takes a number of bytes >= 64", arg);
    *chunk = (size_t)v;
    return 0;
}

int rk_findings_exit(const rk_report *r, int strict, int code)
{
    uint64_t counts[3];
    rk_report_totals(r, counts, NULL, NULL);
    return counts[RK_SEV_ERROR] || (strict && counts[RK_SEV_WARNING]) ? code : RK_EXIT_OK;
}

int rk_cli_silent;

int rk_status_exit(const char *cmd, const char *what, rk_status st)
{
    char why[512];
    const char *msg = st == RK_ERR_IO ? rk_input_problem(what, why, sizeof why)
                      : st == RK_ERR_CHANGED
                          ? "the file changed (shrank) while it was read; what is reported of it is incomplete"
                          : rk_status_name(st);
    if (!rk_cli_silent)
        fprintf(stderr, "renkei %s: %s: %s\n", cmd, what, msg);
    return st == RK_ERR_IO || st == RK_ERR_CHANGED ? RK_EXIT_IO : RK_EXIT_INTERNAL;
}

int main(int argc, char **argv)
{
    rk_remove_temporaries_on_signal(); /* Ctrl-C during -o leaves no temporary file */
    if (argc < 2) {
        help(stderr);
        return RK_EXIT_USAGE;
    }
    const char *c = argv[1];
    if (strcmp(c, "--version") == 0 || strcmp(c, "-V") == 0) {
        printf("renkei %s (kernel %s)\n", rk_version(), rk_simd_name(rk_simd_best()));
        return RK_EXIT_OK;
    }
    if (strcmp(c, "--help") == 0 || strcmp(c, "-h") == 0 || strcmp(c, "help") == 0) {
        help(stdout);
        return RK_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(c, commands[i].name) != 0)
            continue;
        for (int k = 2; k < argc; k++) {
            if (strcmp(argv[k], "--") == 0)
                break;
            if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
                fputs(commands[i].usage, stdout);
                return RK_EXIT_OK;
            }
        }
        int rc = commands[i].run(argc - 1, argv + 1);
        if (fflush(stdout) != 0 && rc == RK_EXIT_OK) {
            fprintf(stderr, "renkei %s: cannot write output: %s\n", c, strerror(errno));
            return RK_EXIT_IO;
        }
        return rc;
    }
    fprintf(stderr, "renkei: unknown command: %s\nhint: renkei --help\n", c);
    return RK_EXIT_USAGE;
}

/* Where the default master may be, beside the running binary: an installed
 * prefix (bin/ → share/renkei/) and the build tree (share/renkei/ beside it),
 * then the data directory the build was configured for. */
static const char *const master_places[] = {"/../share/renkei/master.csv", "/share/renkei/master.csv"};

const char *rk_cli_master(const char *cmd, const char *given, char *buf, size_t cap)
{
    if (given)
        return given;
    const char *env = getenv("RENKEI_MASTER");
    if (env && *env)
        return env;
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = 0;
        for (size_t i = 0; i < sizeof master_places / sizeof *master_places; i++) {
            snprintf(buf, cap, "%s%s", exe, master_places[i]);
            if (access(buf, R_OK) == 0)
                return buf;
        }
    }
#ifdef RK_DATADIR
    snprintf(buf, cap, "%s/renkei/master.csv", RK_DATADIR);
    if (access(buf, R_OK) == 0)
        return buf;
#endif
    fprintf(stderr,
            "renkei %s: no service-code master found beside the program (share/renkei/master.csv);\n"
            "  name one with --master FILE or RENKEI_MASTER=FILE\n",
            cmd);
    return NULL;
}
