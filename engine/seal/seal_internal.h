/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal helpers shared by seal.c and verify.c.
 */
#ifndef RK_SEAL_INTERNAL_H
#define RK_SEAL_INTERNAL_H

#include <stddef.h>

#include "renkei.h"

/* Formats a message into err, followed by OpenSSL's last error if any. */
void rk_seal_err(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
