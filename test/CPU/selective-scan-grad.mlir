// RUN: ssm-compile %s --target=cpu -o %t.so
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
// RUN: ssm-run %t.so --entry grad_bias_softplus --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BIAS-SOFTPLUS
// RUN: ssm-run %t.so --entry grad_l1 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-L1
// RUN: ssm-run %t.so --entry grad_n1 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-N1
// RUN: ssm-run %t.so --entry grad_g_per_channel --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-G-PER-CHANNEL
// RUN: ssm-run %t.so --entry grad_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BF16
// RUN: ssm-run %t.so --entry grad_bf16 --seed 99 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BF16
// RUN: ssm-run %t.so --entry grad_bf16_f32_bc --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BF16-F32-BC
// RUN: ssm-run %t.so --entry grad_f16 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-F16

// Execution of ssm.selective_scan_grad on the CPU against the float64 oracle,
// with the default chunk length (64 > L: one chunk). Every cotangent present
// is checked, and the count catches a missing one.

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

// D alone: dD is the one optional result.
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

// z alone with d_last_state.
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

// delta_bias alone, softplus.
// GRAD-BIAS-SOFTPLUS: check du f32 {{.*}} PASS
// GRAD-BIAS-SOFTPLUS: check ddelta f32 {{.*}} PASS
// GRAD-BIAS-SOFTPLUS: check dA f32 {{.*}} PASS
// GRAD-BIAS-SOFTPLUS: check dB f32 {{.*}} PASS
// GRAD-BIAS-SOFTPLUS: check dC f32 {{.*}} PASS
// GRAD-BIAS-SOFTPLUS: check ddelta_bias f32 {{.*}} PASS
// GRAD-BIAS-SOFTPLUS: check: 6 passed, 0 failed
func.func @grad_bias_softplus(%u: tensor<1x4x8xf32>, %delta: tensor<1x4x8xf32>,
    %A: tensor<4x3xf32>, %B: tensor<1x1x3x8xf32>, %C: tensor<1x1x3x8xf32>,
    %db: tensor<4xf32>, %dy: tensor<1x4x8xf32>)
    -> (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x3xf32>,
        tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>, tensor<4xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %ddb = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C delta_bias(%db), %dy {delta_softplus}
      : tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x3xf32>,
        tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>, tensor<4xf32>,
        tensor<1x4x8xf32>
      -> tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x3xf32>,
         tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32> ddelta_bias tensor<4xf32>
  return %du, %ddelta, %dA, %dB, %dC, %ddb : tensor<1x4x8xf32>,
      tensor<1x4x8xf32>, tensor<4x3xf32>, tensor<1x1x3x8xf32>,
      tensor<1x1x3x8xf32>, tensor<4xf32>
}

// A single position (L=1).
// GRAD-L1: check du f32 {{.*}} PASS
// GRAD-L1: check ddelta f32 {{.*}} PASS
// GRAD-L1: check dA f32 {{.*}} PASS
// GRAD-L1: check dB f32 {{.*}} PASS
// GRAD-L1: check dC f32 {{.*}} PASS
// GRAD-L1: check dD f32 {{.*}} PASS
// GRAD-L1: check dz f32 {{.*}} PASS
// GRAD-L1: check ddelta_bias f32 {{.*}} PASS
// GRAD-L1: check: 8 passed, 0 failed
func.func @grad_l1(%u: tensor<2x4x1xf32>, %delta: tensor<2x4x1xf32>,
    %A: tensor<4x3xf32>, %B: tensor<2x1x3x1xf32>, %C: tensor<2x1x3x1xf32>,
    %D: tensor<4xf32>, %z: tensor<2x4x1xf32>, %db: tensor<4xf32>,
    %dy: tensor<2x4x1xf32>, %dh: tensor<2x4x3xf32>)
    -> (tensor<2x4x1xf32>, tensor<2x4x1xf32>, tensor<4x3xf32>,
        tensor<2x1x3x1xf32>, tensor<2x1x3x1xf32>, tensor<4xf32>,
        tensor<2x4x1xf32>, tensor<4xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db),
      %dy d_last_state(%dh) {delta_softplus}
      : tensor<2x4x1xf32>, tensor<2x4x1xf32>, tensor<4x3xf32>,
        tensor<2x1x3x1xf32>, tensor<2x1x3x1xf32>, tensor<4xf32>,
        tensor<2x4x1xf32>, tensor<4xf32>, tensor<2x4x1xf32>, tensor<2x4x3xf32>
      -> tensor<2x4x1xf32>, tensor<2x4x1xf32>, tensor<4x3xf32>,
         tensor<2x1x3x1xf32>, tensor<2x1x3x1xf32> dD tensor<4xf32>
         dz tensor<2x4x1xf32> ddelta_bias tensor<4xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb : tensor<2x4x1xf32>,
      tensor<2x4x1xf32>, tensor<4x3xf32>, tensor<2x1x3x1xf32>,
      tensor<2x1x3x1xf32>, tensor<4xf32>, tensor<2x4x1xf32>, tensor<4xf32>
}

// A single state per channel (N=1).
// GRAD-N1: check du f32 {{.*}} PASS
// GRAD-N1: check ddelta f32 {{.*}} PASS
// GRAD-N1: check dA f32 {{.*}} PASS
// GRAD-N1: check dB f32 {{.*}} PASS
// GRAD-N1: check dC f32 {{.*}} PASS
// GRAD-N1: check dD f32 {{.*}} PASS
// GRAD-N1: check: 6 passed, 0 failed
func.func @grad_n1(%u: tensor<2x4x8xf32>, %delta: tensor<2x4x8xf32>,
    %A: tensor<4x1xf32>, %B: tensor<2x1x1x8xf32>, %C: tensor<2x1x1x8xf32>,
    %D: tensor<4xf32>, %dy: tensor<2x4x8xf32>, %dh: tensor<2x4x1xf32>)
    -> (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x1xf32>,
        tensor<2x1x1x8xf32>, tensor<2x1x1x8xf32>, tensor<4xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D), %dy d_last_state(%dh)
      : tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x1xf32>,
        tensor<2x1x1x8xf32>, tensor<2x1x1x8xf32>, tensor<4xf32>,
        tensor<2x4x8xf32>, tensor<2x4x1xf32>
      -> tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x1xf32>,
         tensor<2x1x1x8xf32>, tensor<2x1x1x8xf32> dD tensor<4xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD : tensor<2x4x8xf32>,
      tensor<2x4x8xf32>, tensor<4x1xf32>, tensor<2x1x1x8xf32>,
      tensor<2x1x1x8xf32>, tensor<4xf32>
}

// One group per channel (G=D).
// GRAD-G-PER-CHANNEL: check du f32 {{.*}} PASS
// GRAD-G-PER-CHANNEL: check ddelta f32 {{.*}} PASS
// GRAD-G-PER-CHANNEL: check dA f32 {{.*}} PASS
// GRAD-G-PER-CHANNEL: check dB f32 {{.*}} PASS
// GRAD-G-PER-CHANNEL: check dC f32 {{.*}} PASS
// GRAD-G-PER-CHANNEL: check dz f32 {{.*}} PASS
// GRAD-G-PER-CHANNEL: check: 6 passed, 0 failed
func.func @grad_g_per_channel(%u: tensor<1x4x8xf32>, %delta: tensor<1x4x8xf32>,
    %A: tensor<4x2xf32>, %B: tensor<1x4x2x8xf32>, %C: tensor<1x4x2x8xf32>,
    %z: tensor<1x4x8xf32>, %dy: tensor<1x4x8xf32>)
    -> (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x2xf32>,
        tensor<1x4x2x8xf32>, tensor<1x4x2x8xf32>, tensor<1x4x8xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dz = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C z(%z), %dy
      : tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x2xf32>,
        tensor<1x4x2x8xf32>, tensor<1x4x2x8xf32>, tensor<1x4x8xf32>,
        tensor<1x4x8xf32>
      -> tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x2xf32>,
         tensor<1x4x2x8xf32>, tensor<1x4x2x8xf32> dz tensor<1x4x8xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dz : tensor<1x4x8xf32>,
      tensor<1x4x8xf32>, tensor<4x2xf32>, tensor<1x4x2x8xf32>,
      tensor<1x4x2x8xf32>, tensor<1x4x8xf32>
}

// bf16 activations and B/C, G=2, everything present.
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

// bf16 activations with f32 B/C.
// GRAD-BF16-F32-BC: check du bf16 {{.*}} PASS
// GRAD-BF16-F32-BC: check ddelta bf16 {{.*}} PASS
// GRAD-BF16-F32-BC: check dA f32 {{.*}} PASS
// GRAD-BF16-F32-BC: check dB f32 {{.*}} PASS
// GRAD-BF16-F32-BC: check dC f32 {{.*}} PASS
// GRAD-BF16-F32-BC: check dD f32 {{.*}} PASS
// GRAD-BF16-F32-BC: check: 6 passed, 0 failed
func.func @grad_bf16_f32_bc(%u: tensor<1x4x8xbf16>, %delta: tensor<1x4x8xbf16>,
    %A: tensor<4x3xf32>, %B: tensor<1x1x3x8xf32>, %C: tensor<1x1x3x8xf32>,
    %D: tensor<4xf32>, %dy: tensor<1x4x8xbf16>)
    -> (tensor<1x4x8xbf16>, tensor<1x4x8xbf16>, tensor<4x3xf32>,
        tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>, tensor<4xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D), %dy
      : tensor<1x4x8xbf16>, tensor<1x4x8xbf16>, tensor<4x3xf32>,
        tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>, tensor<4xf32>,
        tensor<1x4x8xbf16>
      -> tensor<1x4x8xbf16>, tensor<1x4x8xbf16>, tensor<4x3xf32>,
         tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32> dD tensor<4xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD : tensor<1x4x8xbf16>,
      tensor<1x4x8xbf16>, tensor<4x3xf32>, tensor<1x1x3x8xf32>,
      tensor<1x1x3x8xf32>, tensor<4xf32>
}

// f16 activations and B/C.
// GRAD-F16: check du f16 {{.*}} PASS
// GRAD-F16: check ddelta f16 {{.*}} PASS
// GRAD-F16: check dA f32 {{.*}} PASS
// GRAD-F16: check dB f16 {{.*}} PASS
// GRAD-F16: check dC f16 {{.*}} PASS
// GRAD-F16: check dD f32 {{.*}} PASS
// GRAD-F16: check dz f16 {{.*}} PASS
// GRAD-F16: check: 7 passed, 0 failed
func.func @grad_f16(%u: tensor<1x4x8xf16>, %delta: tensor<1x4x8xf16>,
    %A: tensor<4x3xf32>, %B: tensor<1x1x3x8xf16>, %C: tensor<1x1x3x8xf16>,
    %D: tensor<4xf32>, %z: tensor<1x4x8xf16>, %dy: tensor<1x4x8xf16>)
    -> (tensor<1x4x8xf16>, tensor<1x4x8xf16>, tensor<4x3xf32>,
        tensor<1x1x3x8xf16>, tensor<1x1x3x8xf16>, tensor<4xf32>,
        tensor<1x4x8xf16>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z), %dy {delta_softplus}
      : tensor<1x4x8xf16>, tensor<1x4x8xf16>, tensor<4x3xf32>,
        tensor<1x1x3x8xf16>, tensor<1x1x3x8xf16>, tensor<4xf32>,
        tensor<1x4x8xf16>, tensor<1x4x8xf16>
      -> tensor<1x4x8xf16>, tensor<1x4x8xf16>, tensor<4x3xf32>,
         tensor<1x1x3x8xf16>, tensor<1x1x3x8xf16> dD tensor<4xf32>
         dz tensor<1x4x8xf16>
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz : tensor<1x4x8xf16>,
      tensor<1x4x8xf16>, tensor<4x3xf32>, tensor<1x1x3x8xf16>,
      tensor<1x1x3x8xf16>, tensor<4xf32>, tensor<1x4x8xf16>
}
