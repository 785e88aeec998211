// Bad lowering options and choices that contradict the target: one located
// error naming the option or parameter, and no output.

// RUN: not ssm-opt %s '--ssm-select-lowering=target=tpu' 2>&1 | FileCheck %s --check-prefix=TARGET
// TARGET: error: ssm-select-lowering: target = 'tpu' is unknown: expected 'cpu' or 'gpu'
// RUN: not ssm-opt %s '--ssm-select-lowering=variant=fastest' 2>&1 | FileCheck %s --check-prefix=VARIANT
// VARIANT: error: ssm-select-lowering: variant = 'fastest' is unknown: expected 'fused', 'fused-scan', 'unfused'{{.*}}'fused-conv-scan'
// RUN: not ssm-opt %s '--ssm-select-lowering=scan-strategy=magic' 2>&1 | FileCheck %s --check-prefix=STRATEGY
// STRATEGY: error: ssm-select-lowering: scan-strategy = 'magic' is unknown: expected 'block-scan', 'sequential' or 'chunked-parallel'
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu chip=' 2>&1 | FileCheck %s --check-prefix=CHIP
// CHIP: error: ssm-select-lowering: chip = '' is not a GPU architecture such as 'sm_90'
// RUN: not ssm-opt %s '--ssm-select-lowering=threads-per-block=64' 2>&1 | FileCheck %s --check-prefix=CPU-TPB
// CPU-TPB: error: ssm-select-lowering: threads-per-block applies only to target=gpu, not target=cpu
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu scan-strategy=block-scan' --split-input-file 2>&1 | FileCheck %s --check-prefix=HAND
// RUN: not ssm-opt %s '--ssm-select-lowering=scan-strategy=block-scan' 2>&1 | FileCheck %s --check-prefix=NOT-CPU
// NOT-CPU: error: 'ssm.selective_scan' op cannot be lowered with scan-strategy=block-scan on cpu (variant "fused-scan"): its strategies are 'sequential'

// HAND: error: 'ssm.rms_norm' op has ssm.lowering target = "cpu", which contradicts the target being compiled for ('gpu')
func.func @f(%u: tensor<2x8x16xf32>, %dt: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %x: tensor<4x64xf32>, %w: tensor<64xf32>) {
  %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  %n = ssm.rms_norm %x, %w {ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused">}
      : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return
}
