// The chunked SSD scan on the GPU (ssd-strategy=chunked, the default): each
// phase of the dual form is one gpu.launch with a thread per point. The
// gradient sums the per-position decay and time-step gradients over the
// head dimension P: when P is a multiple of 32 every warp's lanes share
// the element, so a butterfly of five xor shuffles sums the warp and lane 0
// adds once; otherwise each thread adds atomically (deterministic=false).
// By default the gradient is deterministic (ORDERED): those additions are
// plain loads and stores into partial copies, one per warp of head-dim
// points (and per position or state tile for the chunk-end terms), summed
// in order by one kernel each; no atomics.
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu chunk-len=4 deterministic=false' --convert-ssm-to-gpu | FileCheck %s
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu chunk-len=4 deterministic=false' --convert-ssm-to-gpu \
// RUN:   | FileCheck %s --check-prefix=NARROW
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu chunk-len=4' --convert-ssm-to-gpu \
// RUN:   | FileCheck %s --check-prefix=ORDERED
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu ssd-strategy=quadratic' --convert-ssm-to-gpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu ssd-tile=32' --convert-ssm-to-gpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TILE32

// BAD: error: ssm-select-lowering: ssd-strategy = 'quadratic' is unknown: expected 'chunked' or 'recurrence'
// TILE32: error: ssm-select-lowering: ssd-tile = 32 is not supported: expected 1, 2, 4, 8 or 16

// Forward: time steps, B^T and C^T, chunk states, state passing, C.B,
// decayed C.B, output: seven kernels, no atomics. The tiles' rows (K^T
// along t, C^T, exp(cum)) are single 16-byte vector loads, K^T is written
// as one vector per point.
// CHECK-LABEL: func.func @ssd_scan(
// CHECK-COUNT-5: gpu.launch
// CHECK:         gpu.launch
// CHECK:           vector.store %{{.*}} {alignment = 16 : i64} : memref<1x2x2x4x4xf32>, vector<4xf32>
// CHECK:         gpu.launch
// CHECK:           vector.load %{{.*}} {alignment = 16 : i64} : memref<1x2x2x4x4xf32>, vector<4xf32>
// CHECK:           vector.load %{{.*}} {alignment = 16 : i64} : memref<1x1x3x8xf32>, vector<4xf32>
// CHECK-NOT:     gpu.launch
// CHECK-NOT:     memref.atomic_rmw
// CHECK:         return
func.func @ssd_scan(%x: tensor<1x6x2x32xf32>, %dt: tensor<1x6x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x6x1x3xf32>, %C: tensor<1x6x1x3xf32>)
    -> (tensor<1x6x2x32xf32>, tensor<1x2x32x3xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x6x2x32xf32>, tensor<1x6x2xf32>, tensor<2xf32>,
         tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32>)
      -> (tensor<1x6x2x32xf32>, tensor<1x2x32x3xf32>)
  return %y, %s : tensor<1x6x2x32xf32>, tensor<1x2x32x3xf32>
}

// Gradient with P = 32: the output-gradient kernel sums dcum and dD, the
// reverse state passing the chunk-end dcum, the dx kernel three more.
// CHECK-LABEL: func.func @ssd_grad_warp(
// CHECK:         memref.alloc() : memref<1x2x2x32x3xf32>
// CHECK:         %[[DCUM:.*]] = memref.alloc() : memref<1x2x8xf32>
// CHECK:         %[[DSTEP:.*]] = memref.alloc() : memref<1x2x8xf32>
// CHECK:         gpu.launch
// CHECK:           gpu.shuffle xor %{{.*}}, %c16_i32
// CHECK-NEXT:      arith.addf
// CHECK:           gpu.shuffle xor %{{.*}}, %c8_i32
// CHECK:           gpu.shuffle xor %{{.*}}, %c4_i32
// CHECK:           gpu.shuffle xor %{{.*}}, %c2_i32
// CHECK:           gpu.shuffle xor %{{.*}}, %c1_i32
// CHECK:           %[[LANE:.*]] = arith.remui %{{.*}}, %c32
// CHECK:           %[[FIRST:.*]] = arith.cmpi eq, %[[LANE]], %c0
// CHECK:           scf.if %[[FIRST]] {
// CHECK-NEXT:        memref.atomic_rmw addf %{{.*}}, %[[DCUM]]
// dx kernel: time-step and two decay gradients.
// CHECK:         gpu.launch
// CHECK:           memref.atomic_rmw addf %{{.*}}, %[[DSTEP]]
// CHECK:           memref.atomic_rmw addf %{{.*}}, %[[DCUM]]
// CHECK:           memref.atomic_rmw addf %{{.*}}, %[[DCUM]]
// CHECK:         return
// ORDERED-LABEL: func.func @ssd_grad_warp(
// ORDERED:         %[[DCUMCOPIES:.*]] = memref.alloc() : memref<1x1x2x8xf32>
// ORDERED-NOT:     memref.atomic_rmw
// ORDERED:         gpu.shuffle xor %{{.*}}, %c1_i32
// ORDERED:         scf.if
// ORDERED-NEXT:      %[[OLD:.*]] = memref.load %[[DCUMCOPIES]]
// ORDERED-NEXT:      %[[NEW:.*]] = arith.addf %[[OLD]]
// ORDERED-NEXT:      memref.store %[[NEW]], %[[DCUMCOPIES]]
// ORDERED-NOT:     memref.atomic_rmw
// ORDERED:         memref.load %[[DCUMCOPIES]]
// ORDERED:         memref.store %{{.*}} : memref<1x2x8xf32>
// ORDERED-NOT:     memref.atomic_rmw
// ORDERED:         return
func.func @ssd_grad_warp(%x: tensor<1x6x2x32xf32>, %dt: tensor<1x6x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x6x1x3xf32>, %C: tensor<1x6x1x3xf32>,
    %D: tensor<2xf32>, %dy: tensor<1x6x2x32xf32>)
    -> (tensor<1x6x2x32xf32>, tensor<1x6x2xf32>, tensor<2xf32>,
        tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32>, tensor<2xf32>) {
  %g:6 = ssm.ssd_scan_grad %x, %dt, %A, %B, %C D(%D), %dy
      : tensor<1x6x2x32xf32>, tensor<1x6x2xf32>, tensor<2xf32>,
        tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32>, tensor<2xf32>,
        tensor<1x6x2x32xf32>
      -> tensor<1x6x2x32xf32>, tensor<1x6x2xf32>, tensor<2xf32>,
         tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32> dD tensor<2xf32>
  return %g#0, %g#1, %g#2, %g#3, %g#4, %g#5
      : tensor<1x6x2x32xf32>, tensor<1x6x2xf32>, tensor<2xf32>,
        tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32>, tensor<2xf32>
}

// With P = 4 a warp spans several heads: no shuffles, plain atomics.
// NARROW-LABEL: func.func @ssd_grad_narrow(
// NARROW-NOT:     gpu.shuffle
// NARROW:         memref.atomic_rmw addf
// NARROW-NOT:     gpu.shuffle
// NARROW:         return
// With P = 4 no warp sums: a copy per head-dim point.
// ORDERED-LABEL: func.func @ssd_grad_narrow(
// ORDERED:         memref.alloc() : memref<4x1x2x8xf32>
// ORDERED-NOT:     memref.atomic_rmw
// ORDERED:         return
func.func @ssd_grad_narrow(%x: tensor<1x6x2x4xf32>, %dt: tensor<1x6x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x6x1x3xf32>, %C: tensor<1x6x1x3xf32>,
    %dy: tensor<1x6x2x4xf32>)
    -> (tensor<1x6x2x4xf32>, tensor<1x6x2xf32>, tensor<2xf32>,
        tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32>) {
  %g:5 = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x6x2x4xf32>, tensor<1x6x2xf32>, tensor<2xf32>,
        tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32>, tensor<1x6x2x4xf32>
      -> tensor<1x6x2x4xf32>, tensor<1x6x2xf32>, tensor<2xf32>,
         tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32>
  return %g#0, %g#1, %g#2, %g#3, %g#4
      : tensor<1x6x2x4xf32>, tensor<1x6x2xf32>, tensor<2xf32>,
        tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32>
}
