#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""README's library example compiles against the built library and behaves as
`renkei validate` does on a month directory (rk_validate_paths expands it).

usage: api_example.py LIBRENKEI_A RENKEI [CFLAGS]   (CFLAGS: the build's sanitizer flags, if any)
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, summary  # noqa: E402


def main():
    lib, renkei = sys.argv[1], sys.argv[2]
    extra = sys.argv[3].split() if len(sys.argv) > 3 else []
    readme = open("README.md", encoding="utf-8").read()
    m = re.search(r"<!-- api-example -->\n```c\n(.*?)```", readme, re.S)
    check("README has the example", m is not None)
    if not m:
        return summary()
    with tempfile.TemporaryDirectory() as d:
        src, exe = os.path.join(d, "example.c"), os.path.join(d, "example")
        open(src, "w", encoding="utf-8").write(m.group(1))
        libs = subprocess.run(["pkg-config", "--libs", "libzstd", "libxxhash", "libcrypto"], capture_output=True,
                              text=True).stdout.split()
        cc = subprocess.run(["cc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-Iengine/include", src, lib, "-o", exe,
                             "-fopenmp", "-lm"] + extra + libs, capture_output=True)
        check("the example compiles without a warning", cc.returncode == 0, cc.stderr.decode()[-800:])
        if cc.returncode:
            return summary()
        for month, want in (("corpus/sample", 0), ("corpus/conformance/cond-001-tais", 1)):
            ex = subprocess.run([exe, month], capture_output=True)
            cli = subprocess.run([renkei, "validate", "--format", "jsonl", "-q", month], capture_output=True)
            check("the example on %s: exit %d and the findings of renkei validate" % (month, want),
                  ex.returncode == want == cli.returncode and ex.stdout == cli.stdout,
                  (ex.returncode, cli.returncode, ex.stderr[-200:]))
    return summary()


if __name__ == "__main__":
    sys.exit(main())
