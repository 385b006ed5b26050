#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Every archive renkei seals verifies, at the limits of ustar, against the
stock tools in both directions:

- member paths of 99/100/101 bytes, prefixes of 154/155/156 bytes, whole
  paths of 255/256/257 bytes, with ASCII and multi-byte (UTF-8) names: what
  ustar holds is sealed, listed the same by GNU tar and Python's tarfile, and
  verified; what it does not hold is refused (exit 2) saying why, and no
  archive is left;
- the same members packed by GNU tar (--format=ustar) and by Python's
  tarfile (USTAR_FORMAT) verify with renkei;
- a member of 8 GiB and more (a sparse file; base-256 size) seals, lists
  with GNU tar at its size, and verifies;
- a member whose compressed form passes the sink's memory (8 MiB) spills to
  a temporary file and comes out whole.

usage: ustar.py RENKEI
"""
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, summary  # noqa: E402

RENKEI = None


def sh(cmd, cwd=None, inp=None):
    p = subprocess.run(cmd, cwd=cwd, input=inp, capture_output=True)
    return p.returncode, p.stdout, p.stderr


def fits(path):
    """The ustar rule, written from the format's definition."""
    b = path.encode()
    if len(b) <= 100:
        return True
    for i in range(len(b) - 1, 0, -1):
        if b[i:i + 1] == b"/" and i <= 155 and len(b) - i - 1 <= 100 and len(b) - i - 1 > 0:
            return True
    return False


def make_member(root, prefix_len, name_len, unit):
    """A file under root whose member path data/<root name>/... has a prefix
    (directories) of prefix_len bytes and a name of name_len bytes, built of
    `unit` (1 byte ASCII or a 3-byte character); returns its member path."""
    top = os.path.basename(root)
    head = "data/" + top
    dirs = []
    need = prefix_len - len(head.encode())  # bytes of "/component" still to add
    u = len(unit.encode())
    while need > 0:
        c = min(need - 1, 100)
        if need - (c + 1) == 1:  # never leave a single byte: "/" and an empty component
            c -= 1
        dirs.append(unit * (c // u) + "d" * (c - u * (c // u)))
        need -= c + 1
    name = unit * (name_len // len(unit.encode()))
    name += "f" * (name_len - len(name.encode()))
    rel_dir = os.path.join(root, *dirs)
    os.makedirs(rel_dir, exist_ok=True)
    with open(os.path.join(rel_dir, name), "wb") as f:
        f.write(("member %d/%d\n" % (prefix_len, name_len)).encode())
    return "/".join([head] + dirs + [name])


def stock_list(archive):
    rc, raw, _ = sh(["zstd", "-d", "-c", archive])
    rc2, out, _ = sh(["tar", "-tf", "-"], inp=raw)
    with tarfile.open(fileobj=io.BytesIO(raw)) as t:
        py = [m.name for m in t.getmembers()]
    return rc == 0 and rc2 == 0, out.decode().splitlines(), py, raw


def verify(archive):
    rc, out, err = sh([RENKEI, "verify", "--no-signer-check", "--format", "jsonl", archive])
    return rc, out.decode()


def repack(raw, path, tool, d):
    """The members of a renkei archive packed again by GNU tar or Python's tarfile (ustar)."""
    x = os.path.join(d, "x-" + tool)
    shutil.rmtree(x, ignore_errors=True)
    os.makedirs(x)
    with tarfile.open(fileobj=io.BytesIO(raw)) as t:
        names = [m.name for m in t.getmembers()]
        t.extractall(x)
    if tool == "gnu":
        rc, tar, err = sh(["tar", "--format=ustar", "--no-recursion", "--owner=0", "--group=0", "--numeric-owner",
                           "-cf", "-"] + names, cwd=x)
        if rc != 0:
            return err.decode()
    else:
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
            for n in names:
                t.add(os.path.join(x, n), arcname=n, recursive=False)
        tar = buf.getvalue()
    rc, z, err = sh(["zstd", "-q", "-c"], inp=tar)
    open(path, "wb").write(z)
    return None


def boundaries(d):
    cases = []  # (label, prefix_len, name_len)
    for n in (99, 100, 101):
        cases.append(("name of %d bytes" % n, 0, n))
    for p in (154, 155, 156):
        cases.append(("prefix of %d bytes" % p, p, 20))
    for total in (255, 256, 257):
        cases.append(("path of %d bytes" % total, 155, total - 156))
        cases.append(("path of %d bytes, long name" % total, total - 101, 100))
    for unit, uname in (("x", "ascii"), ("介", "utf-8")):
        for label, p, n in cases:
            root = os.path.join(d, "in", "m")
            shutil.rmtree(os.path.join(d, "in"), ignore_errors=True)
            if p == 0:  # a whole path of n bytes: data/m/ and one name
                os.makedirs(root)
                left = n - len("data/m/")
                k = left // len(unit.encode())
                base = unit * k + "f" * (left - len((unit * k).encode()))
                open(os.path.join(root, base), "w").write("x\n")
                member = "data/m/" + base
            else:
                member = make_member(root, p, n, unit)
            arch = os.path.join(d, "a.tar.zst")
            if os.path.exists(arch):
                os.remove(arch)
            rc, _, err = sh([RENKEI, "seal", "-o", arch, root])
            tag = "%s (%s, %d bytes)" % (label, uname, len(member.encode()))
            if fits(member):
                ok, gnu, py, raw = stock_list(arch) if rc == 0 else (False, [], [], b"")
                check("seal: " + tag + " is sealed", rc == 0, err[-300:])
                check("GNU tar and tarfile list " + tag, ok and member in gnu and member in py, (gnu[-2:], member))
                vrc, vout = verify(arch)
                check("verify: " + tag, vrc == 0, vout[-400:])
                for tool in ("gnu", "python"):
                    other = os.path.join(d, "o.tar.zst")
                    bad = repack(raw, other, tool, d) if rc == 0 else "not sealed"
                    vrc, vout = verify(other) if not bad else (-1, bad)
                    check("verify of the %s repack: %s" % (tool, tag), vrc == 0, vout[-400:])
            else:
                check("seal refuses %s with exit 2, saying why, leaving nothing" % tag,
                      rc == 2 and b"no ustar header holds the path" in err and not os.path.exists(arch), err)


def huge(d):
    src = os.path.join(d, "huge", "big")
    os.makedirs(src)
    size = (8 << 30) + 4097
    with open(os.path.join(src, "zeros.bin"), "wb") as f:
        f.truncate(size)  # sparse: no disk used
    arch = os.path.join(d, "huge.tar.zst")
    rc, _, err = sh([RENKEI, "seal", "--level", "1", "-o", arch, src])
    check("seal: a member of 8 GiB + 4097 bytes (sparse file)", rc == 0, err[-300:])
    p = subprocess.run("zstd -d -c %s | tar -tvf - data/big/zeros.bin" % arch, shell=True, capture_output=True)
    check("GNU tar lists it at its size (base-256)", p.returncode == 0 and str(size).encode() in p.stdout,
          (p.stdout, p.stderr[-200:]))
    vrc, vout = verify(arch)
    check("verify: the 8 GiB member", vrc == 0, vout[-300:])


def spill(d):
    src = os.path.join(d, "spill", "rnd")
    os.makedirs(src)
    data = os.urandom(24 << 20)  # incompressible: 24 MiB compressed, past the 8 MiB kept in memory
    open(os.path.join(src, "random.bin"), "wb").write(data)
    open(os.path.join(src, "small.txt"), "wb").write(b"after the big one\n")
    arch = os.path.join(d, "spill.tar.zst")
    rc, _, err = sh([RENKEI, "seal", "--jobs", "2", "-o", arch, src])
    ok, gnu, py, raw = stock_list(arch) if rc == 0 else (False, [], [], b"")
    with tarfile.open(fileobj=io.BytesIO(raw)) as t:
        got = t.extractfile("data/rnd/random.bin").read() if rc == 0 else b""
        small = t.extractfile("data/rnd/small.txt").read() if rc == 0 else b""
    check("a member past the sink's memory spills and comes out whole",
          rc == 0 and got == data and small == b"after the big one\n", err[-300:])
    vrc, vout = verify(arch)
    check("verify: the spilled member", vrc == 0, vout[-300:])


def main():
    global RENKEI
    RENKEI = os.path.abspath(sys.argv[1])
    d = tempfile.mkdtemp(prefix="renkei-ustar-")
    try:
        boundaries(d)
        spill(d)
        huge(d)
    finally:
        shutil.rmtree(d)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
