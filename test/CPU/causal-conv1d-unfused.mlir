// RUN: ssm-compile %s --target=cpu --variant=unfused -o %t.so
// RUN: ssm-run %t.so --entry fwd_none --check \
// RUN:   | FileCheck %s --check-prefix=FWD-NONE
// RUN: ssm-run %t.so --entry fwd_bias_silu --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BIAS-SILU
// RUN: ssm-run %t.so --entry fwd_bias_silu --seed 17 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BIAS-SILU
// RUN: ssm-run %t.so --entry fwd_silu --check \
// RUN:   | FileCheck %s --check-prefix=FWD-SILU
// RUN: ssm-run %t.so --entry fwd_wide --check \
// RUN:   | FileCheck %s --check-prefix=FWD-WIDE
// RUN: ssm-run %t.so --entry fwd_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BF16
// RUN: ssm-run %t.so --entry grad_none --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-NONE
// RUN: ssm-run %t.so --entry grad_bias_silu --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BIAS-SILU
// RUN: ssm-run %t.so --entry grad_bias_silu --seed 5 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BIAS-SILU
// RUN: ssm-run %t.so --entry grad_silu --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-SILU
// RUN: ssm-run %t.so --entry grad_wide --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-WIDE
// RUN: ssm-run %t.so --entry grad_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BF16

// Execution of the `unfused` ssm.causal_conv1d and ssm.causal_conv1d_grad on
// the CPU against the float64 oracle. With silu the convolution writes an f32
// pre-activation and silu is its own loop nest; the gradient recomputes the
// pre-activation, runs the silu backward into an f32 cotangent, then the
// convolution's backward. With activation none the variant is the fused one.

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

// A kernel wider than the sequence (W > L).
// FWD-WIDE: check y f32 {{.*}} PASS
// FWD-WIDE: check: 1 passed, 0 failed
func.func @fwd_wide(%x: tensor<2x4x3xf32>, %weight: tensor<4x6xf32>,
    %bias: tensor<4xf32>) -> tensor<2x4x3xf32> {
  %y = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<2x4x3xf32>, tensor<4x6xf32>, tensor<4xf32>)
      -> tensor<2x4x3xf32>
  return %y : tensor<2x4x3xf32>
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

// Identity activation: the fused gradient.
// GRAD-NONE: check dx f32 {{.*}} PASS
// GRAD-NONE: check dweight f32 {{.*}} PASS
// GRAD-NONE: check: 2 passed, 0 failed
func.func @grad_none(%x: tensor<2x4x8xf32>, %weight: tensor<4x3xf32>,
    %dy: tensor<2x4x8xf32>) -> (tensor<2x4x8xf32>, tensor<4x3xf32>) {
  %dx, %dweight = ssm.causal_conv1d_grad %x, %weight, %dy activation none
      : (tensor<2x4x8xf32>, tensor<4x3xf32>, tensor<2x4x8xf32>)
      -> (tensor<2x4x8xf32>, tensor<4x3xf32>)
  return %dx, %dweight : tensor<2x4x8xf32>, tensor<4x3xf32>
}

// Bias and silu: dbias too.
// GRAD-BIAS-SILU: check dx f32 {{.*}} PASS
// GRAD-BIAS-SILU: check dweight f32 {{.*}} PASS
// GRAD-BIAS-SILU: check dbias f32 {{.*}} PASS
// GRAD-BIAS-SILU: check: 3 passed, 0 failed
func.func @grad_bias_silu(%x: tensor<2x4x8xf32>, %weight: tensor<4x3xf32>,
    %bias: tensor<4xf32>, %dy: tensor<2x4x8xf32>)
    -> (tensor<2x4x8xf32>, tensor<4x3xf32>, tensor<4xf32>) {
  %dx, %dweight, %dbias = ssm.causal_conv1d_grad
      %x, %weight bias(%bias), %dy activation silu
      : (tensor<2x4x8xf32>, tensor<4x3xf32>, tensor<4xf32>, tensor<2x4x8xf32>)
      -> (tensor<2x4x8xf32>, tensor<4x3xf32>, tensor<4xf32>)
  return %dx, %dweight, %dbias : tensor<2x4x8xf32>, tensor<4x3xf32>,
      tensor<4xf32>
}

// silu without bias.
// GRAD-SILU: check dx f32 {{.*}} PASS
// GRAD-SILU: check dweight f32 {{.*}} PASS
// GRAD-SILU: check: 2 passed, 0 failed
func.func @grad_silu(%x: tensor<1x4x8xf32>, %weight: tensor<4x4xf32>,
    %dy: tensor<1x4x8xf32>) -> (tensor<1x4x8xf32>, tensor<4x4xf32>) {
  %dx, %dweight = ssm.causal_conv1d_grad %x, %weight, %dy activation silu
      : (tensor<1x4x8xf32>, tensor<4x4xf32>, tensor<1x4x8xf32>)
      -> (tensor<1x4x8xf32>, tensor<4x4xf32>)
  return %dx, %dweight : tensor<1x4x8xf32>, tensor<4x4xf32>
}

// A kernel wider than the sequence (W > L).
// GRAD-WIDE: check dx f32 {{.*}} PASS
// GRAD-WIDE: check dweight f32 {{.*}} PASS
// GRAD-WIDE: check dbias f32 {{.*}} PASS
// GRAD-WIDE: check: 3 passed, 0 failed
func.func @grad_wide(%x: tensor<2x4x3xf32>, %weight: tensor<4x6xf32>,
    %bias: tensor<4xf32>, %dy: tensor<2x4x3xf32>)
    -> (tensor<2x4x3xf32>, tensor<4x6xf32>, tensor<4xf32>) {
  %dx, %dweight, %dbias = ssm.causal_conv1d_grad
      %x, %weight bias(%bias), %dy activation silu
      : (tensor<2x4x3xf32>, tensor<4x6xf32>, tensor<4xf32>, tensor<2x4x3xf32>)
      -> (tensor<2x4x3xf32>, tensor<4x6xf32>, tensor<4xf32>)
  return %dx, %dweight, %dbias : tensor<2x4x3xf32>, tensor<4x6xf32>,
      tensor<4xf32>
}

// bf16 activations and cotangent.
// GRAD-BF16: check dx bf16 {{.*}} PASS
// GRAD-BF16: check dweight f32 {{.*}} PASS
// GRAD-BF16: check dbias f32 {{.*}} PASS
// GRAD-BF16: check: 3 passed, 0 failed
func.func @grad_bf16(%x: tensor<2x4x8xbf16>, %weight: tensor<4x4xf32>,
    %bias: tensor<4xf32>, %dy: tensor<2x4x8xbf16>)
    -> (tensor<2x4x8xbf16>, tensor<4x4xf32>, tensor<4xf32>) {
  %dx, %dweight, %dbias = ssm.causal_conv1d_grad
      %x, %weight bias(%bias), %dy activation silu
      : (tensor<2x4x8xbf16>, tensor<4x4xf32>, tensor<4xf32>,
         tensor<2x4x8xbf16>)
      -> (tensor<2x4x8xbf16>, tensor<4x4xf32>, tensor<4xf32>)
  return %dx, %dweight, %dbias : tensor<2x4x8xbf16>, tensor<4x4xf32>,
      tensor<4xf32>
}
