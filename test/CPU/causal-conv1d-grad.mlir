// RUN: ssm-compile %s --target=cpu -o %t.so
// RUN: ssm-run %t.so --entry grad_none --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-NONE
// RUN: ssm-run %t.so --entry grad_bias_silu --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BIAS-SILU
// RUN: ssm-run %t.so --entry grad_bias_silu --seed 21 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BIAS-SILU
// RUN: ssm-run %t.so --entry grad_silu --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-SILU
// RUN: ssm-run %t.so --entry grad_bias_none --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BIAS-NONE
// RUN: ssm-run %t.so --entry grad_wide --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-WIDE
// RUN: ssm-run %t.so --entry grad_wide --seed 9 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-WIDE
// RUN: ssm-run %t.so --entry grad_l1 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-L1
// RUN: ssm-run %t.so --entry grad_w1 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-W1
// RUN: ssm-run %t.so --entry grad_long --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG
// RUN: ssm-run %t.so --entry grad_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BF16
// RUN: ssm-run %t.so --entry grad_f16 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-F16

// Execution of ssm.causal_conv1d_grad on the CPU against the float64 oracle.

// Identity activation, no bias: dx and dweight.
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

// Bias with the identity activation.
// GRAD-BIAS-NONE: check dx f32 {{.*}} PASS
// GRAD-BIAS-NONE: check dweight f32 {{.*}} PASS
// GRAD-BIAS-NONE: check dbias f32 {{.*}} PASS
// GRAD-BIAS-NONE: check: 3 passed, 0 failed
func.func @grad_bias_none(%x: tensor<1x4x8xf32>, %weight: tensor<4x4xf32>,
    %bias: tensor<4xf32>, %dy: tensor<1x4x8xf32>)
    -> (tensor<1x4x8xf32>, tensor<4x4xf32>, tensor<4xf32>) {
  %dx, %dweight, %dbias = ssm.causal_conv1d_grad
      %x, %weight bias(%bias), %dy activation none
      : (tensor<1x4x8xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<1x4x8xf32>)
      -> (tensor<1x4x8xf32>, tensor<4x4xf32>, tensor<4xf32>)
  return %dx, %dweight, %dbias : tensor<1x4x8xf32>, tensor<4x4xf32>,
      tensor<4xf32>
}

// A kernel wider than the sequence (W=6 > L=3).
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

// A single position (L=1).
// GRAD-L1: check dx f32 {{.*}} PASS
// GRAD-L1: check dweight f32 {{.*}} PASS
// GRAD-L1: check dbias f32 {{.*}} PASS
// GRAD-L1: check: 3 passed, 0 failed
func.func @grad_l1(%x: tensor<2x4x1xf32>, %weight: tensor<4x4xf32>,
    %bias: tensor<4xf32>, %dy: tensor<2x4x1xf32>)
    -> (tensor<2x4x1xf32>, tensor<4x4xf32>, tensor<4xf32>) {
  %dx, %dweight, %dbias = ssm.causal_conv1d_grad
      %x, %weight bias(%bias), %dy activation silu
      : (tensor<2x4x1xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<2x4x1xf32>)
      -> (tensor<2x4x1xf32>, tensor<4x4xf32>, tensor<4xf32>)
  return %dx, %dweight, %dbias : tensor<2x4x1xf32>, tensor<4x4xf32>,
      tensor<4xf32>
}

// A one-tap kernel (W=1).
// GRAD-W1: check dx f32 {{.*}} PASS
// GRAD-W1: check dweight f32 {{.*}} PASS
// GRAD-W1: check dbias f32 {{.*}} PASS
// GRAD-W1: check: 3 passed, 0 failed
func.func @grad_w1(%x: tensor<1x4x8xf32>, %weight: tensor<4x1xf32>,
    %bias: tensor<4xf32>, %dy: tensor<1x4x8xf32>)
    -> (tensor<1x4x8xf32>, tensor<4x1xf32>, tensor<4xf32>) {
  %dx, %dweight, %dbias = ssm.causal_conv1d_grad
      %x, %weight bias(%bias), %dy activation none
      : (tensor<1x4x8xf32>, tensor<4x1xf32>, tensor<4xf32>, tensor<1x4x8xf32>)
      -> (tensor<1x4x8xf32>, tensor<4x1xf32>, tensor<4xf32>)
  return %dx, %dweight, %dbias : tensor<1x4x8xf32>, tensor<4x1xf32>,
      tensor<4xf32>
}

// L=37.
// GRAD-LONG: check dx f32 {{.*}} PASS
// GRAD-LONG: check dweight f32 {{.*}} PASS
// GRAD-LONG: check dbias f32 {{.*}} PASS
// GRAD-LONG: check: 3 passed, 0 failed
func.func @grad_long(%x: tensor<1x3x37xf32>, %weight: tensor<3x4xf32>,
    %bias: tensor<3xf32>, %dy: tensor<1x3x37xf32>)
    -> (tensor<1x3x37xf32>, tensor<3x4xf32>, tensor<3xf32>) {
  %dx, %dweight, %dbias = ssm.causal_conv1d_grad
      %x, %weight bias(%bias), %dy activation silu
      : (tensor<1x3x37xf32>, tensor<3x4xf32>, tensor<3xf32>, tensor<1x3x37xf32>)
      -> (tensor<1x3x37xf32>, tensor<3x4xf32>, tensor<3xf32>)
  return %dx, %dweight, %dbias : tensor<1x3x37xf32>, tensor<3x4xf32>,
      tensor<3xf32>
}

// bf16 activations.
// GRAD-BF16: check dx bf16 {{.*}} PASS
// GRAD-BF16: check dweight f32 {{.*}} PASS
// GRAD-BF16: check dbias f32 {{.*}} PASS
// GRAD-BF16: check: 3 passed, 0 failed
func.func @grad_bf16(%x: tensor<2x4x8xbf16>, %weight: tensor<4x4xf32>,
    %bias: tensor<4xf32>, %dy: tensor<2x4x8xbf16>)
    -> (tensor<2x4x8xbf16>, tensor<4x4xf32>, tensor<4xf32>) {
  %dx, %dweight, %dbias = ssm.causal_conv1d_grad
      %x, %weight bias(%bias), %dy activation silu
      : (tensor<2x4x8xbf16>, tensor<4x4xf32>, tensor<4xf32>, tensor<2x4x8xbf16>)
      -> (tensor<2x4x8xbf16>, tensor<4x4xf32>, tensor<4xf32>)
  return %dx, %dweight, %dbias : tensor<2x4x8xbf16>, tensor<4x4xf32>,
      tensor<4xf32>
}

// f16 activations.
// GRAD-F16: check dx f16 {{.*}} PASS
// GRAD-F16: check dweight f32 {{.*}} PASS
// GRAD-F16: check: 2 passed, 0 failed
func.func @grad_f16(%x: tensor<1x4x8xf16>, %weight: tensor<4x4xf32>,
    %dy: tensor<1x4x8xf16>) -> (tensor<1x4x8xf16>, tensor<4x4xf32>) {
  %dx, %dweight = ssm.causal_conv1d_grad %x, %weight, %dy activation silu
      : (tensor<1x4x8xf16>, tensor<4x4xf32>, tensor<1x4x8xf16>)
      -> (tensor<1x4x8xf16>, tensor<4x4xf32>)
  return %dx, %dweight : tensor<1x4x8xf16>, tensor<4x4xf32>
}
