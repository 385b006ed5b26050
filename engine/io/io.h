/*
 * Input mapping. Inputs are mapped read-only and never modified.
 */
#ifndef RK_IO_H
#define RK_IO_H

#include <stddef.h>
#include <stdint.h>

#include "renkei.h"

typedef struct rk_map {
    const unsigned char *p;
    size_t len;
    void *base; /* what to munmap; NULL for an empty file */
} rk_map;

rk_status rk_map_file(const char *path, rk_map *m);
void rk_unmap(rk_map *m);

/*
 * Drops the pages wholly inside [from, to) of a read-only file mapping that
 * starts at base, so that resident memory stays bounded however large the
 * file. Later reads fault the pages back in from the page cache. Only for
 * mappings made by rk_map_file: on anonymous memory it would zero the data.
 */
void rk_release(const unsigned char *base, uint64_t from, uint64_t to);

#endif
