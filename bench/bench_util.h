/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the bench timers share: a monotonic clock in seconds and a read-only
 * mapping of the file under test (kept for the life of the process, so that
 * runs after the first measure the code, not the page faults).
 */
#ifndef RK_BENCH_UTIL_H
#define RK_BENCH_UTIL_H

#include <fcntl.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Maps path whole; *len receives its size. NULL if it cannot be opened or mapped. */
static inline const unsigned char *bench_map(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    *len = (size_t)sb.st_size;
    void *p = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd); /* the mapping stays */
    return p == MAP_FAILED ? NULL : (const unsigned char *)p;
}

#endif
