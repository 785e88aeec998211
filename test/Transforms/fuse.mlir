// RUN: ssm-opt %s --split-input-file --ssm-fuse=variant=fused-conv-scan | FileCheck %s
// RUN: ssm-opt %s --split-input-file --ssm-fuse=variant=fused-scan | FileCheck %s --check-prefix=NONE
// RUN: ssm-opt %s --split-input-file --ssm-fuse | FileCheck %s --check-prefix=NONE
// RUN: not ssm-opt %s --ssm-fuse=variant=everything 2>&1 | FileCheck %s --check-prefix=BAD

// NONE-NOT: ssm.fusion
// BAD: error: ssm-fuse: variant = 'everything' is unknown: expected 'fused', 'fused-scan', 'unfused'

// A Mamba-1 mixer's conv1d + scan, forward and backward: the forward scan
// and the gradient each get their own region with a copy of the
// convolution; the original convolution is left to its gradient.
// CHECK-LABEL: func.func @train
// CHECK-SAME: (%[[X:[^:]+]]: {{[^,]+}}, %[[W:[^:]+]]: {{[^,]+}}, %[[BIAS:[^:]+]]: {{[^,]+}},
// CHECK: %[[FWD:.*]]:2 = ssm.fusion "fused-conv-scan" -> tensor<2x8x16xf32>, tensor<2x8x4xf32> {
// CHECK-NEXT:   %[[U:.*]] = ssm.causal_conv1d %[[X]], %[[W]] bias(%[[BIAS]]) activation silu
// CHECK-NEXT:   %[[Y:.*]], %[[S:.*]] = ssm.selective_scan %[[U]],
// CHECK-NEXT:   ssm.yield %[[Y]], %[[S]]
// CHECK-NEXT: }
// CHECK: %[[BWD:.*]]:5 = ssm.fusion "fused-conv-scan" -> {{.*}} {
// CHECK-NEXT:   %[[U2:.*]] = ssm.causal_conv1d %[[X]], %[[W]] bias(%[[BIAS]]) activation silu
// CHECK-NEXT:   {{.*}} = ssm.selective_scan_grad %[[U2]],
// CHECK-NEXT:   ssm.yield
// CHECK-NEXT: }
// CHECK: ssm.causal_conv1d_grad %[[X]], %[[W]] bias(%[[BIAS]]), %[[BWD]]#0 activation silu
// CHECK-NOT: ssm.causal_conv1d %
func.func @train(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>, %bias: tensor<8xf32>,
    %dt: tensor<2x8x16xf32>, %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>,
    %C: tensor<2x1x4x16xf32>, %dy: tensor<2x8x16xf32>)
    -> (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>) {
  %u = ssm.causal_conv1d %x, %w bias(%bias) activation silu
      : (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<2x8x16xf32>
  %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  %du, %ddt, %dA, %dB, %dC = ssm.selective_scan_grad %u, %dt, %A, %B, %C, %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  %dx, %dw, %db = ssm.causal_conv1d_grad %x, %w bias(%bias), %du activation silu
      : (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<2x8x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<8xf32>)
  return %y, %dx, %dw : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>
}

// -----

// Not fused: a convolution without silu, one whose result the scan also
// reads as another operand, and a scan with a hand-written lowering.
// CHECK-LABEL: func.func @not_fused
// CHECK-NOT: ssm.fusion
// CHECK: return
func.func @not_fused(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>)
    -> (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<2x8x16xf32>) {
  %plain = ssm.causal_conv1d %x, %w activation none
      : (tensor<2x8x16xf32>, tensor<8x4xf32>) -> tensor<2x8x16xf32>
  %y1, %s1 = ssm.selective_scan %plain, %x, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  %u = ssm.causal_conv1d %x, %w activation silu
      : (tensor<2x8x16xf32>, tensor<8x4xf32>) -> tensor<2x8x16xf32>
  %y2, %s2 = ssm.selective_scan %u, %u, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  %y3, %s3 = ssm.selective_scan %u, %x, %A, %B, %C {ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused-scan", strategy = "sequential">}
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return %y1, %y2, %y3 : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<2x8x16xf32>
}
