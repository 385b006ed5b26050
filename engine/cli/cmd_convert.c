/* SPDX-License-Identifier: Apache-2.0 */
/*
 * renkei convert — MS932 CSV to JSON Lines (one object per record) or to
 * UTF-8 CSV, and UTF-8 CSV back to MS932.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char usage_convert[] = "usage: renkei convert FILE --to FORMAT [-o OUT]\n"
                             "\n"
                             "formats:\n"
                             "  jsonl   one JSON object per record of an MS932 CSV file:\n"
                             "          {\"file\":…,\"record\":N,\"line\":N,\"fields\":[…]} with the field values\n"
                             "          unquoted and decoded to UTF-8\n"
                             "  utf8    the MS932 file as UTF-8, byte for byte otherwise\n"
                             "  ms932   a UTF-8 file as MS932; characters with no MS932 form become '?'\n"
                             "          and are listed on stderr (exit 1)\n"
                             "\n"
                             "options:\n"
                             "  -t, --to FORMAT   jsonl, utf8 or ms932\n"
                             "  -o, --output OUT  write to OUT atomically instead of stdout\n"
                             "      --chunk-size N  bytes per chunk of the record plan (jsonl; default 1048576)\n"
                             "\n"
                             "Bytes that are not MS932 become U+FFFD; run renkei validate to see them.\n"
                             "\n"
                             "examples:\n"
                             "  renkei convert UPPLAN_202511_….CSV --to jsonl | head\n"
                             "  renkei convert plan.utf8.csv --to ms932 -o UPPLAN_202511_….CSV\n";

typedef struct jsonl_ctx {
    FILE *out;
    const char *name;
    unsigned char *val;
    size_t valcap;
    char *utf8;
    size_t utf8cap;
    int oom;
} jsonl_ctx;

static int grow(void **p, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 1;
    size_t nc = *cap ? *cap : 256;
    while (nc < need)
        nc *= 2;
    void *q = realloc(*p, nc);
    if (!q)
        return 0;
    *p = q;
    *cap = nc;
    return 1;
}

static int jsonl_record(void *vctx, const unsigned char *buf, const rk_record *rec)
{
    jsonl_ctx *x = vctx;
    FILE *out = x->out;
    fputs("{\"file\":", out);
    rk_json_string(out, x->name, strlen(x->name));
    fprintf(out, ",\"record\":%" PRIu64 ",\"line\":%" PRIu64 ",\"fields\":[", rec->record, rec->line);
    for (size_t i = 0; i < rec->nfields; i++) {
        const rk_field *f = &rec->fields[i];
        size_t raw = (size_t)(f->end - f->start), n, w;
        if (!grow((void **)&x->val, &x->valcap, raw + 1) || !grow((void **)&x->utf8, &x->utf8cap, 3 * raw + 1)) {
            x->oom = 1;
            return 1;
        }
        rk_field_value(buf, f, x->val, &n);
        if (rk_ms932_to_utf8(x->val, n, x->utf8, x->utf8cap, &w, NULL) != RK_OK) {
            x->oom = 1;
            return 1;
        }
        if (i)
            fputc(',', out);
        rk_json_string(out, x->utf8, w);
    }
    fputs("]}\n", out);
    return 0;
}

typedef struct unmappable_ctx {
    const char *path;
    const unsigned char *src;
    size_t shown;
} unmappable_ctx;

static void report_unmappable(void *vctx, size_t off, uint32_t cp)
{
    unmappable_ctx *u = vctx;
    if (u->shown++ >= 1000)
        return;
    uint64_t line = 1;
    for (size_t i = 0; i < off; i++)
        line += u->src[i] == '\n';
    if (cp == 0xFFFFFFFFu)
        fprintf(stderr, "%s:%" PRIu64 ": byte %zu: invalid UTF-8 byte <%02X>, written as '?'\n", u->path, line, off,
                u->src[off]);
    else
        fprintf(stderr, "%s:%" PRIu64 ": byte %zu: U+%04" PRIX32 " has no MS932 form, written as '?'\n", u->path, line,
                off, cp);
}

int cmd_convert(int argc, char **argv)
{
    static const struct option longopts[] = {{"to", required_argument, NULL, 't'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"chunk-size", required_argument, NULL, 'c'},
                                             {NULL, 0, NULL, 0}};
    const char *to = NULL, *output = NULL;
    unsigned long long chunk = 0;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "t:o:c:", longopts, NULL)) != -1) {
        switch (c) {
        case 't': to = optarg; break;
        case 'o': output = optarg; break;
        case 'c':
            if (rk_parse_uint(optarg, 1ull << 40, &chunk) || chunk < 64)
                return rk_usage_error("convert", "--chunk-size takes a number of bytes >= 64", optarg);
            break;
        default: return rk_usage_error("convert", "unknown option", argv[optind - 1]);
        }
    }
    if (!to)
        return rk_usage_error("convert", "--to is required", NULL);
    if (strcmp(to, "jsonl") && strcmp(to, "utf8") && strcmp(to, "ms932"))
        return rk_usage_error("convert", "--to takes jsonl, utf8 or ms932", to);
    if (optind != argc - 1)
        return rk_usage_error("convert", "exactly one input file is needed", NULL);
    const char *path = argv[optind];

    rk_mapped map;
    if (rk_file_map(path, &map) != RK_OK)
        return rk_status_exit("convert", path, RK_ERR_IO);
    const unsigned char *buf = map.data;
    size_t len = map.len;

    rk_afile *af = NULL;
    FILE *out = stdout;
    if (output) {
        af = rk_afile_open(output);
        if (!af) {
            rk_file_unmap(&map);
            return rk_status_exit("convert", output, RK_ERR_IO);
        }
        out = rk_afile_stream(af);
    }
    int rc = RK_EXIT_OK;
    rk_status st = RK_OK;
    if (strcmp(to, "jsonl") == 0) {
        rk_options o;
        rk_options_init(&o);
        o.jobs = 1;
        o.chunk_size = (size_t)chunk;
        rk_engine *e = rk_engine_new(&o);
        const char *slash = strrchr(path, '/');
        jsonl_ctx x = {out, slash ? slash + 1 : path, NULL, 0, NULL, 0, 0};
        st = e ? rk_csv_each(e, buf, len, jsonl_record, &x) : RK_ERR_NOMEM;
        if (x.oom)
            st = RK_ERR_NOMEM;
        free(x.val);
        free(x.utf8);
        rk_engine_free(e);
    } else {
        size_t cap = strcmp(to, "utf8") == 0 ? 3 * len + 1 : len + 1, w = 0, nbad = 0;
        char *dst = malloc(cap);
        if (!dst) {
            st = RK_ERR_NOMEM;
        } else if (strcmp(to, "utf8") == 0) {
            st = rk_ms932_to_utf8(buf, len, dst, cap, &w, &nbad);
            if (nbad)
                fprintf(stderr, "renkei convert: %s: %zu bytes are not MS932 and became U+FFFD\n", path, nbad);
        } else {
            unmappable_ctx u = {path, buf, 0};
            st = rk_ms932_from_utf8((const char *)buf, len, dst, cap, &w, &nbad, report_unmappable, &u);
            if (nbad)
                rc = RK_EXIT_FINDINGS;
        }
        if (st == RK_OK && fwrite(dst, 1, w, out) != w)
            st = RK_ERR_IO;
        free(dst);
    }
    if (st == RK_OK && rk_file_changed(&map) != RK_OK) /* the input shrank under us: no output */
        st = RK_ERR_CHANGED;
    if (af) {
        if (st == RK_OK)
            st = rk_afile_commit(af);
        else
            rk_afile_abort(af);
    }
    rk_file_unmap(&map);
    if (st != RK_OK)
        return rk_status_exit("convert", output && st != RK_ERR_CHANGED ? output : path, st);
    return rc;
}
