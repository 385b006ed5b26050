/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ustar subset renkei writes and reads: regular files only, names up to
 * 255 bytes (prefix + name), mode 0644, uid/gid 0, no user names, a fixed
 * mtime. Sizes of 8 GiB and more use the base-256 form GNU tar reads.
 */
#ifndef RK_TAR_H
#define RK_TAR_H

#include <stddef.h>
#include <stdint.h>

#define RK_TAR_BLOCK 512

/* Writes the header of a regular file; returns 0, or -1 if the name does not fit. */
int rk_tar_header(unsigned char hdr[RK_TAR_BLOCK], const char *name, uint64_t size, int64_t mtime);

/* Bytes of zero padding after a member of `size` bytes. */
static inline uint64_t rk_tar_pad(uint64_t size)
{
    return (RK_TAR_BLOCK - size % RK_TAR_BLOCK) % RK_TAR_BLOCK;
}

typedef struct rk_tar_entry {
    char name[256];
    uint64_t size;
    char type; /* '0' regular, '5' directory, '2' symlink, ... */
} rk_tar_entry;

/*
 * Parses a header block. Returns 1 for an entry, 0 for an all-zero block (end
 * of archive), -1 for a damaged header (bad checksum, bad size or name).
 */
int rk_tar_parse(const unsigned char hdr[RK_TAR_BLOCK], rk_tar_entry *e);

#endif
