// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu' | FileCheck %s

// A hand-written lowering wins; what it leaves out is completed from the
// options.
// CHECK-LABEL: func.func @hand_written
// CHECK: ssm.rms_norm {{.*}}ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused", threads_per_block = 64>
// CHECK: ssm.rms_norm {{.*}}ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_80", variant = "fused", threads_per_block = 128>
func.func @hand_written(%x: tensor<4x64xf32>, %w: tensor<64xf32>) {
  %a = ssm.rms_norm %x, %w {ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused", threads_per_block = 64>}
      : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  %b = ssm.rms_norm %x, %w {ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_80", variant = "fused">}
      : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return
}
