/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unknown service codes, one finding per code (check_internal.h). A code
 * missing from the master is one fault of the master or of the sender's
 * software, however many rows name it: the finding sits at the first row
 * and says how many rows name the code and where the first of them are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../formats/careplan/careplan.h"
#include "check_internal.h"

#define SHOWN_PLACES 5 /* places named in the finding; the count gives the rest */

static int merged_rule(uint32_t rule)
{
    return rule == RK_R_CHK_CODE_UNKNOWN || rule == RK_R_CHK_CODE_UNCOVERED;
}

static int cmp_code_place(const void *a, const void *b)
{
    const cfind *x = *(const cfind *const *)a, *y = *(const cfind *const *)b;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    int c = strcmp(x->value, y->value);
    if (c)
        return c;
    if (x->at.file != y->at.file)
        return x->at.file < y->at.file ? -1 : 1;
    return (x->record > y->record) - (x->record < y->record);
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* "CODE ×N: NAME:LINE, NAME:LINE, ... (+M)" for the group v[0..n). */
static char *group_note(cfind *const *v, size_t n, char *const *files)
{
    size_t cap = 64;
    for (size_t i = 0; i < n && i < SHOWN_PLACES; i++)
        cap += strlen(base_name(files[v[i]->at.file])) + 24;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    size_t w = (size_t)snprintf(s, cap, "%s ×%zu:", v[0]->value, n);
    for (size_t i = 0; i < n && i < SHOWN_PLACES && w < cap; i++)
        w += (size_t)snprintf(s + w, cap - w, "%s %s:%llu", i ? "," : "", base_name(files[v[i]->at.file]),
                              (unsigned long long)v[i]->line);
    if (n > SHOWN_PLACES && w < cap)
        snprintf(s + w, cap - w, " (+%zu)", n - SHOWN_PLACES);
    return s;
}

int ck_merge_codes(part *parts, size_t nparts, char *const *files)
{
    size_t n = 0;
    for (size_t i = 0; i < nparts; i++)
        for (size_t k = 0; k < parts[i].finds.n; k++)
            n += merged_rule(((cfind *)parts[i].finds.v)[k].rule);
    if (!n)
        return 1;
    cfind **v = malloc(n * sizeof *v);
    if (!v)
        return 0;
    size_t m = 0;
    for (size_t i = 0; i < nparts; i++)
        for (size_t k = 0; k < parts[i].finds.n; k++) {
            cfind *f = (cfind *)parts[i].finds.v + k;
            if (merged_rule(f->rule))
                v[m++] = f;
        }
    qsort(v, n, sizeof *v, cmp_code_place);
    int ok = 1;
    for (size_t a = 0, b; a < n; a = b) {
        for (b = a + 1; b < n && v[b]->rule == v[a]->rule && strcmp(v[b]->value, v[a]->value) == 0; b++)
            v[b]->dropped = 1;
        v[a]->note = group_note(v + a, b - a, files);
        ok &= v[a]->note != NULL;
    }
    free(v);
    return ok;
}

void ck_free_notes(part *p)
{
    cfind *f = p->finds.v;
    for (size_t k = 0; k < p->finds.n; k++)
        free(f[k].note);
}
