// RUN: ssm-compile %s --target=cpu --variant=unfused -o %t.so
// RUN: ssm-run %t.so --entry fwd_plain3 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-PLAIN3
// RUN: ssm-run %t.so --entry fwd_residual --check \
// RUN:   | FileCheck %s --check-prefix=FWD-RESIDUAL
// RUN: ssm-run %t.so --entry fwd_gated --check \
// RUN:   | FileCheck %s --check-prefix=FWD-GATED
// RUN: ssm-run %t.so --entry fwd_gated --seed 31 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-GATED
// RUN: ssm-run %t.so --entry fwd_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BF16
// RUN: ssm-run %t.so --entry fwd_row --check \
// RUN:   | FileCheck %s --check-prefix=FWD-ROW
// RUN: ssm-run %t.so --entry grad_plain3 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-PLAIN3
// RUN: ssm-run %t.so --entry grad_residual_dres --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-RESIDUAL-DRES
// RUN: ssm-run %t.so --entry grad_residual_dres --seed 13 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-RESIDUAL-DRES
// RUN: ssm-run %t.so --entry grad_residual --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-RESIDUAL
// RUN: ssm-run %t.so --entry grad_gated2 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-GATED2
// RUN: ssm-run %t.so --entry grad_gated3 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-GATED3
// RUN: ssm-run %t.so --entry grad_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BF16
// RUN: ssm-run %t.so --entry grad_row --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-ROW

// Execution of the `unfused` ssm.rms_norm and ssm.rms_norm_grad on the CPU
// (the residual add or the gate, the per-row normaliser and the scaling each
// their own loop nest; the gradient's steps likewise) against the float64
// oracle, in the plain, residual and gated forms.

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

// Residual form, f32 residual next to bf16 activations: the add is its own
// nest writing residual_out, which the norm then reads.
// FWD-RESIDUAL: check y bf16 {{.*}} PASS
// FWD-RESIDUAL: check residual_out f32 {{.*}} PASS
// FWD-RESIDUAL: check: 2 passed, 0 failed
func.func @fwd_residual(%x: tensor<2x3x16xbf16>, %weight: tensor<16xf32>,
    %res: tensor<2x3x16xf32>) -> (tensor<2x3x16xbf16>, tensor<2x3x16xf32>) {
  %y, %ro = ssm.rms_norm %x, %weight residual(%res)
      : (tensor<2x3x16xbf16>, tensor<16xf32>, tensor<2x3x16xf32>)
      -> (tensor<2x3x16xbf16>, tensor<2x3x16xf32>)
  return %y, %ro : tensor<2x3x16xbf16>, tensor<2x3x16xf32>
}

// Gated form, rank 3, bf16: the gate is its own nest into f32 scratch.
// FWD-GATED: check y bf16 {{.*}} PASS
// FWD-GATED: check: 1 passed, 0 failed
func.func @fwd_gated(%x: tensor<2x3x16xbf16>, %weight: tensor<16xf32>,
    %z: tensor<2x3x16xbf16>) -> tensor<2x3x16xbf16> {
  %y = ssm.rms_norm %x, %weight z(%z)
      : (tensor<2x3x16xbf16>, tensor<16xf32>, tensor<2x3x16xbf16>)
      -> tensor<2x3x16xbf16>
  return %y : tensor<2x3x16xbf16>
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

// Rank 1 (a single row): the normaliser is a rank-0 buffer.
// FWD-ROW: check y f32 {{.*}} PASS
// FWD-ROW: check: 1 passed, 0 failed
func.func @fwd_row(%x: tensor<24xf32>, %weight: tensor<24xf32>)
    -> tensor<24xf32> {
  %y = ssm.rms_norm %x, %weight
      : (tensor<24xf32>, tensor<24xf32>) -> tensor<24xf32>
  return %y : tensor<24xf32>
}

// Plain form, rank 3: the norm backward writes dx directly.
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

// Residual form with d_residual_out, bf16 activations, f32 residual.
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

// Residual form without d_residual_out.
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

// Rank 1 (a single row).
// GRAD-ROW: check dx f32 {{.*}} PASS
// GRAD-ROW: check dweight f32 {{.*}} PASS
// GRAD-ROW: check: 2 passed, 0 failed
func.func @grad_row(%x: tensor<24xf32>, %weight: tensor<24xf32>,
    %dy: tensor<24xf32>) -> (tensor<24xf32>, tensor<24xf32>) {
  %dx, %dweight = ssm.rms_norm_grad %x, %weight, %dy
      : tensor<24xf32>, tensor<24xf32>, tensor<24xf32>
      -> tensor<24xf32>, tensor<24xf32>
  return %dx, %dweight : tensor<24xf32>, tensor<24xf32>
}
