// RUN: ssm-compile %s --target=cpu -o %t.so
// RUN: ssm-run %t.so --entry fwd_none --check \
// RUN:   | FileCheck %s --check-prefix=FWD-NONE
// RUN: ssm-run %t.so --entry fwd_bias_silu --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BIAS-SILU
// RUN: ssm-run %t.so --entry fwd_bias_silu --seed 17 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BIAS-SILU
// RUN: ssm-run %t.so --entry fwd_silu --check \
// RUN:   | FileCheck %s --check-prefix=FWD-SILU
// RUN: ssm-run %t.so --entry fwd_bias_none --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BIAS-NONE
// RUN: ssm-run %t.so --entry fwd_wide --check \
// RUN:   | FileCheck %s --check-prefix=FWD-WIDE
// RUN: ssm-run %t.so --entry fwd_wide --seed 4 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-WIDE
// RUN: ssm-run %t.so --entry fwd_l1 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-L1
// RUN: ssm-run %t.so --entry fwd_w1 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-W1
// RUN: ssm-run %t.so --entry fwd_long --check \
// RUN:   | FileCheck %s --check-prefix=FWD-LONG
// RUN: ssm-run %t.so --entry fwd_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BF16
// RUN: ssm-run %t.so --entry fwd_f16 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-F16

// Execution of ssm.causal_conv1d on the CPU against the float64 oracle.

// Identity activation, no bias.
// FWD-NONE: check y f32 {{.*}} PASS
// FWD-NONE: check: 1 passed, 0 failed
func.func @fwd_none(%x: tensor<2x4x8xf32>, %weight: tensor<4x3xf32>)
    -> tensor<2x4x8xf32> {
  %y = ssm.causal_conv1d %x, %weight activation none
      : (tensor<2x4x8xf32>, tensor<4x3xf32>)
      -> tensor<2x4x8xf32>
  return %y : tensor<2x4x8xf32>
}

// Bias and silu.
// FWD-BIAS-SILU: check y f32 {{.*}} PASS
// FWD-BIAS-SILU: check: 1 passed, 0 failed
func.func @fwd_bias_silu(%x: tensor<2x4x8xf32>, %weight: tensor<4x3xf32>,
    %bias: tensor<4xf32>) -> tensor<2x4x8xf32> {
  %y = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<2x4x8xf32>, tensor<4x3xf32>, tensor<4xf32>)
      -> tensor<2x4x8xf32>
  return %y : tensor<2x4x8xf32>
}

// silu without bias.
// FWD-SILU: check y f32 {{.*}} PASS
// FWD-SILU: check: 1 passed, 0 failed
func.func @fwd_silu(%x: tensor<1x4x8xf32>, %weight: tensor<4x4xf32>)
    -> tensor<1x4x8xf32> {
  %y = ssm.causal_conv1d %x, %weight activation silu
      : (tensor<1x4x8xf32>, tensor<4x4xf32>)
      -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}

// Bias with the identity activation.
// FWD-BIAS-NONE: check y f32 {{.*}} PASS
// FWD-BIAS-NONE: check: 1 passed, 0 failed
func.func @fwd_bias_none(%x: tensor<1x4x8xf32>, %weight: tensor<4x4xf32>,
    %bias: tensor<4xf32>) -> tensor<1x4x8xf32> {
  %y = ssm.causal_conv1d %x, %weight bias(%bias) activation none
      : (tensor<1x4x8xf32>, tensor<4x4xf32>, tensor<4xf32>)
      -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}

// A kernel wider than the sequence (W=6 > L=3).
// FWD-WIDE: check y f32 {{.*}} PASS
// FWD-WIDE: check: 1 passed, 0 failed
func.func @fwd_wide(%x: tensor<2x4x3xf32>, %weight: tensor<4x6xf32>,
    %bias: tensor<4xf32>) -> tensor<2x4x3xf32> {
  %y = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<2x4x3xf32>, tensor<4x6xf32>, tensor<4xf32>)
      -> tensor<2x4x3xf32>
  return %y : tensor<2x4x3xf32>
}

// A single position (L=1).
// FWD-L1: check y f32 {{.*}} PASS
// FWD-L1: check: 1 passed, 0 failed
func.func @fwd_l1(%x: tensor<2x4x1xf32>, %weight: tensor<4x4xf32>,
    %bias: tensor<4xf32>) -> tensor<2x4x1xf32> {
  %y = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<2x4x1xf32>, tensor<4x4xf32>, tensor<4xf32>)
      -> tensor<2x4x1xf32>
  return %y : tensor<2x4x1xf32>
}

// A one-tap kernel (W=1).
// FWD-W1: check y f32 {{.*}} PASS
// FWD-W1: check: 1 passed, 0 failed
func.func @fwd_w1(%x: tensor<1x4x8xf32>, %weight: tensor<4x1xf32>,
    %bias: tensor<4xf32>) -> tensor<1x4x8xf32> {
  %y = ssm.causal_conv1d %x, %weight bias(%bias) activation none
      : (tensor<1x4x8xf32>, tensor<4x1xf32>, tensor<4xf32>)
      -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}

// L=37.
// FWD-LONG: check y f32 {{.*}} PASS
// FWD-LONG: check: 1 passed, 0 failed
func.func @fwd_long(%x: tensor<1x3x37xf32>, %weight: tensor<3x4xf32>,
    %bias: tensor<3xf32>) -> tensor<1x3x37xf32> {
  %y = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<1x3x37xf32>, tensor<3x4xf32>, tensor<3xf32>)
      -> tensor<1x3x37xf32>
  return %y : tensor<1x3x37xf32>
}

// bf16 activations.
// FWD-BF16: check y bf16 {{.*}} PASS
// FWD-BF16: check: 1 passed, 0 failed
func.func @fwd_bf16(%x: tensor<2x4x8xbf16>, %weight: tensor<4x4xf32>,
    %bias: tensor<4xf32>) -> tensor<2x4x8xbf16> {
  %y = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<2x4x8xbf16>, tensor<4x4xf32>, tensor<4xf32>)
      -> tensor<2x4x8xbf16>
  return %y : tensor<2x4x8xbf16>
}

// f16 activations.
// FWD-F16: check y f16 {{.*}} PASS
// FWD-F16: check: 1 passed, 0 failed
func.func @fwd_f16(%x: tensor<1x4x8xf16>, %weight: tensor<4x4xf32>)
    -> tensor<1x4x8xf16> {
  %y = ssm.causal_conv1d %x, %weight activation silu
      : (tensor<1x4x8xf16>, tensor<4x4xf32>)
      -> tensor<1x4x8xf16>
  return %y : tensor<1x4x8xf16>
}
