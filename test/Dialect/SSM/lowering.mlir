// RUN: ssm-opt %s | ssm-opt | FileCheck %s

// #ssm.lowering and ssm.fusion round-trip; parameters left at their default
// (0, or empty) are not printed.

// CHECK-LABEL: func.func @scan_gpu
// CHECK: ssm.selective_scan {{.*}} {ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-scan", strategy = "block-scan", threads_per_block = 128, items_per_thread = 8, channels_per_block = 2, max_registers = 168>}
func.func @scan_gpu(%u: tensor<2x8x16xf32>, %dt: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>)
    -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>) {
  %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C {ssm.lowering =
      #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-scan",
                    strategy = "block-scan", threads_per_block = 128,
                    items_per_thread = 8, channels_per_block = 2,
                    max_registers = 168>}
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return %y, %s : tensor<2x8x16xf32>, tensor<2x8x4xf32>
}

// CHECK-LABEL: func.func @norm_cpu
// CHECK: ssm.rms_norm {{.*}} {ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused">}
func.func @norm_cpu(%x: tensor<4x64xf32>, %w: tensor<64xf32>) -> tensor<4x64xf32> {
  %y = ssm.rms_norm %x, %w {ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused">}
      : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// CHECK-LABEL: func.func @fused
// CHECK: %[[R:.*]]:2 = ssm.fusion "fused-conv-scan" -> tensor<2x8x16xf32>, tensor<2x8x4xf32> attributes {ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused-conv-scan", strategy = "sequential">} {
// CHECK:   %[[U:.*]] = ssm.causal_conv1d %{{.*}}, %{{.*}} activation silu
// CHECK:   %[[Y:.*]], %[[S:.*]] = ssm.selective_scan %[[U]],
// CHECK:   ssm.yield %[[Y]], %[[S]] : tensor<2x8x16xf32>, tensor<2x8x4xf32>
// CHECK: }
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @fused(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>,
    %dt: tensor<2x8x16xf32>, %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>,
    %C: tensor<2x1x4x16xf32>) -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>) {
  %y, %s = ssm.fusion "fused-conv-scan" -> tensor<2x8x16xf32>, tensor<2x8x4xf32>
      attributes {ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused-conv-scan", strategy = "sequential">} {
    %u = ssm.causal_conv1d %x, %w activation silu
        : (tensor<2x8x16xf32>, tensor<8x4xf32>) -> tensor<2x8x16xf32>
    %y0, %s0 = ssm.selective_scan %u, %dt, %A, %B, %C
        : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
           tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
        -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
    ssm.yield %y0, %s0 : tensor<2x8x16xf32>, tensor<2x8x4xf32>
  }
  return %y, %s : tensor<2x8x16xf32>, tensor<2x8x4xf32>
}

// A gradient's deterministic reductions round-trip.
// CHECK-LABEL: func.func @deterministic_grad
// CHECK: ssm.rms_norm_grad {{.*}} {ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused", threads_per_block = 64, deterministic = true>}
func.func @deterministic_grad(%x: tensor<4x64xf32>, %w: tensor<64xf32>, %dy: tensor<4x64xf32>) {
  %dx, %dw = ssm.rms_norm_grad %x, %w, %dy {ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused", threads_per_block = 64, deterministic = true>}
      : tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32> -> tensor<4x64xf32>, tensor<64xf32>
  return
}
