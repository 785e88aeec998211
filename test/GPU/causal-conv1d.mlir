// REQUIRES: cuda
// RUN: ssm-compile %s --target=gpu -o %t.so
// RUN: ssm-run %t.so --entry fwd_f32 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-F32
// RUN: ssm-run %t.so --entry fwd_f32 --seed 7 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-F32
// RUN: ssm-run %t.so --entry fwd_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BF16
// RUN: ssm-run %t.so --entry grad_f32 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-F32
// RUN: ssm-run %t.so --entry grad_f32 --seed 7 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-F32
// RUN: ssm-run %t.so --entry grad_many_channels --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-MANY-CHANNELS
// RUN: ssm-run %t.so --entry grad_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BF16
// RUN: ssm-compile %s --target=gpu --threads-per-block=32 -o %t.tpb32.so
// RUN: ssm-run %t.tpb32.so --entry fwd_f32 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-F32
// RUN: ssm-run %t.tpb32.so --entry grad_many_channels --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-MANY-CHANNELS
// RUN: ssm-compile %s --target=gpu --threads-per-block=1024 -o %t.tpb1024.so
// RUN: ssm-run %t.tpb1024.so --entry fwd_f32 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-F32
// RUN: ssm-run %t.tpb1024.so --entry grad_f32 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-F32

// ssm.causal_conv1d and its gradient on the GPU against the float64 oracle,
// at sizes that the CPU suite (also run on the GPU) does not reach: many
// blocks with a partly filled last one, and blocks of 32, 128 and 1024
// threads.

// One thread per output element: 3*64*37 = 7104 points, 56 blocks of 128
// (the last one half full), 222 of 32 or 7 of 1024.
// FWD-F32: check y f32 {{.*}} PASS
// FWD-F32: check: 1 passed, 0 failed
func.func @fwd_f32(%x: tensor<3x64x37xf32>, %weight: tensor<64x4xf32>,
    %bias: tensor<64xf32>) -> tensor<3x64x37xf32> {
  %y = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<3x64x37xf32>, tensor<64x4xf32>, tensor<64xf32>)
      -> tensor<3x64x37xf32>
  return %y : tensor<3x64x37xf32>
}

// bf16 activations, 2*16*21 = 672 points.
// FWD-BF16: check y bf16 {{.*}} PASS
// FWD-BF16: check: 1 passed, 0 failed
func.func @fwd_bf16(%x: tensor<2x16x21xbf16>, %weight: tensor<16x4xf32>,
    %bias: tensor<16xf32>) -> tensor<2x16x21xbf16> {
  %y = ssm.causal_conv1d %x, %weight bias(%bias) activation silu
      : (tensor<2x16x21xbf16>, tensor<16x4xf32>, tensor<16xf32>)
      -> tensor<2x16x21xbf16>
  return %y : tensor<2x16x21xbf16>
}

// dx over 7104 points, dweight and dbias a thread per (channel, slice of
// 256 positions), the slices summed in order.
// GRAD-F32: check dx f32 {{.*}} PASS
// GRAD-F32: check dweight f32 {{.*}} PASS
// GRAD-F32: check dbias f32 {{.*}} PASS
// GRAD-F32: check: 3 passed, 0 failed
func.func @grad_f32(%x: tensor<3x64x37xf32>, %weight: tensor<64x4xf32>,
    %bias: tensor<64xf32>, %dy: tensor<3x64x37xf32>)
    -> (tensor<3x64x37xf32>, tensor<64x4xf32>, tensor<64xf32>) {
  %dx, %dweight, %dbias = ssm.causal_conv1d_grad
      %x, %weight bias(%bias), %dy activation silu
      : (tensor<3x64x37xf32>, tensor<64x4xf32>, tensor<64xf32>,
         tensor<3x64x37xf32>)
      -> (tensor<3x64x37xf32>, tensor<64x4xf32>, tensor<64xf32>)
  return %dx, %dweight, %dbias : tensor<3x64x37xf32>, tensor<64x4xf32>,
      tensor<64xf32>
}

// 300 channels: the per-channel dweight kernel spans 3 blocks of 128 (10
// of 32), the last one partly filled.
// GRAD-MANY-CHANNELS: check dx f32 {{.*}} PASS
// GRAD-MANY-CHANNELS: check dweight f32 {{.*}} PASS
// GRAD-MANY-CHANNELS: check: 2 passed, 0 failed
func.func @grad_many_channels(%x: tensor<2x300x5xf32>,
    %weight: tensor<300x3xf32>, %dy: tensor<2x300x5xf32>)
    -> (tensor<2x300x5xf32>, tensor<300x3xf32>) {
  %dx, %dweight = ssm.causal_conv1d_grad %x, %weight, %dy activation none
      : (tensor<2x300x5xf32>, tensor<300x3xf32>, tensor<2x300x5xf32>)
      -> (tensor<2x300x5xf32>, tensor<300x3xf32>)
  return %dx, %dweight : tensor<2x300x5xf32>, tensor<300x3xf32>
}

// bf16 activations and cotangent.
// GRAD-BF16: check dx bf16 {{.*}} PASS
// GRAD-BF16: check dweight f32 {{.*}} PASS
// GRAD-BF16: check dbias f32 {{.*}} PASS
// GRAD-BF16: check: 3 passed, 0 failed
func.func @grad_bf16(%x: tensor<2x16x21xbf16>, %weight: tensor<16x4xf32>,
    %bias: tensor<16xf32>, %dy: tensor<2x16x21xbf16>)
    -> (tensor<2x16x21xbf16>, tensor<16x4xf32>, tensor<16xf32>) {
  %dx, %dweight, %dbias = ssm.causal_conv1d_grad
      %x, %weight bias(%bias), %dy activation silu
      : (tensor<2x16x21xbf16>, tensor<16x4xf32>, tensor<16xf32>,
         tensor<2x16x21xbf16>)
      -> (tensor<2x16x21xbf16>, tensor<16x4xf32>, tensor<16xf32>)
  return %dx, %dweight, %dbias : tensor<2x16x21xbf16>, tensor<16x4xf32>,
      tensor<16xf32>
}
