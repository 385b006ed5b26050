#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The man pages and shell completions (engine/cli/gen_docs.py) agree with the
program: a page per command that groff renders without a warning and that
lists every option of the command's --help; bash completion offers the
commands and each command's options; `cmake --install` puts them in place.

usage: docs.py RENKEI
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from checks import check, summary  # noqa: E402


def main():
    renkei = os.path.abspath(sys.argv[1])
    top = subprocess.run([renkei, "--help"], capture_output=True).stdout.decode()
    cmds = [l.split()[0] for l in top.split("commands:")[1].split("\n\n")[0].splitlines() if l.strip()]
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([sys.executable, os.path.join(HERE, "..", "..", "engine", "cli", "gen_docs.py"), renkei, d],
                       check=True)
        pages = sorted(os.listdir(os.path.join(d, "man1")))
        check("a man page per command and one for renkei",
              pages == sorted(["renkei.1"] + ["renkei-%s.1" % c for c in cmds]), pages)
        for c in cmds:
            page = os.path.join(d, "man1", "renkei-%s.1" % c)
            text = subprocess.run([renkei, c, "--help"], capture_output=True).stdout.decode()
            opts = set(re.findall(r"^\s+(?:-\w,\s+)?(--[\w-]+)", text, re.M))
            if shutil.which("groff"):
                g = subprocess.run(["groff", "-k", "-man", "-Tutf8", "-ww", page], capture_output=True)
                shown = g.stdout.decode(errors="replace").replace("\u2010", "-").replace("\u2212", "-")
                check("renkei-%s.1 renders without warnings and lists every option" % c,
                      g.returncode == 0 and not g.stderr and opts and all(o in shown for o in opts),
                      (g.stderr[:200], [o for o in opts if o not in shown]))
        bash = os.path.join(d, "bash", "renkei")
        script = ('source %s; COMP_WORDS=(renkei ch); COMP_CWORD=1; _renkei; echo "${COMPREPLY[*]}"; '
                  'COMP_WORDS=(renkei check --ma); COMP_CWORD=2; _renkei; echo "${COMPREPLY[*]}"' % bash)
        out = subprocess.run(["bash", "-c", script], capture_output=True).stdout.decode().splitlines()
        check("bash completion: commands, then a command's options",
              len(out) == 2 and out[0] == "check" and set(out[1].split()) == {"--master", "--max-memory", "--max-per-rule"}, out)
        if shutil.which("zsh"):
            z = subprocess.run(["zsh", "-n", os.path.join(d, "zsh", "_renkei")], capture_output=True)
            check("zsh completion parses", z.returncode == 0, z.stderr)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
