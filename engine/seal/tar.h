/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ustar subset renkei writes and reads: regular files only, names up to
 * 256 bytes (a prefix of at most 155 bytes, '/', a name of at most 100), mode 0644, uid/gid 0, no user names, a fixed
 * mtime. Sizes of 8 GiB and more use the base-256 form GNU tar reads.
 */
#ifndef RK_TAR_H
#define RK_TAR_H

#include <stddef.h>
#include <stdint.h>

#define RK_TAR_BLOCK 512
#define RK_TAR_NAME_MAX 256 /* 155 bytes of prefix, the '/' between, 100 of name */

/* Whether a path fits a ustar header: at most 100 bytes, or split at a '/'
 * into a prefix of at most 155 bytes and a name of at most 100. */
int rk_tar_name_fits(const char *name);

/* Writes the header of a regular file; returns 0, or -1 if the name does not fit. */
int rk_tar_header(unsigned char hdr[RK_TAR_BLOCK], const char *name, uint64_t size, int64_t mtime);

/* Bytes of zero padding after a member of `size` bytes. */
static inline uint64_t rk_tar_pad(uint64_t size)
{
    return (RK_TAR_BLOCK - size % RK_TAR_BLOCK) % RK_TAR_BLOCK;
}

typedef struct rk_tar_entry {
    char name[RK_TAR_NAME_MAX + 1];
    uint64_t size;
    char type; /* '0' regular, '5' directory, '2' symlink, ... */
} rk_tar_entry;

/*
 * Parses a header block. Returns 1 for an entry, 0 for an all-zero block (end
 * of archive), -1 for a damaged header (bad checksum, bad size or name).
 */
int rk_tar_parse(const unsigned char hdr[RK_TAR_BLOCK], rk_tar_entry *e);

#endif
