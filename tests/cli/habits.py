#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""CLI habits users bring from GNU tools and CI: options after the paths, no
input is a failure, files that are not the exchange's are skipped and said
so (not findings), --include / --exclude, -q / -v.

usage: habits.py RENKEI GEN_CORPUS
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, summary  # noqa: E402


def run(*args):
    return subprocess.run(list(args), capture_output=True)


def main():
    renkei = sys.argv[1]
    src = "corpus/conformance/clean-v4"
    with tempfile.TemporaryDirectory() as d:
        p = run(renkei, "validate", src, "--format", "jsonl", "-j", "2")
        lines = [json.loads(l) for l in p.stdout.decode().splitlines() if l]
        check("validate: options after the paths", p.returncode == 0 and lines[0]["type"] == "header", p.stderr)
        empty = os.path.join(d, "empty")
        os.mkdir(empty)
        for cmd in ("validate",):
            p = run(renkei, cmd, empty)
            check("%s: an empty directory is no success (exit 3, said why)" % cmd,
                  p.returncode == 3 and b"no input files" in p.stderr, (p.returncode, p.stderr))
        p = run(renkei, "batch", "-o", os.path.join(d, "out"), empty)
        check("batch: an empty month is no success", p.returncode == 3 and b"no files" in p.stderr, p.stderr)
        mix = os.path.join(d, "mix")
        shutil.copytree(src, mix)
        for n in ("memo.txt", "scan.zip", "notes.md"):
            open(os.path.join(mix, n), "w").write("x\n")
        open(os.path.join(mix, ".DS_Store"), "w").write("x")
        p = run(renkei, "validate", "--format", "jsonl", mix)
        finds = [json.loads(l) for l in p.stdout.decode().splitlines() if l and '"finding"' in l]
        check("files that are not the exchange's are skipped, not findings",
              p.returncode == 0 and not finds and b"skipped 4 files" in p.stderr, (finds[:2], p.stderr))
        p = run(renkei, "validate", "-v", mix)
        check("-v names each skipped file", p.stderr.count(b"skipped ") == 4 and b"memo.txt" in p.stderr)
        p = run(renkei, "validate", "-q", mix)
        check("-q says nothing on stderr", p.stderr == b"" and p.returncode == 0, p.stderr)
        p = run(renkei, "validate", os.path.join(mix, "memo.txt"))
        check("a file named itself is validated (RK-NAME-001)", p.returncode == 1 and b"RK-NAME-001" in p.stdout)
        p = run(renkei, "validate", "--format", "jsonl", "--include", "UP1KYO_*", "--include", "UP2KYO_*", mix)
        files = [json.loads(l)["file"] for l in p.stdout.decode().splitlines() if l and '"type":"file"' in l]
        check("--include takes only matching names",
              files and all(os.path.basename(f).startswith(("UP1KYO_", "UP2KYO_")) for f in files), files)
        p = run(renkei, "validate", "--format", "jsonl", "--exclude", "*.JPG", mix)
        files = [json.loads(l)["file"] for l in p.stdout.decode().splitlines() if l and '"type":"file"' in l]
        check("--exclude skips matching names", files and not any(f.endswith(".JPG") for f in files), files)
        # rule selection: IDs or prefixes, counts following
        bad = "corpus/conformance/set-001-missing"
        p = run(renkei, "validate", "--format", "jsonl", bad)
        rules = {json.loads(l)["rule"] for l in p.stdout.decode().splitlines() if '"finding"' in l}
        p = run(renkei, "validate", "--format", "jsonl", "--ignore", "RK-SET", bad)
        lines = [json.loads(l) for l in p.stdout.decode().splitlines() if l]
        left = {l["rule"] for l in lines if l["type"] == "finding"}
        check("--ignore RK-SET: an export file alone, without the send-unit rules",
              "RK-SET-001" in rules and not any(r.startswith("RK-SET") for r in left) and p.returncode == 0 and
              lines[-1]["errors"] == 0, (rules, left, p.returncode))
        p = run(renkei, "validate", "--format", "jsonl", "--select", "RK-SET-001", bad)
        left = {json.loads(l)["rule"] for l in p.stdout.decode().splitlines() if '"finding"' in l}
        check("--select keeps only the rules named", left == {"RK-SET-001"}, left)
        p = run(renkei, "validate", "--select", "RK-NOPE", bad)
        check("--select of no rule is a usage error", p.returncode == 2 and b"RK-NOPE" in p.stderr)
        # check: -o (atomically), -o -, --max-per-rule, --select
        scen = "corpus/check/scenario"
        out = os.path.join(d, "check.jsonl")
        p = run(renkei, "check", "--format", "jsonl", "-o", out, scen)
        q = run(renkei, "check", "--format", "jsonl", "-o", "-", scen)
        check("check -o FILE writes what -o - prints", p.returncode == q.returncode == 1 and p.stdout == b"" and
              open(out, "rb").read() == q.stdout and not [n for n in os.listdir(d) if ".tmp" in n])
        p = run(renkei, "check", "--format", "jsonl", "--max-per-rule", "1", scen)
        lines = [json.loads(l) for l in p.stdout.decode().splitlines() if l]
        shown = [l for l in lines if l["type"] == "finding"]
        per = {}
        for f in shown:
            per[(f["file"], f["rule"])] = per.get((f["file"], f["rule"]), 0) + 1
        counts = {l["rule"]: l["count"] for l in lines if l["type"] == "rule_count"}
        full = [json.loads(l) for l in q.stdout.decode().splitlines() if l]
        whole = {l["rule"]: l["count"] for l in full if l["type"] == "rule_count"}
        check("check --max-per-rule 1: one finding per rule and file, counts still whole",
              max(per.values()) == 1 and counts == whole and len(shown) < sum(whole.values()),
              (max(per.values()), counts, whole))
        p = run(renkei, "check", "--format", "jsonl", "--select", "RK-CHK-012", scen)
        left = {json.loads(l)["rule"] for l in p.stdout.decode().splitlines() if '"finding"' in l}
        check("check --select", left == {"RK-CHK-012"}, left)
        # - reads standard input, --name gives its kind; the findings are those of the file itself
        f = sorted(n for n in os.listdir("corpus/sample") if n.startswith("UPPLAN_"))[0]
        data = open(os.path.join("corpus/sample", f), "rb").read()
        p = subprocess.run([renkei, "validate", "--format", "jsonl", "--ignore", "RK-SET", "--name", f, "-"],
                           input=data, capture_output=True)
        q = run(renkei, "validate", "--format", "jsonl", "--ignore", "RK-SET", os.path.join("corpus/sample", f))
        strip = lambda out: [l for l in out.decode().splitlines() if '"type":"file"' not in l]
        check("- with --name: standard input validated as the file", p.returncode == 0 and
              strip(p.stdout) == strip(q.stdout), p.stderr)
        p = subprocess.run([renkei, "validate", "-"], input=data, capture_output=True)
        check("- without --name is a usage error naming --name", p.returncode == 2 and b"--name" in p.stderr)
        # bytes from the data are escaped in the tables too, and the Japanese table lines up
        esc = os.path.join(d, "esc")
        os.mkdir(esc)
        f0 = sorted(n for n in os.listdir("corpus/sample") if n.startswith("UPPLAN_"))[0]
        body = open(os.path.join("corpus/sample", f0), "rb").read()
        open(os.path.join(esc, f0), "wb").write(b"\x1b[31m" + body[6:])
        p = run(renkei, "validate", "--lang", "ja", "-q", esc)
        table = p.stdout.decode(errors="replace")
        check("an escape sequence in a version field is shown escaped in the table",
              "\x1b" not in table and "\\x1B" in table, table[-400:])
        lines = table.splitlines()
        head = next(l for l in lines if l.startswith("種別"))
        row = next(l for l in lines if l.startswith("UPPLAN"))
        width = lambda t: sum(2 if ord(ch) > 0x2E80 else 1 for ch in t)
        check("the Japanese table's columns line up by display width",
              width(head[:head.index("ファイル")]) == width(row[:row.index(esc)]), (head, row))
        # --format gnu: FILE:LINE: SEVERITY: MESSAGE [RULE], as a problem matcher reads it
        import re
        matcher = re.compile(r"^(?P<file>[^:]+)(:(?P<line>\d+))?: (?P<sev>error|warning|note): (?P<msg>.*) "
                             r"\[(?P<rule>RK-[A-Z]+-\d{3})\]$")
        cases = ["corpus/conformance/cond-001-tais", "corpus/conformance/enc-005-utf8",
                 "corpus/conformance/file-004-duplicate"]
        p = run(renkei, "validate", "--format", "gnu", "-q", *cases)
        gl = p.stdout.decode().splitlines()
        jl = run(renkei, "validate", "--format", "jsonl", *cases)
        want = [(f["file"], f["line"], f["severity"], f["rule"]) for f in
                (json.loads(l) for l in jl.stdout.decode().splitlines() if '"finding"' in l)]
        got = []
        for l in gl:
            m = matcher.match(l)
            got.append(m and (m["file"], int(m["line"]) if m["line"] else None, m["sev"].replace("note", "info"),
                              m["rule"]))
        check("--format gnu: a problem matcher reads every finding (file, line, severity, rule)",
              got == want and want, (gl[:2], want[:2]))
        # RK-NAME-002 names the fault
        odd = os.path.join(d, "UP1KYO_1310100019_43_20251101090000.CSV")
        shutil.copy(os.path.join(src, sorted(n for n in os.listdir(src) if n.startswith("UP1KYO_"))[0]), odd)
        p = run(renkei, "validate", "--lang", "en", odd)
        check("RK-NAME-002 says the receiver segments are missing", b"RK-NAME-002" in p.stdout and
              b"receiver office number and service type" in p.stdout and b"10 digits" not in p.stdout, p.stdout[:300])
        # Ctrl-C / kill during an output leaves no temporary file and no partial output
        big = os.path.join(d, "UPPLAN_202511_1310100019_43_1371100015_11_20251025103000.CSV")
        subprocess.run([sys.argv[2], "UPPLAN", "150", big], check=True, capture_output=True)
        for sig in (signal.SIGINT, signal.SIGTERM):
            out = os.path.join(d, "big.jsonl")
            p = subprocess.Popen([renkei, "convert", big, "--to", "jsonl", "-o", out], stderr=subprocess.PIPE)
            for _ in range(200):  # until its temporary file is there
                if any(n.startswith("big.jsonl.tmp") for n in os.listdir(d)):
                    break
                time.sleep(0.01)
            p.send_signal(sig)
            p.wait()
            left = [n for n in os.listdir(d) if n.startswith("big.jsonl")]
            check("%s during convert -o: no temporary file, no partial output" % sig.name,
                  p.returncode == -sig and not left, (p.returncode, left))
    japanese_texts(renkei)
    return summary()


def japanese_texts(renkei):
    """In Japanese, what a finding expected (and the values the engine writes) is Japanese: every
    conformance case and the check scenario, in text; no English word in a 期待 or 値 of ours."""
    texts = []
    for case in sorted(os.listdir("corpus/conformance")):
        texts.append(run(renkei, "validate", "--lang", "ja", os.path.join("corpus/conformance", case)).stdout)
    texts.append(subprocess.run([renkei, "check", "--lang", "ja", "--master", "corpus/master/master.csv",
                                 "corpus/check/scenario"], capture_output=True).stdout)
    bad, seen = [], 0
    for t in texts:
        for m in re.finditer(r"期待 (.*?)\) \[", t.decode("utf-8", "replace")):
            seen += 1
            # capitals are the same in both languages (YYYYMM, MS932, CRLF, file kinds); words are not
            words = re.findall(r"[A-Za-z]*[a-z][A-Za-z]*", m.group(1))
            if words:
                bad.append(m.group(1))
    check("Japanese text: every expected value is Japanese (%d seen)" % seen, seen > 20 and not bad, bad[:5])
    en = run(renkei, "check", "--lang", "en", "--offices", "corpus/master/offices.csv",
              "corpus/check/scenario").stdout
    check("English text: the cut reads in English", b"found 244 units, expected 2781 yen" in en, en[:300])
    ja = run(renkei, "check", "--lang", "ja", "--offices", "corpus/master/offices.csv",
             "corpus/check/scenario").stdout
    check("Japanese text: the cut reads in Japanese", "値 244単位, 期待 2781円".encode() in ja)


if __name__ == "__main__":
    sys.exit(main())
