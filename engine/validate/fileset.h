/*
 * File-set rules over the files of one validation run (see fileset.c).
 */
#ifndef RK_FILESET_H
#define RK_FILESET_H

#include <stddef.h>

#include "renkei.h"

/* Checks files [first, first + n) of r as send units and adds the findings to them. */
rk_status rk_fileset_check(rk_report *r, size_t first, size_t n);

#endif
