// RUN: ssm-compile %s --target=cpu -o %t.so
// RUN: ssm-run %t.so --entry fwd_small --check \
// RUN:   | FileCheck %s --check-prefix=FWD-SMALL
// RUN: ssm-run %t.so --entry fwd_all --check \
// RUN:   | FileCheck %s --check-prefix=FWD-ALL
// RUN: ssm-run %t.so --entry fwd_all --seed 7 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-ALL
// RUN: ssm-run %t.so --entry fwd_d_only --check \
// RUN:   | FileCheck %s --check-prefix=FWD-D-ONLY
// RUN: ssm-run %t.so --entry fwd_z_only --check \
// RUN:   | FileCheck %s --check-prefix=FWD-Z-ONLY
// RUN: ssm-run %t.so --entry fwd_bias_softplus --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BIAS-SOFTPLUS
// RUN: ssm-run %t.so --entry fwd_l1 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-L1
// RUN: ssm-run %t.so --entry fwd_n1 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-N1
// RUN: ssm-run %t.so --entry fwd_g_per_channel --check \
// RUN:   | FileCheck %s --check-prefix=FWD-G-PER-CHANNEL
// RUN: ssm-run %t.so --entry fwd_long --check \
// RUN:   | FileCheck %s --check-prefix=FWD-LONG
// RUN: ssm-run %t.so --entry fwd_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BF16
// RUN: ssm-run %t.so --entry fwd_bf16 --seed 123 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BF16
// RUN: ssm-run %t.so --entry fwd_bf16_f32_bc --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BF16-F32-BC
// RUN: ssm-run %t.so --entry fwd_f16 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-F16

// Execution of ssm.selective_scan on the CPU against the float64 oracle:
// each entry checks y and last_state and the count, so a missing tensor fails.

// Minimal form: no optional operand, no softplus.
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

// D alone.
// FWD-D-ONLY: check y f32 {{.*}} PASS
// FWD-D-ONLY: check last_state f32 {{.*}} PASS
// FWD-D-ONLY: check: 2 passed, 0 failed
func.func @fwd_d_only(%u: tensor<1x4x8xf32>, %delta: tensor<1x4x8xf32>,
    %A: tensor<4x3xf32>, %B: tensor<1x1x3x8xf32>, %C: tensor<1x1x3x8xf32>,
    %D: tensor<4xf32>) -> (tensor<1x4x8xf32>, tensor<1x4x3xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D)
      : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x3xf32>,
         tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>, tensor<4xf32>)
      -> (tensor<1x4x8xf32>, tensor<1x4x3xf32>)
  return %y, %s : tensor<1x4x8xf32>, tensor<1x4x3xf32>
}

// z alone (gated output).
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

// delta_bias with softplus.
// FWD-BIAS-SOFTPLUS: check y f32 {{.*}} PASS
// FWD-BIAS-SOFTPLUS: check last_state f32 {{.*}} PASS
// FWD-BIAS-SOFTPLUS: check: 2 passed, 0 failed
func.func @fwd_bias_softplus(%u: tensor<1x4x8xf32>, %delta: tensor<1x4x8xf32>,
    %A: tensor<4x3xf32>, %B: tensor<1x1x3x8xf32>, %C: tensor<1x1x3x8xf32>,
    %db: tensor<4xf32>) -> (tensor<1x4x8xf32>, tensor<1x4x3xf32>) {
  %y, %s = ssm.selective_scan
      %u, %delta, %A, %B, %C delta_bias(%db) {delta_softplus}
      : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x3xf32>,
         tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>, tensor<4xf32>)
      -> (tensor<1x4x8xf32>, tensor<1x4x3xf32>)
  return %y, %s : tensor<1x4x8xf32>, tensor<1x4x3xf32>
}

// A single position (L=1).
// FWD-L1: check y f32 {{.*}} PASS
// FWD-L1: check last_state f32 {{.*}} PASS
// FWD-L1: check: 2 passed, 0 failed
func.func @fwd_l1(%u: tensor<2x4x1xf32>, %delta: tensor<2x4x1xf32>,
    %A: tensor<4x3xf32>, %B: tensor<2x1x3x1xf32>, %C: tensor<2x1x3x1xf32>,
    %D: tensor<4xf32>, %z: tensor<2x4x1xf32>)
    -> (tensor<2x4x1xf32>, tensor<2x4x3xf32>) {
  %y, %s = ssm.selective_scan
      %u, %delta, %A, %B, %C D(%D) z(%z) {delta_softplus}
      : (tensor<2x4x1xf32>, tensor<2x4x1xf32>, tensor<4x3xf32>,
         tensor<2x1x3x1xf32>, tensor<2x1x3x1xf32>, tensor<4xf32>,
         tensor<2x4x1xf32>)
      -> (tensor<2x4x1xf32>, tensor<2x4x3xf32>)
  return %y, %s : tensor<2x4x1xf32>, tensor<2x4x3xf32>
}

// A single state per channel (N=1).
// FWD-N1: check y f32 {{.*}} PASS
// FWD-N1: check last_state f32 {{.*}} PASS
// FWD-N1: check: 2 passed, 0 failed
func.func @fwd_n1(%u: tensor<2x4x8xf32>, %delta: tensor<2x4x8xf32>,
    %A: tensor<4x1xf32>, %B: tensor<2x1x1x8xf32>, %C: tensor<2x1x1x8xf32>,
    %D: tensor<4xf32>) -> (tensor<2x4x8xf32>, tensor<2x4x1xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D)
      : (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x1xf32>,
         tensor<2x1x1x8xf32>, tensor<2x1x1x8xf32>, tensor<4xf32>)
      -> (tensor<2x4x8xf32>, tensor<2x4x1xf32>)
  return %y, %s : tensor<2x4x8xf32>, tensor<2x4x1xf32>
}

// One group per channel (G=D).
// FWD-G-PER-CHANNEL: check y f32 {{.*}} PASS
// FWD-G-PER-CHANNEL: check last_state f32 {{.*}} PASS
// FWD-G-PER-CHANNEL: check: 2 passed, 0 failed
func.func @fwd_g_per_channel(%u: tensor<1x4x8xf32>, %delta: tensor<1x4x8xf32>,
    %A: tensor<4x2xf32>, %B: tensor<1x4x2x8xf32>, %C: tensor<1x4x2x8xf32>,
    %D: tensor<4xf32>, %db: tensor<4xf32>)
    -> (tensor<1x4x8xf32>, tensor<1x4x2xf32>) {
  %y, %s = ssm.selective_scan
      %u, %delta, %A, %B, %C D(%D) delta_bias(%db) {delta_softplus}
      : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x2xf32>,
         tensor<1x4x2x8xf32>, tensor<1x4x2x8xf32>, tensor<4xf32>, tensor<4xf32>)
      -> (tensor<1x4x8xf32>, tensor<1x4x2xf32>)
  return %y, %s : tensor<1x4x8xf32>, tensor<1x4x2xf32>
}

// A length that is a multiple of no block size (L=37).
// FWD-LONG: check y f32 {{.*}} PASS
// FWD-LONG: check last_state f32 {{.*}} PASS
// FWD-LONG: check: 2 passed, 0 failed
func.func @fwd_long(%u: tensor<1x2x37xf32>, %delta: tensor<1x2x37xf32>,
    %A: tensor<2x3xf32>, %B: tensor<1x1x3x37xf32>, %C: tensor<1x1x3x37xf32>,
    %D: tensor<2xf32>, %z: tensor<1x2x37xf32>, %db: tensor<2xf32>)
    -> (tensor<1x2x37xf32>, tensor<1x2x3xf32>) {
  %y, %s = ssm.selective_scan
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db) {delta_softplus}
      : (tensor<1x2x37xf32>, tensor<1x2x37xf32>, tensor<2x3xf32>,
         tensor<1x1x3x37xf32>, tensor<1x1x3x37xf32>, tensor<2xf32>,
         tensor<1x2x37xf32>, tensor<2xf32>)
      -> (tensor<1x2x37xf32>, tensor<1x2x3xf32>)
  return %y, %s : tensor<1x2x37xf32>, tensor<1x2x3xf32>
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

// bf16 activations with f32 B/C.
// FWD-BF16-F32-BC: check y bf16 {{.*}} PASS
// FWD-BF16-F32-BC: check last_state f32 {{.*}} PASS
// FWD-BF16-F32-BC: check: 2 passed, 0 failed
func.func @fwd_bf16_f32_bc(%u: tensor<1x4x8xbf16>, %delta: tensor<1x4x8xbf16>,
    %A: tensor<4x3xf32>, %B: tensor<1x1x3x8xf32>, %C: tensor<1x1x3x8xf32>,
    %z: tensor<1x4x8xbf16>) -> (tensor<1x4x8xbf16>, tensor<1x4x3xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C z(%z)
      : (tensor<1x4x8xbf16>, tensor<1x4x8xbf16>, tensor<4x3xf32>,
         tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>, tensor<1x4x8xbf16>)
      -> (tensor<1x4x8xbf16>, tensor<1x4x3xf32>)
  return %y, %s : tensor<1x4x8xbf16>, tensor<1x4x3xf32>
}

// f16 activations and B/C.
// FWD-F16: check y f16 {{.*}} PASS
// FWD-F16: check last_state f32 {{.*}} PASS
// FWD-F16: check: 2 passed, 0 failed
func.func @fwd_f16(%u: tensor<1x4x8xf16>, %delta: tensor<1x4x8xf16>,
    %A: tensor<4x3xf32>, %B: tensor<1x1x3x8xf16>, %C: tensor<1x1x3x8xf16>,
    %D: tensor<4xf32>, %z: tensor<1x4x8xf16>)
    -> (tensor<1x4x8xf16>, tensor<1x4x3xf32>) {
  %y, %s = ssm.selective_scan
      %u, %delta, %A, %B, %C D(%D) z(%z) {delta_softplus}
      : (tensor<1x4x8xf16>, tensor<1x4x8xf16>, tensor<4x3xf32>,
         tensor<1x1x3x8xf16>, tensor<1x1x3x8xf16>, tensor<4xf32>,
         tensor<1x4x8xf16>)
      -> (tensor<1x4x8xf16>, tensor<1x4x3xf32>)
  return %y, %s : tensor<1x4x8xf16>, tensor<1x4x3xf32>
}
