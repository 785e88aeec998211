// RUN: ssm-opt %s '--ssm-select-lowering=scan-strategy=chunked-parallel chunk-len=32' \
// RUN:   | FileCheck %s --check-prefix=CPU

// scan-strategy=chunked-parallel reaches the selective scan and its
// gradient with the chunk-len option as their chunk_len (the GPU's in
// test/Conversion/SSMToGPU/selective-scan-chunked-parallel.mlir); a
// hand-written chunked-parallel lowering that leaves chunk_len out gets it
// from the option too.
// CPU-LABEL: func.func @scans
// CPU: ssm.selective_scan {{.*}}ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused-scan", strategy = "chunked-parallel", chunk_len = 32>
// CPU: ssm.selective_scan_grad {{.*}}ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused-scan", strategy = "chunked-parallel", chunk_len = 32>
func.func @scans(%u: tensor<2x8x16xf32>, %dt: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  %g:5 = ssm.selective_scan_grad %u, %dt, %A, %B, %C, %u
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}

// CPU-LABEL: func.func @hand_written
// CPU: ssm.selective_scan {{.*}}ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused-scan", strategy = "chunked-parallel", chunk_len = 32>
// CPU: ssm.selective_scan_grad {{.*}}ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused-scan", strategy = "chunked-parallel", chunk_len = 5>
func.func @hand_written(%u: tensor<2x8x16xf32>, %dt: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C {ssm.lowering =
      #ssm.lowering<target = "cpu", variant = "fused-scan", strategy = "chunked-parallel">}
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  %g:5 = ssm.selective_scan_grad %u, %dt, %A, %B, %C, %u {ssm.lowering =
      #ssm.lowering<target = "cpu", variant = "fused-scan", strategy = "chunked-parallel", chunk_len = 5>}
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}
