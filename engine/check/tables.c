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
} table_ctx;

static int read_table_row(void *ctx, const unsigned char *buf, const rk_record *rec)
{
    table_ctx *t = ctx;
    size_t want = t->m ? 9 : rec->nfields == 3 ? 3 : 2; /* office_no,grade[,name] */
    char cell[9][256];
    const char *col[9];
    if (rec->nfields != want) {
        t->problem = t->m ? "a row needs 9 columns" : "a row needs 2 columns (office_no,grade) or 3 (,name)";
        t->line = rec->line;
        return 1;
    }
    for (size_t i = 0; i < want; i++) {
        size_t n;
        unsigned char tmp[256];
        const rk_field *f = &rec->fields[i];
        if (f->end - f->start >= sizeof tmp) {
            t->problem = "a cell is too long";
            t->line = rec->line;
            return 1;
        }
        rk_field_value(buf, f, tmp, &n);
        memcpy(cell[i], tmp, n);
        cell[i][n] = 0;
        col[i] = cell[i];
    }
    if (rec->record == 1) { /* the header */
        const char *hdr = t->m ? "service_code" : "office_no";
        if (strcmp(col[0], hdr) != 0) {
            t->problem = t->m ? "the first line must be the header service_code,name,units,..."
                              : "the first line must be the header office_no,grade[,name]";
            t->line = 1;
            return 1;
        }
        return 0;
    }
    t->problem = t->m ? rk_master_add(t->m, col) : rk_offices_add(t->o, col[0], col[1]);
    t->line = rec->line;
    return t->problem != NULL;
}

rk_status ck_load_table(const char *path, rk_master *m, rk_offices *o, char *err, size_t cap)
{
    rk_map map;
    if (rk_map_file(path, &map) != RK_OK) {
        snprintf(err, cap, "cannot read %s", path);
        return RK_ERR_IO;
    }
    rk_options opt;
    rk_options_init(&opt);
    opt.jobs = 1;
    rk_engine *e = rk_engine_new(&opt);
    table_ctx t = {path, m, o, NULL, 0};
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
