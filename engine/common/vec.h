/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Growable arrays, the one way the engine grows memory.
 *
 * RK_RESERVE(v, cap, need, first) makes room for `need` elements in the array
 * v (a typed pointer) of capacity `cap` elements, doubling from `first`; it is
 * 1 on success and 0 when memory runs out, the array then unchanged. rk_vec is
 * an untyped array of fixed-size elements for code that holds several kinds.
 */
#ifndef RK_COMMON_VEC_H
#define RK_COMMON_VEC_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The slow path of RK_RESERVE: *vp points at the array pointer. */
static inline int rk_reserve_slow(void *vp, size_t *cap, size_t need, size_t elem, size_t first)
{
    size_t nc = *cap ? *cap : first;
    while (nc < need) {
        if (nc > SIZE_MAX / 2)
            return 0;
        nc *= 2;
    }
    if (nc > SIZE_MAX / elem)
        return 0;
    void *p;
    memcpy(&p, vp, sizeof p);
    void *q = realloc(p, nc * elem);
    if (!q)
        return 0;
    memcpy(vp, &q, sizeof q);
    *cap = nc;
    return 1;
}

#define RK_RESERVE(v, cap, need, first)                                                                                \
    ((size_t)(need) <= (cap) || rk_reserve_slow(&(v), &(cap), (size_t)(need), sizeof *(v), (first)))

/* An array of n elements of elem bytes. */
typedef struct rk_vec {
    void *v;
    size_t n, cap, elem;
} rk_vec;

static inline void rk_vec_init(rk_vec *a, size_t elem)
{
    memset(a, 0, sizeof *a);
    a->elem = elem;
}

/* A new element at the end, not cleared; NULL when memory runs out. */
static inline void *rk_vec_add(rk_vec *a)
{
    if (a->n == a->cap && !rk_reserve_slow(&a->v, &a->cap, a->n + 1, a->elem, 64))
        return NULL;
    return (char *)a->v + a->elem * a->n++;
}

/* Appends a copy of *x; 0 when memory runs out. */
static inline int rk_vec_push(rk_vec *a, const void *x)
{
    void *d = rk_vec_add(a);
    if (d)
        memcpy(d, x, a->elem);
    return d != NULL;
}

/* Appends n elements from x; 0 when memory runs out (the vector unchanged). */
static inline int rk_vec_append(rk_vec *a, const void *x, size_t n)
{
    if (!n)
        return 1;
    if (a->n + n > a->cap && !rk_reserve_slow(&a->v, &a->cap, a->n + n, a->elem, 64))
        return 0;
    memcpy((char *)a->v + a->elem * a->n, x, n * a->elem);
    a->n += n;
    return 1;
}

static inline void *rk_vec_at(const rk_vec *a, size_t i)
{
    return (char *)a->v + a->elem * i;
}

static inline void rk_vec_free(rk_vec *a)
{
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

#endif
