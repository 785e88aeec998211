#!/usr/bin/env bash
# The main job: compiles a Mamba-2 language model's training step from its
# configuration (workloads/models/, the Hugging Face config.json format) and
# trains it a few steps on seeded synthetic batches, printing the loss and
# the time of every step. The step is first checked once against the
# float64 reference and finite differences. On the GPU when one is usable
# here, otherwise on the CPU target, saying so. Builds the project first if
# needed.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/bin/ssm-compile ] && [ -x build/bin/ssm-run ] || bash scripts/build.sh
out=build/demo
mkdir -p "$out"

config=workloads/models/mamba2-tiny.json
batch=4
seqlen=32
target=cpu
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L 2>/dev/null | grep -q GPU; then
  target=gpu
  echo "== GPU found: the training step will run on the GPU (sm_90)"
else
  echo "== No GPU found here: compiling for the CPU target instead"
fi
model="$out/$(basename "$config" .json).b$batch.l$seqlen"
echo "== python3 workloads/gen_model.py $config --batch $batch --seqlen $seqlen"
python3 workloads/gen_model.py "$config" --batch "$batch" --seqlen "$seqlen" \
  -o "$model.mlir"
echo "== ssm-compile $model.mlir --target=$target --training-step=forward"
build/bin/ssm-compile "$model.mlir" --target="$target" --training-step=forward \
  -o "$model.$target.so"
echo "== ssm-run $model.$target.so --entry forward_step --check"
build/bin/ssm-run "$model.$target.so" --entry forward_step --check | tail -4
echo "== ssm-run $model.$target.so --entry forward_step --train 20 --lr 0.01"
build/bin/ssm-run "$model.$target.so" --entry forward_step --train 20 --lr 0.01
