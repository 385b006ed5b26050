/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One JSON writer for every JSON and JSON Lines output of the engine. It
 * places the commas and colons; strings are escaped (invalid UTF-8 becomes
 * U+FFFD); nesting deeper than RK_JSON_DEPTH is a programming error.
 */
#ifndef RK_COMMON_JSON_H
#define RK_COMMON_JSON_H

#include <stdint.h>
#include <stdio.h>

#define RK_JSON_DEPTH 16

typedef struct rk_json {
    FILE *out;
    unsigned depth;
    unsigned char has_items[RK_JSON_DEPTH + 1]; /* a value was written at this depth: the next needs a comma */
    char closer[RK_JSON_DEPTH + 1];             /* '}' or ']' of the value open at this depth */
    unsigned char after_key;                    /* a key was written: its value follows without a comma */
} rk_json;

void rk_json_init(rk_json *w, FILE *out);

void rk_json_object(rk_json *w); /* { */
void rk_json_array(rk_json *w);  /* [ */
void rk_json_end(rk_json *w);    /* } or ], whichever is open */
/* Ends a JSON Lines line: the top-level value is complete. */
void rk_json_line(rk_json *w);

void rk_json_key(rk_json *w, const char *key); /* key is plain ASCII */
void rk_json_str(rk_json *w, const char *s);   /* NULL writes null */
void rk_json_strn(rk_json *w, const char *s, size_t n);
void rk_json_u64(rk_json *w, uint64_t v);
void rk_json_i64(rk_json *w, int64_t v);
void rk_json_null(rk_json *w);
/* A value the caller writes itself (another writer's document) comes next:
 * the comma or nothing before it, as for any value. */
void rk_json_raw_next(rk_json *w);
/* 0 is written as null (record, line and item numbers start at 1). */
void rk_json_u64_or_null(rk_json *w, uint64_t v);

/* Shorthands for a member of the open object. */
void rk_json_kstr(rk_json *w, const char *key, const char *s);
/* "schema", "version" and "tool" {"name":"renkei","version":...} in the open object: how every
 * renkei document begins. */
void rk_json_header(rk_json *w, const char *schema, uint64_t version);
void rk_json_ku64(rk_json *w, const char *key, uint64_t v);
void rk_json_ki64(rk_json *w, const char *key, int64_t v);

/* A JSON string of n bytes to out, quoted and escaped. */
void rk_json_write_string(FILE *out, const char *s, size_t n);

#endif
