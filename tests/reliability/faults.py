#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Faults while renkei writes its outputs:

- kill -9 while `validate -o` and `seal -o` write: nothing under the final
  name, and (where the file system has unnamed temporary files, O_TMPFILE)
  nothing under any other name either;
- the disk fills (a 1 MiB tmpfs, when the test runs as root and may mount):
  exit 3, a message naming the output and the cause, no file left;
- check --max-memory with a TMPDIR it cannot write: exit 3, where and why;
- the order on disk (strace, when installed): the output is fsynced before
  it gets its name, and its directory is fsynced after the rename.

usage: faults.py RENKEI
"""
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

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PLAN = "UPPLAN_202511_1310100019_43_1371100015_11_20251025103000.CSV"


def bad_plan(path, records):
    """A 第6表 whose every record has an impossible サービス利用日 (one finding each)."""
    src = os.path.join(ROOT, "corpus", "sample", PLAN)
    rec = open(src, "rb").read().split(b"\n")[0].rstrip(b"\r").split(b",")
    rec[9] = b"20251199"
    line = b",".join(rec) + b"\r\n"
    with open(path, "wb") as f:
        for _ in range(records // 1000):
            f.write(line * 1000)


def output_fds(pid, outdir):
    """The process's descriptors open in outdir, as /proc shows them."""
    found = []
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                continue
            if link.startswith(outdir + "/"):
                found.append(link)
    except OSError:
        pass
    return found


def kill_while_writing(name, make_cmd, final, outdir, is_output):
    """Runs the command, kills it (SIGKILL) once it has its output open, and
    checks what is left. make_cmd(scale) builds the command for a bigger
    input when the process finishes before it is caught."""
    for scale in (1, 3, 9):
        for f in os.listdir(outdir):
            os.unlink(os.path.join(outdir, f))
        cmd = make_cmd(scale)
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        caught = None
        while p.poll() is None:
            links = [x for x in output_fds(p.pid, outdir) if is_output(x)]
            if links:
                os.kill(p.pid, signal.SIGKILL)
                caught = links[0]
                break
            time.sleep(0.0005)
        p.wait()
        if caught is None:
            continue
        check(name + ": killed (SIGKILL) while writing", p.returncode == -signal.SIGKILL, str(p.returncode))
        check(name + ": nothing under the final name", not os.path.exists(final), caught)
        left = os.listdir(outdir)
        if "(deleted)" in caught:  # an unnamed temporary: nothing at all may be left
            check(name + ": no temporary file left", left == [], str(left))
        else:
            print("note: %s: the file system has no unnamed temporaries (%s); left: %s" % (name, caught, left))
        return
    check(name + ": the output was caught open before the run ended", False, "raise the input size")


def disk_full(renkei, work):
    if os.geteuid() != 0:
        print("skip: disk full: not root (a tmpfs cannot be mounted)")
        return
    mnt = os.path.join(work, "small")
    os.mkdir(mnt)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt], capture_output=True).returncode:
        print("skip: disk full: mount is not permitted here")
        return
    try:
        src = os.path.join(work, "in")
        os.mkdir(src)
        bad_plan(os.path.join(src, PLAN), 20000)  # ~10 MB of JSON findings
        out = os.path.join(mnt, "findings.json")
        p = subprocess.run([renkei, "validate", "--format", "json", "--max-per-rule", "0", "-o", out, src],
                           capture_output=True)
        err = p.stderr.decode("utf-8", "replace")
        check("disk full: validate -o exits 3", p.returncode == 3, "%d %s" % (p.returncode, err))
        check("disk full: validate names the output", out in err, err)
        check("disk full: no findings file, whole or partial", os.listdir(mnt) == [], str(os.listdir(mnt)))
        big = os.path.join(work, "big")
        os.mkdir(big)
        with open(os.path.join(big, PLAN), "wb") as f:
            f.write(os.urandom(4 << 20))  # incompressible: the archive passes 1 MiB
        arc = os.path.join(mnt, "month.tar.zst")
        p = subprocess.run([renkei, "seal", "-o", arc, big], capture_output=True)
        err = p.stderr.decode("utf-8", "replace")
        check("disk full: seal -o exits 3", p.returncode == 3, "%d %s" % (p.returncode, err))
        check("disk full: seal says why", "No space left on device" in err, err)
        check("disk full: no archive, whole or partial", os.listdir(mnt) == [], str(os.listdir(mnt)))
    finally:
        subprocess.run(["umount", mnt])


def syscalls(renkei, work, cmd, final):
    """strace's record of cmd: the output synced, then named, then its directory synced."""
    log = os.path.join(work, "strace.log")
    env = dict(os.environ)  # LeakSanitizer cannot run under ptrace
    env["ASAN_OPTIONS"] = ":".join(x for x in (env.get("ASAN_OPTIONS", ""), "detect_leaks=0") if x)
    p = subprocess.run(["strace", "-f", "-qq", "-o", log, "-e",
                        "trace=openat,linkat,rename,renameat,renameat2,fsync,fdatasync,close"] + cmd,
                       capture_output=True, env=env)
    check("strace: %s ran" % cmd[1], p.returncode in (0, 1), p.stderr.decode("utf-8", "replace"))
    fds, synced, renamed, dir_synced = {}, set(), False, False
    outdir = os.path.dirname(final)
    for line in open(log, encoding="utf-8", errors="replace"):
        m = re.search(r'openat\(AT_FDCWD, "([^"]*)", ([^)]*)\) += (\d+)', line)
        if m:
            fds[m.group(3)] = (m.group(1), m.group(2))
            continue
        m = re.search(r"\bf(?:data)?sync\((\d+)\) += 0", line)
        if m and m.group(1) in fds:
            path, flags = fds[m.group(1)]
            if renamed and path.rstrip("/") == outdir and "O_DIRECTORY" in flags:
                dir_synced = True
            elif not renamed and path.startswith(outdir):
                synced.add(m.group(1))
            continue
        m = re.search(r'rename(?:at2?)?\((?:AT_FDCWD, )?"[^"]*", (?:AT_FDCWD, )?"([^"]*)"', line)
        if m and m.group(1) == final:
            check("strace: %s: the output is fsynced before its rename" % cmd[1], bool(synced), line)
            renamed = True
    check("strace: %s: renamed to the final name" % cmd[1], renamed)
    check("strace: %s: the directory is fsynced after the rename" % cmd[1], dir_synced)


def main():
    renkei = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="rk-faults-")
    try:
        src = os.path.join(work, "month")
        os.mkdir(src)
        outdir = os.path.join(work, "out")
        os.mkdir(outdir)

        def findings_cmd(scale):
            bad_plan(os.path.join(src, PLAN), 100000 * scale)
            return [renkei, "validate", "--format", "json", "--max-per-rule", "0", "-o",
                    os.path.join(outdir, "findings.json"), src]

        kill_while_writing("validate -o", findings_cmd, os.path.join(outdir, "findings.json"), outdir,
                           lambda link: "findings.json" in link or "#" in link)
        os.unlink(os.path.join(src, PLAN))

        def seal_cmd(scale):
            with open(os.path.join(src, PLAN), "wb") as f:
                f.write(os.urandom(64 << 20) * scale)
            return [renkei, "seal", "-o", os.path.join(outdir, "month.tar.zst"), src]

        # the archive itself, not the compressed members' spill file (.renkei-seal.*)
        kill_while_writing("seal -o", seal_cmd, os.path.join(outdir, "month.tar.zst"), outdir,
                           lambda link: "month.tar.zst" in link or ("#" in link and ".renkei-seal" not in link))
        os.unlink(os.path.join(src, PLAN))

        disk_full(renkei, work)

        # check's rows written out where they cannot be: exit 3, saying where and why
        gone = os.path.join(work, "no-such-dir")
        env = dict(os.environ, TMPDIR=gone)
        p = subprocess.run([renkei, "check", "--max-memory", "64K", os.path.join(ROOT, "corpus", "check", "month")],
                           capture_output=True, env=env)
        err = p.stderr.decode("utf-8", "replace")
        check("check --max-memory: an unusable TMPDIR exits 3", p.returncode == 3, "%d %s" % (p.returncode, err))
        check("check --max-memory: says where and why", gone in err and "No such file" in err, err)

        if shutil.which("strace"):
            sample = os.path.join(ROOT, "corpus", "sample")
            final = os.path.join(outdir, "report.json")
            syscalls(renkei, work, [renkei, "validate", "--format", "json", "-o", final, sample], final)
            final = os.path.join(outdir, "sample.tar.zst")
            syscalls(renkei, work, [renkei, "seal", "-o", final, sample], final)
        else:
            print("skip: strace is not installed")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
