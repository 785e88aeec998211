// REQUIRES: cuda
// RUN: ssm-compile %s --target=gpu -o %t.so
// RUN: ssm-run %t.so --entry fwd_f32 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-F32
// RUN: ssm-run %t.so --entry fwd_f32 --seed 9 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-F32
// RUN: ssm-run %t.so --entry fwd_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BF16
// RUN: ssm-run %t.so --entry grad_f32 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-F32
// RUN: ssm-run %t.so --entry grad_f32 --seed 9 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-F32
// RUN: ssm-run %t.so --entry grad_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BF16
// RUN: ssm-compile %s --target=gpu --threads-per-block=32 --chunk-len=7 \
// RUN:   -o %t.tpb32.so
// RUN: ssm-run %t.tpb32.so --entry fwd_f32 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-F32
// RUN: ssm-run %t.tpb32.so --entry grad_f32 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-F32
// RUN: ssm-run %t.tpb32.so --entry grad_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BF16
// RUN: ssm-compile %s --target=gpu --threads-per-block=1024 --chunk-len=1 \
// RUN:   -o %t.tpb1024.so
// RUN: ssm-run %t.tpb1024.so --entry grad_f32 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-F32

// ssm.ssd_scan and its gradient on the GPU against the float64 oracle, at
// sizes that the CPU suite (also run on the GPU) does not reach: 2*6*16 =
// 192 (batch, head, head dim) scans, more than one block of 128 or 32
// threads with a partly filled last one; ddt shared by the 16 head dims of
// a head, dA by everything of a head, dB and dC by the 3 heads of a group,
// all accumulated with atomics from many blocks; saved-state chunks of 7
// (not dividing L) and 1.

// Every optional operand, initial_state, softplus, G=2.
// FWD-F32: check y f32 {{.*}} PASS
// FWD-F32: check final_state f32 {{.*}} PASS
// FWD-F32: check: 2 passed, 0 failed
func.func @fwd_f32(%x: tensor<2x30x6x16xf32>, %dt: tensor<2x30x6xf32>,
    %A: tensor<6xf32>, %B: tensor<2x30x2x8xf32>, %C: tensor<2x30x2x8xf32>,
    %D: tensor<6xf32>, %z: tensor<2x30x6x16xf32>, %dt_bias: tensor<6xf32>,
    %h0: tensor<2x6x16x8xf32>)
    -> (tensor<2x30x6x16xf32>, tensor<2x6x16x8xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%dt_bias)
      initial_state(%h0) {dt_softplus}
      : (tensor<2x30x6x16xf32>, tensor<2x30x6xf32>, tensor<6xf32>,
         tensor<2x30x2x8xf32>, tensor<2x30x2x8xf32>, tensor<6xf32>,
         tensor<2x30x6x16xf32>, tensor<6xf32>, tensor<2x6x16x8xf32>)
      -> (tensor<2x30x6x16xf32>, tensor<2x6x16x8xf32>)
  return %y, %s : tensor<2x30x6x16xf32>, tensor<2x6x16x8xf32>
}

// bf16 activations, dt and B/C, every optional operand.
// FWD-BF16: check y bf16 {{.*}} PASS
// FWD-BF16: check final_state f32 {{.*}} PASS
// FWD-BF16: check: 2 passed, 0 failed
func.func @fwd_bf16(%x: tensor<1x20x4x8xbf16>, %dt: tensor<1x20x4xbf16>,
    %A: tensor<4xf32>, %B: tensor<1x20x2x3xbf16>, %C: tensor<1x20x2x3xbf16>,
    %D: tensor<4xf32>, %z: tensor<1x20x4x8xbf16>, %dt_bias: tensor<4xf32>,
    %h0: tensor<1x4x8x3xf32>) -> (tensor<1x20x4x8xbf16>, tensor<1x4x8x3xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%dt_bias)
      initial_state(%h0) {dt_softplus}
      : (tensor<1x20x4x8xbf16>, tensor<1x20x4xbf16>, tensor<4xf32>,
         tensor<1x20x2x3xbf16>, tensor<1x20x2x3xbf16>, tensor<4xf32>,
         tensor<1x20x4x8xbf16>, tensor<4xf32>, tensor<1x4x8x3xf32>)
      -> (tensor<1x20x4x8xbf16>, tensor<1x4x8x3xf32>)
  return %y, %s : tensor<1x20x4x8xbf16>, tensor<1x4x8x3xf32>
}

// Every optional operand and result, d_final_state, softplus, G=2.
// GRAD-F32: check dx f32 {{.*}} PASS
// GRAD-F32: check ddt f32 {{.*}} PASS
// GRAD-F32: check dA f32 {{.*}} PASS
// GRAD-F32: check dB f32 {{.*}} PASS
// GRAD-F32: check dC f32 {{.*}} PASS
// GRAD-F32: check dD f32 {{.*}} PASS
// GRAD-F32: check dz f32 {{.*}} PASS
// GRAD-F32: check ddt_bias f32 {{.*}} PASS
// GRAD-F32: check d_initial_state f32 {{.*}} PASS
// GRAD-F32: check: 9 passed, 0 failed
func.func @grad_f32(%x: tensor<2x30x6x16xf32>, %dt: tensor<2x30x6xf32>,
    %A: tensor<6xf32>, %B: tensor<2x30x2x8xf32>, %C: tensor<2x30x2x8xf32>,
    %D: tensor<6xf32>, %z: tensor<2x30x6x16xf32>, %dt_bias: tensor<6xf32>,
    %h0: tensor<2x6x16x8xf32>, %dy: tensor<2x30x6x16xf32>,
    %dhT: tensor<2x6x16x8xf32>)
    -> (tensor<2x30x6x16xf32>, tensor<2x30x6xf32>, tensor<6xf32>,
        tensor<2x30x2x8xf32>, tensor<2x30x2x8xf32>, tensor<6xf32>,
        tensor<2x30x6x16xf32>, tensor<6xf32>, tensor<2x6x16x8xf32>) {
  %dx, %ddt, %dA, %dB, %dC, %dD, %dz, %ddt_bias, %d_initial_state =
      ssm.ssd_scan_grad %x, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%dt_bias)
      initial_state(%h0), %dy d_final_state(%dhT) {dt_softplus}
      : tensor<2x30x6x16xf32>, tensor<2x30x6xf32>, tensor<6xf32>,
        tensor<2x30x2x8xf32>, tensor<2x30x2x8xf32>, tensor<6xf32>,
        tensor<2x30x6x16xf32>, tensor<6xf32>, tensor<2x6x16x8xf32>,
        tensor<2x30x6x16xf32>, tensor<2x6x16x8xf32>
      -> tensor<2x30x6x16xf32>, tensor<2x30x6xf32>, tensor<6xf32>,
         tensor<2x30x2x8xf32>, tensor<2x30x2x8xf32> dD tensor<6xf32>
         dz tensor<2x30x6x16xf32> ddt_bias tensor<6xf32>
         d_initial_state tensor<2x6x16x8xf32>
  return %dx, %ddt, %dA, %dB, %dC, %dD, %dz, %ddt_bias, %d_initial_state
      : tensor<2x30x6x16xf32>, tensor<2x30x6xf32>, tensor<6xf32>,
        tensor<2x30x2x8xf32>, tensor<2x30x2x8xf32>, tensor<6xf32>,
        tensor<2x30x6x16xf32>, tensor<6xf32>, tensor<2x6x16x8xf32>
}

// bf16 activations, dt and B/C: ddt, dB and dC accumulate in f32 and are
// rounded to bf16 by kernels of their own.
// GRAD-BF16: check dx bf16 {{.*}} PASS
// GRAD-BF16: check ddt bf16 {{.*}} PASS
// GRAD-BF16: check dA f32 {{.*}} PASS
// GRAD-BF16: check dB bf16 {{.*}} PASS
// GRAD-BF16: check dC bf16 {{.*}} PASS
// GRAD-BF16: check dD f32 {{.*}} PASS
// GRAD-BF16: check dz bf16 {{.*}} PASS
// GRAD-BF16: check ddt_bias f32 {{.*}} PASS
// GRAD-BF16: check d_initial_state f32 {{.*}} PASS
// GRAD-BF16: check: 9 passed, 0 failed
func.func @grad_bf16(%x: tensor<1x20x4x8xbf16>, %dt: tensor<1x20x4xbf16>,
    %A: tensor<4xf32>, %B: tensor<1x20x2x3xbf16>, %C: tensor<1x20x2x3xbf16>,
    %D: tensor<4xf32>, %z: tensor<1x20x4x8xbf16>, %dt_bias: tensor<4xf32>,
    %h0: tensor<1x4x8x3xf32>, %dy: tensor<1x20x4x8xbf16>,
    %dhT: tensor<1x4x8x3xf32>)
    -> (tensor<1x20x4x8xbf16>, tensor<1x20x4xbf16>, tensor<4xf32>,
        tensor<1x20x2x3xbf16>, tensor<1x20x2x3xbf16>, tensor<4xf32>,
        tensor<1x20x4x8xbf16>, tensor<4xf32>, tensor<1x4x8x3xf32>) {
  %dx, %ddt, %dA, %dB, %dC, %dD, %dz, %ddt_bias, %d_initial_state =
      ssm.ssd_scan_grad %x, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%dt_bias)
      initial_state(%h0), %dy d_final_state(%dhT) {dt_softplus}
      : tensor<1x20x4x8xbf16>, tensor<1x20x4xbf16>, tensor<4xf32>,
        tensor<1x20x2x3xbf16>, tensor<1x20x2x3xbf16>, tensor<4xf32>,
        tensor<1x20x4x8xbf16>, tensor<4xf32>, tensor<1x4x8x3xf32>,
        tensor<1x20x4x8xbf16>, tensor<1x4x8x3xf32>
      -> tensor<1x20x4x8xbf16>, tensor<1x20x4xbf16>, tensor<4xf32>,
         tensor<1x20x2x3xbf16>, tensor<1x20x2x3xbf16> dD tensor<4xf32>
         dz tensor<1x20x4x8xbf16> ddt_bias tensor<4xf32>
         d_initial_state tensor<1x4x8x3xf32>
  return %dx, %ddt, %dA, %dB, %dC, %dD, %dz, %ddt_bias, %d_initial_state
      : tensor<1x20x4x8xbf16>, tensor<1x20x4xbf16>, tensor<4xf32>,
        tensor<1x20x2x3xbf16>, tensor<1x20x2x3xbf16>, tensor<4xf32>,
        tensor<1x20x4x8xbf16>, tensor<4xf32>, tensor<1x4x8x3xf32>
}
