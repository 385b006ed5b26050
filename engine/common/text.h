/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Text cells for terminals (internal): bytes from the data with control
 * characters escaped, and padding by display width (a CJK character takes
 * two columns), so tables line up in Japanese too.
 */
#ifndef RK_TEXT_H
#define RK_TEXT_H

#include <stdio.h>
#include <string.h>

/* Display columns of one UTF-8 code point: 2 for East Asian wide and fullwidth forms. */
static inline unsigned rk_cp_width(unsigned cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                   (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                   (cp >= 0xFFE0 && cp <= 0xFFE6)
               ? 2
               : 1;
}

/* Writes s with control bytes escaped (\r, \n, \t, \xNN: an escape sequence in the data cannot
 * drive the terminal); returns the display columns written. out NULL: only counts them. */
static inline size_t rk_text_cell(FILE *out, const char *s)
{
    size_t cols = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p;) {
        unsigned c = *p;
        if (c < 0x20 || c == 0x7F) {
            int named = c == '\r' || c == '\n' || c == '\t';
            if (out && named)
                fprintf(out, "\\%c", c == '\r' ? 'r' : c == '\n' ? 'n' : 't');
            else if (out)
                fprintf(out, "\\x%02X", c);
            cols += named ? 2 : 4;
            p++;
            continue;
        }
        size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        unsigned cp = n == 1 ? c : c & (0x3F >> (n - 1));
        size_t k = 1;
        while (k < n && (p[k] & 0xC0) == 0x80)
            cp = (cp << 6) | (p[k++] & 0x3F);
        if (out)
            fwrite(p, 1, k, out);
        cols += k == n ? rk_cp_width(cp) : 1;
        p += k;
    }
    return cols;
}

/* A cell right-aligned in `width` display columns. */
static inline void rk_text_rpad(FILE *out, const char *s, size_t width)
{
    for (size_t cols = rk_text_cell(NULL, s); cols < width; cols++)
        fputc(' ', out);
    rk_text_cell(out, s);
}

/* A cell padded with spaces to `width` display columns (left-aligned). */
static inline void rk_text_pad(FILE *out, const char *s, size_t width)
{
    for (size_t cols = rk_text_cell(out, s); cols < width; cols++)
        fputc(' ', out);
}

#endif
