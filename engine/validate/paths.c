/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rk_validate_paths: files as given, or directories taken as months (the
 * files of each, as the CLI collects them), validated by rk_validate_files.
 */
#include <stdlib.h>
#include <sys/stat.h>

#include "../common/vec.h"
#include "../engine.h"
#include "../findings/findings.h"
#include "../io/io.h"
#include "peers.h"

/* A directory among the inputs is its month, as the CLI takes it (rk_collect_month): each input's
 * status is the first failure of its files. */
static rk_status validate_dirs(rk_engine *e, rk_report *r, const char *const *paths, size_t n, rk_status *statuses)
{
    char **all = NULL;
    size_t na = 0, acap = 0, fcap = 0;
    size_t *from = NULL; /* by file: its input */
    rk_status st = RK_OK;
    for (size_t i = 0; i < n && st == RK_OK; i++) {
        char **p, **sk;
        size_t np, ns;
        rk_status s1 = rk_collect_month(&paths[i], 1, NULL, 0, NULL, 0, &p, &np, &sk, &ns);
        rk_paths_free(sk, ns);
        if (statuses)
            statuses[i] = s1;
        if (s1 != RK_OK)
            continue;
        if (!RK_RESERVE(all, acap, na + np + 1, 64) || !RK_RESERVE(from, fcap, na + np + 1, 64)) {
            rk_paths_free(p, np);
            st = RK_ERR_NOMEM;
            break;
        }
        for (size_t k = 0; k < np; k++) {
            all[na] = p[k];
            from[na++] = i;
        }
        free(p);
    }
    rk_status *fst = st == RK_OK ? calloc(na ? na : 1, sizeof *fst) : NULL;
    if (st == RK_OK && !fst)
        st = RK_ERR_NOMEM;
    if (st == RK_OK || e->o.peers) /* peers: every one takes part, with its status */
        st = rk_validate_files(e, r, (const char *const *)all, st == RK_OK ? na : 0, fst, st);
    for (size_t k = 0; statuses && fst && k < na; k++)
        if (statuses[from[k]] == RK_OK && fst[k] != RK_OK)
            statuses[from[k]] = fst[k];
    free(fst);
    free(from);
    rk_paths_free(all, na);
    return st;
}

rk_status rk_validate_paths(rk_engine *e, rk_report *r, const char *const *paths, size_t n, rk_status *statuses)
{
    if (!e || !r || (!paths && n))
        return RK_ERR_ARG;
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) == 0 && S_ISDIR(sb.st_mode))
            return validate_dirs(e, r, paths, n, statuses);
    }
    return rk_validate_files(e, r, paths, n, statuses, RK_OK);
}
