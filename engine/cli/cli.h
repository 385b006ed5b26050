/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared pieces of the renkei program: exit codes, the command table entry,
 * option helpers. The program uses the public API (renkei.h) only.
 */
#ifndef RK_CLI_H
#define RK_CLI_H

#include "renkei.h"

enum {
    RK_EXIT_OK = 0,
    RK_EXIT_FINDINGS = 1,
    RK_EXIT_USAGE = 2,
    RK_EXIT_IO = 3,
    RK_EXIT_INTEGRITY = 4,
    RK_EXIT_INTERNAL = 70
};

typedef struct rk_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
    const char *usage; /* full help text of the command */
} rk_command;

int cmd_validate(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_seal(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_batch(int argc, char **argv);
extern const char usage_validate[], usage_convert[], usage_rules[], usage_seal[], usage_verify[], usage_extract[],
    usage_check[], usage_batch[];

/* Prints "renkei CMD: MSG" and a one-line hint to stderr; returns RK_EXIT_USAGE. */
int rk_usage_error(const char *cmd, const char *msg, const char *arg);

/* Parses a non-negative integer; 0 on success. */
int rk_parse_uint(const char *s, unsigned long long max, unsigned long long *out);

/* The language from --lang or, if NULL, from LC_ALL / LC_MESSAGES / LANG. */
int rk_parse_lang(const char *s, rk_lang *out);

int rk_parse_format(const char *s, rk_format *out);

/* Set on the ranks of an MPI job but rank 0, which says what all of them found. */
extern int rk_cli_silent;

/* Maps a status to an exit code and prints it to stderr with context (unless rk_cli_silent). */
int rk_status_exit(const char *cmd, const char *what, rk_status st);

/* Parses --jobs (1-1024) into *jobs; 0 on success, else the usage exit code (message printed). */
int rk_parse_jobs(const char *cmd, const char *arg, unsigned *jobs);
/* --chunk-size: bytes >= 64; prints the usage error and returns nonzero if not. */
int rk_parse_chunk(const char *cmd, const char *arg, size_t *chunk);
/* A size: bytes, or a number with K, M or G (powers of 1024); 0 or the usage exit status. */
int rk_parse_size(const char *cmd, const char *opt, const char *arg, size_t *out);

/* `code` when r has errors (or warnings with strict), else RK_EXIT_OK. */
int rk_findings_exit(const rk_report *r, int strict, int code);

/* Runs fn on standard output (path NULL or "-") or on path, written atomically;
 * RK_EXIT_OK, or the exit code of the failure (printed). */
int rk_cli_output(const char *cmd, const char *path, rk_status (*fn)(void *ctx, FILE *out), void *ctx);

/* The service-code master: given (--master), else $RENKEI_MASTER, else the
 * installed or built data directory beside the program (never the current
 * directory). NULL, with the reason printed, when there is none. */
const char *rk_cli_master(const char *cmd, const char *given, char *buf, size_t cap);
/* --select / --ignore on a report (NULL: only checks the lists); RK_EXIT_OK or the usage exit code (printed). */
int rk_cli_select(const char *cmd, rk_report *r, const char *select, const char *ignore);

/* --mpi (cli_mpi.c): this process joins the MPI job it was started in
 * (mpirun, srun) as one of its peers; RK_EXIT_OK, or the usage exit code
 * (printed) when renkei was built without MPI. */
int rk_cli_mpi_begin(const char *cmd, rk_peers *p);
/* The end of an MPI job: every rank gets rank 0's exit code (so mpirun
 * returns it), then MPI finishes. Returns that code. */
int rk_cli_mpi_end(int rc);

/* auto, scalar, sse2, avx2, avx512; 0 on success. */
int rk_parse_simd(const char *s, rk_simd *out);

#endif
