#!/usr/bin/env python3
"""Writes corpus/bad/<case>/: one small file per structural or encoding
finding, each breaking exactly one rule (the expected output of each case is
in tests/cli/expected/). Deterministic. Run: python3 corpus/make_bad.py
"""
import os
import shutil

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bad")
NAME = "UPPLAN_202511_1310100019_43_1371100015_11_20251025103000.CSV"


def rec(day, ver="202407", name_field='"山本 恵子"', office='"ヘルパーステーション㈱あおば"'):
    f = [ver, "131011", "0000012345", "20251020", "202511", "1310100019", name_field, "244", "",
         "202511%02d" % day, "", "1000", "1030", "1", "111111", "", "", '""', "", "1371100015", office, "", "0",
         "1310100019", ""]
    return ",".join(f).encode("cp932")


GOOD = [rec(3), rec(6), rec(10)]
CASES = {
    # rule: (file name, bytes)
    "csv-001-empty": (NAME, b""),
    "csv-002-unterminated": (NAME, rec(3) + b"\r\n" + rec(6) + b"\r\n" + b'202407,"never closed\r\n'),
    "csv-003-quote-in-unquoted": (NAME, rec(3) + b"\r\n" + rec(6, name_field='山本 "恵子"') + b"\r\n"),
    "csv-004-text-after-quote": (NAME, rec(3) + b"\r\n" + rec(6, office='"あおば"支店') + b"\r\n"),
    "csv-005-nul": (NAME, rec(3) + b"\r\n" + rec(6).replace(b"1371100015", b"13711\x000015") + b"\r\n"),
    "csv-006-field-count": (NAME, rec(3) + b"\r\n" + rec(6) + b",extra\r\n"),
    "csv-007-bare-cr": (NAME, rec(3) + b"\r" + rec(6) + b"\r\n"),
    "csv-008-mixed-eol": (NAME, rec(3) + b"\r\n" + rec(6) + b"\n" + rec(10) + b"\r\n"),
    "csv-009-blank-line": (NAME, rec(3) + b"\r\n\r\n" + rec(6) + b"\r\n"),
    "enc-001-invalid": (NAME, rec(3) + b"\r\n" + rec(6).replace("あおば".encode("cp932"), b"\x81 ") + b"\r\n"),
    "enc-002-unassigned": (NAME, rec(3) + b"\r\n" + rec(6).replace("あおば".encode("cp932"), b"\x85\x40") + b"\r\n"),
    "enc-003-gaiji": (NAME, rec(3) + b"\r\n" + rec(6).replace("恵".encode("cp932"), b"\xf0\x40") + b"\r\n"),
    "enc-004-bom": (NAME, b"\xef\xbb\xbf" + rec(3) + b"\r\n"),
    "ver-001-unknown": (NAME, rec(3, ver="202410") + b"\r\n" + rec(6, ver="202410") + b"\r\n"),
    "ver-002-mixed": (NAME, rec(3) + b"\r\n" + rec(6, ver="202208") + b"\r\n"),
    "ver-003-kind": ("UP3KYO_1310100019_43_1371100015_11_20251020090000.CSV",
                     ",".join(["202208", "131011", "0000012345", "20251020", "20251020", '"訪問介護"', "2", "1000",
                               "1100", '""', "", "", '""']).encode("cp932") + b"\r\n"),
    "name-001-unknown": ("PLAN_202511_1310100019_43_1371100015_11_20251025103000.CSV", rec(3) + b"\r\n"),
    "name-002-grammar": ("UPPLAN_202511_131010001_43_1371100015_11_20251025103000.CSV", rec(3) + b"\r\n"),
}


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    for case, (fname, data) in sorted(CASES.items()):
        d = os.path.join(OUT, case)
        os.makedirs(d)
        with open(os.path.join(d, fname), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
