/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reference data for `renkei check` (check_internal.h): the service-code
 * master and the office table, read with the engine's CSV walk and handed
 * row by row to formats/billing.
 */
#include <stdio.h>
#include <string.h>

#include "../io/io.h"
#include "check_internal.h"

typedef struct table_ctx {
    const char *path;
    rk_master *m;
    rk_offices *o;
    const char *problem;
    uint64_t line;
    size_t ncols; /* columns of the header: the master 9 (or 10 with limit_rule), offices 2 or 3 */
    int seen_header;
} table_ctx;

#define MASTER_COMPLETE "# complete_types:"

/* A comment line before the master's header: "# key: value". The one key
 * read is complete_types, the service types whose every code the master holds. */
static const char *table_comment(table_ctx *t, const unsigned char *buf, const rk_record *rec)
{
    const rk_field *a = &rec->fields[0], *z = &rec->fields[rec->nfields - 1];
    size_t n = z->end - a->start, k = strlen(MASTER_COMPLETE);
    if (!t->m || n <= k || memcmp(buf + a->start, MASTER_COMPLETE, k) != 0)
        return NULL;
    char v[512];
    if (n - k >= sizeof v)
        return "complete_types: the line is too long";
    memcpy(v, buf + a->start + k, n - k);
    v[n - k] = 0;
    return rk_master_declare_complete(t->m, v);
}

static int read_table_row(void *ctx, const unsigned char *buf, const rk_record *rec)
{
    table_ctx *t = ctx;
    char cell[10][256];
    const char *col[10];
    t->line = rec->line;
    if (!t->seen_header && rec->nfields && rec->fields[0].end > rec->fields[0].start &&
        buf[rec->fields[0].start] == '#') {
        t->problem = table_comment(t, buf, rec);
        return t->problem != NULL;
    }
    const char *hdr = t->m ? "service_code" : "office_no";
    if (!t->seen_header && (rec->nfields == 0 || rec->fields[0].end - rec->fields[0].start != strlen(hdr) ||
                            memcmp(buf + rec->fields[0].start, hdr, strlen(hdr)) != 0)) {
        t->problem = t->m ? "the first line (after # comments) must be the header service_code,name,units,..."
                          : "the first line must be the header office_no,grade[,name]";
        return 1;
    }
    size_t want = t->seen_header ? t->ncols : rec->nfields;
    int ok = t->m ? want == 9 || want == 10 : want == 2 || want == 3;
    if (rec->nfields != want || !ok) {
        t->problem = t->m ? "a row needs the header's columns: 9 (service_code,...,daily_of) or 10 (,limit_rule)"
                          : "a row needs the header's columns: 2 (office_no,grade) or 3 (,name)";
        return 1;
    }
    for (size_t i = 0; i < want; i++) {
        size_t n;
        unsigned char tmp[256];
        const rk_field *f = &rec->fields[i];
        if (f->end - f->start >= sizeof tmp) {
            t->problem = "a cell is too long";
            return 1;
        }
        rk_field_value(buf, f, tmp, &n);
        memcpy(cell[i], tmp, n);
        cell[i][n] = 0;
        col[i] = cell[i];
    }
    if (!t->seen_header) {
        t->seen_header = 1;
        t->ncols = want;
        return 0;
    }
    t->problem = t->m ? rk_master_add(t->m, col) : rk_offices_add(t->o, col[0], col[1]);
    return t->problem != NULL;
}

rk_status ck_load_table(const char *path, rk_master *m, rk_offices *o, char *err, size_t cap)
{
    rk_map map;
    if (rk_map_file(path, &map) != RK_OK) {
        rk_cannot_read(err, cap, path);
        return RK_ERR_IO;
    }
    rk_options opt;
    rk_options_init(&opt);
    opt.jobs = 1;
    rk_engine *e = rk_engine_new(&opt);
    table_ctx t = {path, m, o, NULL, 0, 0, 0};
    rk_status st = e ? rk_csv_each(e, map.p, map.len, read_table_row, &t) : RK_ERR_NOMEM;
    rk_engine_free(e);
    rk_unmap(&map);
    if (t.problem) {
        snprintf(err, cap, "%s:%llu: %s", path, (unsigned long long)t.line, t.problem);
        return RK_ERR_ARG;
    }
    if (m)
        rk_master_done(m);
    else
        rk_offices_done(o);
    return st;
}
