// The `unfused` variant of the selective scan on the GPU: each step is its
// own gpu.launch (a thread per point), named after the op and variant and
// recorded in ssm.kernels. Forward: 7 kernels with every operand (time
// step, exp(dt A), dt B u, scan, C contraction, D skip, gate), 4 with none.
// Gradient: 21 with every operand and result (5 zero fills of the
// accumulated gradients, 6 recomputing the forward, 10 backward steps),
// 14 with none (3 fills, 3 recomputing, 8 backward). L = 32 is a whole
// warp along the innermost index of the [B,D,L] steps, so dD and
// ddelta_bias are summed by five xor shuffles before one atomic per warp.
// RUN: ssm-opt %s --ssm-select-lowering='target=gpu variant=unfused' --convert-ssm-to-gpu \
// RUN:   | FileCheck %s
// RUN: ssm-opt %s --ssm-select-lowering='target=gpu variant=unfused' --convert-ssm-to-gpu \
// RUN:   | FileCheck %s --check-prefix=SHUFFLES

// CHECK:       ssm.kernels = {{{.*}}ssm_selective_scan_grad_unfused = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "unfused", threads_per_block = 128>

// CHECK-LABEL: func.func @scan_all(
// CHECK-COUNT-7: gpu.launch {{.*}} function(@ssm_selective_scan_unfused
// CHECK-NOT:     gpu.launch
// CHECK-NOT:     gpu.shuffle
// CHECK:         return

// CHECK-LABEL: func.func @scan_small(
// CHECK-COUNT-4: gpu.launch {{.*}} function(@ssm_selective_scan_unfused
// CHECK-NOT:     gpu.launch
// CHECK:         return

// CHECK-LABEL: func.func @grad_all(
// CHECK-COUNT-21: gpu.launch {{.*}} function(@ssm_selective_scan_grad_unfused
// CHECK-NOT:     gpu.launch
// CHECK:         return

// CHECK-LABEL: func.func @grad_small(
// CHECK-COUNT-14: gpu.launch {{.*}} function(@ssm_selective_scan_grad_unfused
// CHECK-NOT:     gpu.launch
// CHECK-NOT:     gpu.shuffle
// CHECK:         return

// SHUFFLES-LABEL: func.func @grad_all(
// SHUFFLES-COUNT-10: gpu.shuffle xor
// SHUFFLES-NOT:  gpu.shuffle
// SHUFFLES:      return

func.func @scan_all(%u: tensor<2x4x32xf32>, %delta: tensor<2x4x32xf32>,
    %A: tensor<4x3xf32>, %B: tensor<2x2x3x32xf32>, %C: tensor<2x2x3x32xf32>,
    %D: tensor<4xf32>, %z: tensor<2x4x32xf32>, %db: tensor<4xf32>)
    -> (tensor<2x4x32xf32>, tensor<2x4x3xf32>) {
  %y, %s = ssm.selective_scan
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db) {delta_softplus}
      : (tensor<2x4x32xf32>, tensor<2x4x32xf32>, tensor<4x3xf32>,
         tensor<2x2x3x32xf32>, tensor<2x2x3x32xf32>, tensor<4xf32>,
         tensor<2x4x32xf32>, tensor<4xf32>)
      -> (tensor<2x4x32xf32>, tensor<2x4x3xf32>)
  return %y, %s : tensor<2x4x32xf32>, tensor<2x4x3xf32>
}

func.func @scan_small(%u: tensor<2x4x32xf32>, %delta: tensor<2x4x32xf32>,
    %A: tensor<4x3xf32>, %B: tensor<2x1x3x32xf32>, %C: tensor<2x1x3x32xf32>)
    -> (tensor<2x4x32xf32>, tensor<2x4x3xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x4x32xf32>, tensor<2x4x32xf32>, tensor<4x3xf32>,
         tensor<2x1x3x32xf32>, tensor<2x1x3x32xf32>)
      -> (tensor<2x4x32xf32>, tensor<2x4x3xf32>)
  return %y, %s : tensor<2x4x32xf32>, tensor<2x4x3xf32>
}

func.func @grad_all(%u: tensor<2x4x32xf32>, %delta: tensor<2x4x32xf32>,
    %A: tensor<4x3xf32>, %B: tensor<2x2x3x32xf32>, %C: tensor<2x2x3x32xf32>,
    %D: tensor<4xf32>, %z: tensor<2x4x32xf32>, %db: tensor<4xf32>,
    %dy: tensor<2x4x32xf32>, %dh: tensor<2x4x3xf32>)
    -> (tensor<2x4x32xf32>, tensor<2x4x32xf32>, tensor<4x3xf32>,
        tensor<2x2x3x32xf32>, tensor<2x2x3x32xf32>, tensor<4xf32>,
        tensor<2x4x32xf32>, tensor<4xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db),
      %dy d_last_state(%dh) {delta_softplus}
      : tensor<2x4x32xf32>, tensor<2x4x32xf32>, tensor<4x3xf32>,
        tensor<2x2x3x32xf32>, tensor<2x2x3x32xf32>, tensor<4xf32>,
        tensor<2x4x32xf32>, tensor<4xf32>, tensor<2x4x32xf32>, tensor<2x4x3xf32>
      -> tensor<2x4x32xf32>, tensor<2x4x32xf32>, tensor<4x3xf32>,
         tensor<2x2x3x32xf32>, tensor<2x2x3x32xf32> dD tensor<4xf32>
         dz tensor<2x4x32xf32> ddelta_bias tensor<4xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb : tensor<2x4x32xf32>,
      tensor<2x4x32xf32>, tensor<4x3xf32>, tensor<2x2x3x32xf32>,
      tensor<2x2x3x32xf32>, tensor<4xf32>, tensor<2x4x32xf32>, tensor<4xf32>
}

func.func @grad_small(%u: tensor<2x4x32xf32>, %delta: tensor<2x4x32xf32>,
    %A: tensor<4x3xf32>, %B: tensor<2x1x3x32xf32>, %C: tensor<2x1x3x32xf32>,
    %dy: tensor<2x4x32xf32>)
    -> (tensor<2x4x32xf32>, tensor<2x4x32xf32>, tensor<4x3xf32>,
        tensor<2x1x3x32xf32>, tensor<2x1x3x32xf32>) {
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x4x32xf32>, tensor<2x4x32xf32>, tensor<4x3xf32>,
        tensor<2x1x3x32xf32>, tensor<2x1x3x32xf32>, tensor<2x4x32xf32>
      -> tensor<2x4x32xf32>, tensor<2x4x32xf32>, tensor<4x3xf32>,
         tensor<2x1x3x32xf32>, tensor<2x1x3x32xf32>
  return %du, %ddelta, %dA, %dB, %dC : tensor<2x4x32xf32>, tensor<2x4x32xf32>,
      tensor<4x3xf32>, tensor<2x1x3x32xf32>, tensor<2x1x3x32xf32>
}
