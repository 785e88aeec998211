#!/usr/bin/env bash
# The main job: compiles a small Mamba-1 workload (causal conv1d + selective
# scan forward, and the scan's gradient) and runs every entry with --check
# against the float64 oracle: on the GPU when one is usable here, otherwise
# on the CPU target, saying so. Builds the project first if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/bin/ssm-compile ] && [ -x build/bin/ssm-run ] || bash scripts/build.sh
workload=workloads/mamba1_small.mlir
out=build/demo
mkdir -p "$out"

target=cpu
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L 2>/dev/null | grep -q GPU; then
  target=gpu
  echo "== GPU found: compiling $workload for the GPU (sm_90)"
else
  echo "== No GPU found here: compiling $workload for the CPU target instead"
fi
build/bin/ssm-compile "$workload" --target="$target" -o "$out/mamba1_small.$target.so"
for entry in forward scan_backward; do
  echo "== ssm-run $out/mamba1_small.$target.so --entry $entry --check"
  build/bin/ssm-run "$out/mamba1_small.$target.so" --entry "$entry" --check \
    --repeat 10 --warmup 2
done
