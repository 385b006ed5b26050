#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmarks renkei batch on a generated month of many offices (gen_corpus
# month: USERS users, CMS care managers, PROVIDERS providers, every plan copied
# to each provider), beside validate and check alone on the same month and cat
# and wc -l over its files, in the same run: MB/s, records/s and peak RSS.
#
# usage: bench/batch.sh [USERS CMS PROVIDERS]   (default 20000 100 400; a Release build in build/)
set -euo pipefail
cd "$(dirname "$0")/.."
B=${B:-build}
U=${1:-20000} C=${2:-100} P=${3:-400}
D=bench/data/batchmonth
trap 'rm -rf "$D" "$D".* bench/data/batchout' EXIT
rm -rf "$D" "$D".* bench/data/batchout
mkdir -p bench/data
$B/gen_corpus month "$D" "$U" "$C" "$P" 2>/dev/null
bytes=$(cat "$D"/* | wc -c)
recs=$(cat "$D"/* | wc -l)
nfiles=$(ls "$D" | wc -l)
secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N); python3 -c "print($t1-$t0)"; }
best() { local b=""; for _ in 1 2 3; do t=$(secs "$@"); b=$(python3 -c "print(min($t, ${b:-1e9}))"); done; echo "$b"; }
rss() { { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null || true; } | tail -1; }
row() { # row LABEL JOBS CMD...: one line of the table
  local label=$1 j=$2; shift 2
  local t m; t=$(best "$@"); m=$(rss "$@")
  echo "| $label | $j | $(python3 -c "print(round($bytes/$t/1e6))") | $(python3 -c "print(round($recs/$t))") | $((m / 1024)) |"
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); month: $nfiles files, $bytes bytes, $recs records"
echo
echo "| job | jobs | MB/s | records/s | peak RSS MiB |"
echo "|---|---|---|---|---|"
cat "$D"/* >/dev/null
t=$(best sh -c "cat $D/* >/dev/null")
echo "| cat DIR/* (floor) | 1 | $(python3 -c "print(round($bytes/$t/1e6))") | | |"
t=$(best sh -c "cat $D/* | wc -l")
echo "| cat DIR/* \| wc -l (floor) | 1 | $(python3 -c "print(round($bytes/$t/1e6))") | $(python3 -c "print(round($recs/$t))") | |"
for j in 1 2; do
  row "renkei validate" $j $B/renkei validate --jobs $j --format jsonl "$D"
  row "renkei check" $j $B/renkei check --jobs $j --offices "$D.offices.csv" --format jsonl "$D"
  row "renkei batch" $j $B/renkei batch --jobs $j --offices "$D.offices.csv" -o bench/data/batchout "$D"
done
