// Execution of the fused-conv-scan variant on the CPU against the float64
// oracle: ssm-fuse puts each silu ssm.causal_conv1d and the selective scan
// (or scan gradient) reading it into one ssm.fusion region, and the scan
// recomputes u = silu(conv(x)) where it reads it, so the convolution's
// output is never stored. The oracle evaluates the manifest's op graph op by
// op (the region's ops are listed one by one), so every result, the scan
// gradient's du included, is checked against the unfused float64 graph.
// The same file is compiled for the GPU (compile only here: the block scan
// and, for odd_length_*, its sequential fallback); scripts/gpu_suite.py
// runs the checks there.
// RUN: ssm-compile %s --target=cpu --variant=fused-conv-scan -o %t.so
// RUN: ssm-run %t.so --entry mamba_fwd --check | FileCheck %s --check-prefix=MAMBA-FWD
// RUN: ssm-run %t.so --entry mamba_fwd --seed 7 --check | FileCheck %s --check-prefix=MAMBA-FWD
// RUN: ssm-run %t.so --entry mamba_bwd --check | FileCheck %s --check-prefix=MAMBA-BWD
// RUN: ssm-run %t.so --entry mamba_bwd --seed 7 --check | FileCheck %s --check-prefix=MAMBA-BWD
// RUN: ssm-run %t.so --entry no_bias_fwd --check | FileCheck %s --check-prefix=NO-BIAS-FWD
// RUN: ssm-run %t.so --entry no_bias_bwd --check | FileCheck %s --check-prefix=NO-BIAS-BWD
// RUN: ssm-run %t.so --entry bf16_fwd --check | FileCheck %s --check-prefix=BF16-FWD
// RUN: ssm-run %t.so --entry bf16_bwd --check --tol 3e-2 | FileCheck %s --check-prefix=BF16-BWD
// RUN: ssm-run %t.so --entry groups_fwd --check | FileCheck %s --check-prefix=GROUPS-FWD
// RUN: ssm-run %t.so --entry groups_bwd --check | FileCheck %s --check-prefix=GROUPS-BWD
// RUN: ssm-run %t.so --entry odd_length_fwd --check | FileCheck %s --check-prefix=ODD-LENGTH-FWD
// RUN: ssm-run %t.so --entry odd_length_bwd --check | FileCheck %s --check-prefix=ODD-LENGTH-BWD
// RUN: ssm-run %t.so --entry wide_fwd --check | FileCheck %s --check-prefix=WIDE-FWD
// RUN: ssm-run %t.so --entry wide_bwd --check | FileCheck %s --check-prefix=WIDE-BWD
// RUN: ssm-run %t.so --entry long_fwd --check | FileCheck %s --check-prefix=LONG-FWD
// RUN: ssm-run %t.so --entry long_bwd --check | FileCheck %s --check-prefix=LONG-BWD
// RUN: ssm-compile %s --target=gpu --variant=fused-conv-scan -o %t.gpu.so
// RUN: ssm-compile %s --target=gpu --variant=fused-conv-scan --items-per-thread=2 -o %t.gpu-k2.so

// A Mamba-1 mixer's forward: conv1d (bias, silu) into the scan with D, z,
// delta_bias and softplus.
// MAMBA-FWD: check y f32 {{.*}} PASS
// MAMBA-FWD: check last_state f32 {{.*}} PASS
// MAMBA-FWD: check: 2 passed, 0 failed
func.func @mamba_fwd(%x: tensor<2x4x16xf32>, %weight: tensor<4x4xf32>, %bias: tensor<4xf32>, %delta: tensor<2x4x16xf32>, %A: tensor<4x3xf32>, %B: tensor<2x1x3x16xf32>, %C: tensor<2x1x3x16xf32>, %D: tensor<4xf32>, %z: tensor<2x4x16xf32>, %delta_bias: tensor<4xf32>)
    -> (tensor<2x4x16xf32>, tensor<2x4x3xf32>) {
  %u = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<2x4x16xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4x16xf32>
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%delta_bias) {delta_softplus}
      : (tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<4x3xf32>, tensor<2x1x3x16xf32>, tensor<2x1x3x16xf32>, tensor<4xf32>, tensor<2x4x16xf32>, tensor<4xf32>)
      -> (tensor<2x4x16xf32>, tensor<2x4x3xf32>)
  return %y, %s : tensor<2x4x16xf32>, tensor<2x4x3xf32>
}

// Its backward: the region is the conv1d and the scan's gradient (with
// d_last_state); du leaves it for the conv1d's own gradient outside.
// MAMBA-BWD: check du f32 {{.*}} PASS
// MAMBA-BWD: check ddelta f32 {{.*}} PASS
// MAMBA-BWD: check dA f32 {{.*}} PASS
// MAMBA-BWD: check dB f32 {{.*}} PASS
// MAMBA-BWD: check dC f32 {{.*}} PASS
// MAMBA-BWD: check dD f32 {{.*}} PASS
// MAMBA-BWD: check dz f32 {{.*}} PASS
// MAMBA-BWD: check ddelta_bias f32 {{.*}} PASS
// MAMBA-BWD: check dx f32 {{.*}} PASS
// MAMBA-BWD: check dweight f32 {{.*}} PASS
// MAMBA-BWD: check dbias f32 {{.*}} PASS
// MAMBA-BWD: check: 11 passed, 0 failed
func.func @mamba_bwd(%x: tensor<2x4x16xf32>, %weight: tensor<4x4xf32>, %bias: tensor<4xf32>, %delta: tensor<2x4x16xf32>, %A: tensor<4x3xf32>, %B: tensor<2x1x3x16xf32>, %C: tensor<2x1x3x16xf32>, %D: tensor<4xf32>, %z: tensor<2x4x16xf32>, %delta_bias: tensor<4xf32>, %dy: tensor<2x4x16xf32>, %d_last_state: tensor<2x4x3xf32>)
    -> (tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<4x3xf32>, tensor<2x1x3x16xf32>, tensor<2x1x3x16xf32>, tensor<4xf32>, tensor<2x4x16xf32>, tensor<4xf32>, tensor<2x4x16xf32>, tensor<4x4xf32>, tensor<4xf32>) {
  %u = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<2x4x16xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4x16xf32>
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddelta_bias = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%delta_bias), %dy d_last_state(%d_last_state) {delta_softplus}
      : tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<4x3xf32>, tensor<2x1x3x16xf32>, tensor<2x1x3x16xf32>, tensor<4xf32>, tensor<2x4x16xf32>, tensor<4xf32>, tensor<2x4x16xf32>, tensor<2x4x3xf32>
      -> tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<4x3xf32>, tensor<2x1x3x16xf32>, tensor<2x1x3x16xf32> dD tensor<4xf32> dz tensor<2x4x16xf32> ddelta_bias tensor<4xf32>
  %dx, %dweight, %dbias = ssm.causal_conv1d_grad %x, %weight bias(%bias), %du
      activation silu : (tensor<2x4x16xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<2x4x16xf32>) -> (tensor<2x4x16xf32>, tensor<4x4xf32>, tensor<4xf32>)
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddelta_bias, %dx, %dweight, %dbias
      : tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<4x3xf32>, tensor<2x1x3x16xf32>, tensor<2x1x3x16xf32>, tensor<4xf32>, tensor<2x4x16xf32>, tensor<4xf32>, tensor<2x4x16xf32>, tensor<4x4xf32>, tensor<4xf32>
}

// No conv bias, a plain scan, W=3 (the block scan's halo is one row of 2).
// NO-BIAS-FWD: check y f32 {{.*}} PASS
// NO-BIAS-FWD: check last_state f32 {{.*}} PASS
// NO-BIAS-FWD: check: 2 passed, 0 failed
func.func @no_bias_fwd(%x: tensor<1x4x16xf32>, %weight: tensor<4x3xf32>, %delta: tensor<1x4x16xf32>, %A: tensor<4x3xf32>, %B: tensor<1x1x3x16xf32>, %C: tensor<1x1x3x16xf32>)
    -> (tensor<1x4x16xf32>, tensor<1x4x3xf32>) {
  %u = ssm.causal_conv1d %x, %weight activation silu
      : (tensor<1x4x16xf32>, tensor<4x3xf32>) -> tensor<1x4x16xf32>
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<4x3xf32>, tensor<1x1x3x16xf32>, tensor<1x1x3x16xf32>)
      -> (tensor<1x4x16xf32>, tensor<1x4x3xf32>)
  return %y, %s : tensor<1x4x16xf32>, tensor<1x4x3xf32>
}

// NO-BIAS-BWD: check du f32 {{.*}} PASS
// NO-BIAS-BWD: check ddelta f32 {{.*}} PASS
// NO-BIAS-BWD: check dA f32 {{.*}} PASS
// NO-BIAS-BWD: check dB f32 {{.*}} PASS
// NO-BIAS-BWD: check dC f32 {{.*}} PASS
// NO-BIAS-BWD: check dx f32 {{.*}} PASS
// NO-BIAS-BWD: check dweight f32 {{.*}} PASS
// NO-BIAS-BWD: check: 7 passed, 0 failed
func.func @no_bias_bwd(%x: tensor<1x4x16xf32>, %weight: tensor<4x3xf32>, %delta: tensor<1x4x16xf32>, %A: tensor<4x3xf32>, %B: tensor<1x1x3x16xf32>, %C: tensor<1x1x3x16xf32>, %dy: tensor<1x4x16xf32>)
    -> (tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<4x3xf32>, tensor<1x1x3x16xf32>, tensor<1x1x3x16xf32>, tensor<1x4x16xf32>, tensor<4x3xf32>) {
  %u = ssm.causal_conv1d %x, %weight activation silu
      : (tensor<1x4x16xf32>, tensor<4x3xf32>) -> tensor<1x4x16xf32>
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<4x3xf32>, tensor<1x1x3x16xf32>, tensor<1x1x3x16xf32>, tensor<1x4x16xf32>
      -> tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<4x3xf32>, tensor<1x1x3x16xf32>, tensor<1x1x3x16xf32>
  %dx, %dweight = ssm.causal_conv1d_grad %x, %weight, %du
      activation silu : (tensor<1x4x16xf32>, tensor<4x3xf32>, tensor<1x4x16xf32>) -> (tensor<1x4x16xf32>, tensor<4x3xf32>)
  return %du, %ddelta, %dA, %dB, %dC, %dx, %dweight
      : tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<4x3xf32>, tensor<1x1x3x16xf32>, tensor<1x1x3x16xf32>, tensor<1x4x16xf32>, tensor<4x3xf32>
}

// bf16 activations (the recomputed u stays f32 in registers). In the
// backward, dweight and dbias (f32) are reduced from the bf16 du, so they
// are checked at the bf16 tolerance.
// BF16-FWD: check y bf16 {{.*}} PASS
// BF16-FWD: check last_state f32 {{.*}} PASS
// BF16-FWD: check: 2 passed, 0 failed
func.func @bf16_fwd(%x: tensor<2x4x16xbf16>, %weight: tensor<4x4xf32>, %bias: tensor<4xf32>, %delta: tensor<2x4x16xbf16>, %A: tensor<4x3xf32>, %B: tensor<2x1x3x16xbf16>, %C: tensor<2x1x3x16xbf16>, %D: tensor<4xf32>, %z: tensor<2x4x16xbf16>)
    -> (tensor<2x4x16xbf16>, tensor<2x4x3xf32>) {
  %u = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<2x4x16xbf16>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4x16xbf16>
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) z(%z) {delta_softplus}
      : (tensor<2x4x16xbf16>, tensor<2x4x16xbf16>, tensor<4x3xf32>, tensor<2x1x3x16xbf16>, tensor<2x1x3x16xbf16>, tensor<4xf32>, tensor<2x4x16xbf16>)
      -> (tensor<2x4x16xbf16>, tensor<2x4x3xf32>)
  return %y, %s : tensor<2x4x16xbf16>, tensor<2x4x3xf32>
}

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
func.func @bf16_bwd(%x: tensor<2x4x16xbf16>, %weight: tensor<4x4xf32>, %bias: tensor<4xf32>, %delta: tensor<2x4x16xbf16>, %A: tensor<4x3xf32>, %B: tensor<2x1x3x16xbf16>, %C: tensor<2x1x3x16xbf16>, %D: tensor<4xf32>, %z: tensor<2x4x16xbf16>, %dy: tensor<2x4x16xbf16>)
    -> (tensor<2x4x16xbf16>, tensor<2x4x16xbf16>, tensor<4x3xf32>, tensor<2x1x3x16xbf16>, tensor<2x1x3x16xbf16>, tensor<4xf32>, tensor<2x4x16xbf16>, tensor<2x4x16xbf16>, tensor<4x4xf32>, tensor<4xf32>) {
  %u = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<2x4x16xbf16>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4x16xbf16>
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z), %dy {delta_softplus}
      : tensor<2x4x16xbf16>, tensor<2x4x16xbf16>, tensor<4x3xf32>, tensor<2x1x3x16xbf16>, tensor<2x1x3x16xbf16>, tensor<4xf32>, tensor<2x4x16xbf16>, tensor<2x4x16xbf16>
      -> tensor<2x4x16xbf16>, tensor<2x4x16xbf16>, tensor<4x3xf32>, tensor<2x1x3x16xbf16>, tensor<2x1x3x16xbf16> dD tensor<4xf32> dz tensor<2x4x16xbf16>
  %dx, %dweight, %dbias = ssm.causal_conv1d_grad %x, %weight bias(%bias), %du
      activation silu : (tensor<2x4x16xbf16>, tensor<4x4xf32>, tensor<4xf32>, tensor<2x4x16xbf16>) -> (tensor<2x4x16xbf16>, tensor<4x4xf32>, tensor<4xf32>)
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %dx, %dweight, %dbias
      : tensor<2x4x16xbf16>, tensor<2x4x16xbf16>, tensor<4x3xf32>, tensor<2x1x3x16xbf16>, tensor<2x1x3x16xbf16>, tensor<4xf32>, tensor<2x4x16xbf16>, tensor<2x4x16xbf16>, tensor<4x4xf32>, tensor<4xf32>
}

// G=2 groups of B and C, W=2 (halo rows of 1).
// GROUPS-FWD: check y f32 {{.*}} PASS
// GROUPS-FWD: check last_state f32 {{.*}} PASS
// GROUPS-FWD: check: 2 passed, 0 failed
func.func @groups_fwd(%x: tensor<2x4x16xf32>, %weight: tensor<4x2xf32>, %bias: tensor<4xf32>, %delta: tensor<2x4x16xf32>, %A: tensor<4x3xf32>, %B: tensor<2x2x3x16xf32>, %C: tensor<2x2x3x16xf32>, %D: tensor<4xf32>, %delta_bias: tensor<4xf32>)
    -> (tensor<2x4x16xf32>, tensor<2x4x3xf32>) {
  %u = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<2x4x16xf32>, tensor<4x2xf32>, tensor<4xf32>) -> tensor<2x4x16xf32>
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) delta_bias(%delta_bias) {delta_softplus}
      : (tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<4x3xf32>, tensor<2x2x3x16xf32>, tensor<2x2x3x16xf32>, tensor<4xf32>, tensor<4xf32>)
      -> (tensor<2x4x16xf32>, tensor<2x4x3xf32>)
  return %y, %s : tensor<2x4x16xf32>, tensor<2x4x3xf32>
}

// GROUPS-BWD: check du f32 {{.*}} PASS
// GROUPS-BWD: check ddelta f32 {{.*}} PASS
// GROUPS-BWD: check dA f32 {{.*}} PASS
// GROUPS-BWD: check dB f32 {{.*}} PASS
// GROUPS-BWD: check dC f32 {{.*}} PASS
// GROUPS-BWD: check dD f32 {{.*}} PASS
// GROUPS-BWD: check ddelta_bias f32 {{.*}} PASS
// GROUPS-BWD: check dx f32 {{.*}} PASS
// GROUPS-BWD: check dweight f32 {{.*}} PASS
// GROUPS-BWD: check dbias f32 {{.*}} PASS
// GROUPS-BWD: check: 10 passed, 0 failed
func.func @groups_bwd(%x: tensor<2x4x16xf32>, %weight: tensor<4x2xf32>, %bias: tensor<4xf32>, %delta: tensor<2x4x16xf32>, %A: tensor<4x3xf32>, %B: tensor<2x2x3x16xf32>, %C: tensor<2x2x3x16xf32>, %D: tensor<4xf32>, %delta_bias: tensor<4xf32>, %dy: tensor<2x4x16xf32>)
    -> (tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<4x3xf32>, tensor<2x2x3x16xf32>, tensor<2x2x3x16xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2x4x16xf32>, tensor<4x2xf32>, tensor<4xf32>) {
  %u = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<2x4x16xf32>, tensor<4x2xf32>, tensor<4xf32>) -> tensor<2x4x16xf32>
  %du, %ddelta, %dA, %dB, %dC, %dD, %ddelta_bias = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) delta_bias(%delta_bias), %dy {delta_softplus}
      : tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<4x3xf32>, tensor<2x2x3x16xf32>, tensor<2x2x3x16xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2x4x16xf32>
      -> tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<4x3xf32>, tensor<2x2x3x16xf32>, tensor<2x2x3x16xf32> dD tensor<4xf32> ddelta_bias tensor<4xf32>
  %dx, %dweight, %dbias = ssm.causal_conv1d_grad %x, %weight bias(%bias), %du
      activation silu : (tensor<2x4x16xf32>, tensor<4x2xf32>, tensor<4xf32>, tensor<2x4x16xf32>) -> (tensor<2x4x16xf32>, tensor<4x2xf32>, tensor<4xf32>)
  return %du, %ddelta, %dA, %dB, %dC, %dD, %ddelta_bias, %dx, %dweight, %dbias
      : tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<4x3xf32>, tensor<2x2x3x16xf32>, tensor<2x2x3x16xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2x4x16xf32>, tensor<4x2xf32>, tensor<4xf32>
}

// L=10 is not a multiple of items-per-thread: the GPU lowering falls back
// to strategy "sequential" (recorded in the manifest).
// ODD-LENGTH-FWD: check y f32 {{.*}} PASS
// ODD-LENGTH-FWD: check last_state f32 {{.*}} PASS
// ODD-LENGTH-FWD: check: 2 passed, 0 failed
func.func @odd_length_fwd(%x: tensor<2x4x10xf32>, %weight: tensor<4x4xf32>, %bias: tensor<4xf32>, %delta: tensor<2x4x10xf32>, %A: tensor<4x3xf32>, %B: tensor<2x1x3x10xf32>, %C: tensor<2x1x3x10xf32>, %D: tensor<4xf32>, %z: tensor<2x4x10xf32>)
    -> (tensor<2x4x10xf32>, tensor<2x4x3xf32>) {
  %u = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<2x4x10xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4x10xf32>
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) z(%z) {delta_softplus}
      : (tensor<2x4x10xf32>, tensor<2x4x10xf32>, tensor<4x3xf32>, tensor<2x1x3x10xf32>, tensor<2x1x3x10xf32>, tensor<4xf32>, tensor<2x4x10xf32>)
      -> (tensor<2x4x10xf32>, tensor<2x4x3xf32>)
  return %y, %s : tensor<2x4x10xf32>, tensor<2x4x3xf32>
}

// ODD-LENGTH-BWD: check du f32 {{.*}} PASS
// ODD-LENGTH-BWD: check ddelta f32 {{.*}} PASS
// ODD-LENGTH-BWD: check dA f32 {{.*}} PASS
// ODD-LENGTH-BWD: check dB f32 {{.*}} PASS
// ODD-LENGTH-BWD: check dC f32 {{.*}} PASS
// ODD-LENGTH-BWD: check dD f32 {{.*}} PASS
// ODD-LENGTH-BWD: check dz f32 {{.*}} PASS
// ODD-LENGTH-BWD: check dx f32 {{.*}} PASS
// ODD-LENGTH-BWD: check dweight f32 {{.*}} PASS
// ODD-LENGTH-BWD: check dbias f32 {{.*}} PASS
// ODD-LENGTH-BWD: check: 10 passed, 0 failed
func.func @odd_length_bwd(%x: tensor<2x4x10xf32>, %weight: tensor<4x4xf32>, %bias: tensor<4xf32>, %delta: tensor<2x4x10xf32>, %A: tensor<4x3xf32>, %B: tensor<2x1x3x10xf32>, %C: tensor<2x1x3x10xf32>, %D: tensor<4xf32>, %z: tensor<2x4x10xf32>, %dy: tensor<2x4x10xf32>)
    -> (tensor<2x4x10xf32>, tensor<2x4x10xf32>, tensor<4x3xf32>, tensor<2x1x3x10xf32>, tensor<2x1x3x10xf32>, tensor<4xf32>, tensor<2x4x10xf32>, tensor<2x4x10xf32>, tensor<4x4xf32>, tensor<4xf32>) {
  %u = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<2x4x10xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4x10xf32>
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z), %dy {delta_softplus}
      : tensor<2x4x10xf32>, tensor<2x4x10xf32>, tensor<4x3xf32>, tensor<2x1x3x10xf32>, tensor<2x1x3x10xf32>, tensor<4xf32>, tensor<2x4x10xf32>, tensor<2x4x10xf32>
      -> tensor<2x4x10xf32>, tensor<2x4x10xf32>, tensor<4x3xf32>, tensor<2x1x3x10xf32>, tensor<2x1x3x10xf32> dD tensor<4xf32> dz tensor<2x4x10xf32>
  %dx, %dweight, %dbias = ssm.causal_conv1d_grad %x, %weight bias(%bias), %du
      activation silu : (tensor<2x4x10xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<2x4x10xf32>) -> (tensor<2x4x10xf32>, tensor<4x4xf32>, tensor<4xf32>)
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %dx, %dweight, %dbias
      : tensor<2x4x10xf32>, tensor<2x4x10xf32>, tensor<4x3xf32>, tensor<2x1x3x10xf32>, tensor<2x1x3x10xf32>, tensor<4xf32>, tensor<2x4x10xf32>, tensor<2x4x10xf32>, tensor<4x4xf32>, tensor<4xf32>
}

// W=10 > items-per-thread: the halo spans two rows of 8.
// WIDE-FWD: check y f32 {{.*}} PASS
// WIDE-FWD: check last_state f32 {{.*}} PASS
// WIDE-FWD: check: 2 passed, 0 failed
func.func @wide_fwd(%x: tensor<1x2x24xf32>, %weight: tensor<2x10xf32>, %bias: tensor<2xf32>, %delta: tensor<1x2x24xf32>, %A: tensor<2x3xf32>, %B: tensor<1x1x3x24xf32>, %C: tensor<1x1x3x24xf32>, %D: tensor<2xf32>)
    -> (tensor<1x2x24xf32>, tensor<1x2x3xf32>) {
  %u = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<1x2x24xf32>, tensor<2x10xf32>, tensor<2xf32>) -> tensor<1x2x24xf32>
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) {delta_softplus}
      : (tensor<1x2x24xf32>, tensor<1x2x24xf32>, tensor<2x3xf32>, tensor<1x1x3x24xf32>, tensor<1x1x3x24xf32>, tensor<2xf32>)
      -> (tensor<1x2x24xf32>, tensor<1x2x3xf32>)
  return %y, %s : tensor<1x2x24xf32>, tensor<1x2x3xf32>
}

// WIDE-BWD: check du f32 {{.*}} PASS
// WIDE-BWD: check ddelta f32 {{.*}} PASS
// WIDE-BWD: check dA f32 {{.*}} PASS
// WIDE-BWD: check dB f32 {{.*}} PASS
// WIDE-BWD: check dC f32 {{.*}} PASS
// WIDE-BWD: check dD f32 {{.*}} PASS
// WIDE-BWD: check dx f32 {{.*}} PASS
// WIDE-BWD: check dweight f32 {{.*}} PASS
// WIDE-BWD: check dbias f32 {{.*}} PASS
// WIDE-BWD: check: 9 passed, 0 failed
func.func @wide_bwd(%x: tensor<1x2x24xf32>, %weight: tensor<2x10xf32>, %bias: tensor<2xf32>, %delta: tensor<1x2x24xf32>, %A: tensor<2x3xf32>, %B: tensor<1x1x3x24xf32>, %C: tensor<1x1x3x24xf32>, %D: tensor<2xf32>, %dy: tensor<1x2x24xf32>)
    -> (tensor<1x2x24xf32>, tensor<1x2x24xf32>, tensor<2x3xf32>, tensor<1x1x3x24xf32>, tensor<1x1x3x24xf32>, tensor<2xf32>, tensor<1x2x24xf32>, tensor<2x10xf32>, tensor<2xf32>) {
  %u = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<1x2x24xf32>, tensor<2x10xf32>, tensor<2xf32>) -> tensor<1x2x24xf32>
  %du, %ddelta, %dA, %dB, %dC, %dD = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D), %dy {delta_softplus}
      : tensor<1x2x24xf32>, tensor<1x2x24xf32>, tensor<2x3xf32>, tensor<1x1x3x24xf32>, tensor<1x1x3x24xf32>, tensor<2xf32>, tensor<1x2x24xf32>
      -> tensor<1x2x24xf32>, tensor<1x2x24xf32>, tensor<2x3xf32>, tensor<1x1x3x24xf32>, tensor<1x1x3x24xf32> dD tensor<2xf32>
  %dx, %dweight, %dbias = ssm.causal_conv1d_grad %x, %weight bias(%bias), %du
      activation silu : (tensor<1x2x24xf32>, tensor<2x10xf32>, tensor<2xf32>, tensor<1x2x24xf32>) -> (tensor<1x2x24xf32>, tensor<2x10xf32>, tensor<2xf32>)
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dx, %dweight, %dbias
      : tensor<1x2x24xf32>, tensor<1x2x24xf32>, tensor<2x3xf32>, tensor<1x1x3x24xf32>, tensor<1x1x3x24xf32>, tensor<2xf32>, tensor<1x2x24xf32>, tensor<2x10xf32>, tensor<2xf32>
}

// L=2064: on the GPU, several chunks of 1024 positions and a partial last
// one, so halos cross the threads' and the chunks' boundaries.
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
func.func @long_bwd(%x: tensor<1x2x2064xf32>, %weight: tensor<2x4xf32>, %bias: tensor<2xf32>, %delta: tensor<1x2x2064xf32>, %A: tensor<2x4xf32>, %B: tensor<1x1x4x2064xf32>, %C: tensor<1x1x4x2064xf32>, %D: tensor<2xf32>, %z: tensor<1x2x2064xf32>, %delta_bias: tensor<2xf32>, %dy: tensor<1x2x2064xf32>)
    -> (tensor<1x2x2064xf32>, tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<1x1x4x2064xf32>, tensor<1x1x4x2064xf32>, tensor<2xf32>, tensor<1x2x2064xf32>, tensor<2xf32>, tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<2xf32>) {
  %u = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2x2064xf32>
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddelta_bias = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%delta_bias), %dy {delta_softplus}
      : tensor<1x2x2064xf32>, tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<1x1x4x2064xf32>, tensor<1x1x4x2064xf32>, tensor<2xf32>, tensor<1x2x2064xf32>, tensor<2xf32>, tensor<1x2x2064xf32>
      -> tensor<1x2x2064xf32>, tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<1x1x4x2064xf32>, tensor<1x1x4x2064xf32> dD tensor<2xf32> dz tensor<1x2x2064xf32> ddelta_bias tensor<2xf32>
  %dx, %dweight, %dbias = ssm.causal_conv1d_grad %x, %weight bias(%bias), %du
      activation silu : (tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<2xf32>, tensor<1x2x2064xf32>) -> (tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<2xf32>)
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddelta_bias, %dx, %dweight, %dbias
      : tensor<1x2x2064xf32>, tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<1x1x4x2064xf32>, tensor<1x1x4x2064xf32>, tensor<2xf32>, tensor<1x2x2064xf32>, tensor<2xf32>, tensor<1x2x2064xf32>, tensor<2x4xf32>, tensor<2xf32>
}

