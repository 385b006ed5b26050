#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""SARIF 2.1.0 output of `renkei validate`, `renkei check` and `renkei batch`:
valid against the official schema (tests/sarif/sarif-2.1.0-rtm.5.json), one
result per finding with the rule, the artifact and the region, the rule
catalog in the driver with Japanese and English text, and the members GitHub
code scanning reads.

usage: run.py RENKEI
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, summary  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MASTER = "corpus/master/master.csv"


def findings(out):
    return [json.loads(l) for l in out.decode().splitlines() if l and json.loads(l)["type"] == "finding"]


def well_formed(name, sarif, want):
    """sarif: the document; want: the findings of the same run in JSON Lines."""
    import jsonschema
    schema = json.load(open(os.path.join(HERE, "sarif-2.1.0-rtm.5.json"), encoding="utf-8"))
    errors = [e.message for e in jsonschema.Draft4Validator(schema).iter_errors(sarif)][:3]
    check("%s: valid against the SARIF 2.1.0 schema" % name, not errors, errors)
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    check("%s: the driver names renkei and lists the catalog in ja and en" % name,
          run["tool"]["driver"]["name"] == "renkei" and len(rules) > 50 and
          all(r["properties"]["message_ja"] and r["properties"]["message_en"] for r in rules))
    res = run["results"]
    got = [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["byteOffset"]) for r in res]
    exp = [(f["rule"], f["file"], f["line"] or 1, f["byte_offset"]) for f in want]
    check("%s: one result per finding, at its file, line and byte offset" % name, got == exp and exp,
          (got[:2], exp[:2]))
    check("%s: ruleIndex names the rule; message text for code scanning" % name,
          all(rules[r["ruleIndex"]]["id"] == r["ruleId"] and r["message"]["text"] and
              r["level"] in ("error", "warning", "note") for r in res))


def main():
    renkei = sys.argv[1]
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        check("python3-jsonschema is installed (apt-get install python3-jsonschema)", False)
        return summary()
    paths = ["corpus/conformance/enc-001-invalid", "corpus/conformance/csv-006-field-count",
             "corpus/conformance/cond-001-tais", "corpus/conformance/name-001-unknown-kind"]
    paths = [p for p in paths if os.path.isdir(p)]
    sar = subprocess.run([renkei, "validate", "--format", "sarif", "--lang", "en"] + paths, capture_output=True)
    jl = subprocess.run([renkei, "validate", "--format", "jsonl"] + paths, capture_output=True)
    well_formed("validate", json.loads(sar.stdout), findings(jl.stdout))
    check("validate --format sarif keeps the exit status", sar.returncode == jl.returncode == 1)
    scen = "corpus/check/scenario"
    sar = subprocess.run([renkei, "check", "--master", MASTER, "--format", "sarif", scen], capture_output=True)
    jl = subprocess.run([renkei, "check", "--master", MASTER, "--format", "jsonl", scen], capture_output=True)
    well_formed("check", json.loads(sar.stdout), findings(jl.stdout))
    with tempfile.TemporaryDirectory() as d:
        month = "corpus/check/month"
        subprocess.run([renkei, "batch", "--offices", month + ".offices.csv", "-o", d, month], capture_output=True)
        doc = json.load(open(os.path.join(d, "findings.sarif"), encoding="utf-8"))
        all_f = [json.loads(l) for l in open(os.path.join(d, "findings.jsonl"), encoding="utf-8")]
        well_formed("batch", doc, [f for f in all_f if f["type"] == "finding"])
        # a path outside URI's unreserved characters is percent-encoded
        odd = os.path.join(d, "月 次")
        os.mkdir(odd)
        src = "corpus/conformance/cond-001-tais"
        for n in os.listdir(src):
            shutil.copy(os.path.join(src, n), odd)
        sar = subprocess.run([renkei, "validate", "--format", "sarif", odd], capture_output=True)
        uris = [a["location"]["uri"] for a in json.loads(sar.stdout)["runs"][0]["artifacts"]]
        check("non-ASCII and spaces in a path are percent-encoded",
              all("%E6%9C%88%20%E6%AC%A1/" in u for u in uris) and uris, uris[:1])
    return summary()


if __name__ == "__main__":
    sys.exit(main())
