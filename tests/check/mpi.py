#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`renkei check --mpi` and `renkei validate --mpi` under mpirun: on a generated month of many offices
(copies, re-sent versions, deletes), on the scenario month and on two large
files, rank 0's output (standard output and -o FILE) must be the output of
one process byte for byte, and the exit status the same, for 2, 3 and 4
ranks, with exchanges cut into many rounds (RENKEI_MPI_PIECE) and small
chunks; validate's report in every format, on the month and on the
conformance files (findings of every kind, send units). A path no rank can
read stops every rank with one message.

usage: mpi.py RENKEI GEN_CORPUS MPIRUN
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, summary  # noqa: E402

MASTER = "corpus/master/master.csv"
OFFICES = "corpus/master/offices.csv"


def env(piece=None):
    e = dict(os.environ)
    e["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none"  # containers without ptrace between ranks
    e["ASAN_OPTIONS"] = e.get("ASAN_OPTIONS", "") + ":detect_leaks=0"  # Open MPI's own allocations
    if piece:
        e["RENKEI_MPI_PIECE"] = str(piece)
    return e


def one(renkei, args, cmd="check"):
    master = ["--master", MASTER] if cmd == "check" else []
    return subprocess.run([renkei, cmd] + master + args, capture_output=True, env=env())


def ranks(mpirun, n, renkei, args, piece=None, cmd="check"):
    master = ["--master", MASTER] if cmd == "check" else []
    return subprocess.run([mpirun, "--oversubscribe", "--allow-run-as-root", "-n", str(n), renkei, cmd, "--mpi"] +
                          master + args, capture_output=True, env=env(piece), timeout=600)


def same(name, mpirun, renkei, args, counts=(2, 3, 4), piece=None, cmd="check"):
    ref = one(renkei, args, cmd)
    check(name + ": one process runs", ref.returncode in (0, 1), ref.stderr.decode()[-400:])
    for n in counts:
        got = ranks(mpirun, n, renkei, args, piece, cmd)
        check("%s: %d ranks, the exit status of one process" % (name, n), got.returncode == ref.returncode,
              "%d against %d: %s" % (got.returncode, ref.returncode, got.stderr.decode()[-600:]))
        check("%s: %d ranks, the output of one process" % (name, n), got.stdout == ref.stdout,
              "%d bytes against %d" % (len(got.stdout), len(ref.stdout)))


def main():
    renkei, gen, mpirun = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as t:
        month = os.path.join(t, "gm")
        subprocess.run([gen, "month", month, "1500", "12", "40"], check=True, capture_output=True)
        offices = month + ".offices.csv"
        nfiles = len(os.listdir(month))
        check("the generated month has many files", nfiles > 500, str(nfiles))
        same("month", mpirun, renkei, ["--offices", offices, "--format", "json", month], piece=4096)
        same("month, jobs 2, chunks of 4 KiB, jsonl", mpirun, renkei,
             ["--offices", offices, "--jobs", "2", "--chunk-size", "4096", "--format", "jsonl", month], counts=(3,))
        same("scenario", mpirun, renkei, ["--offices", OFFICES, "--format", "json", "corpus/check/scenario"],
             counts=(3,), piece=100)

        big = os.path.join(t, "big")
        os.mkdir(big)
        subprocess.run([gen, "UPPLAN", "20", os.path.join(big, "UPPLAN_202511_1310100019_43_1371100015_11_20251025103000.CSV"),
                        "7"], check=True, capture_output=True)
        subprocess.run([gen, "UPJSK", "20", os.path.join(big, "UPJSK_202511_1371100015_11_1310100019_43_20251203083000.CSV"),
                        "7"], check=True, capture_output=True)
        same("two 20 MB files, 3 ranks (one reads nothing)", mpirun, renkei, ["--format", "jsonl", big], counts=(3,),
             piece=1 << 16)

        for fmt in ("text", "json", "jsonl", "sarif"):
            same("validate, " + fmt, mpirun, renkei, ["--format", fmt, month], counts=(3,), piece=1000, cmd="validate")
        same("validate the conformance files", mpirun, renkei,
             ["--max-per-rule", "0", "--format", "json", "corpus/conformance"], cmd="validate")
        same("validate the conformance files, jobs 1, chunks of 64 bytes", mpirun, renkei,
             ["--jobs", "1", "--chunk-size", "64", "--format", "jsonl", "corpus/conformance"], counts=(3,),
             cmd="validate")

        out = os.path.join(t, "out.json")
        ref = one(renkei, ["--offices", offices, "--format", "json", month])
        got = ranks(mpirun, 3, renkei, ["--offices", offices, "--format", "json", "-o", out, month])
        check("-o FILE: rank 0 writes the file", os.path.exists(out) and open(out, "rb").read() == ref.stdout,
              got.stderr.decode()[-400:])
        check("-o FILE: nothing on standard output", got.stdout == b"")
        check("-o FILE: no temporary file left", sorted(os.listdir(t)) == sorted(["gm", "gm.offices.csv", "gm.expected.tsv",
                                                                                "big", "out.json"]),
              str(os.listdir(t)))

        missing = os.path.join(t, "nowhere", "UPPLAN_202511_1310100019_43_1371100015_11_20251025103000.CSV")
        ref = one(renkei, [month, missing])
        got = ranks(mpirun, 3, renkei, [month, missing])
        check("a missing path: exit 3 on every rank", got.returncode == 3 and ref.returncode == 3,
              "%d %d" % (got.returncode, ref.returncode))
        msg = got.stderr.decode()
        check("a missing path: named once, as one process names it",
              msg.count("renkei check:") == 1 and ref.stderr.decode().strip() in msg, msg[-600:])
        ref = one(renkei, [month, missing], "validate")
        got = ranks(mpirun, 3, renkei, [month, missing], cmd="validate")
        check("validate, a missing path: the exit status and report of one process",
              got.returncode == ref.returncode == 3 and got.stdout == ref.stdout, "%d %d" % (got.returncode, ref.returncode))
        msg = got.stderr.decode()
        check("validate, a missing path: named once", msg.count("renkei validate:") == 1, msg[-600:])
    return summary()


if __name__ == "__main__":
    sys.exit(main())
