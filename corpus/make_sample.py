#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes corpus/sample/: a small, real-shaped month (service month 2025-11) of
the care-plan data exchange files in MS932, CSV version 202407 (v4.1).

Two 居宅介護支援事業所 (care managers, type 43) each send to one provider:
  - send unit 1: UP1KYO + UP2KYO + UP3KYO + UPHOSOKU (month 000000)
  - send unit 2: UPPLAN + UPSIKYU + UPHOSOKU (month 202511)
and each provider sends back its UPJSK (actuals).

The people, offices and texts are invented. Office and insurer numbers carry
valid check digits (billing-rules.md §5). Free text includes commas, doubled
quotes, line breaks and NEC/IBM extension characters (①, ㈱, 髙) so the sample
exercises the parser. The output is deterministic: re-running gives the same
bytes. Run from the repository root: python3 corpus/make_sample.py
"""
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sample")
VER = "202407"
MONTH = "202511"


from ids import check_digit as luhn_cd


def office(body9):
    return body9 + luhn_cd(body9)


def q(text):
    """Free text: always quoted, "" escapes."""
    return '"' + text.replace('"', '""') + '"'


def write(name, rows):
    data = "".join(",".join(r) + "\r\n" for r in rows).encode("cp932")
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


INSURER = office("13101")  # 6 digits: 5 + CD
CM = [office("131010001"), office("131010002")]  # 居宅介護支援 (43)
PROV = [(office("137110001"), "11", "ヘルパーステーション㈱あおば", "111111", 244),
        (office("137150002"), "15", "デイサービス①ひだまり", "152441", 658)]

USERS = [
    # 被保険者番号, 氏名, フリガナ, 性別, 生年月日, 要介護, 限度額, 担当CM index, days
    ("0000012345", "髙橋 花子", "タカハシ ハナコ", "2", "19400312", "21", "16765", 0, [3, 6, 10, 13, 17, 20, 24, 27]),
    ("0000023456", "佐藤 一郎", "サトウ イチロウ", "1", "19371105", "22", "19705", 0, [4, 11, 18, 25]),
    ("0000034567", "鈴木 とし", "スズキ トシ", "2", "19450720", "23", "27048", 1, [5, 12, 19, 26]),
    ("H123456789", "田中 正", "タナカ タダシ", "1", "19500101", "21", "16765", 1, [7, 14, 21, 28]),
]
CM_NAMES = ["山本 恵子", "小林 誠"]
CM_OFFICE_NAMES = ["居宅介護支援センターさくら", "ケアプラン相談室 みなと"]
PLAN_DATE = "20251020"
SERIAL_PLAN = ["20251020090000", "20251020091500"]
SERIAL_USE = ["20251025103000", "20251025104500"]
SERIAL_JSK = ["20251203083000", "20251203090000"]


def name(prefix, month, frm, ftype, to, ttype, serial):
    parts = [prefix] + ([month] if month else []) + [frm, ftype, to, ttype, serial]
    return "_".join(parts) + ".CSV"


def hosoku(u, cm, linked_to_use):
    no, nm, kana, sex, birth, level, limit, _, _ = u
    r = [VER, INSURER, no, "00000000" if linked_to_use else PLAN_DATE, q(kana), q(nm), sex, birth,
         "100-0001", q("東京都千代田区千代田1-1"), q("コーポ千代田 101"), "03-1234-5678",
         "20250401", "20250401", "20260331", "2", "", level, limit]
    r += [""] * 36            # No.20-55: no per-type limit slots
    r += ["0", "0", "0", "", cm, cm, "", MONTH if linked_to_use else "000000"]  # No.56-63
    assert len(r) == 63
    return r


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        os.remove(os.path.join(OUT, old))
    for k, cm in enumerate(CM):
        prov, ptype, pname, code, units = PROV[k]
        users = [u for u in USERS if u[7] == k]
        # send unit 1: 1表, 2表, 3表, 補足 (month 000000)
        t1, t2, t3 = [], [], []
        for u in users:
            t1.append([VER, INSURER, u[0], PLAN_DATE, "100-0001", q("東京都千代田区千代田1-1"), q(""),
                       q(CM_NAMES[k]), q(CM_OFFICE_NAMES[k]), "100-0002", q("東京都千代田区丸の内2-2"), q(""),
                       cm, PLAN_DATE, "20240401", "21", "2", "20250325", "20250401", "20260331", u[5],
                       q("自宅で、できるだけ長く暮らしたい。\r\n娘は「無理はしないで」と話している。"),
                       q("特になし"), q("転倒を防ぎ、\"自分でできること\"を続けられるよう支援します。"),
                       "", q(""), cm, ""])
            t2.append([VER, INSURER, u[0], PLAN_DATE, PLAN_DATE, "1", q("入浴を安全に行いたい"), "1",
                       q("自宅の浴室で入浴を続ける"), q("見守りで入浴できる"), q("2025/11～2026/10"),
                       q("2025/11～2026/01"), "1", q("入浴介助、見守り"), "Y", q("訪問介護" if ptype == "11" else "通所介護"),
                       prov, q(pname), q("週2回"), q("2025/11～2026/01"), cm, ""])
            t3.append([VER, INSURER, u[0], PLAN_DATE, PLAN_DATE, q("訪問介護" if ptype == "11" else "通所介護"),
                       "2", "1000", "1100", q(""), "", "", q("")])
            t3.append([VER, INSURER, u[0], PLAN_DATE, PLAN_DATE, q(""), "", "", "", q("起床・朝食"), "0700", "0800",
                       q("")])
        s = SERIAL_PLAN[k]
        write(name("UP1KYO", None, cm, "43", prov, ptype, s), t1)
        write(name("UP2KYO", None, cm, "43", prov, ptype, s), t2)
        write(name("UP3KYO", None, cm, "43", prov, ptype, s), t3)
        write(name("UPHOSOKU", "000000", cm, "43", prov, ptype, s), [hosoku(u, cm, False) for u in users])
        # send unit 2: 6表 予定, 7表, 補足 (month 202511)
        plan, sikyu, jsk = [], [], []
        for u in users:
            for day in u[8]:
                date = "%s%02d" % (MONTH, day)
                start, end = ("1000", "1030") if ptype == "11" else ("0930", "1630")
                row = [VER, INSURER, u[0], PLAN_DATE, MONTH, cm, q(CM_NAMES[k]), str(units), "", date, "",
                       start, end, "1", code, "", "", q(""), "", prov, q(pname), "", "0"]
                plan.append(row + [cm, ""])
                jsk.append([VER, INSURER, u[0], "20251203", MONTH, cm, q(CM_NAMES[k]), str(units), "", date, "",
                            start, end, "1", code, "", "", q(""), "", prov, q(pname), "", "0", prov, ""])
            n = len(u[8])
            total = units * n
            price = "11.40" if ptype == "11" else "10.90"
            cost = int(total * float(price) + 1e-9)
            ins = 0 if u[0].startswith("H") else cost * 90 // 100  # 生保単独: no insurance claim
            row = [VER, INSURER, u[0], PLAN_DATE, MONTH, q(pname), prov, "", code, "", "", q(""), str(units), "",
                   "", str(n), str(total), str(total), "", "", "", str(total), price, str(cost), "90", str(ins),
                   "", str(cost - ins), "0", "", "", "", "0", "9999999999", "", cm, ""]
            sikyu.append(row)
            sikyu.append([VER, INSURER, u[0], PLAN_DATE, MONTH, q(""), "9999999999", "", "999999", "", "", q(""),
                          "0", "", "", "0", "", str(total), "", "", "", str(total), "", str(cost), "", str(ins), "",
                          str(cost - ins), "0", "", "", "", "0", "9999999999", "", cm, ""])
        s = SERIAL_USE[k]
        write(name("UPPLAN", MONTH, cm, "43", prov, ptype, s), plan)
        write(name("UPSIKYU", MONTH, cm, "43", prov, ptype, s), sikyu)
        write(name("UPHOSOKU", MONTH, cm, "43", prov, ptype, s), [hosoku(u, cm, True) for u in users])
        write(name("UPJSK", MONTH, prov, ptype, cm, "43", SERIAL_JSK[k]), jsk)


if __name__ == "__main__":
    main()
