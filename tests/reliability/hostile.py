#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Inputs that are not what a month holds: each gives a finding, or exit 3
with its name and the reason, never a hang (every run has a time limit) or
a crash, in validate, check, seal and batch:

- a FIFO (no writer: opening it would block), /dev/zero, a directory link
  that loops back, a dangling link, a file nobody may read (the runs are as
  `nobody` when the test is root);
- a file that shrinks while it is mapped (read as zeros past its new end
  instead of SIGBUS, and reported as changed);
- 100,000 files in one directory (every one validated, sealed, verified);
- a file over 4 GiB whose records after 4 GiB are placed right (64-bit
  offsets: the finding's byte offset, record and line);
- 64 MB of one byte (NUL, comma, quote, CR, LF) or of random bytes under a
  第6表 name: done in time with peak memory bounded (no memory per byte).

usage: hostile.py RENKEI
"""
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import json

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, summary  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SAMPLE = os.path.join(ROOT, "corpus", "sample")
PLAN = "UPPLAN_202511_1310100019_43_1371100015_11_20251025103000.CSV"
LIMIT = 300  # seconds: a run past it is a hang


def run(cmd, as_nobody=False):
    """(exit status, stdout, stderr, peak RSS of this run in KiB); status None on a hang."""
    if as_nobody and os.geteuid() == 0:
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + cmd
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe:
        p = subprocess.Popen(cmd, stdout=fo, stderr=fe)
        hung = []
        timer = threading.Timer(LIMIT, lambda: (hung.append(1), p.kill()))
        timer.start()
        _, status, usage = os.wait4(p.pid, 0)
        timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        fo.seek(0)
        fe.seek(0)
        out, err = fo.read(), fe.read().decode("utf-8", "replace")
    if hung:
        return None, b"", "", 0
    return p.returncode, out, err, usage.ru_maxrss


def month_with(work, name, extra):
    """A copy of the sample month with extra(dir) added; returns the dir."""
    d = os.path.join(work, name)
    shutil.copytree(SAMPLE, d)
    os.chmod(d, 0o755)
    extra(d)
    return d


COMMANDS = [
    ("validate", lambda r, p, w: [r, "validate", p]),
    ("check", lambda r, p, w: [r, "check", p]),
    ("seal", lambda r, p, w: [r, "seal", "-o", os.path.join(w, "out.tar.zst"), p]),
    ("batch", lambda r, p, w: [r, "batch", "-o", os.path.join(w, "report"), p]),
]


def refused(renkei, work, what, path, named, reason, as_nobody=False):
    for cmd, make in COMMANDS:
        rc, _, err, _ = run(make(renkei, path, work), as_nobody)
        check("%s: %s finishes" % (what, cmd), rc is not None, "hung")
        check("%s: %s exits 3" % (what, cmd), rc == 3, "%s %s" % (rc, err))
        check("%s: %s names it and why" % (what, cmd), named in err and reason in err, err)
        check("%s: %s writes no output" % (what, cmd), not os.path.exists(os.path.join(work, "out.tar.zst")),
              "archive left")


def not_regular(renkei, work):
    d = month_with(work, "fifo", lambda d: os.mkfifo(os.path.join(d, PLAN + ".fifo")))
    refused(renkei, work, "FIFO in a directory", d, PLAN + ".fifo", "FIFO")
    refused(renkei, work, "FIFO named", os.path.join(d, PLAN + ".fifo"), PLAN + ".fifo", "FIFO")
    refused(renkei, work, "/dev/zero", "/dev/zero", "/dev/zero", "character device")
    d = month_with(work, "loop", lambda d: os.symlink(".", os.path.join(d, "back")))
    refused(renkei, work, "directory link loop", d, "back", "loops back")
    d = month_with(work, "dangling", lambda d: os.symlink("nowhere.CSV", os.path.join(d, "gone.CSV")))
    refused(renkei, work, "dangling link", d, "gone.CSV", "No such file")

    def unreadable(d):
        os.chmod(os.path.join(d, PLAN), 0)
    d = month_with(work, "unreadable", unreadable)
    os.chmod(work, 0o755)
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        print("skip: unreadable file: root reads everything and setpriv is missing")
    else:
        refused(renkei, work, "unreadable file", d, PLAN, "Permission denied", as_nobody=True)


def shrinking(renkei, work):
    """The file is cut to 1 MiB once the process has it mapped."""
    path = os.path.join(work, "shrink", PLAN)
    os.makedirs(os.path.dirname(path))
    for cmd in ("validate", "check", "seal"):
        outcome = None
        for size in (1 << 30, 4 << 30, 16 << 30):
            with open(path, "wb") as f:
                f.write(open(os.path.join(SAMPLE, PLAN), "rb").read())
                f.truncate(size)
            argv = {"validate": [renkei, "validate", "--jobs", "1", path],
                    "check": [renkei, "check", "--jobs", "1", path],
                    "seal": [renkei, "seal", "--jobs", "1", "-o", os.path.join(work, "s.tar.zst"), path]}[cmd]
            # under ASan, SIGBUS is renkei's to handle (ASan's own handler would report it as a crash)
            env = dict(os.environ)
            env["ASAN_OPTIONS"] = ":".join(x for x in (env.get("ASAN_OPTIONS", ""), "handle_sigbus=0") if x)
            p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
            cut = False
            while p.poll() is None and not cut:
                try:
                    with open("/proc/%d/maps" % p.pid) as m:
                        if path in m.read():
                            os.truncate(path, 1 << 20)
                            cut = True
                except OSError:
                    break
                time.sleep(0.001)
            try:
                err = p.communicate(timeout=LIMIT)[1].decode("utf-8", "replace")
            except subprocess.TimeoutExpired:
                p.kill()
                outcome = ("hang", "")
                break
            if cut and p.returncode != -signal.SIGBUS and "shrank" not in err and p.returncode != 3:
                continue  # it was done reading before the cut: a bigger file
            outcome = (p.returncode, err)
            break
        check("shrinking file: %s was cut while mapped" % cmd, outcome is not None, "never caught mapped")
        if outcome is None:
            continue
        rc, err = outcome
        check("shrinking file: %s is not killed by SIGBUS" % cmd, rc != -signal.SIGBUS, str(rc))
        check("shrinking file: %s exits 3" % cmd, rc == 3, "%s %s" % (rc, err))
        check("shrinking file: %s says the file changed" % cmd, PLAN in err and "shrank" in err, err)
        check("shrinking file: %s leaves no archive" % cmd, not os.path.exists(os.path.join(work, "s.tar.zst")))
    os.unlink(path)


def many_files(renkei, work):
    """100,000 files in one directory: copies of one plan under distinct timestamps."""
    d = os.path.join(work, "many")
    os.mkdir(d)
    data = open(os.path.join(SAMPLE, PLAN), "rb").read()
    n = 100000
    for i in range(n):
        # a distinct ファイル作成日時 per file: the name stays in the grammar
        name = "UPPLAN_202511_1310100019_43_1371100015_11_2025%02d%02d%02d%02d%02d.CSV" % (
            1 + i // 28800 % 12, 1 + i // 1440 % 20, i // 60 % 24, i % 60, 0)
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    names = len(os.listdir(d))
    check("100,000 files: all distinct names", names == n, str(names))
    rc, out, err, _ = run([renkei, "validate", "--format", "json", d])
    check("100,000 files: validate finishes", rc is not None and rc in (0, 1), "%s %s" % (rc, err[:300]))
    if rc in (0, 1):
        doc = json.loads(out)
        check("100,000 files: every file validated", len(doc["files"]) == n, str(len(doc["files"])))
    arc = os.path.join(work, "many.tar.zst")
    rc, _, err, _ = run([renkei, "seal", "-o", arc, d])
    check("100,000 files: seal", rc == 0, "%s %s" % (rc, err[:300]))
    rc, out, err, _ = run([renkei, "verify", "--no-signer-check", "--format", "json", arc])
    check("100,000 files: verify", rc == 0, "%s %s" % (rc, err[:300]))
    if shutil.which("tar") and rc == 0:
        p = subprocess.run(["tar", "--zstd", "-tf", arc], capture_output=True)
        listed = [x for x in p.stdout.decode().split("\n") if x.endswith(".CSV")]
        check("100,000 files: GNU tar lists every member", len(listed) == n, str(len(listed)))
    shutil.rmtree(d)
    os.unlink(arc)


def over_4gib(renkei, work):
    """Record 1 (the sample's first), 4.2 GB of NUL as record 2, then record 3 past 4 GiB with a bad date."""
    d = os.path.join(work, "big")
    os.mkdir(d)
    path = os.path.join(d, PLAN)
    first = open(os.path.join(SAMPLE, PLAN), "rb").read().split(b"\n")[0] + b"\n"
    rec = first.rstrip(b"\r\n").split(b",")
    rec[9] = b"20251199"
    late = b",".join(rec) + b"\r\n"
    at = (4 << 30) + 12345
    with open(path, "wb") as f:
        f.write(first)
        f.seek(at - 1)
        f.write(b"\n" + late)
    rc, out, err, _ = run([renkei, "validate", "--format", "json", "--max-per-rule", "0", path])
    check("over 4 GiB: validate finishes", rc == 1, "%s %s" % (rc, err))
    if rc == 1:
        doc = json.loads(out)
        f = doc["files"][0]
        check("over 4 GiB: its size", f["bytes"] == at + len(late), str(f["bytes"]))
        check("over 4 GiB: three records", f["records"] == 3, str(f["records"]))
        dates = [x for x in doc["findings"] if x["rule"] == "RK-REC-005"]
        check("over 4 GiB: the bad date past 4 GiB is found", len(dates) == 1, str(dates))
        if dates:
            x = dates[0]
            check("over 4 GiB: at its record and line", x["record"] == 3 and x["line"] == 3, str(x))
            check("over 4 GiB: at its byte offset (64-bit)", x["byte_offset"] == at + len(b",".join(rec[:9])) + 1,
                  str(x["byte_offset"]))
        nul = [x for x in doc["findings"] if x["rule"] == "RK-CSV-005"]
        check("over 4 GiB: the run of NULs is reported where it starts", nul and nul[0]["byte_offset"] == len(first),
              str(nul[:2]))
        check("over 4 GiB: the run of NULs is a finding per 4 GiB at most", 1 <= len(nul) <= 2, str(len(nul)))
    os.unlink(path)


def floods(renkei, work):
    """64 MB of one byte, or random, as a 第6表: in time and in bounded memory."""
    d = os.path.join(work, "flood")
    os.mkdir(d)
    path = os.path.join(d, PLAN)
    size = 64 << 20
    # ASan's shadow and quarantine take their own share
    ldd = subprocess.run(["ldd", renkei], capture_output=True, text=True).stdout
    slack = (768 if "libasan" in ldd else 256) * 1024
    rnd = random.Random(31)
    kinds = [("NUL", b"\0"), ("comma", b","), ("quote", b'"'), ("CR", b"\r"), ("LF", b"\n"),
             ("random", None)]
    for label, byte in kinds:
        with open(path, "wb") as f:
            if byte is None:
                f.write(rnd.randbytes(size))
            else:
                f.write(byte * size)
        for cmd in ("validate", "check"):
            rc, _, err, peak = run([renkei, cmd, path])
            check("%s flood: %s finishes" % (label, cmd), rc is not None, "hung")
            check("%s flood: %s reports it (exit 1)" % (label, cmd), rc == 1, "%s %s" % (rc, err[:300]))
            # the file's own pages count in RSS; anything per byte would be a multiple of it
            check("%s flood: %s peak memory bounded" % (label, cmd), peak < (size >> 10) + slack,
                  "%d KiB" % peak)
    os.unlink(path)


def main():
    renkei = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="rk-hostile-")
    os.chmod(work, 0o755)
    try:
        not_regular(renkei, work)
        shrinking(renkei, work)
        over_4gib(renkei, work)
        floods(renkei, work)
        many_files(renkei, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
