/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Declarations of the generated MS932 tables (ms932_tables.c). Internal to
 * formats/ms932; nothing outside the codec reads them.
 */
#ifndef RK_MS932_TABLES_H
#define RK_MS932_TABLES_H
#include <stdint.h>

extern const uint16_t rk_ms932_dbcs[60][192];
extern const uint64_t rk_ms932_valid_pairs[1024];
extern const uint8_t rk_ms932_enc_index[256];
extern const uint16_t rk_ms932_enc_pages[][256];
extern const unsigned rk_ms932_enc_npages;

#endif
