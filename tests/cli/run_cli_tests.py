#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""CLI golden tests: each case runs the renkei program from the repository
root and compares exit status, stdout and stderr with tests/cli/expected/.
Also checks that results are the same for every --jobs / --chunk-size, that
-o writes what stdout shows, and that README's rule table is the catalog's.

usage: run_cli_tests.py RENKEI [--update]   (--update rewrites the expected files;
review the diff before committing it)
"""
import glob
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, summary  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
EXPECTED = os.path.join(HERE, "expected")
SAMPLE_PLAN = "corpus/sample/UPPLAN_202511_1310100019_43_1371100015_11_20251025103000.CSV"



def data(*cases):
    """The data files of conformance cases (their expected.tsv left out)."""
    out = []
    for c in cases:
        out += sorted(f for f in glob.glob("corpus/conformance/%s/*" % c) if not f.endswith(".tsv"))
    return out


SHOWN = ["csv-002-unterminated", "enc-001-invalid", "rec-012-hiwari-day", "set-003-plan-without-hosoku"]

# name -> (args, expected exit status)
CASES = {}
for case in SHOWN + ["csv-008-mixed-eol"]:
    CASES["conf-" + case] = (["validate", "--format", "jsonl"] + data(case), 0 if case == "csv-008-mixed-eol" else 1)
CASES.update({
    "sample-jsonl": (["validate", "--format", "jsonl", "corpus/sample"], 0),
    "sample-text-en": (["validate", "--lang", "en", "corpus/sample"], 0),
    "sample-text-ja": (["validate", "--lang", "ja", "corpus/sample"], 0),
    "conf-json": (["validate", "--format", "json"] + data(*SHOWN), 1),
    "conf-text-ja": (["validate", "--lang", "ja"] + data(*SHOWN), 1),
    "conf-text-en": (["validate", "--lang", "en"] + data(*SHOWN), 1),
    "strict-warning": (["validate", "--strict", "--lang", "en"] + data("csv-008-mixed-eol"), 1),
    "max-per-rule": (["validate", "--max-per-rule", "1", "--lang", "en"] + data("set-003-plan-without-hosoku"), 1),
    "convert-jsonl": (["convert", SAMPLE_PLAN, "--to", "jsonl"], 0),
    "rules-md": (["rules", "--format", "md"], 0),
    "rules-json": (["rules", "--format", "json"], 0),
    "rules-jsonl": (["rules", "--format", "jsonl"], 0),
    "usage-no-args": (["validate"], 2),
    "usage-bad-jobs": (["validate", "--jobs", "0", "corpus/sample"], 2),
    "usage-bad-format": (["validate", "--format", "xml", "corpus/sample"], 2),
    "usage-unknown-command": (["frobnicate"], 2),
    "usage-convert-no-to": (["convert", SAMPLE_PLAN], 2),
    "io-missing-file": (["validate", "--lang", "en", "corpus/no-such-dir"], 3),
})


def run(renkei, args, env_lang="C"):
    env = dict(os.environ, LANG=env_lang, LC_ALL="", LC_MESSAGES="")
    p = subprocess.run([renkei] + args, capture_output=True, env=env)
    return p.returncode, p.stdout, p.stderr


def main():
    renkei = os.path.abspath(sys.argv[1])
    update = "--update" in sys.argv

    for name, (args, status) in sorted(CASES.items()):
        rc, out, err = run(renkei, args)
        fo = os.path.join(EXPECTED, name + ".out")
        fe = os.path.join(EXPECTED, name + ".err")
        if update:
            open(fo, "wb").write(out)
            if err:
                open(fe, "wb").write(err)
            elif os.path.exists(fe):
                os.remove(fe)
        want_out = open(fo, "rb").read() if os.path.exists(fo) else b""
        want_err = open(fe, "rb").read() if os.path.exists(fe) else b""
        check(name, rc == status, "exit %d, expected %d" % (rc, status))
        check(name + " stdout", out == want_out, "stdout differs from %s" % fo)
        check(name + " stderr", err == want_err, "stderr differs: %r" % err[:300])

    # The same answers for every thread count, chunk size and kernel.
    conformance = data(*sorted(os.listdir("corpus/conformance")))
    for name, target in (("sample", ["corpus/sample"]), ("conformance", conformance)):
        _, ref, _ = run(renkei, ["validate", "--format", "jsonl", "--max-per-rule", "0"] + target)
        for extra in (["--jobs", "1", "--chunk-size", "64"], ["--jobs", "2", "--chunk-size", "64"],
                      ["--jobs", "2", "--chunk-size", "1000", "--simd", "scalar"], ["--jobs", "3"],
                      ["--jobs", "1", "--spill-above", "0"], ["--jobs", "2", "--chunk-size", "64", "--spill-above", "0"]):
            _, out, _ = run(renkei, ["validate", "--format", "jsonl", "--max-per-rule", "0"] + extra + target)
            check("invariance %s %s" % (name, " ".join(extra)), out == ref)

    # Help on stdout, exit 0; usage text mentions every option the README shows.
    rc, out, _ = run(renkei, ["validate", "--help"])
    check("validate --help", rc == 0 and b"--jobs" in out and b"--format" in out)
    rc, out, _ = run(renkei, ["--version"])
    check("--version", rc == 0 and out.startswith(b"renkei 0."))

    # -o writes exactly what stdout shows, atomically (no temp file left).
    with tempfile.TemporaryDirectory() as d:
        dest = os.path.join(d, "report.jsonl")
        rc, out, _ = run(renkei, ["validate", "--format", "jsonl", "-o", dest] + data(*SHOWN))
        _, ref, _ = run(renkei, ["validate", "--format", "jsonl"] + data(*SHOWN))
        check("-o output", rc == 1 and out == b"" and open(dest, "rb").read() == ref)
        check("-o no temp left", os.listdir(d) == ["report.jsonl"])
        # convert round trip: MS932 -> UTF-8 -> MS932 gives the input bytes back.
        u8 = os.path.join(d, "plan.utf8.csv")
        back = os.path.join(d, "plan.ms932.csv")
        rc1, _, _ = run(renkei, ["convert", SAMPLE_PLAN, "--to", "utf8", "-o", u8])
        rc2, _, _ = run(renkei, ["convert", u8, "--to", "ms932", "-o", back])
        check("convert round trip", rc1 == 0 and rc2 == 0 and
              open(back, "rb").read() == open(SAMPLE_PLAN, "rb").read())
        check("convert utf8 is iconv", open(u8, "rb").read() ==
              subprocess.run(["iconv", "-f", "CP932", "-t", "UTF-8", SAMPLE_PLAN], capture_output=True).stdout)
        bad = os.path.join(d, "bad.csv")
        open(bad, "wb").write("a,\U0001F600,b\n".encode("utf-8"))
        rc, out, err = run(renkei, ["convert", bad, "--to", "ms932"])
        check("convert unmappable", rc == 1 and out == b"a,?,b\n" and b"U+1F600" in err)

    # Inputs are never modified.
    before = {p: open(os.path.join("corpus/sample", p), "rb").read() for p in os.listdir("corpus/sample")}
    run(renkei, ["validate", "corpus/sample"])
    check("inputs unchanged", before == {p: open(os.path.join("corpus/sample", p), "rb").read()
                                         for p in os.listdir("corpus/sample")})

    # README's rule table is the catalog's.
    _, md, _ = run(renkei, ["rules", "--format", "md"])
    readme = open("README.md", "rb").read()
    check("README rule table", md in readme, "README.md lacks the output of 'renkei rules --format md'")

    return summary()


if __name__ == "__main__":
    sys.exit(main())
