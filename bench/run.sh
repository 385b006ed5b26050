#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmarks renkei on generated 第6表 files: tokenize only, tokenize + MS932
# check, validation in process (bench_validate) and `renkei validate`, at 1 and 2 threads, beside `cat` and `wc -l`
# on the same page-cached file in the same run (read back from disk after it is written;
# `renkei validate` also on the file as just written). Prints a Markdown table.
#
# usage: bench/run.sh [SIZE_MB...]      (default: 100 1000)
# A lone generated file lacks its send-unit companions, so `renkei validate`
# reports one RK-SET-001 and exits 1; that is expected here. Alone, a file's
# link keys are not gathered (no file-set rule reads them): the last rows
# validate UPPLAN and UPSIKYU as one send unit, which compares their keys.
# Needs a Release build in build/ (cmake -S . -B build && cmake --build build -j).
set -euo pipefail
cd "$(dirname "$0")/.."
B=build
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(100 1000)
mkdir -p bench/data
TIME=/usr/bin/time

best_of() { # best_of N cmd... : best wall seconds of N runs
  local n=$1; shift; local best=""
  for _ in $(seq "$n"); do
    local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null || [ $? -eq 1 ]; t1=$(date +%s.%N) # 1 = findings
    best=$(python3 -c "import sys; a=float(sys.argv[1])-float(sys.argv[2]); b=sys.argv[3]; print(a if not b or a<float(b) else b)" "$t1" "$t0" "$best")
  done
  echo "$best"
}
rss_kb() { { $TIME -f '%M' "$@" 2>&1 >/dev/null || true; } | tail -1; }
validate_row() { # validate_row STAGE JOBS [rss]: one `renkei validate` row for the files in $files
  local t rss=""
  t=$(best_of 3 $B/renkei validate --jobs "$2" --format jsonl "${files[@]}")
  [ "${3:-}" = rss ] && rss=$(( $(rss_kb $B/renkei validate --jobs "$2" --format jsonl "${files[@]}") / 1024 ))
  echo "| $label | $1 | $2 | $(python3 -c "print(round($bytes/$t/1e6))") | $(python3 -c "print(round($recs/$t))") | $rss |"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(build/renkei --version)"
echo
echo "| file | stage | jobs | MB/s | records/s | peak RSS MiB |"
echo "|---|---|---|---|---|---|"
for mb in "${SIZES[@]}"; do
  for kind in UPPLAN UPJSK UPSIKYU; do
    # 実績 go from the provider to the care manager: the name's sender is the provider.
    if [ $kind = UPJSK ]; then
      f=bench/data/UPJSK_202511_1371100015_11_1310100019_43_20251203083000.CSV
    else
      f=bench/data/${kind}_202511_1310100019_43_1371100015_11_20251025103000.CSV
    fi
    $B/gen_corpus $kind "$mb" "$f" 2>/dev/null
    bytes=$(stat -c %s "$f")
    recs=$(wc -l <"$f")
    label="$kind ${mb} MB"
    files=("$f")
    # A file just written sits in the page cache in small pages, which cost
    # the kernel more to map than the larger ones a read from disk leaves:
    # `renkei validate` is measured on both; every other stage on the latter.
    for j in 1 2; do validate_row "renkei validate (file just written)" $j; done
    sync "$f"
    dd if="$f" iflag=nocache count=0 status=none # out of the page cache
    cat "$f" >/dev/null                          # and back, as a read from disk
    t=$(best_of 3 cat "$f"); echo "| $label | cat (floor) | 1 | $(python3 -c "print(round($bytes/$t/1e6))") | | |"
    t=$(best_of 3 wc -l "$f"); echo "| $label | wc -l (floor) | 1 | $(python3 -c "print(round($bytes/$t/1e6))") | $(python3 -c "print(round($recs/$t))") | |"
    for rel in 0 1; do
      for ms in 0 1; do
        for j in 1 2; do
          read -r stage jobs mbs rps _ < <($B/bench/bench_tokenize "$f" $j $ms 5 $rel)
          rss=$(rss_kb $B/bench/bench_tokenize "$f" $j $ms 1 $rel)
          echo "| $label | $stage | $jobs | $mbs | $rps | $((rss / 1024)) |"
        done
      done
    done
    for ms in 0 1; do # like for like: one thread on the same chunk plan as two
      read -r stage jobs mbs rps _ < <($B/bench/bench_tokenize "$f" 1 $ms 5 0 1048576)
      echo "| $label | $stage | $jobs | $mbs | $rps | |"
    done
    for j in 1 2; do # the rules alone: in process, on a mapping kept across runs
      read -r stage jobs mbs rps _ < <($B/bench/bench_validate "$f" $j 5)
      echo "| $label | $stage | $jobs | $mbs | $rps | |"
    done
    for j in 1 2; do validate_row "renkei validate" $j rss; done
    [ $kind = UPJSK ] && rm -f "$f"
  done
  # UPPLAN with its UPSIKYU (the same ファイル連番): the file-set rules build
  # both link-key sets and look up every key of each in the other.
  files=(bench/data/UPPLAN_202511_1310100019_43_1371100015_11_20251025103000.CSV
    bench/data/UPSIKYU_202511_1310100019_43_1371100015_11_20251025103000.CSV)
  bytes=$(cat "${files[@]}" | wc -c)
  recs=$(cat "${files[@]}" | wc -l)
  label="UPPLAN + UPSIKYU ${mb} MB each, one send unit"
  for j in 1 2; do validate_row "renkei validate" $j rss; done
  rm -f "${files[@]}"
done
