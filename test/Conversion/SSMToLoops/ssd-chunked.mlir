// The chunked (dual) form of the SSD scan, the default ssd-strategy: L=6
// positions in chunks of chunk-len=4 (two chunks, the second ragged, per-
// position scratch padded to 8), seven loop nests in order: time steps and
// decays, B and C transposed, chunk states, state passing (which also
// writes the final state), C.B products, their decayed form (K and its
// transpose), the output. On the CPU rows are scalar loads and stores.
// RUN: ssm-opt %s --ssm-select-lowering=chunk-len=4 --convert-ssm-to-loops | FileCheck %s
// RUN: ssm-opt %s --convert-ssm-to-loops | FileCheck %s --check-prefix=WHOLE
// RUN: ssm-opt %s '--ssm-select-lowering=ssd-strategy=recurrence' --convert-ssm-to-loops \
// RUN:   | FileCheck %s --check-prefix=RECURRENCE
// RUN: not ssm-opt %s '--ssm-select-lowering=ssd-strategy=dual' --convert-ssm-to-loops 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD
// RUN: ssm-opt %s '--ssm-select-lowering=chunk-len=4 ssd-tile=2' --convert-ssm-to-loops \
// RUN:   | FileCheck %s --check-prefix=TILE2
// RUN: not ssm-opt %s '--ssm-select-lowering=ssd-tile=3' --convert-ssm-to-loops 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TILE3

// CHECK-LABEL: func.func @ssd_scan(
// CHECK:         %[[Y:.*]] = memref.alloc() : memref<1x6x2x4xf32>
// CHECK:         %[[FINAL:.*]] = memref.alloc() : memref<1x2x4x3xf32>
// CHECK:         %[[DTW:.*]] = memref.alloc() : memref<1x2x8xf32>
// CHECK:         %[[CUM:.*]] = memref.alloc() : memref<1x2x8xf32>
// CHECK:         %[[EXPCUM:.*]] = memref.alloc() : memref<1x2x8xf32>
// CHECK:         %[[DECAYEND:.*]] = memref.alloc() : memref<1x2x8xf32>
// CHECK:         %[[CHUNKDECAY:.*]] = memref.alloc() : memref<1x2x2xf32>
// CHECK:         %[[OWN:.*]] = memref.alloc() : memref<1x2x2x3x4xf32>
// CHECK:         %[[STATES:.*]] = memref.alloc() : memref<1x2x2x3x4xf32>
// CHECK:         %[[BT:.*]] = memref.alloc() : memref<1x1x3x8xf32>
// CHECK:         %[[CT:.*]] = memref.alloc() : memref<1x1x3x8xf32>
// CHECK:         %[[CB:.*]] = memref.alloc() : memref<1x1x2x4x4xf32>
// CHECK:         %[[K:.*]] = memref.alloc() : memref<1x2x2x4x4xf32>
// CHECK:         %[[KT:.*]] = memref.alloc() : memref<1x2x2x4x4xf32>
// Time steps: a running sum carried through the chunk's positions.
// CHECK:         scf.for
// CHECK:           scf.for {{.*}} iter_args
// CHECK:             memref.store %{{.*}}, %[[DTW]]
// CHECK:             memref.store %{{.*}}, %[[CUM]]
// CHECK:             math.exp
// CHECK:             memref.store %{{.*}}, %[[EXPCUM]]
// CHECK:             memref.store %{{.*}}, %[[DECAYEND]]
// CHECK:           memref.store %{{.*}}, %[[CHUNKDECAY]]
// CHECK:         memref.store %{{.*}}, %[[BT]]
// CHECK:         memref.store %{{.*}}, %[[CT]]
// CHECK:         memref.store %{{.*}}, %[[OWN]]
// State passing: reads each chunk's own state, writes the entering one.
// CHECK:         memref.load %[[CHUNKDECAY]]
// CHECK:         memref.load %[[OWN]]
// CHECK:         memref.store %{{.*}}, %[[STATES]]
// CHECK:         memref.store %{{.*}}, %[[FINAL]]
// C.B only where s <= t inside the chunk.
// CHECK:         scf.if
// CHECK:           memref.load %[[BT]]
// CHECK:           memref.store %{{.*}}, %[[CB]]
// K for a tile of 4 t's per s, zero outside the triangle, then K^T.
// CHECK:         memref.load %[[CB]]
// CHECK:         arith.select
// CHECK-COUNT-4: memref.store %{{.*}}, %[[K]]
// CHECK-COUNT-4: memref.store %{{.*}}, %[[KT]]
// Output: each point owns a tile of 4 positions: the intra-chunk sums over
// rows of K^T and the entering state read through rows of C^T carry four
// accumulators; each position is stored where it is in the sequence.
// CHECK:         scf.for {{.*}} iter_args({{.*}}, {{.*}}, {{.*}}, {{.*}}) -> (f32, f32, f32, f32)
// CHECK-COUNT-4:   memref.load %[[KT]]
// CHECK:         scf.for {{.*}} iter_args({{.*}}, {{.*}}, {{.*}}, {{.*}}) -> (f32, f32, f32, f32)
// CHECK:           memref.load %[[STATES]]
// CHECK-COUNT-4:   memref.load %[[CT]]
// CHECK-COUNT-4: memref.load %[[EXPCUM]]
// CHECK-COUNT-4: memref.store %{{.*}}, %[[Y]]
// CHECK-NOT:     memref.store
// CHECK:         return

// With the default chunk-len (64 > L) the whole sequence is one chunk.
// WHOLE-LABEL: func.func @ssd_scan(
// WHOLE:         memref.alloc() : memref<1x1x2x3x4xf32>
// WHOLE:         memref.alloc() : memref<1x2x1x6x6xf32>

// The recurrence keeps the state of one point in a private buffer.
// RECURRENCE-LABEL: func.func @ssd_scan(
// RECURRENCE:         memref.alloca() : memref<3xf32>
// RECURRENCE-NOT:     memref<1x2x1x6x6xf32>

// BAD: error: ssm-select-lowering: ssd-strategy = 'dual' is unknown: expected 'chunked' or 'recurrence'

// ssd-tile=2: two positions per point in the output phase.
// TILE2-LABEL: func.func @ssd_scan(
// TILE2:         scf.for {{.*}} iter_args({{[^,]*}}, {{[^,]*}}) -> (f32, f32)
// TILE3: error: ssm-select-lowering: ssd-tile = 3 is not supported: expected 1, 2, 4, 8 or 16
func.func @ssd_scan(%x: tensor<1x6x2x4xf32>, %dt: tensor<1x6x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x6x1x3xf32>, %C: tensor<1x6x1x3xf32>)
    -> (tensor<1x6x2x4xf32>, tensor<1x2x4x3xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x6x2x4xf32>, tensor<1x6x2xf32>, tensor<2xf32>,
         tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32>)
      -> (tensor<1x6x2x4xf32>, tensor<1x2x4x3xf32>)
  return %y, %s : tensor<1x6x2x4xf32>, tensor<1x2x4x3xf32>
}
