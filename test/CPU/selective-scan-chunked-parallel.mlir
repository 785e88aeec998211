// RUN: ssm-compile %s --target=cpu --scan-strategy=chunked-parallel --chunk-len=16 -o %t.q16.so
// RUN: ssm-run %t.q16.so --entry fwd_all --check | FileCheck %s --check-prefix=FWD-ALL
// RUN: ssm-run %t.q16.so --entry fwd_ragged --check | FileCheck %s --check-prefix=FWD-RAGGED
// RUN: ssm-run %t.q16.so --entry fwd_min --check | FileCheck %s --check-prefix=FWD-MIN
// RUN: ssm-run %t.q16.so --entry fwd_bf16 --check | FileCheck %s --check-prefix=FWD-BF16
// RUN: ssm-run %t.q16.so --entry grad_all --check | FileCheck %s --check-prefix=GRAD-ALL
// RUN: ssm-run %t.q16.so --entry grad_ragged --check | FileCheck %s --check-prefix=GRAD-RAGGED
// RUN: ssm-run %t.q16.so --entry grad_min --check | FileCheck %s --check-prefix=GRAD-MIN
// RUN: ssm-run %t.q16.so --entry grad_bf16 --check | FileCheck %s --check-prefix=GRAD-BF16
// RUN: ssm-compile %s --target=cpu --scan-strategy=chunked-parallel --chunk-len=8 -o %t.q8.so
// RUN: ssm-run %t.q8.so --entry fwd_all --check | FileCheck %s --check-prefix=FWD-ALL
// RUN: ssm-run %t.q8.so --entry fwd_ragged --check | FileCheck %s --check-prefix=FWD-RAGGED
// RUN: ssm-run %t.q8.so --entry fwd_min --check | FileCheck %s --check-prefix=FWD-MIN
// RUN: ssm-run %t.q8.so --entry fwd_bf16 --check | FileCheck %s --check-prefix=FWD-BF16
// RUN: ssm-run %t.q8.so --entry grad_all --check | FileCheck %s --check-prefix=GRAD-ALL
// RUN: ssm-run %t.q8.so --entry grad_ragged --check | FileCheck %s --check-prefix=GRAD-RAGGED
// RUN: ssm-run %t.q8.so --entry grad_min --check | FileCheck %s --check-prefix=GRAD-MIN
// RUN: ssm-run %t.q8.so --entry grad_bf16 --check | FileCheck %s --check-prefix=GRAD-BF16
// RUN: ssm-compile %s --target=cpu --scan-strategy=chunked-parallel --chunk-len=1 -o %t.q1.so
// RUN: ssm-run %t.q1.so --entry fwd_all --check | FileCheck %s --check-prefix=FWD-ALL
// RUN: ssm-run %t.q1.so --entry fwd_ragged --check | FileCheck %s --check-prefix=FWD-RAGGED
// RUN: ssm-run %t.q1.so --entry fwd_min --check | FileCheck %s --check-prefix=FWD-MIN
// RUN: ssm-run %t.q1.so --entry fwd_bf16 --check | FileCheck %s --check-prefix=FWD-BF16
// RUN: ssm-run %t.q1.so --entry grad_all --check | FileCheck %s --check-prefix=GRAD-ALL
// RUN: ssm-run %t.q1.so --entry grad_ragged --check | FileCheck %s --check-prefix=GRAD-RAGGED
// RUN: ssm-run %t.q1.so --entry grad_min --check | FileCheck %s --check-prefix=GRAD-MIN
// RUN: ssm-run %t.q1.so --entry grad_bf16 --check | FileCheck %s --check-prefix=GRAD-BF16
// RUN: ssm-compile %s --target=cpu --scan-strategy=chunked-parallel --chunk-len=100 -o %t.q100.so
// RUN: ssm-run %t.q100.so --entry fwd_all --check | FileCheck %s --check-prefix=FWD-ALL
// RUN: ssm-run %t.q100.so --entry fwd_ragged --check | FileCheck %s --check-prefix=FWD-RAGGED
// RUN: ssm-run %t.q100.so --entry fwd_min --check | FileCheck %s --check-prefix=FWD-MIN
// RUN: ssm-run %t.q100.so --entry fwd_bf16 --check | FileCheck %s --check-prefix=FWD-BF16
// RUN: ssm-run %t.q100.so --entry grad_all --check | FileCheck %s --check-prefix=GRAD-ALL
// RUN: ssm-run %t.q100.so --entry grad_ragged --check | FileCheck %s --check-prefix=GRAD-RAGGED
// RUN: ssm-run %t.q100.so --entry grad_min --check | FileCheck %s --check-prefix=GRAD-MIN
// RUN: ssm-run %t.q100.so --entry grad_bf16 --check | FileCheck %s --check-prefix=GRAD-BF16
// RUN: ssm-run %t.q16.so --entry grad_all --seed 11 --check | FileCheck %s --check-prefix=GRAD-ALL
// RUN: ssm-run %t.q8.so --entry grad_bf16 --seed 5 --check | FileCheck %s --check-prefix=GRAD-BF16

// The chunked-parallel strategy of ssm.selective_scan and its gradient
// (SelectiveScanChunked.cpp) against the float64 reference, with chunks of
// chunk_len = 16 (a divisor of L=64, ragged at L=37: 16+16+5), 8 (ragged
// at 37: four of 8 and one of 5), 1 (a chunk per position) and 100 (one
// chunk, Q >= L). Rows of 8 positions where 8 divides Q and L, of 1 at
// L=37.

// f32, every optional operand, softplus, G=2 (two channels a group), L=64.
// FWD-ALL: check y f32 {{.*}} PASS
// FWD-ALL: check last_state f32 {{.*}} PASS
// FWD-ALL: check: 2 passed, 0 failed
func.func @fwd_all(%u: tensor<2x4x64xf32>, %delta: tensor<2x4x64xf32>,
    %A: tensor<4x3xf32>, %B: tensor<2x2x3x64xf32>, %C: tensor<2x2x3x64xf32>,
    %D: tensor<4xf32>, %z: tensor<2x4x64xf32>, %db: tensor<4xf32>)
    -> (tensor<2x4x64xf32>, tensor<2x4x3xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      D(%D) z(%z) delta_bias(%db) {delta_softplus}
      : (tensor<2x4x64xf32>, tensor<2x4x64xf32>, tensor<4x3xf32>,
         tensor<2x2x3x64xf32>, tensor<2x2x3x64xf32>, tensor<4xf32>,
         tensor<2x4x64xf32>, tensor<4xf32>)
      -> (tensor<2x4x64xf32>, tensor<2x4x3xf32>)
  return %y, %s : tensor<2x4x64xf32>, tensor<2x4x3xf32>
}

// L=37: a ragged last chunk for every chunk_len but 1 and those >= L;
// rows of one position.
// FWD-RAGGED: check y f32 {{.*}} PASS
// FWD-RAGGED: check last_state f32 {{.*}} PASS
// FWD-RAGGED: check: 2 passed, 0 failed
func.func @fwd_ragged(%u: tensor<1x4x37xf32>, %delta: tensor<1x4x37xf32>,
    %A: tensor<4x3xf32>, %B: tensor<1x2x3x37xf32>, %C: tensor<1x2x3x37xf32>,
    %D: tensor<4xf32>, %z: tensor<1x4x37xf32>, %db: tensor<4xf32>)
    -> (tensor<1x4x37xf32>, tensor<1x4x3xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      D(%D) z(%z) delta_bias(%db) {delta_softplus}
      : (tensor<1x4x37xf32>, tensor<1x4x37xf32>, tensor<4x3xf32>,
         tensor<1x2x3x37xf32>, tensor<1x2x3x37xf32>, tensor<4xf32>,
         tensor<1x4x37xf32>, tensor<4xf32>)
      -> (tensor<1x4x37xf32>, tensor<1x4x3xf32>)
  return %y, %s : tensor<1x4x37xf32>, tensor<1x4x3xf32>
}

// Minimal form, L=37.
// FWD-MIN: check y f32 {{.*}} PASS
// FWD-MIN: check last_state f32 {{.*}} PASS
// FWD-MIN: check: 2 passed, 0 failed
func.func @fwd_min(%u: tensor<1x2x37xf32>, %delta: tensor<1x2x37xf32>,
    %A: tensor<2x2xf32>, %B: tensor<1x1x2x37xf32>, %C: tensor<1x1x2x37xf32>)
    -> (tensor<1x2x37xf32>, tensor<1x2x2xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<1x2x37xf32>, tensor<1x2x37xf32>, tensor<2x2xf32>,
         tensor<1x1x2x37xf32>, tensor<1x1x2x37xf32>)
      -> (tensor<1x2x37xf32>, tensor<1x2x2xf32>)
  return %y, %s : tensor<1x2x37xf32>, tensor<1x2x2xf32>
}

// bf16, N=16, G=2 with 32 channels a group (on the GPU a warp's lanes share
// the group: B, C as broadcasts, dB, dC summed over the warp).
// FWD-BF16: check y bf16 {{.*}} PASS
// FWD-BF16: check last_state f32 {{.*}} PASS
// FWD-BF16: check: 2 passed, 0 failed
func.func @fwd_bf16(%u: tensor<1x64x64xbf16>,
    %delta: tensor<1x64x64xbf16>, %A: tensor<64x16xf32>,
    %B: tensor<1x2x16x64xbf16>, %C: tensor<1x2x16x64xbf16>, %D: tensor<64xf32>,
    %z: tensor<1x64x64xbf16>, %db: tensor<64xf32>)
    -> (tensor<1x64x64xbf16>, tensor<1x64x16xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      D(%D) z(%z) delta_bias(%db) {delta_softplus}
      : (tensor<1x64x64xbf16>, tensor<1x64x64xbf16>, tensor<64x16xf32>,
         tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<64xf32>,
         tensor<1x64x64xbf16>, tensor<64xf32>)
      -> (tensor<1x64x64xbf16>, tensor<1x64x16xf32>)
  return %y, %s : tensor<1x64x64xbf16>, tensor<1x64x16xf32>
}

// The gradients of the cases above, with d_last_state where all operands are.
// GRAD-ALL: check du f32 {{.*}} PASS
// GRAD-ALL: check ddelta f32 {{.*}} PASS
// GRAD-ALL: check dA f32 {{.*}} PASS
// GRAD-ALL: check dB f32 {{.*}} PASS
// GRAD-ALL: check dC f32 {{.*}} PASS
// GRAD-ALL: check dD f32 {{.*}} PASS
// GRAD-ALL: check dz f32 {{.*}} PASS
// GRAD-ALL: check ddelta_bias f32 {{.*}} PASS
// GRAD-ALL: check: 8 passed, 0 failed
func.func @grad_all(%u: tensor<2x4x64xf32>, %delta: tensor<2x4x64xf32>,
    %A: tensor<4x3xf32>, %B: tensor<2x2x3x64xf32>, %C: tensor<2x2x3x64xf32>,
    %D: tensor<4xf32>, %z: tensor<2x4x64xf32>, %db: tensor<4xf32>,
    %dy: tensor<2x4x64xf32>, %dh: tensor<2x4x3xf32>)
    -> (tensor<2x4x64xf32>, tensor<2x4x64xf32>, tensor<4x3xf32>,
        tensor<2x2x3x64xf32>, tensor<2x2x3x64xf32>, tensor<4xf32>,
        tensor<2x4x64xf32>, tensor<4xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db),
      %dy d_last_state(%dh) {delta_softplus}
      : tensor<2x4x64xf32>, tensor<2x4x64xf32>, tensor<4x3xf32>,
        tensor<2x2x3x64xf32>, tensor<2x2x3x64xf32>, tensor<4xf32>,
        tensor<2x4x64xf32>, tensor<4xf32>, tensor<2x4x64xf32>, tensor<2x4x3xf32>
      -> tensor<2x4x64xf32>, tensor<2x4x64xf32>, tensor<4x3xf32>,
         tensor<2x2x3x64xf32>, tensor<2x2x3x64xf32>
         dD tensor<4xf32> dz tensor<2x4x64xf32>
         ddelta_bias tensor<4xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb
      : tensor<2x4x64xf32>, tensor<2x4x64xf32>, tensor<4x3xf32>,
        tensor<2x2x3x64xf32>, tensor<2x2x3x64xf32>, tensor<4xf32>,
        tensor<2x4x64xf32>, tensor<4xf32>
}

// GRAD-RAGGED: check du f32 {{.*}} PASS
// GRAD-RAGGED: check ddelta f32 {{.*}} PASS
// GRAD-RAGGED: check dA f32 {{.*}} PASS
// GRAD-RAGGED: check dB f32 {{.*}} PASS
// GRAD-RAGGED: check dC f32 {{.*}} PASS
// GRAD-RAGGED: check dD f32 {{.*}} PASS
// GRAD-RAGGED: check dz f32 {{.*}} PASS
// GRAD-RAGGED: check ddelta_bias f32 {{.*}} PASS
// GRAD-RAGGED: check: 8 passed, 0 failed
func.func @grad_ragged(%u: tensor<1x4x37xf32>, %delta: tensor<1x4x37xf32>,
    %A: tensor<4x3xf32>, %B: tensor<1x2x3x37xf32>, %C: tensor<1x2x3x37xf32>,
    %D: tensor<4xf32>, %z: tensor<1x4x37xf32>, %db: tensor<4xf32>,
    %dy: tensor<1x4x37xf32>, %dh: tensor<1x4x3xf32>)
    -> (tensor<1x4x37xf32>, tensor<1x4x37xf32>, tensor<4x3xf32>,
        tensor<1x2x3x37xf32>, tensor<1x2x3x37xf32>, tensor<4xf32>,
        tensor<1x4x37xf32>, tensor<4xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db),
      %dy d_last_state(%dh) {delta_softplus}
      : tensor<1x4x37xf32>, tensor<1x4x37xf32>, tensor<4x3xf32>,
        tensor<1x2x3x37xf32>, tensor<1x2x3x37xf32>, tensor<4xf32>,
        tensor<1x4x37xf32>, tensor<4xf32>, tensor<1x4x37xf32>, tensor<1x4x3xf32>
      -> tensor<1x4x37xf32>, tensor<1x4x37xf32>, tensor<4x3xf32>,
         tensor<1x2x3x37xf32>, tensor<1x2x3x37xf32>
         dD tensor<4xf32> dz tensor<1x4x37xf32>
         ddelta_bias tensor<4xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb
      : tensor<1x4x37xf32>, tensor<1x4x37xf32>, tensor<4x3xf32>,
        tensor<1x2x3x37xf32>, tensor<1x2x3x37xf32>, tensor<4xf32>,
        tensor<1x4x37xf32>, tensor<4xf32>
}

// GRAD-MIN: check du f32 {{.*}} PASS
// GRAD-MIN: check ddelta f32 {{.*}} PASS
// GRAD-MIN: check dA f32 {{.*}} PASS
// GRAD-MIN: check dB f32 {{.*}} PASS
// GRAD-MIN: check dC f32 {{.*}} PASS
// GRAD-MIN: check: 5 passed, 0 failed
func.func @grad_min(%u: tensor<1x2x37xf32>, %delta: tensor<1x2x37xf32>,
    %A: tensor<2x2xf32>, %B: tensor<1x1x2x37xf32>, %C: tensor<1x1x2x37xf32>,
    %dy: tensor<1x2x37xf32>)
    -> (tensor<1x2x37xf32>, tensor<1x2x37xf32>, tensor<2x2xf32>,
        tensor<1x1x2x37xf32>, tensor<1x1x2x37xf32>) {
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<1x2x37xf32>, tensor<1x2x37xf32>, tensor<2x2xf32>,
        tensor<1x1x2x37xf32>, tensor<1x1x2x37xf32>, tensor<1x2x37xf32>
      -> tensor<1x2x37xf32>, tensor<1x2x37xf32>, tensor<2x2xf32>,
         tensor<1x1x2x37xf32>, tensor<1x1x2x37xf32>
  return %du, %ddelta, %dA, %dB, %dC
      : tensor<1x2x37xf32>, tensor<1x2x37xf32>, tensor<2x2xf32>,
        tensor<1x1x2x37xf32>, tensor<1x1x2x37xf32>
}

// GRAD-BF16: check du bf16 {{.*}} PASS
// GRAD-BF16: check ddelta bf16 {{.*}} PASS
// GRAD-BF16: check dA f32 {{.*}} PASS
// GRAD-BF16: check dB bf16 {{.*}} PASS
// GRAD-BF16: check dC bf16 {{.*}} PASS
// GRAD-BF16: check dD f32 {{.*}} PASS
// GRAD-BF16: check dz bf16 {{.*}} PASS
// GRAD-BF16: check ddelta_bias f32 {{.*}} PASS
// GRAD-BF16: check: 8 passed, 0 failed
func.func @grad_bf16(%u: tensor<1x64x64xbf16>,
    %delta: tensor<1x64x64xbf16>, %A: tensor<64x16xf32>,
    %B: tensor<1x2x16x64xbf16>, %C: tensor<1x2x16x64xbf16>, %D: tensor<64xf32>,
    %z: tensor<1x64x64xbf16>, %db: tensor<64xf32>, %dy: tensor<1x64x64xbf16>,
    %dh: tensor<1x64x16xf32>)
    -> (tensor<1x64x64xbf16>, tensor<1x64x64xbf16>, tensor<64x16xf32>,
        tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<64xf32>,
        tensor<1x64x64xbf16>, tensor<64xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db),
      %dy d_last_state(%dh) {delta_softplus}
      : tensor<1x64x64xbf16>, tensor<1x64x64xbf16>, tensor<64x16xf32>,
        tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<64xf32>,
        tensor<1x64x64xbf16>, tensor<64xf32>, tensor<1x64x64xbf16>,
        tensor<1x64x16xf32>
      -> tensor<1x64x64xbf16>, tensor<1x64x64xbf16>, tensor<64x16xf32>,
         tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>
         dD tensor<64xf32> dz tensor<1x64x64xbf16>
         ddelta_bias tensor<64xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb
      : tensor<1x64x64xbf16>, tensor<1x64x64xbf16>, tensor<64x16xf32>,
        tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<64xf32>,
        tensor<1x64x64xbf16>, tensor<64xf32>
}

