#!/usr/bin/env bash
# Whole-model training steps on the GPU, in two halves:
#   bash scripts/models_gpu.sh prepare DIR   # here: generate + compile (no GPU)
#   bash scripts/models_gpu.sh run DIR       # on the GPU machine; logs to $OUT
# prepare writes the tiny Mamba-1/Mamba-2 LMs (checked against the float64
# reference and finite differences, then trained, with and without a CUDA
# graph) and the 130M ones at B8 x 2048 tokens (the anchors' whole-step
# configuration, timed), each compiled with --training-step=forward for the
# GPU, the 130M ones with f32 and with TF32 (cublaslt-tf32) products; run
# needs DIR and ssm-run (RUN, default DIR/ssm-run) only. The 130M steps are
# timed as compiled (no host wait inside a step), with a host wait after
# every kernel (SSMRT_SYNC_LAUNCHES=1, what the GPU pipeline did before
# ssm-gpu-stream-order), and replayed as a CUDA graph (--cuda-graph).
set -uo pipefail
mode=${1:?prepare or run}
dir=${2:?directory}
models="mamba1-tiny:2:8 mamba2-tiny:2:16 mamba1-130m:8:2048 mamba2-130m:8:2048"
if [ "$mode" = prepare ]; then
  mkdir -p "$dir"
  cp build/bin/ssm-run "$dir/ssm-run"
  for spec in $models; do
    IFS=: read -r name batch seqlen <<<"$spec"
    python3 workloads/gen_model.py "workloads/models/$name.json" \
      --batch "$batch" --seqlen "$seqlen" -o "$dir/$name.mlir" || exit 1
    start=$(date +%s.%N)
    build/bin/ssm-compile "$dir/$name.mlir" --target=gpu \
      --training-step=forward -o "$dir/$name.so" || exit 1
    echo "compile $name (B$batch L$seqlen, GPU): $(echo "$(date +%s.%N) - $start" | bc) s" |
      tee -a "$dir/compile.log"
    # The 130M steps also with TF32 tensor-core products, to compare.
    case $name in *130m)
      build/bin/ssm-compile "$dir/$name.mlir" --target=gpu \
        --training-step=forward --matmul-strategy=cublaslt-tf32 \
        -o "$dir/$name.tf32.so" || exit 1 ;;
    esac
  done
  exit 0
fi
out=${OUT:-models-out}
mkdir -p "$out"
run=${RUN:-$dir/ssm-run}
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,memory.total \
  --format=csv | tee "$out/gpu.txt"
cp "$dir/compile.log" "$out/" 2>/dev/null
for name in mamba1-tiny mamba2-tiny; do
  "$run" "$dir/$name.so" --entry forward_step --check > "$out/$name.check.log" 2>&1
  echo "$name check: $(tail -1 "$out/$name.check.log")"
  grep "check fd" "$out/$name.check.log"
  "$run" "$dir/$name.so" --entry forward_step --train 30 --lr 0.01 \
    > "$out/$name.train.log" 2>&1
  tail -2 "$out/$name.train.log"
  # The same training replayed as a CUDA graph: the same losses.
  "$run" "$dir/$name.so" --entry forward_step --train 30 --lr 0.01 \
    --cuda-graph > "$out/$name.train-graph.log" 2>&1
  if diff <(grep '^step' "$out/$name.train.log" | sed 's/ (.* ms)$//') \
          <(grep '^step' "$out/$name.train-graph.log" | sed 's/ (.* ms)$//') \
          > /dev/null; then
    echo "$name train with --cuda-graph: same 30 losses"
  else
    echo "$name train with --cuda-graph: LOSSES DIFFER"
  fi
  "$run" "$dir/$name.so" --entry forward_step --check --cuda-graph \
    > "$out/$name.check-graph.log" 2>&1
  echo "$name check (graph replay): $(tail -1 "$out/$name.check-graph.log")"
done
# One timing run: its first call, per-call and kernel times, peak memory.
timed() { # LABEL LOG ssm-run-arguments...
  local label=$1 log=$2; shift 2
  timeout 150 "$@" > "$log" 2>&1
  echo "$label: rc=$?"
  grep -E "^(first call|time|kernels|kernel time|peak device memory|error)" "$log"
}
for name in mamba1-130m mamba2-130m; do
  so=$dir/$name.so tf32=$dir/$name.tf32.so
  timed "$name f32 products, stream-ordered" "$out/$name.time.log" \
    "$run" "$so" --entry forward_step --repeat 10
  timed "$name f32 products, host wait after every kernel" \
    "$out/$name.sync.time.log" \
    env SSMRT_SYNC_LAUNCHES=1 "$run" "$so" --entry forward_step --repeat 5
  timed "$name f32 products, CUDA graph" "$out/$name.graph.time.log" \
    "$run" "$so" --entry forward_step --repeat 10 --cuda-graph
  timed "$name TF32 products, stream-ordered" "$out/$name.tf32.time.log" \
    "$run" "$tf32" --entry forward_step --repeat 10
  timed "$name TF32 products, CUDA graph" "$out/$name.tf32.graph.time.log" \
    "$run" "$tf32" --entry forward_step --repeat 10 --cuda-graph
  timeout 120 "$run" "$tf32" --entry forward_step --kernels \
    > "$out/$name.tf32.kernels.log" 2>&1
  echo "$name kernels (TF32): rc=$?"
  python3 scripts/kernel_families.py "$out/$name.tf32.kernels.log"
  timeout 120 "$run" "$tf32" --entry forward_step --train 3 --lr 0.001 \
    > "$out/$name.tf32.train.log" 2>&1
  echo "$name train 3 steps (TF32): rc=$?"; tail -5 "$out/$name.tf32.train.log"
done
