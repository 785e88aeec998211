#!/usr/bin/env bash
# On the GPU machine, in one device call: the GPU suite, compute-sanitizer
# on the kernels matching SANITIZE (a regex of suite binaries; empty: none),
# `ssm-run --compare` of each group of benchmark binaries, the same-bits
# check of BITS (space-separated "binary.so:entry": three runs on the same
# inputs, every result compared byte for byte with the first), and (with
# ANCHORS=1) the reference kernels of .anchors matching ANCHORS_ONLY.
# Groups are given as "ENTRY:REPEAT:a.so,b.so,..." arguments; logs go to $OUT.
#   bash scripts/gpu_call.sh "fwdbwd:20:x.so,y.so" ...
set -uo pipefail
out=${OUT:-gpu-out}
mkdir -p "$out"
run=.devbin/ssm-run
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.max.mem,power.limit \
  --format=csv | tee "$out/gpu.txt"
if [ "${SUITE:-1}" = 1 ]; then
  python3 scripts/gpu_suite.py run --suite .devbin/gpu-suite --ssm-run "$run" \
    > "$out/suite.log" 2>&1
  grep -E "^FAIL" "$out/suite.log" | head -20
  tail -1 "$out/suite.log"
fi
if [ -n "${SANITIZE:-}" ]; then
  OUT="$out" bash scripts/sanitize_gpu.sh .devbin/gpu-suite "$SANITIZE" \
    > "$out/sanitize.log" 2>&1
  grep -E "^ERRORS" "$out/sanitize.log" | head; tail -1 "$out/sanitize.log"
fi
for case in ${BITS:-}; do
  IFS=: read -r bin entry <<<"$case"
  dir=$(mktemp -d)
  for i in 1 2 3; do
    "$run" "$bin" --entry "$entry" --seed 11 --dump "$dir/$i" > /dev/null 2>&1 ||
      echo "bits $case: run $i failed"
  done
  same=yes
  for i in 2 3; do diff -rq "$dir/1" "$dir/$i" > /dev/null || same=no; done
  differing=$(for i in 2 3; do diff -rq "$dir/1" "$dir/$i"; done 2>&1 | wc -l)
  echo "bits $case: identical over 3 runs: $same ($differing differing result files)" |
    tee -a "$out/bits.log"
  rm -rf "$dir"
done
for group in "$@"; do
  IFS=: read -r entry repeat bins <<<"$group"
  IFS=, read -r -a list <<<"$bins"
  echo "== compare --entry $entry: ${list[*]}" | tee -a "$out/compare.log"
  "$run" --compare "${list[@]}" --entry "$entry" --repeat "$repeat" \
    --warmup 3 ${CHECK:+--check} 2>&1 | tee -a "$out/compare.log" | grep -vE "^check |^entry|^inputs"
done
if [ "${ANCHORS:-0}" = 1 ]; then
  PYTHONUNBUFFERED=1 python3 .anchors/bench_peer.py --out "$out/anchors" --no-conv \
    --only "${ANCHORS_ONLY:-selective_scan_fn}" > "$out/anchors.log" 2>&1
  tail -25 "$out/anchors.log"
fi
