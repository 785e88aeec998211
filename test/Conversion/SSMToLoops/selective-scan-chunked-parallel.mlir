// The chunked-parallel selective scan (SelectiveScanChunked.cpp) as loop
// nests: L=10 positions in chunks of chunk_len=4 (three chunks, the last
// ragged: 4+4+2), rows of 2 positions (the largest power of two up to 8
// dividing both). The forward is three nests: each chunk from a zero state
// (its end state and total time into [B,D,chunks,N] and [B,D,chunks]
// scratch), the passing over the chunks per (b, d, n) (entering states
// and last_state), and each chunk again from its entering state (y). The
// gradient adds the chunk carries R and the carries entering each chunk
// from its right ([B,D,chunks,N] each) and ends with the per-chunk walk
// that saves the state at each row start in a private buffer.
// RUN: ssm-opt %s '--ssm-select-lowering=scan-strategy=chunked-parallel chunk-len=4' \
// RUN:   | FileCheck %s --check-prefix=ATTR
// RUN: ssm-opt %s '--ssm-select-lowering=scan-strategy=chunked-parallel chunk-len=4' \
// RUN:   --convert-ssm-to-loops | FileCheck %s

// The lowering records the strategy and the chunk, for both ops.
// ATTR-LABEL: func.func @fwd(
// ATTR: ssm.selective_scan {{.*}} {ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused-scan", strategy = "chunked-parallel", chunk_len = 4>}
// ATTR-LABEL: func.func @grad(
// ATTR: ssm.selective_scan_grad {{.*}} {delta_softplus, ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused-scan", strategy = "chunked-parallel", chunk_len = 4>}

// CHECK-LABEL: func.func @fwd(
// CHECK:         %[[Y:.*]] = memref.alloc() : memref<1x2x10xf32>
// CHECK:         %[[LAST:.*]] = memref.alloc() : memref<1x2x3xf32>
// CHECK:         %[[ENDS:.*]] = memref.alloc() : memref<1x2x3x3xf32>
// CHECK:         %[[ENTERING:.*]] = memref.alloc() : memref<1x2x3x3xf32>
// CHECK:         %[[TIME:.*]] = memref.alloc() : memref<1x2x3xf32>
// Chunk ends: points (batch, chunk, group, channel in group); a row loop
// carrying the N=3 states and the time; exp2 per state and position.
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               scf.for
// CHECK:                 scf.for {{.*}} iter_args({{.*}}) -> (f32, f32, f32, f32)
// CHECK-COUNT-6:           math.exp2 {{.*}} fastmath<afn> : f32
// CHECK:                 memref.store {{.*}}, %[[ENDS]]
// CHECK:                 memref.store {{.*}}, %[[ENDS]]
// CHECK:                 memref.store {{.*}}, %[[ENDS]]
// CHECK:                 memref.store {{.*}}, %[[TIME]]
// Passing: points (batch, channel, state) walking the chunks in groups
// (here one group of the three chunks): the group's loads first, a chunk's
// decay being exp2 of its time, then its steps.
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               scf.for {{.*}} iter_args({{.*}}) -> (f32)
// CHECK:                 memref.load %[[TIME]]
// CHECK:                 math.exp2
// CHECK:                 memref.load %[[ENDS]]
// CHECK-NOT:             memref.store
// CHECK:                 memref.load %[[TIME]]
// CHECK-NOT:             memref.store
// CHECK:                 memref.load %[[ENDS]]
// CHECK-COUNT-3:         memref.store {{.*}}, %[[ENTERING]]
// CHECK:               memref.store {{.*}}, %[[LAST]]
// Output: each chunk from its entering state.
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               scf.for
// CHECK:                 memref.load %[[ENTERING]]
// CHECK:                 scf.for {{.*}} iter_args({{.*}}) -> (f32, f32, f32)
// CHECK-COUNT-6:           math.exp2
// CHECK:                   memref.store {{.*}}, %[[Y]]
// CHECK:                   memref.store {{.*}}, %[[Y]]
// CHECK-NOT:     scf.for
// CHECK:         bufferization.to_tensor %[[Y]]

// The gradient: the point's private buffers (shared by all points on the
// CPU): a carry and a dA per state, the state at each of the chunk's 2 row
// starts; the accumulators' fills, then three nests.
// CHECK-LABEL: func.func @grad(
// CHECK-DAG:     memref.alloca() : memref<3xf32>
// CHECK-DAG:     %[[SAVED:.*]] = memref.alloca() : memref<2x3xf32>
// CHECK:         %[[ENDS:.*]] = memref.alloc() : memref<1x2x3x3xf32>
// CHECK:         %[[ENTERING:.*]] = memref.alloc() : memref<1x2x3x3xf32>
// CHECK:         %[[TIME:.*]] = memref.alloc() : memref<1x2x3xf32>
// CHECK:         %[[R:.*]] = memref.alloc() : memref<1x2x3x3xf32>
// CHECK:         %[[CARRIES:.*]] = memref.alloc() : memref<1x2x3x3xf32>
// Chunk ends and R: states, time, decay products and R carried.
// CHECK:         scf.for {{.*}} iter_args({{.*}}) -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32)
// CHECK-COUNT-6:   math.exp2
// CHECK:         memref.store {{.*}}, %[[ENDS]]
// CHECK:         memref.store {{.*}}, %[[TIME]]
// CHECK:         memref.store {{.*}}, %[[R]]
// Passing both ways.
// CHECK:         memref.store {{.*}}, %[[ENTERING]]
// CHECK:         memref.load %[[R]]
// CHECK:         memref.store {{.*}}, %[[CARRIES]]
// Chunk gradients: the row starts saved walking forward, then the rows
// backwards with a loop over the states.
// CHECK:         memref.load %[[ENTERING]]
// CHECK:         memref.store {{.*}}, %[[SAVED]]
// CHECK:         memref.load %[[CARRIES]]
// CHECK:         scf.for {{.*}} iter_args({{.*}}) -> (f32, f32)
// CHECK:           scf.for {{.*}} to %c3{{.*}} iter_args({{.*}}) -> (f32, f32, f32, f32, f32, f32)
// CHECK:             memref.load %[[SAVED]]
// CHECK-COUNT-2:     math.exp2
// CHECK:         return

func.func @fwd(%u: tensor<1x2x10xf32>, %delta: tensor<1x2x10xf32>,
    %A: tensor<2x3xf32>, %B: tensor<1x1x3x10xf32>, %C: tensor<1x1x3x10xf32>)
    -> (tensor<1x2x10xf32>, tensor<1x2x3xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<1x2x10xf32>, tensor<1x2x10xf32>, tensor<2x3xf32>,
         tensor<1x1x3x10xf32>, tensor<1x1x3x10xf32>)
      -> (tensor<1x2x10xf32>, tensor<1x2x3xf32>)
  return %y, %s : tensor<1x2x10xf32>, tensor<1x2x3xf32>
}

func.func @grad(%u: tensor<1x2x10xf32>, %delta: tensor<1x2x10xf32>,
    %A: tensor<2x3xf32>, %B: tensor<1x1x3x10xf32>, %C: tensor<1x1x3x10xf32>,
    %D: tensor<2xf32>, %z: tensor<1x2x10xf32>, %db: tensor<2xf32>,
    %dy: tensor<1x2x10xf32>, %dh: tensor<1x2x3xf32>)
    -> (tensor<1x2x10xf32>, tensor<1x2x10xf32>, tensor<2x3xf32>,
        tensor<1x1x3x10xf32>, tensor<1x1x3x10xf32>, tensor<2xf32>,
        tensor<1x2x10xf32>, tensor<2xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db),
      %dy d_last_state(%dh) {delta_softplus}
      : tensor<1x2x10xf32>, tensor<1x2x10xf32>, tensor<2x3xf32>,
        tensor<1x1x3x10xf32>, tensor<1x1x3x10xf32>, tensor<2xf32>,
        tensor<1x2x10xf32>, tensor<2xf32>, tensor<1x2x10xf32>, tensor<1x2x3xf32>
      -> tensor<1x2x10xf32>, tensor<1x2x10xf32>, tensor<2x3xf32>,
         tensor<1x1x3x10xf32>, tensor<1x1x3x10xf32>
         dD tensor<2xf32> dz tensor<1x2x10xf32>
         ddelta_bias tensor<2xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb
      : tensor<1x2x10xf32>, tensor<1x2x10xf32>, tensor<2x3xf32>,
        tensor<1x1x3x10xf32>, tensor<1x1x3x10xf32>, tensor<2xf32>,
        tensor<1x2x10xf32>, tensor<2xf32>
}
