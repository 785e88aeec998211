// RUN: ssm-compile %s --target=cpu --chunk-len=8 -o %t.c8.so
// RUN: ssm-run %t.c8.so --entry grad_long --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG
// RUN: ssm-run %t.c8.so --entry grad_long --seed 11 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG
// RUN: ssm-run %t.c8.so --entry grad_long_min --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG-MIN
// RUN: ssm-run %t.c8.so --entry grad_long_min --seed 11 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG-MIN
// RUN: ssm-compile %s --target=cpu --chunk-len=1 -o %t.c1.so
// RUN: ssm-run %t.c1.so --entry grad_long --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG
// RUN: ssm-run %t.c1.so --entry grad_long_min --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG-MIN
// RUN: ssm-compile %s --target=cpu --chunk-len=5 -o %t.c5.so
// RUN: ssm-run %t.c5.so --entry grad_long --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG
// RUN: ssm-run %t.c5.so --entry grad_long_min --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG-MIN
// RUN: ssm-compile %s --target=cpu --chunk-len=37 -o %t.c37.so
// RUN: ssm-run %t.c37.so --entry grad_long --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG
// RUN: ssm-run %t.c37.so --entry grad_long_min --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG-MIN
// RUN: ssm-compile %s --target=cpu --chunk-len=100 -o %t.c100.so
// RUN: ssm-run %t.c100.so --entry grad_long --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG
// RUN: ssm-run %t.c100.so --entry grad_long_min --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG-MIN

// ssm.selective_scan_grad over L=37 positions with chunk lengths that do not
// divide it (8, 5), that save every state (1), that equal it (37), and that
// exceed it (100): recomputing the states from the saved chunk starts must
// give the same cotangents whatever the chunking.

// L=37, every optional operand, d_last_state, softplus, G=2.
// GRAD-LONG: check du f32 {{.*}} PASS
// GRAD-LONG: check ddelta f32 {{.*}} PASS
// GRAD-LONG: check dA f32 {{.*}} PASS
// GRAD-LONG: check dB f32 {{.*}} PASS
// GRAD-LONG: check dC f32 {{.*}} PASS
// GRAD-LONG: check dD f32 {{.*}} PASS
// GRAD-LONG: check dz f32 {{.*}} PASS
// GRAD-LONG: check ddelta_bias f32 {{.*}} PASS
// GRAD-LONG: check: 8 passed, 0 failed
func.func @grad_long(%u: tensor<1x4x37xf32>, %delta: tensor<1x4x37xf32>,
    %A: tensor<4x3xf32>, %B: tensor<1x2x3x37xf32>, %C: tensor<1x2x3x37xf32>,
    %D: tensor<4xf32>, %z: tensor<1x4x37xf32>, %db: tensor<4xf32>,
    %dy: tensor<1x4x37xf32>, %dh: tensor<1x4x3xf32>)
    -> (tensor<1x4x37xf32>, tensor<1x4x37xf32>, tensor<4x3xf32>,
        tensor<1x2x3x37xf32>, tensor<1x2x3x37xf32>, tensor<4xf32>,
        tensor<1x4x37xf32>, tensor<4xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db),
      %dy d_last_state(%dh) {delta_softplus}
      : tensor<1x4x37xf32>, tensor<1x4x37xf32>, tensor<4x3xf32>,
        tensor<1x2x3x37xf32>, tensor<1x2x3x37xf32>, tensor<4xf32>,
        tensor<1x4x37xf32>, tensor<4xf32>, tensor<1x4x37xf32>, tensor<1x4x3xf32>
      -> tensor<1x4x37xf32>, tensor<1x4x37xf32>, tensor<4x3xf32>,
         tensor<1x2x3x37xf32>, tensor<1x2x3x37xf32> dD tensor<4xf32>
         dz tensor<1x4x37xf32> ddelta_bias tensor<4xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb : tensor<1x4x37xf32>,
      tensor<1x4x37xf32>, tensor<4x3xf32>, tensor<1x2x3x37xf32>,
      tensor<1x2x3x37xf32>, tensor<4xf32>, tensor<1x4x37xf32>, tensor<4xf32>
}

// L=37, minimal form.
// GRAD-LONG-MIN: check du f32 {{.*}} PASS
// GRAD-LONG-MIN: check ddelta f32 {{.*}} PASS
// GRAD-LONG-MIN: check dA f32 {{.*}} PASS
// GRAD-LONG-MIN: check dB f32 {{.*}} PASS
// GRAD-LONG-MIN: check dC f32 {{.*}} PASS
// GRAD-LONG-MIN: check: 5 passed, 0 failed
func.func @grad_long_min(%u: tensor<1x2x37xf32>, %delta: tensor<1x2x37xf32>,
    %A: tensor<2x2xf32>, %B: tensor<1x1x2x37xf32>, %C: tensor<1x1x2x37xf32>,
    %dy: tensor<1x2x37xf32>)
    -> (tensor<1x2x37xf32>, tensor<1x2x37xf32>, tensor<2x2xf32>,
        tensor<1x1x2x37xf32>, tensor<1x1x2x37xf32>) {
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<1x2x37xf32>, tensor<1x2x37xf32>, tensor<2x2xf32>,
        tensor<1x1x2x37xf32>, tensor<1x1x2x37xf32>, tensor<1x2x37xf32>
      -> tensor<1x2x37xf32>, tensor<1x2x37xf32>, tensor<2x2xf32>,
         tensor<1x1x2x37xf32>, tensor<1x1x2x37xf32>
  return %du, %ddelta, %dA, %dB, %dC : tensor<1x2x37xf32>, tensor<1x2x37xf32>,
      tensor<2x2xf32>, tensor<1x1x2x37xf32>, tensor<1x1x2x37xf32>
}
