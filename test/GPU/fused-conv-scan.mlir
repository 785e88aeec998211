// The fused-conv-scan variant on the GPU against the float64 oracle, at
// tiles other than the defaults (test/CPU/fused-conv-scan.mlir runs at the
// defaults through scripts/gpu_suite.py): the block scan's threads
// recompute u from x, loading their K items and the W-1 inputs before them
// as aligned rows, forward and backward.
// REQUIRES: cuda
// RUN: ssm-compile %s --target=gpu --variant=fused-conv-scan -o %t.so
// RUN: ssm-run %t.so --entry long_fwd --check | FileCheck %s --check-prefix=LONG-FWD
// RUN: ssm-run %t.so --entry long_bwd --check | FileCheck %s --check-prefix=LONG-BWD
// RUN: ssm-run %t.so --entry bf16_fwd --check | FileCheck %s --check-prefix=BF16-FWD
// RUN: ssm-run %t.so --entry bf16_bwd --check --tol 3e-2 | FileCheck %s --check-prefix=BF16-BWD
// RUN: ssm-run %t.so --entry wide_fwd --check | FileCheck %s --check-prefix=WIDE-FWD
// RUN: ssm-run %t.so --entry wide_bwd --check | FileCheck %s --check-prefix=WIDE-BWD
// RUN: ssm-compile %s --target=gpu --variant=fused-conv-scan --threads-per-block=64 --items-per-thread=2 -o %t.k2.so
// RUN: ssm-run %t.k2.so --entry long_fwd --check | FileCheck %s --check-prefix=LONG-FWD
// RUN: ssm-run %t.k2.so --entry long_bwd --check | FileCheck %s --check-prefix=LONG-BWD
// RUN: ssm-run %t.k2.so --entry bf16_fwd --check | FileCheck %s --check-prefix=BF16-FWD
// RUN: ssm-run %t.k2.so --entry bf16_bwd --check --tol 3e-2 | FileCheck %s --check-prefix=BF16-BWD
// RUN: ssm-run %t.k2.so --entry wide_fwd --check | FileCheck %s --check-prefix=WIDE-FWD
// RUN: ssm-run %t.k2.so --entry wide_bwd --check | FileCheck %s --check-prefix=WIDE-BWD
// RUN: ssm-compile %s --target=gpu --variant=fused-conv-scan --items-per-thread=4 --channels-per-block=2 -o %t.c2.so
// RUN: ssm-run %t.c2.so --entry long_fwd --check | FileCheck %s --check-prefix=LONG-FWD
// RUN: ssm-run %t.c2.so --entry long_bwd --check | FileCheck %s --check-prefix=LONG-BWD
// RUN: ssm-run %t.c2.so --entry bf16_fwd --check | FileCheck %s --check-prefix=BF16-FWD
// RUN: ssm-run %t.c2.so --entry bf16_bwd --check --tol 3e-2 | FileCheck %s --check-prefix=BF16-BWD
// RUN: ssm-run %t.c2.so --entry wide_fwd --check | FileCheck %s --check-prefix=WIDE-FWD
// RUN: ssm-run %t.c2.so --entry wide_bwd --check | FileCheck %s --check-prefix=WIDE-BWD
// RUN: ssm-compile %s --target=gpu --variant=fused-conv-scan --items-per-thread=16 -o %t.k16.so
// RUN: ssm-run %t.k16.so --entry long_fwd --check | FileCheck %s --check-prefix=LONG-FWD
// RUN: ssm-run %t.k16.so --entry long_bwd --check | FileCheck %s --check-prefix=LONG-BWD
// RUN: ssm-run %t.k16.so --entry bf16_fwd --check | FileCheck %s --check-prefix=BF16-FWD
// RUN: ssm-run %t.k16.so --entry bf16_bwd --check --tol 3e-2 | FileCheck %s --check-prefix=BF16-BWD
// RUN: ssm-run %t.k16.so --entry wide_fwd --check | FileCheck %s --check-prefix=WIDE-FWD
// RUN: ssm-run %t.k16.so --entry wide_bwd --check | FileCheck %s --check-prefix=WIDE-BWD

// Several chunks and a partial last one: the halos cross the threads', the
// warps' and the chunks' boundaries.
// LONG-FWD: check y f32 {{.*}} PASS
// LONG-FWD: check last_state f32 {{.*}} PASS
// LONG-FWD: check: 2 passed, 0 failed
func.func @long_fwd(%x: tensor<1x2x2064xf32>, %weight: tensor<2x4xf32>, %bias: tensor<2xf32>, %delta: tensor<1x2x2064xf32>, %A: tensor<2x4xf32>, %B: tensor<1x1x4x2064xf32>, %C: tensor<1x1x4x2064xf32>, %D: tensor<2xf32>, %z: tensor<1x2x2064xf32>, %delta_bias: tensor<2xf32>)
    -> (tensor<1x2x2064xf32>, tensor<1x2x4xf32>) {
  %u = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2x2064xf32>
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%delta_bias) {delta_softplus}
      : (tensor<1x2x2064xf32>, tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<1x1x4x2064xf32>, tensor<1x1x4x2064xf32>, tensor<2xf32>, tensor<1x2x2064xf32>, tensor<2xf32>)
      -> (tensor<1x2x2064xf32>, tensor<1x2x4xf32>)
  return %y, %s : tensor<1x2x2064xf32>, tensor<1x2x4xf32>
}

// LONG-BWD: check du f32 {{.*}} PASS
// LONG-BWD: check ddelta f32 {{.*}} PASS
// LONG-BWD: check dA f32 {{.*}} PASS
// LONG-BWD: check dB f32 {{.*}} PASS
// LONG-BWD: check dC f32 {{.*}} PASS
// LONG-BWD: check dD f32 {{.*}} PASS
// LONG-BWD: check dz f32 {{.*}} PASS
// LONG-BWD: check ddelta_bias f32 {{.*}} PASS
// LONG-BWD: check dx f32 {{.*}} PASS
// LONG-BWD: check dweight f32 {{.*}} PASS
// LONG-BWD: check dbias f32 {{.*}} PASS
// LONG-BWD: check: 11 passed, 0 failed
func.func @long_bwd(%x: tensor<1x2x2064xf32>, %weight: tensor<2x4xf32>, %bias: tensor<2xf32>, %delta: tensor<1x2x2064xf32>, %A: tensor<2x4xf32>, %B: tensor<1x1x4x2064xf32>, %C: tensor<1x1x4x2064xf32>, %D: tensor<2xf32>, %z: tensor<1x2x2064xf32>, %delta_bias: tensor<2xf32>, %dy: tensor<1x2x2064xf32>, %d_last_state: tensor<1x2x4xf32>)
    -> (tensor<1x2x2064xf32>, tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<1x1x4x2064xf32>, tensor<1x1x4x2064xf32>, tensor<2xf32>, tensor<1x2x2064xf32>, tensor<2xf32>, tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<2xf32>) {
  %u = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2x2064xf32>
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddelta_bias = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%delta_bias), %dy d_last_state(%d_last_state) {delta_softplus}
      : tensor<1x2x2064xf32>, tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<1x1x4x2064xf32>, tensor<1x1x4x2064xf32>, tensor<2xf32>, tensor<1x2x2064xf32>, tensor<2xf32>, tensor<1x2x2064xf32>, tensor<1x2x4xf32>
      -> tensor<1x2x2064xf32>, tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<1x1x4x2064xf32>, tensor<1x1x4x2064xf32> dD tensor<2xf32> dz tensor<1x2x2064xf32> ddelta_bias tensor<2xf32>
  %dx, %dweight, %dbias = ssm.causal_conv1d_grad %x, %weight bias(%bias), %du
      activation silu : (tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<2xf32>, tensor<1x2x2064xf32>) -> (tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<2xf32>)
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddelta_bias, %dx, %dweight, %dbias
      : tensor<1x2x2064xf32>, tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<1x1x4x2064xf32>, tensor<1x1x4x2064xf32>, tensor<2xf32>, tensor<1x2x2064xf32>, tensor<2xf32>, tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<2xf32>
}

// bf16, N=16, G=2; a full chunk of 1024 positions at the default tiles.
// BF16-FWD: check y bf16 {{.*}} PASS
// BF16-FWD: check last_state f32 {{.*}} PASS
// BF16-FWD: check: 2 passed, 0 failed
func.func @bf16_fwd(%x: tensor<2x4x1024xbf16>, %weight: tensor<4x4xf32>, %bias: tensor<4xf32>, %delta: tensor<2x4x1024xbf16>, %A: tensor<4x16xf32>, %B: tensor<2x2x16x1024xbf16>, %C: tensor<2x2x16x1024xbf16>, %D: tensor<4xf32>, %z: tensor<2x4x1024xbf16>)
    -> (tensor<2x4x1024xbf16>, tensor<2x4x16xf32>) {
  %u = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<2x4x1024xbf16>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4x1024xbf16>
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) z(%z) {delta_softplus}
      : (tensor<2x4x1024xbf16>, tensor<2x4x1024xbf16>, tensor<4x16xf32>, tensor<2x2x16x1024xbf16>, tensor<2x2x16x1024xbf16>, tensor<4xf32>, tensor<2x4x1024xbf16>)
      -> (tensor<2x4x1024xbf16>, tensor<2x4x16xf32>)
  return %y, %s : tensor<2x4x1024xbf16>, tensor<2x4x16xf32>
}

// dweight and dbias (f32) are reduced from the bf16 du: bf16 tolerance.
// BF16-BWD: check du bf16 {{.*}} PASS
// BF16-BWD: check ddelta bf16 {{.*}} PASS
// BF16-BWD: check dA f32 {{.*}} PASS
// BF16-BWD: check dB bf16 {{.*}} PASS
// BF16-BWD: check dC bf16 {{.*}} PASS
// BF16-BWD: check dD f32 {{.*}} PASS
// BF16-BWD: check dz bf16 {{.*}} PASS
// BF16-BWD: check dx bf16 {{.*}} PASS
// BF16-BWD: check dweight f32 {{.*}} PASS
// BF16-BWD: check dbias f32 {{.*}} PASS
// BF16-BWD: check: 10 passed, 0 failed
func.func @bf16_bwd(%x: tensor<2x4x1024xbf16>, %weight: tensor<4x4xf32>, %bias: tensor<4xf32>, %delta: tensor<2x4x1024xbf16>, %A: tensor<4x16xf32>, %B: tensor<2x2x16x1024xbf16>, %C: tensor<2x2x16x1024xbf16>, %D: tensor<4xf32>, %z: tensor<2x4x1024xbf16>, %dy: tensor<2x4x1024xbf16>)
    -> (tensor<2x4x1024xbf16>, tensor<2x4x1024xbf16>, tensor<4x16xf32>, tensor<2x2x16x1024xbf16>, tensor<2x2x16x1024xbf16>, tensor<4xf32>, tensor<2x4x1024xbf16>, tensor<2x4x1024xbf16>, tensor<4x4xf32>, tensor<4xf32>) {
  %u = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<2x4x1024xbf16>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4x1024xbf16>
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z), %dy {delta_softplus}
      : tensor<2x4x1024xbf16>, tensor<2x4x1024xbf16>, tensor<4x16xf32>, tensor<2x2x16x1024xbf16>, tensor<2x2x16x1024xbf16>, tensor<4xf32>, tensor<2x4x1024xbf16>, tensor<2x4x1024xbf16>
      -> tensor<2x4x1024xbf16>, tensor<2x4x1024xbf16>, tensor<4x16xf32>, tensor<2x2x16x1024xbf16>, tensor<2x2x16x1024xbf16> dD tensor<4xf32> dz tensor<2x4x1024xbf16>
  %dx, %dweight, %dbias = ssm.causal_conv1d_grad %x, %weight bias(%bias), %du
      activation silu : (tensor<2x4x1024xbf16>, tensor<4x4xf32>, tensor<4xf32>, tensor<2x4x1024xbf16>) -> (tensor<2x4x1024xbf16>, tensor<4x4xf32>, tensor<4xf32>)
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %dx, %dweight, %dbias
      : tensor<2x4x1024xbf16>, tensor<2x4x1024xbf16>, tensor<4x16xf32>, tensor<2x2x16x1024xbf16>, tensor<2x2x16x1024xbf16>, tensor<4xf32>, tensor<2x4x1024xbf16>, tensor<2x4x1024xbf16>, tensor<4x4xf32>, tensor<4xf32>
}

// W=10, no conv bias: the halo of 9 inputs spans several rows (3 of 4 at
// items-per-thread=4, 5 of 2 at 2).
// WIDE-FWD: check y f32 {{.*}} PASS
// WIDE-FWD: check last_state f32 {{.*}} PASS
// WIDE-FWD: check: 2 passed, 0 failed
func.func @wide_fwd(%x: tensor<1x2x32xf32>, %weight: tensor<2x10xf32>, %delta: tensor<1x2x32xf32>, %A: tensor<2x3xf32>, %B: tensor<1x1x3x32xf32>, %C: tensor<1x1x3x32xf32>, %D: tensor<2xf32>)
    -> (tensor<1x2x32xf32>, tensor<1x2x3xf32>) {
  %u = ssm.causal_conv1d %x, %weight activation silu
      : (tensor<1x2x32xf32>, tensor<2x10xf32>) -> tensor<1x2x32xf32>
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) {delta_softplus}
      : (tensor<1x2x32xf32>, tensor<1x2x32xf32>, tensor<2x3xf32>, tensor<1x1x3x32xf32>, tensor<1x1x3x32xf32>, tensor<2xf32>)
      -> (tensor<1x2x32xf32>, tensor<1x2x3xf32>)
  return %y, %s : tensor<1x2x32xf32>, tensor<1x2x3xf32>
}

// WIDE-BWD: check du f32 {{.*}} PASS
// WIDE-BWD: check ddelta f32 {{.*}} PASS
// WIDE-BWD: check dA f32 {{.*}} PASS
// WIDE-BWD: check dB f32 {{.*}} PASS
// WIDE-BWD: check dC f32 {{.*}} PASS
// WIDE-BWD: check dD f32 {{.*}} PASS
// WIDE-BWD: check dx f32 {{.*}} PASS
// WIDE-BWD: check dweight f32 {{.*}} PASS
// WIDE-BWD: check: 8 passed, 0 failed
func.func @wide_bwd(%x: tensor<1x2x32xf32>, %weight: tensor<2x10xf32>, %delta: tensor<1x2x32xf32>, %A: tensor<2x3xf32>, %B: tensor<1x1x3x32xf32>, %C: tensor<1x1x3x32xf32>, %D: tensor<2xf32>, %dy: tensor<1x2x32xf32>)
    -> (tensor<1x2x32xf32>, tensor<1x2x32xf32>, tensor<2x3xf32>, tensor<1x1x3x32xf32>, tensor<1x1x3x32xf32>, tensor<2xf32>, tensor<1x2x32xf32>, tensor<2x10xf32>) {
  %u = ssm.causal_conv1d %x, %weight activation silu
      : (tensor<1x2x32xf32>, tensor<2x10xf32>) -> tensor<1x2x32xf32>
  %du, %ddelta, %dA, %dB, %dC, %dD = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D), %dy {delta_softplus}
      : tensor<1x2x32xf32>, tensor<1x2x32xf32>, tensor<2x3xf32>, tensor<1x1x3x32xf32>, tensor<1x1x3x32xf32>, tensor<2xf32>, tensor<1x2x32xf32>
      -> tensor<1x2x32xf32>, tensor<1x2x32xf32>, tensor<2x3xf32>, tensor<1x1x3x32xf32>, tensor<1x1x3x32xf32> dD tensor<2xf32>
  %dx, %dweight = ssm.causal_conv1d_grad %x, %weight, %du
      activation silu : (tensor<1x2x32xf32>, tensor<2x10xf32>, tensor<1x2x32xf32>) -> (tensor<1x2x32xf32>, tensor<2x10xf32>)
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dx, %dweight
      : tensor<1x2x32xf32>, tensor<1x2x32xf32>, tensor<2x3xf32>, tensor<1x1x3x32xf32>, tensor<1x1x3x32xf32>, tensor<2xf32>, tensor<1x2x32xf32>, tensor<2x10xf32>
}
