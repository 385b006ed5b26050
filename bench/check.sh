#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmarks renkei check on a generated month: UPPLAN and UPJSK of the same
# people (the generator is seeded alike, so plan and actual agree), SIZE_MB in
# all. Reports MB/s, records/s and peak RSS at 1 and 2 threads and the memory
# per million records, beside cat and wc -l on the same files in the same run.
# Where DuckDB's node package is installed (npm i @duckdb/node-api in bench/),
# the same join and sums run in SQL on the same data in UTF-8, and both times
# are printed.
#
# With MAXMEM=SIZE (e.g. 512M) the runs are repeated with --max-memory SIZE:
# the month's rows written out and judged a part at a time; their output is
# compared with the in-memory run's.
#
# With MPI=N the month is also checked by N MPI ranks (renkei check --mpi).
#
# usage: bench/check.sh [SIZE_MB]   (default 1000; needs a Release build in build/)
set -euo pipefail
cd "$(dirname "$0")/.."
B=${B:-build} # B=DIR: the build to time (its renkei and gen_corpus)
MB=${1:-1000}
D=bench/data/checkmonth
trap 'rm -rf "$D"' EXIT
rm -rf "$D"
mkdir -p "$D"
half=$((MB / 2))
$B/gen_corpus UPPLAN $half "$D/UPPLAN_202511_1310100019_43_1371100015_11_20251025103000.CSV" 7 2>/dev/null
$B/gen_corpus UPJSK $half "$D/UPJSK_202511_1371100015_11_1310100019_43_20251203083000.CSV" 7 2>/dev/null
bytes=$(du -sb "$D" | cut -f1)
cat "$D"/* >/dev/null
recs=$(cat "$D"/* | wc -l)

secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N); python3 -c "print($t1-$t0)"; }
best() { local b=""; for _ in 1 2 3; do t=$(secs "$@"); b=$(python3 -c "print(min($t, ${b:-1e9}))"); done; echo "$b"; }
rss() { { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null || true; } | tail -1; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); month: $bytes bytes, $recs records"
echo
echo "| job | jobs | MB/s | records/s | peak RSS MiB | MiB per million records |"
echo "|---|---|---|---|---|---|"
t=$(best cat "$D"/UPPLAN_*.CSV "$D"/UPJSK_*.CSV)
echo "| cat (floor) | 1 | $(python3 -c "print(round($bytes/$t/1e6))") | | | |"
t=$(best wc -l "$D"/UPPLAN_*.CSV "$D"/UPJSK_*.CSV)
echo "| wc -l (floor) | 1 | $(python3 -c "print(round($bytes/$t/1e6))") | $(python3 -c "print(round($recs/$t))") | | |"
for j in 1 2; do
  t=$(best $B/renkei check --jobs $j --format jsonl "$D")
  m=$(rss $B/renkei check --jobs $j --format jsonl "$D")
  echo "| renkei check | $j | $(python3 -c "print(round($bytes/$t/1e6))") | $(python3 -c "print(round($recs/$t))") | $((m / 1024)) | $(python3 -c "print(round($m/1024/($recs/1e6)))") |"
done
if [ -n "${MAXMEM:-}" ]; then
  for j in 1 2; do
    t=$(best $B/renkei check --jobs $j --max-memory "$MAXMEM" --format jsonl "$D")
    m=$(rss $B/renkei check --jobs $j --max-memory "$MAXMEM" --format jsonl "$D")
    echo "| renkei check --max-memory $MAXMEM | $j | $(python3 -c "print(round($bytes/$t/1e6))") | $(python3 -c "print(round($recs/$t))") | $((m / 1024)) | $(python3 -c "print(round($m/1024/($recs/1e6)))") |"
  done
  if cmp -s <($B/renkei check --format json "$D") <($B/renkei check --max-memory "$MAXMEM" --format json "$D"); then
    echo "(--max-memory $MAXMEM: output byte-identical to the in-memory run)"
  else
    echo "(--max-memory $MAXMEM: OUTPUT DIFFERS from the in-memory run)"
    exit 1
  fi
fi
if [ -n "${MPI:-}" ]; then # MPI=N: N ranks of one thread each (mpirun), output compared with one process
  mpi() { mpirun --oversubscribe --allow-run-as-root -n "$MPI" $B/renkei check --mpi --jobs 1 "$@"; }
  t=$(best mpi --format jsonl "$D")
  echo "| renkei check --mpi, $MPI ranks of 1 thread | $MPI | $(python3 -c "print(round($bytes/$t/1e6))") | $(python3 -c "print(round($recs/$t))") | | |"
  if cmp -s <($B/renkei check --format json "$D") <(mpi --format json "$D" 2>/dev/null); then
    echo "(--mpi: output byte-identical to one process)"
  else
    echo "(--mpi: OUTPUT DIFFERS from one process)"
    exit 1
  fi
fi
if [ -d bench/node_modules/@duckdb/node-api ]; then
  for f in "$D"/*.CSV; do iconv -f CP932 -t UTF-8 "$f" >"$f.utf8"; done
  node bench/duckdb_check.mjs "$D" >/dev/null # fails loudly here if the SQL is wrong
  t=$(best node bench/duckdb_check.mjs "$D")
  echo "| DuckDB: the same join and sums in SQL (UTF-8 data) | 2 | $(python3 -c "print(round($bytes/$t/1e6))") | $(python3 -c "print(round($recs/$t))") | | |"
else
  echo
  echo "DuckDB not installed here (npm i @duckdb/node-api in bench/): no SQL comparison in this run."
fi
