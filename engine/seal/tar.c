/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ustar headers (see tar.h): written byte for byte the same for the same
 * name, size and mtime, so archives are reproducible.
 */
#include "tar.h"

#include <stdio.h>
#include <string.h>

static void octal(char *dst, size_t width, uint64_t v)
{
    /* width - 1 octal digits, zero-padded, then NUL */
    dst[width - 1] = 0;
    for (size_t i = width - 1; i-- > 0;) {
        dst[i] = (char)('0' + (v & 7));
        v >>= 3;
    }
}

/* The '/' to split a name of more than 100 bytes at: the prefix (before it)
 * at most 155 bytes, the rest at most 100 and not empty; NULL if none. */
static const char *split_at(const char *name, size_t n)
{
    for (const char *p = name + n - 1; p > name; p--)
        if (*p == '/' && (size_t)(p - name) <= 155 && n - (size_t)(p - name) - 1 <= 100 && p[1])
            return p;
    return NULL;
}

int rk_tar_name_fits(const char *name)
{
    size_t n = strlen(name);
    return n && (n <= 100 || split_at(name, n) != NULL);
}

int rk_tar_header(unsigned char hdr[RK_TAR_BLOCK], const char *name, uint64_t size, int64_t mtime)
{
    memset(hdr, 0, RK_TAR_BLOCK);
    size_t n = strlen(name);
    char *h = (char *)hdr;
    if (n <= 100) {
        memcpy(h, name, n);
    } else {
        const char *cut = split_at(name, n);
        if (!cut)
            return -1;
        memcpy(h + 345, name, (size_t)(cut - name));
        memcpy(h, cut + 1, n - (size_t)(cut - name) - 1);
    }
    octal(h + 100, 8, 0644);
    octal(h + 108, 8, 0);
    octal(h + 116, 8, 0);
    if (size < (1ull << 33)) {
        octal(h + 124, 12, size);
    } else { /* base-256: high bit of the first byte set, big-endian value */
        hdr[124] = 0x80;
        for (int i = 11; i >= 4; i--) {
            hdr[124 + i] = (unsigned char)(size & 0xFF);
            size >>= 8;
        }
    }
    octal(h + 136, 12, mtime < 0 ? 0 : (uint64_t)mtime);
    h[156] = '0';
    memcpy(h + 257, "ustar", 6); /* magic "ustar\0", version "00" */
    memcpy(h + 263, "00", 2);
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < RK_TAR_BLOCK; i++)
        sum += hdr[i];
    octal(h + 148, 7, sum); /* six digits, NUL, then the space already there */
    h[155] = ' ';
    return 0;
}

static int parse_octal(const unsigned char *p, size_t width, uint64_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    while (i < width && p[i] == ' ')
        i++;
    int any = 0;
    for (; i < width && p[i] >= '0' && p[i] <= '7'; i++) {
        if (v >> 60)
            return -1;
        v = (v << 3) | (uint64_t)(p[i] - '0');
        any = 1;
    }
    for (; i < width; i++)
        if (p[i] != 0 && p[i] != ' ')
            return -1;
    *out = v;
    return any ? 0 : -1;
}

int rk_tar_parse(const unsigned char hdr[RK_TAR_BLOCK], rk_tar_entry *e)
{
    int zero = 1;
    for (int i = 0; i < RK_TAR_BLOCK && zero; i++)
        zero = hdr[i] == 0;
    if (zero)
        return 0;
    uint64_t want, sum = 0;
    if (parse_octal(hdr + 148, 8, &want) != 0)
        return -1;
    for (int i = 0; i < RK_TAR_BLOCK; i++)
        sum += (i >= 148 && i < 156) ? ' ' : hdr[i];
    if (sum != want)
        return -1;
    if (hdr[124] & 0x80) {
        uint64_t v = 0;
        for (int i = 1; i < 12; i++) {
            if (i < 4 && hdr[124 + i])
                return -1;
            v = (v << 8) | hdr[124 + i];
        }
        e->size = v;
    } else if (parse_octal(hdr + 124, 12, &e->size) != 0) {
        return -1;
    }
    size_t pl = strnlen((const char *)hdr + 345, 155), nl = strnlen((const char *)hdr, 100);
    if (nl == 0)
        return -1;
    size_t w = 0;
    if (pl && memcmp(hdr + 257, "ustar", 5) == 0) {
        memcpy(e->name, hdr + 345, pl);
        e->name[pl] = '/';
        w = pl + 1;
    }
    memcpy(e->name + w, hdr, nl);
    e->name[w + nl] = 0;
    e->type = hdr[156] ? (char)hdr[156] : '0';
    return 1;
}
