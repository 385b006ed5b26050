#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Results do not depend on threads or chunks: on generated months with
copies, versions and deletes (gen_corpus month), on multi-chunk files with
quoted line breaks, and on the bundled months, the outputs of

- validate (json, jsonl, text) and check (json, with --offices),
  for --jobs 1, 2, 3 and --chunk-size 64, 4096 and the default, and check
  with --max-memory 64K and 512K (its rows written out and judged a part
  at a time);
- seal (an Ed25519-signed archive) for --jobs 1, 2, 3;
- batch (every file it writes) for --jobs 1, 2, 3

are byte-identical to those of --jobs 1 with the default chunk.

usage: determinism.py RENKEI GEN_CORPUS
"""
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, summary  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
JOBS = ("1", "2", "3")
CHUNKS = (None, "64", "4096")


def out_of(cmd):
    p = subprocess.run(cmd, capture_output=True)
    if p.returncode not in (0, 1):
        check("ran: %s" % " ".join(cmd[1:4]), False, p.stderr.decode("utf-8", "replace")[:400])
    return p.returncode, p.stdout


def same_over_runs(label, make):
    """make(jobs, chunk) -> argv; every run's (status, stdout) equals the first."""
    base = out_of(make("1", None))
    check("%s: gives output" % label, len(base[1]) > 0)
    for j in JOBS:
        for c in CHUNKS:
            if j == "1" and c is None:
                continue
            got = out_of(make(j, c))
            where = "--jobs %s%s" % (j, " --chunk-size " + c if c else "")
            check("%s: %s byte-identical" % (label, where), got == base,
                  "status %s vs %s, %d vs %d bytes" % (got[0], base[0], len(got[1]), len(base[1])))


def tree_same(a, b):
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.diff_files or cmp.funny_files:
        return False, str(cmp.left_only + cmp.right_only + cmp.diff_files)
    for sub in cmp.common_dirs:
        ok, why = tree_same(os.path.join(a, sub), os.path.join(b, sub))
        if not ok:
            return ok, why
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    return not mismatch and not errors, str(mismatch + errors)


def months(gen, work):
    """(label, dir, offices file or None) of the months the runs compare."""
    out = []
    for users, cms, provs in ((300, 6, 12), (40, 2, 5)):
        d = os.path.join(work, "month-%d" % users)
        subprocess.run([gen, "month", d, str(users), str(cms), str(provs)], check=True, capture_output=True)
        out.append(("generated month %d users" % users, d, d + ".offices.csv"))
    # files of many chunks: a 4 MB plan and 実績 of the generator's own (quoted notes included)
    big = os.path.join(work, "big")
    os.mkdir(big)
    subprocess.run([gen, "UPPLAN", "4", os.path.join(big, "UPPLAN_202511_1310100019_43_1371100015_11_20251025103000.CSV"),
                    "7"], check=True, capture_output=True)
    subprocess.run([gen, "UPJSK", "4", os.path.join(big, "UPJSK_202511_1371100015_11_1310100019_43_20251203083000.CSV"),
                    "7"], check=True, capture_output=True)
    out.append(("4 MB files", big, None))
    # the scenario month with a plan of records check cannot read, in quoted spans across chunks
    odd = os.path.join(work, "unread")
    shutil.copytree(os.path.join(ROOT, "corpus", "check", "scenario"), odd)
    shutil.copy(os.path.join(ROOT, "tests", "fuzz", "seeds", "regress", "check-unread-place-by-chunk.csv"),
                os.path.join(odd, "UPPLAN_202511_1310100019_43_1371100015_11_20251231235959.CSV"))
    out.append(("a plan check cannot read", odd, None))
    out.append(("the check month", os.path.join(ROOT, "corpus", "check", "month"),
                os.path.join(ROOT, "corpus", "check", "month.offices.csv")))
    out.append(("the conformance files", os.path.join(ROOT, "corpus", "conformance"), None))
    return out


def main():
    renkei, gen = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    work = tempfile.mkdtemp(prefix="rk-determinism-")
    try:
        key = os.path.join(work, "signer.key")
        subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", key], check=True, capture_output=True)
        for label, d, offices in months(gen, work):
            for fmt in ("json", "jsonl", "text"):
                same_over_runs("%s: validate %s" % (label, fmt), lambda j, c: [
                    renkei, "validate", "--format", fmt, "--max-per-rule", "0", "--jobs", j] +
                    (["--chunk-size", c] if c else []) + [d])
            extra = ["--offices", offices] if offices else []
            same_over_runs("%s: check" % label, lambda j, c: [
                renkei, "check", "--format", "json", "--jobs", j] + (["--chunk-size", c] if c else []) + extra + [d])
            # rows written out past a small budget and judged a part at a time: the same bytes
            base = out_of([renkei, "check", "--format", "json", "--jobs", "1"] + extra + [d])
            for mm in ("64K", "512K"):
                for j in JOBS:
                    got = out_of([renkei, "check", "--format", "json", "--jobs", j, "--max-memory", mm] + extra + [d])
                    check("%s: check --max-memory %s --jobs %s byte-identical" % (label, mm, j), got == base,
                          "status %s vs %s, %d vs %d bytes" % (got[0], base[0], len(got[1]), len(base[1])))
            arcs = []
            for j in JOBS:
                arc = os.path.join(work, "seal-%s.tar.zst" % j)
                p = subprocess.run([renkei, "seal", "--key", key, "--jobs", j, "-o", arc, d], capture_output=True)
                check("%s: seal --jobs %s" % (label, j), p.returncode == 0, p.stderr.decode("utf-8", "replace"))
                arcs.append(arc)
            for j, arc in zip(JOBS[1:], arcs[1:]):
                check("%s: seal --jobs %s byte-identical" % (label, j),
                      os.path.exists(arc) and filecmp.cmp(arcs[0], arc, shallow=False))
            if label.startswith("generated"):
                outs = []
                for j in JOBS:
                    o = os.path.join(work, "batch-%s" % j)
                    p = subprocess.run([renkei, "batch", "--jobs", j, "--offices", offices, "-o", o, d],
                                       capture_output=True)
                    check("%s: batch --jobs %s" % (label, j), p.returncode in (0, 1),
                          p.stderr.decode("utf-8", "replace"))
                    outs.append(o)
                for j, o in zip(JOBS[1:], outs[1:]):
                    ok, why = tree_same(outs[0], o)
                    check("%s: batch --jobs %s writes the same files, byte for byte" % (label, j), ok, why)
                    shutil.rmtree(o)
                shutil.rmtree(outs[0])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
