#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Builds corpus/master/master.csv, the default service-code master of
`renkei check`, from the R6 in-home service-code table (a CSV extraction of
the 介護給付費単位数等サービスコード表) and corpus/master/supplement.csv (the
rows of types the table lacks that the project's months use).

Every choice is data in the tables below: the unit kind of each 算定単位, the
人件費割合 of each service type (billing-rules.md §3.3), and the rules that put
a code outside the 区分支給限度 (§2.3), the first that matches winning. Each row
of the master names the rule it got (column limit_rule). What could not be
mapped is listed in corpus/master/master-report.md.

    python3 corpus/master/make_master.py [SOURCE_CSV [OUT_DIR]]

SOURCE_CSV defaults to ../shared/data/service-codes-r6-zaitaku.csv beside the
repository. Writes master.csv and master-report.md to OUT_DIR (default: next
to this script).
"""
import collections
import csv
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SOURCE = os.path.join(HERE, "..", "..", "..", "shared", "data", "service-codes-r6-zaitaku.csv")

UNIT_KIND = {"1回につき": "回", "1日につき": "日", "1月につき": "月"}

# 人件費割合 by service type (billing-rules.md §3.3, marked [U] there: the
# grouping of 告示第93号 as the digest gives it). 0 = always 10円.
WAGE_SHARE = {}
for t in "11 12 13 43 46 62 63 71 76 A1 A2 A3 A4".split():
    WAGE_SHARE[t] = 70
for t in "14 16 21 24 64 66 68 69 72 73 74 75 77 79".split():
    WAGE_SHARE[t] = 55
for t in "15 22 23 25 26 27 28 2A 2B 32 33 35 36 37 38 39 51 52 53 54 55 65 78 A5 A6 A7 A8".split():
    WAGE_SHARE[t] = 45
for t in "17 31 34 67".split():
    WAGE_SHARE[t] = 0

# Rules that put a code outside the 区分支給限度 (limit_target 0), in order
# (billing-rules.md §2.3). (id, kind, match, source mark). kind "type": the
# service type is one of match; "name": the name holds one of match; a tuple
# (types, words): both.
OUTSIDE_RULES = [
    ("type-outside", "type", "31 34 43 46 33 35 36 32 37 51 52 53 54 55".split(), "§2.3 per type [V]/[S]/[U]"),
    ("treatment-improvement", "name", ["処遇改善"], "§2.3 処遇改善加算 [V]"),
    ("special-area", "name", ["特別地域", "特地加算"], "§2.3 特別地域加算 [V]"),
    ("mountain-area", "name", ["中山間", "小規模事業所加算", "貸与小規模加算"], "§2.3 中山間地域等 [V]"),
    ("service-system", "name", ["サービス提供体制"], "§2.3 サービス提供体制強化加算 [S]"),
    ("home-nursing-extra", ("13", ["緊急時訪問看護", "特別管理加算", "ターミナルケア"]), None, "§2.3 訪問看護 [U]"),
]
INSIDE_RULE = "inside"

# The service types whose every code in force is in the source (the types the
# R6 in-home table covers); the supplement adds single rows, not whole types.
SOURCE_TYPES = "11 12 13 14 15 16 17 21 22 23 27 31 33 43".split()

HEADER = ["service_code", "name", "units", "unit_kind", "limit_target", "valid_from", "valid_to", "wage_share",
          "daily_of", "limit_rule"]


def limit_rule(t, name):
    for rid, kind, match, _ in OUTSIDE_RULES:
        if kind == "type" and t in match:
            return rid
        if kind == "name" and any(w in name for w in match):
            return rid
        if isinstance(kind, tuple) and t == kind[0] and any(w in name for w in kind[1]):
            return rid
    return INSIDE_RULE


def yyyymm(d, open_end):
    if not d:
        return open_end
    return d[0:4] + d[5:7]


def build(source):
    rows, problems = [], []
    with open(source, encoding="utf-8", newline="") as f:
        src = list(csv.DictReader(f))
    by_name = {}
    for x in src:
        by_name.setdefault((x["service_category"], x["service_name"]), x["service_code"])
    units_zero = collections.Counter()
    for n, x in enumerate(src, 2):
        code, t, name = x["service_code"], x["service_category"], x["service_name"]
        kind = UNIT_KIND.get(x["unit_type"])
        if len(code) != 6 or code[:2] != t or kind is None or t not in WAGE_SHARE:
            problems.append((n, code, name, "not mapped: code, type or 算定単位 %r unknown" % x["unit_type"]))
            continue
        daily_of = ""
        if kind == "日" and name.endswith("日割"):
            base = name[:-2].rstrip("・")
            daily_of = by_name.get((t, base), "")
            if not daily_of:
                problems.append((n, code, name, "a 日割 code whose monthly code was not found by name"))
        if x["units"] in ("", "0"):
            why = ("set per provider (福祉用具貸与)" if t == "17" else
                   "a percentage (%s)" % x["formula"][:40] if x["formula"] else "not in the extraction")
            units_zero[why.split(" (")[0]] += 1
        rule = limit_rule(t, name)
        rows.append([code, name, x["units"] or "0", kind, "0" if rule != INSIDE_RULE else "1",
                     yyyymm(x["valid_from"], "000000"), yyyymm(x["valid_until"], "999999"), str(WAGE_SHARE[t]),
                     daily_of, rule])
    return src, rows, problems, units_zero


def supplement():
    with open(os.path.join(HERE, "supplement.csv"), encoding="utf-8", newline="") as f:
        lines = [ln for ln in f if not ln.startswith("#")]
    out = []
    for x in csv.DictReader(io.StringIO("".join(lines))):
        out.append([x[h] for h in HEADER])
    return out


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SOURCE
    out = sys.argv[2] if len(sys.argv) > 2 else HERE
    src, rows, problems, units_zero = build(source)
    extra = supplement()
    seen = {(r[0], r[5]) for r in rows}
    for r in extra:
        if (r[0], r[5]) in seen:
            sys.exit("supplement.csv: %s from %s is already in the source" % (r[0], r[5]))
    allrows = sorted(rows + extra, key=lambda r: (r[0], r[5]))
    buf = io.StringIO()
    buf.write("# renkei service-code master, built by corpus/master/make_master.py\n")
    buf.write("# source: %s (%d rows) and supplement.csv (%d rows)\n" % (os.path.basename(source), len(src),
                                                                       len(extra)))
    buf.write("# complete_types: %s\n" % " ".join(SOURCE_TYPES))
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(allrows)
    with open(os.path.join(out, "master.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())

    rules = collections.Counter(r[9] for r in allrows)
    rep = ["# How master.csv was built", "",
           "Written by `make_master.py`; do not edit. Source: `%s`, %d rows; supplement.csv, %d rows; master.csv, "
           "%d rows." % (os.path.basename(source), len(src), len(extra), len(allrows)), "",
           "## 区分支給限度: the rule each row got (column limit_rule)", "",
           "| rule | limit_target | rows | source |", "|---|---|---|---|"]
    for rid, kind, match, mark in OUTSIDE_RULES:
        rep.append("| %s | 0 | %d | %s |" % (rid, rules.get(rid, 0), mark))
    rep.append("| %s | 1 | %d | not outside by any rule above |" % (INSIDE_RULE, rules.get(INSIDE_RULE, 0)))
    for rid in sorted(set(rules) - {r[0] for r in OUTSIDE_RULES} - {INSIDE_RULE}):
        rep.append("| %s | (supplement) | %d | supplement.csv |" % (rid, rules[rid]))
    rep += ["", "## Units not in the source (kept as 0; check takes units from the files)", ""]
    rep += ["- %s: %d rows" % (k, v) for k, v in sorted(units_zero.items())]
    rep += ["", "## Rows not mapped or only partly", ""]
    rep += ["- line %d, %s %s: %s" % p for p in problems] or ["- none"]
    rep += ["", "## Service types declared complete (unknown codes of these are errors, RK-CHK-033)", "",
            " ".join(SOURCE_TYPES), ""]
    with open(os.path.join(out, "master-report.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(rep))
    print("master.csv: %d rows (%d from the source, %d from the supplement), %d problems" %
          (len(allrows), len(rows), len(extra), len(problems)))


if __name__ == "__main__":
    main()
