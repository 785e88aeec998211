#!/usr/bin/env bash
# Whole-model training steps on the GPU, in two halves:
#   bash scripts/models_gpu.sh prepare DIR   # here: generate + compile (no GPU)
#   bash scripts/models_gpu.sh run DIR       # on the GPU machine; logs to $OUT
# prepare writes the tiny Mamba-1/Mamba-2 LMs (checked against the float64
# reference and finite differences, then trained) and the 130M ones at
# B8 x 2048 tokens (the anchors' whole-step configuration, timed), each
# compiled with --training-step=forward for the GPU; run needs DIR and
# ssm-run (RUN, default DIR/ssm-run) only.
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
    # The 130M steps also with generated matrix products, to compare.
    case $name in *130m)
      build/bin/ssm-compile "$dir/$name.mlir" --target=gpu \
        --training-step=forward --matmul-strategy=generated \
        -o "$dir/$name.generated.so" || exit 1 ;;
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
  tail -1 "$out/$name.train.log"
done
for name in mamba1-130m mamba2-130m; do
  timeout 120 "$run" "$dir/$name.so" --entry forward_step --repeat 5 \
    > "$out/$name.time.log" 2>&1
  echo "$name (cublaslt): rc=$?"
  grep -E "^(first call|time|kernels|kernel time|error)" "$out/$name.time.log"
  if [ -f "$dir/$name.generated.so" ]; then
    timeout 120 "$run" "$dir/$name.generated.so" --entry forward_step \
      --repeat 1 > "$out/$name.generated.time.log" 2>&1
    echo "$name (generated): rc=$?"
    grep -E "^(first call|time|kernel time|error)" \
      "$out/$name.generated.time.log"
  fi
  timeout 120 "$run" "$dir/$name.so" --entry forward_step --kernels \
    > "$out/$name.kernels.log" 2>&1
  echo "$name kernels: rc=$?"; tail -2 "$out/$name.kernels.log"
done
