#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes corpus/conformance/: one directory per case, each holding a small
set of MS932 files and expected.tsv, the findings `renkei validate` must give
(rule, file, record, item No.; 0 = the file or the record as a whole).

- clean-v4 / clean-v3: every file kind of CSV version 202407 / 202208, each in
  a complete send unit, valid in every rule: expected.tsv is empty;
- every other case takes the send units it needs from the clean v4 month and
  breaks one rule once; where a break cannot help breaking another (a month
  that is also a link key), every consequence is listed.

The expectations are written here by hand from the standard, not produced by
renkei: tests/conformance/run.py fails on any missing, extra or misplaced
finding. Deterministic. Run from the repository root:
python3 corpus/make_conformance.py
"""
import os
import shutil

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conformance")
MONTH = "202511"


from ids import with_cd as cd


INS = cd("13101")
HIHO = "0000012345"
CM = cd("131010001")      # 居宅介護支援 (43)
PROV = cd("137110001")    # 訪問介護 (11)
RENT = cd("137170003")    # 福祉用具貸与 (17)
HOKATSU = cd("130010001")  # 地域包括支援センター (46)
YPROV = cd("13A010001")   # 通所型サービス (A6), a letter in the number
PLAN_DATE = "20251020"
DAYS = ["20251103", "20251110", "20251117"]


def q(s):
    return '"' + s.replace('"', '""') + '"'


# ---- records of every kind (v4.1; v3.2 drops items where noted) -----------------

def kyo1(v):
    return [v, INS, HIHO, PLAN_DATE, "100-0001", q("東京都千代田区千代田1-1"), q(""), q("山本 恵子"),
            q("居宅介護支援センターさくら"), "100-0002", q("東京都千代田区丸の内2-2"), q(""), CM, PLAN_DATE,
            "20240401", "21", "2", "20250325", "20250401", "20260331", "21",
            q("自宅で暮らしたい。\r\n娘は「無理はしないで」と話している。"), q("特になし"),
            q("転倒を防ぎ、\"自分でできること\"を続ける"), "", q(""), CM, ""]


def kyo2(v):
    return [v, INS, HIHO, PLAN_DATE, PLAN_DATE, "1", q("入浴を安全に行いたい"), "1", q("自宅の浴室で入浴を続ける"),
            q("見守りで入浴できる"), q("1年"), q("3か月"), "1", q("入浴介助、見守り"), "Y", q("訪問介護"), PROV,
            q("ヘルパーステーション㈱あおば"), q("週2回"), q("3か月"), CM, ""]


def kyo3(v):
    return [v, INS, HIHO, PLAN_DATE, PLAN_DATE, q("訪問介護"), "2", "1000", "1100", q(""), "", "", q("")]


def hosoku(v, with_use):
    return ([v, INS, HIHO, "00000000" if with_use else PLAN_DATE, q("タカハシ ハナコ"), q("髙橋 花子"), "2",
             "19400312", "100-0001", q("東京都千代田区千代田1-1"), q(""), "03-1234-5678", "20250401", "20250401",
             "20260331", "2", "", "21", "16765"] + [""] * 36 +
            ["0", "0", "0", "", CM, CM, "", MONTH if with_use else "000000"])


def plan_row(v, day, jsk, rental=False):
    office, name, code, units = (RENT, "福祉用具レンタル㈲つばさ", "171001", "300") if rental else \
        (PROV, "ヘルパーステーション㈱あおば", "111111", "244")
    start, end = ("9999", "9999") if rental else ("1000", "1030")
    r = [v, INS, HIHO, "20251203" if jsk else PLAN_DATE, MONTH, CM, q("山本 恵子"), units, "", day, "", start, end,
         "1", code]
    if v == "202407":
        r += ["00001-000010" if rental else "", "", q("手すり（据置型）" if rental else "")]
    r += ["1" if rental else "", office, q(name), "", "0", (RENT if rental else PROV) if jsk else CM, ""]
    return r


def sikyu_rows(v):
    def row(office, name, code, units, count, total, price, cost, ins, tais=False):
        r = [v, INS, HIHO, PLAN_DATE, MONTH, q(name), office, "", code]
        if v == "202407":
            r += ["00001-000010" if tais else "", "", q("手すり（据置型）" if tais else "")]
        r += [units, "", "", count, total, total, "", "", "", total, price, cost, "90" if ins else "", ins, "",
              str(int(cost or 0) - int(ins or 0)) if ins else "", "0", "", "", "", "0", "", "", CM, ""]
        return r
    return [row(PROV, "ヘルパーステーション㈱あおば", "111111", "244", "3", "732", "11.40", "8344", "7509"),
            row(RENT, "福祉用具レンタル㈲つばさ", "171001", "300", "1", "300", "11.40", "3420", "3078", tais=True),
            row("9999999999", "", "999999", "0", "0", "1032", "", "11764", "10587")]


def kihon(v):
    r = [v, INS, HIHO, "20251015", "1", "1", q("佐藤 誠"), "01", q(""), "01", "", "01", q(""), q("ｽｽﾞｷ ﾄｼ"),
         q("鈴木 とし"), "2", "19450720", q("東京都港区芝1-1"), "03-1111-2222", "", "01", "02", "12", "20250401",
         "20260331", "", "1", "20251001", "0", "0", "0", "0", q(""), "01", "2", "2", "1", "0", "0", "0", q(""),
         q("鈴木 一郎"), q("東京都港区芝1-1"), "090-1111-2222", q("長男")]
    r += [q("鈴木 一郎"), q("長男"), q("東京都港区芝1-1"), "090-1111-2222"] + [q(""), q(""), q(""), ""] * 3
    r += [q(unit_name("UPKIHON_IMAGE", "46", HOKATSU, "A6", YPROV, S["kihon"], "_0001", ".JPG"))] + [q("")] * 7
    r += ["20251015", q("鈴木 とし")]
    assert len(r) == 71
    return r


def kihon_sub1(v):
    return [v, INS, HIHO, "20251015", q("7:00"), q("起床・朝食"), q("見守り")]


def kihon_sub2(v):
    return [v, INS, HIHO, "20251015", q("R2年4月"), q("高血圧"), q("みなと医院"), "1", "03-3333-4444", "01",
            q("服薬")]


def yobo(v):
    r = [v, INS, HIHO, "20251016", "1", "1", q(""), q("鈴木 とし"), "20250325", "20250401", "20260331", "11", "2",
         "1", q("佐藤 誠"), q(""), q("地域包括支援センターみなと"), q("東京都港区芝2-2"), "03-5555-6666", "20251016",
         q("地域包括支援センターみなと"), q("散歩を続ける"), q("旅行に行く")]
    r += [q("歩行は安定"), q("散歩したい"), "2", q("")] * 4
    r += [q("血圧に注意"), q("通所で運動"), q("週1回通所")] + ["0"] * 6 + ["2"] * 6
    r += [q(""), "20251016", q("鈴木 とし")]
    assert len(r) == 57
    return r


def yobo_sub(v):
    return [v, INS, HIHO, "20251016", "1", q("運動不足"), q("体力を保つ"), q("続けたい"), q("週1回運動"), "1",
            q("無理をしない"), q("散歩"), q("通所型サービス"), "1", q("通所型サービス"), q("デイサービスみなと"),
            q("6か月")]


# ---- file names and send units -----------------------------------------------------

S = {"plan": "20251020090000", "use": "20251025103000", "jsk": "20251203083000", "dlt1": "20251101090000",
     "dltplan": "20251101091000", "dltjsk": "20251204090000", "kihon": "20251015100000",
     "yobo": "20251016100000", "dltk": "20251101092000", "dlty": "20251101093000"}


def unit_name(prefix, ftype, frm, ttype, to, serial, branch="", ext=".CSV", month=None, v3=False):
    parts = [prefix] + ([month] if month else [])
    parts += [frm, to] if v3 else [frm, ftype, to, ttype]
    return "_".join(parts + [serial]) + branch + ext


JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")


def base(v3=False):
    """Every send unit of a month: {unit: {file name: records or bytes}}."""
    v = "202208" if v3 else "202407"

    def nm(prefix, serial, month=None, frm=CM, ft="43", to=PROV, tt="11"):
        return unit_name(prefix, ft, frm, tt, to, serial, month=month, v3=v3)
    u = {
        "plan": {nm("UP1KYO", S["plan"]): [kyo1(v)], nm("UP2KYO", S["plan"]): [kyo2(v)],
                 nm("UPHOSOKU", S["plan"], "000000"): [hosoku(v, False)]},
        "use": {nm("UPPLAN", S["use"], MONTH): [plan_row(v, d, False) for d in DAYS] +
                [plan_row(v, "20251101", False, rental=True)],
                nm("UPSIKYU", S["use"], MONTH): sikyu_rows(v),
                nm("UPHOSOKU", S["use"], MONTH): [hosoku(v, True)]},
        "jsk": {nm("UPJSK", S["jsk"], MONTH, PROV, "11", CM, "43"): [plan_row(v, d, True) for d in DAYS]},
        "dlt": {nm("DLT1KYO", S["dlt1"]): [[v, INS, HIHO, PLAN_DATE]],
                nm("DLTPLAN", S["dltplan"], MONTH): [[v, INS, HIHO, MONTH]],
                nm("DLTJSK", S["dltjsk"], MONTH, PROV, "11", CM, "43"): [[v, INS, HIHO, MONTH, PROV, "11"]]},
    }
    if not v3:
        u["plan"][nm("UP3KYO", S["plan"])] = [kyo3(v), [v, INS, HIHO, PLAN_DATE, PLAN_DATE, q(""), "", "", "",
                                                         q("起床・朝食"), "0700", "0800", q("")]]
        y = dict(frm=HOKATSU, ft="46", to=YPROV, tt="A6")
        u["kihon"] = {nm("UPKIHON", S["kihon"], **y): [kihon(v)],
                      nm("UPKIHON_SUB1", S["kihon"], **y): [kihon_sub1(v)],
                      nm("UPKIHON_SUB2", S["kihon"], **y): [kihon_sub2(v)],
                      unit_name("UPKIHON_IMAGE", "46", HOKATSU, "A6", YPROV, S["kihon"], "_0001", ".JPG"): JPEG}
        u["yobo"] = {nm("UPYOBO", S["yobo"], **y): [yobo(v)], nm("UPYOBO_SUB", S["yobo"], **y): [yobo_sub(v)]}
        u["dlty"] = {nm("DLTKIHON", S["dltk"], **y): [[v, INS, HIHO, "20251015"]],
                     nm("DLTYOBO", S["dlty"], **y): [[v, INS, HIHO, "20251016"]]}
    return u


def encode(records):
    if isinstance(records, bytes):
        return records
    return "".join(",".join(r) + "\r\n" for r in records).encode("cp932")


# ---- cases ----------------------------------------------------------------------------

CASES = []


def case(name, units, expected, edit=None):
    """units: unit names taken from the clean v4 month; edit(files) changes them
    (files: {name: records or bytes}); expected: [(rule, file prefix, record, item)]."""
    CASES.append((name, units, expected, edit))


def first(files, prefix):
    return next(n for n in sorted(files) if n.startswith(prefix + "_"))


def setf(prefix, rec, no, value):
    def edit(files):
        files[first(files, prefix)][rec - 1][no - 1] = value
    return edit


def raw(prefix, fn):
    def edit(files):
        n = first(files, prefix)
        files[n] = fn(encode(files[n]))
    return edit


def jsk_rec(i):
    return plan_row("202407", DAYS[i], True)


def enc(s):
    return s.encode("cp932")


case("name-001-unknown-kind", ["jsk"], [("RK-NAME-001", "UPJISSEKI", 0, 0)],
     lambda f: f.update({"UPJISSEKI" + first(f, "UPJSK")[5:]: f.pop(first(f, "UPJSK"))}))
case("name-002-grammar", ["jsk"], [("RK-NAME-002", "UPJSK", 0, 0)],
     lambda f: f.update({first(f, "UPJSK").replace(PROV, PROV[1:]): f.pop(first(f, "UPJSK"))}))
case("enc-001-invalid", ["jsk"], [("RK-ENC-001", "UPJSK", 1, 21)],
     raw("UPJSK", lambda b: b.replace(enc("あおば"), b"\x81 ", 1)))
case("enc-002-unassigned", ["jsk"], [("RK-ENC-002", "UPJSK", 1, 21)],
     raw("UPJSK", lambda b: b.replace(enc("あおば"), b"\x85\x40", 1)))
case("enc-003-gaiji", ["jsk"], [("RK-ENC-003", "UPJSK", 1, 7)],
     raw("UPJSK", lambda b: b.replace(enc("恵"), b"\xf0\x40", 1)))
case("enc-004-bom", ["jsk"], [("RK-ENC-004", "UPJSK", 0, 0)], raw("UPJSK", lambda b: b"\xef\xbb\xbf" + b))
# The whole file in UTF-8: one finding that says so, not one per character.
case("enc-005-utf8", ["jsk"], [("RK-ENC-005", "UPJSK", 0, 0)], raw("UPJSK", lambda b: b.decode("cp932").encode("utf-8")))
case("csv-001-empty", ["jsk"], [("RK-CSV-001", "UPJSK", 0, 0)], raw("UPJSK", lambda b: b""))
case("csv-002-unterminated", ["jsk"], [("RK-CSV-002", "UPJSK", 4, 2)],
     raw("UPJSK", lambda b: b + b'202407,"never closed\r\n'))
case("csv-003-quote-in-unquoted", ["use"], [("RK-CSV-003", "UPHOSOKU", 1, 12)],
     setf("UPHOSOKU", 1, 12, '03-12"34"5678'))
case("csv-004-text-after-quote", ["jsk"], [("RK-CSV-004", "UPJSK", 1, 21)],
     setf("UPJSK", 1, 21, '"あおば"支店'))
case("csv-005-nul", ["jsk"], [("RK-CSV-005", "UPJSK", 1, 21)],
     raw("UPJSK", lambda b: b.replace(enc("あおば"), enc("あお") + b"\x00", 1)))
case("csv-006-field-count", ["jsk"], [("RK-CSV-006", "UPJSK", 2, 0)],
     lambda f: f[first(f, "UPJSK")][1].append("x"))
case("csv-007-bare-cr", ["jsk"], [("RK-CSV-007", "UPJSK", 1, 25)], setf("UPJSK", 1, 25, "\r"))
case("csv-008-mixed-eol", ["jsk"], [("RK-CSV-008", "UPJSK", 2, 0)],
     raw("UPJSK", lambda b: b.replace(b"\r\n", b"\n", 2).replace(b"\n", b"\r\n", 1)))
case("csv-009-blank-line", ["jsk"], [("RK-CSV-009", "UPJSK", 2, 0)],
     raw("UPJSK", lambda b: b.replace(b"\r\n", b"\r\n\r\n", 1)))
case("ver-001-unknown", ["jsk"], [("RK-VER-001", "UPJSK", 1, 1)],
     lambda f: [r.__setitem__(0, "202410") for r in f[first(f, "UPJSK")]])
case("ver-002-mixed", ["jsk"], [("RK-VER-002", "UPJSK", 2, 1)],
     lambda f: f[first(f, "UPJSK")].__setitem__(1, plan_row("202208", DAYS[1], True)))
case("ver-003-kind", [], [("RK-VER-003", "UP3KYO", 1, 1)],
     lambda f: f.update({**{n: r for n, r in base(True)["plan"].items()},
                         unit_name("UP3KYO", "", CM, "", PROV, S["plan"], v3=True): [kyo3("202208")]}))
case("rec-001-required", ["jsk"], [("RK-REC-001", "UPJSK", 1, 14)], setf("UPJSK", 1, 14, ""))
case("rec-002-required-unsure", ["use"], [("RK-REC-002", "UPHOSOKU", 1, 7)], setf("UPHOSOKU", 1, 7, ""))
case("rec-003-length", ["jsk"], [("RK-REC-003", "UPJSK", 1, 22)], setf("UPJSK", 1, 22, "123"))
case("rec-004-number", ["jsk"], [("RK-REC-004", "UPJSK", 1, 8)], setf("UPJSK", 1, 8, "24a"))
case("rec-005-date", ["jsk"], [("RK-REC-005", "UPJSK", 2, 4)], setf("UPJSK", 2, 4, "20251131"))
case("rec-006-month", ["dlt"], [("RK-REC-006", "DLTPLAN", 1, 4)], setf("DLTPLAN", 1, 4, "202513"))
case("rec-007-time", ["jsk"], [("RK-REC-007", "UPJSK", 1, 12)], setf("UPJSK", 1, 12, "2460"))
case("rec-008-code", ["jsk"], [("RK-REC-008", "UPJSK", 3, 23)], setf("UPJSK", 3, 23, "2"))
case("rec-009-ascii", ["use"], [("RK-REC-009", "UPHOSOKU", 1, 12)], setf("UPHOSOKU", 1, 12, "０３-1234"))
case("rec-010-postal", ["use"], [("RK-REC-010", "UPHOSOKU", 1, 9)], setf("UPHOSOKU", 1, 9, "1000001"))
case("rec-011-hiwari", ["jsk"], [("RK-REC-011", "UPJSK", 1, 11)], setf("UPJSK", 1, 11, "111"))
case("rec-012-hiwari-day", ["jsk"], [("RK-REC-012", "UPJSK", 1, 11)], setf("UPJSK", 1, 11, "0" * 30 + "1"))
case("rec-013-price", ["use"], [("RK-REC-013", "UPSIKYU", 1, 23)], setf("UPSIKYU", 1, 23, "11.4"))
case("rec-014-service-code", ["jsk"], [("RK-REC-014", "UPJSK", 1, 15)], setf("UPJSK", 1, 15, "11111"))
case("rec-015-tais", ["use"], [("RK-REC-015", "UPPLAN", 4, 16)], setf("UPPLAN", 4, 16, "000010000010"))
case("rec-016-unquoted-free-text", ["jsk"], [("RK-REC-016", "UPJSK", 1, 21)], setf("UPJSK", 1, 21, "あおば"))
case("id-001-insurer", ["jsk"], [("RK-ID-001", "UPJSK", 1, 2)], setf("UPJSK", 1, 2, INS[:5] + "9"))
case("id-002-office", ["jsk"], [("RK-ID-002", "UPJSK", 1, 20)], setf("UPJSK", 1, 20, PROV[:9] + "0"))
case("id-003-insured", ["jsk"], [("RK-ID-003", "UPJSK", 1, 3)], setf("UPJSK", 1, 3, "123456789"))
case("cond-001-tais", ["use"], [("RK-COND-001", "UPPLAN", 4, 16)], setf("UPPLAN", 4, 16, ""))
# A 第7表 subtotal of type 17 names no product: no TAIS / 届出 code is wanted on it.
case("cond-001-tais-subtotal", ["use"], [],
     lambda f: f[first(f, "UPSIKYU")].insert(2, ["202407", INS, HIHO, PLAN_DATE, MONTH, q(""), RENT, "", "17AAAA",
                                                  "", "", q(""), "0", "", "", "0", "300", "300", "", "", "", "300",
                                                  "", "3420", "", "3078", "", "342", "0", "", "", "", "0", "", "",
                                                  CM, ""]))
case("cond-002-meisai", ["jsk"], [("RK-COND-002", "UPJSK", 1, 19)], setf("UPJSK", 1, 19, "1"))
case("cond-003-sum-units", ["use"], [("RK-COND-003", "UPSIKYU", 3, 13)], setf("UPSIKYU", 3, 13, "5"))
case("cond-004-sum-discount", ["use"], [("RK-COND-004", "UPSIKYU", 3, 14)], setf("UPSIKYU", 3, 14, "90"))
case("cond-005-total-office", ["use"], [("RK-COND-005", "UPSIKYU", 3, 7)], setf("UPSIKYU", 3, 7, PROV))
case("cond-006-outside-limit", ["use"], [("RK-COND-006", "UPSIKYU", 3, 18)],
     lambda f: f[first(f, "UPSIKYU")].insert(2, ["202407", INS, HIHO, PLAN_DATE, MONTH, q(""), PROV, "", "11EEEE",
                                                  "", "", q(""), "0", "", "", "0", "", "12", "", "", "", "", "", "",
                                                  "", "", "", "", "", "", "", "", "0", "", "", CM, ""]))
case("cond-007-hosoku-date", ["use"], [("RK-COND-007", "UPHOSOKU", 1, 4)], setf("UPHOSOKU", 1, 4, PLAN_DATE))
case("cond-008-hosoku-month", ["plan"], [("RK-COND-008", "UPHOSOKU", 1, 63)], setf("UPHOSOKU", 1, 63, MONTH))
case("file-001-month", ["jsk"], [("RK-FILE-001", "UPJSK", 1, 5)],
     lambda f: (setf("UPJSK", 1, 5, "202510")(f), setf("UPJSK", 1, 10, "20251020")(f)))
case("file-002-use-date", ["jsk"], [("RK-FILE-002", "UPJSK", 2, 10)], setf("UPJSK", 2, 10, "20251210"))
case("file-003-updater", ["jsk"], [("RK-FILE-003", "UPJSK", 1, 24)], setf("UPJSK", 1, 24, CM))
case("file-004-duplicate", ["jsk"], [("RK-FILE-004", "UPJSK", 3, 0)],
     lambda f: f[first(f, "UPJSK")].insert(2, list(f[first(f, "UPJSK")][1])))
case("set-001-missing", ["use"], [("RK-SET-001", "UPPLAN", 0, 0)], lambda f: f.pop(first(f, "UPSIKYU")))
case("set-001-missing-v3", [], [("RK-SET-001", "UP1KYO", 0, 0)],
     lambda f: f.update({n: r for n, r in base(True)["plan"].items() if not n.startswith("UP2KYO")}))
case("set-001-missing-image-parent", ["kihon"], [("RK-SET-001", "UPKIHON_IMAGE", 0, 0),
                                                 ("RK-SET-001", "UPKIHON_SUB1", 0, 0),
                                                 ("RK-SET-001", "UPKIHON_SUB2", 0, 0)],
     lambda f: f.pop(first(f, "UPKIHON")))
case("set-002-orphan", ["use"], [("RK-SET-002", "UPSIKYU", 4, 0)],
     lambda f: f[first(f, "UPSIKYU")].append([("0000099999" if i == 2 else x)
                                              for i, x in enumerate(sikyu_rows("202407")[0])]))
case("set-002-orphan-yobo-sub", ["yobo"], [("RK-SET-002", "UPYOBO_SUB", 2, 0)],
     lambda f: f[first(f, "UPYOBO_SUB")].append([("20251017" if i == 3 else x)
                                                 for i, x in enumerate(yobo_sub("202407"))]))
case("set-003-plan-without-hosoku", ["use"], [("RK-SET-003", "UPPLAN", 5, 0), ("RK-SET-003", "UPPLAN", 5, 0)],
     lambda f: f[first(f, "UPPLAN")].append([("0000099999" if i == 2 else x)
                                             for i, x in enumerate(plan_row("202407", DAYS[0], False))]))


def write_case(name, files, expected):
    d = os.path.join(OUT, name)
    os.makedirs(d)
    for fname, recs in sorted(files.items()):
        with open(os.path.join(d, fname), "wb") as f:
            f.write(encode(recs))
    with open(os.path.join(d, "expected.tsv"), "w") as f:
        for rule, prefix, rec, item in sorted(expected):
            f.write("%s\t%s\t%d\t%d\n" % (rule, prefix, rec, item))


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    for name, v3 in (("clean-v4", False), ("clean-v3", True)):
        files = {}
        for unit in base(v3).values():
            files.update(unit)
        write_case(name, files, [])
    for name, units, expected, edit in CASES:
        clean = base()
        files = {}
        for u in units:
            files.update({n: (r if isinstance(r, bytes) else [list(x) for x in r]) for n, r in clean[u].items()})
        if edit:
            edit(files)
        write_case(name, files, expected)


if __name__ == "__main__":
    main()
