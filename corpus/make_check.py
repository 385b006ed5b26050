#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes corpus/check/scenario/: one care manager's month (UPPLAN, UPSIKYU,
UPHOSOKU) and the 実績 (UPJSK) of three providers, for 25 people, each person
set up to show one rule of `renkei check` (or, for V and W, the worked
examples of billing-rules.md §4, which must pass clean).

expected.tsv lists the findings by construction (rule, file prefix, record,
item No.), written here from the rules, not produced by renkei. The totals are
checked by tests/check/reference.py, an independent recomputation.
Run from the repository root: python3 corpus/make_check.py
"""
import os
import shutil

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "check", "scenario")
V = "202407"
M = "202511"


from ids import with_cd as cd


INS = cd("13101")
CM = cd("131010001")
PROV = cd("137110001")   # grade 1 in corpus/master/offices.csv
PROV2 = cd("137110002")  # grade 3
PROV3 = cd("137110003")  # not in the office table


def q(s):
    return '"' + s.replace('"', '""') + '"'


def r6(who, office, code, day, units, count=1, start="1000", end="1030", jsk=False):
    return [V, INS, who, "20251203" if jsk else "20251020", M, CM, q("山本 恵子"), str(units), "", M + "%02d" % day,
            "", start, end, str(count), code, "", "", q(""), "", office, q("事業所"), "", "0",
            office if jsk else CM, ""]


def r7(who, office, code, count, amount, inside, price, cost, claim, user, over="", full="0"):
    return [V, INS, who, "20251020", M, q("事業所"), office, "", code, "", "", q(""), "0" if code == "999999" else
            "244", "", "", str(count), str(amount), str(inside), "", "", over, str(inside), price, str(cost), "90",
            str(claim), "", str(user), full, "", "", "", "0", "", "", CM, ""]


def r_hosoku(who, level="21", limit="16765", slots=(), period=("", "")):
    s = []
    for typ, lim in slots:
        s += [typ, str(lim), "", ""]
    s += [""] * (36 - len(s))
    return ([V, INS, who, "00000000", q("カナ"), q("氏名"), "1", "19400101", "", q(""), q(""), "", "", period[0],
             period[1], "2", "", level, limit] + s + ["0", "0", "0", "", CM, CM, "", M])


plan, sikyu, hosoku = [], [], []
jsk = {PROV: [], PROV2: [], PROV3: []}
expected = []


def who(n):
    return "%010d" % n


def add(rows, row, tag):
    rows.append(row)
    return len(rows)  # the record number just written


PLAN = "UPPLAN_" + M
SIKYU = "UPSIKYU_" + M
HOSOKU = "UPHOSOKU_" + M
JSK = {PROV: "UPJSK_%s_%s" % (M, PROV), PROV2: "UPJSK_%s_%s" % (M, PROV2), PROV3: "UPJSK_%s_%s" % (M, PROV3)}


def person(n, plan_rows=(), actual_rows=(), sikyu_rows=(), hos=True, **hk):
    w = who(n)
    if hos:
        hosoku.append(r_hosoku(w, **hk))
    recs = {"plan": [], "actual": [], "sikyu": []}
    for pr in plan_rows:
        recs["plan"].append(add(plan, r6(w, *pr), "p"))
    for ar in actual_rows:
        office = ar[0]
        recs["actual"].append((office, add(jsk[office], r6(w, *ar, jsk=True), "a")))
    for sr in sikyu_rows:
        recs["sikyu"].append(add(sikyu, r7(w, *sr), "s"))
    return recs, len(hosoku)


# A: plan = actual: nothing to say.
person(1, [(PROV, "111111", d, 244) for d in (3, 10, 17, 24)], [(PROV, "111111", d, 244) for d in (3, 10, 17, 24)])
# B: one actual day more than planned: 実績 without 予定, and 事由B for 244 units (2,781 yen at 11.40).
r, _ = person(2, [(PROV, "111111", d, 244) for d in (4, 11, 18)], [(PROV, "111111", d, 244) for d in (4, 11, 18, 25)])
expected += [("RK-CHK-001", JSK[PROV], r["actual"][3][1], 15), ("RK-CHK-012", JSK[PROV], r["actual"][0][1], 0)]
# C: a second office the plan does not have: 実績 without 予定 twice, 事由A for all 488 units.
r, _ = person(3, [(PROV, "111111", 5, 244)], [(PROV, "111111", 5, 244), (PROV2, "111111", 6, 244),
                                                (PROV2, "111111", 13, 244)])
expected += [("RK-CHK-001", JSK[PROV2], r["actual"][1][1], 15), ("RK-CHK-001", JSK[PROV2], r["actual"][2][1], 15),
             ("RK-CHK-011", JSK[PROV2], r["actual"][1][1], 0)]
# D: no plan at all: 保留.
r, _ = person(4, (), [(PROV, "111111", 7, 244)], hos=False)
expected += [("RK-CHK-010", JSK[PROV], r["actual"][0][1], 0)]
# E: twice instead of once: the count differs, and 事由B for the extra 244.
r, _ = person(5, [(PROV, "111111", 8, 244, 1)], [(PROV, "111111", 8, 244, 2)])
expected += [("RK-CHK-003", JSK[PROV], r["actual"][0][1], 14), ("RK-CHK-012", JSK[PROV], r["actual"][0][1], 0)]
# F: another time of day.
r, _ = person(6, [(PROV, "111111", 9, 244)], [(PROV, "111111", 9, 244, 1, "1100", "1130")])
expected += [("RK-CHK-004", JSK[PROV], r["actual"][0][1], 12)]
# G: 26 days of 通所介護Ⅰ５１ (658) = 17,108 > 16,765: 12P3.
r, h = person(7, [(PROV, "152441", d, 658) for d in range(1, 27)])
expected += [("RK-CHK-013", HOSOKU, h, 19)]
# H: a per-type limit of 3,000 for type 15, planned 3,290: 15P6.
r, h = person(8, [(PROV, "152441", d, 658) for d in range(1, 6)], slots=[("15", 3000)])
expected += [("RK-CHK-014", HOSOKU, h, 21)]
# I: 第7表 row with count 3 (6表: 4) and amount 700 (6表: 976).
r, _ = person(9, [(PROV, "111111", d, 244) for d in (2, 9, 16, 23)], [(PROV, "111111", d, 244) for d in (2, 9, 16, 23)],
              [(PROV, "111111", 3, 700, 976, "11.40", 11126, 10013, 1113)])
expected += [("RK-CHK-020", SIKYU, r["sikyu"][0], 16), ("RK-CHK-021", SIKYU, r["sikyu"][0], 17),
             ("RK-CHK-028", SIKYU, r["sikyu"][0], 22)]  # 976 inside does not add up to the wrong 700
two = [(PROV, "111111", d, 244) for d in (2, 9)]
# J: 単価 11.05 for a 1級地 office (11.40).
r, _ = person(10, two, two, [(PROV, "111111", 2, 488, 488, "11.05", 5563, 5006, 557)])
expected += [("RK-CHK-022", SIKYU, r["sikyu"][0], 23)]
# K: 費用総額 5,000 (floor(488 × 11.40) = 5,563).
r, _ = person(11, two, two, [(PROV, "111111", 2, 488, 488, "11.40", 5000, 4500, 500)])
expected += [("RK-CHK-024", SIKYU, r["sikyu"][0], 24)]
# L: 保険請求額 5,007 (floor(5,563 × 0.9) = 5,006).
r, _ = person(12, two, two, [(PROV, "111111", 2, 488, 488, "11.40", 5563, 5007, 556)])
expected += [("RK-CHK-025", SIKYU, r["sikyu"][0], 26)]
# M: 利用者負担 550 (5,563 − 5,006 = 557).
r, _ = person(13, two, two, [(PROV, "111111", 2, 488, 488, "11.40", 5563, 5006, 550)])
expected += [("RK-CHK-026", SIKYU, r["sikyu"][0], 28)]
# N: 588 units, 488 inside and 100 over; 全額負担 1,000 (floor(100 × 11.40) = 1,140).
over = [(PROV, "111111", d, 294) for d in (2, 9)]
r, _ = person(14, over, over, [(PROV, "111111", 2, 588, 488, "11.40", 5563, 5006, 557, "100", "1000")])
expected += [("RK-CHK-027", SIKYU, r["sikyu"][0], 29)]
# X: 488 units split as 400 inside and nothing over; the 88 actual units beyond the plan are cut (事由B).
r, _ = person(24, two, two, [(PROV, "111111", 2, 488, 400, "11.40", 4560, 4104, 456)])
expected += [("RK-CHK-028", SIKYU, r["sikyu"][0], 22), ("RK-CHK-012", JSK[PROV], r["actual"][0][1], 0)]
# O: an office the office table does not know: a warning, the price is taken as sent.
r, _ = person(15, [(PROV3, "111111", 4, 244)], [(PROV3, "111111", 4, 244)],
              [(PROV3, "111111", 1, 244, 244, "11.40", 2781, 2502, 279)])
expected += [("RK-CHK-023", SIKYU, r["sikyu"][0], 7)]
# P: 要支援1 with a 介護 code, in plan and actual.
r, _ = person(16, [(PROV, "111111", 12, 244)], [(PROV, "111111", 12, 244)], level="12", limit="5032")
expected += [("RK-CHK-030", PLAN, r["plan"][0], 15), ("RK-CHK-030", JSK[PROV], r["actual"][0][1], 15)]
# Q: a day outside the 限度額適用期間 (1-15 Nov).
r, _ = person(17, [(PROV, "111111", 20, 244)], [(PROV, "111111", 20, 244)], period=("20251101", "20251115"))
expected += [("RK-CHK-031", PLAN, r["plan"][0], 10), ("RK-CHK-031", JSK[PROV], r["actual"][0][1], 10)]
# R: 小規模多機能 monthly code and its 日割 code in one month.
r, _ = person(18, [(PROV, "731111", 1, 10458), (PROV, "731112", 2, 344)],
              [(PROV, "731111", 1, 10458), (PROV, "731112", 2, 344)])
expected += [("RK-CHK-032", PLAN, r["plan"][1], 15), ("RK-CHK-032", JSK[PROV], r["actual"][1][1], 15)]
# S: a code of a type the master holds completely (訪問介護) that it does not have, on two days of the
# plan and one of the actual: one finding for the code, at its first row (the 実績 file sorts first),
# naming its three rows.
r, _ = person(19, [(PROV, "119999", d, 244) for d in (14, 21)], [(PROV, "119999", 14, 244)])
expected += [("RK-CHK-033", JSK[PROV], r["actual"][0][1], 15), ("RK-CHK-002", PLAN, r["plan"][1], 15)]
# S2: a 地域密着型通所介護 code; the master does not hold that type completely: a warning, once.
r, _ = person(25, [(PROV, "789999", 14, 750)], [(PROV, "789999", 14, 750)])
expected += [("RK-CHK-035", JSK[PROV], r["actual"][0][1], 15)]
# T: 特定処遇改善加算, a code that ended in 2024-05 (folded into 処遇改善加算 by R6).
r, _ = person(20, [(PROV, "116278", 15, 567)], [(PROV, "116278", 15, 567)])
expected += [("RK-CHK-034", PLAN, r["plan"][0], 15), ("RK-CHK-034", JSK[PROV], r["actual"][0][1], 15)]
# U: a planned day the office did not provide.
r, _ = person(21, [(PROV, "111111", d, 244) for d in (16, 23)], [(PROV, "111111", 16, 244)])
expected += [("RK-CHK-002", PLAN, r["plan"][1], 15)]
# V: 12,345 units at 11.40 and 90%: 140,733 / 126,659 / 14,074 yen — correct, so nothing to say.
person(22, [(PROV, "111111", 2, 12345)], [(PROV, "111111", 2, 12345)],
       [(PROV, "111111", 1, 12345, 12345, "11.40", 140733, 126659, 14074)], level="25", limit="36217")
# W: 要介護1, 17,000 units against 16,765: 235 over, 2,679 yen 全額負担 — correct, nothing to say.
person(23, [(PROV, "111111", 2, 17000)], [(PROV, "111111", 2, 17000)],
       [(PROV, "111111", 1, 17000, 16765, "11.40", 191121, 172008, 19113, "235", "2679")])


def write(name, rows):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write("".join(",".join(r) + "\r\n" for r in rows).encode("cp932"))


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    s = "20251025103000"
    write("UPPLAN_%s_%s_43_%s_11_%s.CSV" % (M, CM, PROV, s), plan)
    write("UPSIKYU_%s_%s_43_%s_11_%s.CSV" % (M, CM, PROV, s), sikyu)
    write("UPHOSOKU_%s_%s_43_%s_11_%s.CSV" % (M, CM, PROV, s), hosoku)
    for k, office in enumerate((PROV, PROV2, PROV3)):
        write("UPJSK_%s_%s_11_%s_43_2025120308300%d.CSV" % (M, office, CM, k), jsk[office])
    with open(os.path.join(OUT, "..", "scenario.expected.tsv"), "w") as f:
        for e in sorted(expected):
            f.write("%s\t%s\t%d\t%d\n" % e)


if __name__ == "__main__":
    main()
