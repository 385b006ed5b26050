/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Link keys of a large file kept on disk, by partition (DESIGN §4): the
 * file-set rules then compare one partition of every file of a send unit at
 * a time, so memory holds a partition, not a file's keys. A key's partition
 * is the top bits of its hash: equal keys share a partition.
 *
 * Keys arrive a chunk at a time, from any thread, with record and line
 * numbers counted from the chunk's start; a chunk walked again (its start
 * was inside quotes) sends its keys again under a new epoch, and only the
 * keys of each chunk's last epoch are read back.
 */
#ifndef RK_KEYSPILL_H
#define RK_KEYSPILL_H

#include <stddef.h>
#include <stdint.h>

#include "../findings/findings.h"

#define RK_SPILL_PARTS 256u

typedef struct rk_keyspill rk_keyspill;

/* A spill in a new temporary file under $TMPDIR (else /tmp), unlinked at
 * once; NULL if none can be made. */
rk_keyspill *rk_keyspill_open(void);
void rk_keyspill_free(rk_keyspill *s);

/* The partition of a link key: the top bits of its XXH3 hash. */
unsigned rk_keyspill_part(const rk_key *k);

/* Adds chunk `chunk`'s n keys (in file order) of epoch `epoch`; thread-safe. */
rk_status rk_keyspill_put(rk_keyspill *s, const rk_key *k, size_t n, uint32_t chunk, uint32_t epoch);

/* Ends the writing: the buffers are written out and freed. rbase, lbase:
 * records and lines before each of the nch chunks; epoch: each chunk's last
 * epoch (arrays taken over). */
rk_status rk_keyspill_close(rk_keyspill *s, size_t nch, uint64_t *rbase, uint64_t *lbase, uint32_t *epoch);

/* Partition p's keys in file order, numbered in the file (malloc'd; *n = 0
 * and NULL for none). */
rk_status rk_keyspill_read(const rk_keyspill *s, unsigned p, rk_key **out, size_t *n);

/* Keys the spill holds (of every epoch). */
uint64_t rk_keyspill_count(const rk_keyspill *s);

#endif
