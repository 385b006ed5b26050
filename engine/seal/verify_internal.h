/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The archive reader on bytes in memory (for the fuzz target and rk_verify).
 */
#ifndef RK_VERIFY_INTERNAL_H
#define RK_VERIFY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "../findings/findings.h"
#include "renkei.h"

rk_status rk_verify_bytes(const rk_verify_options *o, const unsigned char *buf, size_t len, rk_fbuf *f,
                          uint64_t *members);

#endif
