#!/usr/bin/env bash
# On the GPU machine: times every benchmark binary of DIR (default
# .devbin/bench, compiled here from workloads/bench/*.mlir with
# `ssm-compile --target=gpu`), entries fwd and fwdbwd, with ssm-run's
# --repeat/--warmup (per-call time, summed kernel time, first-call time).
#   bash scripts/bench_gpu.sh [DIR] [REPEAT] [WARMUP]
set -uo pipefail
dir=${1:-.devbin/bench}
repeat=${2:-20}
warmup=${3:-3}
run=${SSM_RUN:-.devbin/ssm-run}
out=${OUT:-bench-out}
mkdir -p "$out"
for so in "$dir"/*.so; do
  name=$(basename "$so" .so)
  for entry in fwd fwdbwd; do
    echo "== $name $entry" | tee -a "$out/bench.log"
    "$run" "$so" --entry "$entry" --repeat "$repeat" --warmup "$warmup" \
      2>&1 | tee -a "$out/bench.log" | grep -E "time|kernels|first|error"
  done
done
