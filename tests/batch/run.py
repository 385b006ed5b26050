#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Tests of `renkei batch` on a generated month of 500 offices (100 care
managers, 400 providers) and 20,000 users: per-office and month totals agree
with `renkei validate` and `renkei check` run separately; each office's report
holds its own files only; report.html renders in headless chromium without
console errors; the outputs are the same for any --jobs; the signed archive
verifies with renkei and with stock tools.

usage: run.py RENKEI GEN_CORPUS
"""
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, summary  # noqa: E402

MASTER = "corpus/master/master.csv"


def jsonl(out):
    return [json.loads(l) for l in out.decode().splitlines() if l]


def sender(path):
    parts = os.path.basename(path).split("_")
    return parts[2] if len(parts) > 6 else ""


def separate(renkei, month, offices):
    """Per sending office: errors, warnings and findings by rule, from validate and check run alone."""
    v = jsonl(subprocess.run([renkei, "validate", "--format", "jsonl", month], capture_output=True).stdout)
    c = jsonl(subprocess.run([renkei, "check", "--master", MASTER, "--offices", offices, "--format", "jsonl", month],
                             capture_output=True).stdout)
    per = collections.defaultdict(lambda: {"errors": 0, "warnings": 0, "by_rule": collections.Counter()})
    for l in v + c:
        if l["type"] == "finding":
            o = per[sender(l["file"])]
            o["errors" if l["severity"] == "error" else "warnings"] += l["severity"] in ("error", "warning")
            o["by_rule"][l["rule"]] += 1
    files = [l for l in v if l["type"] == "file"]
    totals = {l["key"]: l for l in c if l["type"] == "check_total" and l["by"] == "office"}
    return per, files, totals, [l for l in v + c if l["type"] == "finding"]


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def render(html, png):
    """Renders report.html headless: the DOM it built, the screenshot, the console's messages."""
    browser = chromium()
    args = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
            "--enable-logging=stderr", "--v=0", "--window-size=1280,2000"]
    dom = subprocess.run(args + ["--dump-dom", "file://" + html], capture_output=True, timeout=120)
    shot = subprocess.run(args + ["--screenshot=" + png, "file://" + html], capture_output=True, timeout=120)
    console = [l for l in (dom.stderr + shot.stderr).decode(errors="replace").splitlines() if "CONSOLE" in l]
    return dom.stdout.decode(errors="replace"), console


def main():
    renkei, gen = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as d:
        month = os.path.join(d, "2025-11")
        subprocess.run([gen, "month", month, "20000", "100", "400"], check=True, capture_output=True)
        offices = month + ".offices.csv"
        out = os.path.join(d, "out")
        p = subprocess.run([renkei, "batch", "--offices", offices, "-o", out, month], capture_output=True)
        check("batch: exit 1 (the planted errors)", p.returncode == 1, p.stderr)
        b = json.load(open(os.path.join(out, "batch.json"), encoding="utf-8"))
        check("batch.json names its schema and version", b["schema"] == "renkei.batch" and b["version"] == 1)
        check("500 offices, 20,000 users' month", len(b["offices"]) == 500 and b["month"] == "202511",
              len(b["offices"]))
        per, files, totals, finds = separate(renkei, month, offices)
        t = b["total"]
        check("month totals agree with validate and check alone",
              t["files"] == len(files) and t["records"] == sum(f["records"] for f in files) and
              t["errors"] == sum(o["errors"] for o in per.values()) and
              t["warnings"] == sum(o["warnings"] for o in per.values()), (t, len(files)))
        bad = []
        for o in b["offices"]:
            want = per.get(o["office"], {"errors": 0, "warnings": 0, "by_rule": collections.Counter()})
            got_rules = {r["rule"]: r["count"] for r in o["by_rule"]}
            if (o["errors"], o["warnings"], got_rules) != (want["errors"], want["warnings"], dict(want["by_rule"])):
                bad.append(o["office"])
            ct = totals.get(o["office"])
            if ct and (o["planned_units"], o["actual_units"], o["cut_units"], o["cut_yen"], o["held"]) != (
                    ct["planned_units"], ct["actual_units"], ct["cut_units"], ct["cut_yen"], ct["held"]):
                bad.append(o["office"] + " claims")
        check("every office's findings and claims agree with validate and check alone", not bad, bad[:5])
        roles = collections.Counter(o["role"] for o in b["offices"])
        check("care managers and providers", roles == {"care_manager": 100, "provider": 400}, roles)
        all_finds = jsonl(open(os.path.join(out, "findings.jsonl"), "rb").read())
        check("findings.jsonl holds every finding of both",
              sum(1 for l in all_finds if l["type"] == "finding") == len(finds))
        own = True
        for o in b["offices"]:
            lines = jsonl(open(os.path.join(out, "offices", o["office"] + ".jsonl"), "rb").read())
            own = own and all(sender(l["file"]) == o["office"] for l in lines if l["type"] in ("file", "finding"))
            own = own and sum(1 for l in lines if l["type"] == "file") == o["files"]
        check("each office's report holds its own files and findings only", own)
        text = open(os.path.join(out, "offices", b["offices"][0]["office"] + ".txt"), encoding="utf-8").read()
        check("an office's text report is in Japanese by default", "ファイル" in text, text[:200])
        html = os.path.join(out, "report.html")
        page = open(html, encoding="utf-8").read()
        check("report.html is self-contained (no network, no script)",
              "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in page and
              "<script" not in page)
        if chromium():
            dom, console = render(html, os.path.join(d, "report.png"))
            check("report.html renders in chromium: every office's section and the chart",
                  dom.count('<section id="o-') == 500 and "<svg" in dom and "RK-CHK-012" in dom, len(dom))
            check("report.html: no console errors", not console, console[:3])
            png = os.path.join(d, "report.png")
            check("report.html: a screenshot, not empty",
                  os.path.exists(png) and os.path.getsize(png) > 20000 and
                  open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n")
        else:
            check("chromium is installed for the report.html test (apt-get install chromium)", False)
        out2 = os.path.join(d, "out2")
        subprocess.run([renkei, "batch", "--offices", offices, "--jobs", "1", "-o", out2, month], capture_output=True)
        same = all(open(os.path.join(out, n), "rb").read() == open(os.path.join(out2, n), "rb").read()
                   for n in ("batch.json", "findings.jsonl", "report.html"))
        check("the same outputs for --jobs 1", same)
        out3 = os.path.join(d, "out3")
        subprocess.run([renkei, "batch", "--offices", offices, "--lang", "en", "-o", out3,
                        os.path.join(month)], capture_output=True)
        en = open(os.path.join(out3, "report.html"), encoding="utf-8").read()
        check("--lang en: an English page", '<html lang="en">' in en and "Findings by rule" in en)
        # progress: JSON Lines when asked, a line on a terminal, nothing into a pipe
        pj = subprocess.run([renkei, "batch", "--progress=jsonl", "--offices", offices, "-o", out2, month],
                            capture_output=True)
        steps = [json.loads(l) for l in pj.stderr.decode().splitlines() if l.startswith("{")]
        files_seen = [x["files"] for x in steps if x["phase"] == "validate"]
        check("--progress=jsonl: steps from validate to done, files counted up to all",
              steps and steps[-1]["phase"] == "done" and files_seen == sorted(files_seen) and
              files_seen[-1] == steps[0]["files_total"] == b["total"]["files"] and
              [x["phase"] for x in steps if x["phase"] != "validate"] == ["check", "reports", "done"],
              [x["phase"] for x in steps][-5:])
        check("no progress into a pipe", b'"progress"' not in p.stderr and b"\r" not in p.stderr, p.stderr[-200:])
        import pty
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(os.path.abspath(renkei), ["renkei", "batch", "--offices", offices, "-o", out2, month])
        tty = b""
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            tty += chunk
        os.waitpid(pid, 0)
        check("progress on a terminal: files, bytes, rate and ETA in place",
              b"\rrenkei batch: validate" in tty and b"MB/s, ETA" in tty and b"done" in tty, tty[-200:])
        # the cost report: the simulator's formulas, every assumption listed and overridable
        cost = json.load(open(os.path.join(out, "cost.json"), encoding="utf-8"))
        a = {x["key"]: x["value"] for x in cost["assumptions"]}
        check("cost.json lists the simulator's defaults",
              a == {"sheets_per_user": 2, "print_yen_per_sheet": 2, "postage_per_user": 130, "fax_yen_per_sheet": 10,
                    "labour_hand_per_user": 135, "labour_mail_per_user": 90, "labour_fax_per_user": 90,
                    "system_fee_per_month": 1750, "labour_exchange_per_user": 10}, a)

        def by_formula(o, a):
            u, k = o["users"], o["offices_sent_to"]
            pr = a["sheets_per_user"] * a["print_yen_per_sheet"] * k
            return (pr + a["labour_hand_per_user"] * u, pr + (a["postage_per_user"] + a["labour_mail_per_user"]) * u,
                    pr + a["sheets_per_user"] * a["fax_yen_per_sheet"] * k + a["labour_fax_per_user"] * u,
                    a["system_fee_per_month"] + a["labour_exchange_per_user"] * u)
        ok = all(by_formula(o, a) == (o["by_hand"], o["by_mail"], o["by_fax"], o["by_exchange"])
                 for o in cost["offices"])
        cm_users = sum(o["users"] for o in cost["offices"] if o["role"] == "care_manager")
        check("cost per office by the simulator's formulas; care managers' users are the month's plans", ok and
              cm_users > 19000 and len(cost["offices"]) == 500, (cm_users, len(cost["offices"])))
        check("the cost total sums the offices",
              cost["total"]["by_mail"] == sum(o["by_mail"] for o in cost["offices"]))
        out6 = os.path.join(d, "out6")
        subprocess.run([renkei, "batch", "--offices", offices, "--cost", "postage_per_user=84", "-o", out6, month],
                       capture_output=True)
        c6 = json.load(open(os.path.join(out6, "cost.json"), encoding="utf-8"))
        a6 = {x["key"]: x["value"] for x in c6["assumptions"]}
        check("--cost overrides a setting, and the figures follow",
              a6["postage_per_user"] == 84 and all(by_formula(o, a6)[1] == o["by_mail"] for o in c6["offices"]))
        bad = subprocess.run([renkei, "batch", "--cost", "stamps=1", "-o", out6, month], capture_output=True)
        check("--cost with an unknown key is refused with its name", bad.returncode == 3 and b"stamps" in bad.stderr)
        # --offices naming the offices: who sent nothing, who is not listed, files of another month
        rows = open(offices, encoding="utf-8").read().splitlines()[1:]
        listed = os.path.join(d, "listed.csv")
        cms = sorted({o["office"] for o in b["offices"] if o["role"] == "care_manager"})
        with open(listed, "w", encoding="utf-8") as f:
            f.write("office_no,grade,name\n")
            for r in rows:
                f.write(r + ",事業所 " + r.split(",")[0] + "\n")
            for cm in cms[1:]:  # the first care manager is left off the list
                f.write(cm + ",0,居宅 " + cm + "\n")
            f.write("1371999991,1,送らなかった事業所\n")
        old = sorted(n for n in os.listdir(month) if n.startswith("UPPLAN_"))[0]
        shutil.copy(os.path.join(month, old), os.path.join(month, old.replace("_202511_", "_202510_")))
        out5 = os.path.join(d, "out5")
        subprocess.run([renkei, "batch", "--offices", listed, "-o", out5, month], capture_output=True)
        b5 = json.load(open(os.path.join(out5, "batch.json"), encoding="utf-8"))
        ol = b5["offices_list"]
        check("--offices: the listed office that sent nothing, by name",
              ol and ol["sent_nothing"] == [{"office": "1371999991", "name": "送らなかった事業所"}], ol and ol["sent_nothing"])
        check("--offices: the sender not on the list", ol and ol["senders_not_listed"] == [cms[0]],
              ol and ol["senders_not_listed"])
        check("a file of another month is named", [os.path.basename(p) for p in b5["other_month_files"]] ==
              [old.replace("_202511_", "_202510_")], b5["other_month_files"])
        page5 = open(os.path.join(out5, "report.html"), encoding="utf-8").read()
        check("report.html shows them", "送らなかった事業所" in page5 and cms[0] in page5)
        os.remove(os.path.join(month, old.replace("_202511_", "_202510_")))
        # the signed archive: inputs and reports, verifiable by renkei and by stock tools
        key, pub = os.path.join(d, "k.pem"), os.path.join(d, "k.pub")
        subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", key], check=True, capture_output=True)
        subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-out", pub], check=True, capture_output=True)
        small = "corpus/check/month"
        out4 = os.path.join(d, "out4")
        subprocess.run([renkei, "batch", "--offices", small + ".offices.csv", "--key", key, "-o", out4, small],
                       capture_output=True)
        arc = os.path.join(out4, "month.tar.zst")
        v = subprocess.run([renkei, "verify", "--pubkey", pub, arc], capture_output=True)
        check("the month's archive verifies", os.path.exists(arc) and v.returncode == 0, v.stdout[-300:])
        z = subprocess.run("zstd -dc %s | tar -tf -" % arc, shell=True, capture_output=True)
        names = z.stdout.decode().split()
        check("stock zstd and tar read the archive: inputs and reports",
              z.returncode == 0 and "data/batch.json" in names and "data/report.html" in names and
              any(n.startswith("data/month/UPPLAN_") for n in names), names[:8])
    p = subprocess.run([renkei, "batch", "corpus/sample"], capture_output=True)
    check("batch without -o is a usage error", p.returncode == 2)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
