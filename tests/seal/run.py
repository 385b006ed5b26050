#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Seal, verify and extract against the stock tools.

A test CA, certificates and keys are made here with the openssl CLI. Checks:
interop (zstd -t, tar --zstd -x, sha256sum -c, xxhsum -c, openssl cms -verify,
openssl pkeyutl -verify -rawin, an archive built by hand with those tools),
reproducibility (same bytes for --jobs 1 and 2 with Ed25519; with ECDSA every
member but the signature), tampering (any byte of a member, the manifest or
the signature; a member added or dropped; a damaged or cut stream), safe
extraction, and that every RK-SEAL rule is produced somewhere.

usage: run.py RENKEI
"""
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

RENKEI = None
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, summary  # noqa: E402
seen_rules = set()



def sh(cmd, cwd=None, env=None, inp=None):
    p = subprocess.run(cmd, cwd=cwd, env=env, input=inp, capture_output=True)
    return p.returncode, p.stdout, p.stderr


def renkei(*args, env=None):
    return sh([RENKEI] + list(args), env=env)


def verify(archive, *opts):
    rc, out, err = renkei("verify", "--format", "jsonl", *opts, archive)
    findings = [json.loads(l) for l in out.decode().splitlines() if l]
    findings = [f for f in findings if f["type"] == "finding"]
    seen_rules.update(f["rule"] for f in findings)
    return rc, findings, err


def problems(findings):
    """The findings but the signer's name (RK-SEAL-012, info)."""
    return [f for f in findings if f["rule"] != "RK-SEAL-012"]


def signer(findings):
    return [f["expected"] for f in findings if f["rule"] == "RK-SEAL-012"]


def fingerprint(pem_cmd):
    """SHA-256 of a public key's DER, as openssl computes it: AB:CD:..."""
    rc, out, _ = sh(["sh", "-c", pem_cmd + " | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r"])
    h = out.split()[0].decode().upper()
    return ":".join(h[i:i + 2] for i in range(0, len(h), 2))


def make_pki(d):
    o = lambda *a: sh(["openssl"] + list(a), cwd=d)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    o("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=renkei test CA", "-days", "2")
    o("req", "-x509", *ec, "-keyout", "other.key", "-out", "other.pem", "-subj", "/CN=another CA", "-days", "2")
    o("req", *ec, "-keyout", "signer.key", "-out", "signer.csr", "-subj", "/CN=renkei test office")
    o("x509", "-req", "-in", "signer.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
      "signer.pem", "-days", "2")
    o("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.key", "-out", "rsa.csr", "-subj", "/CN=rsa office")
    o("x509", "-req", "-in", "rsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "rsa.pem",
      "-days", "2")
    o("genpkey", "-algorithm", "ed25519", "-out", "ed.key")
    o("pkey", "-in", "ed.key", "-pubout", "-out", "ed.pub")
    o("genpkey", "-algorithm", "ed25519", "-out", "ed2.key")
    o("pkey", "-in", "ed2.key", "-pubout", "-out", "ed2.pub")
    o("pkcs12", "-export", "-inkey", "signer.key", "-in", "signer.pem", "-certfile", "ca.pem", "-out", "signer.p12",
      "-passout", "pass:s3cret")
    open(os.path.join(d, "pw.txt"), "w").write("s3cret\n")
    for f in ("ca.pem", "signer.pem", "rsa.pem", "ed.key", "ed.pub", "signer.p12"):
        assert os.path.exists(os.path.join(d, f)), "openssl did not make " + f


def tar_members(archive):
    """{name: (bytes, TarInfo)} of an archive, through the stock zstd."""
    rc, raw, _ = sh(["zstd", "-d", "-c", archive])
    assert rc == 0
    out = {}
    with tarfile.open(fileobj=io.BytesIO(raw)) as t:
        for m in t.getmembers():
            out[m.name] = (t.extractfile(m).read() if m.isfile() else None, m)
    return out


def rebuild(members, path, order=None):
    """Writes a .tar.zst with the given members (name -> bytes) with stock zstd."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name in order or sorted(members):
            data = members[name]
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mode = 0o644
            t.addfile(ti, io.BytesIO(data))
    rc, z, _ = sh(["zstd", "-q", "-c"], inp=buf.getvalue())
    assert rc == 0
    open(path, "wb").write(z)


def main():
    global RENKEI
    RENKEI = os.path.abspath(sys.argv[1])
    src = os.path.abspath("corpus/sample")
    d = tempfile.mkdtemp(prefix="renkei-seal-")
    try:
        run(d, src)
    finally:
        shutil.rmtree(d)
    for rule in ["RK-SEAL-%03d" % i for i in range(1, 12)]:
        check("rule %s produced by a test" % rule, rule in seen_rules)
    return summary()


def run(d, src):
    make_pki(d)
    j = lambda *p: os.path.join(d, *p)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")

    # --- ECDSA P-256 with a certificate: CMS ---------------------------------------------
    rc, _, err = renkei("seal", "--key", j("signer.key"), "--cert", j("signer.pem"), "-o", j("a1.tar.zst"), src,
                        env=env)
    check("seal ecdsa", rc == 0, err)
    rc, _, err = renkei("seal", "--jobs", "1", "--key", j("signer.key"), "--cert", j("signer.pem"), "-o",
                        j("a1j1.tar.zst"), src, env=env)
    check("seal ecdsa jobs 1", rc == 0, err)
    check("zstd -t", sh(["zstd", "-q", "-t", j("a1.tar.zst")])[0] == 0)
    x = j("x")
    os.mkdir(x)
    check("tar --zstd -xf", sh(["tar", "--zstd", "-xf", j("a1.tar.zst"), "-C", x])[0] == 0)
    check("sha256sum -c", sh(["sha256sum", "--quiet", "-c", "../MANIFEST.sha256"], cwd=j("x", "data"))[0] == 0)
    check("xxhsum -c", sh(["xxhsum", "-q", "-c", "../MANIFEST.xxh3"], cwd=j("x", "data"))[0] == 0)
    rc, _, err = sh(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", j("x", "MANIFEST.sha256.p7s"),
                     "-content", j("x", "MANIFEST.sha256"), "-CAfile", j("ca.pem"), "-out", "/dev/null"])
    check("openssl cms -verify accepts our signature", rc == 0, err)
    names = sorted(os.listdir(src))
    check("data members are the inputs", all(open(j("x", "data", "sample", n), "rb").read() ==
                                             open(os.path.join(src, n), "rb").read() for n in names))
    mem = tar_members(j("a1.tar.zst"))
    check("member order: manifests first, sorted", list(mem) == sorted(mem) and list(mem)[0] == "MANIFEST.sha256")
    check("deterministic headers", all(m.mtime == 1700000000 and m.uid == 0 and m.gid == 0 and not m.uname and
                                       m.isfile() for _, m in mem.values()))
    mem1 = tar_members(j("a1j1.tar.zst"))
    check("ecdsa: every member but the signature equal across --jobs",
          {k: v[0] for k, v in mem.items() if not k.endswith(".p7s")} ==
          {k: v[0] for k, v in mem1.items() if not k.endswith(".p7s")})
    rc, f, _ = verify(j("a1.tar.zst"), "--ca", j("ca.pem"))
    fp = fingerprint("openssl x509 -in %s -pubkey -noout" % j("signer.pem"))
    check("verify ecdsa with --ca: verified, the signer named by subject and key fingerprint",
          rc == 0 and not problems(f) and signer(f) == ["CN=renkei test office; key SHA-256 " + fp], (f, fp))
    rc, f, _ = verify(j("a1.tar.zst"), "--ca", j("other.pem"))
    check("verify against another CA fails", rc == 4 and f and f[0]["rule"] == "RK-SEAL-007", f)
    rc, f, err = verify(j("a1.tar.zst"))
    check("verify without --ca fails safe (exit 4, says how to check the signer)",
          rc == 4 and [x["rule"] for x in f] == ["RK-SEAL-008"] and b"--ca" in err, (f, err))
    rc, f, err = verify(j("a1.tar.zst"), "--no-signer-check")
    check("verify --no-signer-check accepts it, loudly", rc == 0 and b"WARNING" in err and b"NOT checked" in err, err)
    rc, _, err = renkei("seal", "-o", j("unsigned.tar.zst"), src)
    rc, f, err = verify(j("unsigned.tar.zst"))
    check("an unsigned archive does not verify", rc == 4 and "RK-SEAL-008" in [x["rule"] for x in f], f)
    rc, f, err = verify(j("unsigned.tar.zst"), "--no-signer-check")
    check("an unsigned archive with --no-signer-check: exit 0 and a warning", rc == 0 and b"WARNING" in err, err)
    rc, _, _ = renkei("verify", "--strict", j("a1.tar.zst"))
    check("verify --strict without --ca fails", rc == 4)

    # --- RSA and PKCS#12 -------------------------------------------------------------------
    rc, _, err = renkei("seal", "--key", j("rsa.key"), "--cert", j("rsa.pem"), "-o", j("rsa.tar.zst"), src)
    check("seal rsa", rc == 0 and verify(j("rsa.tar.zst"), "--ca", j("ca.pem"))[0] == 0, err)
    rc, _, err = renkei("seal", "--key", j("signer.p12"), "--pass-file", j("pw.txt"), "-o", j("p12.tar.zst"), src)
    check("seal pkcs12 with --pass-file", rc == 0 and verify(j("p12.tar.zst"), "--ca", j("ca.pem"))[0] == 0, err)
    rc, _, err = renkei("seal", "--key", j("signer.p12"), "-o", j("p12b.tar.zst"), src,
                        env=dict(os.environ, RENKEI_KEY_PASS="s3cret"))
    check("seal pkcs12 with RENKEI_KEY_PASS", rc == 0, err)
    rc, _, err = renkei("seal", "--key", j("signer.p12"), "-o", j("p12c.tar.zst"), src,
                        env=dict(os.environ, RENKEI_KEY_PASS="wrong"))
    check("wrong password is refused", rc != 0 and not os.path.exists(j("p12c.tar.zst")), err)
    rc, _, err = renkei("seal", "--key", j("ed.key"), "--cert", j("signer.pem"), "-o", j("bad.tar.zst"), src)
    check("Ed25519 inside CMS is refused with a reason", rc == 2 and b"Ed25519" in err, err)

    # --- Ed25519: raw signature, byte-identical archives -------------------------------
    for jobs in ("1", "2"):
        rc, _, err = renkei("seal", "--jobs", jobs, "--key", j("ed.key"), "-o", j("ed%s.tar.zst" % jobs), src,
                            env=env)
        check("seal ed25519 jobs %s" % jobs, rc == 0, err)
    check("ed25519: byte-identical for --jobs 1 and 2",
          open(j("ed1.tar.zst"), "rb").read() == open(j("ed2.tar.zst"), "rb").read())
    y = j("y")
    os.mkdir(y)
    sh(["tar", "--zstd", "-xf", j("ed1.tar.zst"), "-C", y])
    rc, _, err = sh(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", j("y", "MANIFEST.pub"), "-rawin", "-in",
                     j("y", "MANIFEST.sha256"), "-sigfile", j("y", "MANIFEST.sha256.sig")])
    check("openssl pkeyutl -verify -rawin accepts our signature", rc == 0, err)
    rc, f, _ = verify(j("ed1.tar.zst"), "--pubkey", j("ed.pub"))
    fp = fingerprint("cat %s" % j("ed.pub"))
    check("verify ed25519 with --pubkey: the key named by its fingerprint",
          rc == 0 and not problems(f) and signer(f) == ["key SHA-256 " + fp], (f, fp))
    rc, f, _ = verify(j("ed1.tar.zst"))
    check("verify ed25519 without --pubkey fails safe", rc == 4 and [x["rule"] for x in f] == ["RK-SEAL-008"], f)
    rc, f, _ = verify(j("ed1.tar.zst"), "--pubkey", j("ed2.pub"))
    check("verify ed25519 with another key fails", rc == 4 and f[0]["rule"] == "RK-SEAL-007", f)

    # --- an archive built by hand with the stock tools -------------------------------
    h = j("hand")
    shutil.copytree(src, os.path.join(h, "data", "sample"))
    sh(["sh", "-c", "sha256sum sample/* > ../MANIFEST.sha256 && xxhsum -H3 sample/* > ../MANIFEST.xxh3"],
       cwd=os.path.join(h, "data"))
    sh(["openssl", "cms", "-sign", "-binary", "-noattr", "-outform", "DER", "-in", "MANIFEST.sha256", "-signer",
        j("signer.pem"), "-inkey", j("signer.key"), "-out", "MANIFEST.sha256.p7s"], cwd=h)
    rc, _, err = sh(["sh", "-c", "tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=ustar "
                     "-cf - MANIFEST.sha256 MANIFEST.sha256.p7s MANIFEST.xxh3 data | zstd -q -o %s" %
                     j("hand.tar.zst")], cwd=h)
    rc, f, _ = verify(j("hand.tar.zst"), "--ca", j("ca.pem"))
    check("verify accepts an archive built with tar, zstd, sha256sum, xxhsum, openssl", rc == 0 and not problems(f), f)

    # --- tampering ---------------------------------------------------------------------
    base = {k: v[0] for k, v in tar_members(j("a1.tar.zst")).items()}
    plan = "data/sample/" + [n for n in names if n.startswith("UPPLAN")][0]

    def tampered(label, members, rules, first_member=None, opts=("--ca",)):
        p = j(label + ".tar.zst")
        rebuild(members, p)
        rc, f, _ = verify(p, *[o for o in opts for o in (o, j("ca.pem"))])
        f = problems(f)
        got = [x["rule"] for x in f]
        ok = rc == 4 and all(r in got for r in rules)
        if first_member:
            ok = ok and f[0]["value"] == first_member
        check("tamper: " + label, ok, f)

    m = dict(base)
    m[plan] = m[plan][:100] + bytes([m[plan][100] ^ 1]) + m[plan][101:]
    tampered("member-byte", m, ["RK-SEAL-002", "RK-SEAL-003"], plan)
    m = dict(base)
    man = m["MANIFEST.sha256"]
    m["MANIFEST.sha256"] = man[:5] + (b"0" if man[5:6] != b"0" else b"1") + man[6:]
    tampered("manifest-byte", m, ["RK-SEAL-006"])
    m = dict(base)
    sig = m["MANIFEST.sha256.p7s"]
    m["MANIFEST.sha256.p7s"] = sig[:-10] + bytes([sig[-10] ^ 0x40]) + sig[-9:]
    tampered("signature-byte", m, ["RK-SEAL-006"])
    m = dict(base)
    del m[plan]
    tampered("member-dropped", m, ["RK-SEAL-004"])
    m = dict(base)
    m["data/sample/EXTRA.CSV"] = b"extra\r\n"
    tampered("member-added", m, ["RK-SEAL-005"], "data/sample/EXTRA.CSV")
    m = dict(base)
    m["data/../escaped"] = b"x"
    tampered("unsafe-name", m, ["RK-SEAL-009"])
    m = {k: v for k, v in base.items() if not k.endswith(".p7s")}
    m["MANIFEST.sha256"] = m["MANIFEST.sha256"].replace(b"  ", b" ", 1)
    tampered("malformed-manifest", m, ["RK-SEAL-010"], opts=())
    raw = open(j("a1.tar.zst"), "rb").read()
    for label, data in (("stream-byte", raw[:len(raw) // 2] + bytes([raw[len(raw) // 2] ^ 0xFF]) +
                         raw[len(raw) // 2 + 1:]), ("stream-cut", raw[:len(raw) * 2 // 3])):
        open(j(label + ".tar.zst"), "wb").write(data)
        rc, f, _ = verify(j(label + ".tar.zst"), "--ca", j("ca.pem"))
        check("tamper: " + label, rc == 4 and f and any(x["rule"] in ("RK-SEAL-001", "RK-SEAL-002", "RK-SEAL-003")
                                                         for x in f), f)
        gone = [x for x in problems(f) if x["rule"] == "RK-SEAL-004"]
        check("tamper: %s: one clear error, the members behind it counted once, not each 'missing'" % label,
              len(gone) <= 1 and len(problems(f)) <= 3 and all("could not be checked" in x["expected"] for x in gone),
              [x["rule"] for x in f])
    check("tar stops at the damaged stream as well", sh(["zstd", "-q", "-t", j("stream-byte.tar.zst")])[0] != 0)

    # --- extraction --------------------------------------------------------------------
    out = j("out")
    rc, _, err = renkei("extract", "--ca", j("ca.pem"), j("a1.tar.zst"), "-C", out)
    check("extract", rc == 0 and all(open(os.path.join(out, "sample", n), "rb").read() ==
                                     open(os.path.join(src, n), "rb").read() for n in names), err)
    out2 = j("out2")
    rc, _, _ = renkei("extract", "--ca", j("ca.pem"), j("member-byte.tar.zst"), "-C", out2)
    bad = os.path.join(out2, plan[5:])
    check("extract: the tampered member is not written, the others are",
          rc == 4 and not os.path.exists(bad) and len(os.listdir(os.path.join(out2, "sample"))) == len(names) - 1)
    check("extract: no temporary file is left", not [n for n in os.listdir(os.path.join(out2, "sample"))
                                                     if "renkei-part" in n])
    out3 = j("out3")
    rc, _, _ = renkei("extract", "--ca", j("other.pem"), j("a1.tar.zst"), "-C", out3)
    check("extract: nothing is written when the signer is not trusted",
          rc == 4 and not os.path.exists(os.path.join(out3, "sample")))
    evil = j("evil")
    rc, _, _ = renkei("extract", "--ca", j("ca.pem"), j("unsafe-name.tar.zst"), "-C", evil)
    check("extract: '..' is refused", rc == 4 and not os.path.exists(j("escaped")) and
          not os.path.exists(j("evil", "escaped")))
    lk = io.BytesIO()
    with tarfile.open(fileobj=lk, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name in sorted(base):
            ti = tarfile.TarInfo(name)
            ti.size = len(base[name])
            t.addfile(ti, io.BytesIO(base[name]))
        ti = tarfile.TarInfo("data/sample/link")
        ti.type = tarfile.SYMTYPE
        ti.linkname = "/etc/passwd"
        t.addfile(ti)
    open(j("link.tar.zst"), "wb").write(sh(["zstd", "-q", "-c"], inp=lk.getvalue())[1])
    rc, f, _ = renkei("extract", "--ca", j("ca.pem"), j("link.tar.zst"), "-C", j("lk"))
    check("extract: links are refused", rc == 4 and not os.path.lexists(j("lk", "sample", "link")))
    verify(j("link.tar.zst"), "--ca", j("ca.pem"))
    rc, _, _ = renkei("extract", "--ca", j("ca.pem"), "--max-size", "100", j("a1.tar.zst"), "-C", j("small"))
    check("extract: members over --max-size are refused", rc == 4)
    blocked = j("blocked")
    os.makedirs(blocked)
    open(os.path.join(blocked, "sample"), "w").write("a file where a directory must go")
    rc, f, _ = sh([RENKEI, "extract", "--format", "jsonl", "--ca", j("ca.pem"), j("a1.tar.zst"), "-C", blocked])
    rules = [json.loads(l)["rule"] for l in f.decode().splitlines() if '"finding"' in l]
    seen_rules.update(rules)
    check("extract: a member that cannot be written is reported", rc == 4 and "RK-SEAL-011" in rules, rules)

    # --- usage ---------------------------------------------------------------------------
    check("seal without -o is a usage error", renkei("seal", src)[0] == 2)
    check("verify of a missing archive is an I/O error", renkei("verify", j("nope.tar.zst"))[0] == 3)
    check("inputs unchanged", all(open(os.path.join(src, n), "rb").read() ==
                                  open(j("x", "data", "sample", n), "rb").read() for n in names))


if __name__ == "__main__":
    sys.exit(main())
