#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The rules of the house (DESIGN.md §3), checked on the source tree:

- engine/ knows machinery and nothing of a particular field: no string
  literal that is a file kind, a CSV version or the 000000 month segment of
  the standard, and no item number handed to rk_item / rk_item_fixed;
- formats/ knows the standard and nothing of threads or CPUs: no SIMD
  intrinsics or their headers, no CPU feature checks, no inline assembly,
  no OpenMP, pthreads or atomics;
- no source file but a generated one passes 1,000 lines;
- every source file names its licence (SPDX-License-Identifier: Apache-2.0).

usage: tests/house_rules.py [ROOT]   (exit 0 when every rule holds)
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, summary  # noqa: E402

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
MAX_LINES = 1000
SOURCE_DIRS = ["engine", "formats", "bench", "tests", "corpus"]
SOURCE_EXT = (".c", ".h", ".py", ".sh", ".mjs")


def strip_comments(text):
    """C source without its comments (string literals kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def sources(top, exts=(".c", ".h")):
    for d, _, names in os.walk(os.path.join(ROOT, top)):
        for name in sorted(names):
            if name.endswith(exts):
                yield os.path.join(d, name)


def standard_literals():
    """File kinds and CSV versions as formats/careplan/kinds.c defines them."""
    text = open(os.path.join(ROOT, "formats/careplan/kinds.c"), encoding="utf-8").read()
    kinds = set(re.findall(r'\{"((?:UP|DLT)[A-Z0-9_]+)"', text))
    versions = set(re.findall(r'\{"(\d{6})", "\d{6}", RK_LAYOUT_V\d\}', text))
    return kinds, versions


def item_numbers(code):
    """(position, call) of each rk_item / rk_item_fixed call whose item (its third argument) is a number."""
    for m in re.finditer(r"\brk_item(?:_fixed)?\s*\(", code):
        depth, args, cur, i = 1, [], "", m.end()
        while i < len(code) and depth:
            c = code[i]
            depth += c == "("
            depth -= c == ")"
            if depth and not (c == "," and depth == 1):
                cur += c
            elif depth:
                args.append(cur.strip())
                cur = ""
            i += 1
        args.append(cur.strip())
        if len(args) >= 3 and re.fullmatch(r"\d+u?", args[2]):
            yield m.start(), code[m.start():i]


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def rel(path):
    return os.path.relpath(path, ROOT)


def engine_rules():
    kinds, versions = standard_literals()
    check("kinds.c lists the file kinds", len(kinds) >= 15, "found %d" % len(kinds))
    check("kinds.c lists the CSV versions", len(versions) >= 2, "found %d" % len(versions))
    forbidden = kinds | versions | {"000000"}
    literal = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
    bad_literals, bad_items = [], []
    for path in sources("engine"):
        code = strip_comments(open(path, encoding="utf-8").read())
        for m in literal.finditer(code):
            if m.group(1) in forbidden:
                bad_literals.append("%s:%d: \"%s\"" % (rel(path), line_of(code, m.start()), m.group(1)))
        for pos, call in item_numbers(code):
            bad_items.append("%s:%d: %s" % (rel(path), line_of(code, pos), call))
    check("engine/ holds no file-kind, CSV-version or month-segment literal", not bad_literals,
          "\n  " + "\n  ".join(bad_literals))
    check("engine/ reads no item by its number", not bad_items, "\n  " + "\n  ".join(bad_items))


FORMATS_FORBIDDEN = [
    (r"#\s*include\s*<\w*intrin\.h>", "an intrinsics header"),
    (r"\b_mm\d*_\w+\s*\(", "a SIMD intrinsic"),
    (r"\b__m(?:128|256|512)\w*\b", "a SIMD vector type"),
    (r"__builtin_cpu_(?:supports|init|is)", "a CPU feature check"),
    (r"\b__asm__\b|\basm\s*\(", "inline assembly"),
    (r"#\s*pragma\s+omp\b|#\s*include\s*<omp\.h>|\bomp_\w+\s*\(", "OpenMP"),
    (r"\bpthread_\w+|#\s*include\s*<pthread\.h>|<threads\.h>", "threads"),
    (r"\b_Atomic\b|\b__atomic_\w+|\b__sync_\w+|<stdatomic\.h>", "atomics"),
    (r'__attribute__\s*\(\(\s*target\s*\(', "a target attribute"),
]


def formats_rules():
    bad = []
    for path in sources("formats"):
        code = strip_comments(open(path, encoding="utf-8").read())
        for pattern, what in FORMATS_FORBIDDEN:
            for m in re.finditer(pattern, code):
                bad.append("%s:%d: %s (%s)" % (rel(path), line_of(code, m.start()), what, m.group(0)))
    check("formats/ holds no intrinsic, CPU check, assembly or thread code", not bad, "\n  " + "\n  ".join(bad))


def generated(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        head = f.read(400)
    return "GENERATED by" in head


def size_rule():
    long_files = []
    for top in SOURCE_DIRS:
        for path in sources(top, SOURCE_EXT):
            if generated(path):
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                n = sum(1 for _ in f)
            if n > MAX_LINES:
                long_files.append("%s: %d lines" % (rel(path), n))
    check("no hand-written source file passes %d lines" % MAX_LINES, not long_files, "\n  " + "\n  ".join(long_files))


def licence_rule():
    bare = []
    for top in SOURCE_DIRS:
        for path in sources(top, SOURCE_EXT):
            with open(path, encoding="utf-8", errors="replace") as f:
                head = f.read(300)
            if "SPDX-License-Identifier: Apache-2.0" not in head:
                bare.append(rel(path))
    check("every source file has its SPDX licence line", not bare and os.path.exists(os.path.join(ROOT, "LICENSE")),
          "\n  " + "\n  ".join(bare))


def self_test():
    """The patterns find what they are for (a rule that cannot fail proves nothing)."""
    code = strip_comments('/* "UPPLAN" */ x = "UPPLAN"; rk_item(buf, rec, 15, &p, &n); // "000000"\n')
    check("self-test: a kind literal outside comments is seen", code.count('"UPPLAN"') == 1)
    check("self-test: comments are dropped", "000000" not in code)
    check("self-test: an item number is seen", len(list(item_numbers(code))) == 1)
    check("self-test: an item named by a constant passes",
          not list(item_numbers("rk_item(buf, rec, RK_VERSION_ITEM, &p, &n); rk_item_fixed(b, r, f(1), t, 8);")))
    found = [what for pattern, what in FORMATS_FORBIDDEN
             if re.search(pattern, "#include <immintrin.h>\n__m512i v = _mm512_set1_epi8(1); #pragma omp parallel")]
    check("self-test: intrinsics and OpenMP are seen", {"an intrinsics header", "a SIMD intrinsic", "OpenMP"} <= set(found))


if __name__ == "__main__":
    self_test()
    engine_rules()
    formats_rules()
    size_rule()
    licence_rule()
    sys.exit(summary())
