#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmarks renkei seal and verify on a generated month (4 offices x UPPLAN,
# UPJSK, UPSIKYU, about SIZE_MB in all) beside the stock tools doing the same
# work in the same run: tar --sort=name | zstd -T2 -LEVEL, sha256sum of every
# file, openssl cms -sign (and for verify: zstd -d | tar -x, sha256sum -c,
# openssl cms -verify). Prints a Markdown table.
#
# usage: bench/seal.sh [SIZE_MB]   (default 1000; needs a Release build in build/)
set -euo pipefail
cd "$(dirname "$0")/.."
B=build
MB=${1:-1000}
D=bench/data/month
W=$(mktemp -d)
trap 'rm -rf "$W" bench/data/month' EXIT
rm -rf "$D"
per=$((MB / 12))
for o in 1 2 3 4; do
  mkdir -p "$D/office$o"
  cm=131010001$o; pr=137110001$o
  $B/gen_corpus UPPLAN $per "$D/office$o/UPPLAN_202511_1310100019_43_1371100015_11_2025102510300$o.CSV" $o 2>/dev/null
  $B/gen_corpus UPJSK $per "$D/office$o/UPJSK_202511_1371100015_11_1310100019_43_2025120308300$o.CSV" $((o + 10)) 2>/dev/null
  $B/gen_corpus UPSIKYU $per "$D/office$o/UPSIKYU_202511_1310100019_43_1371100015_11_2025102510300$o.CSV" $((o + 20)) 2>/dev/null
done
bytes=$(du -sb "$D" | cut -f1)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$W/k.pem" -out "$W/c.pem" \
  -subj /CN=bench -days 1 2>/dev/null
cat "$D"/*/* >/dev/null # page cache

secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); python3 -c "print($t1-$t0)"; }
mbs() { python3 -c "print(round($bytes/$1/1e6))"; }
best() { local b=""; for _ in 1 2 3; do t=$(secs "$@"); b=$(python3 -c "print(min($t, ${b:-1e9}))"); done; echo "$b"; }

stock_seal() { # the same work with stock tools: one tar.zst, a manifest, a CMS signature
  (cd bench/data && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - month |
    zstd -q -T2 -"$1" -o "$W/stock.tar.zst" -f)
  (cd bench/data && find month -type f | sort | xargs sha256sum >"$W/MANIFEST.sha256")
  openssl cms -sign -binary -noattr -outform DER -in "$W/MANIFEST.sha256" -signer "$W/c.pem" -inkey "$W/k.pem" \
    -out "$W/MANIFEST.sha256.p7s"
}
stock_verify() {
  rm -rf "$W/x" && mkdir "$W/x"
  zstd -q -d -c "$W/stock.tar.zst" | tar -x -C "$W/x"
  (cd "$W/x" && sha256sum --quiet -c "$W/MANIFEST.sha256")
  openssl cms -verify -binary -inform DER -in "$W/MANIFEST.sha256.p7s" -content "$W/MANIFEST.sha256" \
    -CAfile "$W/c.pem" -out /dev/null
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); month: $bytes bytes in 12 files"
echo
echo "| level | job | jobs | MB/s | seconds | archive MB |"
echo "|---|---|---|---|---|---|"
for level in 1 3; do
  t=$(best stock_seal $level)
  echo "| $level | stock: tar \\| zstd -T2, sha256sum, openssl cms -sign | 2 | $(mbs "$t") | $t | $(($(stat -c %s "$W/stock.tar.zst") / 1000000)) |"
  for jobs in 1 2; do
    t=$(best $B/renkei seal --jobs $jobs --level $level --key "$W/k.pem" --cert "$W/c.pem" -o "$W/r.tar.zst" "$D")
    echo "| $level | renkei seal | $jobs | $(mbs "$t") | $t | $(($(stat -c %s "$W/r.tar.zst") / 1000000)) |"
  done
  t=$(best stock_verify)
  echo "| $level | stock: zstd -d \\| tar -x, sha256sum -c, openssl cms -verify | 1-2 | $(mbs "$t") | $t | |"
  t=$(best $B/renkei verify --ca "$W/c.pem" "$W/r.tar.zst")
  echo "| $level | renkei verify | 1 | $(mbs "$t") | $t | |"
done
