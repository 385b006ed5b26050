/* SPDX-License-Identifier: Apache-2.0 */
/*
 * renkei seal: a month's files into one signed, compressed, reproducible
 * archive (.tar.zst) that stock tools can check.
 *
 * Layout of the tar stream, names sorted: MANIFEST.pub (Ed25519 only),
 * MANIFEST.sha256, MANIFEST.sha256.p7s or .sig, MANIFEST.xxh3, then data/...
 * The zstd stream is a series of independent frames with checksums: one for
 * the manifests, then each data member in frames of 4 MiB of tar input, then
 * the end-of-archive blocks. Each data file is hashed and compressed in the
 * same pass (one task per file, in parallel); the manifest frame is written in
 * front afterwards. Frames depend only on the bytes and the level, never on
 * the number of threads, so the archive is the same for any --jobs.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <limits.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <xxhash.h>
#include <zstd.h>

#include "../common/vec.h"
#include "../io/io.h"
#include "seal_internal.h"
#include "tar.h"

#define RK_FRAME_IN (4u << 20)     /* tar bytes per zstd frame */
#define RK_HASH_BLOCK (256u << 10) /* hashed and compressed while in cache */
#define RK_SPILL (8u << 20)        /* compressed output kept in memory up to this */

void rk_seal_options_init(rk_seal_options *o)
{
    memset(o, 0, sizeof *o);
    o->level = 3;
}

void rk_seal_err(char *err, size_t cap, const char *fmt, ...)
{
    if (!err || !cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
    unsigned long e = ERR_peek_last_error();
    if (e) {
        size_t n = strlen(err);
        if (n + 3 < cap) {
            memcpy(err + n, ": ", 3);
            ERR_error_string_n(e, err + n + 2, cap - n - 2);
        }
    }
    ERR_clear_error();
}

/* ---- compressed output: memory, spilling to an unlinked temporary file ---- */

typedef struct sink {
    unsigned char *buf;
    size_t n, cap;
    int fd; /* -1 while in memory */
    const char *dir;
    int failed;
    int err; /* errno of the failure (ENOMEM out of memory) */
} sink;

static void sink_init(sink *s, const char *dir)
{
    memset(s, 0, sizeof *s);
    s->fd = -1;
    s->dir = dir;
}

static int sink_flush(sink *s)
{
    if (s->fd < 0) {
        char tmpl[PATH_MAX];
        snprintf(tmpl, sizeof tmpl, "%s/.renkei-seal.XXXXXX", s->dir);
        s->fd = mkostemp(tmpl, O_CLOEXEC);
        if (s->fd < 0)
            return -1;
        unlink(tmpl); /* nothing is left behind, whatever happens */
    }
    size_t off = 0;
    while (off < s->n) {
        ssize_t w = write(s->fd, s->buf + off, s->n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        off += (size_t)w;
    }
    s->n = 0;
    return 0;
}

static void sink_put(sink *s, const void *p, size_t n)
{
    if (s->failed || n == 0)
        return;
    /* Past RK_SPILL, the bytes go to a temporary file in RK_SPILL pieces. */
    if (s->n + n > RK_SPILL && s->n && sink_flush(s) != 0) {
        s->failed = 1;
        s->err = errno ? errno : EIO;
        return;
    }
    if (!RK_RESERVE(s->buf, s->cap, s->n + n, 1 << 16)) {
        s->failed = 1;
        s->err = ENOMEM;
        return;
    }
    memcpy(s->buf + s->n, p, n);
    s->n += n;
}

/* Appends the whole sink to out. */
static int sink_copy(sink *s, FILE *out)
{
    if (s->fd >= 0) {
        if (s->n && sink_flush(s) != 0)
            return -1;
        if (lseek(s->fd, 0, SEEK_SET) != 0)
            return -1;
        unsigned char b[1 << 16];
        ssize_t r;
        while ((r = read(s->fd, b, sizeof b)) > 0)
            if (fwrite(b, 1, (size_t)r, out) != (size_t)r)
                return -1;
        return r < 0 ? -1 : 0;
    }
    return s->n && fwrite(s->buf, 1, s->n, out) != s->n ? -1 : 0;
}

static void sink_free(sink *s)
{
    free(s->buf);
    if (s->fd >= 0)
        close(s->fd);
    s->buf = NULL;
    s->fd = -1;
}

/* ---- frames ---------------------------------------------------------------- */

typedef struct framer {
    ZSTD_CCtx *cctx;
    sink *out;
    size_t left; /* tar bytes the current frame may still take */
    unsigned char obuf[1 << 16];
    int failed;
} framer;

static void framer_run(framer *f, const unsigned char *p, size_t n, ZSTD_EndDirective mode)
{
    ZSTD_inBuffer in = {p, n, 0};
    for (;;) {
        ZSTD_outBuffer o = {f->obuf, sizeof f->obuf, 0};
        size_t rem = ZSTD_compressStream2(f->cctx, &o, &in, mode);
        if (ZSTD_isError(rem)) {
            f->failed = 1;
            return;
        }
        sink_put(f->out, f->obuf, o.pos);
        if (mode == ZSTD_e_end ? rem == 0 : in.pos == in.size)
            return;
    }
}

/* Feeds tar bytes, closing a frame every RK_FRAME_IN bytes. */
static void framer_feed(framer *f, const unsigned char *p, size_t n)
{
    while (n && !f->failed) {
        size_t take = n < f->left ? n : f->left;
        framer_run(f, p, take, ZSTD_e_continue);
        p += take;
        n -= take;
        f->left -= take;
        if (f->left == 0) {
            framer_run(f, NULL, 0, ZSTD_e_end);
            f->left = RK_FRAME_IN;
        }
    }
}

static void framer_end(framer *f)
{
    if (f->left != RK_FRAME_IN)
        framer_run(f, NULL, 0, ZSTD_e_end);
    f->left = RK_FRAME_IN;
}

static ZSTD_CCtx *new_cctx(int level)
{
    ZSTD_CCtx *c = ZSTD_createCCtx();
    if (c && (ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level)) ||
              ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1)))) {
        ZSTD_freeCCtx(c);
        c = NULL;
    }
    return c;
}

/* ---- inputs ---------------------------------------------------------------- */

typedef struct member {
    char *path; /* on disk */
    char *rel;  /* relative to data/ */
    unsigned char sha[32];
    uint64_t xxh;
    sink out;
    rk_status st;
} member;

static int cmp_member(const void *a, const void *b)
{
    return strcmp(((const member *)a)->rel, ((const member *)b)->rel);
}

/* The name of a file under data/: a directory argument keeps its own name. */
static char *rel_name(const char *input, const char *file, int is_dir)
{
    char base[PATH_MAX];
    size_t n = strlen(input);
    while (n > 1 && input[n - 1] == '/')
        n--;
    if (n >= sizeof base)
        return NULL;
    memcpy(base, input, n);
    base[n] = 0;
    if (!is_dir) {
        const char *s = strrchr(base, '/');
        return strdup(s ? s + 1 : base);
    }
    char real[PATH_MAX];
    const char *dirname = base;
    if (realpath(base, real)) {
        const char *s = strrchr(real, '/');
        dirname = s && s[1] ? s + 1 : "root";
    }
    const char *under = file + n;
    while (*under == '/')
        under++;
    size_t len = strlen(dirname) + strlen(under) + 2;
    char *r = malloc(len);
    if (r)
        snprintf(r, len, "%s/%s", dirname, under);
    return r;
}

/* Why a member name cannot be sealed, or NULL. */
static const char *name_fault(const char *rel)
{
    /* sha256sum and xxhsum would escape these; keep names plain. */
    for (const char *p = rel; *p; p++)
        if (*p == '\n' || *p == '\\' || *p == '\r')
            return "a line break or backslash in the name";
    char full[RK_TAR_NAME_MAX + 8];
    if (strlen(rel) > RK_TAR_NAME_MAX || snprintf(full, sizeof full, "data/%s", rel) < 0 || !rk_tar_name_fits(full))
        return "no ustar header holds the path: at most 155 bytes of directories (with data/) and a name "
               "of at most 100 bytes";
    return NULL;
}

/* Hashes and compresses one file into its sink. */
static void seal_member(member *m, ZSTD_CCtx *cctx, int64_t mtime)
{
    rk_map map;
    m->st = rk_map_file(m->path, &map);
    if (m->st != RK_OK)
        return;
    char name[300];
    snprintf(name, sizeof name, "data/%s", m->rel);
    unsigned char hdr[RK_TAR_BLOCK];
    if (rk_tar_header(hdr, name, map.len, mtime) != 0) {
        rk_unmap(&map);
        m->st = RK_ERR_ARG;
        return;
    }
    framer f = {cctx, &m->out, RK_FRAME_IN, {0}, 0};
    EVP_MD_CTX *sha = EVP_MD_CTX_new();
    XXH3_state_t *xs = XXH3_createState();
    if (!sha || !xs || EVP_DigestInit_ex(sha, EVP_sha256(), NULL) != 1 || XXH3_64bits_reset(xs) != XXH_OK) {
        m->st = RK_ERR_NOMEM;
    } else {
        framer_feed(&f, hdr, sizeof hdr);
        for (size_t off = 0; off < map.len; off += RK_HASH_BLOCK) {
            size_t n = map.len - off < RK_HASH_BLOCK ? map.len - off : RK_HASH_BLOCK;
            EVP_DigestUpdate(sha, map.p + off, n);
            XXH3_64bits_update(xs, map.p + off, n);
            framer_feed(&f, map.p + off, n);
        }
        static const unsigned char zeros[RK_TAR_BLOCK];
        framer_feed(&f, zeros, (size_t)rk_tar_pad(map.len));
        framer_end(&f);
        unsigned len = 0;
        EVP_DigestFinal_ex(sha, m->sha, &len);
        m->xxh = XXH3_64bits_digest(xs);
        if (f.failed || m->out.failed)
            m->st = RK_ERR_IO;
        else if (rk_map_changed(&map) != RK_OK)
            m->st = RK_ERR_CHANGED;
    }
    EVP_MD_CTX_free(sha);
    XXH3_freeState(xs);
    rk_unmap(&map);
}

/* ---- signing ---------------------------------------------------------------- */

static int pass_cb(char *buf, int size, int rw, void *u)
{
    (void)rw;
    const char *p = u;
    if (!p)
        return 0;
    int n = (int)strlen(p);
    if (n > size)
        n = size;
    memcpy(buf, p, (size_t)n);
    return n;
}

static rk_status load_key(const rk_seal_options *o, EVP_PKEY **key, X509 **cert, STACK_OF(X509) * *chain, char *err,
                          size_t errcap)
{
    *key = NULL;
    *cert = NULL;
    *chain = NULL;
    FILE *f = fopen(o->key_path, "rb");
    if (!f) {
        rk_seal_err(err, errcap, "cannot open key %s", o->key_path);
        return RK_ERR_IO;
    }
    *key = PEM_read_PrivateKey(f, NULL, pass_cb, (void *)o->password);
    if (!*key) { /* not PEM: try PKCS#12 */
        ERR_clear_error();
        rewind(f);
        PKCS12 *p12 = d2i_PKCS12_fp(f, NULL);
        if (p12 && PKCS12_parse(p12, o->password ? o->password : "", key, cert, chain) != 1) {
            EVP_PKEY_free(*key);
            *key = NULL;
        }
        PKCS12_free(p12);
    }
    fclose(f);
    if (!*key) {
        rk_seal_err(err, errcap, "cannot read the private key in %s (wrong password?)", o->key_path);
        return RK_ERR_ARG;
    }
    if (o->cert_path) {
        X509_free(*cert);
        *cert = NULL;
        f = fopen(o->cert_path, "rb");
        if (f) {
            *cert = PEM_read_X509(f, NULL, NULL, NULL);
            fclose(f);
        }
        if (!*cert) {
            rk_seal_err(err, errcap, "cannot read the certificate %s", o->cert_path);
            return RK_ERR_ARG;
        }
    }
    if (o->chain_path) {
        f = fopen(o->chain_path, "rb");
        if (!f) {
            rk_seal_err(err, errcap, "cannot open the chain %s", o->chain_path);
            return RK_ERR_IO;
        }
        if (!*chain)
            *chain = sk_X509_new_null();
        X509 *x;
        while (*chain && (x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL)
            sk_X509_push(*chain, x);
        ERR_clear_error(); /* the end of the file */
        fclose(f);
    }
    if (*cert && EVP_PKEY_get_id(*key) == EVP_PKEY_ED25519) {
        /* OpenSSL 3.0 cannot sign CMS with Ed25519: say so before anything else. */
        rk_seal_err(err, errcap, "Ed25519 keys sign raw, without --cert; use an ECDSA P-256 or RSA key for CMS");
        return RK_ERR_ARG;
    }
    if (*cert && X509_check_private_key(*cert, *key) != 1) {
        rk_seal_err(err, errcap, "the certificate does not match the private key");
        return RK_ERR_ARG;
    }
    return RK_OK;
}

/* Signs the manifest: CMS (with a certificate) or raw Ed25519 (without). */
static rk_status sign_manifest(const rk_seal_options *o, const unsigned char *man, size_t mlen, unsigned char **sig,
                               size_t *slen, char **pub, size_t *plen, char *err, size_t errcap)
{
    EVP_PKEY *key;
    X509 *cert;
    STACK_OF(X509) * chain;
    rk_status st = load_key(o, &key, &cert, &chain, err, errcap);
    int ed = key && EVP_PKEY_get_id(key) == EVP_PKEY_ED25519;
    *sig = NULL;
    *pub = NULL;
    if (st == RK_OK && cert) {
        {
            /* No signed attributes: no signing time, so only the signature varies. */
            BIO *in = BIO_new_mem_buf(man, (int)mlen);
            CMS_ContentInfo *cms =
                in ? CMS_sign(cert, key, chain, in, CMS_DETACHED | CMS_BINARY | CMS_NOATTR | CMS_NOSMIMECAP) : NULL;
            int n = cms ? i2d_CMS_ContentInfo(cms, sig) : -1;
            if (n <= 0) {
                rk_seal_err(err, errcap, "CMS signing failed");
                st = RK_ERR_INTERNAL;
            } else {
                *slen = (size_t)n;
            }
            CMS_ContentInfo_free(cms);
            BIO_free(in);
        }
    } else if (st == RK_OK) {
        if (!ed) {
            rk_seal_err(err, errcap, "an ECDSA or RSA key needs --cert (CMS); raw signatures are Ed25519");
            st = RK_ERR_ARG;
        } else {
            EVP_MD_CTX *md = EVP_MD_CTX_new();
            size_t n = 64;
            *sig = malloc(64);
            if (!md || !*sig || EVP_DigestSignInit(md, NULL, NULL, NULL, key) != 1 ||
                EVP_DigestSign(md, *sig, &n, man, mlen) != 1) {
                rk_seal_err(err, errcap, "Ed25519 signing failed");
                st = RK_ERR_INTERNAL;
            }
            *slen = n;
            EVP_MD_CTX_free(md);
            BIO *b = BIO_new(BIO_s_mem());
            char *p;
            if (st == RK_OK && b && PEM_write_bio_PUBKEY(b, key) == 1) {
                long len = BIO_get_mem_data(b, &p);
                *pub = malloc((size_t)len);
                if (*pub) {
                    memcpy(*pub, p, (size_t)len);
                    *plen = (size_t)len;
                }
            }
            if (st == RK_OK && !*pub)
                st = RK_ERR_NOMEM;
            BIO_free(b);
        }
    }
    EVP_PKEY_free(key);
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
    if (st != RK_OK) {
        OPENSSL_free(*sig);
        *sig = NULL;
        free(*pub);
        *pub = NULL;
    }
    return st;
}

/* ---- the archive ------------------------------------------------------------- */

typedef struct blob {
    const char *name;
    const unsigned char *p;
    size_t n;
} blob;

static void hexs(const unsigned char *p, size_t n, char *out)
{
    static const char h[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = h[p[i] >> 4];
        out[2 * i + 1] = h[p[i] & 15];
    }
    out[2 * n] = 0;
}

/* The members of the inputs, named data/<rel> and sorted; *m is the caller's to free. */
static rk_status collect_members(const char *const *inputs, size_t ninputs, const char *dir, member **pm, size_t *pnm,
                                 char *err, size_t errcap)
{
    member *m = NULL;
    size_t nm = 0;
    rk_status st = RK_OK;
    for (size_t i = 0; i < ninputs && st == RK_OK; i++) {
        struct stat sb;
        if (stat(inputs[i], &sb) != 0) {
            {
                char why[512];
                rk_seal_err(err, errcap, "%s: %s", inputs[i], rk_input_problem(inputs[i], why, sizeof why));
            }
            st = RK_ERR_IO;
            break;
        }
        char **paths;
        size_t np;
        st = rk_collect_files(&inputs[i], 1, &paths, &np);
        if (st != RK_OK) {
            {
                char why[512];
                rk_seal_err(err, errcap, "%s: %s", inputs[i], rk_input_problem(inputs[i], why, sizeof why));
            }
            break;
        }
        member *q = realloc(m, (nm + np + 1) * sizeof *q);
        if (!q) {
            rk_paths_free(paths, np);
            st = RK_ERR_NOMEM;
            break;
        }
        m = q;
        for (size_t k = 0; k < np; k++) {
            memset(&m[nm], 0, sizeof m[nm]);
            m[nm].path = paths[k];
            m[nm].rel = rel_name(inputs[i], paths[k], S_ISDIR(sb.st_mode));
            sink_init(&m[nm].out, dir);
            nm++;
            const char *fault = m[nm - 1].rel ? name_fault(m[nm - 1].rel) : "out of memory";
            if (fault) {
                rk_seal_err(err, errcap, "%s: %s", paths[k], fault);
                st = RK_ERR_ARG;
            }
        }
        free(paths);
    }
    *pm = m;
    *pnm = nm;
    if (st == RK_OK && nm == 0) {
        rk_seal_err(err, errcap, "no files to seal");
        st = RK_ERR_ARG;
    }
    if (st == RK_OK) {
        qsort(m, nm, sizeof *m, cmp_member);
        for (size_t i = 1; i < nm && st == RK_OK; i++)
            if (strcmp(m[i].rel, m[i - 1].rel) == 0) {
                rk_seal_err(err, errcap, "two inputs would both be data/%s", m[i].rel);
                st = RK_ERR_ARG;
            }
    }
    return st;
}

/* Hashes and compresses every member, in parallel. */
static rk_status seal_members(const rk_seal_options *o, member *m, size_t nm, char *err, size_t errcap)
{
    unsigned jobs = o->jobs ? o->jobs : (unsigned)omp_get_num_procs();
#pragma omp parallel num_threads((int)jobs)
    {
        ZSTD_CCtx *cctx = new_cctx(o->level);
#pragma omp for schedule(dynamic, 1)
        for (size_t i = 0; i < nm; i++) {
            if (!cctx)
                m[i].st = RK_ERR_NOMEM;
            else
                seal_member(&m[i], cctx, o->mtime);
        }
        ZSTD_freeCCtx(cctx);
    }
    for (size_t i = 0; i < nm; i++)
        if (m[i].st != RK_OK) {
            if (m[i].out.failed) /* the member was read; its compressed bytes had nowhere to go */
                rk_seal_err(err, errcap, "cannot seal %s: its compressed bytes cannot be kept in %s (%s)", m[i].path,
                            m[i].out.err == ENOMEM ? "memory" : m[i].out.dir, strerror(m[i].out.err));
            else if (m[i].st == RK_ERR_IO) {
                char why[256];
                rk_seal_err(err, errcap, "cannot seal %s: %s", m[i].path, rk_input_problem(m[i].path, why, sizeof why));
            } else
                rk_seal_err(err, errcap, "cannot seal %s%s", m[i].path,
                            m[i].st == RK_ERR_CHANGED ? ": it changed (shrank) while it was read" : "");
            return m[i].st;
        }
    return RK_OK;
}

/* The manifests of the members: SHA-256 (sha256sum's form) and XXH3 (xxhsum's BSD form). */
typedef struct manifests {
    char *sha, *xxh;
    size_t nsha, nxxh;
} manifests;

static rk_status write_manifests(const member *m, size_t nm, manifests *mf)
{
    size_t cap = 0;
    for (size_t i = 0; i < nm; i++)
        cap += strlen(m[i].rel) + 100;
    mf->sha = malloc(cap + 1);
    mf->xxh = malloc(cap + 1);
    if (!mf->sha || !mf->xxh)
        return RK_ERR_NOMEM;
    for (size_t i = 0; i < nm; i++) {
        char hex[65];
        hexs(m[i].sha, 32, hex);
        mf->nsha += (size_t)snprintf(mf->sha + mf->nsha, cap + 1 - mf->nsha, "%s  %s\n", hex, m[i].rel);
        mf->nxxh += (size_t)snprintf(mf->xxh + mf->nxxh, cap + 1 - mf->nxxh, "XXH3 (%s) = %016llx\n", m[i].rel,
                                     (unsigned long long)m[i].xxh);
    }
    return RK_OK;
}

/* The archive: the front frame (manifests, signature), the members' frames, the end. */
static rk_status write_archive(const rk_seal_options *o, const char *out_path, const char *dir, member *m, size_t nm,
                               const blob *front, size_t nfront, char *err, size_t errcap)
{
    rk_status st = RK_OK;
    ZSTD_CCtx *cctx = new_cctx(o->level);
    sink head, tail;
    sink_init(&head, dir);
    sink_init(&tail, dir);
    framer f = {cctx, &head, RK_FRAME_IN, {0}, 0};
    static const unsigned char zeros[2 * RK_TAR_BLOCK];
    for (size_t i = 0; i < nfront && cctx; i++) {
        unsigned char hdr[RK_TAR_BLOCK];
        rk_tar_header(hdr, front[i].name, front[i].n, o->mtime);
        framer_feed(&f, hdr, sizeof hdr);
        framer_feed(&f, front[i].p, front[i].n);
        framer_feed(&f, zeros, (size_t)rk_tar_pad(front[i].n));
    }
    framer_end(&f);
    f.out = &tail;
    framer_feed(&f, zeros, sizeof zeros); /* end of archive */
    framer_end(&f);
    if (!cctx || f.failed || head.failed || tail.failed)
        st = RK_ERR_INTERNAL;
    ZSTD_freeCCtx(cctx);
    rk_afile *af = st == RK_OK ? rk_afile_open(out_path) : NULL;
    if (st == RK_OK && !af) {
        rk_seal_err(err, errcap, "cannot write %s: %s", out_path, strerror(errno));
        st = RK_ERR_IO;
    }
    if (af) {
        FILE *out = rk_afile_stream(af);
        int bad = sink_copy(&head, out) != 0;
        for (size_t i = 0; i < nm && !bad; i++)
            bad = sink_copy(&m[i].out, out) != 0;
        bad = bad || sink_copy(&tail, out) != 0;
        int e = 0;
        if (bad) {
            e = errno;
            rk_afile_abort(af);
            st = RK_ERR_IO;
        } else {
            st = rk_afile_commit(af);
            e = errno;
        }
        if (st != RK_OK)
            rk_seal_err(err, errcap, "cannot write %s: %s", out_path, strerror(e ? e : EIO));
    }
    sink_free(&head);
    sink_free(&tail);
    return st;
}

rk_status rk_seal(const rk_seal_options *o, const char *const *inputs, size_t ninputs, const char *out_path, char *err,
                  size_t errcap)
{
    if (err && errcap)
        err[0] = 0;
    if (!o || !inputs || !ninputs || !out_path || o->level < 1 || o->level > 22)
        return RK_ERR_ARG;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", out_path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    else
        snprintf(dir, sizeof dir, ".");
    member *m = NULL;
    size_t nm = 0;
    rk_status st = collect_members(inputs, ninputs, dir, &m, &nm, err, errcap);
    if (st == RK_OK)
        st = seal_members(o, m, nm, err, errcap);
    manifests mf;
    memset(&mf, 0, sizeof mf);
    char *pub = NULL;
    unsigned char *sig = NULL;
    size_t slen = 0, plen = 0;
    if (st == RK_OK)
        st = write_manifests(m, nm, &mf);
    if (st == RK_OK && o->key_path)
        st = sign_manifest(o, (const unsigned char *)mf.sha, mf.nsha, &sig, &slen, &pub, &plen, err, errcap);
    if (st == RK_OK) {
        blob front[5];
        size_t nf = 0;
        if (pub)
            front[nf++] = (blob){"MANIFEST.pub", (const unsigned char *)pub, plen};
        front[nf++] = (blob){"MANIFEST.sha256", (const unsigned char *)mf.sha, mf.nsha};
        if (sig)
            front[nf++] = (blob){pub ? "MANIFEST.sha256.sig" : "MANIFEST.sha256.p7s", sig, slen};
        front[nf++] = (blob){"MANIFEST.xxh3", (const unsigned char *)mf.xxh, mf.nxxh};
        st = write_archive(o, out_path, dir, m, nm, front, nf, err, errcap);
    }
    free(mf.sha);
    free(mf.xxh);
    free(pub);
    OPENSSL_free(sig);
    for (size_t i = 0; i < nm; i++) {
        free(m[i].path);
        free(m[i].rel);
        sink_free(&m[i].out);
    }
    free(m);
    return st;
}
