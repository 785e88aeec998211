// The block scan with several channels per block (channels-per-block):
// each channel's threads (whole warps) scan its sequence, every shared
// buffer has one slot per channel. Against the float64 oracle: a partial
// last chunk, d_state 48 (more states than a 32-thread channel has
// threads), groups, f32 and bf16, forward and gradient.
// REQUIRES: cuda
// RUN: ssm-compile %s --target=gpu --scan-strategy=block-scan --channels-per-block=2 -o %t.c2.so
// RUN: ssm-run %t.c2.so --entry fwd --check | FileCheck %s --check-prefix=FWD
// RUN: ssm-run %t.c2.so --entry grad --check | FileCheck %s --check-prefix=GRAD
// RUN: ssm-run %t.c2.so --entry grad_bf16 --check | FileCheck %s --check-prefix=GRADBF
// RUN: ssm-compile %s --target=gpu --scan-strategy=block-scan --channels-per-block=4 -o %t.c4.so
// RUN: ssm-run %t.c4.so --entry fwd --check | FileCheck %s --check-prefix=FWD
// RUN: ssm-run %t.c4.so --entry grad --check | FileCheck %s --check-prefix=GRAD
// RUN: ssm-run %t.c4.so --entry grad_bf16 --check | FileCheck %s --check-prefix=GRADBF
// RUN: ssm-compile %s --target=gpu --scan-strategy=block-scan --channels-per-block=2 --threads-per-block=64 --items-per-thread=4 -o %t.c2t64.so
// RUN: ssm-run %t.c2t64.so --entry fwd --check | FileCheck %s --check-prefix=FWD
// RUN: ssm-run %t.c2t64.so --entry grad --check | FileCheck %s --check-prefix=GRAD
// RUN: ssm-run %t.c2t64.so --entry grad_bf16 --check | FileCheck %s --check-prefix=GRADBF
// RUN: ssm-run %t.c2.so --entry grad --seed 5 --check | FileCheck %s --check-prefix=GRAD
// FWD: check: 2 passed, 0 failed
// GRAD: check: 8 passed, 0 failed
// GRADBF: check: 6 passed, 0 failed

func.func @fwd(%u: tensor<2x4x1304xf32>, %delta: tensor<2x4x1304xf32>, %A: tensor<4x48xf32>, %B: tensor<2x1x48x1304xf32>, %C: tensor<2x1x48x1304xf32>, %D: tensor<4xf32>, %z: tensor<2x4x1304xf32>) -> (tensor<2x4x1304xf32>, tensor<2x4x48xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) z(%z) {delta_softplus} : (tensor<2x4x1304xf32>, tensor<2x4x1304xf32>, tensor<4x48xf32>, tensor<2x1x48x1304xf32>, tensor<2x1x48x1304xf32>, tensor<4xf32>, tensor<2x4x1304xf32>) -> (tensor<2x4x1304xf32>, tensor<2x4x48xf32>)
  return %y, %s : tensor<2x4x1304xf32>, tensor<2x4x48xf32>
}

func.func @grad(%u: tensor<2x4x1304xf32>, %delta: tensor<2x4x1304xf32>, %A: tensor<4x48xf32>, %B: tensor<2x2x48x1304xf32>, %C: tensor<2x2x48x1304xf32>, %D: tensor<4xf32>, %z: tensor<2x4x1304xf32>, %db: tensor<4xf32>, %dy: tensor<2x4x1304xf32>, %dlast: tensor<2x4x48xf32>) -> (tensor<2x4x1304xf32>, tensor<2x4x1304xf32>, tensor<4x48xf32>, tensor<2x2x48x1304xf32>, tensor<2x2x48x1304xf32>, tensor<4xf32>, tensor<2x4x1304xf32>, tensor<4xf32>) {
  %g:8 = ssm.selective_scan_grad %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db), %dy d_last_state(%dlast) {delta_softplus} : tensor<2x4x1304xf32>, tensor<2x4x1304xf32>, tensor<4x48xf32>, tensor<2x2x48x1304xf32>, tensor<2x2x48x1304xf32>, tensor<4xf32>, tensor<2x4x1304xf32>, tensor<4xf32>, tensor<2x4x1304xf32>, tensor<2x4x48xf32> -> tensor<2x4x1304xf32>, tensor<2x4x1304xf32>, tensor<4x48xf32>, tensor<2x2x48x1304xf32>, tensor<2x2x48x1304xf32> dD tensor<4xf32> dz tensor<2x4x1304xf32> ddelta_bias tensor<4xf32>
  return %g#0, %g#1, %g#2, %g#3, %g#4, %g#5, %g#6, %g#7 : tensor<2x4x1304xf32>, tensor<2x4x1304xf32>, tensor<4x48xf32>, tensor<2x2x48x1304xf32>, tensor<2x2x48x1304xf32>, tensor<4xf32>, tensor<2x4x1304xf32>, tensor<4xf32>
}

func.func @grad_bf16(%u: tensor<2x8x2048xbf16>, %delta: tensor<2x8x2048xbf16>, %A: tensor<8x16xf32>, %B: tensor<2x2x16x2048xbf16>, %C: tensor<2x2x16x2048xbf16>, %D: tensor<8xf32>, %dy: tensor<2x8x2048xbf16>) -> (tensor<2x8x2048xbf16>, tensor<2x8x2048xbf16>, tensor<8x16xf32>, tensor<2x2x16x2048xbf16>, tensor<2x2x16x2048xbf16>, tensor<8xf32>) {
  %g:6 = ssm.selective_scan_grad %u, %delta, %A, %B, %C D(%D), %dy {delta_softplus} : tensor<2x8x2048xbf16>, tensor<2x8x2048xbf16>, tensor<8x16xf32>, tensor<2x2x16x2048xbf16>, tensor<2x2x16x2048xbf16>, tensor<8xf32>, tensor<2x8x2048xbf16> -> tensor<2x8x2048xbf16>, tensor<2x8x2048xbf16>, tensor<8x16xf32>, tensor<2x2x16x2048xbf16>, tensor<2x2x16x2048xbf16> dD tensor<8xf32>
  return %g#0, %g#1, %g#2, %g#3, %g#4, %g#5 : tensor<2x8x2048xbf16>, tensor<2x8x2048xbf16>, tensor<8x16xf32>, tensor<2x2x16x2048xbf16>, tensor<2x2x16x2048xbf16>, tensor<8xf32>
}
