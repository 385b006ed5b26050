#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every fuzz target with libFuzzer + ASan/UBSan for SECONDS each:
#   tests/fuzz/run.sh SECONDS [TARGET...]        (JOBS=N targets at once; default: the cores)
#   tests/fuzz/run.sh report [TARGET...]         (the table of the last runs' logs again)
# Each target grows its corpus in build/fuzz/corpus/TARGET from its seeds;
# at the end the corpus is minimised (-merge=1) into tests/fuzz/seeds/TARGET,
# which the test suite replays (inputs that once failed stay in
# tests/fuzz/seeds/regress, which no run rewrites), and a table gives executions, executions per
# second and coverage (cov: edges reached of the edges linked in, ft:
# features) per target. A crash leaves
# its input in build/fuzz/crashes/TARGET and makes the run fail.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:?usage: tests/fuzz/run.sh SECONDS [TARGET...]}
shift
root=$PWD
out=$root/build/fuzz
CC=clang cmake -S . -B "$out" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRK_LIBFUZZER=ON -DRK_SANITIZE=ON >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(tokenizer ms932 kinds archive tar check_upplan check_upjsk check_upsikyu check_uphosoku check_dltplan check_dltjsk)
fi
cmake --build "$out" -j"$(nproc)" --target "${targets[@]/#/fuzz_}" >/dev/null

seeds_of() { # the seed directories of a target, as the test suite replays them
    case $1 in
    check_*) echo "corpus/check/scenario tests/fuzz/seeds/regress tests/fuzz/seeds/$1" ;;
    tar) echo "tests/fuzz/seeds/regress tests/fuzz/seeds/$1" ;;
    *) echo "corpus/sample corpus/conformance tests/fuzz/seeds/common tests/fuzz/seeds/regress tests/fuzz/seeds/$1" ;;
    esac
}

run_one() {
    local t=$1 c=$out/corpus/$1 k=$out/crashes/$1 s
    mkdir -p "$c" "$k" "tests/fuzz/seeds/$t"
    s=$(seeds_of "$t")
    # shellcheck disable=SC2086
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$out/tests/fuzz_$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=3072 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$k/" "$c" $s >"$out/$t.log" 2>&1 || echo "CRASH" >>"$out/$t.log"
    # Minimise what it found with the seeds into the kept seeds.
    local m=$out/merged/$t
    rm -rf "$m" && mkdir -p "$m"
    # shellcheck disable=SC2086
    "$out/tests/fuzz_$t" -merge=1 -timeout=20 -rss_limit_mb=3072 "$m" "tests/fuzz/seeds/$t" "$c" >"$out/$t.merge.log" 2>&1 || true
    # seeds the suite has elsewhere (corpus/, common) are not copied again
    rm -rf "tests/fuzz/seeds/$t" && mkdir -p "tests/fuzz/seeds/$t"
    for f in "$m"/*; do
        [ -e "$f" ] || continue
        dup=0
        # shellcheck disable=SC2086
        for d in $s; do
            [ "$d" = "tests/fuzz/seeds/$t" ] && continue
            if [ -d "$d" ] && find "$d" -type f -size "$(stat -c %s "$f")c" -exec cmp -s "$f" {} \; -print -quit | grep -q .; then
                dup=1
                break
            fi
        done
        [ $dup = 1 ] || cp "$f" "tests/fuzz/seeds/$t/"
    done
    rmdir "tests/fuzz/seeds/$t" 2>/dev/null || true
}

jobs=${JOBS:-$(nproc)}
if [ "$secs" != report ]; then
    for t in "${targets[@]}"; do
        while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
        run_one "$t" &
    done
    wait
fi

status=0
printf '%-16s %12s %10s %14s %8s %8s %s\n' target execs execs/s "cov/edges" ft seeds result
for t in "${targets[@]}"; do
    log=$out/$t.log
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    edges=$(sed -n 's/.*(\([0-9]*\) inline 8-bit counters).*/\1/p' "$log" | head -1)
    n=$(find "tests/fuzz/seeds/$t" -type f 2>/dev/null | wc -l)
    result=ok
    if grep -q -E '^CRASH$|ERROR: (AddressSanitizer|libFuzzer)|runtime error:' "$log"; then
        result="FAILED (see $log, inputs in $out/crashes/$t)"
        status=1
    fi
    printf '%-16s %12s %10s %14s %8s %8s %s\n' "$t" "${execs:-0}" "${rate:-0}" "${cov:-?}/${edges:-?}" "${ft:-?}" "$n" \
        "$result"
done
exit $status
