// REQUIRES: cuda
// RUN: ssm-compile %s --target=gpu -o %t.so
// RUN: ssm-run %t.so --entry fwd_f32 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-F32
// RUN: ssm-run %t.so --entry fwd_f32 --seed 3 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-F32
// RUN: ssm-run %t.so --entry fwd_long --check \
// RUN:   | FileCheck %s --check-prefix=FWD-LONG
// RUN: ssm-run %t.so --entry fwd_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BF16
// RUN: ssm-run %t.so --entry grad_f32 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-F32
// RUN: ssm-run %t.so --entry grad_f32 --seed 3 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-F32
// RUN: ssm-run %t.so --entry grad_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BF16
// RUN: ssm-compile %s --target=gpu --threads-per-block=32 --chunk-len=7 \
// RUN:   -o %t.tpb32.so
// RUN: ssm-run %t.tpb32.so --entry fwd_long --check \
// RUN:   | FileCheck %s --check-prefix=FWD-LONG
// RUN: ssm-run %t.tpb32.so --entry grad_f32 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-F32
// RUN: ssm-compile %s --target=gpu --threads-per-block=1024 --chunk-len=1 \
// RUN:   --items-per-thread=2 -o %t.tpb1024.so
// RUN: ssm-run %t.tpb1024.so --entry fwd_long --check \
// RUN:   | FileCheck %s --check-prefix=FWD-LONG
// RUN: ssm-run %t.tpb1024.so --entry grad_f32 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-F32
// RUN: ssm-compile %s --target=gpu --scan-strategy=thread-per-point \
// RUN:   -o %t.tpp.so
// RUN: ssm-run %t.tpp.so --entry fwd_f32 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-F32
// RUN: ssm-run %t.tpp.so --entry fwd_long --check \
// RUN:   | FileCheck %s --check-prefix=FWD-LONG
// RUN: ssm-run %t.tpp.so --entry fwd_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BF16
// RUN: ssm-run %t.tpp.so --entry grad_f32 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-F32
// RUN: ssm-run %t.tpp.so --entry grad_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BF16
// RUN: ssm-compile %s --target=gpu --scan-strategy=thread-per-point \
// RUN:   --threads-per-block=32 --chunk-len=7 -o %t.tpp32.so
// RUN: ssm-run %t.tpp32.so --entry fwd_f32 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-F32
// RUN: ssm-run %t.tpp32.so --entry grad_f32 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-F32
// RUN: ssm-run %t.tpp32.so --entry grad_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BF16

// ssm.selective_scan and its gradient on the GPU against the float64
// oracle, at sizes that the CPU suite (also run on the GPU) does not reach,
// with both scan strategies. 2*96 = 192 (batch, channel) scans: 192 blocks
// of the default block scan, or, one thread per scan, more than one block
// of 128 or 32 threads with a partly filled last one. dA is shared by both
// batches and dB, dC by the 48 channels of each group, all accumulated with
// atomics from many blocks. A sequence longer than a block covers at once,
// and saved-state chunks of 7 (not dividing L) and 1.

// Every optional operand, softplus, G=2.
// FWD-F32: check y f32 {{.*}} PASS
// FWD-F32: check last_state f32 {{.*}} PASS
// FWD-F32: check: 2 passed, 0 failed
func.func @fwd_f32(%u: tensor<2x96x50xf32>, %delta: tensor<2x96x50xf32>,
    %A: tensor<96x4xf32>, %B: tensor<2x2x4x50xf32>, %C: tensor<2x2x4x50xf32>,
    %D: tensor<96xf32>, %z: tensor<2x96x50xf32>, %delta_bias: tensor<96xf32>)
    -> (tensor<2x96x50xf32>, tensor<2x96x4xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) z(%z)
      delta_bias(%delta_bias) {delta_softplus}
      : (tensor<2x96x50xf32>, tensor<2x96x50xf32>, tensor<96x4xf32>,
         tensor<2x2x4x50xf32>, tensor<2x2x4x50xf32>, tensor<96xf32>,
         tensor<2x96x50xf32>, tensor<96xf32>)
      -> (tensor<2x96x50xf32>, tensor<2x96x4xf32>)
  return %y, %s : tensor<2x96x50xf32>, tensor<2x96x4xf32>
}

// L = 2100: more positions than 128 threads of 8 (or 1024 of 8) items
// cover at once, and a multiple of neither.
// FWD-LONG: check y f32 {{.*}} PASS
// FWD-LONG: check last_state f32 {{.*}} PASS
// FWD-LONG: check: 2 passed, 0 failed
func.func @fwd_long(%u: tensor<1x4x2100xf32>, %delta: tensor<1x4x2100xf32>,
    %A: tensor<4x3xf32>, %B: tensor<1x1x3x2100xf32>,
    %C: tensor<1x1x3x2100xf32>, %D: tensor<4xf32>)
    -> (tensor<1x4x2100xf32>, tensor<1x4x3xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) {delta_softplus}
      : (tensor<1x4x2100xf32>, tensor<1x4x2100xf32>, tensor<4x3xf32>,
         tensor<1x1x3x2100xf32>, tensor<1x1x3x2100xf32>, tensor<4xf32>)
      -> (tensor<1x4x2100xf32>, tensor<1x4x3xf32>)
  return %y, %s : tensor<1x4x2100xf32>, tensor<1x4x3xf32>
}

// bf16 activations and B/C, every optional operand.
// FWD-BF16: check y bf16 {{.*}} PASS
// FWD-BF16: check last_state f32 {{.*}} PASS
// FWD-BF16: check: 2 passed, 0 failed
func.func @fwd_bf16(%u: tensor<2x40x24xbf16>, %delta: tensor<2x40x24xbf16>,
    %A: tensor<40x4xf32>, %B: tensor<2x2x4x24xbf16>,
    %C: tensor<2x2x4x24xbf16>, %D: tensor<40xf32>, %z: tensor<2x40x24xbf16>,
    %delta_bias: tensor<40xf32>)
    -> (tensor<2x40x24xbf16>, tensor<2x40x4xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) z(%z)
      delta_bias(%delta_bias) {delta_softplus}
      : (tensor<2x40x24xbf16>, tensor<2x40x24xbf16>, tensor<40x4xf32>,
         tensor<2x2x4x24xbf16>, tensor<2x2x4x24xbf16>, tensor<40xf32>,
         tensor<2x40x24xbf16>, tensor<40xf32>)
      -> (tensor<2x40x24xbf16>, tensor<2x40x4xf32>)
  return %y, %s : tensor<2x40x24xbf16>, tensor<2x40x4xf32>
}

// Every optional operand and result, d_last_state, softplus, G=2.
// GRAD-F32: check du f32 {{.*}} PASS
// GRAD-F32: check ddelta f32 {{.*}} PASS
// GRAD-F32: check dA f32 {{.*}} PASS
// GRAD-F32: check dB f32 {{.*}} PASS
// GRAD-F32: check dC f32 {{.*}} PASS
// GRAD-F32: check dD f32 {{.*}} PASS
// GRAD-F32: check dz f32 {{.*}} PASS
// GRAD-F32: check ddelta_bias f32 {{.*}} PASS
// GRAD-F32: check: 8 passed, 0 failed
func.func @grad_f32(%u: tensor<2x96x50xf32>, %delta: tensor<2x96x50xf32>,
    %A: tensor<96x4xf32>, %B: tensor<2x2x4x50xf32>, %C: tensor<2x2x4x50xf32>,
    %D: tensor<96xf32>, %z: tensor<2x96x50xf32>, %delta_bias: tensor<96xf32>,
    %dy: tensor<2x96x50xf32>, %d_last_state: tensor<2x96x4xf32>)
    -> (tensor<2x96x50xf32>, tensor<2x96x50xf32>, tensor<96x4xf32>,
        tensor<2x2x4x50xf32>, tensor<2x2x4x50xf32>, tensor<96xf32>,
        tensor<2x96x50xf32>, tensor<96xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddelta_bias = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%delta_bias),
      %dy d_last_state(%d_last_state) {delta_softplus}
      : tensor<2x96x50xf32>, tensor<2x96x50xf32>, tensor<96x4xf32>,
        tensor<2x2x4x50xf32>, tensor<2x2x4x50xf32>, tensor<96xf32>,
        tensor<2x96x50xf32>, tensor<96xf32>, tensor<2x96x50xf32>,
        tensor<2x96x4xf32>
      -> tensor<2x96x50xf32>, tensor<2x96x50xf32>, tensor<96x4xf32>,
         tensor<2x2x4x50xf32>, tensor<2x2x4x50xf32> dD tensor<96xf32>
         dz tensor<2x96x50xf32> ddelta_bias tensor<96xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddelta_bias
      : tensor<2x96x50xf32>, tensor<2x96x50xf32>, tensor<96x4xf32>,
        tensor<2x2x4x50xf32>, tensor<2x2x4x50xf32>, tensor<96xf32>,
        tensor<2x96x50xf32>, tensor<96xf32>
}

// bf16 activations and B/C: dB and dC accumulate in f32 and are rounded to
// bf16 by a kernel of their own.
// GRAD-BF16: check du bf16 {{.*}} PASS
// GRAD-BF16: check ddelta bf16 {{.*}} PASS
// GRAD-BF16: check dA f32 {{.*}} PASS
// GRAD-BF16: check dB bf16 {{.*}} PASS
// GRAD-BF16: check dC bf16 {{.*}} PASS
// GRAD-BF16: check dD f32 {{.*}} PASS
// GRAD-BF16: check dz bf16 {{.*}} PASS
// GRAD-BF16: check ddelta_bias f32 {{.*}} PASS
// GRAD-BF16: check: 8 passed, 0 failed
func.func @grad_bf16(%u: tensor<2x40x24xbf16>, %delta: tensor<2x40x24xbf16>,
    %A: tensor<40x4xf32>, %B: tensor<2x2x4x24xbf16>,
    %C: tensor<2x2x4x24xbf16>, %D: tensor<40xf32>, %z: tensor<2x40x24xbf16>,
    %delta_bias: tensor<40xf32>, %dy: tensor<2x40x24xbf16>,
    %d_last_state: tensor<2x40x4xf32>)
    -> (tensor<2x40x24xbf16>, tensor<2x40x24xbf16>, tensor<40x4xf32>,
        tensor<2x2x4x24xbf16>, tensor<2x2x4x24xbf16>, tensor<40xf32>,
        tensor<2x40x24xbf16>, tensor<40xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddelta_bias = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%delta_bias),
      %dy d_last_state(%d_last_state) {delta_softplus}
      : tensor<2x40x24xbf16>, tensor<2x40x24xbf16>, tensor<40x4xf32>,
        tensor<2x2x4x24xbf16>, tensor<2x2x4x24xbf16>, tensor<40xf32>,
        tensor<2x40x24xbf16>, tensor<40xf32>, tensor<2x40x24xbf16>,
        tensor<2x40x4xf32>
      -> tensor<2x40x24xbf16>, tensor<2x40x24xbf16>, tensor<40x4xf32>,
         tensor<2x2x4x24xbf16>, tensor<2x2x4x24xbf16> dD tensor<40xf32>
         dz tensor<2x40x24xbf16> ddelta_bias tensor<40xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddelta_bias
      : tensor<2x40x24xbf16>, tensor<2x40x24xbf16>, tensor<40x4xf32>,
        tensor<2x2x4x24xbf16>, tensor<2x2x4x24xbf16>, tensor<40xf32>,
        tensor<2x40x24xbf16>, tensor<40xf32>
}
