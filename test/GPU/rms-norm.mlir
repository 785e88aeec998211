// REQUIRES: cuda
// RUN: ssm-compile %s --target=gpu -o %t.so
// RUN: ssm-run %t.so --entry fwd_f32 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-F32
// RUN: ssm-run %t.so --entry fwd_residual_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-RESIDUAL-BF16
// RUN: ssm-run %t.so --entry fwd_gated_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-GATED-BF16
// RUN: ssm-run %t.so --entry grad_f32 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-F32
// RUN: ssm-run %t.so --entry grad_f32 --seed 5 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-F32
// RUN: ssm-run %t.so --entry grad_residual_f32 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-RESIDUAL-F32
// RUN: ssm-run %t.so --entry grad_gated_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-GATED-BF16
// RUN: ssm-run %t.so --entry grad_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BF16
// RUN: ssm-compile %s --target=gpu --threads-per-block=32 -o %t.tpb32.so
// RUN: ssm-run %t.tpb32.so --entry fwd_f32 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-F32
// RUN: ssm-run %t.tpb32.so --entry grad_f32 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-F32
// RUN: ssm-compile %s --target=gpu --threads-per-block=1024 -o %t.tpb1024.so
// RUN: ssm-run %t.tpb1024.so --entry grad_residual_f32 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-RESIDUAL-F32

// ssm.rms_norm and its gradient on the GPU against the float64 oracle: one
// thread per row, rows over several blocks with a partly filled last one,
// and dweight accumulated atomically by every row of every block.

// 300 rows: 3 blocks of 128 (10 of 32), the last one partly filled.
// FWD-F32: check y f32 {{.*}} PASS
// FWD-F32: check: 1 passed, 0 failed
func.func @fwd_f32(%x: tensor<300x64xf32>, %weight: tensor<64xf32>)
    -> tensor<300x64xf32> {
  %y = ssm.rms_norm %x, %weight
      : (tensor<300x64xf32>, tensor<64xf32>) -> tensor<300x64xf32>
  return %y : tensor<300x64xf32>
}

// Residual form, bf16 input, f32 residual stream, 2*150 rows.
// FWD-RESIDUAL-BF16: check y bf16 {{.*}} PASS
// FWD-RESIDUAL-BF16: check residual_out f32 {{.*}} PASS
// FWD-RESIDUAL-BF16: check: 2 passed, 0 failed
func.func @fwd_residual_bf16(%x: tensor<2x150x32xbf16>,
    %weight: tensor<32xf32>, %residual: tensor<2x150x32xf32>)
    -> (tensor<2x150x32xbf16>, tensor<2x150x32xf32>) {
  %y, %residual_out = ssm.rms_norm %x, %weight residual(%residual)
      : (tensor<2x150x32xbf16>, tensor<32xf32>, tensor<2x150x32xf32>)
      -> (tensor<2x150x32xbf16>, tensor<2x150x32xf32>)
  return %y, %residual_out : tensor<2x150x32xbf16>, tensor<2x150x32xf32>
}

// Gated form, bf16, 2*70 rows.
// FWD-GATED-BF16: check y bf16 {{.*}} PASS
// FWD-GATED-BF16: check: 1 passed, 0 failed
func.func @fwd_gated_bf16(%x: tensor<2x70x16xbf16>, %weight: tensor<16xf32>,
    %z: tensor<2x70x16xbf16>) -> tensor<2x70x16xbf16> {
  %y = ssm.rms_norm %x, %weight z(%z)
      : (tensor<2x70x16xbf16>, tensor<16xf32>, tensor<2x70x16xbf16>)
      -> tensor<2x70x16xbf16>
  return %y : tensor<2x70x16xbf16>
}

// dweight is the sum over 300 rows in 3 blocks: 300 atomic adds per
// element.
// GRAD-F32: check dx f32 {{.*}} PASS
// GRAD-F32: check dweight f32 {{.*}} PASS
// GRAD-F32: check: 2 passed, 0 failed
func.func @grad_f32(%x: tensor<300x64xf32>, %weight: tensor<64xf32>,
    %dy: tensor<300x64xf32>) -> (tensor<300x64xf32>, tensor<64xf32>) {
  %dx, %dweight = ssm.rms_norm_grad %x, %weight, %dy
      : tensor<300x64xf32>, tensor<64xf32>, tensor<300x64xf32>
      -> tensor<300x64xf32>, tensor<64xf32>
  return %dx, %dweight : tensor<300x64xf32>, tensor<64xf32>
}

// Residual form with the residual stream's cotangent.
// GRAD-RESIDUAL-F32: check dx f32 {{.*}} PASS
// GRAD-RESIDUAL-F32: check dweight f32 {{.*}} PASS
// GRAD-RESIDUAL-F32: check dresidual f32 {{.*}} PASS
// GRAD-RESIDUAL-F32: check: 3 passed, 0 failed
func.func @grad_residual_f32(%x: tensor<2x150x32xf32>,
    %weight: tensor<32xf32>, %residual: tensor<2x150x32xf32>,
    %dy: tensor<2x150x32xf32>, %d_residual_out: tensor<2x150x32xf32>)
    -> (tensor<2x150x32xf32>, tensor<32xf32>, tensor<2x150x32xf32>) {
  %dx, %dweight, %dresidual = ssm.rms_norm_grad
      %x, %weight residual(%residual), %dy d_residual_out(%d_residual_out)
      : tensor<2x150x32xf32>, tensor<32xf32>, tensor<2x150x32xf32>,
        tensor<2x150x32xf32>, tensor<2x150x32xf32>
      -> tensor<2x150x32xf32>, tensor<32xf32> dresidual tensor<2x150x32xf32>
  return %dx, %dweight, %dresidual : tensor<2x150x32xf32>, tensor<32xf32>,
      tensor<2x150x32xf32>
}

// Gated form, bf16.
// GRAD-GATED-BF16: check dx bf16 {{.*}} PASS
// GRAD-GATED-BF16: check dweight f32 {{.*}} PASS
// GRAD-GATED-BF16: check dz bf16 {{.*}} PASS
// GRAD-GATED-BF16: check: 3 passed, 0 failed
func.func @grad_gated_bf16(%x: tensor<2x70x16xbf16>, %weight: tensor<16xf32>,
    %z: tensor<2x70x16xbf16>, %dy: tensor<2x70x16xbf16>)
    -> (tensor<2x70x16xbf16>, tensor<16xf32>, tensor<2x70x16xbf16>) {
  %dx, %dweight, %dz = ssm.rms_norm_grad %x, %weight z(%z), %dy
      : tensor<2x70x16xbf16>, tensor<16xf32>, tensor<2x70x16xbf16>,
        tensor<2x70x16xbf16>
      -> tensor<2x70x16xbf16>, tensor<16xf32> dz tensor<2x70x16xbf16>
  return %dx, %dweight, %dz : tensor<2x70x16xbf16>, tensor<16xf32>,
      tensor<2x70x16xbf16>
}

// Plain form, bf16, 257 rows.
// GRAD-BF16: check dx bf16 {{.*}} PASS
// GRAD-BF16: check dweight f32 {{.*}} PASS
// GRAD-BF16: check: 2 passed, 0 failed
func.func @grad_bf16(%x: tensor<257x32xbf16>, %weight: tensor<32xf32>,
    %dy: tensor<257x32xbf16>) -> (tensor<257x32xbf16>, tensor<32xf32>) {
  %dx, %dweight = ssm.rms_norm_grad %x, %weight, %dy
      : tensor<257x32xbf16>, tensor<32xf32>, tensor<257x32xbf16>
      -> tensor<257x32xbf16>, tensor<32xf32>
  return %dx, %dweight : tensor<257x32xbf16>, tensor<32xf32>
}
