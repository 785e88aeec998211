// BUG: an op whose parallel nest has a single point (every parallel bound
// is 1: rms_norm on one row, a scan with B=1 and D=1 or B=H=P=1, a conv
// with B=D=L=1) fails in ssm-compile / --ssm-cpu-pipeline when anything
// follows it in the function (another op, or the f32->bf16 copy of a
// gradient accumulator):
//   error: 'memref.alloca_scope' op expects region #0 to have 0 or 1 blocks
// (canonicalize folds the single-iteration scf.for loops away, the
// alloca_scope is left in the function body and is not inlined because it
// is not the last op, and convert-scf-to-cf then puts several blocks in
// its single-block region).
// Each entry is in its own file via split-file so that each failure shows.
// RUN: rm -rf %t && split-file %s %t
// RUN: ssm-compile %t/norm-chain.mlir --target=cpu -o %t/a.so
// RUN: ssm-run %t/a.so --check | FileCheck %s --check-prefix=NORM
// RUN: ssm-compile %t/scan-chain.mlir --target=cpu -o %t/b.so
// RUN: ssm-run %t/b.so --check | FileCheck %s --check-prefix=SCAN
// RUN: ssm-compile %t/sel-grad-bf16.mlir --target=cpu -o %t/c.so
// RUN: ssm-run %t/c.so --check | FileCheck %s --check-prefix=SELG
// RUN: ssm-compile %t/ssd-grad-f16.mlir --target=cpu -o %t/d.so
// RUN: ssm-run %t/d.so --check | FileCheck %s --check-prefix=SSDG
// RUN: ssm-compile %t/conv-grad-bf16.mlir --target=cpu -o %t/e.so
// RUN: ssm-run %t/e.so --check | FileCheck %s --check-prefix=CONVG
// NORM: check: 2 passed, 0 failed
// SCAN: check: 2 passed, 0 failed
// SELG: check: 5 passed, 0 failed
// SSDG: check: 5 passed, 0 failed
// CONVG: check: 3 passed, 0 failed

//--- norm-chain.mlir
// One row (batch 1, one token) normalised twice.
func.func @two_norms(%x: tensor<1x16xf32>, %w: tensor<16xf32>)
    -> (tensor<1x16xf32> {ssm.name = "y1"}, tensor<1x16xf32> {ssm.name = "y2"}) {
  %y = ssm.rms_norm %x, %w : (tensor<1x16xf32>, tensor<16xf32>) -> tensor<1x16xf32>
  %y2 = ssm.rms_norm %y, %w : (tensor<1x16xf32>, tensor<16xf32>) -> tensor<1x16xf32>
  return %y, %y2 : tensor<1x16xf32>, tensor<1x16xf32>
}

//--- scan-chain.mlir
func.func @two_scans(%u: tensor<1x1x8xf32>, %delta: tensor<1x1x8xf32>,
    %A: tensor<1x2xf32>, %B: tensor<1x1x2x8xf32>, %C: tensor<1x1x2x8xf32>)
    -> (tensor<1x1x8xf32> {ssm.name = "y1"}, tensor<1x1x8xf32> {ssm.name = "y2"}) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<1x1x8xf32>, tensor<1x1x8xf32>, tensor<1x2xf32>,
         tensor<1x1x2x8xf32>, tensor<1x1x2x8xf32>)
      -> (tensor<1x1x8xf32>, tensor<1x1x2xf32>)
  %y2, %s2 = ssm.selective_scan %y, %delta, %A, %B, %C
      : (tensor<1x1x8xf32>, tensor<1x1x8xf32>, tensor<1x2xf32>,
         tensor<1x1x2x8xf32>, tensor<1x1x2x8xf32>)
      -> (tensor<1x1x8xf32>, tensor<1x1x2xf32>)
  return %y, %y2 : tensor<1x1x8xf32>, tensor<1x1x8xf32>
}

//--- sel-grad-bf16.mlir
// B=1, D=1, bf16: dB/dC go through f32 scratch copied out after the scan.
func.func @g(%u: tensor<1x1x8xbf16>, %delta: tensor<1x1x8xbf16>,
    %A: tensor<1x2xf32>, %B: tensor<1x1x2x8xbf16>, %C: tensor<1x1x2x8xbf16>,
    %dy: tensor<1x1x8xbf16>)
    -> (tensor<1x1x8xbf16>, tensor<1x1x8xbf16>, tensor<1x2xf32>,
        tensor<1x1x2x8xbf16>, tensor<1x1x2x8xbf16>) {
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<1x1x8xbf16>, tensor<1x1x8xbf16>, tensor<1x2xf32>,
        tensor<1x1x2x8xbf16>, tensor<1x1x2x8xbf16>, tensor<1x1x8xbf16>
      -> tensor<1x1x8xbf16>, tensor<1x1x8xbf16>, tensor<1x2xf32>,
         tensor<1x1x2x8xbf16>, tensor<1x1x2x8xbf16>
  return %du, %ddelta, %dA, %dB, %dC : tensor<1x1x8xbf16>, tensor<1x1x8xbf16>,
      tensor<1x2xf32>, tensor<1x1x2x8xbf16>, tensor<1x1x2x8xbf16>
}

//--- ssd-grad-f16.mlir
// B=1, H=1, P=1, f16.
func.func @g(%x: tensor<1x8x1x1xf16>, %dt: tensor<1x8x1xf16>,
    %A: tensor<1xf32>, %B: tensor<1x8x1x2xf16>, %C: tensor<1x8x1x2xf16>,
    %dy: tensor<1x8x1x1xf16>)
    -> (tensor<1x8x1x1xf16>, tensor<1x8x1xf16>, tensor<1xf32>,
        tensor<1x8x1x2xf16>, tensor<1x8x1x2xf16>) {
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x8x1x1xf16>, tensor<1x8x1xf16>, tensor<1xf32>,
        tensor<1x8x1x2xf16>, tensor<1x8x1x2xf16>, tensor<1x8x1x1xf16>
      -> tensor<1x8x1x1xf16>, tensor<1x8x1xf16>, tensor<1xf32>,
         tensor<1x8x1x2xf16>, tensor<1x8x1x2xf16>
  return %dx, %ddt, %dA, %dB, %dC : tensor<1x8x1x1xf16>, tensor<1x8x1xf16>,
      tensor<1xf32>, tensor<1x8x1x2xf16>, tensor<1x8x1x2xf16>
}

//--- conv-grad-bf16.mlir
func.func @g(%x: tensor<1x1x1xbf16>, %w: tensor<1x4xf32>, %b: tensor<1xf32>,
    %dy: tensor<1x1x1xbf16>)
    -> (tensor<1x1x1xbf16>, tensor<1x4xf32>, tensor<1xf32>) {
  %dx, %dw, %db = ssm.causal_conv1d_grad %x, %w bias(%b), %dy activation none
      : (tensor<1x1x1xbf16>, tensor<1x4xf32>, tensor<1xf32>, tensor<1x1x1xbf16>)
      -> (tensor<1x1x1xbf16>, tensor<1x4xf32>, tensor<1xf32>)
  return %dx, %dw, %db : tensor<1x1x1xbf16>, tensor<1x4xf32>, tensor<1xf32>
}
