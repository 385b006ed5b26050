#!/usr/bin/env python3
"""CLI habits users bring from GNU tools and CI: options after the paths, no
input is a failure, files that are not the exchange's are skipped and said
so (not findings), --include / --exclude, -q / -v.

usage: habits.py RENKEI
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

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
    return summary()


if __name__ == "__main__":
    sys.exit(main())
