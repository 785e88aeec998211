// REQUIRES: cuda
// The deterministic gradients (the GPU default where the lowering has the
// form, test/Transforms/select-lowering-deterministic.mlir) give the same
// bits run after run: every result of two runs on the same inputs is
// compared byte for byte, after a check against the float64 oracle. f32
// everywhere, so that a different order of additions shows in the bits.
// The chunked-parallel scan gradient sums dB and dC over 256 channels (8
// warps, 8 partial copies) and dA, dD, ddelta_bias over 2 batches x 4
// chunks; the RMS norm gradient sums dweight over 256 rows.
// RUN: ssm-compile %s --target=gpu -o %t.so
// RUN: ssm-run %t.so --entry scan_grad --check | FileCheck %s --check-prefix=SCAN
// RUN: ssm-run %t.so --entry norm_grad --check | FileCheck %s --check-prefix=NORM
// RUN: rm -rf %t.a %t.b
// RUN: ssm-run %t.so --entry scan_grad --seed 11 --dump %t.a/scan
// RUN: ssm-run %t.so --entry scan_grad --seed 11 --dump %t.b/scan
// RUN: ssm-run %t.so --entry norm_grad --seed 11 --dump %t.a/norm
// RUN: ssm-run %t.so --entry norm_grad --seed 11 --dump %t.b/norm
// RUN: diff -r %t.a %t.b

// SCAN-COUNT-8: check {{.*}} PASS
// SCAN: check: 8 passed, 0 failed
// NORM-COUNT-2: check {{.*}} PASS
// NORM: check: 2 passed, 0 failed

func.func @scan_grad(%u: tensor<2x256x256xf32>, %delta: tensor<2x256x256xf32>,
    %A: tensor<256x16xf32>, %B: tensor<2x1x16x256xf32>,
    %C: tensor<2x1x16x256xf32>, %D: tensor<256xf32>, %z: tensor<2x256x256xf32>,
    %delta_bias: tensor<256xf32>, %dy: tensor<2x256x256xf32>)
    -> (tensor<2x256x256xf32>, tensor<2x256x256xf32>, tensor<256x16xf32>,
        tensor<2x1x16x256xf32>, tensor<2x1x16x256xf32>, tensor<256xf32>,
        tensor<2x256x256xf32>, tensor<256xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddelta_bias = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%delta_bias), %dy
      {delta_softplus}
      : tensor<2x256x256xf32>, tensor<2x256x256xf32>, tensor<256x16xf32>,
        tensor<2x1x16x256xf32>, tensor<2x1x16x256xf32>, tensor<256xf32>,
        tensor<2x256x256xf32>, tensor<256xf32>, tensor<2x256x256xf32>
      -> tensor<2x256x256xf32>, tensor<2x256x256xf32>, tensor<256x16xf32>,
         tensor<2x1x16x256xf32>, tensor<2x1x16x256xf32>
         dD tensor<256xf32> dz tensor<2x256x256xf32> ddelta_bias tensor<256xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddelta_bias
      : tensor<2x256x256xf32>, tensor<2x256x256xf32>, tensor<256x16xf32>,
        tensor<2x1x16x256xf32>, tensor<2x1x16x256xf32>, tensor<256xf32>,
        tensor<2x256x256xf32>, tensor<256xf32>
}

func.func @norm_grad(%x: tensor<4x64x256xf32>, %w: tensor<256xf32>,
    %dy: tensor<4x64x256xf32>) -> (tensor<4x64x256xf32>, tensor<256xf32>) {
  %dx, %dw = ssm.rms_norm_grad %x, %w, %dy
      : tensor<4x64x256xf32>, tensor<256xf32>, tensor<4x64x256xf32>
      -> tensor<4x64x256xf32>, tensor<256xf32>
  return %dx, %dw : tensor<4x64x256xf32>, tensor<256xf32>
}
