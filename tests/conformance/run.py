#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Conformance test: validates every case of corpus/conformance/ and compares
the findings with the case's expected.tsv (rule, file, record, item No.).
Any missing, extra or misplaced finding fails. Also checks that every rule of
the catalog (renkei rules --format json) has a case, and every clean case
covers every file kind it should.

usage: run.py RENKEI
"""
import json
import os
import subprocess
import sys

ROOT = "corpus/conformance"


def main():
    renkei = sys.argv[1]
    failed = passed = 0
    covered = set()
    for case in sorted(os.listdir(ROOT)):
        d = os.path.join(ROOT, case)
        files = sorted(os.path.join(d, f) for f in os.listdir(d) if f != "expected.tsv")
        want = []
        for line in open(os.path.join(d, "expected.tsv")):
            rule, prefix, rec, item = line.rstrip("\n").split("\t")
            want.append((rule, prefix, int(rec), int(item)))
        p = subprocess.run([renkei, "validate", "--format", "jsonl", "--max-per-rule", "0"] + files,
                           capture_output=True)
        got = []
        for line in p.stdout.decode("utf-8").splitlines():
            o = json.loads(line)
            if o["type"] != "finding":
                continue
            name = os.path.basename(o["file"])
            got.append((o["rule"], name, o["record"] or 0, o["field"] or 0))
        # expected.tsv names files by prefix: match each finding's file to it.
        def norm(g):
            for w in want:
                if g[1].startswith(w[1] + "_") and (g[0], g[2], g[3]) == (w[0], w[2], w[3]):
                    return (g[0], w[1], g[2], g[3])
            return g
        got = sorted(norm(g) for g in got)
        covered.update(w[0] for w in want)
        if got == sorted(want) and p.returncode == (1 if any(w[0] not in WARN for w in want) else 0):
            passed += 1
        else:
            failed += 1
            print("FAIL %s (exit %d)\n  expected %s\n  got      %s" % (case, p.returncode, sorted(want), got))
            if p.stderr:
                print("  stderr: %s" % p.stderr.decode()[:300])
    rules = json.loads(subprocess.run([renkei, "rules", "--format", "json"], capture_output=True).stdout)["rules"]
    # RK-SEAL and RK-CHK rules are about archives and months: tests/seal and tests/check cover them.
    missing = [r["id"] for r in rules if r["id"] not in covered and not r["id"].startswith(("RK-SEAL-", "RK-CHK-"))]
    if missing:
        failed += 1
        print("FAIL rules without a conformance case: %s" % ", ".join(missing))
    else:
        passed += 1
    kinds = {"clean-v4": ["UPHOSOKU", "UP1KYO", "DLT1KYO", "UP2KYO", "UP3KYO", "UPPLAN", "UPJSK", "DLTPLAN",
                          "DLTJSK", "UPSIKYU", "UPKIHON", "DLTKIHON", "UPKIHON_SUB1", "UPKIHON_SUB2",
                          "UPKIHON_IMAGE", "UPYOBO", "DLTYOBO", "UPYOBO_SUB"],
             "clean-v3": ["UPHOSOKU", "UP1KYO", "DLT1KYO", "UP2KYO", "UPPLAN", "UPJSK", "DLTPLAN", "DLTJSK",
                          "UPSIKYU"]}
    for case, ks in kinds.items():
        names = os.listdir(os.path.join(ROOT, case))
        lacking = [k for k in ks if not any(n.startswith(k + "_") and not any(
            n.startswith(o + "_") for o in ks if o != k and o.startswith(k + "_")) for n in names)]
        if lacking:
            failed += 1
            print("FAIL %s lacks %s" % (case, lacking))
        else:
            passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


WARN = {"RK-CSV-008", "RK-REC-002", "RK-REC-016", "RK-COND-006", "RK-FILE-003", "RK-FILE-004"}

if __name__ == "__main__":
    sys.exit(main())
