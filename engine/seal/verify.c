/* SPDX-License-Identifier: Apache-2.0 */
/*
 * renkei verify / extract: streams the archive once — zstd frames (their
 * checksums checked by zstd), tar headers, members — and proves that nothing
 * was added, removed or changed and who sealed it. Problems are findings of
 * the RK-SEAL rules placed at the member's offset in the tar stream, so the
 * first finding names the first bad member.
 *
 * Extraction never trusts the archive: the signature is checked before the
 * first data member is written, each member goes to a temporary file that is
 * renamed into place only when both its checksums match the manifests, and
 * absolute names, "..", links, devices and oversized members are refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <xxhash.h>
#include <zstd.h>

#include "../common/vec.h"
#include "../../formats/careplan/careplan.h"
#include "../io/io.h"
#include "../findings/findings.h"
#include "seal_internal.h"
#include "tar.h"
#include "verify_internal.h"

#define RK_MANIFEST_MAX (64u << 20)

void rk_verify_options_init(rk_verify_options *o)
{
    memset(o, 0, sizeof *o);
    o->max_member = 16ull << 30;
}

/* A manifest entry, or a data member seen in the archive. */
typedef struct entry {
    char *name; /* relative to data/ */
    unsigned char sha[32];
    uint64_t xxh;
    int have_sha, have_xxh; /* listed in MANIFEST.sha256 / MANIFEST.xxh3 */
    int seen;               /* the member was in the archive */
} entry;

typedef struct vstate {
    const rk_verify_options *o;
    rk_fbuf *f;
    /* tar parsing */
    unsigned char hdr[RK_TAR_BLOCK];
    size_t hlen;
    int in_member, ended, broken;
    uint64_t tail; /* bytes read after the first end-of-archive block (all zero) */
    rk_tar_entry cur;
    uint64_t left, pad, off, cur_off;
    /* the member being read */
    int kind; /* 0 skip, 1 manifest blob, 2 data */
    unsigned char *blob;
    size_t blen;
    EVP_MD_CTX *sha;
    XXH3_state_t *xs;
    int out_fd;
    int tmp_slot; /* rk_tmp_hold of tmp while out_fd is open */
    char tmp[PATH_MAX + 32], dest[PATH_MAX];
    char unsynced[PATH_MAX]; /* the directory members were last put in, not yet fsynced ("" none) */
    /* what was learnt */
    unsigned char *man, *xman, *sig, *p7s, *pub;
    size_t mlen, xlen, slen, plen, p7len;
    int manifest_ready; /* manifests parsed and signature checked */
    int sig_ok;
    entry *e;
    size_t ne, cap;
    size_t *index; /* open addressing over e by name: 1 + its position, 0 empty */
    size_t imask;  /* index holds imask + 1 slots (a power of two), or none */
} vstate;

static void find(vstate *v, uint32_t rule, uint64_t off, const char *member, const char *detail)
{
    rk_fbuf_add(v->f, rule, 0, 0, 0, off, member, member ? strlen(member) : 0, detail);
}

static size_t *index_slot(size_t *index, size_t mask, const entry *e, const char *name)
{
    size_t h = (size_t)XXH3_64bits(name, strlen(name));
    for (size_t i = h & mask;; i = (i + 1) & mask)
        if (!index[i] || strcmp(e[index[i] - 1].name, name) == 0)
            return &index[i];
}

/* The entry of name (made when create is set): a hash lookup, as an
 * archive of a national month holds hundreds of thousands of members. */
static entry *entry_get(vstate *v, const char *name, int create)
{
    if (v->index) {
        size_t *slot = index_slot(v->index, v->imask, v->e, name);
        if (*slot)
            return &v->e[*slot - 1];
    }
    if (!create)
        return NULL;
    if (!RK_RESERVE(v->e, v->cap, v->ne + 1, 64))
        return NULL;
    if (2 * (v->ne + 1) > (v->index ? v->imask + 1 : 0)) { /* at most half full */
        size_t n = v->index ? 2 * (v->imask + 1) : 256;
        size_t *ix = calloc(n, sizeof *ix);
        if (!ix)
            return NULL;
        for (size_t i = 0; i < v->ne; i++)
            *index_slot(ix, n - 1, v->e, v->e[i].name) = i + 1;
        free(v->index);
        v->index = ix;
        v->imask = n - 1;
    }
    entry *x = &v->e[v->ne];
    memset(x, 0, sizeof *x);
    x->name = strdup(name);
    if (!x->name)
        return NULL;
    *index_slot(v->index, v->imask, v->e, name) = ++v->ne;
    return x;
}

static int unhex(const char *s, unsigned char *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        char a = s[2 * i], b = s[2 * i + 1];
        hi = a >= '0' && a <= '9' ? a - '0' : a >= 'a' && a <= 'f' ? a - 'a' + 10 : -1;
        lo = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1;
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

/* Reads MANIFEST.sha256 ("hex  name") and MANIFEST.xxh3 ("XXH3 (name) = hex"). */
static void parse_manifests(vstate *v)
{
    if (v->man && memchr(v->man, 0, v->mlen))
        find(v, RK_R_SEAL_MANIFEST, 0, "MANIFEST.sha256", "a NUL byte (a manifest is text)");
    if (v->xman && memchr(v->xman, 0, v->xlen))
        find(v, RK_R_SEAL_MANIFEST, 0, "MANIFEST.xxh3", "a NUL byte (a manifest is text)");
    char *line, *save = NULL;
    char *m = v->man ? strndup((const char *)v->man, v->mlen) : NULL;
    for (line = m ? strtok_r(m, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
        entry *x;
        if (strlen(line) < 67 || line[64] != ' ' || line[65] != ' ' || !(x = entry_get(v, line + 66, 1)) ||
            unhex(line, x->sha, 32) != 0 || x->have_sha) {
            find(v, RK_R_SEAL_MANIFEST, 0, "MANIFEST.sha256", line);
            continue;
        }
        x->have_sha = 1;
    }
    free(m);
    m = v->xman ? strndup((const char *)v->xman, v->xlen) : NULL;
    save = NULL;
    for (line = m ? strtok_r(m, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
        size_t n = strlen(line);
        entry *x = NULL;
        char *close = n > 26 ? line + n - 20 : NULL; /* ") = " + 16 hex digits */
        if (close && strncmp(line, "XXH3 (", 6) == 0 && strncmp(close, ") = ", 4) == 0) {
            *close = 0;
            x = entry_get(v, line + 6, 1);
        }
        unsigned char b[8];
        if (!x || unhex(close + 4, b, 8) != 0 || x->have_xxh) {
            find(v, RK_R_SEAL_MANIFEST, 0, "MANIFEST.xxh3", line);
            continue;
        }
        x->xxh = 0;
        for (int i = 0; i < 8; i++)
            x->xxh = x->xxh << 8 | b[i];
        x->have_xxh = 1;
    }
    free(m);
    if (!v->man)
        find(v, RK_R_SEAL_MISSING, 0, "MANIFEST.sha256", "the archive has no manifest");
    if (!v->xman)
        find(v, RK_R_SEAL_MISSING, 0, "MANIFEST.xxh3", "the archive has no XXH3 manifest");
    for (size_t i = 0; i < v->ne; i++)
        if (v->e[i].have_sha != v->e[i].have_xxh)
            find(v, RK_R_SEAL_MANIFEST, 0, v->e[i].name, "listed in one manifest only");
}

static EVP_PKEY *read_pubkey(const unsigned char *p, size_t n)
{
    BIO *b = BIO_new_mem_buf(p, (int)n);
    EVP_PKEY *k = b ? PEM_read_bio_PUBKEY(b, NULL, NULL, NULL) : NULL;
    BIO_free(b);
    return k;
}

/* The signer a trust anchor checked, as a finding: its subject (a CMS
 * certificate's) and the SHA-256 of its public key (DER SubjectPublicKeyInfo). */
static void name_signer(vstate *v, const char *member, X509 *cert, EVP_PKEY *key)
{
    char subject[256] = "", fp[3 * 32 + 1] = "", detail[420];
    if (cert) {
        BIO *b = BIO_new(BIO_s_mem());
        if (b && X509_NAME_print_ex(b, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253) >= 0) {
            int n = BIO_read(b, subject, (int)sizeof subject - 1);
            subject[n > 0 ? n : 0] = 0;
        }
        BIO_free(b);
        key = X509_get0_pubkey(cert);
    }
    unsigned char *der = NULL, md[32];
    unsigned int mdlen = 0;
    int n = key ? i2d_PUBKEY(key, &der) : -1;
    if (n > 0 && EVP_Digest(der, (size_t)n, md, &mdlen, EVP_sha256(), NULL) == 1)
        for (unsigned i = 0; i < mdlen; i++)
            snprintf(fp + 3 * i, sizeof fp - 3 * i, "%02X%s", md[i], i + 1 < mdlen ? ":" : "");
    OPENSSL_free(der);
    snprintf(detail, sizeof detail, "%s%skey SHA-256 %s", subject, subject[0] ? "; " : "", fp);
    find(v, RK_R_SEAL_SIGNER, 0, member, detail);
}

/* Checks the signature of MANIFEST.sha256 and who made it. */
static void check_signature(vstate *v)
{
    const rk_verify_options *o = v->o;
    ERR_clear_error();
    if (!v->man)
        return;
    if (v->p7s) {
        const unsigned char *q = v->p7s;
        CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &q, (long)v->p7len);
        BIO *content = BIO_new_mem_buf(v->man, (int)v->mlen);
        X509_STORE *store = X509_STORE_new();
        int trusted = 0;
        if (o->ca_path && store && X509_STORE_load_file(store, o->ca_path) == 1)
            trusted = 1;
        else if (o->ca_path)
            find(v, RK_R_SEAL_UNTRUSTED, 0, "MANIFEST.sha256.p7s", "cannot read the --ca file");
        unsigned flags = CMS_BINARY | CMS_DETACHED | (trusted ? 0u : CMS_NO_SIGNER_CERT_VERIFY);
        if (!cms || !content || CMS_verify(cms, NULL, store, content, NULL, flags) != 1) {
            /* Tell a broken signature from an untrusted signer. */
            BIO_free(content);
            content = BIO_new_mem_buf(v->man, (int)v->mlen);
            if (cms && content && trusted &&
                CMS_verify(cms, NULL, store, content, NULL, CMS_BINARY | CMS_DETACHED | CMS_NO_SIGNER_CERT_VERIFY) == 1)
                find(v, RK_R_SEAL_UNTRUSTED, 0, "MANIFEST.sha256.p7s",
                     "the signer's certificate does not chain to --ca");
            else
                find(v, RK_R_SEAL_SIGNATURE, 0, "MANIFEST.sha256.p7s", "the CMS signature does not verify");
        } else {
            v->sig_ok = 1;
            if (!trusted) {
                find(v, RK_R_SEAL_UNSIGNED, 0, "MANIFEST.sha256.p7s",
                     "signature valid, but no --ca was given: the signer is not checked");
            } else {
                STACK_OF(X509) *signers = CMS_get0_signers(cms);
                name_signer(v, "MANIFEST.sha256.p7s", signers ? sk_X509_value(signers, 0) : NULL, NULL);
                sk_X509_free(signers);
            }
        }
        X509_STORE_free(store);
        BIO_free(content);
        CMS_ContentInfo_free(cms);
    } else if (v->sig) {
        EVP_PKEY *k = v->pub ? read_pubkey(v->pub, v->plen) : NULL;
        EVP_PKEY *want = NULL;
        if (o->pubkey_path) {
            FILE *f = fopen(o->pubkey_path, "rb");
            if (f) {
                want = PEM_read_PUBKEY(f, NULL, NULL, NULL);
                fclose(f);
            }
            if (!want)
                find(v, RK_R_SEAL_UNTRUSTED, 0, "MANIFEST.pub", "cannot read the --pubkey file");
        }
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        int ok = k && md && EVP_DigestVerifyInit(md, NULL, NULL, NULL, k) == 1 &&
                 EVP_DigestVerify(md, v->sig, v->slen, v->man, v->mlen) == 1;
        if (!ok) {
            find(v, RK_R_SEAL_SIGNATURE, 0, "MANIFEST.sha256.sig", "the Ed25519 signature does not verify");
        } else if (want && EVP_PKEY_eq(k, want) != 1) {
            find(v, RK_R_SEAL_UNTRUSTED, 0, "MANIFEST.pub", "signed with another key than --pubkey");
        } else {
            v->sig_ok = 1;
            if (!want)
                find(v, RK_R_SEAL_UNSIGNED, 0, "MANIFEST.sha256.sig",
                     "signature valid, but no --pubkey was given: the signer is not checked");
            else
                name_signer(v, "MANIFEST.sha256.sig", NULL, k);
        }
        EVP_MD_CTX_free(md);
        EVP_PKEY_free(k);
        EVP_PKEY_free(want);
    } else {
        find(v, RK_R_SEAL_UNSIGNED, 0, "MANIFEST.sha256", "the archive is not signed");
        if (o->ca_path || o->pubkey_path)
            find(v, RK_R_SEAL_SIGNATURE, 0, "MANIFEST.sha256", "a signer was expected, the archive has no signature");
    }
    ERR_clear_error();
}

/* The manifests come first; at the first data member (or the end) they are complete. */
static void manifests_done(vstate *v)
{
    if (v->manifest_ready)
        return;
    v->manifest_ready = 1;
    parse_manifests(v);
    check_signature(v);
}

static int safe_name(const char *rel)
{
    if (!*rel || rel[0] == '/')
        return 0;
    const char *p = rel;
    while (*p) {
        const char *q = strchr(p, '/');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return 0;
        p += n + (q != NULL);
    }
    return 1;
}

/* Creates the directories above path. */
static int make_parents(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        int rc = mkdir(path, 0755);
        *p = '/';
        if (rc != 0 && errno != EEXIST)
            return -1;
    }
    return 0;
}

static void member_begin(vstate *v)
{
    const char *name = v->cur.name;
    v->kind = 0;
    v->blen = 0;
    if (strncmp(name, "MANIFEST.", 9) == 0 && v->cur.type == '0' && !v->manifest_ready) {
        if (v->cur.size > RK_MANIFEST_MAX) {
            find(v, RK_R_SEAL_UNSAFE, v->cur_off, name, "manifest too large");
            return;
        }
        v->kind = 1;
        v->blob = malloc(v->cur.size + 1);
        if (!v->blob)
            v->broken = 1;
        return;
    }
    if (v->cur.type == '5' && strncmp(name, "data/", 5) == 0 && v->cur.size == 0) {
        /* Directory entries, as stock tar writes them: nothing to check. */
        char rel[RK_TAR_NAME_MAX + 1];
        snprintf(rel, sizeof rel, "%s", name + 5);
        size_t n = strlen(rel);
        while (n && rel[n - 1] == '/')
            rel[--n] = 0;
        if (n && !safe_name(rel))
            find(v, RK_R_SEAL_UNSAFE, v->cur_off, name, "unsafe path");
        return;
    }
    if (strncmp(name, "data/", 5) != 0 || v->cur.type != '0') {
        char why[80];
        snprintf(why, sizeof why, "%s", v->cur.type != '0' ? "not a regular file" : "not a manifest or data/ member");
        find(v, v->cur.type != '0' ? RK_R_SEAL_UNSAFE : RK_R_SEAL_EXTRA, v->cur_off, name, why);
        return;
    }
    manifests_done(v);
    const char *rel = name + 5;
    if (!safe_name(rel) || v->cur.size > v->o->max_member) {
        find(v, RK_R_SEAL_UNSAFE, v->cur_off, name, safe_name(rel) ? "larger than the member limit" : "unsafe path");
        return;
    }
    entry *x = entry_get(v, rel, 0);
    if (!x || (!x->have_sha && !x->have_xxh)) {
        find(v, RK_R_SEAL_EXTRA, v->cur_off, name, "not listed in the manifests");
        return;
    }
    if (x->seen) {
        find(v, RK_R_SEAL_EXTRA, v->cur_off, name, "appears twice");
        return;
    }
    x->seen = 1;
    v->kind = 2;
    EVP_DigestInit_ex(v->sha, EVP_sha256(), NULL);
    XXH3_64bits_reset(v->xs);
    v->out_fd = -1;
    if (v->o->extract_dir && v->sig_ok) {
        int n = snprintf(v->dest, sizeof v->dest, "%s/%s", v->o->extract_dir, rel);
        if (n > 0 && (size_t)n < sizeof v->dest) {
            snprintf(v->tmp, sizeof v->tmp, "%s.renkei-part.XXXXXX", v->dest);
            if (make_parents(v->tmp) == 0)
                v->out_fd = rk_tmp_create(v->tmp, &v->tmp_slot);
        }
        if (v->out_fd < 0)
            find(v, RK_R_SEAL_EXTRACT, v->cur_off, name, "cannot write it");
    }
}

/* Each directory members went into is fsynced once, when the members move
 * on to another and at the end, not once per member. */
static void sync_pending(vstate *v)
{
    if (v->unsynced[0])
        (void)rk_fsync_dir_of(v->unsynced);
    v->unsynced[0] = 0;
}

static void note_placed(vstate *v)
{
    const char *slash = strrchr(v->dest, '/');
    size_t n = slash ? (size_t)(slash - v->dest) : 0;
    int same = v->unsynced[0] && strncmp(v->unsynced, v->dest, n) == 0 && v->unsynced[n] == '/' &&
               !strchr(v->unsynced + n + 1, '/');
    if (!same)
        sync_pending(v);
    snprintf(v->unsynced, sizeof v->unsynced, "%s", v->dest); /* rk_fsync_dir_of takes the file's path */
}

static void member_data(vstate *v, const unsigned char *p, size_t n)
{
    if (v->kind == 1) {
        memcpy(v->blob + v->blen, p, n);
        v->blen += n;
    } else if (v->kind == 2) {
        EVP_DigestUpdate(v->sha, p, n);
        XXH3_64bits_update(v->xs, p, n);
        if (v->out_fd >= 0) {
            size_t off = 0;
            while (off < n) {
                ssize_t w = write(v->out_fd, p + off, n - off);
                if (w < 0 && errno == EINTR)
                    continue;
                if (w <= 0) {
                    close(v->out_fd);
                    if (v->tmp_slot != RK_TMP_UNNAMED)
                        unlink(v->tmp);
                    rk_tmp_release(v->tmp_slot);
                    v->out_fd = -1;
                    find(v, RK_R_SEAL_EXTRACT, v->cur_off, v->cur.name, "write failed");
                    break;
                }
                off += (size_t)w;
            }
        }
    }
}

static void member_end(vstate *v)
{
    const char *name = v->cur.name;
    if (v->kind == 1) {
        unsigned char **slot = NULL;
        size_t *len = NULL;
        if (strcmp(name, "MANIFEST.sha256") == 0)
            slot = &v->man, len = &v->mlen;
        else if (strcmp(name, "MANIFEST.xxh3") == 0)
            slot = &v->xman, len = &v->xlen;
        else if (strcmp(name, "MANIFEST.sha256.sig") == 0)
            slot = &v->sig, len = &v->slen;
        else if (strcmp(name, "MANIFEST.sha256.p7s") == 0)
            slot = &v->p7s, len = &v->p7len;
        else if (strcmp(name, "MANIFEST.pub") == 0)
            slot = &v->pub, len = &v->plen;
        if (slot && !*slot) {
            *slot = v->blob;
            *len = v->blen;
        } else {
            find(v, RK_R_SEAL_EXTRA, v->cur_off, name, slot ? "appears twice" : "not a manifest renkei writes");
            free(v->blob);
        }
        v->blob = NULL;
    } else if (v->kind == 2) {
        entry *x = entry_get(v, name + 5, 0);
        unsigned char sha[32];
        unsigned l = 0;
        EVP_DigestFinal_ex(v->sha, sha, &l);
        uint64_t xxh = XXH3_64bits_digest(v->xs);
        int good = 1;
        if (x->have_sha && memcmp(sha, x->sha, 32) != 0) {
            find(v, RK_R_SEAL_SHA256, v->cur_off, name, "SHA-256 differs from MANIFEST.sha256");
            good = 0;
        }
        if (x->have_xxh && xxh != x->xxh) {
            find(v, RK_R_SEAL_XXH3, v->cur_off, name, "XXH3 differs from MANIFEST.xxh3");
            good = 0;
        }
        if (v->out_fd >= 0) {
            int bad = fchmod(v->out_fd, 0644) != 0 || fsync(v->out_fd) != 0;
            bad = bad || !good || rk_tmp_place(v->out_fd, v->tmp, v->tmp_slot, v->dest) != 0;
            close(v->out_fd);
            if (!bad) {
                note_placed(v); /* the names are as durable as the bytes */
            } else {
                if (v->tmp_slot != RK_TMP_UNNAMED)
                    unlink(v->tmp);
                if (good)
                    find(v, RK_R_SEAL_EXTRACT, v->cur_off, name, "cannot put it in place");
            }
            rk_tmp_release(v->tmp_slot);
            v->out_fd = -1;
        }
    }
    v->kind = 0;
}

/* The bytes after the first end-of-archive block: zeros (the second block,
 * a tar's padding), or something hidden from the manifests. */
static void tail_feed(vstate *v, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n && !v->broken; i++)
        if (p[i]) {
            char at[32];
            snprintf(at, sizeof at, "tar offset %llu", (unsigned long long)(v->off + v->tail + i));
            find(v, RK_R_SEAL_CORRUPT, v->off + v->tail + i, at, "data after the end-of-archive blocks");
            v->broken = 1;
        }
    v->tail += n;
}

/* Feeds decompressed tar bytes. */
static void tar_feed(vstate *v, const unsigned char *p, size_t n)
{
    if (v->ended) {
        tail_feed(v, p, n);
        return;
    }
    while (n && !v->broken && !v->ended) {
        if (!v->in_member) {
            size_t take = RK_TAR_BLOCK - v->hlen < n ? RK_TAR_BLOCK - v->hlen : n;
            memcpy(v->hdr + v->hlen, p, take);
            v->hlen += take;
            p += take;
            n -= take;
            if (v->hlen < RK_TAR_BLOCK)
                return;
            v->hlen = 0;
            v->cur_off = v->off;
            v->off += RK_TAR_BLOCK;
            int r = rk_tar_parse(v->hdr, &v->cur);
            if (r == 0) {
                v->ended = 1;
                tail_feed(v, p, n);
                return;
            }
            if (r < 0) {
                char at[32];
                snprintf(at, sizeof at, "tar offset %llu", (unsigned long long)v->cur_off);
                find(v, RK_R_SEAL_CORRUPT, v->cur_off, at, "damaged tar header");
                v->broken = 1;
                return;
            }
            v->in_member = 1;
            v->left = v->cur.size;
            v->pad = rk_tar_pad(v->cur.size);
            member_begin(v);
            if (v->broken)
                return;
        }
        size_t take = v->left < n ? (size_t)v->left : n;
        member_data(v, p, take);
        p += take;
        n -= take;
        v->left -= take;
        v->off += take;
        if (v->left == 0 && v->kind)
            member_end(v);
        size_t skip = v->pad < n ? (size_t)v->pad : n;
        if (v->left == 0) {
            p += skip;
            n -= skip;
            v->pad -= skip;
            v->off += skip;
            if (v->pad == 0)
                v->in_member = 0;
        }
    }
}

rk_status rk_verify_bytes(const rk_verify_options *o, const unsigned char *buf, size_t len, rk_fbuf *f,
                          uint64_t *members)
{
    vstate v;
    memset(&v, 0, sizeof v);
    v.o = o;
    v.f = f;
    v.out_fd = -1;
    v.sha = EVP_MD_CTX_new();
    v.xs = XXH3_createState();
    ZSTD_DCtx *d = ZSTD_createDCtx();
    unsigned char *obuf = malloc(ZSTD_DStreamOutSize());
    rk_status st = RK_OK;
    if (!v.sha || !v.xs || !d || !obuf) {
        st = RK_ERR_NOMEM;
        goto out;
    }
    ZSTD_inBuffer in = {buf, len, 0};
    size_t last = 0;
    while (in.pos < in.size && !v.broken) {
        ZSTD_outBuffer ob = {obuf, ZSTD_DStreamOutSize(), 0};
        last = ZSTD_decompressStream(d, &ob, &in);
        if (ZSTD_isError(last)) {
            find(&v, RK_R_SEAL_CORRUPT, v.off, "zstd", ZSTD_getErrorName(last));
            v.broken = 1;
            break;
        }
        tar_feed(&v, obuf, ob.pos);
    }
    if (!v.broken && (!v.ended || last != 0))
        find(&v, RK_R_SEAL_CORRUPT, v.off, "end of archive",
             last != 0 ? "the zstd stream is truncated" : "the tar end-of-archive blocks are missing");
    else if (!v.broken && v.tail < RK_TAR_BLOCK)
        find(&v, RK_R_SEAL_CORRUPT, v.off, "end of archive", "one end-of-archive block of the two");
    if (v.kind == 2 && v.out_fd >= 0) { /* cut short inside a member */
        close(v.out_fd);
        if (v.tmp_slot != RK_TMP_UNNAMED)
            unlink(v.tmp);
        rk_tmp_release(v.tmp_slot);
    }
    sync_pending(&v);
    manifests_done(&v);
    /* Members the reading never reached behind damage are not missing: one finding says how many
     * could not be checked, instead of one "missing" per member. */
    int damaged = v.broken || !v.ended;
    size_t unread = 0;
    const char *first_unread = NULL;
    for (size_t i = 0; i < v.ne; i++)
        if ((v.e[i].have_sha || v.e[i].have_xxh) && !v.e[i].seen) {
            if (!damaged)
                find(&v, RK_R_SEAL_MISSING, v.off, v.e[i].name, "listed in the manifests, not in the archive");
            else if (!unread++)
                first_unread = v.e[i].name;
        }
    if (unread) {
        char detail[160];
        snprintf(detail, sizeof detail, "%zu listed member%s after the damage could not be checked", unread,
                 unread == 1 ? "" : "s");
        find(&v, RK_R_SEAL_MISSING, v.off, first_unread, detail);
    }
    if (members)
        *members = v.ne;
out:
    for (size_t i = 0; i < v.ne; i++)
        free(v.e[i].name);
    free(v.e);
    free(v.index);
    free(v.blob);
    free(v.man);
    free(v.xman);
    free(v.sig);
    free(v.p7s);
    free(v.pub);
    free(obuf);
    ZSTD_freeDCtx(d);
    EVP_MD_CTX_free(v.sha);
    XXH3_freeState(v.xs);
    return st;
}

rk_status rk_verify(const rk_verify_options *o, const char *archive, rk_report *r, char *err, size_t errcap)
{
    rk_verify_options def;
    if (!o) {
        rk_verify_options_init(&def);
        o = &def;
    }
    if (err && errcap)
        err[0] = 0;
    if (o->extract_dir && mkdir(o->extract_dir, 0755) != 0 && errno != EEXIST) {
        rk_seal_err(err, errcap, "cannot create %s", o->extract_dir);
        return RK_ERR_IO;
    }
    rk_map map;
    rk_status st = rk_map_file(archive, &map);
    if (st != RK_OK) {
        rk_cannot_read(err, errcap, archive);
        return st;
    }
    size_t slot = rk_report_add_slot(r);
    if (slot == (size_t)-1) {
        rk_unmap(&map);
        return RK_ERR_NOMEM;
    }
    rk_fbuf f;
    rk_fbuf_init(&f, 0);
    uint64_t members = 0;
    st = rk_verify_bytes(o, map.p, map.len, &f, &members);
    if (st == RK_OK)
        st = rk_report_store(r, slot, &f, archive, "tar.zst", NULL, map.len, members, 0);
    if (st != RK_OK)
        r->n--;
    rk_fbuf_free(&f);
    rk_unmap(&map);
    return st;
}
