// RUN: ssm-compile %s --target=cpu -o %t.so
// RUN: ssm-run %t.so --entry fwd_plain2 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-PLAIN2
// RUN: ssm-run %t.so --entry fwd_plain3 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-PLAIN3
// RUN: ssm-run %t.so --entry fwd_plain3 --seed 2 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-PLAIN3
// RUN: ssm-run %t.so --entry fwd_residual_f32 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-RESIDUAL-F32
// RUN: ssm-run %t.so --entry fwd_residual_same --check \
// RUN:   | FileCheck %s --check-prefix=FWD-RESIDUAL-SAME
// RUN: ssm-run %t.so --entry fwd_residual_f16 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-RESIDUAL-F16
// RUN: ssm-run %t.so --entry fwd_gated2 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-GATED2
// RUN: ssm-run %t.so --entry fwd_gated3 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-GATED3
// RUN: ssm-run %t.so --entry fwd_gated3 --seed 31 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-GATED3
// RUN: ssm-run %t.so --entry fwd_d1 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-D1
// RUN: ssm-run %t.so --entry fwd_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BF16

// Execution of ssm.rms_norm in its plain, residual and gated forms on the CPU
// against the float64 oracle.

// Plain form, rank 2.
// FWD-PLAIN2: check y f32 {{.*}} PASS
// FWD-PLAIN2: check: 1 passed, 0 failed
func.func @fwd_plain2(%x: tensor<4x16xf32>, %weight: tensor<16xf32>)
    -> tensor<4x16xf32> {
  %y = ssm.rms_norm %x, %weight
      : (tensor<4x16xf32>, tensor<16xf32>)
      -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// Plain form, rank 3, non-default eps.
// FWD-PLAIN3: check y f32 {{.*}} PASS
// FWD-PLAIN3: check: 1 passed, 0 failed
func.func @fwd_plain3(%x: tensor<2x3x16xf32>, %weight: tensor<16xf32>)
    -> tensor<2x3x16xf32> {
  %y = ssm.rms_norm %x, %weight {eps = 1.0e-03 : f32}
      : (tensor<2x3x16xf32>, tensor<16xf32>)
      -> tensor<2x3x16xf32>
  return %y : tensor<2x3x16xf32>
}

// Residual form, f32 residual next to bf16 activations, rank 3.
// FWD-RESIDUAL-F32: check y bf16 {{.*}} PASS
// FWD-RESIDUAL-F32: check residual_out f32 {{.*}} PASS
// FWD-RESIDUAL-F32: check: 2 passed, 0 failed
func.func @fwd_residual_f32(%x: tensor<2x3x16xbf16>, %weight: tensor<16xf32>,
    %res: tensor<2x3x16xf32>) -> (tensor<2x3x16xbf16>, tensor<2x3x16xf32>) {
  %y, %ro = ssm.rms_norm %x, %weight residual(%res)
      : (tensor<2x3x16xbf16>, tensor<16xf32>, tensor<2x3x16xf32>)
      -> (tensor<2x3x16xbf16>, tensor<2x3x16xf32>)
  return %y, %ro : tensor<2x3x16xbf16>, tensor<2x3x16xf32>
}

// Residual form, residual in the activation type, rank 2.
// FWD-RESIDUAL-SAME: check y f32 {{.*}} PASS
// FWD-RESIDUAL-SAME: check residual_out f32 {{.*}} PASS
// FWD-RESIDUAL-SAME: check: 2 passed, 0 failed
func.func @fwd_residual_same(%x: tensor<4x16xf32>, %weight: tensor<16xf32>,
    %res: tensor<4x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %y, %ro = ssm.rms_norm %x, %weight residual(%res)
      : (tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>)
      -> (tensor<4x16xf32>, tensor<4x16xf32>)
  return %y, %ro : tensor<4x16xf32>, tensor<4x16xf32>
}

// Residual form, f16 activations and residual.
// FWD-RESIDUAL-F16: check y f16 {{.*}} PASS
// FWD-RESIDUAL-F16: check residual_out f32 {{.*}} PASS
// FWD-RESIDUAL-F16: check: 2 passed, 0 failed
func.func @fwd_residual_f16(%x: tensor<4x16xf16>, %weight: tensor<16xf32>,
    %res: tensor<4x16xf16>) -> (tensor<4x16xf16>, tensor<4x16xf32>) {
  %y, %ro = ssm.rms_norm %x, %weight residual(%res)
      : (tensor<4x16xf16>, tensor<16xf32>, tensor<4x16xf16>)
      -> (tensor<4x16xf16>, tensor<4x16xf32>)
  return %y, %ro : tensor<4x16xf16>, tensor<4x16xf32>
}

// Gated form, rank 2.
// FWD-GATED2: check y f32 {{.*}} PASS
// FWD-GATED2: check: 1 passed, 0 failed
func.func @fwd_gated2(%x: tensor<4x16xf32>, %weight: tensor<16xf32>,
    %z: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %y = ssm.rms_norm %x, %weight z(%z)
      : (tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>)
      -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// Gated form, rank 3, bf16.
// FWD-GATED3: check y bf16 {{.*}} PASS
// FWD-GATED3: check: 1 passed, 0 failed
func.func @fwd_gated3(%x: tensor<2x3x16xbf16>, %weight: tensor<16xf32>,
    %z: tensor<2x3x16xbf16>) -> tensor<2x3x16xbf16> {
  %y = ssm.rms_norm %x, %weight z(%z)
      : (tensor<2x3x16xbf16>, tensor<16xf32>, tensor<2x3x16xbf16>)
      -> tensor<2x3x16xbf16>
  return %y : tensor<2x3x16xbf16>
}

// A normalised dimension of 1.
// FWD-D1: check y f32 {{.*}} PASS
// FWD-D1: check: 1 passed, 0 failed
func.func @fwd_d1(%x: tensor<4x1xf32>, %weight: tensor<1xf32>)
    -> tensor<4x1xf32> {
  %y = ssm.rms_norm %x, %weight
      : (tensor<4x1xf32>, tensor<1xf32>)
      -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}

// Plain form, bf16.
// FWD-BF16: check y bf16 {{.*}} PASS
// FWD-BF16: check: 1 passed, 0 failed
func.func @fwd_bf16(%x: tensor<3x32xbf16>, %weight: tensor<32xf32>)
    -> tensor<3x32xbf16> {
  %y = ssm.rms_norm %x, %weight
      : (tensor<3x32xbf16>, tensor<32xf32>)
      -> tensor<3x32xbf16>
  return %y : tensor<3x32xbf16>
}
