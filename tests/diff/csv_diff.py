#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Differential test: the records and fields `renkei convert --to jsonl`
gives must equal Python's csv module reading the cp932-decoded text, over
generated corpora that put quotes, CRLF and multibyte characters at every
offset of a 64-byte block and across chunk boundaries (chunks down to 64 B).

usage: csv_diff.py RENKEI
"""
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile

JA = "山本恵子あおば訪問介護㈱①髙ｱｲｳ"


def field(rng):
    k = rng.random()
    if k < 0.35:
        return str(rng.randint(0, 10 ** rng.randint(1, 10)))
    if k < 0.45:
        return ""
    text = "".join(rng.choice(JA + "abc ,\"\r\n") for _ in range(rng.randint(0, 30)))
    return '"' + text.replace('"', '""') + '"'


def make(rng, nrec, eol_mode):
    out = []
    for i in range(nrec):
        nf = rng.randint(1, 30)
        line = ",".join(field(rng) for _ in range(nf)) or '""'  # no blank lines: csv gives [] for them
        eol = {"crlf": "\r\n", "lf": "\n", "mixed": rng.choice(["\r\n", "\n"])}[eol_mode]
        out.append(line + eol)
    text = "".join(out)
    if rng.random() < 0.3:
        text = text.rstrip("\r\n")  # no final line end
    return text


def shifted(rng, base_line, shift):
    """A record whose quote, CRLF and multibyte bytes land at offset `shift` of a 64-byte block."""
    pad = "x" * shift
    return pad + ',"' + "あ" * (shift % 5) + '""q\r\n' + 'ｱ",' + base_line + "\r\n"


def python_records(data):
    text = data.decode("cp932")
    return [row for row in csv.reader(io.StringIO(text, newline=""))]


def main():
    renkei = sys.argv[1]
    rng = random.Random(20251121)
    failed = passed = 0
    corpora = []
    for n in (1, 7, 50, 400, 3000):
        for mode in ("crlf", "lf", "mixed"):
            corpora.append(("random-%d-%s" % (n, mode), make(rng, n, mode).encode("cp932")))
    # Every offset of a 64-byte block, in one file, with a long tail so that
    # 64 KiB windows and small chunks cut through everything.
    corpora.append(("offsets", "".join(shifted(rng, "1,2,3", s) for s in range(64)).encode("cp932") * 40))
    with tempfile.TemporaryDirectory() as d:
        for name, data in corpora:
            path = os.path.join(d, name + ".csv")
            open(path, "wb").write(data)
            want = python_records(data)
            # Python yields no row for an empty file and for nothing after a final line end.
            for extra in ([], ["--chunk-size", "64"], ["--chunk-size", "200"], ["--chunk-size", "4096"]):
                got = renkei_records(renkei, path, extra)
                if got == want:
                    passed += 1
                else:
                    failed += 1
                    for i, (a, b) in enumerate(zip(got, want)):
                        if a != b:
                            print("FAIL %s %s: record %d\n  renkei %r\n  python %r" % (name, extra, i + 1, a, b))
                            break
                    else:
                        print("FAIL %s %s: %d records vs %d" % (name, extra, len(got), len(want)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def renkei_records(renkei, path, extra):
    cmd = [renkei, "convert", path, "--to", "jsonl"] + extra
    p = subprocess.run(cmd, capture_output=True)
    if p.returncode != 0:
        raise SystemExit("renkei convert failed: %s" % p.stderr.decode())
    return [json.loads(l)["fields"] for l in p.stdout.decode("utf-8").split("\n") if l]


if __name__ == "__main__":
    sys.exit(main())
