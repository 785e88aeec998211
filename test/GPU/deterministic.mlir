// REQUIRES: cuda
// The deterministic gradients (the GPU default where the lowering has the
// form, test/Transforms/select-lowering-deterministic.mlir) give the same
// bits run after run: every result of two runs on the same inputs is
// compared byte for byte, after a check against the float64 oracle. f32
// everywhere, so that a different order of additions shows in the bits.
// The chunked-parallel scan gradient sums dB and dC over 256 channels (8
// warps, 8 partial copies) and dA, dD, ddelta_bias over 2 batches x 4
// chunks; the RMS norm gradient sums dweight over 256 rows; the chunked SSD
// gradient sums dB and dC over 4 heads of a group, the decay and step
// gradients over 2 warps of head-dim points, dA, dD and ddt_bias over
// (batch, chunk, position tile) copies.
// RUN: ssm-compile %s --target=gpu -o %t.so
// RUN: ssm-run %t.so --entry scan_grad --check | FileCheck %s --check-prefix=SCAN
// RUN: ssm-run %t.so --entry norm_grad --check | FileCheck %s --check-prefix=NORM
// dA and ddt_bias of the SSD sum 512 terms that largely cancel: up to
// 1e-5 relative error seen on the CPU, so the SSD check allows 5e-5.
// RUN: ssm-run %t.so --entry ssd_grad --check --tol 5e-5 | FileCheck %s --check-prefix=SSD
// RUN: rm -rf %t.a %t.b
// RUN: ssm-run %t.so --entry scan_grad --seed 11 --dump %t.a/scan
// RUN: ssm-run %t.so --entry scan_grad --seed 11 --dump %t.b/scan
// RUN: ssm-run %t.so --entry norm_grad --seed 11 --dump %t.a/norm
// RUN: ssm-run %t.so --entry norm_grad --seed 11 --dump %t.b/norm
// RUN: ssm-run %t.so --entry ssd_grad --seed 11 --dump %t.a/ssd
// RUN: ssm-run %t.so --entry ssd_grad --seed 11 --dump %t.b/ssd
// RUN: diff -r %t.a %t.b

// SCAN-COUNT-8: check {{.*}} PASS
// SCAN: check: 8 passed, 0 failed
// NORM-COUNT-2: check {{.*}} PASS
// NORM: check: 2 passed, 0 failed
// SSD-COUNT-7: check {{.*}} PASS
// SSD: check: 7 passed, 0 failed

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

func.func @ssd_grad(%x: tensor<2x256x4x64xf32>, %dt: tensor<2x256x4xf32>,
    %A: tensor<4xf32>, %B: tensor<2x256x1x16xf32>, %C: tensor<2x256x1x16xf32>,
    %D: tensor<4xf32>, %dt_bias: tensor<4xf32>, %dy: tensor<2x256x4x64xf32>)
    -> (tensor<2x256x4x64xf32>, tensor<2x256x4xf32>, tensor<4xf32>,
        tensor<2x256x1x16xf32>, tensor<2x256x1x16xf32>, tensor<4xf32>,
        tensor<4xf32>) {
  %dx, %ddt, %dA, %dB, %dC, %dD, %ddtb = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C D(%D) dt_bias(%dt_bias), %dy {dt_softplus}
      : tensor<2x256x4x64xf32>, tensor<2x256x4xf32>, tensor<4xf32>,
        tensor<2x256x1x16xf32>, tensor<2x256x1x16xf32>, tensor<4xf32>,
        tensor<4xf32>, tensor<2x256x4x64xf32>
      -> tensor<2x256x4x64xf32>, tensor<2x256x4xf32>, tensor<4xf32>,
         tensor<2x256x1x16xf32>, tensor<2x256x1x16xf32> dD tensor<4xf32>
         ddt_bias tensor<4xf32>
  return %dx, %ddt, %dA, %dB, %dC, %dD, %ddtb
      : tensor<2x256x4x64xf32>, tensor<2x256x4xf32>, tensor<4xf32>,
        tensor<2x256x1x16xf32>, tensor<2x256x1x16xf32>, tensor<4xf32>,
        tensor<4xf32>
}
