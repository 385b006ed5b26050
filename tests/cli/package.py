#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""renkei installs as a package others build against: `cmake --install` into a
fresh prefix, then README's example built by a project that says only
find_package(renkei) and target_link_libraries(... renkei::renkei), and again
by pkg-config; both run on the sample month. The installed `renkei check`
finds the installed master.

usage: package.py BUILD_DIR [CFLAGS]   (CFLAGS: the build's sanitizer flags, if any)
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, summary  # noqa: E402


def main():
    build = sys.argv[1]
    flags = sys.argv[2] if len(sys.argv) > 2 else ""
    code = re.search(r"<!-- api-example -->\n```c\n(.*?)```", open("README.md", encoding="utf-8").read(), re.S)
    with tempfile.TemporaryDirectory() as d:
        prefix = os.path.join(d, "prefix")
        p = subprocess.run(["cmake", "--install", build, "--prefix", prefix], capture_output=True)
        check("cmake --install into a fresh prefix", p.returncode == 0, p.stderr[-300:])
        # The installed program finds its installed master from any directory, never the current one.
        month = os.path.abspath("corpus/check/scenario")
        r = subprocess.run([os.path.join(prefix, "bin", "renkei"), "check", "-f", "jsonl", month], capture_output=True,
                           cwd=d, env={k: v for k, v in os.environ.items() if k != "RENKEI_MASTER"})
        check("the installed check finds share/renkei/master.csv from another directory",
              os.path.isfile(os.path.join(prefix, "share", "renkei", "master.csv")) and r.returncode == 1 and
              b'"RK-CHK-013"' in r.stdout and b"no service-code master" not in r.stderr, r.stderr[-300:])
        proj = os.path.join(d, "consumer")
        os.mkdir(proj)
        open(os.path.join(proj, "example.c"), "w", encoding="utf-8").write(code.group(1))
        open(os.path.join(proj, "CMakeLists.txt"), "w").write(
            "cmake_minimum_required(VERSION 3.18)\nproject(consumer C)\nfind_package(renkei 0.1 REQUIRED)\n"
            "add_executable(example example.c)\ntarget_link_libraries(example PRIVATE renkei::renkei)\n")
        b = os.path.join(proj, "b")
        cfg = subprocess.run(["cmake", "-S", proj, "-B", b, "-DCMAKE_PREFIX_PATH=" + prefix,
                              "-DCMAKE_C_FLAGS=" + flags, "-DCMAKE_EXE_LINKER_FLAGS=" + flags], capture_output=True)
        bld = subprocess.run(["cmake", "--build", b], capture_output=True) if cfg.returncode == 0 else cfg
        check("find_package(renkei) and renkei::renkei build the example", bld.returncode == 0,
              (cfg.stderr + bld.stdout)[-600:])
        libdir = [os.path.join(prefix, x) for x in ("lib", "lib64") if os.path.isdir(os.path.join(prefix, x))]
        libdir += [os.path.join(prefix, "lib", x) for x in os.listdir(os.path.join(prefix, "lib"))
                   if os.path.isdir(os.path.join(prefix, "lib", x)) and x != "cmake" and x != "pkgconfig"] \
            if os.path.isdir(os.path.join(prefix, "lib")) else []
        env = dict(os.environ, LD_LIBRARY_PATH=":".join(libdir))
        if bld.returncode == 0:
            r = subprocess.run([os.path.join(b, "example"), "corpus/sample"], capture_output=True, env=env)
            check("the example built from the package validates the sample month", r.returncode == 0 and
                  b"16 files" in r.stderr, r.stderr[-200:])
        pcdir = [os.path.join(root, "pkgconfig") for root in libdir + [os.path.join(prefix, "lib")]
                 if os.path.isdir(os.path.join(root, "pkgconfig"))]
        pc = subprocess.run(["pkg-config", "--cflags", "--libs", "renkei"], capture_output=True, text=True,
                            env=dict(env, PKG_CONFIG_PATH=":".join(pcdir)))
        exe = os.path.join(d, "example-pc")
        cc = subprocess.run(["cc", os.path.join(proj, "example.c"), "-o", exe] + flags.split() + pc.stdout.split(),
                            capture_output=True)
        r = subprocess.run([exe, "corpus/sample"], capture_output=True, env=env) if cc.returncode == 0 else cc
        check("pkg-config renkei builds it too", pc.returncode == 0 and cc.returncode == 0 and r.returncode == 0,
              (pc.stderr, cc.stderr[-300:]))
    return summary()


if __name__ == "__main__":
    sys.exit(main())
