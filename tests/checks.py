# SPDX-License-Identifier: Apache-2.0
"""The pass/fail counter the Python test scripts share: check() records one
result (printing the failures), summary() prints the closing line CI reads
and returns the exit status."""

_counts = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    if ok:
        _counts["passed"] += 1
    else:
        _counts["failed"] += 1
        print("FAIL %s %s" % (name, detail))


def summary():
    print("%d passed, %d failed" % (_counts["passed"], _counts["failed"]))
    return 1 if _counts["failed"] else 0
