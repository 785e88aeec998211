// Seeded random inputs stay in range for every dtype (issue 15): a scan
// without softplus takes its step as drawn, and a negative step with A < 0
// grows the state without bound (exp(dt A) > 1), so an f16 result
// overflowed to inf and --check could not pass. Steps (and step biases) of
// such ops are drawn non-negative; with softplus they are drawn as before.

// RUN: ssm-compile %s --target=cpu -o %t.so
// RUN: ssm-run %t.so --entry ssd_f16 --check | FileCheck %s --check-prefix=SSD
// RUN: ssm-run %t.so --entry ssd_f16 --seed 3 --check | FileCheck %s --check-prefix=SSD
// RUN: ssm-run %t.so --entry scan_f16 --check | FileCheck %s --check-prefix=SCAN
// RUN: ssm-run %t.so --entry scan_f16 --seed 11 --check | FileCheck %s --check-prefix=SCAN

// SSD: check y f16 {{.*}} PASS
// SSD: check final_state f32 {{.*}} PASS
// SSD: check: 2 passed, 0 failed
func.func @ssd_f16(%x: tensor<1x512x2x8xf16>, %dt: tensor<1x512x2xf16>,
    %A: tensor<2xf32>, %B: tensor<1x512x1x8xf16>, %C: tensor<1x512x1x8xf16>,
    %dtb: tensor<2xf32>)
    -> (tensor<1x512x2x8xf16>, tensor<1x2x8x8xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C dt_bias(%dtb)
      : (tensor<1x512x2x8xf16>, tensor<1x512x2xf16>, tensor<2xf32>,
         tensor<1x512x1x8xf16>, tensor<1x512x1x8xf16>, tensor<2xf32>)
      -> (tensor<1x512x2x8xf16>, tensor<1x2x8x8xf32>)
  return %y, %s : tensor<1x512x2x8xf16>, tensor<1x2x8x8xf32>
}

// SCAN: check y f16 {{.*}} PASS
// SCAN: check last_state f32 {{.*}} PASS
// SCAN: check: 2 passed, 0 failed
func.func @scan_f16(%u: tensor<1x4x512xf16>, %delta: tensor<1x4x512xf16>,
    %A: tensor<4x8xf32>, %B: tensor<1x1x8x512xf16>, %C: tensor<1x1x8x512xf16>)
    -> (tensor<1x4x512xf16>, tensor<1x4x8xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<1x4x512xf16>, tensor<1x4x512xf16>, tensor<4x8xf32>,
         tensor<1x1x8x512xf16>, tensor<1x1x8x512xf16>)
      -> (tensor<1x4x512xf16>, tensor<1x4x8xf32>)
  return %y, %s : tensor<1x4x512xf16>, tensor<1x4x8xf32>
}
