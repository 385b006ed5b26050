/* SPDX-License-Identifier: Apache-2.0 */
/*
 * renkei batch: the month in one pass. Validation and the cross-check run
 * over the same files; their findings are joined per file; files are grouped
 * by the office that sent them (the sender of the name); the check's claims
 * give each provider its planned, actual and cut units. Then the outputs:
 * batch.json, findings.jsonl, a report per office, report.html, and with a
 * key the signed archive of inputs and reports.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../formats/careplan/families.h"
#include "../common/json.h"
#include "../common/vec.h"
#include "../findings/findings.h"
#include "../io/io.h"
#include "batch.h"

int bt_is_care_manager(const bt_office *x)
{
    return strcmp(x->type, "43") == 0 || strcmp(x->type, "46") == 0;
}

/* ---- the --offices list -------------------------------------------------------------- */

typedef struct list_ctx {
    bt_month *m;
    size_t cap;
    int oom;
} list_ctx;

static void cell(const unsigned char *buf, const rk_field *f, char *dst, size_t cap)
{
    unsigned char tmp[512];
    size_t n = 0;
    if (f->end - f->start < sizeof tmp)
        rk_field_value(buf, f, tmp, &n);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, tmp, n);
    dst[n] = 0;
}

static int list_row(void *ctx, const unsigned char *buf, const rk_record *rec)
{
    list_ctx *c = ctx;
    bt_month *m = c->m;
    if (rec->record == 1 || rec->nfields < 2) /* the header (check has read the table and its header) */
        return 0;
    if (!RK_RESERVE(m->listed, c->cap, m->nlisted + 1, 64)) {
        c->oom = 1;
        return 1;
    }
    bt_listed *x = &m->listed[m->nlisted++];
    memset(x, 0, sizeof *x);
    cell(buf, &rec->fields[0], x->no, sizeof x->no);
    if (rec->nfields > 2)
        cell(buf, &rec->fields[2], x->name, sizeof x->name);
    return 0;
}

/* The offices of the list (office_no,grade[,name], as check reads it). */
static rk_status load_list(bt_month *m, const char *path, char *err, size_t errcap)
{
    rk_map map;
    if (rk_map_file(path, &map) != RK_OK) {
        rk_cannot_read(err, errcap, path);
        return RK_ERR_IO;
    }
    rk_engine *e = rk_engine_new(NULL);
    list_ctx c = {m, 0, 0};
    if (!(m->listed = calloc(1, sizeof *m->listed)))
        c.oom = 1;
    rk_status st = e && !c.oom ? rk_csv_each(e, map.p, map.len, list_row, &c) : RK_ERR_NOMEM;
    rk_engine_free(e);
    rk_unmap(&map);
    return c.oom ? RK_ERR_NOMEM : st;
}

int bt_is_listed(const bt_month *m, const char *no)
{
    if (!m->listed)
        return 1;
    for (size_t i = 0; i < m->nlisted; i++)
        if (strcmp(m->listed[i].no, no) == 0)
            return 1;
    return 0;
}

/* Which listed offices sent files; which files name another month. */
static rk_status account(bt_month *m, const rk_report *rv)
{
    for (size_t i = 0; i < m->nlisted; i++)
        for (size_t k = 0; k < m->noffice && !m->listed[i].sent; k++)
            m->listed[i].sent = strcmp(m->office[k].no, m->listed[i].no) == 0;
    size_t n = rk_report_nfiles(rv);
    m->other_month = calloc(n ? n : 1, sizeof *m->other_month);
    if (!m->other_month)
        return RK_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        if (rk_name_has_month(&rv->mem[i].ni) && strcmp(rv->mem[i].ni.month, m->month) != 0)
            m->other_month[m->nother++] = rk_report_file(m->merged, i)->path;
    return RK_OK;
}

/* Every finding of a file result into f, as rule numbers of the catalog. */
static void add_findings(rk_fbuf *f, const rk_file_result *r)
{
    const rk_rule *first = rk_rule_at(0);
    for (size_t i = 0; r && i < r->nfindings; i++) {
        const rk_finding *x = &r->findings[i];
        rk_fbuf_add_en(f, (uint32_t)(x->rule - first), x->record, x->line, x->field, x->byte_offset, x->value,
                       x->value ? strlen(x->value) : 0, x->value_en != x->value ? x->value_en : NULL, x->expected,
                       x->expected_en != x->expected ? x->expected_en : NULL);
    }
}

/* File v of validation (with c, the check's result of the same file, or NULL) as a new file of dst. */
static rk_status copy_file(rk_report *dst, const rk_file_result *v, const rk_file_result *c)
{
    size_t slot = rk_report_add_slot(dst);
    if (slot == (size_t)-1)
        return RK_ERR_NOMEM;
    rk_fbuf f;
    rk_fbuf_init(&f, 0);
    add_findings(&f, v);
    add_findings(&f, c);
    rk_status st =
        f.oom ? RK_ERR_NOMEM
              : rk_report_store(dst, slot, &f, v->path, v->kind, v->csv_version, v->bytes, v->records, v->lines);
    rk_fbuf_free(&f);
    return st;
}

static void add_counts(bt_office *x, const rk_file_result *f)
{
    const rk_rule *first = rk_rule_at(0);
    x->files++;
    x->records += f->records;
    x->bytes += f->bytes;
    for (int s = 0; s < 3; s++)
        x->counts[s] += f->counts[s];
    for (size_t i = 0; i < f->nfindings; i++)
        x->by_rule[f->findings[i].rule - first]++;
}

static int cmp_office(const void *a, const void *b)
{
    return strcmp(((const bt_office *)a)->no, ((const bt_office *)b)->no);
}

/* The office of a sender number, added when new (the list is sorted at the end). */
static bt_office *office_of(bt_month *m, size_t *cap, const char *no, const char *type)
{
    for (size_t i = m->noffice; i > 0; i--) /* files of one sender mostly come together */
        if (strcmp(m->office[i - 1].no, no) == 0)
            return &m->office[i - 1];
    if (!RK_RESERVE(m->office, *cap, m->noffice + 1, 64))
        return NULL;
    bt_office *x = &m->office[m->noffice];
    memset(x, 0, sizeof *x);
    snprintf(x->no, sizeof x->no, "%s", no);
    snprintf(x->type, sizeof x->type, "%s", type);
    x->by_rule = calloc(RK_R_COUNT, sizeof *x->by_rule);
    x->report = rk_report_new();
    if (!x->by_rule || !x->report) {
        free(x->by_rule);
        rk_report_free(x->report);
        return NULL;
    }
    m->noffice++;
    return x;
}

/* The month of most files (ties: the earliest). */
static void month_of(bt_month *m, const rk_report *rv)
{
    char seen[64][7];
    uint64_t cnt[64];
    size_t ns = 0;
    for (size_t i = 0; i < rk_report_nfiles(rv); i++) {
        const char *mo = rv->mem[i].ni.month;
        if (!rk_name_has_month(&rv->mem[i].ni))
            continue;
        size_t k = 0;
        while (k < ns && strcmp(seen[k], mo) != 0)
            k++;
        if (k == ns && ns < 64) {
            memcpy(seen[ns], mo, 7);
            cnt[ns++] = 0;
        }
        if (k < ns)
            cnt[k]++;
    }
    m->month[0] = 0;
    uint64_t best = 0;
    for (size_t k = 0; k < ns; k++)
        if (cnt[k] > best || (cnt[k] == best && strcmp(seen[k], m->month) < 0)) {
            best = cnt[k];
            memcpy(m->month, seen[k], 7);
        }
}

/* Validation's and the check's findings joined per file, and the files grouped by sender. */
static rk_status join(bt_month *m, const rk_report *rv, const rk_report *rc)
{
    size_t cap = 0, k = 0, nc = rk_report_nfiles(rc);
    m->all.by_rule = calloc(RK_R_COUNT, sizeof *m->all.by_rule);
    if (!m->all.by_rule)
        return RK_ERR_NOMEM;
    for (size_t i = 0; i < rk_report_nfiles(rv); i++) {
        const rk_file_result *v = rk_report_file(rv, i), *c = NULL;
        /* the check's files are a subsequence of validation's, in the same order */
        for (size_t q = k; q < nc && !c; q++)
            if (strcmp(rk_report_file(rc, q)->path, v->path) == 0) {
                c = rk_report_file(rc, q);
                k = q + 1;
            }
        rk_status st = copy_file(m->merged, v, c);
        if (st != RK_OK)
            return st;
        const rk_file_result *f = rk_report_file(m->merged, i);
        const rk_name_info *ni = &rv->mem[i].ni;
        bt_office *x = office_of(m, &cap, ni->problem || !ni->kind ? "" : ni->sender, ni->sender_type);
        if (!x || (st = copy_file(x->report, f, NULL)) != RK_OK)
            return x ? st : RK_ERR_NOMEM;
        add_counts(x, f);
        add_counts(&m->all, f);
    }
    if (m->noffice)
        qsort(m->office, m->noffice, sizeof *m->office, cmp_office);
    m->all.files = rk_report_nfiles(rv);
    return RK_OK;
}

/* The check's claims by office into the offices (providers), and the month's. */
static void claims(bt_month *m)
{
    const rk_check_summary *s = m->check;
    for (size_t i = 0; i < s->noffice; i++) {
        bt_office key, *x;
        memset(key.no, 0, sizeof key.no);
        memcpy(key.no, s->office[i].key, sizeof key.no - 1);
        x = bsearch(&key, m->office, m->noffice, sizeof *m->office, cmp_office);
        if (!x) /* a provider whose claims the month holds but who sent nothing itself */
            continue;
        x->planned = s->office[i].planned_units;
        x->actual = s->office[i].actual_units;
        x->cut = s->office[i].cut_units;
        x->cut_yen = s->office[i].cut_yen;
        x->held = s->office[i].held;
        x->claims = s->office[i].claims;
    }
    m->all.planned = s->all.planned_units;
    m->all.actual = s->all.actual_units;
    m->all.cut = s->all.cut_units;
    m->all.cut_yen = s->all.cut_yen;
    m->all.held = s->all.held;
    m->all.claims = s->all.claims;
}

/* The cost report: care managers by their standing plans, providers by their claims. */
static void costs(bt_month *m)
{
    const rk_check_summary *s = m->check;
    for (size_t i = 0; i < m->noffice; i++) {
        bt_office *x = &m->office[i];
        uint64_t users = 0, offices = 0;
        if (bt_is_care_manager(x)) {
            for (size_t k = 0; k < s->ncare_manager; k++)
                if (strncmp(s->care_manager[k].key, x->no, 10) == 0) {
                    users = s->care_manager[k].claims;
                    offices = (uint64_t)s->care_manager[k].planned_units;
                }
        } else {
            users = offices = x->claims; /* each user's 実績 goes back to one care manager */
        }
        if (users)
            bt_cost_of(m->cost, users, offices, &x->cost);
        m->cost_all.users += x->cost.users;
        m->cost_all.offices += x->cost.offices;
        m->cost_all.hand += x->cost.hand;
        m->cost_all.mail += x->cost.mail;
        m->cost_all.fax += x->cost.fax;
        m->cost_all.exchange += x->cost.exchange;
    }
}

/* ---- batch.json ------------------------------------------------------------------- */

static void json_rules(rk_json *w, const uint64_t *by_rule)
{
    rk_json_key(w, "by_rule");
    rk_json_array(w);
    for (size_t r = 0; r < RK_R_COUNT; r++) {
        if (!by_rule[r])
            continue;
        const rk_rule *x = rk_rule_at(r);
        rk_json_object(w);
        rk_json_kstr(w, "rule", x->id);
        rk_json_kstr(w, "severity", rk_severity_name(x->severity));
        rk_json_ku64(w, "count", by_rule[r]);
        rk_json_end(w);
    }
    rk_json_end(w);
}

static void json_office(rk_json *w, const bt_office *x, int office)
{
    rk_json_object(w);
    if (office) {
        rk_json_kstr(w, "office", x->no);
        rk_json_kstr(w, "service_type", x->type);
        rk_json_kstr(w, "role", !x->no[0] ? "unknown" : bt_is_care_manager(x) ? "care_manager" : "provider");
        char path[32];
        snprintf(path, sizeof path, "offices/%s.txt", x->no[0] ? x->no : "unknown");
        rk_json_kstr(w, "report", path);
    }
    rk_json_ku64(w, "files", x->files);
    rk_json_ku64(w, "records", x->records);
    rk_json_ku64(w, "bytes", x->bytes);
    rk_json_ku64(w, "errors", x->counts[RK_SEV_ERROR]);
    rk_json_ku64(w, "warnings", x->counts[RK_SEV_WARNING]);
    rk_json_ku64(w, "infos", x->counts[RK_SEV_INFO]);
    rk_json_ki64(w, "planned_units", x->planned);
    rk_json_ki64(w, "actual_units", x->actual);
    rk_json_ki64(w, "cut_units", x->cut);
    rk_json_ki64(w, "cut_yen", x->cut_yen);
    rk_json_ku64(w, "held", x->held);
    rk_json_ku64(w, "claims", x->claims);
    rk_json_ku64(w, "returned_12P3", x->by_rule[RK_R_CHK_12P3]);
    rk_json_ku64(w, "returned_15P6", x->by_rule[RK_R_CHK_15P6]);
    json_rules(w, x->by_rule);
    rk_json_end(w);
}

static rk_status write_json(const bt_month *m, FILE *out)
{
    rk_json w;
    rk_json_init(&w, out);
    rk_json_object(&w);
    rk_json_header(&w, "renkei.batch", 1);
    rk_json_kstr(&w, "month", m->month);
    rk_json_key(&w, "total");
    json_office(&w, &m->all, 0);
    rk_json_key(&w, "offices");
    rk_json_array(&w);
    for (size_t i = 0; i < m->noffice; i++)
        json_office(&w, &m->office[i], 1);
    rk_json_end(&w);
    rk_json_key(&w, "other_month_files");
    rk_json_array(&w);
    for (size_t i = 0; i < m->nother; i++)
        rk_json_str(&w, m->other_month[i]);
    rk_json_end(&w);
    rk_json_key(&w, "offices_list");
    if (!m->listed) {
        rk_json_null(&w);
    } else {
        rk_json_object(&w);
        rk_json_key(&w, "sent_nothing");
        rk_json_array(&w);
        for (size_t i = 0; i < m->nlisted; i++)
            if (!m->listed[i].sent) {
                rk_json_object(&w);
                rk_json_kstr(&w, "office", m->listed[i].no);
                rk_json_kstr(&w, "name", m->listed[i].name[0] ? m->listed[i].name : NULL);
                rk_json_end(&w);
            }
        rk_json_end(&w);
        rk_json_key(&w, "senders_not_listed");
        rk_json_array(&w);
        for (size_t i = 0; i < m->noffice; i++)
            if (m->office[i].no[0] && !bt_is_listed(m, m->office[i].no))
                rk_json_str(&w, m->office[i].no);
        rk_json_end(&w);
        rk_json_end(&w);
    }
    rk_json_key(&w, "check");
    rk_json_raw_next(&w);
    rk_status st = rk_check_write_summary(m->check, RK_FMT_JSON, m->o->lang, out);
    rk_json_end(&w);
    rk_json_line(&w);
    return st;
}

/* ---- output files --------------------------------------------------------------------- */

typedef rk_status (*bt_writer)(const void *what, FILE *out, const rk_batch_options *o);

static rk_status put(const char *dir, const char *name, bt_writer fn, const void *what, const rk_batch_options *o,
                     char *err, size_t errcap)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) {
        snprintf(err, errcap, "output path too long: %s", dir);
        return RK_ERR_ARG;
    }
    rk_afile *f = rk_afile_open(path);
    if (!f) {
        snprintf(err, errcap, "cannot write %s: %s", path, strerror(errno));
        return RK_ERR_IO;
    }
    rk_status st = fn(what, rk_afile_stream(f), o);
    if (st != RK_OK) {
        rk_afile_abort(f);
        snprintf(err, errcap, "cannot write %s", path);
        return st;
    }
    st = rk_afile_commit(f);
    if (st != RK_OK)
        snprintf(err, errcap, "cannot write %s: %s", path, strerror(errno));
    return st;
}

static rk_status put_json(const void *m, FILE *out, const rk_batch_options *o)
{
    (void)o;
    return write_json(m, out);
}

static rk_status put_cost(const void *m, FILE *out, const rk_batch_options *o)
{
    (void)o;
    return bt_write_cost(m, out);
}

static rk_status put_html(const void *m, FILE *out, const rk_batch_options *o)
{
    (void)o;
    return bt_write_html(m, out);
}

static rk_status put_jsonl(const void *r, FILE *out, const rk_batch_options *o)
{
    return rk_report_write(r, RK_FMT_JSONL, o->lang, out);
}

static rk_status put_sarif(const void *r, FILE *out, const rk_batch_options *o)
{
    return rk_report_write(r, RK_FMT_SARIF, o->lang, out);
}

static rk_status put_text(const void *r, FILE *out, const rk_batch_options *o)
{
    return rk_report_write(r, RK_FMT_TEXT, o->lang, out);
}

static rk_status make_dir(const char *path, char *err, size_t errcap)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST)
        return RK_OK;
    snprintf(err, errcap, "cannot create %s: %s", path, strerror(errno));
    return RK_ERR_IO;
}

static rk_status write_outputs(const bt_month *m, const char *dir, char *err, size_t errcap)
{
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/offices", dir);
    rk_status st = make_dir(dir, err, errcap);
    if (st == RK_OK)
        st = make_dir(sub, err, errcap);
    for (size_t i = 0; i < m->noffice && st == RK_OK; i++) {
        const bt_office *x = &m->office[i];
        char name[48];
        snprintf(name, sizeof name, "%s.txt", x->no[0] ? x->no : "unknown");
        st = put(sub, name, put_text, x->report, m->o, err, errcap);
        snprintf(name, sizeof name, "%s.jsonl", x->no[0] ? x->no : "unknown");
        if (st == RK_OK)
            st = put(sub, name, put_jsonl, x->report, m->o, err, errcap);
    }
    if (st == RK_OK)
        st = put(dir, "findings.jsonl", put_jsonl, m->merged, m->o, err, errcap);
    if (st == RK_OK)
        st = put(dir, "findings.sarif", put_sarif, m->merged, m->o, err, errcap);
    if (st == RK_OK)
        st = put(dir, "cost.json", put_cost, m, m->o, err, errcap);
    if (st == RK_OK)
        st = put(dir, "report.html", put_html, m, m->o, err, errcap);
    if (st == RK_OK)
        st = put(dir, "batch.json", put_json, m, m->o, err, errcap);
    return st;
}

/* The inputs and the reports, signed, in OUT_DIR/month.tar.zst. */
static rk_status seal_month(const rk_batch_options *o, const char *const *paths, size_t n, const char *dir, char *err,
                            size_t errcap)
{
    static const char *const outputs[] = {"batch.json",     "cost.json",   "findings.jsonl",
                                          "findings.sarif", "report.html", "offices"};
    const size_t no = sizeof outputs / sizeof outputs[0];
    char **in = calloc(n + no, sizeof *in), archive[4096];
    if (!in)
        return RK_ERR_NOMEM;
    rk_status st = RK_OK;
    for (size_t i = 0; i < n; i++)
        in[i] = (char *)paths[i];
    for (size_t i = 0; i < no && st == RK_OK; i++) {
        size_t len = strlen(dir) + strlen(outputs[i]) + 2;
        if (!(in[n + i] = malloc(len)))
            st = RK_ERR_NOMEM;
        else
            snprintf(in[n + i], len, "%s/%s", dir, outputs[i]);
    }
    snprintf(archive, sizeof archive, "%s/month.tar.zst", dir);
    rk_seal_options so;
    rk_seal_options_init(&so);
    so.key_path = o->key_path;
    so.cert_path = o->cert_path;
    so.jobs = o->jobs;
    if (st == RK_OK)
        st = rk_seal(&so, (const char *const *)in, n + no, archive, err, errcap);
    for (size_t i = 0; i < no; i++)
        free(in[n + i]);
    free(in);
    return st;
}

/* ---- progress ------------------------------------------------------------------------- */

typedef struct progress {
    const rk_batch_options *o;
    rk_batch_progress p;
} progress;

static void tell(progress *g, const char *phase)
{
    g->p.phase = phase;
    if (g->o->progress)
        g->o->progress(g->o->progress_ctx, &g->p);
}

/* rk_options.progress: files and bytes validated. */
static void validated(void *ctx, uint64_t files, uint64_t bytes)
{
    progress *g = ctx;
    g->p.files = files;
    g->p.bytes = bytes;
    tell(g, "validate");
}

static void month_free(bt_month *m)
{
    for (size_t i = 0; i < m->noffice; i++) {
        free(m->office[i].by_rule);
        rk_report_free(m->office[i].report);
    }
    free(m->office);
    free(m->all.by_rule);
    free(m->listed);
    free(m->other_month);
    rk_report_free(m->merged);
    rk_check_summary_free(m->check);
}

rk_status rk_batch(const rk_batch_options *o, const char *const *paths, size_t n, const char *out_dir,
                   uint64_t counts[3], char *err, size_t errcap)
{
    char dummy[8];
    if (!err || !errcap) {
        err = dummy;
        errcap = sizeof dummy;
    }
    err[0] = 0;
    if (!o || !o->master_path || !out_dir || !counts)
        return RK_ERR_ARG;
    char **files = NULL, **skipped = NULL;
    size_t nf = 0, nskipped = 0;
    rk_status st = rk_collect_month(paths, n, NULL, 0, NULL, 0, &files, &nf, &skipped, &nskipped);
    if (st != RK_OK) {
        snprintf(err, errcap, "cannot read the inputs");
        rk_name_failing_input(paths, n, err, errcap);
        return st;
    }
    rk_paths_free(skipped, nskipped); /* not files of the exchange: the archive still holds them */
    if (!nf) {
        snprintf(err, errcap, "no files of the exchange (.CSV, .JPG) among the inputs");
        rk_paths_free(files, nf);
        return RK_ERR_IO;
    }
    bt_month m;
    memset(&m, 0, sizeof m);
    m.o = o;
    if ((st = bt_cost_settings(m.cost, o->cost, o->ncost, err, errcap)) != RK_OK) {
        rk_paths_free(files, nf);
        return st;
    }
    progress g = {o, {"validate", 0, nf, 0, 0, 0}};
    for (size_t i = 0; i < nf; i++) {
        struct stat sb;
        if (stat(files[i], &sb) == 0)
            g.p.bytes_total += (uint64_t)sb.st_size;
    }
    rk_options eo;
    rk_options_init(&eo);
    eo.jobs = o->jobs;
    eo.progress = validated;
    eo.progress_ctx = &g;
    rk_engine *e = rk_engine_new(&eo);
    tell(&g, "validate");
    rk_report *rv = rk_report_new(), *rc = rk_report_new();
    m.merged = rk_report_new();
    rk_status *fst = calloc(nf ? nf : 1, sizeof *fst);
    st = e && rv && rc && m.merged && fst ? RK_OK : RK_ERR_NOMEM;
    if (st == RK_OK)
        st = rk_validate_paths(e, rv, (const char *const *)files, nf, fst);
    for (size_t i = 0; i < nf && st == RK_OK; i++)
        if (fst[i] == RK_ERR_IO) {
            rk_cannot_read(err, errcap, files[i]);
            st = RK_ERR_IO;
        }
    if (st == RK_OK) {
        g.p.passes_done = 1;
        tell(&g, "check");
        rk_check_options co = {.master_path = o->master_path, .offices_path = o->offices_path, .jobs = o->jobs};
        st = rk_check(&co, (const char *const *)files, nf, rc, &m.check, err, errcap);
    }
    if (st == RK_OK)
        st = join(&m, rv, rc);
    if (st == RK_OK && o->offices_path)
        st = load_list(&m, o->offices_path, err, errcap);
    if (st == RK_OK) {
        claims(&m);
        costs(&m);
        month_of(&m, rv);
        st = account(&m, rv);
    }
    if (st == RK_OK) {
        g.p.passes_done = 2;
        tell(&g, "reports");
        memcpy(counts, m.all.counts, sizeof m.all.counts);
        st = write_outputs(&m, out_dir, err, errcap);
    }
    if (st == RK_OK && o->key_path) {
        tell(&g, "seal");
        st = seal_month(o, paths, n, out_dir, err, errcap);
    }
    if (st == RK_OK)
        tell(&g, "done");
    free(fst);
    rk_report_free(rv);
    rk_report_free(rc);
    rk_engine_free(e);
    month_free(&m);
    rk_paths_free(files, nf);
    return st;
}
