#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The default service-code master and how `renkei check` finds it.

- corpus/master/master.csv is the complete R6 in-home master: known rows
  (111111 身体介護１ 244 units, 171001 車いす貸与 per month at 10円, 311111
  outside the limit, 処遇改善 rows outside), the types it declares complete,
  and, where the source table is at hand, exactly what make_master.py builds;
- check finds it beside the program from any directory (never the current
  one), takes RENKEI_MASTER and --master over it, and says so when there is
  none;
- an unknown code is one finding per code, naming its rows; an error when the
  master holds the code's type completely, a warning when it does not.

usage: master.py RENKEI
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, summary  # noqa: E402

MASTER = "corpus/master/master.csv"
SOURCE = os.path.join("..", "shared", "data", "service-codes-r6-zaitaku.csv")
SCENARIO = os.path.abspath("corpus/check/scenario")


def read_master(path):
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    comments = [ln for ln in lines if ln.startswith("#")]
    rows = list(csv.DictReader(ln for ln in lines if not ln.startswith("#")))
    return comments, {(r["service_code"], r["valid_from"]): r for r in rows}, rows


def jsonl(out):
    return [json.loads(ln) for ln in out.splitlines() if ln.strip()]


def main():
    renkei = os.path.abspath(sys.argv[1])
    comments, by, rows = read_master(MASTER)
    code = {r["service_code"]: r for r in rows}
    check("the master has the R6 in-home table (over 15,000 codes)", len(rows) > 15000, len(rows))
    r = code.get("111111", {})
    check("111111 身体介護１ 244 units per visit, inside the limit, 70%",
          (r.get("name"), r.get("units"), r.get("unit_kind"), r.get("limit_target"), r.get("wage_share"),
           r.get("valid_to")) == ("身体介護１", "244", "回", "1", "70", "999999"), r)
    r = code.get("171001", {})
    check("171001 車いす貸与 per month, always 10円, units set per provider",
          (r.get("name"), r.get("unit_kind"), r.get("wage_share"), r.get("units")) == ("車いす貸与", "月", "0", "0"), r)
    r = code.get("311111", {})
    check("311111 居宅療養管理指導 outside the limit by its type",
          (r.get("limit_target"), r.get("limit_rule"), r.get("wage_share")) == ("0", "type-outside", "0"), r)
    r = code.get("116275", {})
    check("訪問介護処遇改善加算Ⅰ outside the limit",
          (r.get("limit_target"), r.get("limit_rule")) == ("0", "treatment-improvement"), r)
    r = code.get("152441", {})
    check("152441 通所介護Ⅰ５１ 658 units at 45%", (r.get("units"), r.get("wage_share")) == ("658", "45"), r)
    r = code.get("133112", {})
    check("a 日割 code names its monthly code (定期巡回訪看・日割 → 133111)", r.get("daily_of") == "133111", r)
    check("every row has a limit rule",
          all(x["limit_rule"] and x["limit_target"] == ("1" if x["limit_rule"] == "inside" else "0") for x in rows))
    check("the master declares the source's types complete, and only those",
          any(c.startswith("# complete_types: 11 12 13 14 15 16 17 21 22 23 27 31 33 43\n") for c in comments),
          comments)
    if os.path.isfile(SOURCE):
        with tempfile.TemporaryDirectory() as d:
            p = subprocess.run([sys.executable, "corpus/master/make_master.py", SOURCE, d], capture_output=True)
            check("make_master.py rebuilds master.csv and its report byte for byte", p.returncode == 0 and
                  open(os.path.join(d, "master.csv"), "rb").read() == open(MASTER, "rb").read() and
                  open(os.path.join(d, "master-report.md"), "rb").read() ==
                  open("corpus/master/master-report.md", "rb").read(), p.stderr[-300:])
    else:
        print("skip: %s is not here; the rebuild is not compared" % SOURCE)

    env = {k: v for k, v in os.environ.items() if k != "RENKEI_MASTER"}
    with tempfile.TemporaryDirectory() as d:
        base = subprocess.run([renkei, "check", "--master", os.path.abspath(MASTER), "-f", "jsonl", SCENARIO],
                              capture_output=True, env=env)
        p = subprocess.run([renkei, "check", "-f", "jsonl", SCENARIO], capture_output=True, cwd=d, env=env)
        check("check without --master, from another directory, uses the master beside the program",
              p.returncode == 1 and p.stdout == base.stdout and base.returncode == 1, p.stderr[-300:])
        empty = os.path.join(d, "empty.csv")
        open(empty, "w").write("service_code,name,units,unit_kind,limit_target,valid_from,valid_to,wage_share,"
                               "daily_of\n")
        p = subprocess.run([renkei, "check", "-f", "jsonl", SCENARIO], capture_output=True, cwd=d,
                           env=dict(env, RENKEI_MASTER=empty))
        f = jsonl(p.stdout)
        check("RENKEI_MASTER names the master (an empty one knows no code, complete for no type)",
              any(x.get("rule") == "RK-CHK-035" for x in f) and not any(x.get("rule") == "RK-CHK-033" for x in f),
              p.stderr[-300:])
        p = subprocess.run([renkei, "check", "--master", os.path.abspath(MASTER), "-f", "jsonl", SCENARIO],
                           capture_output=True, cwd=d, env=dict(env, RENKEI_MASTER=empty))
        check("--master wins over RENKEI_MASTER", p.stdout == base.stdout, p.stderr[-300:])
        p = subprocess.run([renkei, "check", SCENARIO], capture_output=True, cwd=d,
                           env=dict(env, RENKEI_MASTER=os.path.join(d, "missing.csv")))
        check("a RENKEI_MASTER that is not there is exit 3 naming it",
              p.returncode == 3 and b"missing.csv" in p.stderr, p.stderr)
        lone = os.path.join(d, "bin")
        os.mkdir(lone)
        shutil.copy(renkei, lone)
        os.makedirs(os.path.join(d, "corpus", "master"))
        shutil.copy(MASTER, os.path.join(d, "corpus", "master"))  # a cwd-relative master must not be taken
        p = subprocess.run([os.path.join(lone, "renkei"), "check", SCENARIO], capture_output=True, cwd=d, env=env)
        check("a program with no master beside it says so (exit 3), and ignores the current directory",
              p.returncode == 3 and b"no service-code master found" in p.stderr and b"--master" in p.stderr,
              p.stderr)

        # Unknown codes: one finding per code, at its first row, naming its rows.
        f = jsonl(base.stdout)
        unk = [x for x in f if x.get("rule") == "RK-CHK-033" and x.get("type") == "finding"]
        check("a code unknown in a complete type: one error for its three rows",
              len(unk) == 1 and unk[0]["value"].startswith("119999 ×3: UPJSK_") and
              unk[0]["value"].count(".CSV:") == 3 and unk[0].get("severity") == "error", unk)
        unc = [x for x in f if x.get("rule") == "RK-CHK-035" and x.get("type") == "finding"]
        check("a code of a type the master does not hold completely: one warning",
              len(unc) == 1 and unc[0]["value"].startswith("789999 ×2:") and unc[0].get("severity") == "warning",
              unc)
        many = os.path.join(d, "many")
        shutil.copytree(SCENARIO, many)
        for n in os.listdir(many):  # every 訪問介護 row gets an unknown code: one finding, five places named
            path = os.path.join(many, n)
            b = open(path, "rb").read()
            open(path, "wb").write(b.replace(b",111111,", b",11ZZZZ,"))
        p = subprocess.run([renkei, "check", "--master", os.path.abspath(MASTER), "-f", "jsonl", many],
                           capture_output=True, env=env)
        z = [x for x in jsonl(p.stdout) if x.get("type") == "finding" and x.get("rule") == "RK-CHK-033" and x.get("value", "").startswith("11ZZZZ")]
        check("a code on a hundred rows is one finding naming the first five and the count of the rest",
              len(z) == 1 and z[0]["value"].count(".CSV:") == 5 and z[0]["value"].endswith(")") and "(+" in
              z[0]["value"], z)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
