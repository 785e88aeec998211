// RUN: ssm-compile %s --target=cpu -o %t.so
// RUN: ssm-run %t.so --entry grad_plain2 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-PLAIN2
// RUN: ssm-run %t.so --entry grad_plain3 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-PLAIN3
// RUN: ssm-run %t.so --entry grad_residual_dres --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-RESIDUAL-DRES
// RUN: ssm-run %t.so --entry grad_residual_dres --seed 13 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-RESIDUAL-DRES
// RUN: ssm-run %t.so --entry grad_residual --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-RESIDUAL
// RUN: ssm-run %t.so --entry grad_residual_same_dres --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-RESIDUAL-SAME-DRES
// RUN: ssm-run %t.so --entry grad_residual_f16 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-RESIDUAL-F16
// RUN: ssm-run %t.so --entry grad_gated2 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-GATED2
// RUN: ssm-run %t.so --entry grad_gated3 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-GATED3
// RUN: ssm-run %t.so --entry grad_gated3 --seed 6 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-GATED3
// RUN: ssm-run %t.so --entry grad_d1 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-D1
// RUN: ssm-run %t.so --entry grad_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BF16

// Execution of ssm.rms_norm_grad in its plain, residual (with and without
// d_residual_out) and gated forms on the CPU against the float64 oracle.

// Plain form, rank 2.
// GRAD-PLAIN2: check dx f32 {{.*}} PASS
// GRAD-PLAIN2: check dweight f32 {{.*}} PASS
// GRAD-PLAIN2: check: 2 passed, 0 failed
func.func @grad_plain2(%x: tensor<4x16xf32>, %weight: tensor<16xf32>,
    %dy: tensor<4x16xf32>) -> (tensor<4x16xf32>, tensor<16xf32>) {
  %dx, %dweight = ssm.rms_norm_grad %x, %weight, %dy
      : tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>
      -> tensor<4x16xf32>, tensor<16xf32>
  return %dx, %dweight : tensor<4x16xf32>, tensor<16xf32>
}

// Plain form, rank 3, non-default eps.
// GRAD-PLAIN3: check dx f32 {{.*}} PASS
// GRAD-PLAIN3: check dweight f32 {{.*}} PASS
// GRAD-PLAIN3: check: 2 passed, 0 failed
func.func @grad_plain3(%x: tensor<2x3x16xf32>, %weight: tensor<16xf32>,
    %dy: tensor<2x3x16xf32>) -> (tensor<2x3x16xf32>, tensor<16xf32>) {
  %dx, %dweight = ssm.rms_norm_grad %x, %weight, %dy {eps = 1.0e-03 : f32}
      : tensor<2x3x16xf32>, tensor<16xf32>, tensor<2x3x16xf32>
      -> tensor<2x3x16xf32>, tensor<16xf32>
  return %dx, %dweight : tensor<2x3x16xf32>, tensor<16xf32>
}

// Residual form with d_residual_out, f32 residual, bf16 activations.
// GRAD-RESIDUAL-DRES: check dx bf16 {{.*}} PASS
// GRAD-RESIDUAL-DRES: check dweight f32 {{.*}} PASS
// GRAD-RESIDUAL-DRES: check dresidual f32 {{.*}} PASS
// GRAD-RESIDUAL-DRES: check: 3 passed, 0 failed
func.func @grad_residual_dres(%x: tensor<2x3x16xbf16>, %weight: tensor<16xf32>,
    %res: tensor<2x3x16xf32>, %dy: tensor<2x3x16xbf16>,
    %dro: tensor<2x3x16xf32>)
    -> (tensor<2x3x16xbf16>, tensor<16xf32>, tensor<2x3x16xf32>) {
  %dx, %dweight, %dresidual = ssm.rms_norm_grad
      %x, %weight residual(%res), %dy d_residual_out(%dro)
      : tensor<2x3x16xbf16>, tensor<16xf32>, tensor<2x3x16xf32>,
        tensor<2x3x16xbf16>, tensor<2x3x16xf32>
      -> tensor<2x3x16xbf16>, tensor<16xf32> dresidual tensor<2x3x16xf32>
  return %dx, %dweight, %dresidual : tensor<2x3x16xbf16>, tensor<16xf32>,
      tensor<2x3x16xf32>
}

// Residual form without d_residual_out (taken as zero).
// GRAD-RESIDUAL: check dx f32 {{.*}} PASS
// GRAD-RESIDUAL: check dweight f32 {{.*}} PASS
// GRAD-RESIDUAL: check dresidual f32 {{.*}} PASS
// GRAD-RESIDUAL: check: 3 passed, 0 failed
func.func @grad_residual(%x: tensor<4x16xf32>, %weight: tensor<16xf32>,
    %res: tensor<4x16xf32>, %dy: tensor<4x16xf32>)
    -> (tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>) {
  %dx, %dweight, %dresidual = ssm.rms_norm_grad %x, %weight residual(%res), %dy
      : tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>, tensor<4x16xf32>
      -> tensor<4x16xf32>, tensor<16xf32> dresidual tensor<4x16xf32>
  return %dx, %dweight, %dresidual : tensor<4x16xf32>, tensor<16xf32>,
      tensor<4x16xf32>
}

// Residual form, residual in the activation type, with d_residual_out.
// GRAD-RESIDUAL-SAME-DRES: check dx f32 {{.*}} PASS
// GRAD-RESIDUAL-SAME-DRES: check dweight f32 {{.*}} PASS
// GRAD-RESIDUAL-SAME-DRES: check dresidual f32 {{.*}} PASS
// GRAD-RESIDUAL-SAME-DRES: check: 3 passed, 0 failed
func.func @grad_residual_same_dres(%x: tensor<2x3x16xf32>,
    %weight: tensor<16xf32>, %res: tensor<2x3x16xf32>, %dy: tensor<2x3x16xf32>,
    %dro: tensor<2x3x16xf32>)
    -> (tensor<2x3x16xf32>, tensor<16xf32>, tensor<2x3x16xf32>) {
  %dx, %dweight, %dresidual = ssm.rms_norm_grad
      %x, %weight residual(%res), %dy d_residual_out(%dro)
      : tensor<2x3x16xf32>, tensor<16xf32>, tensor<2x3x16xf32>,
        tensor<2x3x16xf32>, tensor<2x3x16xf32>
      -> tensor<2x3x16xf32>, tensor<16xf32> dresidual tensor<2x3x16xf32>
  return %dx, %dweight, %dresidual : tensor<2x3x16xf32>, tensor<16xf32>,
      tensor<2x3x16xf32>
}

// Residual form, f16 activations and residual.
// GRAD-RESIDUAL-F16: check dx f16 {{.*}} PASS
// GRAD-RESIDUAL-F16: check dweight f32 {{.*}} PASS
// GRAD-RESIDUAL-F16: check dresidual f16 {{.*}} PASS
// GRAD-RESIDUAL-F16: check: 3 passed, 0 failed
func.func @grad_residual_f16(%x: tensor<4x16xf16>, %weight: tensor<16xf32>,
    %res: tensor<4x16xf16>, %dy: tensor<4x16xf16>, %dro: tensor<4x16xf32>)
    -> (tensor<4x16xf16>, tensor<16xf32>, tensor<4x16xf16>) {
  %dx, %dweight, %dresidual = ssm.rms_norm_grad
      %x, %weight residual(%res), %dy d_residual_out(%dro)
      : tensor<4x16xf16>, tensor<16xf32>, tensor<4x16xf16>, tensor<4x16xf16>,
        tensor<4x16xf32>
      -> tensor<4x16xf16>, tensor<16xf32> dresidual tensor<4x16xf16>
  return %dx, %dweight, %dresidual : tensor<4x16xf16>, tensor<16xf32>,
      tensor<4x16xf16>
}

// Gated form, rank 2.
// GRAD-GATED2: check dx f32 {{.*}} PASS
// GRAD-GATED2: check dweight f32 {{.*}} PASS
// GRAD-GATED2: check dz f32 {{.*}} PASS
// GRAD-GATED2: check: 3 passed, 0 failed
func.func @grad_gated2(%x: tensor<4x16xf32>, %weight: tensor<16xf32>,
    %z: tensor<4x16xf32>, %dy: tensor<4x16xf32>)
    -> (tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>) {
  %dx, %dweight, %dz = ssm.rms_norm_grad %x, %weight z(%z), %dy
      : tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>, tensor<4x16xf32>
      -> tensor<4x16xf32>, tensor<16xf32> dz tensor<4x16xf32>
  return %dx, %dweight, %dz : tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>
}

// Gated form, rank 3, bf16.
// GRAD-GATED3: check dx bf16 {{.*}} PASS
// GRAD-GATED3: check dweight f32 {{.*}} PASS
// GRAD-GATED3: check dz bf16 {{.*}} PASS
// GRAD-GATED3: check: 3 passed, 0 failed
func.func @grad_gated3(%x: tensor<2x3x16xbf16>, %weight: tensor<16xf32>,
    %z: tensor<2x3x16xbf16>, %dy: tensor<2x3x16xbf16>)
    -> (tensor<2x3x16xbf16>, tensor<16xf32>, tensor<2x3x16xbf16>) {
  %dx, %dweight, %dz = ssm.rms_norm_grad %x, %weight z(%z), %dy
      : tensor<2x3x16xbf16>, tensor<16xf32>, tensor<2x3x16xbf16>,
        tensor<2x3x16xbf16>
      -> tensor<2x3x16xbf16>, tensor<16xf32> dz tensor<2x3x16xbf16>
  return %dx, %dweight, %dz : tensor<2x3x16xbf16>, tensor<16xf32>,
      tensor<2x3x16xbf16>
}

// A normalised dimension of 1. There dx = w * eps / (x^2 + eps)^(3/2) is
// a difference of two nearly equal terms, ill-conditioned in f32 for a small
// eps; a large eps keeps the comparison meaningful.
// GRAD-D1: check dx f32 {{.*}} PASS
// GRAD-D1: check dweight f32 {{.*}} PASS
// GRAD-D1: check: 2 passed, 0 failed
func.func @grad_d1(%x: tensor<4x1xf32>, %weight: tensor<1xf32>,
    %dy: tensor<4x1xf32>) -> (tensor<4x1xf32>, tensor<1xf32>) {
  %dx, %dweight = ssm.rms_norm_grad %x, %weight, %dy {eps = 5.000000e-01 : f32}
      : tensor<4x1xf32>, tensor<1xf32>, tensor<4x1xf32>
      -> tensor<4x1xf32>, tensor<1xf32>
  return %dx, %dweight : tensor<4x1xf32>, tensor<1xf32>
}

// Plain form, bf16.
// GRAD-BF16: check dx bf16 {{.*}} PASS
// GRAD-BF16: check dweight f32 {{.*}} PASS
// GRAD-BF16: check: 2 passed, 0 failed
func.func @grad_bf16(%x: tensor<3x32xbf16>, %weight: tensor<32xf32>,
    %dy: tensor<3x32xbf16>) -> (tensor<3x32xbf16>, tensor<32xf32>) {
  %dx, %dweight = ssm.rms_norm_grad %x, %weight, %dy
      : tensor<3x32xbf16>, tensor<32xf32>, tensor<3x32xbf16>
      -> tensor<3x32xbf16>, tensor<32xf32>
  return %dx, %dweight : tensor<3x32xbf16>, tensor<32xf32>
}
