// The `fused` and `unfused` variants of ssm.rms_norm(_grad) and
// ssm.causal_conv1d(_grad) on the GPU: each kernel its own gpu.launch,
// named after the op and variant. Launches per function, fused vs unfused,
// are the CPU's loop nests (see ../SSMToLoops/conv-norm-unfused.mlir):
// rms_norm 1 vs 2 (plain) or 3 (residual, gated); rms_norm_grad 2 vs 5
// (plain) or 7; causal_conv1d 1 vs 2 (silu) or 1 (none); its gradient 2 vs
// 4 (silu) or 2 (none). On the GPU the rms_norm_grad is deterministic by
// default: each row adds its dweight terms into its own copy (4 rows: 4
// copies), summed in row order by one more kernel, so 3 vs 6 (plain) or 8;
// with deterministic=false one atomic buffer instead (ATOMIC).
// RUN: ssm-opt %s --ssm-select-lowering='target=gpu' --convert-ssm-to-gpu \
// RUN:   | FileCheck %s --check-prefix=FUSED
// RUN: ssm-opt %s --ssm-select-lowering='target=gpu variant=unfused' --convert-ssm-to-gpu \
// RUN:   | FileCheck %s --check-prefix=UNFUSED
// RUN: ssm-opt %s --ssm-select-lowering='target=gpu deterministic=false' --convert-ssm-to-gpu \
// RUN:   | FileCheck %s --check-prefix=ATOMIC

// UNFUSED: ssm.kernels = {{{.*}}ssm_rms_norm_grad_unfused = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "unfused", threads_per_block = 128, deterministic = true>
// ATOMIC: ssm.kernels = {{{.*}}ssm_rms_norm_grad_fused = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused", threads_per_block = 128>

// FUSED-LABEL: func.func @norm_plain(
// FUSED-COUNT-1: gpu.launch {{.*}} function(@ssm_rms_norm_fused
// FUSED-NOT:   gpu.launch
// FUSED:       return
// UNFUSED-LABEL: func.func @norm_plain(
// UNFUSED-COUNT-2: gpu.launch {{.*}} function(@ssm_rms_norm_unfused
// UNFUSED-NOT:   gpu.launch
// UNFUSED:       return
func.func @norm_plain(%x: tensor<4x16xf32>, %w: tensor<16xf32>)
    -> tensor<4x16xf32> {
  %y = ssm.rms_norm %x, %w
      : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}


// FUSED-LABEL: func.func @norm_residual(
// FUSED-COUNT-1: gpu.launch {{.*}} function(@ssm_rms_norm_fused
// FUSED-NOT:   gpu.launch
// FUSED:       return
// UNFUSED-LABEL: func.func @norm_residual(
// UNFUSED-COUNT-3: gpu.launch {{.*}} function(@ssm_rms_norm_unfused
// UNFUSED-NOT:   gpu.launch
// UNFUSED:       return
func.func @norm_residual(%x: tensor<4x16xbf16>, %w: tensor<16xf32>,
    %res: tensor<4x16xf32>) -> (tensor<4x16xbf16>, tensor<4x16xf32>) {
  %y, %ro = ssm.rms_norm %x, %w residual(%res)
      : (tensor<4x16xbf16>, tensor<16xf32>, tensor<4x16xf32>)
      -> (tensor<4x16xbf16>, tensor<4x16xf32>)
  return %y, %ro : tensor<4x16xbf16>, tensor<4x16xf32>
}


// FUSED-LABEL: func.func @norm_gated(
// FUSED-COUNT-1: gpu.launch {{.*}} function(@ssm_rms_norm_fused
// FUSED-NOT:   gpu.launch
// FUSED:       return
// UNFUSED-LABEL: func.func @norm_gated(
// UNFUSED-COUNT-3: gpu.launch {{.*}} function(@ssm_rms_norm_unfused
// UNFUSED-NOT:   gpu.launch
// UNFUSED:       return
func.func @norm_gated(%x: tensor<4x16xf32>, %w: tensor<16xf32>,
    %z: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %y = ssm.rms_norm %x, %w z(%z)
      : (tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>)
      -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}


// FUSED-LABEL: func.func @norm_grad_plain(
// FUSED-COUNT-3: gpu.launch {{.*}} function(@ssm_rms_norm_grad_fused
// FUSED-NOT:   gpu.launch
// FUSED-NOT:   atomic_rmw
// FUSED:       return
// ATOMIC-LABEL: func.func @norm_grad_plain(
// ATOMIC:       gpu.launch {{.*}} function(@ssm_rms_norm_grad_fused
// ATOMIC:       gpu.launch {{.*}} function(@ssm_rms_norm_grad_fused
// ATOMIC:       memref.atomic_rmw addf
// ATOMIC-NOT:   gpu.launch
// ATOMIC:       return
// UNFUSED-LABEL: func.func @norm_grad_plain(
// UNFUSED-COUNT-6: gpu.launch {{.*}} function(@ssm_rms_norm_grad_unfused
// UNFUSED-NOT:   gpu.launch
// UNFUSED:       return
func.func @norm_grad_plain(%x: tensor<4x16xf32>, %w: tensor<16xf32>,
    %dy: tensor<4x16xf32>) -> (tensor<4x16xf32>, tensor<16xf32>) {
  %dx, %dw = ssm.rms_norm_grad %x, %w, %dy
      : tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>
      -> tensor<4x16xf32>, tensor<16xf32>
  return %dx, %dw : tensor<4x16xf32>, tensor<16xf32>
}


// FUSED-LABEL: func.func @norm_grad_residual(
// FUSED-COUNT-3: gpu.launch {{.*}} function(@ssm_rms_norm_grad_fused
// FUSED-NOT:   gpu.launch
// FUSED:       return
// UNFUSED-LABEL: func.func @norm_grad_residual(
// UNFUSED-COUNT-8: gpu.launch {{.*}} function(@ssm_rms_norm_grad_unfused
// UNFUSED-NOT:   gpu.launch
// UNFUSED:       return
func.func @norm_grad_residual(%x: tensor<4x16xf32>, %w: tensor<16xf32>,
    %res: tensor<4x16xf32>, %dy: tensor<4x16xf32>, %dro: tensor<4x16xf32>)
    -> (tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>) {
  %dx, %dw, %dr = ssm.rms_norm_grad %x, %w residual(%res), %dy
      d_residual_out(%dro)
      : tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>, tensor<4x16xf32>,
        tensor<4x16xf32>
      -> tensor<4x16xf32>, tensor<16xf32> dresidual tensor<4x16xf32>
  return %dx, %dw, %dr : tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>
}


// FUSED-LABEL: func.func @norm_grad_gated(
// FUSED-COUNT-3: gpu.launch {{.*}} function(@ssm_rms_norm_grad_fused
// FUSED-NOT:   gpu.launch
// FUSED:       return
// UNFUSED-LABEL: func.func @norm_grad_gated(
// UNFUSED-COUNT-8: gpu.launch {{.*}} function(@ssm_rms_norm_grad_unfused
// UNFUSED-NOT:   gpu.launch
// UNFUSED:       return
func.func @norm_grad_gated(%x: tensor<4x16xf32>, %w: tensor<16xf32>,
    %z: tensor<4x16xf32>, %dy: tensor<4x16xf32>)
    -> (tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>) {
  %dx, %dw, %dz = ssm.rms_norm_grad %x, %w z(%z), %dy
      : tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>, tensor<4x16xf32>
      -> tensor<4x16xf32>, tensor<16xf32> dz tensor<4x16xf32>
  return %dx, %dw, %dz : tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>
}


// FUSED-LABEL: func.func @conv_silu(
// FUSED-COUNT-1: gpu.launch {{.*}} function(@ssm_causal_conv1d_fused
// FUSED-NOT:   gpu.launch
// FUSED:       return
// UNFUSED-LABEL: func.func @conv_silu(
// UNFUSED-COUNT-2: gpu.launch {{.*}} function(@ssm_causal_conv1d_unfused
// UNFUSED-NOT:   gpu.launch
// UNFUSED:       return
func.func @conv_silu(%x: tensor<2x4x32xf32>, %w: tensor<4x3xf32>,
    %b: tensor<4xf32>) -> tensor<2x4x32xf32> {
  %y = ssm.causal_conv1d %x, %w bias(%b) activation silu
      : (tensor<2x4x32xf32>, tensor<4x3xf32>, tensor<4xf32>)
      -> tensor<2x4x32xf32>
  return %y : tensor<2x4x32xf32>
}


// FUSED-LABEL: func.func @conv_none(
// FUSED-COUNT-1: gpu.launch {{.*}} function(@ssm_causal_conv1d_fused
// FUSED-NOT:   gpu.launch
// FUSED:       return
// UNFUSED-LABEL: func.func @conv_none(
// UNFUSED-COUNT-1: gpu.launch {{.*}} function(@ssm_causal_conv1d_unfused
// UNFUSED-NOT:   gpu.launch
// UNFUSED:       return
func.func @conv_none(%x: tensor<2x4x32xf32>, %w: tensor<4x3xf32>)
    -> tensor<2x4x32xf32> {
  %y = ssm.causal_conv1d %x, %w activation none
      : (tensor<2x4x32xf32>, tensor<4x3xf32>) -> tensor<2x4x32xf32>
  return %y : tensor<2x4x32xf32>
}


// FUSED-LABEL: func.func @conv_grad_silu(
// FUSED-COUNT-6: gpu.launch {{.*}} function(@ssm_causal_conv1d_grad_fused
// FUSED-NOT:   gpu.launch
// FUSED:       return
// UNFUSED-LABEL: func.func @conv_grad_silu(
// UNFUSED-COUNT-8: gpu.launch {{.*}} function(@ssm_causal_conv1d_grad_unfused
// UNFUSED-NOT:   gpu.launch
// UNFUSED:       return
func.func @conv_grad_silu(%x: tensor<2x4x32xf32>, %w: tensor<4x3xf32>,
    %b: tensor<4xf32>, %dy: tensor<2x4x32xf32>)
    -> (tensor<2x4x32xf32>, tensor<4x3xf32>, tensor<4xf32>) {
  %dx, %dw, %db = ssm.causal_conv1d_grad %x, %w bias(%b), %dy activation silu
      : (tensor<2x4x32xf32>, tensor<4x3xf32>, tensor<4xf32>,
         tensor<2x4x32xf32>)
      -> (tensor<2x4x32xf32>, tensor<4x3xf32>, tensor<4xf32>)
  return %dx, %dw, %db : tensor<2x4x32xf32>, tensor<4x3xf32>, tensor<4xf32>
}


// FUSED-LABEL: func.func @conv_grad_none(
// FUSED-COUNT-4: gpu.launch {{.*}} function(@ssm_causal_conv1d_grad_fused
// FUSED-NOT:   gpu.launch
// FUSED:       return
// UNFUSED-LABEL: func.func @conv_grad_none(
// UNFUSED-COUNT-4: gpu.launch {{.*}} function(@ssm_causal_conv1d_grad_unfused
// UNFUSED-NOT:   gpu.launch
// UNFUSED:       return
func.func @conv_grad_none(%x: tensor<2x4x32xf32>, %w: tensor<4x3xf32>,
    %dy: tensor<2x4x32xf32>) -> (tensor<2x4x32xf32>, tensor<4x3xf32>) {
  %dx, %dw = ssm.causal_conv1d_grad %x, %w, %dy activation none
      : (tensor<2x4x32xf32>, tensor<4x3xf32>, tensor<2x4x32xf32>)
      -> (tensor<2x4x32xf32>, tensor<4x3xf32>)
  return %dx, %dw : tensor<2x4x32xf32>, tensor<4x3xf32>
}
