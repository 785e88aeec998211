// RUN: ssm-compile %s --target=cpu --variant=unfused -o %t.so
// RUN: ssm-run %t.so --entry fwd_small --check \
// RUN:   | FileCheck %s --check-prefix=FWD-SMALL
// RUN: ssm-run %t.so --entry fwd_all --check \
// RUN:   | FileCheck %s --check-prefix=FWD-ALL
// RUN: ssm-run %t.so --entry fwd_all --seed 7 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-ALL
// RUN: ssm-run %t.so --entry fwd_z_only --check \
// RUN:   | FileCheck %s --check-prefix=FWD-Z-ONLY
// RUN: ssm-run %t.so --entry fwd_groups_warp --check \
// RUN:   | FileCheck %s --check-prefix=FWD-GROUPS-WARP
// RUN: ssm-run %t.so --entry fwd_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BF16
// RUN: ssm-run %t.so --entry grad_small --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-SMALL
// RUN: ssm-run %t.so --entry grad_all --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-ALL
// RUN: ssm-run %t.so --entry grad_all --seed 3 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-ALL
// RUN: ssm-run %t.so --entry grad_d_only --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-D-ONLY
// RUN: ssm-run %t.so --entry grad_z_last_state --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-Z-LAST-STATE
// RUN: ssm-run %t.so --entry grad_groups_warp --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-GROUPS-WARP
// RUN: ssm-run %t.so --entry grad_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BF16
// RUN: ssm-run %t.so --entry grad_bf16 --seed 99 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BF16

// Execution of the `unfused` variant of ssm.selective_scan(_grad) (every
// step its own kernel, [B,D,L,N] intermediates in memory) on the CPU
// against the float64 oracle. Each entry checks every result and the count,
// so a missing tensor fails.

// Minimal form: no optional operand, no softplus (no time-step kernel).
// FWD-SMALL: check y f32 {{.*}} PASS
// FWD-SMALL: check last_state f32 {{.*}} PASS
// FWD-SMALL: check: 2 passed, 0 failed
func.func @fwd_small(%u: tensor<2x4x8xf32>, %delta: tensor<2x4x8xf32>,
    %A: tensor<4x3xf32>, %B: tensor<2x1x3x8xf32>, %C: tensor<2x1x3x8xf32>)
    -> (tensor<2x4x8xf32>, tensor<2x4x3xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
         tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>)
      -> (tensor<2x4x8xf32>, tensor<2x4x3xf32>)
  return %y, %s : tensor<2x4x8xf32>, tensor<2x4x3xf32>
}

// Every optional operand, softplus, G=2 groups of channels.
// FWD-ALL: check y f32 {{.*}} PASS
// FWD-ALL: check last_state f32 {{.*}} PASS
// FWD-ALL: check: 2 passed, 0 failed
func.func @fwd_all(%u: tensor<2x4x8xf32>, %delta: tensor<2x4x8xf32>,
    %A: tensor<4x3xf32>, %B: tensor<2x2x3x8xf32>, %C: tensor<2x2x3x8xf32>,
    %D: tensor<4xf32>, %z: tensor<2x4x8xf32>, %db: tensor<4xf32>)
    -> (tensor<2x4x8xf32>, tensor<2x4x3xf32>) {
  %y, %s = ssm.selective_scan
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db) {delta_softplus}
      : (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
         tensor<2x2x3x8xf32>, tensor<2x2x3x8xf32>, tensor<4xf32>,
         tensor<2x4x8xf32>, tensor<4xf32>)
      -> (tensor<2x4x8xf32>, tensor<2x4x3xf32>)
  return %y, %s : tensor<2x4x8xf32>, tensor<2x4x3xf32>
}

// z without D: the gate reads the contraction directly.
// FWD-Z-ONLY: check y f32 {{.*}} PASS
// FWD-Z-ONLY: check last_state f32 {{.*}} PASS
// FWD-Z-ONLY: check: 2 passed, 0 failed
func.func @fwd_z_only(%u: tensor<1x4x8xf32>, %delta: tensor<1x4x8xf32>,
    %A: tensor<4x3xf32>, %B: tensor<1x1x3x8xf32>, %C: tensor<1x1x3x8xf32>,
    %z: tensor<1x4x8xf32>) -> (tensor<1x4x8xf32>, tensor<1x4x3xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C z(%z)
      : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x3xf32>,
         tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>, tensor<1x4x8xf32>)
      -> (tensor<1x4x8xf32>, tensor<1x4x3xf32>)
  return %y, %s : tensor<1x4x8xf32>, tensor<1x4x3xf32>
}

// G=4 groups of two channels, L=64 and N=32 (whole warps along the
// innermost index when compiled for the GPU), D and delta_bias without
// softplus.
// FWD-GROUPS-WARP: check y f32 {{.*}} PASS
// FWD-GROUPS-WARP: check last_state f32 {{.*}} PASS
// FWD-GROUPS-WARP: check: 2 passed, 0 failed
func.func @fwd_groups_warp(%u: tensor<2x8x64xf32>, %delta: tensor<2x8x64xf32>,
    %A: tensor<8x32xf32>, %B: tensor<2x4x32x64xf32>,
    %C: tensor<2x4x32x64xf32>, %D: tensor<8xf32>, %db: tensor<8xf32>)
    -> (tensor<2x8x64xf32>, tensor<2x8x32xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) delta_bias(%db)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<8x32xf32>,
         tensor<2x4x32x64xf32>, tensor<2x4x32x64xf32>, tensor<8xf32>,
         tensor<8xf32>)
      -> (tensor<2x8x64xf32>, tensor<2x8x32xf32>)
  return %y, %s : tensor<2x8x64xf32>, tensor<2x8x32xf32>
}

// bf16 activations and B/C, G=2, every optional operand.
// FWD-BF16: check y bf16 {{.*}} PASS
// FWD-BF16: check last_state f32 {{.*}} PASS
// FWD-BF16: check: 2 passed, 0 failed
func.func @fwd_bf16(%u: tensor<2x4x8xbf16>, %delta: tensor<2x4x8xbf16>,
    %A: tensor<4x3xf32>, %B: tensor<2x2x3x8xbf16>, %C: tensor<2x2x3x8xbf16>,
    %D: tensor<4xf32>, %z: tensor<2x4x8xbf16>, %db: tensor<4xf32>)
    -> (tensor<2x4x8xbf16>, tensor<2x4x3xf32>) {
  %y, %s = ssm.selective_scan
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db) {delta_softplus}
      : (tensor<2x4x8xbf16>, tensor<2x4x8xbf16>, tensor<4x3xf32>,
         tensor<2x2x3x8xbf16>, tensor<2x2x3x8xbf16>, tensor<4xf32>,
         tensor<2x4x8xbf16>, tensor<4xf32>)
      -> (tensor<2x4x8xbf16>, tensor<2x4x3xf32>)
  return %y, %s : tensor<2x4x8xbf16>, tensor<2x4x3xf32>
}

// Minimal form: no optional operand, no d_last_state.
// GRAD-SMALL: check du f32 {{.*}} PASS
// GRAD-SMALL: check ddelta f32 {{.*}} PASS
// GRAD-SMALL: check dA f32 {{.*}} PASS
// GRAD-SMALL: check dB f32 {{.*}} PASS
// GRAD-SMALL: check dC f32 {{.*}} PASS
// GRAD-SMALL: check: 5 passed, 0 failed
func.func @grad_small(%u: tensor<2x4x8xf32>, %delta: tensor<2x4x8xf32>,
    %A: tensor<4x3xf32>, %B: tensor<2x1x3x8xf32>, %C: tensor<2x1x3x8xf32>,
    %dy: tensor<2x4x8xf32>)
    -> (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
        tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>) {
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
        tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>, tensor<2x4x8xf32>
      -> tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
         tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>
  return %du, %ddelta, %dA, %dB, %dC : tensor<2x4x8xf32>, tensor<2x4x8xf32>,
      tensor<4x3xf32>, tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>
}

// Every optional operand and result, d_last_state, softplus, G=2.
// GRAD-ALL: check du f32 {{.*}} PASS
// GRAD-ALL: check ddelta f32 {{.*}} PASS
// GRAD-ALL: check dA f32 {{.*}} PASS
// GRAD-ALL: check dB f32 {{.*}} PASS
// GRAD-ALL: check dC f32 {{.*}} PASS
// GRAD-ALL: check dD f32 {{.*}} PASS
// GRAD-ALL: check dz f32 {{.*}} PASS
// GRAD-ALL: check ddelta_bias f32 {{.*}} PASS
// GRAD-ALL: check: 8 passed, 0 failed
func.func @grad_all(%u: tensor<2x4x8xf32>, %delta: tensor<2x4x8xf32>,
    %A: tensor<4x3xf32>, %B: tensor<2x2x3x8xf32>, %C: tensor<2x2x3x8xf32>,
    %D: tensor<4xf32>, %z: tensor<2x4x8xf32>, %db: tensor<4xf32>,
    %dy: tensor<2x4x8xf32>, %dh: tensor<2x4x3xf32>)
    -> (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
        tensor<2x2x3x8xf32>, tensor<2x2x3x8xf32>, tensor<4xf32>,
        tensor<2x4x8xf32>, tensor<4xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db),
      %dy d_last_state(%dh) {delta_softplus}
      : tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
        tensor<2x2x3x8xf32>, tensor<2x2x3x8xf32>, tensor<4xf32>,
        tensor<2x4x8xf32>, tensor<4xf32>, tensor<2x4x8xf32>, tensor<2x4x3xf32>
      -> tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
         tensor<2x2x3x8xf32>, tensor<2x2x3x8xf32> dD tensor<4xf32>
         dz tensor<2x4x8xf32> ddelta_bias tensor<4xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb : tensor<2x4x8xf32>,
      tensor<2x4x8xf32>, tensor<4x3xf32>, tensor<2x2x3x8xf32>,
      tensor<2x2x3x8xf32>, tensor<4xf32>, tensor<2x4x8xf32>, tensor<4xf32>
}

// D without z: the skip's backward reads dy itself.
// GRAD-D-ONLY: check du f32 {{.*}} PASS
// GRAD-D-ONLY: check ddelta f32 {{.*}} PASS
// GRAD-D-ONLY: check dA f32 {{.*}} PASS
// GRAD-D-ONLY: check dB f32 {{.*}} PASS
// GRAD-D-ONLY: check dC f32 {{.*}} PASS
// GRAD-D-ONLY: check dD f32 {{.*}} PASS
// GRAD-D-ONLY: check: 6 passed, 0 failed
func.func @grad_d_only(%u: tensor<1x4x8xf32>, %delta: tensor<1x4x8xf32>,
    %A: tensor<4x3xf32>, %B: tensor<1x1x3x8xf32>, %C: tensor<1x1x3x8xf32>,
    %D: tensor<4xf32>, %dy: tensor<1x4x8xf32>)
    -> (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x3xf32>,
        tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>, tensor<4xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D), %dy
      : tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x3xf32>,
        tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>, tensor<4xf32>,
        tensor<1x4x8xf32>
      -> tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x3xf32>,
         tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32> dD tensor<4xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD : tensor<1x4x8xf32>,
      tensor<1x4x8xf32>, tensor<4x3xf32>, tensor<1x1x3x8xf32>,
      tensor<1x1x3x8xf32>, tensor<4xf32>
}

// z without D, with d_last_state: the recomputed pre-gate output is the
// contraction alone.
// GRAD-Z-LAST-STATE: check du f32 {{.*}} PASS
// GRAD-Z-LAST-STATE: check ddelta f32 {{.*}} PASS
// GRAD-Z-LAST-STATE: check dA f32 {{.*}} PASS
// GRAD-Z-LAST-STATE: check dB f32 {{.*}} PASS
// GRAD-Z-LAST-STATE: check dC f32 {{.*}} PASS
// GRAD-Z-LAST-STATE: check dz f32 {{.*}} PASS
// GRAD-Z-LAST-STATE: check: 6 passed, 0 failed
func.func @grad_z_last_state(%u: tensor<1x4x8xf32>, %delta: tensor<1x4x8xf32>,
    %A: tensor<4x3xf32>, %B: tensor<1x1x3x8xf32>, %C: tensor<1x1x3x8xf32>,
    %z: tensor<1x4x8xf32>, %dy: tensor<1x4x8xf32>, %dh: tensor<1x4x3xf32>)
    -> (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x3xf32>,
        tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>, tensor<1x4x8xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dz = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C z(%z), %dy d_last_state(%dh)
      : tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x3xf32>,
        tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>, tensor<1x4x8xf32>,
        tensor<1x4x8xf32>, tensor<1x4x3xf32>
      -> tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x3xf32>,
         tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32> dz tensor<1x4x8xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dz : tensor<1x4x8xf32>,
      tensor<1x4x8xf32>, tensor<4x3xf32>, tensor<1x1x3x8xf32>,
      tensor<1x1x3x8xf32>, tensor<1x4x8xf32>
}

// G=4 groups of two channels, L=64 and N=32 (on the GPU, dD and
// ddelta_bias are summed across whole warps), every optional operand,
// d_last_state, softplus.
// GRAD-GROUPS-WARP: check du f32 {{.*}} PASS
// GRAD-GROUPS-WARP: check ddelta f32 {{.*}} PASS
// GRAD-GROUPS-WARP: check dA f32 {{.*}} PASS
// GRAD-GROUPS-WARP: check dB f32 {{.*}} PASS
// GRAD-GROUPS-WARP: check dC f32 {{.*}} PASS
// GRAD-GROUPS-WARP: check dD f32 {{.*}} PASS
// GRAD-GROUPS-WARP: check dz f32 {{.*}} PASS
// GRAD-GROUPS-WARP: check ddelta_bias f32 {{.*}} PASS
// GRAD-GROUPS-WARP: check: 8 passed, 0 failed
func.func @grad_groups_warp(%u: tensor<2x8x64xf32>,
    %delta: tensor<2x8x64xf32>, %A: tensor<8x32xf32>,
    %B: tensor<2x4x32x64xf32>, %C: tensor<2x4x32x64xf32>, %D: tensor<8xf32>,
    %z: tensor<2x8x64xf32>, %db: tensor<8xf32>, %dy: tensor<2x8x64xf32>,
    %dh: tensor<2x8x32xf32>)
    -> (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<8x32xf32>,
        tensor<2x4x32x64xf32>, tensor<2x4x32x64xf32>, tensor<8xf32>,
        tensor<2x8x64xf32>, tensor<8xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db),
      %dy d_last_state(%dh) {delta_softplus}
      : tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<8x32xf32>,
        tensor<2x4x32x64xf32>, tensor<2x4x32x64xf32>, tensor<8xf32>,
        tensor<2x8x64xf32>, tensor<8xf32>, tensor<2x8x64xf32>,
        tensor<2x8x32xf32>
      -> tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<8x32xf32>,
         tensor<2x4x32x64xf32>, tensor<2x4x32x64xf32> dD tensor<8xf32>
         dz tensor<2x8x64xf32> ddelta_bias tensor<8xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb : tensor<2x8x64xf32>,
      tensor<2x8x64xf32>, tensor<8x32xf32>, tensor<2x4x32x64xf32>,
      tensor<2x4x32x64xf32>, tensor<8xf32>, tensor<2x8x64xf32>, tensor<8xf32>
}

// bf16 activations and B/C (dB, dC through f32 scratch), G=2, everything
// present, d_last_state.
// GRAD-BF16: check du bf16 {{.*}} PASS
// GRAD-BF16: check ddelta bf16 {{.*}} PASS
// GRAD-BF16: check dA f32 {{.*}} PASS
// GRAD-BF16: check dB bf16 {{.*}} PASS
// GRAD-BF16: check dC bf16 {{.*}} PASS
// GRAD-BF16: check dD f32 {{.*}} PASS
// GRAD-BF16: check dz bf16 {{.*}} PASS
// GRAD-BF16: check ddelta_bias f32 {{.*}} PASS
// GRAD-BF16: check: 8 passed, 0 failed
func.func @grad_bf16(%u: tensor<2x4x8xbf16>, %delta: tensor<2x4x8xbf16>,
    %A: tensor<4x3xf32>, %B: tensor<2x2x3x8xbf16>, %C: tensor<2x2x3x8xbf16>,
    %D: tensor<4xf32>, %z: tensor<2x4x8xbf16>, %db: tensor<4xf32>,
    %dy: tensor<2x4x8xbf16>, %dh: tensor<2x4x3xf32>)
    -> (tensor<2x4x8xbf16>, tensor<2x4x8xbf16>, tensor<4x3xf32>,
        tensor<2x2x3x8xbf16>, tensor<2x2x3x8xbf16>, tensor<4xf32>,
        tensor<2x4x8xbf16>, tensor<4xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db),
      %dy d_last_state(%dh) {delta_softplus}
      : tensor<2x4x8xbf16>, tensor<2x4x8xbf16>, tensor<4x3xf32>,
        tensor<2x2x3x8xbf16>, tensor<2x2x3x8xbf16>, tensor<4xf32>,
        tensor<2x4x8xbf16>, tensor<4xf32>, tensor<2x4x8xbf16>, tensor<2x4x3xf32>
      -> tensor<2x4x8xbf16>, tensor<2x4x8xbf16>, tensor<4x3xf32>,
         tensor<2x2x3x8xbf16>, tensor<2x2x3x8xbf16> dD tensor<4xf32>
         dz tensor<2x4x8xbf16> ddelta_bias tensor<4xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb : tensor<2x4x8xbf16>,
      tensor<2x4x8xbf16>, tensor<4x3xf32>, tensor<2x2x3x8xbf16>,
      tensor<2x2x3x8xbf16>, tensor<4xf32>, tensor<2x4x8xbf16>, tensor<4xf32>
}
