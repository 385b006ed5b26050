/* SPDX-License-Identifier: Apache-2.0 */
/*
 * File-set rules over the files of one validation run (see fileset.c).
 */
#ifndef RK_FILESET_H
#define RK_FILESET_H

#include <stddef.h>

#include "renkei.h"

/* Checks the n files of r at report indices idx[] as send units and adds
 * the findings to them (a file's send unit is taken from its stored name). */
rk_status rk_fileset_check(rk_report *r, const size_t *idx, size_t n, unsigned jobs);

/* The order in which to take n files by their parsed names so that each send
 * unit comes whole: order[] receives positions (the files of units first, by
 * unit, then the others), starts[k] = 1 where order[k] begins a unit. */
rk_status rk_fileset_order(const rk_name_info *const *ni, size_t n, size_t *order, unsigned char *starts);

/* needs[i] = 1 where the file-set rules would compare file i's link keys with
 * a companion's in its send unit (files given by their parsed names). */
rk_status rk_fileset_key_needs(const rk_name_info *const *ni, size_t n, unsigned char *needs, unsigned jobs);

#endif
