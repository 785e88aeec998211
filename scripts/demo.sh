#!/usr/bin/env bash
# The main job: compiles a Mamba-2 language model's training step from its
# configuration (workloads/models/, the Hugging Face config.json format),
# checks the step of the tiny model once against the float64 reference and
# finite differences, then trains a few steps on seeded synthetic batches,
# printing the loss and the time of every step: the tiny model on the CPU
# where there is no GPU (saying so), the 130M one (B8 x 2048 tokens) on a
# GPU. Builds the project first if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/bin/ssm-compile ] && [ -x build/bin/ssm-run ] || bash scripts/build.sh
out=build/demo
mkdir -p "$out"

target=cpu
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L 2>/dev/null | grep -q GPU; then
  target=gpu
  echo "== GPU found: the training steps run on the GPU (sm_90)"
else
  echo "== No GPU found here: compiling for the CPU target instead"
fi

# compile CONFIG BATCH SEQLEN [OPTION...]: prints the binary's path.
compile() {
  local config=$1 batch=$2 seqlen=$3
  shift 3
  local model="$out/$(basename "$config" .json).b$batch.l$seqlen"
  echo "== python3 workloads/gen_model.py $config --batch $batch --seqlen $seqlen" >&2
  python3 workloads/gen_model.py "$config" --batch "$batch" --seqlen "$seqlen" \
    -o "$model.mlir"
  echo "== ssm-compile $model.mlir --target=$target --training-step=forward $*" >&2
  build/bin/ssm-compile "$model.mlir" --target="$target" \
    --training-step=forward "$@" -o "$model.$target.so"
  echo "$model.$target.so"
}

tiny=$(compile workloads/models/mamba2-tiny.json 4 32)
echo "== ssm-run $tiny --entry forward_step --check"
build/bin/ssm-run "$tiny" --entry forward_step --check | tail -4
run_flags=()
if [ "$target" = gpu ]; then
  # The products on TF32 tensor cores, each step replayed as one CUDA graph
  # (docs/PERFORMANCE.md measures both choices).
  model=$(compile workloads/models/mamba2-130m.json 8 2048 \
    --matmul-strategy=cublaslt-tf32)
  steps=5
  run_flags=(--cuda-graph)
else
  model=$tiny
  steps=20
fi
echo "== ssm-run $model --entry forward_step --train $steps --lr 0.01 ${run_flags[*]}"
build/bin/ssm-run "$model" --entry forward_step --train "$steps" --lr 0.01 \
  "${run_flags[@]}"
