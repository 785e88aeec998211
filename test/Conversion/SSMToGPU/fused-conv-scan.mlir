// The fused-conv-scan regions on the GPU: the forward is one block-scan
// kernel whose threads recompute their K items of u from x (the K items'
// own row and the W-1 inputs before them, as aligned vector loads; the
// channel's weights and bias once per thread), so no buffer of the
// convolution's output exists; the backward is one block-scan kernel (plus
// the accumulators' fills) that recomputes u in both of its passes and
// writes du for the convolution's gradient outside the region; lengths that
// are not a multiple of items-per-thread are lowered (and recorded)
// "sequential", a thread per (batch, channel) reading u the same way.
// RUN: ssm-opt %s --ssm-fuse=variant=fused-conv-scan --convert-ssm-to-gpu \
// RUN:   | FileCheck %s
// RUN: ssm-opt %s --ssm-fuse=variant=fused-conv-scan '--ssm-select-lowering=target=gpu' \
// RUN:   | FileCheck %s --check-prefix=SELECT
// RUN: ssm-opt %s --ssm-fuse=variant=fused-conv-scan '--ssm-select-lowering=target=gpu items-per-thread=2' \
// RUN:   --convert-ssm-to-gpu | FileCheck %s --check-prefix=K2
// RUN: ssm-opt %s --ssm-fuse=variant=fused-conv-scan '--ssm-select-lowering=target=gpu scan-strategy=sequential' \
// RUN:   --convert-ssm-to-gpu | FileCheck %s --check-prefix=SEQ
// RUN: not ssm-opt %s --ssm-fuse=variant=fused-conv-scan '--ssm-select-lowering=target=gpu threads-per-block=1024' \
// RUN:   --convert-ssm-to-gpu 2>&1 | FileCheck %s --check-prefix=SMEM

// Each kernel is named after the variant and records the region's lowering.
// CHECK: module attributes {ssm.kernels = {
// CHECK-SAME: ssm_fused_conv_scan_block_scan = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-conv-scan", strategy = "block-scan", threads_per_block = 128, items_per_thread = 8, channels_per_block = 1>
// CHECK-SAME: ssm_fused_conv_scan_grad_block_scan = #ssm.lowering<{{.*}}strategy = "block-scan", {{.*}}max_registers = 168>
// CHECK-SAME: ssm_fused_conv_scan_sequential = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-conv-scan", strategy = "sequential", threads_per_block = 128>

// SELECT-LABEL: func.func @fwd(
// SELECT: ssm.fusion "fused-conv-scan"
// SELECT: ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-conv-scan", strategy = "block-scan", threads_per_block = 128, items_per_thread = 8, channels_per_block = 1>
// SELECT-LABEL: func.func @bwd(
// SELECT: ssm.fusion "fused-conv-scan"
// SELECT: ssm.lowering = #ssm.lowering<{{.*}}strategy = "block-scan"{{.*}}max_registers = 168>
// SELECT: ssm.causal_conv1d_grad
// SELECT-LABEL: func.func @odd_length(
// SELECT: ssm.fusion "fused-conv-scan"
// SELECT: ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-conv-scan", strategy = "sequential", threads_per_block = 128>

// One kernel and two allocations (y, last_state) for the bf16 forward; the
// W=4 taps need 3 inputs before a thread's 8 items: one aligned row of 4.
// CHECK-LABEL: func.func @fwd(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<2x4x64xbf16>, %[[W:[^:]+]]: tensor<4x4xf32>, %[[BIAS:[^:]+]]: tensor<4xf32>,
// CHECK-NOT:     ssm.
// CHECK-DAG:     %[[XB:.*]] = bufferization.to_buffer %[[X]] read_only
// CHECK-DAG:     %[[WB:.*]] = bufferization.to_buffer %[[W]] read_only
// CHECK-DAG:     %[[BB:.*]] = bufferization.to_buffer %[[BIAS]] read_only
// CHECK:         memref.alloc() : memref<2x4x64xbf16>
// CHECK-NEXT:    memref.alloc() : memref<2x4x5xf32>
// CHECK-NOT:     memref.alloc
// CHECK:         gpu.launch {{.*}} function(@ssm_fused_conv_scan_block_scan)
// CHECK-COUNT-4: memref.load %[[WB]]
// CHECK-NEXT:    memref.load %[[BB]]
// CHECK:         scf.for
// CHECK-NOT:     memref.load %[[WB]]
// CHECK:         vector.load %[[XB]][{{.*}}] {alignment = 8 : i64} : memref<2x4x64xbf16>, vector<4xbf16>
// CHECK:         vector.load %[[XB]][{{.*}}] {alignment = 16 : i64} : memref<2x4x64xbf16>, vector<8xbf16>
// CHECK:         math.exp
// CHECK:         scf.for
// CHECK-NOT:     %[[XB]]
// CHECK:         gpu.shuffle up
// CHECK:         gpu.barrier
// CHECK:         vector.store {{.*}} : memref<2x4x64xbf16>, vector<8xbf16>
// CHECK:         gpu.terminator
// CHECK-NOT:     gpu.launch
// CHECK-NOT:     memref.alloc
// CHECK:         return

// K2-LABEL: func.func @fwd(
// K2:       gpu.launch {{.*}} function(@ssm_fused_conv_scan_block_scan)
// K2:       vector.load {{.*}} : memref<2x4x64xbf16>, vector<2xbf16>
// K2-NEXT:  vector.extract
// K2-NEXT:  arith.extf
// K2-NEXT:  vector.extract
// K2-NEXT:  arith.extf
// K2:       vector.load {{.*}} : memref<2x4x64xbf16>, vector<2xbf16>
// K2:       vector.load {{.*}} : memref<2x4x64xbf16>, vector<2xbf16>
// K2:       math.exp

// The backward: the fused kernel recomputes u in its two passes (saving
// the chunk states, then walking the chunks in reverse) and writes du; the
// convolution's gradient reads du after it. No [B,D,L] allocation but du,
// ddelta and the convolution's dx.
// CHECK-LABEL: func.func @bwd(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<2x4x64xf32>, %[[W:[^:]+]]: tensor<4x4xf32>,
// CHECK-NOT:     ssm.
// CHECK:         %[[XB:.*]] = bufferization.to_buffer %[[X]] read_only
// CHECK:         %[[DU:.*]] = memref.alloc() : memref<2x4x64xf32>
// CHECK-NEXT:    memref.alloc() : memref<2x4x64xf32>
// CHECK-NOT:     memref.alloc() : memref<2x4x64xf32>
// CHECK:         gpu.launch {{.*}} function(@ssm_fused_conv_scan_grad_block_scan_0)
// CHECK:         gpu.launch {{.*}} function(@ssm_fused_conv_scan_grad_block_scan_1)
// CHECK:         gpu.launch {{.*}} function(@ssm_fused_conv_scan_grad_block_scan_2)
// CHECK:         gpu.launch {{.*}} function(@ssm_fused_conv_scan_grad_block_scan)
// CHECK:         vector.load %[[XB]][{{.*}}] {{.*}} : memref<2x4x64xf32>, vector<4xf32>
// CHECK:         vector.load %[[XB]][{{.*}}] {{.*}} : memref<2x4x64xf32>, vector<8xf32>
// CHECK:         gpu.shuffle up
// CHECK:         vector.load %[[XB]][{{.*}}] {{.*}} : memref<2x4x64xf32>, vector<4xf32>
// CHECK:         vector.load %[[XB]][{{.*}}] {{.*}} : memref<2x4x64xf32>, vector<8xf32>
// CHECK:         gpu.shuffle down
// CHECK:         vector.store {{.*}}, %[[DU]]
// CHECK:         gpu.terminator
// CHECK:         %[[DUT:.*]] = bufferization.to_tensor %[[DU]]
// CHECK:         bufferization.to_buffer %[[DUT]] read_only
// CHECK:         memref.alloc() : memref<2x4x64xf32>
// CHECK-NOT:     memref.alloc() : memref<2x4x64xf32>
// CHECK:         gpu.launch {{.*}} function(@ssm_causal_conv1d_grad_fused)
// CHECK:         gpu.launch {{.*}} function(@ssm_causal_conv1d_grad_fused_0)
// CHECK:         return

// L=10 is not a multiple of 8: one thread per (batch, channel), reading u
// through the convolution position by position.
// CHECK-LABEL: func.func @odd_length(
// CHECK-NOT:     gpu.shuffle
// CHECK:         gpu.launch {{.*}} function(@ssm_fused_conv_scan_sequential)
// CHECK-COUNT-4: memref.load %{{.*}} : memref<2x4xf32>
// CHECK:         scf.for
// CHECK:         memref.load %{{.*}} : memref<1x2x10xf32>
// CHECK-NOT:     gpu.launch
// CHECK:         return

// SEQ-LABEL: func.func @fwd(
// SEQ-NOT:   gpu.shuffle
// SEQ:       gpu.launch {{.*}} function(@ssm_fused_conv_scan_sequential)
// SEQ-LABEL: func.func @bwd(
// SEQ-NOT:   gpu.shuffle
// SEQ:       gpu.launch {{.*}} function(@ssm_fused_conv_scan_grad_sequential)
// SEQ-LABEL: func.func @odd_length(

// SMEM: error: 'ssm.fusion' op cannot be lowered with scan-strategy=block-scan: threads-per-block = 1024, items-per-thread = 8 and channels-per-block = 1 need {{[0-9]+}} bytes of shared memory per block for d_state 5, and sm_90 gives at most 49152

func.func @fwd(%x: tensor<2x4x64xbf16>, %w: tensor<4x4xf32>, %bias: tensor<4xf32>,
    %delta: tensor<2x4x64xbf16>, %A: tensor<4x5xf32>, %B: tensor<2x1x5x64xbf16>,
    %C: tensor<2x1x5x64xbf16>) -> (tensor<2x4x64xbf16>, tensor<2x4x5xf32>) {
  %u = ssm.causal_conv1d %x, %w bias(%bias) activation silu
      : (tensor<2x4x64xbf16>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<2x4x64xbf16>
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C {delta_softplus}
      : (tensor<2x4x64xbf16>, tensor<2x4x64xbf16>, tensor<4x5xf32>,
         tensor<2x1x5x64xbf16>, tensor<2x1x5x64xbf16>)
      -> (tensor<2x4x64xbf16>, tensor<2x4x5xf32>)
  return %y, %s : tensor<2x4x64xbf16>, tensor<2x4x5xf32>
}

func.func @bwd(%x: tensor<2x4x64xf32>, %w: tensor<4x4xf32>,
    %delta: tensor<2x4x64xf32>, %A: tensor<4x5xf32>, %B: tensor<2x1x5x64xf32>,
    %C: tensor<2x1x5x64xf32>, %dy: tensor<2x4x64xf32>)
    -> (tensor<2x4x64xf32>, tensor<4x5xf32>, tensor<2x1x5x64xf32>,
        tensor<2x1x5x64xf32>, tensor<2x4x64xf32>, tensor<4x4xf32>) {
  %u = ssm.causal_conv1d %x, %w activation silu
      : (tensor<2x4x64xf32>, tensor<4x4xf32>) -> tensor<2x4x64xf32>
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x4x64xf32>, tensor<2x4x64xf32>, tensor<4x5xf32>,
        tensor<2x1x5x64xf32>, tensor<2x1x5x64xf32>, tensor<2x4x64xf32>
      -> tensor<2x4x64xf32>, tensor<2x4x64xf32>, tensor<4x5xf32>,
         tensor<2x1x5x64xf32>, tensor<2x1x5x64xf32>
  %dx, %dw = ssm.causal_conv1d_grad %x, %w, %du activation silu
      : (tensor<2x4x64xf32>, tensor<4x4xf32>, tensor<2x4x64xf32>)
      -> (tensor<2x4x64xf32>, tensor<4x4xf32>)
  return %ddelta, %dA, %dB, %dC, %dx, %dw : tensor<2x4x64xf32>, tensor<4x5xf32>,
      tensor<2x1x5x64xf32>, tensor<2x1x5x64xf32>, tensor<2x4x64xf32>,
      tensor<4x4xf32>
}

func.func @odd_length(%x: tensor<1x2x10xf32>, %w: tensor<2x4xf32>,
    %delta: tensor<1x2x10xf32>, %A: tensor<2x3xf32>, %B: tensor<1x1x3x10xf32>,
    %C: tensor<1x1x3x10xf32>) -> (tensor<1x2x10xf32>, tensor<1x2x3xf32>) {
  %u = ssm.causal_conv1d %x, %w activation silu
      : (tensor<1x2x10xf32>, tensor<2x4xf32>) -> tensor<1x2x10xf32>
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<1x2x10xf32>, tensor<1x2x10xf32>, tensor<2x3xf32>,
         tensor<1x1x3x10xf32>, tensor<1x1x3x10xf32>)
      -> (tensor<1x2x10xf32>, tensor<1x2x3xf32>)
  return %y, %s : tensor<1x2x10xf32>, tensor<1x2x3xf32>
}
