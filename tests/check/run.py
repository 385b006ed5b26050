#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Tests of `renkei check`: the scenario month of corpus/check/ must give
exactly the findings of corpus/check/scenario.expected.tsv, the predicted cuts
in units and yen of the worked cases, totals equal to the independent
reference (tests/check/reference.py) on the scenario and on generated months,
and the same output for any --jobs and --chunk-size.

usage: run.py RENKEI GEN_CORPUS
"""
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MASTER = "corpus/master/master.csv"
OFFICES = "corpus/master/offices.csv"
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, summary  # noqa: E402



def run_check(renkei, paths, *extra):
    p = subprocess.run([renkei, "check", "--master", MASTER, "--offices", OFFICES, "--format", "jsonl"] +
                       list(extra) + paths, capture_output=True)
    lines = [json.loads(l) for l in p.stdout.decode().splitlines() if l]
    return p.returncode, lines, p.stdout


def totals(lines):
    out = {"office": {}, "insurer": {}, "type": {}}
    for l in lines:
        if l["type"] == "check_total" and l["by"] in out:
            out[l["by"]][l["key"]] = [l["planned_units"], l["actual_units"]]
    return out


def make_ambiguous(path):
    """Rewrites a file so that its only quoted items are notes ",..\n..,": a
    chunk start guessed after such a line break reads as valid CSV either
    way, so some guesses go wrong and the rows read there must go."""
    data = open(path, "rb").read()
    eol = "\r\n" if b"\r\n" in data[:4096] else "\n"
    rows = list(csv.reader(io.StringIO(data.decode("cp932"), newline="")))
    out = []
    for r in rows:
        out.append(",".join('",%s,"' % v if "\n" in v else v for v in r))
    open(path, "wb").write((eol.join(out) + eol).encode("cp932"))
    return sum(1 for r in rows for v in r if "\n" in v)


def reference(paths):
    p = subprocess.run([sys.executable, os.path.join(HERE, "reference.py"), MASTER] + paths, capture_output=True,
                       check=True)
    return json.loads(p.stdout)


def read_expected(path):
    out = []
    for line in open(path, encoding="utf-8"):
        rule, name, rec, item, value, expected = line.rstrip("\n").split("\t")
        out.append((rule, name, int(rec), int(item), value, expected))
    return sorted(out)


def month_findings(lines, want):
    """The findings as (rule, file name, record, item, value, expected), value and
    expected kept only where the expectation names them."""
    named = {(w[0], w[1], w[2], w[3]): w for w in want}
    got = []
    for f in lines:
        if f["type"] != "finding":
            continue
        k = (f["rule"], os.path.basename(f["file"]), f["record"] or 0, f["field"] or 0)
        w = named.get(k)
        got.append(k + ((f.get("value_en") or f.get("value") or "") if w and w[4] else "",
                       (f.get("expected_en") or f.get("expected") or "") if w and w[5] else ""))
    return sorted(got)


def unread_tests(renkei):
    """A file check cannot read as the standard says is never judged silently:
    UTF-8 text, a layout of other items, an unknown CSV version each give one
    finding on the file (with the count of records) and exit 1."""
    scen = "corpus/check/scenario"
    jsk = "UPJSK_202511_1371100023_11_1310100019_43_20251203083001.CSV"
    base = open(os.path.join(scen, jsk), "rb").read()
    rows = list(csv.reader(io.StringIO(base.decode("cp932"), newline="")))
    variants = {
        "RK-ENC-005": base.decode("cp932").encode("utf-8"),
        "RK-CSV-006": "".join(",".join(r[:22]) + "\r\n" for r in rows).encode("cp932"),
        "RK-VER-001": "".join(",".join(["202410"] + r[1:]) + "\r\n" for r in rows).encode("cp932"),
    }
    for rule, data in variants.items():
        with tempfile.TemporaryDirectory() as d:
            for n in os.listdir(scen):
                if n != jsk:
                    open(os.path.join(d, n), "wb").write(open(os.path.join(scen, n), "rb").read())
            open(os.path.join(d, jsk), "wb").write(data)
            rc, lines, _ = run_check(renkei, [d])
            f = [l for l in lines if l["type"] == "finding" and l["rule"] == rule]
            check("unreadable file: %s once, on the file, with its count" % rule,
                  len(f) == 1 and os.path.basename(f[0]["file"]) == jsk and f[0]["record"] == 1 and
                  f[0]["value_en"].startswith("%d records" % len(rows)) and
                  f[0]["value"].startswith("%d件" % len(rows)), f)
            check("unreadable file: %s exits 1" % rule, rc == 1)
    with tempfile.TemporaryDirectory() as d:  # a name check cannot place in the month
        bad = "UPJSK_202511_137110002_11_1310100019_43_20251203083001.CSV"
        open(os.path.join(d, bad), "wb").write(base)
        rc, lines, _ = run_check(renkei, [d])
        f = [l for l in lines if l["type"] == "finding"]
        check("misnamed file: RK-NAME-002 on it, not read, exit 1",
              [x["rule"] for x in f] == ["RK-NAME-002"] and os.path.basename(f[0]["file"]) == bad and rc == 1, f)


def month_tests(renkei, gen):
    """Months of many offices from gen_corpus month: care managers' plans copied
    to every provider, re-sent plans and 実績, DLTPLAN / DLTJSK, satellites,
    rentals of the month delivered on another day. Clean but for the planted
    defects, each found at its place; totals agree with the reference; the
    superseded, copied and deleted files are named; the same for any --jobs."""
    with tempfile.TemporaryDirectory() as d:
        # corpus/check/month is gen_corpus month 200 3 6, checked in: the same bytes
        fresh = os.path.join(d, "m200")
        subprocess.run([gen, "month", fresh, "200", "3", "6"], check=True, capture_output=True)
        kept = "corpus/check/month"
        same = sorted(os.listdir(kept)) == sorted(os.listdir(fresh)) and all(
            open(os.path.join(kept, n), "rb").read() == open(os.path.join(fresh, n), "rb").read()
            for n in os.listdir(kept)) and open(kept + ".expected.tsv").read() == open(fresh + ".expected.tsv").read()
        check("corpus/check/month is what gen_corpus month 200 3 6 writes", same)
    with tempfile.TemporaryDirectory() as d:
        for users, cms, provs in ((200, 3, 6), (3000, 12, 40)):
            month = os.path.join(d, "m%d" % users)
            subprocess.run([gen, "month", month, str(users), str(cms), str(provs)], check=True, capture_output=True)
            want = read_expected(month + ".expected.tsv")
            rules = sorted({w[0] for w in want})
            check("month %d: every defect is planted" % users,
                  rules == ["RK-CHK-001", "RK-CHK-002", "RK-CHK-003", "RK-CHK-005", "RK-CHK-010", "RK-CHK-012",
                            "RK-CHK-013", "RK-CHK-024"], rules)
            p = subprocess.run([renkei, "check", "--master", MASTER, "--offices", month + ".offices.csv", "--format",
                                "jsonl", month], capture_output=True)
            lines = [json.loads(l) for l in p.stdout.decode().splitlines() if l]
            got = month_findings(lines, want)
            check("month %d: the planted defects and nothing else" % users, got == want,
                  "\n  missing %s\n  extra   %s" % (sorted(set(want) - set(got))[:5], sorted(set(got) - set(want))[:5]))
            check("month %d: exit status 1" % users, p.returncode == 1)
            ref = reference([month])
            check("month %d: totals equal the reference" % users, totals(lines) == ref and ref["office"],
                  "\n  renkei %s\n  ref    %s" % (totals(lines), ref))
            disp = {(l["disposition"]) for l in lines if l["type"] == "check_disposition"}
            check("month %d: copies, superseded and deleted files are named" % users,
                  disp == {"copy", "superseded", "deleted"}, disp)
            for fmt in ("json", "text"):
                q = subprocess.run([renkei, "check", "--master", MASTER, "--offices", month + ".offices.csv", "--format",
                                    fmt, "--lang", "en", month], capture_output=True)
                out = q.stdout.decode()
                check("month %d: %s names the files not judged" % (users, fmt),
                      ('"disposed"' in out and '"superseded"' in out) if fmt == "json" else "superseded by" in out)
            for jobs, chunk in (("1", None), ("2", "4096"), ("3", "1000")):
                extra = ["--jobs", jobs] + (["--chunk-size", chunk] if chunk else [])
                q = subprocess.run([renkei, "check", "--master", MASTER, "--offices", month + ".offices.csv", "--format",
                                    "jsonl"] + extra + [month], capture_output=True)
                check("month %d: same output with %s" % (users, " ".join(extra)), q.stdout == p.stdout)


def main():
    renkei, gen = sys.argv[1], sys.argv[2]
    scen = "corpus/check/scenario"
    rc, lines, raw = run_check(renkei, [scen])
    finds = [l for l in lines if l["type"] == "finding"]
    want = []
    for line in open("corpus/check/scenario.expected.tsv"):
        rule, prefix, rec, item = line.rstrip("\n").split("\t")
        want.append((rule, prefix, int(rec), int(item)))
    got = []
    for f in finds:
        name = os.path.basename(f["file"])
        prefix = next((w[1] for w in want if name.startswith(w[1] + "_") and w[0] == f["rule"] and
                       w[2] == (f["record"] or 0) and w[3] == (f["field"] or 0)), name)
        got.append((f["rule"], prefix, f["record"] or 0, f["field"] or 0))
    check("scenario findings", sorted(got) == sorted(want),
          "\n  missing %s\n  extra   %s" % (sorted(set(want) - set(got)), sorted(set(got) - set(want))))
    check("scenario exit status 1", rc == 1)
    by = {(f["rule"], f["record"]): f for f in finds}
    cuts = [f for f in finds if f["rule"] in ("RK-CHK-011", "RK-CHK-012")]
    check("事由B: 244 units, 2781 yen at 11.40 (in Japanese 244単位, 2781円)",
          any(f["value_en"] == "244 units" and f["expected_en"] == "2781 yen" and f["value"] == "244単位" and
              f["expected"] == "2781円" for f in cuts), cuts)
    check("事由A: 488 units, 5392 yen at 11.05 (3級地)",
          any(f["rule"] == "RK-CHK-011" and f["value_en"] == "488 units" and f["expected_en"] == "5392 yen"
              for f in cuts))
    summ = [l for l in lines if l["type"] == "check_total" and l["by"] == "all"][0]
    check("totals: cut 1064 units (244 + 488 + 244 + 88) and held 1",
          summ["cut_units"] == 1064 and summ["held"] == 1, summ)
    ref = reference([scen])
    check("scenario totals equal the reference", totals(lines) == ref, "\n  renkei %s\n  ref    %s" % (totals(lines), ref))
    for jobs in ("1", "2", "3"):
        _, _, raw2 = run_check(renkei, [scen], "--jobs", jobs)
        check("same output with --jobs %s" % jobs, raw2 == raw)
    with tempfile.TemporaryDirectory() as d:
        for seed in (1, 2):
            plan = os.path.join(d, "UPPLAN_202511_1310100019_43_1371100015_11_2025102510300%d.CSV" % seed)
            act = os.path.join(d, "UPJSK_202511_1371100015_11_1310100019_43_2025120308300%d.CSV" % seed)
            subprocess.run([gen, "UPPLAN", "3", plan, str(seed)], check=True, capture_output=True)
            subprocess.run([gen, "UPJSK", "3", act, str(seed + 100 * (seed == 2))], check=True, capture_output=True)
        rc, lines, raw = run_check(renkei, [d])
        for jobs in ("1", "3"): # person-months split between chunks and threads sort alike
            _, _, raw2 = run_check(renkei, [d], "--jobs", jobs)
            check("generated month: same output with --jobs %s" % jobs, raw2 == raw and len(lines) > 100)
        # The plans' notes hold quoted line feeds: with small chunks chunk
        # starts fall inside them.
        for chunk in ("1000", "4096"):
            for jobs in ("2", "3"):
                _, _, raw2 = run_check(renkei, [d], "--jobs", jobs, "--chunk-size", chunk)
                check("generated month: same output with --chunk-size %s --jobs %s" % (chunk, jobs), raw2 == raw)
        ref = reference([d])
        check("generated month: totals equal the reference", totals(lines) == ref and ref["office"],
              "\n  renkei %s\n  ref    %s" % (totals(lines), ref))
        cut = [l for l in lines if l["type"] == "check_total" and l["by"] == "all"][0]
        check("generated month: a mismatched provider file shows cuts or holds", cut["cut_units"] > 0 or cut["held"] > 0,
              cut)
        notes = sum(make_ambiguous(os.path.join(d, f)) for f in os.listdir(d) if f.startswith("UPPLAN"))
        rc, lines, raw = run_check(renkei, [d])
        finds = [l for l in lines if l["type"] == "finding"]
        check("ambiguous month: notes with line breaks and findings", notes > 100 and len(finds) > 100)
        check("ambiguous month: totals equal the reference", totals(lines) == ref)
        for chunk in ("1000", "4096"):
            for jobs in ("2", "3"):
                _, _, raw2 = run_check(renkei, [d], "--jobs", jobs, "--chunk-size", chunk)
                check("ambiguous month: same output with --chunk-size %s --jobs %s" % (chunk, jobs), raw2 == raw)
    month_tests(renkei, gen)
    unread_tests(renkei)
    rc, _, _ = run_check(renkei, ["corpus/sample"])
    check("the sample month is clean", rc == 0)
    p = subprocess.run([renkei, "check", "--master", "README.md", "corpus/sample"], capture_output=True)
    check("a malformed master is an error with its place", p.returncode == 3 and re.search(rb"README\.md:\d+: the first line .* must be the header", p.stderr), p.stderr)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
