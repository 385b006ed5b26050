/* SPDX-License-Identifier: Apache-2.0 */
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
    int guard;  /* 1 + its slot in the table of guarded mappings; 0 none */
} rk_map;

/*
 * Maps a regular file read-only (a FIFO or device is RK_ERR_IO, and never
 * blocks). The mapping is guarded: if the file shrinks while it is read, the
 * pages past its new end read as zeros instead of killing the process with
 * SIGBUS, and rk_map_changed says so. (The guard is a SIGBUS handler,
 * installed on the first map unless the program has its own.)
 */
rk_status rk_map_file(const char *path, rk_map *m);
/* RK_ERR_CHANGED if the file shrank under the mapping (some read saw zeros), else RK_OK. */
rk_status rk_map_changed(const rk_map *m);
void rk_unmap(rk_map *m);

/* A small regular file read whole into *buf (grown as needed, *cap its
 * room; the caller frees it), its bytes in *len: for files read once, where
 * a mapping costs more (its page faults, and on unmapping a TLB flush on
 * every CPU the process ran on). The bytes of the size the file had when
 * opened are read; fewer (it shrank) is RK_ERR_CHANGED with what was read.
 * A FIFO or device is RK_ERR_IO, and never blocks. */
rk_status rk_read_file(const char *path, unsigned char **buf, size_t *cap, size_t *len);
/* A thread's buffer for the small files it reads (rk_read_file). */
typedef struct rk_read_buf {
    unsigned char *p;
    size_t cap;
} rk_read_buf;

/*
 * Drops the pages of a read-only file mapping that starts at base in the
 * 2 MiB-aligned blocks (of addresses) wholly inside [from, to), so that
 * resident memory stays bounded however large the file. The kernel maps a
 * file's large page-cache folios by whole 2 MiB entries; dropping part of
 * one would split it, with a TLB flush on every CPU the process runs on.
 * Returns the offset below which [from, to) is dropped: the last block's
 * end, or from if no block fits (the caller keeps the rest for a later
 * call). Later reads fault the pages back in from the page cache. Only for
 * mappings made by rk_map_file: on anonymous memory it would zero the data.
 */
#define RK_RELEASE_ALIGN (2u << 20)
uint64_t rk_release(const unsigned char *base, uint64_t from, uint64_t to);

/* Drops every 2 MiB block that [from, to) touches, within the mapping's
 * [0, len): for a few pages read out of turn, whose blocks nobody reads yet
 * (a block may hold more than what was read; those pages fault back in). */
void rk_release_blocks(const unsigned char *base, uint64_t len, uint64_t from, uint64_t to);

/* A temporary output the signal handler of rk_remove_temporaries_on_signal
 * unlinks if the process is killed: its slot (-1 when all are taken), freed
 * by rk_tmp_release once it is renamed or removed. */
int rk_tmp_hold(const char *path);
void rk_tmp_release(int slot);
/*
 * A temporary output for tmpl ("DIR/NAME.XXXXXX"): where the file system can,
 * a file with no name in DIR (O_TMPFILE), which nothing, not even kill -9,
 * can leave behind, *slot = RK_TMP_UNNAMED; else mkostemp(tmpl) and
 * rk_tmp_hold of it with the signals held back between the two (the file is
 * never there unregistered). Returns the descriptor (or -1). rk_tmp_place
 * puts it under its final name.
 */
#define RK_TMP_UNNAMED (-2)
int rk_tmp_create(char *tmpl, int *slot);
/* Renames the temporary fd (made by rk_tmp_create(tmpl, &slot)) to path; an
 * unnamed one is linked under a fresh tmpl name first, held for the signal
 * handler until renamed. 0, or -1 with errno (nothing then under path). */
int rk_tmp_place(int fd, char *tmpl, int slot, const char *path);
/* After a walk of inputs[0..n) failed: "INPUT: why" of the first input whose
 * own walk fails (rk_input_problem), into err. */
void rk_name_failing_input(const char *const *inputs, size_t n, char *err, size_t cap);
/* "cannot read PATH: why" (rk_input_problem) into err[0..cap), when err is given. */
void rk_cannot_read(char *err, size_t cap, const char *path);
/* fsync of the directory holding path (after a rename into it); 0 or -1. */
int rk_fsync_dir_of(const char *path);

#endif
