/* SPDX-License-Identifier: Apache-2.0 */
/*
 * File input and output: read-only memory maps, atomic writes (temp file in
 * the same directory, fsync, rename, fsync of the directory) and the
 * deterministic directory walk. No knowledge of the formats.
 */
#include "../common/vec.h"
#include "../../formats/careplan/families.h"
#include "io.h"

#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <fnmatch.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- mappings guarded against a file that shrinks ------------------------- */

#define RK_GUARDS 256
static struct {
    _Atomic uintptr_t base; /* 0 = free */
    _Atomic size_t len;
    volatile sig_atomic_t changed;
} guards[RK_GUARDS];
static pthread_once_t guard_once = PTHREAD_ONCE_INIT;
static struct sigaction guard_old;
static int guard_on;
static uintptr_t guard_page; /* the page size, read before the handler may run (sysconf is not signal-safe) */

/* SIGBUS in a guarded mapping: the file ends before the page, so from it to
 * the mapping's end becomes zeros (one signal, not one per page) and the
 * mapping is marked changed; anywhere else, the signal does what it did. */
static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    uintptr_t a = (uintptr_t)si->si_addr;
    for (int i = 0; i < RK_GUARDS; i++) {
        uintptr_t b = atomic_load(&guards[i].base);
        if (b && a >= b && a - b < atomic_load(&guards[i].len)) {
            uintptr_t page = a & ~(guard_page - 1);
            uintptr_t end = (b + atomic_load(&guards[i].len) + guard_page - 1) & ~(guard_page - 1);
            if (mmap((void *)page, (size_t)(end - page), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) !=
                MAP_FAILED) {
                guards[i].changed = 1;
                return;
            }
        }
    }
    sigaction(sig, &guard_old, NULL); /* not ours: as if there were no guard */
    raise(sig);
}

static void guard_install(void)
{
    struct sigaction now;
    if (sigaction(SIGBUS, NULL, &now) != 0 || (now.sa_flags & SA_SIGINFO) || now.sa_handler != SIG_DFL)
        return; /* the program handles SIGBUS itself */
    guard_page = (uintptr_t)sysconf(_SC_PAGESIZE);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    guard_on = sigaction(SIGBUS, &sa, &guard_old) == 0;
}

static int guard_add(void *base, size_t len)
{
    pthread_once(&guard_once, guard_install);
    if (!guard_on)
        return 0;
    for (int i = 0; i < RK_GUARDS; i++) {
        uintptr_t free_slot = 0;
        if (atomic_compare_exchange_strong(&guards[i].base, &free_slot, (uintptr_t)1)) {
            guards[i].changed = 0;
            atomic_store(&guards[i].len, len);
            atomic_store(&guards[i].base, (uintptr_t)base);
            return i + 1;
        }
    }
    return 0; /* more mappings at once than slots: this one unguarded */
}

static rk_status guard_changed(int guard)
{
    return guard && guards[guard - 1].changed ? RK_ERR_CHANGED : RK_OK;
}

rk_status rk_map_changed(const rk_map *m)
{
    return guard_changed(m->guard);
}

rk_status rk_file_changed(const rk_mapped *m)
{
    return guard_changed(m->guard);
}

rk_status rk_map_file(const char *path, rk_map *m)
{
    memset(m, 0, sizeof *m);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO must not block the open */
    if (fd < 0)
        return RK_ERR_IO;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return RK_ERR_IO;
    }
    if (st.st_size == 0) {
        close(fd);
        m->p = (const unsigned char *)"";
        return RK_OK;
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return RK_ERR_IO;
    (void)madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
    m->p = p;
    m->base = p;
    m->len = (size_t)st.st_size;
    m->guard = guard_add(p, m->len);
    return RK_OK;
}

rk_status rk_read_file(const char *path, unsigned char **buf, size_t *cap, size_t *len)
{
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return RK_ERR_IO;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > SIZE_MAX - 1) {
        close(fd);
        return RK_ERR_IO;
    }
    size_t want = (size_t)st.st_size;
    if (!RK_RESERVE(*buf, *cap, want + 1, 1u << 16)) {
        close(fd);
        return RK_ERR_NOMEM;
    }
    rk_status rs = RK_OK;
    while (*len < want) {
        ssize_t got = read(fd, *buf + *len, want - *len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            rs = RK_ERR_IO;
            break;
        }
        if (got == 0) { /* shorter than it was: it shrank while read */
            rs = RK_ERR_CHANGED;
            break;
        }
        *len += (size_t)got;
    }
    close(fd);
    return rs;
}

rk_status rk_file_map(const char *path, rk_mapped *m)
{
    rk_map x;
    rk_status st = rk_map_file(path, &x);
    m->data = st == RK_OK ? x.p : NULL;
    m->len = st == RK_OK ? x.len : 0;
    m->base = st == RK_OK ? x.base : NULL;
    m->guard = st == RK_OK ? x.guard : 0;
    return st;
}

void rk_file_unmap(rk_mapped *m)
{
    rk_map x = {m->data, m->len, m->base, m->guard};
    rk_unmap(&x);
    memset(m, 0, sizeof *m);
}

void rk_unmap(rk_map *m)
{
    if (m->guard) {
        atomic_store(&guards[m->guard - 1].len, 0);
        atomic_store(&guards[m->guard - 1].base, 0);
    }
    if (m->base)
        munmap(m->base, m->len);
    memset(m, 0, sizeof *m);
}

uint64_t rk_release(const unsigned char *base, uint64_t from, uint64_t to)
{
    const uintptr_t huge = RK_RELEASE_ALIGN, b0 = (uintptr_t)base;
    uintptr_t a = (b0 + (uintptr_t)from + huge - 1) & ~(huge - 1), b = (b0 + (uintptr_t)to) & ~(huge - 1);
    if (b <= a)
        return from;
    (void)madvise((void *)a, (size_t)(b - a), MADV_DONTNEED);
    return (uint64_t)(b - b0);
}

void rk_release_blocks(const unsigned char *base, uint64_t len, uint64_t from, uint64_t to)
{
    const uintptr_t huge = RK_RELEASE_ALIGN, page = 4096, b0 = (uintptr_t)base;
    if (to > len)
        to = len;
    if (to <= from)
        return;
    uintptr_t a = (b0 + (uintptr_t)from) & ~(huge - 1), b = (b0 + (uintptr_t)to + huge - 1) & ~(huge - 1);
    if (a < b0) /* the mapping starts inside the first block: its start */
        a = b0;
    if (b > b0 + len) /* the last block: to the last page the mapping holds wholly */
        b = (b0 + (uintptr_t)len) & ~(page - 1);
    if (b > a)
        (void)madvise((void *)a, (size_t)(b - a), MADV_DONTNEED);
}

int rk_fsync_dir_of(const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash) {
        dir[0] = '.';
        dir[1] = 0;
    } else {
        size_t n = (size_t)(slash - path);
        if (n == 0)
            n = 1;
        if (n >= sizeof dir)
            return -1;
        memcpy(dir, path, n);
        dir[n] = 0;
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Writes data to fd and puts the file in place (fsync, rename); 0 or -1. */
static int write_and_rename(int fd, char *tmp, int slot, const char *path, const void *data, size_t len)
{
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            close(fd);
            return -1;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fchmod(fd, 0644) != 0 || fsync(fd) != 0 || rk_tmp_place(fd, tmp, slot, path) != 0) {
        close(fd);
        return -1;
    }
    return close(fd) == 0 ? 0 : -1; /* in place and synced: a late close error changes nothing */
}

rk_status rk_write_file_atomic(const char *path, const void *data, size_t len)
{
    char tmp[PATH_MAX];
    int n = snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path), slot;
    if (n < 0 || (size_t)n >= sizeof tmp)
        return RK_ERR_ARG;
    int fd = rk_tmp_create(tmp, &slot);
    if (fd < 0)
        return RK_ERR_IO;
    int bad = write_and_rename(fd, tmp, slot, path, data, len);
    if (bad && slot != RK_TMP_UNNAMED)
        unlink(tmp);
    rk_tmp_release(slot);
    if (bad)
        return RK_ERR_IO;
    (void)rk_fsync_dir_of(path);
    return RK_OK;
}

/* ---- directory walk -------------------------------------------------- */

typedef struct pathvec {
    char **v;
    size_t n, cap;
} pathvec;

static int pv_push(pathvec *pv, char *s)
{
    if (!s)
        return 0;
    if (!RK_RESERVE(pv->v, pv->cap, pv->n + 1, 64)) {
        free(s);
        return 0;
    }
    pv->v[pv->n++] = s;
    return 1;
}

/* The first problem of the last walk on this thread (rk_input_problem). */
static _Thread_local char walk_problem[PATH_MAX + 160];

static rk_status walk_fault(const char *path, const char *why)
{
    snprintf(walk_problem, sizeof walk_problem, "%s: %s", path, why);
    return RK_ERR_IO;
}

static const char *kind_of(mode_t m)
{
    return S_ISFIFO(m)   ? "not a regular file (a FIFO)"
           : S_ISCHR(m)  ? "not a regular file (a character device)"
           : S_ISBLK(m)  ? "not a regular file (a block device)"
           : S_ISSOCK(m) ? "not a regular file (a socket)"
                         : "not a regular file";
}

/* The directories above the one being walked, by device and inode: a link back to one is a loop. */
typedef struct walk_up {
    dev_t dev;
    ino_t ino;
    const struct walk_up *up;
    const char *path;
} walk_up;

/* Directory entries as walk_dir keeps them: a type byte, then the name. */
static int cmp_entry(const void *a, const void *b)
{
    return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

/* Adds the regular files below dir, in byte order of their names, depth first. */
static rk_status walk_dir(const char *dir, pathvec *out, int depth, const walk_up *up)
{
    struct stat self;
    if (stat(dir, &self) != 0)
        return walk_fault(dir, strerror(errno));
    for (const walk_up *a = up; a; a = a->up)
        if (a->dev == self.st_dev && a->ino == self.st_ino) {
            char why[PATH_MAX + 64];
            snprintf(why, sizeof why, "a directory link that loops back to %s", a->path);
            return walk_fault(dir, why);
        }
    if (depth > 64)
        return walk_fault(dir, "directories nested more than 64 deep");
    walk_up here = {self.st_dev, self.st_ino, up, dir};
    DIR *d = opendir(dir);
    if (!d)
        return walk_fault(dir, strerror(errno));
    pathvec names = {0};
    struct dirent *de;
    rk_status st = RK_OK;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue; /* ".", "..", and hidden files such as editor swap files */
        size_t nl = strlen(de->d_name);
        char *nm = malloc(nl + 2); /* the entry's type, then its name */
        if (nm) {
            nm[0] = de->d_type == DT_REG ? 'f' : '?';
            memcpy(nm + 1, de->d_name, nl + 1);
        }
        if (!nm || !pv_push(&names, nm)) {
            free(nm);
            st = RK_ERR_NOMEM;
            break;
        }
    }
    closedir(d);
    if (names.n)
        qsort(names.v, names.n, sizeof *names.v, cmp_entry);
    for (size_t i = 0; i < names.n && st == RK_OK; i++) {
        size_t len = strlen(dir) + strlen(names.v[i]) + 2;
        char *full = malloc(len);
        if (!full) {
            st = RK_ERR_NOMEM;
            break;
        }
        snprintf(full, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names.v[i] + 1);
        if (names.v[i][0] == 'f') { /* a regular file, not a link: no stat needed */
            if (!pv_push(out, full))
                st = RK_ERR_NOMEM;
            continue;
        }
        struct stat sb;
        if (stat(full, &sb) != 0) {
            st = walk_fault(full, strerror(errno)); /* a dangling link, a file gone meanwhile */
            free(full);
            break;
        }
        if (S_ISDIR(sb.st_mode)) {
            st = walk_dir(full, out, depth + 1, &here);
            free(full);
        } else if (S_ISREG(sb.st_mode)) {
            if (!pv_push(out, full))
                st = RK_ERR_NOMEM;
        } else { /* a FIFO or device in a month's tree is named, not passed over */
            st = walk_fault(full, kind_of(sb.st_mode));
            free(full);
        }
    }
    for (size_t i = 0; i < names.n; i++)
        free(names.v[i]);
    free(names.v);
    return st;
}

rk_status rk_collect_files(const char *const *inputs, size_t n, char ***paths, size_t *npaths)
{
    pathvec out = {0};
    rk_status st = RK_OK;
    walk_problem[0] = 0;
    for (size_t i = 0; i < n && st == RK_OK; i++) {
        struct stat sb;
        if (stat(inputs[i], &sb) != 0) {
            st = walk_fault(inputs[i], strerror(errno));
        } else if (S_ISDIR(sb.st_mode)) {
            st = walk_dir(inputs[i], &out, 0, NULL);
        } else if (!S_ISREG(sb.st_mode)) {
            st = walk_fault(inputs[i], kind_of(sb.st_mode));
        } else if (!pv_push(&out, strdup(inputs[i]))) {
            st = RK_ERR_NOMEM;
        }
    }
    if (st != RK_OK) {
        rk_paths_free(out.v, out.n);
        *paths = NULL;
        *npaths = 0;
        return st;
    }
    *paths = out.v;
    *npaths = out.n;
    return RK_OK;
}

static int matches(const char *name, const char *const *pat, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fnmatch(pat[i], name, 0) == 0)
            return 1;
    return 0;
}

rk_status rk_collect_month(const char *const *inputs, size_t n, const char *const *include, size_t ninclude,
                           const char *const *exclude, size_t nexclude, char ***paths, size_t *npaths, char ***skipped,
                           size_t *nskipped)
{
    pathvec keep = {0}, skip = {0};
    rk_status st = RK_OK;
    for (size_t i = 0; i < n && st == RK_OK; i++) {
        struct stat sb;
        char **all = NULL;
        size_t na = 0;
        if (stat(inputs[i], &sb) != 0) {
            st = RK_ERR_IO;
            break;
        }
        int dir = S_ISDIR(sb.st_mode);
        if ((st = rk_collect_files(&inputs[i], 1, &all, &na)) != RK_OK)
            break;
        for (size_t k = 0; k < na; k++) {
            const char *slash = strrchr(all[k], '/'), *name = slash ? slash + 1 : all[k];
            int take = (!dir || rk_name_is_exchange_file(name)) && (!ninclude || matches(name, include, ninclude)) &&
                       !matches(name, exclude, nexclude);
            if (!pv_push(take ? &keep : &skip, all[k]))
                st = RK_ERR_NOMEM;
            all[k] = NULL;
        }
        rk_paths_free(all, na);
    }
    if (st != RK_OK) {
        rk_paths_free(keep.v, keep.n);
        rk_paths_free(skip.v, skip.n);
        *paths = *skipped = NULL;
        *npaths = *nskipped = 0;
        return st;
    }
    *paths = keep.v;
    *npaths = keep.n;
    *skipped = skip.v;
    *nskipped = skip.n;
    return RK_OK;
}

const char *rk_input_problem(const char *path, char *buf, size_t cap)
{
    int saved = errno;
    struct stat sb;
    if (stat(path, &sb) != 0) {
        snprintf(buf, cap, "%s", strerror(errno));
    } else if (S_ISDIR(sb.st_mode)) {
        char **p = NULL;
        size_t n = 0;
        if (rk_collect_files(&path, 1, &p, &n) != RK_OK && walk_problem[0]) {
            const char *w = walk_problem;
            size_t k = strlen(path); /* "PATH: why" of the input itself reads as "why" */
            snprintf(buf, cap, "%s", strncmp(w, path, k) == 0 && strncmp(w + k, ": ", 2) == 0 ? w + k + 2 : w);
        } else {
            snprintf(buf, cap, "%s", strerror(saved));
        }
        rk_paths_free(p, n);
    } else if (!S_ISREG(sb.st_mode)) {
        snprintf(buf, cap, "%s", kind_of(sb.st_mode));
    } else {
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        snprintf(buf, cap, "%s", strerror(fd < 0 ? errno : saved));
        if (fd >= 0)
            close(fd);
    }
    return buf;
}

void rk_cannot_read(char *err, size_t cap, const char *path)
{
    char why[256];
    if (err && cap)
        snprintf(err, cap, "cannot read %s: %s", path, rk_input_problem(path, why, sizeof why));
}

void rk_name_failing_input(const char *const *inputs, size_t n, char *err, size_t cap)
{
    for (size_t i = 0; i < n; i++) {
        char **p = NULL, why[512];
        size_t np = 0;
        rk_status st = rk_collect_files(&inputs[i], 1, &p, &np);
        rk_paths_free(p, np);
        if (st != RK_OK) {
            snprintf(err, cap, "%s: %s", inputs[i], rk_input_problem(inputs[i], why, sizeof why));
            return;
        }
    }
}

void rk_paths_free(char **paths, size_t n)
{
    for (size_t i = 0; paths && i < n; i++)
        free(paths[i]);
    free(paths);
}

/* ---- temporary files removed on a signal ---------------------------------- */

/* The temporary outputs being written, by slot: a signal handler unlinks them
 * (unlink is async-signal-safe) before the process dies of the signal. */
#define RK_PENDING 64
static char pending[RK_PENDING][PATH_MAX];
static volatile sig_atomic_t pending_used[RK_PENDING];
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;

int rk_tmp_hold(const char *path)
{
    int slot = -1;
    pthread_mutex_lock(&pending_lock);
    for (int i = 0; i < RK_PENDING && slot < 0; i++)
        if (!pending_used[i] && strlen(path) < PATH_MAX) {
            memcpy(pending[i], path, strlen(path) + 1);
            pending_used[i] = 1;
            slot = i;
        }
    pthread_mutex_unlock(&pending_lock);
    return slot;
}

void rk_tmp_release(int slot)
{
    if (slot < 0)
        return;
    pthread_mutex_lock(&pending_lock);
    pending_used[slot] = 0;
    pthread_mutex_unlock(&pending_lock);
}

/* An unnamed file in the directory of tmpl, or -1 where the file system (or
 * a missing /proc, through which it is linked) does not allow it. */
static int tmp_unnamed(const char *tmpl)
{
#ifdef O_TMPFILE
    char dir[PATH_MAX];
    const char *slash = strrchr(tmpl, '/');
    size_t n = slash ? (size_t)(slash - tmpl) : 0;
    if (n >= sizeof dir || access("/proc/self/fd", X_OK) != 0)
        return -1;
    memcpy(dir, slash ? tmpl : ".", slash ? (n ? n : 1) : 1);
    dir[slash ? (n ? n : 1) : 1] = 0;
    return open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#else
    (void)tmpl;
    return -1;
#endif
}

int rk_tmp_place(int fd, char *tmpl, int slot, const char *path)
{
    if (slot != RK_TMP_UNNAMED)
        return rename(tmpl, path);
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    size_t n = strlen(tmpl);
    if (n < 6)
        return errno = EINVAL, -1;
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    uint64_t r = (uint64_t)getpid() * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)tmpl ^ (uint64_t)time(NULL);
    for (int tries = 0; tries < 64; tries++) {
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        for (size_t i = 0; i < 6; i++)
            tmpl[n - 6 + i] = alnum[(r >> (8 * i + 16)) % (sizeof alnum - 1)];
        sigset_t block, old;
        sigfillset(&block);
        pthread_sigmask(SIG_BLOCK, &block, &old);
        int rc = linkat(AT_FDCWD, proc, AT_FDCWD, tmpl, AT_SYMLINK_FOLLOW);
        int held = rc == 0 ? rk_tmp_hold(tmpl) : -1;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (rc != 0 && errno == EEXIST)
            continue;
        if (rc != 0)
            return -1;
        rc = rename(tmpl, path);
        int e = errno;
        if (rc != 0)
            unlink(tmpl);
        rk_tmp_release(held);
        errno = e;
        return rc;
    }
    return errno = EEXIST, -1;
}

int rk_tmp_create(char *tmpl, int *slot)
{
    int ufd = tmp_unnamed(tmpl);
    if (ufd >= 0) {
        *slot = RK_TMP_UNNAMED;
        return ufd;
    }
    /* The signals wait while the file is made and registered: none can come between the two. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int fd = mkostemp(tmpl, O_CLOEXEC);
    *slot = fd >= 0 ? rk_tmp_hold(tmpl) : -1;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return fd;
}

static void remove_pending(int sig)
{
    for (int i = 0; i < RK_PENDING; i++)
        if (pending_used[i])
            unlink(pending[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

void rk_remove_temporaries_on_signal(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa, old;
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue; /* ignored by whoever started us (a background job): it stays ignored */
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = remove_pending;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

/* ---- streaming atomic output -------------------------------------------- */

struct rk_afile {
    FILE *f;
    char *path;
    char tmp[PATH_MAX];
    int slot; /* rk_tmp_hold */
};

rk_afile *rk_afile_open(const char *path)
{
    rk_afile *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    int n = snprintf(a->tmp, sizeof a->tmp, "%s.tmp.XXXXXX", path);
    a->path = strdup(path);
    int fd = -1;
    if (n < 0 || (size_t)n >= sizeof a->tmp || !a->path || (fd = rk_tmp_create(a->tmp, &a->slot)) < 0) {
        free(a->path);
        free(a);
        return NULL;
    }
    a->f = fdopen(fd, "wb");
    if (!a->f) {
        close(fd);
        unlink(a->tmp);
        rk_tmp_release(a->slot);
        free(a->path);
        free(a);
        return NULL;
    }
    return a;
}

FILE *rk_afile_stream(rk_afile *a)
{
    return a->f;
}

rk_status rk_afile_commit(rk_afile *a)
{
    int fd = fileno(a->f);
    int bad = fflush(a->f) != 0 || ferror(a->f) || fchmod(fd, 0644) != 0 || fsync(fd) != 0;
    bad = bad || rk_tmp_place(fd, a->tmp, a->slot, a->path) != 0; /* synced and in place: done */
    fclose(a->f);
    if (bad && a->slot != RK_TMP_UNNAMED)
        unlink(a->tmp);
    else
        (void)rk_fsync_dir_of(a->path);
    rk_tmp_release(a->slot);
    free(a->path);
    free(a);
    return bad ? RK_ERR_IO : RK_OK;
}

void rk_afile_abort(rk_afile *a)
{
    if (!a)
        return;
    fclose(a->f);
    if (a->slot != RK_TMP_UNNAMED) /* an unnamed one goes with its descriptor */
        unlink(a->tmp);
    rk_tmp_release(a->slot);
    free(a->path);
    free(a);
}
