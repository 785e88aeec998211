// RUN: ssm-opt %s --split-input-file --ssm-select-lowering | FileCheck %s --check-prefix=CPU
// RUN: ssm-opt %s --split-input-file '--ssm-select-lowering=target=gpu' | FileCheck %s --check-prefix=GPU
// RUN: ssm-opt %s --split-input-file '--ssm-select-lowering=target=gpu chip=sm_100 scan-strategy=thread-per-point ssd-strategy=recurrence chunk-len=32 threads-per-block=256 max-registers=64 scan-backward-max-registers=0' \
// RUN:   | FileCheck %s --check-prefix=OPTS
// RUN: ssm-opt %s --split-input-file '--ssm-select-lowering=variant=unfused' | FileCheck %s --check-prefix=UNFUSED

// Each kernel op gets the parameters that apply to it with its strategy on
// its target, and no others.

// CPU-LABEL: func.func @ops
// CPU: ssm.selective_scan {{.*}}ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused-scan", strategy = "sequential">
// CPU: ssm.selective_scan_grad {{.*}}ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused-scan", strategy = "sequential", chunk_len = 64>
// CPU: ssm.ssd_scan {{.*}}ssm.lowering = #ssm.lowering<target = "cpu", variant = "phases", strategy = "chunked", chunk_len = 64, ssd_tile = 8>
// CPU: ssm.rms_norm {{.*}}ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused">

// GPU-LABEL: func.func @ops
// GPU: ssm.selective_scan {{.*}}ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-scan", strategy = "block-scan", threads_per_block = 128, items_per_thread = 8, channels_per_block = 1>
// GPU: ssm.selective_scan_grad {{.*}}ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-scan", strategy = "chunked-parallel", chunk_len = 64, threads_per_block = 128, deterministic = true>
// GPU: ssm.ssd_scan {{.*}}ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "phases", strategy = "chunked", chunk_len = 64, ssd_tile = 8, threads_per_block = 128>
// GPU: ssm.rms_norm {{.*}}ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused", threads_per_block = 128>

// OPTS-LABEL: func.func @ops
// OPTS: ssm.selective_scan {{.*}}ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_100", variant = "fused-scan", strategy = "sequential", threads_per_block = 256, max_registers = 64>
// OPTS: ssm.selective_scan_grad {{.*}}ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_100", variant = "fused-scan", strategy = "sequential", chunk_len = 32, threads_per_block = 256, max_registers = 64>
// OPTS: ssm.ssd_scan {{.*}}ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_100", variant = "phases", strategy = "recurrence", threads_per_block = 256, max_registers = 64>
// OPTS: ssm.rms_norm {{.*}}ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_100", variant = "fused", threads_per_block = 256, max_registers = 64>

// A variant applies where the op has it; the others keep their default.
// UNFUSED-LABEL: func.func @ops
// UNFUSED: ssm.selective_scan {{.*}}ssm.lowering = #ssm.lowering<target = "cpu", variant = "unfused">
// UNFUSED: ssm.selective_scan_grad {{.*}}ssm.lowering = #ssm.lowering<target = "cpu", variant = "unfused">
// UNFUSED: ssm.ssd_scan {{.*}}ssm.lowering = #ssm.lowering<target = "cpu", variant = "phases", strategy = "chunked", chunk_len = 64, ssd_tile = 8>
// UNFUSED: ssm.rms_norm {{.*}}ssm.lowering = #ssm.lowering<target = "cpu", variant = "unfused">
func.func @ops(%u: tensor<2x8x16xf32>, %dt: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %x: tensor<1x64x4x16xf32>, %sdt: tensor<1x64x4xf32>, %sA: tensor<4xf32>,
    %sB: tensor<1x64x1x8xf32>, %sC: tensor<1x64x1x8xf32>,
    %nx: tensor<4x64xf32>, %nw: tensor<64xf32>) {
  %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  %du, %ddt, %dA, %dB, %dC = ssm.selective_scan_grad %u, %dt, %A, %B, %C, %y
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  %sy, %ss = ssm.ssd_scan %x, %sdt, %sA, %sB, %sC
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  %ny = ssm.rms_norm %nx, %nw : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return
}

// -----

// A length the block scan's items do not divide runs (and is recorded as)
// the sequential scan.
// GPU-LABEL: func.func @ragged
// GPU: ssm.selective_scan {{.*}}ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-scan", strategy = "sequential", threads_per_block = 128>
func.func @ragged(%u: tensor<2x8x12xf32>, %dt: tensor<2x8x12xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x12xf32>, %C: tensor<2x1x4x12xf32>) {
  %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C
      : (tensor<2x8x12xf32>, tensor<2x8x12xf32>, tensor<8x4xf32>,
         tensor<2x1x4x12xf32>, tensor<2x1x4x12xf32>)
      -> (tensor<2x8x12xf32>, tensor<2x8x4xf32>)
  return
}

