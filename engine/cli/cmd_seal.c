/* SPDX-License-Identifier: Apache-2.0 */
/*
 * renkei seal / verify / extract — signed, compressed, reproducible archives
 * of a month's files that stock openssl, tar, zstd, sha256sum and xxhsum can
 * check too.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char usage_seal[] =
    "usage: renkei seal [--key KEY.pem|KEY.p12] [--cert CERT.pem] [--chain CHAIN.pem]\n"
    "                   [--pass-file FILE] [--level N] [--jobs N] -o OUT.tar.zst PATH...\n"
    "\n"
    "Writes the files and directories given into one archive: data/<name> (a\n"
    "directory keeps its own name), MANIFEST.sha256 (sha256sum -c), MANIFEST.xxh3\n"
    "(xxhsum -c), and a signature of MANIFEST.sha256:\n"
    "  --cert given:  MANIFEST.sha256.p7s, CMS detached DER with the certificate\n"
    "                 (ECDSA P-256 or RSA keys); openssl cms -verify checks it\n"
    "  no --cert:     MANIFEST.sha256.sig, raw Ed25519, with MANIFEST.pub\n"
    "  no --key:      no signature (verify warns)\n"
    "The same inputs give the same archive bytes for any --jobs (Ed25519; CMS\n"
    "signatures with ECDSA differ in the signature only). Member times come from\n"
    "SOURCE_DATE_EPOCH, else 0.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE   the archive to write (atomically)\n"
    "      --key FILE      private key (PEM) or PKCS#12 (.p12/.pfx)\n"
    "      --cert FILE     signer certificate (PEM)\n"
    "      --chain FILE    intermediate certificates (PEM) to include\n"
    "      --pass-file F   password of the key; else RENKEI_KEY_PASS (never on the command line)\n"
    "  -l, --level N       zstd level 1-19 (default 3)\n"
    "  -j, --jobs N        threads (default: all cores)\n"
    "\n"
    "examples:\n"
    "  renkei seal --key signer.key --cert signer.crt -o 2025-11.tar.zst corpus/sample\n"
    "  renkei seal --key ed25519.pem -o 2025-11.tar.zst /data/2025-11\n";

const char usage_verify[] = "usage: renkei verify [--ca CA.pem | --pubkey PUB.pem] [--format F] [--lang L] ARCHIVE\n"
                            "\n"
                            "Checks the zstd checksums, the tar structure, the signature and the signer\n"
                            "(certificate chain to --ca, or the Ed25519 key --pubkey), and every data member\n"
                            "against MANIFEST.sha256 and MANIFEST.xxh3, with nothing missing or extra.\n"
                            "The first finding names the first bad member.\n"
                            "\n"
                            "options:\n"
                            "      --ca FILE       trusted CA certificates (PEM)\n"
                            "      --pubkey FILE   the expected Ed25519 public key (PEM)\n"
                            "  -f, --format F      text (default), jsonl, json or sarif\n"
                            "      --lang L        ja or en\n"
                            "      --strict        exit 4 on warnings too\n"
                            "      --no-signer-check  accept an archive no trust anchor checked the signer of\n"
                            "                      (unsigned, or without --ca / --pubkey), with a warning\n"
                            "\n"
                            "On success the signer is named (subject and key SHA-256 fingerprint, RK-SEAL-012).\n"
                            "exit status: 0 verified and the signer checked, 4 integrity or signature failure\n"
                            "or a signer not checked, 2 usage, 3 I/O\n"
                            "\n"
                            "example:\n"
                            "  renkei verify --ca ca.pem 2025-11.tar.zst\n";

const char usage_extract[] = "usage: renkei extract [--ca CA.pem | --pubkey PUB.pem] [--max-size N] ARCHIVE -C DIR\n"
                             "\n"
                             "Verifies the archive (as renkei verify) while extracting its data members\n"
                             "into DIR. Nothing is written before the signature is checked; each member is\n"
                             "renamed into place only when both its checksums match; absolute paths, \"..\",\n"
                             "links, devices and members over --max-size bytes are refused.\n"
                             "\n"
                             "options:\n"
                             "  -C, --directory DIR  where to extract (created if missing)\n"
                             "      --ca FILE, --pubkey FILE, --format F, --lang L, --strict,\n"
                             "      --no-signer-check  as for verify\n"
                             "      --max-size N     largest member in bytes (default 17179869184)\n"
                             "\n"
                             "exit status: 0 extracted and verified, 4 failure (bad members not written)\n";

static char *read_password(const char *file)
{
    if (file) {
        FILE *f = fopen(file, "rb");
        if (!f)
            return NULL;
        char buf[1024];
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = 0;
        buf[strcspn(buf, "\r\n")] = 0;
        return strdup(buf);
    }
    const char *e = getenv("RENKEI_KEY_PASS");
    return e ? strdup(e) : NULL;
}

int cmd_seal(int argc, char **argv)
{
    enum { OPT_KEY = 256, OPT_CERT, OPT_CHAIN, OPT_PASS };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},         {"key", required_argument, NULL, OPT_KEY},
        {"cert", required_argument, NULL, OPT_CERT},      {"chain", required_argument, NULL, OPT_CHAIN},
        {"pass-file", required_argument, NULL, OPT_PASS}, {"level", required_argument, NULL, 'l'},
        {"jobs", required_argument, NULL, 'j'},           {NULL, 0, NULL, 0}};
    rk_seal_options o;
    rk_seal_options_init(&o);
    const char *out = NULL, *pass_file = NULL;
    unsigned long long v;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:l:j:", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case OPT_KEY: o.key_path = optarg; break;
        case OPT_CERT: o.cert_path = optarg; break;
        case OPT_CHAIN: o.chain_path = optarg; break;
        case OPT_PASS: pass_file = optarg; break;
        case 'l':
            if (rk_parse_uint(optarg, 19, &v) || v < 1)
                return rk_usage_error("seal", "--level takes 1 to 19", optarg);
            o.level = (int)v;
            break;
        case 'j':
            if (rk_parse_jobs("seal", optarg, &o.jobs))
                return RK_EXIT_USAGE;
            break;
        default: return rk_usage_error("seal", "unknown option", argv[optind - 1]);
        }
    }
    if (!out)
        return rk_usage_error("seal", "-o OUT.tar.zst is required", NULL);
    if (optind >= argc)
        return rk_usage_error("seal", "no file or directory given", NULL);
    if ((o.cert_path || o.chain_path) && !o.key_path)
        return rk_usage_error("seal", "--cert and --chain need --key", NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        if (rk_parse_uint(sde, 1ull << 40, &v))
            return rk_usage_error("seal", "SOURCE_DATE_EPOCH is not a number of seconds", sde);
        o.mtime = (int64_t)v;
    }
    char *pass = read_password(pass_file);
    if (pass_file && !pass) {
        fprintf(stderr, "renkei seal: cannot read %s: %s\n", pass_file, strerror(errno));
        return RK_EXIT_IO;
    }
    o.password = pass;
    char err[512];
    rk_status st = rk_seal(&o, (const char *const *)(argv + optind), (size_t)(argc - optind), out, err, sizeof err);
    if (pass) {
        memset(pass, 0, strlen(pass));
        free(pass);
    }
    if (st != RK_OK) {
        fprintf(stderr, "renkei seal: %s\n", err[0] ? err : rk_status_name(st));
        return st == RK_ERR_IO || st == RK_ERR_CHANGED ? RK_EXIT_IO
               : st == RK_ERR_ARG                      ? RK_EXIT_USAGE
                                                       : RK_EXIT_INTERNAL;
    }
    return RK_EXIT_OK;
}

static int verify_common(const char *cmd, int argc, char **argv, int extract)
{
    enum { OPT_CA = 256, OPT_PUB, OPT_LANG, OPT_STRICT, OPT_MAX, OPT_NO_SIGNER };
    static const struct option longopts[] = {{"ca", required_argument, NULL, OPT_CA},
                                             {"pubkey", required_argument, NULL, OPT_PUB},
                                             {"format", required_argument, NULL, 'f'},
                                             {"lang", required_argument, NULL, OPT_LANG},
                                             {"strict", no_argument, NULL, OPT_STRICT},
                                             {"directory", required_argument, NULL, 'C'},
                                             {"max-size", required_argument, NULL, OPT_MAX},
                                             {"no-signer-check", no_argument, NULL, OPT_NO_SIGNER},
                                             {NULL, 0, NULL, 0}};
    rk_verify_options o;
    rk_verify_options_init(&o);
    rk_format fmt = RK_FMT_TEXT;
    const char *lang_arg = NULL;
    int strict = 0, c, no_signer = 0;
    unsigned long long v;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:C:", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_CA: o.ca_path = optarg; break;
        case OPT_PUB: o.pubkey_path = optarg; break;
        case 'f':
            if (rk_parse_format(optarg, &fmt))
                return rk_usage_error(cmd, "--format takes text, jsonl, json, sarif or gnu", optarg);
            break;
        case OPT_LANG: lang_arg = optarg; break;
        case OPT_STRICT: strict = 1; break;
        case OPT_NO_SIGNER: no_signer = 1; break;
        case 'C':
            if (!extract)
                return rk_usage_error(cmd, "-C is for renkei extract", NULL);
            o.extract_dir = optarg;
            break;
        case OPT_MAX:
            if (rk_parse_uint(optarg, ~0ull, &v))
                return rk_usage_error(cmd, "--max-size takes a number of bytes", optarg);
            o.max_member = v;
            break;
        default: return rk_usage_error(cmd, "unknown option", argv[optind - 1]);
        }
    }
    rk_lang lang;
    if (rk_parse_lang(lang_arg, &lang))
        return rk_usage_error(cmd, "--lang takes ja or en", lang_arg);
    if (optind != argc - 1)
        return rk_usage_error(cmd, "exactly one archive is needed", NULL);
    if (extract && !o.extract_dir)
        return rk_usage_error(cmd, "-C DIR is required", NULL);
    if (o.ca_path && o.pubkey_path)
        return rk_usage_error(cmd, "give --ca or --pubkey, not both", NULL);
    rk_report *r = rk_report_new();
    char err[512];
    rk_status st = r ? rk_verify(&o, argv[optind], r, err, sizeof err) : RK_ERR_NOMEM;
    if (st != RK_OK) {
        fprintf(stderr, "renkei %s: %s\n", cmd, err[0] ? err : rk_status_name(st));
        rk_report_free(r);
        return st == RK_ERR_IO ? RK_EXIT_IO : RK_EXIT_INTERNAL;
    }
    int rc = RK_EXIT_OK;
    if (rk_report_write(r, fmt, lang, stdout) != RK_OK)
        rc = RK_EXIT_IO;
    if (rk_findings_exit(r, strict, RK_EXIT_INTEGRITY))
        rc = RK_EXIT_INTEGRITY;
    /* Fail safe: an archive whose signer no trust anchor checked does not pass. */
    const rk_rule *unchecked = rk_rule_find("RK-SEAL-008"), *first = rk_rule_at(0);
    uint64_t *per = calloc(rk_rule_count(), sizeof *per);
    if (!per) {
        rk_report_free(r);
        return RK_EXIT_INTERNAL;
    }
    rk_report_rule_counts(r, per);
    if (per[unchecked - first]) {
        if (no_signer) {
            fprintf(stderr, "renkei %s: WARNING: the signer of %s was NOT checked (--no-signer-check)\n", cmd,
                    argv[optind]);
        } else {
            fprintf(stderr,
                    "renkei %s: %s: the signer was not checked: give --ca (CMS) or --pubkey (Ed25519), or "
                    "--no-signer-check to accept any signer\n",
                    cmd, argv[optind]);
            rc = RK_EXIT_INTEGRITY;
        }
    }
    free(per);
    rk_report_free(r);
    return rc;
}

int cmd_verify(int argc, char **argv)
{
    return verify_common("verify", argc, argv, 0);
}

int cmd_extract(int argc, char **argv)
{
    return verify_common("extract", argc, argv, 1);
}
