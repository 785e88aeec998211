// The block-scan lowering of the selective scan: one block per (batch,
// channel) or per (batch, channels-per-block channels), warp shuffles, barriers, vector loads, fast exp2; the gradient's
// coalesced atomics; the fallback for lengths that are not a multiple of
// items-per-thread; and the impossible-tile diagnostic.
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu scan-strategy=block-scan' --convert-ssm-to-gpu | FileCheck %s
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu scan-strategy=block-scan threads-per-block=1024' --convert-ssm-to-gpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SMEM
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu scan-strategy=block-scan items-per-thread=3' --convert-ssm-to-gpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ITEMS
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu scan-strategy=magic' --convert-ssm-to-gpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=STRATEGY
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu scan-strategy=block-scan channels-per-block=2' --convert-ssm-to-gpu \
// RUN:   | FileCheck %s --check-prefix=CPB2
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu scan-strategy=block-scan channels-per-block=3' --convert-ssm-to-gpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CPB3
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu scan-strategy=block-scan channels-per-block=16' --convert-ssm-to-gpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CPB16
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu scan-strategy=block-scan channels-per-block=4 threads-per-block=256' --convert-ssm-to-gpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CPB4

// Two channels per block: 2*8/2 = 8 blocks of 128 threads, 64 (two warps)
// per channel; every shared buffer has one slot per channel.
// CPB2-LABEL: func.func @fwd
// CPB2-DAG: %[[NB:.*]] = arith.constant 8 : index
// CPB2-DAG: %[[NT:.*]] = arith.constant 128 : index
// CPB2: gpu.launch blocks({{.*}}) in ({{.*}} = %[[NB]], {{.*}}) threads({{.*}}) in ({{.*}} = %[[NT]], {{.*}}) workgroup({{.*}} : memref<2x2x4x2x2xf32, #gpu.address_space<workgroup>>, {{.*}} : memref<2x2x4xf32, #gpu.address_space<workgroup>>)
// CPB2: arith.constant 64 : index
// CPB2: arith.divui
// CPB2: arith.remui
// CPB2-LABEL: func.func @grad
// CPB2: gpu.launch {{.*}} workgroup({{.*}} : memref<2x2x4x2x2xf32, #gpu.address_space<workgroup>>, {{.*}} : memref<2x2x4x2x2xf32, #gpu.address_space<workgroup>>, {{.*}} : memref<2x2x4xf32, #gpu.address_space<workgroup>>, {{.*}} : memref<2x2x520xf32, #gpu.address_space<workgroup>>)
// CPB3: error: 'ssm.selective_scan' op has ssm.lowering channels_per_block = 3, which does not split threads_per_block = 128 into whole warps per channel
// CPB16: error: 'ssm.selective_scan' op has ssm.lowering channels_per_block = 16, which does not split threads_per_block = 128 into whole warps per channel
// CPB4: error: 'ssm.selective_scan' op has ssm.lowering channels_per_block = 4, which does not divide the 6 channels

// CHECK-LABEL: func.func @fwd
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %[[BLOCKS:.*]], {{.*}}) threads({{.*}}) in ({{.*}} = %[[THREADS:.*]], {{.*}}) workgroup(%[[AGGS:.*]] : memref<1x2x4x2x4xf32, #gpu.address_space<workgroup>>, %[[CARRY:.*]] : memref<1x2x4xf32, #gpu.address_space<workgroup>>)
// CHECK: vector.load {{.*}} : memref<2x8x2048xbf16>, vector<8xbf16>
// CHECK: scf.for
// CHECK: math.exp2 {{.*}} fastmath<afn> : f32
// CHECK: gpu.shuffle up
// CHECK: gpu.barrier
// CHECK: vector.store {{.*}} : memref<2x8x2048xbf16>, vector<8xbf16>
// CHECK-NOT: memref.atomic_rmw
// CHECK: return
func.func @fwd(%u: tensor<2x8x2048xbf16>, %delta: tensor<2x8x2048xbf16>, %A: tensor<8x4xf32>, %B: tensor<2x1x4x2048xbf16>, %C: tensor<2x1x4x2048xbf16>) -> (tensor<2x8x2048xbf16>, tensor<2x8x4xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C {delta_softplus} : (tensor<2x8x2048xbf16>, tensor<2x8x2048xbf16>, tensor<8x4xf32>, tensor<2x1x4x2048xbf16>, tensor<2x1x4x2048xbf16>) -> (tensor<2x8x2048xbf16>, tensor<2x8x4xf32>)
  return %y, %s : tensor<2x8x2048xbf16>, tensor<2x8x4xf32>
}

// CHECK-LABEL: func.func @grad
// CHECK: gpu.launch {{.*}} workgroup({{.*}} : memref<1x2x4x2x4xf32, #gpu.address_space<workgroup>>, {{.*}} : memref<1x2x4x2x4xf32, #gpu.address_space<workgroup>>, {{.*}} : memref<1x2x4xf32, #gpu.address_space<workgroup>>, %[[EXCHANGE:.*]] : memref<1x2x1032xf32, #gpu.address_space<workgroup>>)
// CHECK: gpu.shuffle up
// CHECK: gpu.shuffle down
// CHECK: memref.store {{.*}}, %[[EXCHANGE]]
// CHECK: gpu.barrier
// CHECK: memref.load %[[EXCHANGE]]
// CHECK: memref.atomic_rmw addf
// CHECK: gpu.shuffle xor
// CHECK: return
func.func @grad(%u: tensor<2x8x2048xf32>, %delta: tensor<2x8x2048xf32>, %A: tensor<8x4xf32>, %B: tensor<2x1x4x2048xf32>, %C: tensor<2x1x4x2048xf32>, %dy: tensor<2x8x2048xf32>) -> (tensor<2x8x2048xf32>, tensor<2x8x2048xf32>, tensor<8x4xf32>, tensor<2x1x4x2048xf32>, tensor<2x1x4x2048xf32>) {
  %g:5 = ssm.selective_scan_grad %u, %delta, %A, %B, %C, %dy : tensor<2x8x2048xf32>, tensor<2x8x2048xf32>, tensor<8x4xf32>, tensor<2x1x4x2048xf32>, tensor<2x1x4x2048xf32>, tensor<2x8x2048xf32> -> tensor<2x8x2048xf32>, tensor<2x8x2048xf32>, tensor<8x4xf32>, tensor<2x1x4x2048xf32>, tensor<2x1x4x2048xf32>
  return %g#0, %g#1, %g#2, %g#3, %g#4 : tensor<2x8x2048xf32>, tensor<2x8x2048xf32>, tensor<8x4xf32>, tensor<2x1x4x2048xf32>, tensor<2x1x4x2048xf32>
}

// A length that is not a multiple of items-per-thread falls back to one
// thread per (batch, channel).
// CHECK-LABEL: func.func @odd_length
// CHECK-NOT: gpu.shuffle
// CHECK: gpu.launch
// CHECK: return
func.func @odd_length(%u: tensor<1x2x37xf32>, %delta: tensor<1x2x37xf32>, %A: tensor<2x3xf32>, %B: tensor<1x1x3x37xf32>, %C: tensor<1x1x3x37xf32>) -> (tensor<1x2x37xf32>, tensor<1x2x3xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C : (tensor<1x2x37xf32>, tensor<1x2x37xf32>, tensor<2x3xf32>, tensor<1x1x3x37xf32>, tensor<1x1x3x37xf32>) -> (tensor<1x2x37xf32>, tensor<1x2x3xf32>)
  return %y, %s : tensor<1x2x37xf32>, tensor<1x2x3xf32>
}

// SMEM: error: 'ssm.selective_scan_grad' op cannot be lowered with scan-strategy=block-scan: threads-per-block = 1024, items-per-thread = 8 and channels-per-block = 1 need 69728 bytes of shared memory per block for d_state 4, and sm_90 gives at most 49152; lower either, or use strategy "sequential"
// ITEMS: error: ssm-select-lowering: items-per-thread = 3 is not supported: expected 1, 2, 4, 8 or 16
// STRATEGY: error: ssm-select-lowering: scan-strategy = 'magic' is unknown: expected 'block-scan', 'sequential' or 'chunked-parallel'

// Six channels: channels-per-block=4 cannot tile them.
// CHECK-LABEL: func.func @six_channels
func.func @six_channels(%u: tensor<1x6x64xf32>, %delta: tensor<1x6x64xf32>, %A: tensor<6x4xf32>, %B: tensor<1x1x4x64xf32>, %C: tensor<1x1x4x64xf32>) -> (tensor<1x6x64xf32>, tensor<1x6x4xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C : (tensor<1x6x64xf32>, tensor<1x6x64xf32>, tensor<6x4xf32>, tensor<1x1x4x64xf32>, tensor<1x1x4x64xf32>) -> (tensor<1x6x64xf32>, tensor<1x6x4xf32>)
  return %y, %s : tensor<1x6x64xf32>, tensor<1x6x4xf32>
}
