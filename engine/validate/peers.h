/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rk_validate_paths across peers (rk_peers): the units dealt out, the
 * results gathered on peer 0 (peers.c). Every peer makes both calls, with
 * the status of its run so far, whatever happened before them.
 */
#ifndef RK_VALIDATE_PEERS_H
#define RK_VALIDATE_PEERS_H

#include <stddef.h>

#include "../common/msg.h"
#include "renkei.h"

/* rk_validate_paths of files (paths.c takes directories apart): with
 * e->o.peers, one of the peers; prior, the status of the caller's work
 * before (not RK_OK: this peer only takes part in the exchanges). */
rk_status rk_validate_files(rk_engine *e, rk_report *r, const char *const *paths, size_t n, rk_status *statuses,
                            rk_status prior);

/* Peer 0 deals the groups of order[0..n) (a send unit from each starts[k],
 * or a file of none) out by bytes; each peer keeps its own groups at the
 * front of order and starts (*nmine positions) and marks their files in
 * mine[]. Returns the status the peers agree on (RK_ERR_ARG: a peer was
 * given other paths than peer 0). */
rk_status rk_vpeers_deal(const rk_peers *p, rk_xchg *x, rk_status st, const char *const *paths, size_t n, size_t *order,
                         unsigned char *starts, unsigned char *mine, size_t *nmine);

/* Sends the results of this peer's files (slots first + i, status[i]) to
 * peer 0, which stores each in its slot and takes its status. */
rk_status rk_vpeers_gather(const rk_peers *p, rk_xchg *x, rk_status st, rk_report *r, size_t first,
                           const char *const *paths, size_t n, const unsigned char *mine, rk_status *status);

#endif
