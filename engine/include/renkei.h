/* SPDX-License-Identifier: Apache-2.0 */
/*
 * renkei.h — the public API of librenkei, the batch engine for the care-plan
 * data exchange CSV files of the MHLW standard (ケアプランデータ連携標準仕様).
 *
 * Conventions:
 *  - Every exported name starts with rk_ / RK_.
 *  - Operational failures are rk_status values; problems in the *data* are
 *    findings (rk_finding) collected in an rk_report, never a status.
 *  - Handles are opaque, created and freed in pairs; every *_free(NULL) is a
 *    no-op.
 *  - The library never prints, exits, aborts on bad data or reads the locale.
 *  - Threads: one rk_engine may be used by one thread at a time; it runs its
 *    own OpenMP worker threads inside a call. Distinct handles are independent.
 *    The catalog and codec functions are pure and may be called from any thread.
 */
#ifndef RENKEI_H
#define RENKEI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(RK_BUILDING) && defined(__GNUC__)
#define RK_API __attribute__((visibility("default")))
#else
#define RK_API
#endif

#define RK_VERSION_MAJOR 0
#define RK_VERSION_MINOR 1
#define RK_VERSION_PATCH 0
#define RK_VERSION_STRING "0.1.0"

/** The library version, "MAJOR.MINOR.PATCH"; static storage. */
RK_API const char *rk_version(void);

/* ------------------------------------------------------------------------ */
/* Status codes. Numbers are stable and never reused.                        */

typedef enum rk_status {
    RK_OK = 0,
    RK_ERR_NOMEM = 1,    /* an allocation failed */
    RK_ERR_IO = 2,       /* a file could not be opened, read, mapped or written */
    RK_ERR_ARG = 3,      /* an argument is out of its documented range */
    RK_ERR_NOSPACE = 4,  /* an output buffer is too small */
    RK_ERR_INTERNAL = 5, /* an invariant of the library failed */
    RK_ERR_ABORTED = 6,  /* a callback asked to stop */
    RK_ERR_CHANGED = 7   /* an input changed (shrank) while it was read: its results are incomplete */
} rk_status;

/** Name of a status ("RK_OK", ...); "RK_ERR_UNKNOWN" for other values. */
RK_API const char *rk_status_name(rk_status s);

/* ------------------------------------------------------------------------ */
/* Rule catalog. Every finding names one rule.                               */

typedef enum rk_severity { RK_SEV_INFO = 0, RK_SEV_WARNING = 1, RK_SEV_ERROR = 2 } rk_severity;

typedef struct rk_rule {
    const char *id;       /* stable ID, e.g. "RK-CSV-002" */
    rk_severity severity; /* default severity */
    const char *ja;       /* message in Japanese (UTF-8) */
    const char *en;       /* message in English */
    const char *spec;     /* reference into the standard, e.g. "CSVレイアウト 2.2" */
} rk_rule;

/** Number of rules in the catalog. */
RK_API size_t rk_rule_count(void);
/** Rule at index i (0-based, catalog order), or NULL when i is out of range. */
RK_API const rk_rule *rk_rule_at(size_t i);
/** Rule with the given ID, or NULL. */
RK_API const rk_rule *rk_rule_find(const char *id);
/** Name of a severity: "error", "warning", "info". */
RK_API const char *rk_severity_name(rk_severity s);

/* ------------------------------------------------------------------------ */
/* MS932 (CP932, Windows-31J) codec. Pure functions; no allocation.          */

typedef enum rk_ms932_error_kind {
    RK_MS932_OK = 0,
    RK_MS932_INVALID = 1,    /* a byte that starts no character, or a lead byte
                                without a valid trail byte (also at the end) */
    RK_MS932_UNASSIGNED = 2, /* a well-formed pair that is no MS932 character */
    RK_MS932_GAIJI = 3       /* user-defined 外字 (lead 0xF0-0xF9): forbidden */
} rk_ms932_error_kind;

typedef struct rk_ms932_error {
    rk_ms932_error_kind kind;
    size_t offset; /* byte offset of the offending character */
    size_t length; /* its length in bytes (1 or 2) */
} rk_ms932_error;

/**
 * Checks that p[0..n) is MS932 text. Returns the number of bad characters
 * found; *first (may be NULL) receives the first one, or kind RK_MS932_OK.
 */
RK_API size_t rk_ms932_validate(const void *p, size_t n, rk_ms932_error *first);

/**
 * Decodes MS932 to UTF-8. dst must hold 3 * n bytes at most (the worst case).
 * Bad characters become U+FFFD (one per bad character, gaiji included) and are
 * counted in *nbad (may be NULL). *written receives the bytes written.
 * Returns RK_ERR_NOSPACE if cap is too small (nothing useful is written).
 */
RK_API rk_status rk_ms932_to_utf8(const void *src, size_t n, char *dst, size_t cap, size_t *written, size_t *nbad);

/** Called by rk_ms932_from_utf8 for each character with no MS932 form. */
typedef void (*rk_unmappable_fn)(void *ctx, size_t src_offset, uint32_t codepoint);

/**
 * Encodes UTF-8 to MS932. dst needs at most n bytes. A character with no MS932
 * form (and each invalid UTF-8 byte, reported as codepoint 0xFFFFFFFF) is
 * written as '?' and reported through on_unmappable (may be NULL); *nbad
 * (may be NULL) counts them.
 */
RK_API rk_status rk_ms932_from_utf8(const char *src, size_t n, void *dst, size_t cap, size_t *written, size_t *nbad,
                                    rk_unmappable_fn on_unmappable, void *ctx);

/* ------------------------------------------------------------------------ */
/* Engine: options shared by validation and conversion.                      */

typedef enum rk_simd {
    RK_SIMD_AUTO = 0, /* best the CPU supports */
    RK_SIMD_SCALAR = 1,
    RK_SIMD_SSE2 = 2,
    RK_SIMD_AVX2 = 3,
    RK_SIMD_AVX512 = 4,
    RK_SIMD_AVX512VBMI2 = 5 /* AVX-512 with byte compress: separators without a bit loop */
} rk_simd;

/*
 * Processes that validate or check one month together, e.g. the ranks of an
 * MPI job (`renkei validate --mpi`, `renkei check --mpi`). Peer 0 hands each
 * peer a share of the files by size (whole send units for validate); each
 * reads its share. For check, every row then goes to the peer that owns its
 * partition (the hash of 保険者番号, 被保険者番号, 対象年月) and each judges
 * its partitions. Peer 0 gathers the results and returns the report (and
 * check's summary) of the whole month, the same as one process would; the
 * other peers return the same status with an empty report and no summary.
 * Every peer must be given the same options and paths, on a file system they
 * share, and run on machines of one architecture (rows travel as bytes).
 */
typedef struct rk_peers {
    unsigned rank, size; /* this peer, of size (rank < size) */
    /* Every peer calls it at the same point: send[d] (len[d] bytes) goes to
     * peer d, and what peer s sent here comes back in recv[s] (rlen[s] bytes;
     * malloc'd, NULL when empty, freed by the caller). 0 on success. */
    int (*exchange)(void *ctx, const void *const *send, const size_t *len, void **recv, size_t *rlen);
    void *ctx;
} rk_peers;

typedef struct rk_options {
    unsigned jobs;         /* worker threads; 0 = all cores */
    size_t chunk_size;     /* bytes per parallel chunk; 0 = default (1 MiB); min 64 */
    rk_simd simd;          /* tokenizer kernel; RK_SIMD_AUTO unless testing */
    unsigned max_per_rule; /* findings kept per rule and file; 0 = all (counts are always exact) */
    int check_ms932;       /* nonzero (default in rk_options_init): check the encoding */
    size_t batch_bytes;    /* rk_validate_paths takes whole send units of about this much input at a time
                              and frees their link keys once checked; 0 = default (256 MiB). Results do
                              not depend on it. */
    size_t spill_bytes;    /* a file of more input than this whose link keys the file-set rules compare keeps
                              them in a temporary file ($TMPDIR, else /tmp), by partition, instead of in
                              memory; 0 = default (256 MiB). Results do not depend on it. */
    /* rk_validate_paths calls it after each batch of whole send units with the files and bytes done so
     * far (from the thread that called rk_validate_paths); NULL = none. */
    void (*progress)(void *ctx, uint64_t files, uint64_t bytes);
    void *progress_ctx;
    const rk_peers *peers; /* rk_validate_paths: NULL, this process alone; set, one of the peers of a month */
} rk_options;

/** Fills *o with the defaults. */
RK_API void rk_options_init(rk_options *o);

/** Name of the kernel that RK_SIMD_AUTO selects on this CPU ("avx512", ...). */
RK_API const char *rk_simd_name(rk_simd s);
RK_API rk_simd rk_simd_best(void);
/** The kernel of a name ("scalar", "avx2", ... as rk_simd_name gives them); 0 if none has it. */
RK_API int rk_simd_from_name(const char *name, rk_simd *out);

typedef struct rk_engine rk_engine;

/** Creates an engine; o may be NULL for defaults. Returns NULL without memory. */
RK_API rk_engine *rk_engine_new(const rk_options *o);
RK_API void rk_engine_free(rk_engine *e);

/* ------------------------------------------------------------------------ */
/* Findings and reports.                                                     */

typedef struct rk_finding {
    const rk_rule *rule;
    uint64_t record;         /* 1-based record; 0 = the file as a whole */
    uint64_t line;           /* 1-based physical line; 0 = the file as a whole */
    uint32_t field;          /* 1-based item No.; 0 = the record or file */
    const char *field_name;  /* the item's name in the standard (UTF-8), NULL if field is 0 or unknown */
    uint64_t byte_offset;    /* from the start of the file */
    const char *value;       /* what was found, UTF-8; NULL if nothing to show */
    const char *expected;    /* what was expected, UTF-8; NULL if not applicable */
    const char *value_en;    /* value in English: the same pointer when the text has no words */
    const char *expected_en; /* expected in English: likewise */
} rk_finding;

/** What validation learnt of one file. Strings are UTF-8. */
typedef struct rk_file_result {
    const char *path;        /* as given */
    const char *name;        /* file name part of path */
    const char *kind;        /* file kind prefix ("UPPLAN", ...) or NULL if unknown */
    const char *csv_version; /* CSV version of the first record, or NULL */
    uint64_t bytes;
    uint64_t records;
    uint64_t lines;
    size_t nfindings;            /* findings kept (see rk_options.max_per_rule) */
    const rk_finding *findings;  /* in file order */
    uint64_t counts[3];          /* findings per severity, kept or not */
    const uint64_t *rule_counts; /* findings per rule (rk_rule_at order, rk_rule_count() of them), kept or not */
} rk_file_result;

typedef struct rk_report rk_report;

RK_API rk_report *rk_report_new(void);
RK_API void rk_report_free(rk_report *r);
/** Number of files in the report, in the order they were added. */
RK_API size_t rk_report_nfiles(const rk_report *r);
/** File result i; valid until the report is freed. */
RK_API const rk_file_result *rk_report_file(const rk_report *r, size_t i);
/**
 * Keeps only the findings of the rules `select` names and not `ignore` (each a
 * comma-separated list of rule IDs or their prefixes, "RK-SET" or "RK-CSV-00";
 * NULL or "" = every rule / none): the findings, the counts per severity and
 * per rule all follow. RK_ERR_ARG when an entry names no rule of the catalog.
 */
RK_API rk_status rk_report_select(rk_report *r, const char *select, const char *ignore);

/** Findings per rule over every file (kept or not): counts has rk_rule_count() slots. */
RK_API void rk_report_rule_counts(const rk_report *r, uint64_t *counts);
/** Totals over every file: counts per severity, records, bytes. */
RK_API void rk_report_totals(const rk_report *r, uint64_t counts[3], uint64_t *records, uint64_t *bytes);

/**
 * Validates one file: file name grammar, encoding, CSV syntax, field counts
 * and CSV version. The file is memory-mapped and never modified. Adds one
 * rk_file_result to r. Returns RK_ERR_IO if the file cannot be read (nothing
 * is added), RK_ERR_NOMEM on allocation failure.
 */
RK_API rk_status rk_validate_file(rk_engine *e, rk_report *r, const char *path);

/**
 * Validates many files, adding one result per readable file in the order
 * given. A directory among paths stands for its month, as the CLI takes it
 * (rk_collect_month: the .CSV / .JPG files below it, in name order); its
 * status is then the first failure among its files. Small files run in parallel, one per thread; large ones are split
 * into chunks across the threads. statuses (may be NULL) receives each file's
 * status: RK_ERR_IO for a file that could not be read (it gets no result),
 * RK_ERR_ABORTED for one the run never reached because memory ran out first.
 * Files are taken whole send unit by whole send unit (rk_options.batch_bytes);
 * results come in the order given all the same. Returns RK_ERR_NOMEM if
 * memory ran out, else RK_OK.
 */
RK_API rk_status rk_validate_paths(rk_engine *e, rk_report *r, const char *const *paths, size_t n, rk_status *statuses);

/** The same for bytes in memory; name is used for the file-name grammar. */
RK_API rk_status rk_validate_buffer(rk_engine *e, rk_report *r, const char *path, const void *buf, size_t len);

typedef enum rk_format {
    RK_FMT_TEXT = 0,
    RK_FMT_JSONL = 1,
    RK_FMT_JSON = 2,
    RK_FMT_SARIF = 3,
    RK_FMT_GNU = 4
} rk_format;
typedef enum rk_lang { RK_LANG_EN = 0, RK_LANG_JA = 1 } rk_lang;

/** A finding's value and expected text in a language (NULL where the finding has none). */
RK_API const char *rk_finding_value(const rk_finding *f, rk_lang lang);
RK_API const char *rk_finding_expected(const rk_finding *f, rk_lang lang);

/**
 * Writes the report to out. text: one line per finding ("file:line:field:
 * severity RULE: message"), then a table of files and a total line, in the
 * language asked. jsonl: a header line naming the schema "renkei.findings"
 * version 1, one line per finding, one per file, a summary line last. json:
 * one document with the same content. JSON keys are always in the same order;
 * "message" is Japanese, "message_en" English. sarif: SARIF 2.1.0, one run
 * whose driver lists the rule catalog, one result per finding kept. gnu:
 * "FILE:LINE: error: MESSAGE (...) [RULE]", a line per finding, as compilers
 * print them for editors and CI problem matchers.
 */
RK_API rk_status rk_report_write(const rk_report *r, rk_format fmt, rk_lang lang, FILE *out);

/**
 * Writes the catalog: RK_FMT_TEXT (ID, severity, both messages, reference),
 * RK_FMT_JSON (schema renkei.rules version 1), RK_FMT_JSONL (one rule a line).
 */
RK_API rk_status rk_rules_write(rk_format fmt, FILE *out);

/** Writes a JSON string literal (quotes included) of s[0..n) to out; invalid UTF-8 becomes U+FFFD. */
RK_API void rk_json_string(FILE *out, const char *s, size_t n);

/* ------------------------------------------------------------------------ */
/* Records: sequential access to the tokenized records of a buffer.          */

typedef struct rk_field {
    uint64_t start; /* byte offset of the raw field (quotes included) */
    uint64_t end;   /* one past its last byte (a record's CR excluded) */
} rk_field;

typedef struct rk_record {
    uint64_t record; /* 1-based */
    uint64_t line;   /* 1-based line of its first byte */
    uint64_t offset; /* byte offset of its first byte */
    size_t nfields;  /* fields[] held: at most RK_FIELDS_MAX */
    const rk_field *fields;
    uint64_t end;        /* one past its last byte: its last field's end */
    uint64_t fields_all; /* the fields the record has: nfields, unless it has more than
                          * RK_FIELDS_MAX, when the last of fields[] spans all the rest */
} rk_record;

/** Fields of a record held apart, at most (no layout of the standard comes near). */
#define RK_FIELDS_MAX 65536u

/** Receives each record; return nonzero to stop (rk_csv_each then returns RK_ERR_ABORTED). */
typedef int (*rk_record_fn)(void *ctx, const unsigned char *buf, const rk_record *rec);

/**
 * Tokenizes buf[0..len) by the standard's CSV syntax and calls fn for every
 * record in order. A leading UTF-8 BOM is skipped. Syntax errors do not stop
 * the walk (validation reports them); the field spans follow quote parity.
 */
RK_API rk_status rk_csv_each(rk_engine *e, const void *buf, size_t len, rk_record_fn fn, void *ctx);

/**
 * Writes the value of a raw field: surrounding quotes removed and "" turned
 * into ". dst needs (end - start) bytes. *written receives the length.
 */
RK_API void rk_field_value(const unsigned char *buf, const rk_field *f, unsigned char *dst, size_t *written);

/* ------------------------------------------------------------------------ */
/* File kinds of the standard (file-name grammar).                           */

typedef struct rk_name_info {
    const char *kind;    /* prefix, e.g. "UPPLAN"; NULL if no kind matches */
    int grammar;         /* 3 = v3 name (no service-type segments), 4 = v4.1 name, 0 = none */
    char month[7];       /* YYYYMM segment or "" */
    char sender[11];     /* sender office number */
    char sender_type[3]; /* v4.1 only */
    char receiver[11];
    char receiver_type[3];  /* v4.1 only */
    char serial[15];        /* ファイル連番 YYYYMMDDHHMMSS */
    char branch[5];         /* UPKIHON_IMAGE only */
    const char *problem;    /* NULL if the name follows the grammar, else what is wrong (English) */
    const char *problem_ja; /* the same in Japanese */
} rk_name_info;

/** Parses a file name (no directory part) by the standard's grammar. */
RK_API void rk_name_parse(const char *name, rk_name_info *out);

/* ------------------------------------------------------------------------ */
/* Files.                                                                    */

/**
 * Expands files and directories into a list of regular files: a directory
 * gives every file below it (hidden names skipped), sorted by name at each
 * level, so the order is the same on every machine. *paths is an array of
 * *npaths strings owned by the caller: free with rk_paths_free. RK_ERR_IO if
 * an input does not exist.
 */
/** Why path cannot be read as an input, in English ("not a regular file (a
 * FIFO)", "a directory link that loops back to ...", strerror), into buf. */
RK_API const char *rk_input_problem(const char *path, char *buf, size_t cap);

RK_API rk_status rk_collect_files(const char *const *inputs, size_t n, char ***paths, size_t *npaths);

/**
 * The files of a month among inputs, as validate, check and batch take them:
 * as rk_collect_files, but below a directory only the names the exchange's
 * files end in (.CSV, .JPG, any case) are taken; the others go to *skipped
 * (a file named itself is always taken). include / exclude (each a list of
 * fnmatch(3) patterns on the file name, may be NULL) narrow both: with an
 * include list only names that match one are taken; a name that matches an
 * exclude pattern is skipped. Free both lists with rk_paths_free.
 */
RK_API rk_status rk_collect_month(const char *const *inputs, size_t n, const char *const *include, size_t ninclude,
                                  const char *const *exclude, size_t nexclude, char ***paths, size_t *npaths,
                                  char ***skipped, size_t *nskipped);
RK_API void rk_paths_free(char **paths, size_t n);

/** A file mapped read-only (rk_file_map): data[0..len), never written. */
typedef struct rk_mapped {
    const unsigned char *data; /* "" for an empty file */
    size_t len;
    void *base; /* internal: what to unmap */
    int guard;  /* internal: the guard against a file that shrinks */
} rk_mapped;

/** Maps a regular file read-only, as validation reads its inputs; RK_ERR_IO if it cannot. */
RK_API rk_status rk_file_map(const char *path, rk_mapped *m);
RK_API void rk_file_unmap(rk_mapped *m);
/** RK_ERR_CHANGED if the file shrank while mapped (reads past its new end saw zeros, not a crash), else RK_OK. */
RK_API rk_status rk_file_changed(const rk_mapped *m);

/**
 * Writes data to path atomically: a temporary file beside it, fsync, rename.
 * An interrupted run leaves the old file or none, never half of the new one.
 */
RK_API rk_status rk_write_file_atomic(const char *path, const void *data, size_t len);

/**
 * Installs handlers for SIGINT, SIGTERM, SIGHUP and SIGPIPE that remove the
 * temporary files of outputs being written (rk_afile, extraction), then let
 * the signal end the process: an interrupted run leaves no ".tmp" behind.
 * For programs; a library caller with its own handlers may skip it.
 */
RK_API void rk_remove_temporaries_on_signal(void);

/** A file being written atomically: stream into it, then commit or abort. */
typedef struct rk_afile rk_afile;
/** Opens a temporary file beside path; NULL on failure (errno is set). */
RK_API rk_afile *rk_afile_open(const char *path);
/** The stream to write to; owned by the rk_afile. */
RK_API FILE *rk_afile_stream(rk_afile *f);
/** Flushes, fsyncs and renames over path; frees f. RK_ERR_IO on any failure (nothing is left). */
RK_API rk_status rk_afile_commit(rk_afile *f);
/** Removes the temporary file and frees f; NULL is a no-op. */
RK_API void rk_afile_abort(rk_afile *f);

/* ------------------------------------------------------------------------ */
/* Sealed archives: seal, verify, extract.                                   */

typedef struct rk_seal_options {
    const char *key_path;   /* PEM private key or PKCS#12 file; NULL = no signature */
    const char *cert_path;  /* signer certificate (PEM): a CMS signature; without it the key must be Ed25519 */
    const char *chain_path; /* intermediate certificates (PEM) to embed; may be NULL */
    const char *password;   /* of an encrypted key or a PKCS#12 file; may be NULL */
    int level;              /* zstd level 1..22 (default 3) */
    unsigned jobs;          /* threads; 0 = all cores. The archive is the same for any value. */
    int64_t mtime;          /* mtime of every member (SOURCE_DATE_EPOCH, else 0) */
} rk_seal_options;

RK_API void rk_seal_options_init(rk_seal_options *o);

/**
 * Writes the files and directories `inputs` into the archive `out` (atomically):
 * members data/<name> (a directory keeps its own name), MANIFEST.sha256
 * (sha256sum format), MANIFEST.xxh3 (BSD-tag lines), and the signature of
 * MANIFEST.sha256: MANIFEST.sha256.p7s (CMS, detached, DER, signer certificate
 * included) or MANIFEST.sha256.sig (raw Ed25519) with MANIFEST.pub. Inputs are
 * read once and never modified. On failure err (may be NULL) says why.
 */
RK_API rk_status rk_seal(const rk_seal_options *o, const char *const *inputs, size_t n, const char *out, char *err,
                         size_t errcap);

typedef struct rk_verify_options {
    const char *ca_path;     /* trusted CA certificates (PEM) for a CMS signature */
    const char *pubkey_path; /* the expected Ed25519 public key (PEM) */
    const char *extract_dir; /* extract the data members here; NULL = verify only */
    uint64_t max_member;     /* refuse members larger than this (default 16 GiB) */
} rk_verify_options;

RK_API void rk_verify_options_init(rk_verify_options *o);

/**
 * Verifies an archive made by rk_seal (or by stock tools in the same layout):
 * the zstd checksums, the tar structure, the signature and certificate chain,
 * every data member against both manifests, nothing missing or extra. Adds
 * one rk_file_result for the archive whose findings (rules RK-SEAL-*) name the
 * members; a finding of severity error means the archive cannot be trusted.
 * With extract_dir set, members are written there only once the signature
 * has been checked, each to a temporary file renamed into place after its
 * checksum matched; unsafe members (absolute, "..", links, devices, too large)
 * are refused. RK_ERR_IO if the archive cannot be read at all.
 */
RK_API rk_status rk_verify(const rk_verify_options *o, const char *archive, rk_report *r, char *err, size_t errcap);

/* ------------------------------------------------------------------------ */
/* Plan against actual: the billing cross-check.                             */

typedef struct rk_check_options {
    const char *master_path;  /* service-code master (UTF-8 CSV with its header); required */
    const char *offices_path; /* office_no,grade (UTF-8 CSV with its header); NULL = prices as sent */
    unsigned jobs;            /* threads; 0 = all cores. Results are the same for any value. */
    size_t chunk_size;        /* bytes per parallel chunk; 0 = default (1 MiB); min 64. Results do not depend on it. */
    unsigned max_per_rule;    /* findings kept per rule and file; 0 = all (the counts are always exact) */
    size_t max_memory;        /* bytes the rows may take; past it they go to temporary files in TMPDIR
                                 and are judged a part at a time (the same results). 0 = half of RAM */
    const rk_peers *peers;    /* NULL: this process alone. Set: one of the peers of a month (rk_peers);
                                 each holds its share of the rows in memory (max_memory is not used) */
} rk_check_options;

/* Totals of one office, insurer or service type. */
typedef struct rk_check_total {
    char key[12];          /* 事業所番号, 保険者番号 or サービス種類コード; "" for the grand total */
    int64_t planned_units; /* planned units inside the limit (給付管理) */
    int64_t actual_units;  /* actual units inside the limit (実績) */
    int64_t cut_units;     /* predicted cut (事由A / 事由B) */
    int64_t cut_yen;       /* their 費用総額 at the office's unit price */
    uint64_t held;         /* claims predicted 保留 (no plan for the person-month) */
    uint64_t claims;       /* (person, month, office, type) claims seen */
} rk_check_total;

/* Why a file's rows of some person-months were not judged (the month the
 * exchange sees: copies, re-sent versions, deletes; see README). */
typedef enum rk_check_disposition_kind {
    RK_CHECK_COPY,       /* the same ファイル連番 sent to another receiver: counted once, from `by` */
    RK_CHECK_SUPERSEDED, /* a newer ファイル連番 of the same document stands: `by` */
    RK_CHECK_DELETED     /* withdrawn by the DLTPLAN / DLTJSK `by` */
} rk_check_disposition_kind;

typedef struct rk_check_disposition {
    const char *file, *by; /* input paths */
    rk_check_disposition_kind kind;
    uint64_t person_months; /* person-months of file the disposition holds for */
} rk_check_disposition;

typedef struct rk_check_summary {
    rk_check_total all;
    rk_check_total *office, *insurer, *type; /* sorted by key */
    size_t noffice, ninsurer, ntype;
    rk_check_disposition *disposed; /* sorted by file, kind, by */
    size_t ndisposed;
    /* Per care manager (the sender of the standing plans), sorted: claims = its users (person-months),
     * planned_units = the offices their plans name, summed over the users (for the cost report). */
    rk_check_total *care_manager;
    size_t ncare_manager;
} rk_check_summary;

/**
 * Cross-checks a month: 予定 (UPPLAN, UPSIKYU, UPHOSOKU) against 実績 (UPJSK),
 * with the deletes (DLTPLAN, DLTJSK), found among `paths` (files and
 * directories). Judges the month as the exchange sees it: of copies of a plan
 * one, of versions the newest ファイル連番, deletes applied (README: the month
 * model). Adds one rk_file_result per input file of those kinds to r, with the
 * findings (rules RK-CHK-*, and the records it could not read: RK-CSV-006,
 * RK-VER-001, RK-ENC-001) placed at the records they concern, and fills
 * *summary (free with rk_check_summary_free), which lists the files whose rows
 * did not stand. RK_ERR_ARG with err set when the master or the
 * office table is malformed; RK_ERR_IO when a file cannot be read.
 */
RK_API rk_status rk_check(const rk_check_options *o, const char *const *paths, size_t n, rk_report *r,
                          rk_check_summary **summary, char *err, size_t errcap);

RK_API void rk_check_summary_free(rk_check_summary *s);

/* ------------------------------------------------------------------------ */
/* The month in one pass: validate, check, reports per office, seal.         */

/* Where a batch is: its phase (validate, check, reports, seal, done) and the input done so far. */
typedef struct rk_batch_progress {
    const char *phase;
    uint64_t files, files_total; /* inputs validated */
    uint64_t bytes, bytes_total;
    uint64_t passes_done; /* whole passes over the input finished: 0, 1 (validated) or 2 (checked) */
} rk_batch_progress;

typedef struct rk_batch_options {
    const char *master_path;  /* as rk_check_options; required */
    const char *offices_path; /* as rk_check_options; may be NULL */
    unsigned jobs;            /* threads; 0 = all cores. The outputs are the same for any value. */
    rk_lang lang;             /* of the text reports and report.html */
    const char *key_path;     /* with cert_path (or an Ed25519 key alone): seal the inputs and */
    const char *cert_path;    /* the reports into OUT_DIR/month.tar.zst, as rk_seal; NULL = no archive */
    const char *const *cost;  /* "KEY=VALUE" settings of the cost report (see `renkei batch --help`) */
    size_t ncost;
    void (*progress)(void *ctx, const rk_batch_progress *p); /* NULL = none */
    void *progress_ctx;
} rk_batch_options;

/**
 * Validates and cross-checks the month found among `paths` (files and
 * directories) and writes into out_dir (created if missing; every file
 * atomically): batch.json (schema renkei.batch version 1: the month's and
 * each office's files, records, findings by severity and by rule, planned,
 * actual and cut units and yen, 保留, 12P3 / 15P6), findings.jsonl (every
 * finding of validate and check, schema renkei.findings), findings.sarif
 * (the same as SARIF 2.1.0), cost.json (the cost simulator's figures per
 * office, every assumption listed), offices/NO.txt and
 * offices/NO.jsonl per sending office (its files' findings only) and
 * report.html. counts receives the findings per severity (rk_severity) for
 * the exit status. RK_ERR_ARG with err set for a bad master, office table
 * or key; RK_ERR_IO when an input or output cannot be read or written.
 */
RK_API rk_status rk_batch(const rk_batch_options *o, const char *const *paths, size_t n, const char *out_dir,
                          uint64_t counts[3], char *err, size_t errcap);

/**
 * Writes the summary: text tables, JSON Lines ({"type":"check_total",...}
 * per row), or the "summary" object of the JSON document (schema
 * renkei.check version 1, see README).
 */
RK_API rk_status rk_check_write_summary(const rk_check_summary *s, rk_format fmt, rk_lang lang, FILE *out);

/**
 * Writes a check's findings and totals: in JSON as one document (schema
 * renkei.check version 1: {"report": ..., "summary": ...}), otherwise the
 * report then the summary in that format.
 */
RK_API rk_status rk_check_write(const rk_report *r, const rk_check_summary *s, rk_format fmt, rk_lang lang, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
