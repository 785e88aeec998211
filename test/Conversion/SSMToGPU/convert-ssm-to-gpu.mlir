// The thread-per-point lowering of every op family. The selective scans
// (forward and gradient) are lowered by default as block scans
// (scan-strategy=block-scan) and the SSD scans in the chunked form
// (ssd-strategy=chunked, see ssd-chunked.mlir), which are not checked here:
// the checking runs ask for scan-strategy=thread-per-point and
// ssd-strategy=recurrence, which leave the other ops as they are. The
// DEFAULT run only checks that by default too every op is lowered and no
// forward op uses atomics.
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu scan-strategy=thread-per-point ssd-strategy=recurrence deterministic=false' --convert-ssm-to-gpu \
// RUN:   | FileCheck %s
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu scan-strategy=thread-per-point ssd-strategy=recurrence deterministic=false' --convert-ssm-to-gpu \
// RUN:   | FileCheck %s --check-prefix=ATOMIC
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu' --convert-ssm-to-gpu \
// RUN:   | FileCheck %s --check-prefix=ORDERED
// RUN: ssm-opt %s \
// RUN:   '--ssm-select-lowering=target=gpu scan-strategy=thread-per-point threads-per-block=32 ssd-strategy=recurrence' --convert-ssm-to-gpu \
// RUN:   | FileCheck %s --check-prefix=TPB32
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu threads-per-block=1024 items-per-thread=2 ssd-strategy=recurrence' --convert-ssm-to-gpu \
// RUN:   | FileCheck %s --check-prefix=TPB1024
// RUN: ssm-opt %s \
// RUN:   '--ssm-select-lowering=target=gpu scan-strategy=thread-per-point chunk-len=3 ssd-strategy=recurrence' --convert-ssm-to-gpu \
// RUN:   | FileCheck %s --check-prefix=CHUNK3
// RUN: ssm-opt %s --convert-ssm-to-gpu | FileCheck %s --check-prefix=DEFAULT

// Tile sizes that sm_90 cannot run, and a chunk length below 1: one error
// naming the option and its value, and no output.
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu threads-per-block=48' --convert-ssm-to-gpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TPB48
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu threads-per-block=16' --convert-ssm-to-gpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TPB16
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu threads-per-block=2048' --convert-ssm-to-gpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TPB2048
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu threads-per-block=1056' --convert-ssm-to-gpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TPB1056
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu chunk-len=0' --convert-ssm-to-gpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CHUNK0
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu chunk-len=-2' --convert-ssm-to-gpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CHUNK-NEG

// TPB48: error: ssm-select-lowering: threads-per-block = 48 is impossible on NVIDIA GPUs: it must be a multiple of 32 between 32 and 1024
// TPB48-NOT: {{error|gpu.launch}}
// TPB16: error: ssm-select-lowering: threads-per-block = 16 is impossible on NVIDIA GPUs: it must be a multiple of 32 between 32 and 1024
// TPB16-NOT: {{error|gpu.launch}}
// TPB2048: error: ssm-select-lowering: threads-per-block = 2048 is impossible on NVIDIA GPUs: it must be a multiple of 32 between 32 and 1024
// TPB2048-NOT: {{error|gpu.launch}}
// TPB1056: error: ssm-select-lowering: threads-per-block = 1056 is impossible on NVIDIA GPUs: it must be a multiple of 32 between 32 and 1024
// TPB1056-NOT: {{error|gpu.launch}}
// CHUNK0: error: ssm-select-lowering: chunk-len = 0 must be at least 1
// CHUNK0-NOT: {{error|gpu.launch}}
// CHUNK-NEG: error: ssm-select-lowering: chunk-len = -2 must be at least 1
// CHUNK-NEG-NOT: {{error|gpu.launch}}

// Every ssm op becomes gpu.launch kernels on buffers: one thread per
// independent point, min(threads-per-block, points) threads per block,
// ceil(points / threads) blocks, and an `scf.if id < points` guard for the
// threads of the last block past the end. The point index is
// blockIdx.x * threads + threadIdx.x, delinearised innermost dimension first.
// A launch is checked as its host-side constants (which the launch builder
// creates in an unspecified order, hence CHECK-DAG), the launch, and the
// guard.
//
// The ATOMIC prefix counts `memref.atomic_rmw addf` per function: none in a
// forward op (each point writes its own outputs), and one per gradient that
// several points share in a backward op.

// causal_conv1d: one thread per output element, 2*4*40 = 320 points: 3
// blocks of 128 (the last one a third full), 10 blocks of 32, or 1 block of
// 320.
// CHECK-LABEL: func.func @causal_conv1d(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x4x40xf32>, %[[W:[^:]+]]: tensor<4x3xf32>)
// CHECK:         %[[XB:.*]] = bufferization.to_buffer %[[X]] read_only
// CHECK:         %[[WB:.*]] = bufferization.to_buffer %[[W]] read_only
// CHECK:         %[[Y:.*]] = memref.alloc() : memref<2x4x40xf32>
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NB:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[NT:.*]] = arith.constant 128 : index
// CHECK:         gpu.launch blocks(%[[BX:[^,]+]], %{{[^)]+}}) in (%{{[^ ]+}} = %[[NB]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]])
// CHECK-SAME:        threads(%[[TX:[^,]+]], %{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]]) function(@{{[a-z_0-9]+}}) {
// CHECK:           %[[TPB:.*]] = arith.constant 128 : index
// CHECK:           %[[BASE:.*]] = arith.muli %[[BX]], %[[TPB]] : index
// CHECK:           %[[ID:.*]] = arith.addi %[[BASE]], %[[TX]] : index
// CHECK-NEXT:      %[[POINTS:.*]] = arith.constant 320 : index
// CHECK-NEXT:      %[[INSIDE:.*]] = arith.cmpi ult, %[[ID]], %[[POINTS]] : index
// CHECK:           scf.if %[[INSIDE]] {
// CHECK:             %[[C40:.*]] = arith.constant 40 : index
// CHECK:             %[[L:.*]] = arith.remui %[[ID]], %[[C40]] : index
// CHECK:             %[[ID_DIV_L:.*]] = arith.divui %[[ID]], %{{.*}} : index
// CHECK:             %[[C4:.*]] = arith.constant 4 : index
// CHECK:             %[[D:.*]] = arith.remui %[[ID_DIV_L]], %[[C4]] : index
// CHECK:             %[[ID_DIV_DL:.*]] = arith.divui %[[ID_DIV_L]], %{{.*}} : index
// CHECK:             %[[C2:.*]] = arith.constant 2 : index
// CHECK:             %[[B:.*]] = arith.remui %[[ID_DIV_DL]], %[[C2]] : index
// CHECK:             scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:               memref.load %[[XB]][%[[B]], %[[D]], %{{.*}}] : memref<2x4x40xf32>
// CHECK:               memref.load %[[WB]][%[[D]], %[[K]]] : memref<4x3xf32>
// CHECK:             }
// CHECK:             memref.store %{{.*}}, %[[Y]][%[[B]], %[[D]], %[[L]]] : memref<2x4x40xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:      gpu.terminator
// CHECK-NEXT:    }
// CHECK-NOT:     gpu.launch
// CHECK:         %[[YT:.*]] = bufferization.to_tensor %[[Y]] restrict writable
// CHECK:         return %[[YT]]
//
// ATOMIC-LABEL: func.func @causal_conv1d(
// ATOMIC-NOT:     memref.atomic_rmw
// ATOMIC:         return
//
// TPB32-LABEL: func.func @causal_conv1d(
// TPB32-DAG:     %[[ONE:.*]] = arith.constant 1 : index
// TPB32-DAG:     %[[NB:.*]] = arith.constant 10 : index
// TPB32-DAG:     %[[NT:.*]] = arith.constant 32 : index
// TPB32:         gpu.launch blocks(%[[BX:[^,]+]], %{{[^)]+}}) in (%{{[^ ]+}} = %[[NB]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]])
// TPB32-SAME:        threads(%[[TX:[^,]+]], %{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]]) function(@{{[a-z_0-9]+}}) {
// TPB32:           %[[TPB:.*]] = arith.constant 32 : index
// TPB32:           %[[BASE:.*]] = arith.muli %[[BX]], %[[TPB]] : index
// TPB32:           %[[ID:.*]] = arith.addi %[[BASE]], %[[TX]] : index
// TPB32-NEXT:      %[[POINTS:.*]] = arith.constant 320 : index
// TPB32-NEXT:      %[[INSIDE:.*]] = arith.cmpi ult, %[[ID]], %[[POINTS]] : index
// TPB32:           scf.if %[[INSIDE]] {
//
// TPB1024-LABEL: func.func @causal_conv1d(
// TPB1024-DAG:     %[[ONE:.*]] = arith.constant 1 : index
// TPB1024-DAG:     %[[NB:.*]] = arith.constant 1 : index
// TPB1024-DAG:     %[[NT:.*]] = arith.constant 320 : index
// TPB1024:         gpu.launch blocks(%[[BX:[^,]+]], %{{[^)]+}}) in (%{{[^ ]+}} = %[[NB]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]])
// TPB1024-SAME:        threads(%[[TX:[^,]+]], %{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]]) function(@{{[a-z_0-9]+}}) {
// TPB1024:           %[[TPB:.*]] = arith.constant 320 : index
// TPB1024:           %[[BASE:.*]] = arith.muli %[[BX]], %[[TPB]] : index
// DEFAULT-LABEL: func.func @causal_conv1d(
// DEFAULT-NOT:     {{ssm\.|memref.atomic_rmw}}
// DEFAULT:         gpu.launch
// DEFAULT-NOT:     {{ssm\.|memref.atomic_rmw}}
// DEFAULT:         return
func.func @causal_conv1d(%x: tensor<2x4x40xf32>, %w: tensor<4x3xf32>)
    -> tensor<2x4x40xf32> {
  %y = ssm.causal_conv1d %x, %w activation none
      : (tensor<2x4x40xf32>, tensor<4x3xf32>) -> tensor<2x4x40xf32>
  return %y : tensor<2x4x40xf32>
}

// causal_conv1d_grad: dx is one thread per element (320 points), then
// dweight and dbias a warp per (channel, slice of 256 positions), each
// summing its slice, then adding it in (atomics here: deterministic=false;
// ordered partial copies by default).
// CHECK-LABEL: func.func @causal_conv1d_grad(
// CHECK:         %[[DX:.*]] = memref.alloc() : memref<2x4x40xf32>
// CHECK:         %[[DW:.*]] = memref.alloc() : memref<4x3xf32>
// CHECK:         %[[DBIAS:.*]] = memref.alloc() : memref<4xf32>
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NB:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[NT:.*]] = arith.constant 128 : index
// CHECK:         gpu.launch blocks(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NB]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]])
// CHECK-SAME:        threads(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]]) function(@{{[a-z_0-9]+}}) {
// CHECK:           %[[ID:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK-NEXT:      %[[POINTS:.*]] = arith.constant 320 : index
// CHECK-NEXT:      %[[INSIDE:.*]] = arith.cmpi ult, %[[ID]], %[[POINTS]] : index
// CHECK:           scf.if %[[INSIDE]] {
// CHECK:             memref.store %{{.*}}, %[[DX]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<2x4x40xf32>
// CHECK:           gpu.terminator
// dweight and dbias: zero-filled (12 and 4 points), then a warp per
// (channel, slice of 256 of the 80 positions): 4 x 32 points, whose lanes
// read positions lane, lane + 32, ..., combine their sums with shuffles,
// and whose first lane adds them atomically (deterministic=false).
// CHECK:         gpu.launch
// CHECK:           arith.constant 12 : index
// CHECK:         gpu.launch
// CHECK:           arith.constant 4 : index
// CHECK:         gpu.launch
// CHECK:           %[[ID:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK-NEXT:      %[[POINTS:.*]] = arith.constant 128 : index
// CHECK-NEXT:      arith.cmpi ult, %[[ID]], %[[POINTS]] : index
// CHECK:           arith.constant 256 : index
// CHECK-COUNT-20:  gpu.shuffle  xor
// CHECK:           memref.atomic_rmw addf %{{.*}}, %[[DW]][%{{.*}}, %{{.*}}] : (f32, memref<4x3xf32>) -> f32
// CHECK:           memref.atomic_rmw addf %{{.*}}, %[[DBIAS]][%{{.*}}] : (f32, memref<4xf32>) -> f32
// CHECK:           gpu.terminator
// CHECK-NOT:     gpu.launch
// CHECK:         return
//
// ATOMIC-LABEL: func.func @causal_conv1d_grad(
// ATOMIC:         memref.atomic_rmw
// ATOMIC:         return
// DEFAULT-LABEL: func.func @causal_conv1d_grad(
// DEFAULT-NOT:     ssm.
// DEFAULT:         gpu.launch
// DEFAULT-NOT:     ssm.
// DEFAULT:         return
func.func @causal_conv1d_grad(%x: tensor<2x4x40xf32>, %w: tensor<4x3xf32>,
    %bias: tensor<4xf32>, %dy: tensor<2x4x40xf32>)
    -> (tensor<2x4x40xf32>, tensor<4x3xf32>, tensor<4xf32>) {
  %dx, %dw, %dbias = ssm.causal_conv1d_grad %x, %w bias(%bias), %dy
      activation silu
      : (tensor<2x4x40xf32>, tensor<4x3xf32>, tensor<4xf32>,
         tensor<2x4x40xf32>)
      -> (tensor<2x4x40xf32>, tensor<4x3xf32>, tensor<4xf32>)
  return %dx, %dw, %dbias : tensor<2x4x40xf32>, tensor<4x3xf32>,
      tensor<4xf32>
}

// selective_scan: one thread per (batch, channel) scan, 2*4 = 8 points,
// each writing its own y row and last_state.
// CHECK-LABEL: func.func @selective_scan(
// CHECK:         %[[Y:.*]] = memref.alloc() : memref<2x4x8xf32>
// CHECK:         %[[S:.*]] = memref.alloc() : memref<2x4x3xf32>
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NB:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NT:.*]] = arith.constant 8 : index
// CHECK:         gpu.launch blocks(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NB]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]])
// CHECK-SAME:        threads(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]]) function(@{{[a-z_0-9]+}}) {
// CHECK:           %[[ID:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK-NEXT:      %[[POINTS:.*]] = arith.constant 8 : index
// CHECK-NEXT:      %[[INSIDE:.*]] = arith.cmpi ult, %[[ID]], %[[POINTS]] : index
// CHECK:           scf.if %[[INSIDE]] {
// CHECK-DAG:         memref.store %{{.*}}, %[[Y]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<2x4x8xf32>
// CHECK-DAG:         memref.store %{{.*}}, %[[S]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<2x4x3xf32>
// CHECK-NOT:         memref.atomic_rmw
// CHECK:           gpu.terminator
// CHECK-NOT:     gpu.launch
// CHECK:         return
//
// ATOMIC-LABEL: func.func @selective_scan(
// ATOMIC-NOT:     memref.atomic_rmw
// ATOMIC:         return
// DEFAULT-LABEL: func.func @selective_scan(
// DEFAULT-NOT:     {{ssm\.|memref.atomic_rmw}}
// DEFAULT:         gpu.launch
// DEFAULT-NOT:     {{ssm\.|memref.atomic_rmw}}
// DEFAULT:         return
func.func @selective_scan(%u: tensor<2x4x8xf32>, %delta: tensor<2x4x8xf32>,
    %A: tensor<4x3xf32>, %B: tensor<2x1x3x8xf32>, %C: tensor<2x1x3x8xf32>)
    -> (tensor<2x4x8xf32>, tensor<2x4x3xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
         tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>)
      -> (tensor<2x4x8xf32>, tensor<2x4x3xf32>)
  return %y, %s : tensor<2x4x8xf32>, tensor<2x4x3xf32>
}

// selective_scan_grad: the shared gradients dA (over batch and length) and
// dB, dC (over the channels of a group) are zero-filled by kernels of one
// thread per element (12, 48, 48 points), then one thread per scan (8
// points) accumulates into them with atomics; du and ddelta are the scan's
// own, stored plainly. The states saved every chunk-len positions live in a
// scratch buffer of (scans x chunks x N): 8x1x3 for the default chunk-len
// 64, 8x3x3 for chunk-len 3 (ceil(8/3) = 3 chunks); the states inside a
// chunk are the thread's own (chunk x N).
// CHECK-LABEL: func.func @selective_scan_grad(
// CHECK:         %[[DU:.*]] = memref.alloc() : memref<2x4x8xf32>
// CHECK:         %[[DDELTA:.*]] = memref.alloc() : memref<2x4x8xf32>
// CHECK:         %[[DA:.*]] = memref.alloc() : memref<4x3xf32>
// CHECK:         %[[DB:.*]] = memref.alloc() : memref<2x1x3x8xf32>
// CHECK:         %[[DC:.*]] = memref.alloc() : memref<2x1x3x8xf32>
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NB:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NT:.*]] = arith.constant 12 : index
// CHECK:         gpu.launch blocks(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NB]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]])
// CHECK-SAME:        threads(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]]) function(@{{[a-z_0-9]+}}) {
// CHECK:           %[[ID:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK-NEXT:      %[[POINTS:.*]] = arith.constant 12 : index
// CHECK-NEXT:      %[[INSIDE:.*]] = arith.cmpi ult, %[[ID]], %[[POINTS]] : index
// CHECK:           scf.if %[[INSIDE]] {
// CHECK:             %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:        memref.store %[[ZERO]], %[[DA]][%{{.*}}, %{{.*}}] : memref<4x3xf32>
// CHECK:           gpu.terminator
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NB:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NT:.*]] = arith.constant 48 : index
// CHECK:         gpu.launch blocks(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NB]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]])
// CHECK-SAME:        threads(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]]) function(@{{[a-z_0-9]+}}) {
// CHECK:             %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:        memref.store %[[ZERO]], %[[DB]][%{{.*}}] : memref<2x1x3x8xf32>
// CHECK:           gpu.terminator
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NB:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NT:.*]] = arith.constant 48 : index
// CHECK:         gpu.launch blocks(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NB]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]])
// CHECK-SAME:        threads(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]]) function(@{{[a-z_0-9]+}}) {
// CHECK:             %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:        memref.store %[[ZERO]], %[[DC]][%{{.*}}] : memref<2x1x3x8xf32>
// CHECK:           gpu.terminator
// CHECK:         %[[SAVED:.*]] = memref.alloc() : memref<8x1x3xf32>
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NB:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NT:.*]] = arith.constant 8 : index
// CHECK:         gpu.launch blocks(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NB]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]])
// CHECK-SAME:        threads(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]]) function(@{{[a-z_0-9]+}}) {
// CHECK:           %[[ID:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK-NEXT:      %[[POINTS:.*]] = arith.constant 8 : index
// CHECK-NEXT:      %[[INSIDE:.*]] = arith.cmpi ult, %[[ID]], %[[POINTS]] : index
// CHECK:           scf.if %[[INSIDE]] {
// CHECK:             memref.alloca() : memref<8x3xf32>
// CHECK-DAG:         memref.store %{{.*}}, %[[SAVED]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<8x1x3xf32>
// CHECK-DAG:         memref.atomic_rmw addf %{{.*}}, %[[DC]][%{{.*}}] : (f32, memref<2x1x3x8xf32>) -> f32
// CHECK-DAG:         memref.atomic_rmw addf %{{.*}}, %[[DB]][%{{.*}}] : (f32, memref<2x1x3x8xf32>) -> f32
// CHECK-DAG:         memref.store %{{.*}}, %[[DDELTA]][%{{.*}}] : memref<2x4x8xf32>
// CHECK-DAG:         memref.store %{{.*}}, %[[DU]][%{{.*}}] : memref<2x4x8xf32>
// CHECK-DAG:         memref.atomic_rmw addf %{{.*}}, %[[DA]][%{{.*}}, %{{.*}}] : (f32, memref<4x3xf32>) -> f32
// CHECK:           gpu.terminator
// CHECK-NOT:     gpu.launch
// CHECK:         return
//
// ATOMIC-LABEL:  func.func @selective_scan_grad(
// ATOMIC-COUNT-3:  memref.atomic_rmw addf
// ATOMIC-NOT:      memref.atomic_rmw
// ATOMIC:          return
//
// Blocks of 32: the zero-fill of dB (48 points) takes 2 blocks, guarded at
// 48; a kernel of fewer points than 32 is one block of exactly that many.
// TPB32-LABEL: func.func @selective_scan_grad(
// TPB32-DAG:     %[[ONE:.*]] = arith.constant 1 : index
// TPB32-DAG:     %[[NB:.*]] = arith.constant 1 : index
// TPB32-DAG:     %[[NT:.*]] = arith.constant 12 : index
// TPB32:         gpu.launch blocks(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NB]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]])
// TPB32-SAME:        threads(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]]) function(@{{[a-z_0-9]+}}) {
// TPB32:           gpu.terminator
// TPB32-DAG:     %[[ONE:.*]] = arith.constant 1 : index
// TPB32-DAG:     %[[NB:.*]] = arith.constant 2 : index
// TPB32-DAG:     %[[NT:.*]] = arith.constant 32 : index
// TPB32:         gpu.launch blocks(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NB]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]])
// TPB32-SAME:        threads(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]]) function(@{{[a-z_0-9]+}}) {
// TPB32:           %[[ID:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// TPB32-NEXT:      %[[POINTS:.*]] = arith.constant 48 : index
// TPB32-NEXT:      %[[INSIDE:.*]] = arith.cmpi ult, %[[ID]], %[[POINTS]] : index
// TPB32:           scf.if %[[INSIDE]] {
// TPB32:           gpu.terminator
//
// CHUNK3-LABEL: func.func @selective_scan_grad(
// CHUNK3:         %[[SAVED:.*]] = memref.alloc() : memref<8x3x3xf32>
// CHUNK3:         gpu.launch
// CHUNK3:           memref.alloca() : memref<3x3xf32>
// CHUNK3:           memref.store %{{.*}}, %[[SAVED]]
// CHUNK3:         return
// DEFAULT-LABEL: func.func @selective_scan_grad(
// DEFAULT-NOT:     ssm.
// DEFAULT:         gpu.launch
// DEFAULT-NOT:     ssm.
// DEFAULT:         return
func.func @selective_scan_grad(%u: tensor<2x4x8xf32>,
    %delta: tensor<2x4x8xf32>, %A: tensor<4x3xf32>,
    %B: tensor<2x1x3x8xf32>, %C: tensor<2x1x3x8xf32>, %dy: tensor<2x4x8xf32>)
    -> (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
        tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>) {
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
        tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>, tensor<2x4x8xf32>
      -> tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
         tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>
  return %du, %ddelta, %dA, %dB, %dC : tensor<2x4x8xf32>, tensor<2x4x8xf32>,
      tensor<4x3xf32>, tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>
}

// selective_scan_grad with bf16 B and C: their gradients are accumulated
// with f32 atomics into f32 scratch buffers, which a kernel per gradient
// (one thread per element, 48 points) then rounds into the bf16 results.
// dD and ddelta_bias (f32, shared by the batch) are atomics too.
// CHECK-LABEL: func.func @selective_scan_grad_bf16(
// CHECK:         %[[DB:.*]] = memref.alloc() : memref<2x1x3x8xbf16>
// CHECK:         %[[DC:.*]] = memref.alloc() : memref<2x1x3x8xbf16>
// CHECK:         %[[DB32:.*]] = memref.alloc() : memref<2x1x3x8xf32>
// CHECK:         gpu.launch
// CHECK:           memref.store %{{.*}}, %[[DB32]]
// CHECK:         %[[DC32:.*]] = memref.alloc() : memref<2x1x3x8xf32>
// CHECK:         gpu.launch
// CHECK:           memref.store %{{.*}}, %[[DC32]]
// CHECK:         gpu.launch
// CHECK-DAG:       memref.atomic_rmw addf %{{.*}}, %[[DC32]][%{{.*}}] : (f32, memref<2x1x3x8xf32>) -> f32
// CHECK-DAG:       memref.atomic_rmw addf %{{.*}}, %[[DB32]][%{{.*}}] : (f32, memref<2x1x3x8xf32>) -> f32
// CHECK:           gpu.terminator
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NB:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NT:.*]] = arith.constant 48 : index
// CHECK:         gpu.launch blocks(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NB]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]])
// CHECK-SAME:        threads(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]]) function(@{{[a-z_0-9]+}}) {
// CHECK:           %[[V:.*]] = memref.load %[[DB32]][%[[I:.*]]] : memref<2x1x3x8xf32>
// CHECK-NEXT:      %[[R:.*]] = arith.truncf %[[V]] : f32 to bf16
// CHECK-NEXT:      memref.store %[[R]], %[[DB]][%[[I]]] : memref<2x1x3x8xbf16>
// CHECK:           gpu.terminator
// CHECK:         gpu.launch
// CHECK:           %[[V:.*]] = memref.load %[[DC32]][%[[I:.*]]] : memref<2x1x3x8xf32>
// CHECK-NEXT:      %[[R:.*]] = arith.truncf %[[V]] : f32 to bf16
// CHECK-NEXT:      memref.store %[[R]], %[[DC]][%[[I]]] : memref<2x1x3x8xbf16>
// CHECK:           gpu.terminator
// CHECK-NOT:     gpu.launch
// CHECK:         return
//
// ATOMIC-LABEL:  func.func @selective_scan_grad_bf16(
// ATOMIC-COUNT-5:  memref.atomic_rmw addf
// ATOMIC-NOT:      memref.atomic_rmw
// ATOMIC:          return
// DEFAULT-LABEL: func.func @selective_scan_grad_bf16(
// DEFAULT-NOT:     ssm.
// DEFAULT:         gpu.launch
// DEFAULT-NOT:     ssm.
// DEFAULT:         return
func.func @selective_scan_grad_bf16(%u: tensor<2x4x8xbf16>,
    %delta: tensor<2x4x8xbf16>, %A: tensor<4x3xf32>,
    %B: tensor<2x1x3x8xbf16>, %C: tensor<2x1x3x8xbf16>, %D: tensor<4xf32>,
    %delta_bias: tensor<4xf32>, %dy: tensor<2x4x8xbf16>)
    -> (tensor<2x4x8xbf16>, tensor<2x4x8xbf16>, tensor<4x3xf32>,
        tensor<2x1x3x8xbf16>, tensor<2x1x3x8xbf16>, tensor<4xf32>,
        tensor<4xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %ddelta_bias = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) delta_bias(%delta_bias), %dy
      {delta_softplus}
      : tensor<2x4x8xbf16>, tensor<2x4x8xbf16>, tensor<4x3xf32>,
        tensor<2x1x3x8xbf16>, tensor<2x1x3x8xbf16>, tensor<4xf32>,
        tensor<4xf32>, tensor<2x4x8xbf16>
      -> tensor<2x4x8xbf16>, tensor<2x4x8xbf16>, tensor<4x3xf32>,
         tensor<2x1x3x8xbf16>, tensor<2x1x3x8xbf16> dD tensor<4xf32>
         ddelta_bias tensor<4xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD, %ddelta_bias
      : tensor<2x4x8xbf16>, tensor<2x4x8xbf16>, tensor<4x3xf32>,
        tensor<2x1x3x8xbf16>, tensor<2x1x3x8xbf16>, tensor<4xf32>,
        tensor<4xf32>
}

// ssd_scan: one thread per (batch, head, head dim) scan, 1*2*4 = 8 points.
// CHECK-LABEL: func.func @ssd_scan(
// CHECK:         %[[Y:.*]] = memref.alloc() : memref<1x8x2x4xf32>
// CHECK:         %[[S:.*]] = memref.alloc() : memref<1x2x4x3xf32>
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NB:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NT:.*]] = arith.constant 8 : index
// CHECK:         gpu.launch blocks(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NB]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]])
// CHECK-SAME:        threads(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]]) function(@{{[a-z_0-9]+}}) {
// CHECK:           %[[ID:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK-NEXT:      %[[POINTS:.*]] = arith.constant 8 : index
// CHECK-NEXT:      %[[INSIDE:.*]] = arith.cmpi ult, %[[ID]], %[[POINTS]] : index
// CHECK:           scf.if %[[INSIDE]] {
// CHECK-DAG:         memref.store %{{.*}}, %[[Y]][%{{.*}}] : memref<1x8x2x4xf32>
// CHECK-DAG:         memref.store %{{.*}}, %[[S]][%{{.*}}] : memref<1x2x4x3xf32>
// CHECK:           gpu.terminator
// CHECK-NOT:     gpu.launch
// CHECK:         return
//
// ATOMIC-LABEL: func.func @ssd_scan(
// ATOMIC-NOT:     memref.atomic_rmw
// ATOMIC:         return
// DEFAULT-LABEL: func.func @ssd_scan(
// DEFAULT-NOT:     {{ssm\.|memref.atomic_rmw}}
// DEFAULT:         gpu.launch
// DEFAULT-NOT:     {{ssm\.|memref.atomic_rmw}}
// DEFAULT:         return
func.func @ssd_scan(%x: tensor<1x8x2x4xf32>, %dt: tensor<1x8x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x8x1x3xf32>, %C: tensor<1x8x1x3xf32>)
    -> (tensor<1x8x2x4xf32>, tensor<1x2x4x3xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
         tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x3xf32>)
  return %y, %s : tensor<1x8x2x4xf32>, tensor<1x2x4x3xf32>
}

// ssd_scan_grad: ddt (shared by the head dims of a head), dA, dB and dC
// are zero-filled (16, 2, 24, 24 points) then accumulated atomically by one
// thread per scan (8 points); dx is the scan's own.
// CHECK-LABEL: func.func @ssd_scan_grad(
// CHECK:         %[[DX:.*]] = memref.alloc() : memref<1x8x2x4xf32>
// CHECK:         %[[DDT:.*]] = memref.alloc() : memref<1x8x2xf32>
// CHECK:         %[[DA:.*]] = memref.alloc() : memref<2xf32>
// CHECK:         %[[DB:.*]] = memref.alloc() : memref<1x8x1x3xf32>
// CHECK:         %[[DC:.*]] = memref.alloc() : memref<1x8x1x3xf32>
// CHECK-DAG:     %[[NT:.*]] = arith.constant 16 : index
// CHECK:         gpu.launch blocks(%{{[^)]+}}) in (%{{[^)]+}}) threads(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^)]+}}) function(@{{[a-z_0-9]+}}) {
// CHECK:             memref.store %{{.*}}, %[[DDT]][%{{.*}}] : memref<1x8x2xf32>
// CHECK:           gpu.terminator
// CHECK-DAG:     %[[NT:.*]] = arith.constant 2 : index
// CHECK:         gpu.launch blocks(%{{[^)]+}}) in (%{{[^)]+}}) threads(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^)]+}}) function(@{{[a-z_0-9]+}}) {
// CHECK:             memref.store %{{.*}}, %[[DA]][%{{.*}}] : memref<2xf32>
// CHECK:           gpu.terminator
// CHECK-DAG:     %[[NT:.*]] = arith.constant 24 : index
// CHECK:         gpu.launch blocks(%{{[^)]+}}) in (%{{[^)]+}}) threads(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^)]+}}) function(@{{[a-z_0-9]+}}) {
// CHECK:             memref.store %{{.*}}, %[[DB]][%{{.*}}] : memref<1x8x1x3xf32>
// CHECK:           gpu.terminator
// CHECK-DAG:     %[[NT:.*]] = arith.constant 24 : index
// CHECK:         gpu.launch blocks(%{{[^)]+}}) in (%{{[^)]+}}) threads(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^)]+}}) function(@{{[a-z_0-9]+}}) {
// CHECK:             memref.store %{{.*}}, %[[DC]][%{{.*}}] : memref<1x8x1x3xf32>
// CHECK:           gpu.terminator
// CHECK:         %[[SAVED:.*]] = memref.alloc() : memref<8x1x3xf32>
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NB:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NT:.*]] = arith.constant 8 : index
// CHECK:         gpu.launch blocks(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NB]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]])
// CHECK-SAME:        threads(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]]) function(@{{[a-z_0-9]+}}) {
// CHECK:           %[[ID:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK-NEXT:      %[[POINTS:.*]] = arith.constant 8 : index
// CHECK-NEXT:      %[[INSIDE:.*]] = arith.cmpi ult, %[[ID]], %[[POINTS]] : index
// CHECK:           scf.if %[[INSIDE]] {
// CHECK-DAG:         memref.store %{{.*}}, %[[SAVED]][%{{.*}}] : memref<8x1x3xf32>
// CHECK-DAG:         memref.atomic_rmw addf %{{.*}}, %[[DC]][%{{.*}}] : (f32, memref<1x8x1x3xf32>) -> f32
// CHECK-DAG:         memref.atomic_rmw addf %{{.*}}, %[[DB]][%{{.*}}] : (f32, memref<1x8x1x3xf32>) -> f32
// CHECK-DAG:         memref.atomic_rmw addf %{{.*}}, %[[DDT]][%{{.*}}] : (f32, memref<1x8x2xf32>) -> f32
// CHECK-DAG:         memref.store %{{.*}}, %[[DX]][%{{.*}}] : memref<1x8x2x4xf32>
// CHECK-DAG:         memref.atomic_rmw addf %{{.*}}, %[[DA]][%{{.*}}] : (f32, memref<2xf32>) -> f32
// CHECK:           gpu.terminator
// CHECK-NOT:     gpu.launch
// CHECK:         return
//
// ATOMIC-LABEL:  func.func @ssd_scan_grad(
// ATOMIC-COUNT-4:  memref.atomic_rmw addf
// ATOMIC-NOT:      memref.atomic_rmw
// ATOMIC:          return
//
// CHUNK3-LABEL: func.func @ssd_scan_grad(
// CHUNK3:         %[[SAVED:.*]] = memref.alloc() : memref<8x3x3xf32>
// CHUNK3:         gpu.launch
// CHUNK3:           memref.alloca() : memref<3x3xf32>
// CHUNK3:           memref.store %{{.*}}, %[[SAVED]]
// CHUNK3:         return
// DEFAULT-LABEL: func.func @ssd_scan_grad(
// DEFAULT-NOT:     ssm.
// DEFAULT:         gpu.launch
// DEFAULT-NOT:     ssm.
// DEFAULT:         return
func.func @ssd_scan_grad(%x: tensor<1x8x2x4xf32>, %dt: tensor<1x8x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x8x1x3xf32>, %C: tensor<1x8x1x3xf32>,
    %dy: tensor<1x8x2x4xf32>)
    -> (tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
        tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>) {
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
        tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>, tensor<1x8x2x4xf32>
      -> tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
         tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>
  return %dx, %ddt, %dA, %dB, %dC : tensor<1x8x2x4xf32>, tensor<1x8x2xf32>,
      tensor<2xf32>, tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>
}

// rms_norm: a warp per row (4 rows x 32 lanes = 128 points); lane l sums
// columns l, l + 32, ... and a butterfly of shuffles gives every lane the
// row's sum of squares; each lane then writes its own columns.
// CHECK-LABEL: func.func @rms_norm(
// CHECK:         %[[Y:.*]] = memref.alloc() : memref<4x16xf32>
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NB:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NT:.*]] = arith.constant 128 : index
// CHECK:         gpu.launch blocks(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NB]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]])
// CHECK-SAME:        threads(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]]) function(@{{[a-z_0-9]+}}) {
// CHECK:           %[[ID:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK-NEXT:      %[[POINTS:.*]] = arith.constant 128 : index
// CHECK-NEXT:      %[[INSIDE:.*]] = arith.cmpi ult, %[[ID]], %[[POINTS]] : index
// CHECK:           scf.if %[[INSIDE]] {
// CHECK:             %[[LANE:.*]] = arith.remui %[[ID]], %{{.*}} : index
// CHECK:             %[[ROW:.*]] = arith.remui %{{.*}}, %{{.*}} : index
// CHECK:             %[[LANES:.*]] = arith.constant 32 : index
// CHECK:             %[[SS:.*]] = scf.for %{{.*}} = %[[LANE]] to %{{.*}} step %[[LANES]] iter_args
// CHECK:             gpu.shuffle  xor %[[SS]]
// CHECK-COUNT-4:     gpu.shuffle  xor
// CHECK:             math.sqrt
// CHECK:             scf.for %[[J:.*]] = %[[LANE]] to %{{.*}} step %{{.*}} {
// CHECK:               memref.store %{{.*}}, %[[Y]][%[[ROW]], %[[J]]] : memref<4x16xf32>
// CHECK:           gpu.terminator
// CHECK-NOT:     gpu.launch
// CHECK:         return
//
// ATOMIC-LABEL: func.func @rms_norm(
// ATOMIC-NOT:     memref.atomic_rmw
// ATOMIC:         return
// DEFAULT-LABEL: func.func @rms_norm(
// DEFAULT-NOT:     {{ssm\.|memref.atomic_rmw}}
// DEFAULT:         gpu.launch
// DEFAULT-NOT:     {{ssm\.|memref.atomic_rmw}}
// DEFAULT:         return
func.func @rms_norm(%x: tensor<4x16xf32>, %weight: tensor<16xf32>)
    -> tensor<4x16xf32> {
  %y = ssm.rms_norm %x, %weight
      : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// rms_norm_grad: dweight is shared by the rows: zero-filled (32 points),
// then a warp per row (3 rows x 32 lanes) sums the row's two reductions
// with shuffles, and each lane adds its columns' shares atomically; dx is
// the row's own.
// CHECK-LABEL: func.func @rms_norm_grad(
// CHECK:         %[[DX:.*]] = memref.alloc() : memref<3x32xf32>
// CHECK:         %[[DW:.*]] = memref.alloc() : memref<32xf32>
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NB:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NT:.*]] = arith.constant 32 : index
// CHECK:         gpu.launch blocks(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NB]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]])
// CHECK-SAME:        threads(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]]) function(@{{[a-z_0-9]+}}) {
// CHECK:             %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:        memref.store %[[ZERO]], %[[DW]][%{{.*}}] : memref<32xf32>
// CHECK:           gpu.terminator
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NB:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NT:.*]] = arith.constant 96 : index
// CHECK:         gpu.launch blocks(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NB]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]])
// CHECK-SAME:        threads(%{{[^)]+}}) in (%{{[^ ]+}} = %[[NT]], %{{[^ ]+}} = %[[ONE]], %{{[^ ]+}} = %[[ONE]]) function(@{{[a-z_0-9]+}}) {
// CHECK:           %[[ID:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK-NEXT:      %[[POINTS:.*]] = arith.constant 96 : index
// CHECK-NEXT:      %[[INSIDE:.*]] = arith.cmpi ult, %[[ID]], %[[POINTS]] : index
// CHECK:           scf.if %[[INSIDE]] {
// CHECK-COUNT-5:     gpu.shuffle  xor
// CHECK-COUNT-5:     gpu.shuffle  xor
// CHECK:             scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-DAG:           memref.store %{{.*}}, %[[DX]][%{{.*}}, %[[J]]] : memref<3x32xf32>
// CHECK-DAG:           memref.atomic_rmw addf %{{.*}}, %[[DW]][%[[J]]] : (f32, memref<32xf32>) -> f32
// CHECK:           gpu.terminator
// CHECK-NOT:     gpu.launch
// CHECK:         return
//
// Deterministic (the default): each row adds into its own copy of
// dweight, [3 rows, 32], and a thread per element of dweight sums the
// three copies in row order.
// ORDERED-LABEL: func.func @rms_norm_grad(
// ORDERED:         %[[DW:.*]] = memref.alloc() : memref<32xf32>
// ORDERED:         %[[COPIES:.*]] = memref.alloc() : memref<3x32xf32>
// ORDERED:         gpu.launch {{.*}} function(@ssm_rms_norm_grad_fused)
// ORDERED:           memref.store %{{.*}}, %[[COPIES]][%{{.*}}, %{{.*}}] : memref<3x32xf32>
// ORDERED:         gpu.launch {{.*}} function(@ssm_rms_norm_grad_fused_0)
// ORDERED:           %[[OLD:.*]] = memref.load %[[COPIES]][%[[ROW:.*]], %[[J:.*]]] : memref<3x32xf32>
// ORDERED:           %[[NEW:.*]] = arith.addf %[[OLD]], %{{.*}}
// ORDERED:           memref.store %[[NEW]], %[[COPIES]][%[[ROW]], %[[J]]] : memref<3x32xf32>
// ORDERED:         gpu.launch {{.*}} function(@ssm_rms_norm_grad_fused_1)
// ORDERED:           scf.for %[[S:.*]] = %{{.*}} to %{{.*}} step
// ORDERED:             memref.load %[[COPIES]][%[[S]], %{{.*}}] : memref<3x32xf32>
// ORDERED:           memref.store %{{.*}}, %[[DW]][%{{.*}}] : memref<32xf32>
// ORDERED-NOT:     gpu.launch
// ORDERED-NOT:     memref.atomic_rmw
// ORDERED:         return
// ATOMIC-LABEL:  func.func @rms_norm_grad(
// ATOMIC-COUNT-1:  memref.atomic_rmw addf
// ATOMIC-NOT:      memref.atomic_rmw
// ATOMIC:          return
// DEFAULT-LABEL: func.func @rms_norm_grad(
// DEFAULT-NOT:     ssm.
// DEFAULT:         gpu.launch
// DEFAULT-NOT:     ssm.
// DEFAULT:         return
func.func @rms_norm_grad(%x: tensor<3x32xf32>, %weight: tensor<32xf32>,
    %dy: tensor<3x32xf32>) -> (tensor<3x32xf32>, tensor<32xf32>) {
  %dx, %dweight = ssm.rms_norm_grad %x, %weight, %dy
      : tensor<3x32xf32>, tensor<32xf32>, tensor<3x32xf32>
      -> tensor<3x32xf32>, tensor<32xf32>
  return %dx, %dweight : tensor<3x32xf32>, tensor<32xf32>
}
