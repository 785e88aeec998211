// ssm-compile --sweep: one binary per combination, named after its choices,
// invalid combinations listed and skipped; the binaries record their
// choices and compare side by side.

// RUN: rm -rf %t.dir
// RUN: ssm-compile %s --target=cpu -o %t.dir --sweep 'variant=fused-scan,unfused;chunk-len=8,0' \
// RUN:   | FileCheck %s
// CHECK:      [1/4] variant=fused-scan chunk-len=8: {{.*}}ssm-compile-sweep.variant-fused-scan.chunk-len-8.so ({{[0-9.]+}} s)
// CHECK-NEXT: [2/4] variant=fused-scan chunk-len=0: skipped: ssm-select-lowering: chunk-len = 0 must be at least 1
// CHECK-NEXT: [3/4] variant=unfused chunk-len=8: {{.*}}ssm-compile-sweep.variant-unfused.chunk-len-8.so ({{[0-9.]+}} s)
// CHECK-NEXT: [4/4] variant=unfused chunk-len=0: skipped: ssm-select-lowering: chunk-len = 0 must be at least 1
// CHECK-NEXT: sweep: 2 compiled, 2 skipped, into {{.*}}.dir

// RUN: ssm-run --compare %t.dir/ssm-compile-sweep.variant-fused-scan.chunk-len-8.so \
// RUN:   %t.dir/ssm-compile-sweep.variant-unfused.chunk-len-8.so --check --repeat 2 --warmup 1 \
// RUN:   | FileCheck %s --check-prefix=COMPARE
// COMPARE-COUNT-2: check: 5 passed, 0 failed
// COMPARE: binary variant selective_scan_grad.chunk_len selective_scan_grad.strategy selective_scan_grad.variant median ms
// COMPARE-NEXT: {{.*}}fused-scan.chunk-len-8.so fused-scan 8 sequential fused-scan {{.*}} 1.00x
// COMPARE-NEXT: {{.*}}unfused.chunk-len-8.so unfused - - unfused

// Malformed sweeps are errors of the command, not skipped points.
// RUN: not ssm-compile %s --target=cpu -o %t.bad --sweep 'variant' 2>&1 | FileCheck %s --check-prefix=NOVALUES
// NOVALUES: error: --sweep: sweep axis 'variant' must be key=v1,v2,...
// RUN: not ssm-compile %s --target=cpu -o %t.bad --sweep 'chunk-len=8;chunk-len=16' 2>&1 | FileCheck %s --check-prefix=TWICE
// TWICE: error: --sweep: sweep axis 'chunk-len' is given twice
// A sweep whose every point is invalid fails.
// RUN: not ssm-compile %s --target=cpu -o %t.bad --sweep 'variant=fastest' | FileCheck %s --check-prefix=NONE
// NONE: [1/1] variant=fastest: skipped: {{.*}}variant = 'fastest' is unknown
// NONE: sweep: 0 compiled, 1 skipped

func.func @grad(%u: tensor<1x4x16xf32>, %delta: tensor<1x4x16xf32>,
                %A: tensor<4x4xf32>, %B: tensor<1x1x4x16xf32>,
                %C: tensor<1x1x4x16xf32>, %dy: tensor<1x4x16xf32>)
    -> (tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<4x4xf32>,
        tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) {
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<4x4xf32>,
        tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x4x16xf32>
      -> tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<4x4xf32>,
         tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>
  return %du, %ddelta, %dA, %dB, %dC
      : tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<4x4xf32>,
        tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>
}
