/*
 * Input mapping. Inputs are mapped read-only and never modified.
 */
#ifndef RK_IO_H
#define RK_IO_H

#include <stddef.h>

#include "renkei.h"

typedef struct rk_map {
    const unsigned char *p;
    size_t len;
    void *base; /* what to munmap; NULL for an empty file */
} rk_map;

rk_status rk_map_file(const char *path, rk_map *m);
void rk_unmap(rk_map *m);

#endif
