// The SSD scans are checked in their recurrence form here and in their
// default chunked form in ssd-chunked.mlir.
// RUN: ssm-opt %s --ssm-select-lowering=ssd-strategy=recurrence --convert-ssm-to-loops \
// RUN:   | FileCheck %s --check-prefixes=CHECK,DEFAULT \
// RUN:       --implicit-check-not=alloca_scope
// RUN: ssm-opt %s '--ssm-select-lowering=chunk-len=4 ssd-strategy=recurrence' --convert-ssm-to-loops \
// RUN:   | FileCheck %s --check-prefixes=CHECK,CHUNK4 \
// RUN:       --implicit-check-not=alloca_scope
// RUN: not ssm-opt %s --ssm-select-lowering=chunk-len=0 --convert-ssm-to-loops 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ZERO

// Every ssm op becomes loops on buffers: each operand goes through a
// read-only bufferization.to_buffer, each result is a fresh memref.alloc
// written by the kernel and handed back by a `restrict writable`
// to_tensor; the parallel points are a nest of scf.for. Points run one
// after another, so they share one set of private buffers: every
// memref.alloca is made once, at the start of the function's entry block
// (before the operands' to_buffer and the loop nests), there is no
// alloca_scope, and each point initialises what it reads. The scan
// gradients save one state per chunk of `chunk-len` positions ([points,
// chunks, N], with the chunk length capped at L; the private buffer of a
// chunk's states is [chunk length, N]) and walk the chunks and the
// positions in reverse.

// ZERO: error: ssm-select-lowering: chunk-len = 0 must be at least 1{{$}}

// CHECK-LABEL: func.func @selective_scan(
// CHECK-SAME:    %[[U:[^:]+]]: tensor<2x4x8xf32>, %[[DELTA:[^:]+]]: tensor<2x4x8xf32>,
// CHECK-SAME:    %[[A:[^:]+]]: tensor<4x3xf32>, %[[B:[^:]+]]: tensor<2x1x3x8xf32>, %[[C:[^:]+]]: tensor<2x1x3x8xf32>)
// CHECK-NOT:     ssm.
// CHECK-NEXT:    %[[SUM:.*]] = memref.alloca() : memref<1xf32>
// CHECK-NEXT:    %[[H:.*]] = memref.alloca() : memref<3xf32>
// CHECK-NEXT:    %[[UB:.*]] = bufferization.to_buffer %[[U]] read_only : tensor<2x4x8xf32> to memref<2x4x8xf32>
// CHECK-NEXT:    %[[DB:.*]] = bufferization.to_buffer %[[DELTA]] read_only : tensor<2x4x8xf32> to memref<2x4x8xf32>
// CHECK:         %[[AB:.*]] = bufferization.to_buffer %[[A]] read_only : tensor<4x3xf32> to memref<4x3xf32>
// CHECK:         %[[BB:.*]] = bufferization.to_buffer %[[B]] read_only : tensor<2x1x3x8xf32> to memref<2x1x3x8xf32>
// CHECK:         %[[CB:.*]] = bufferization.to_buffer %[[C]] read_only : tensor<2x1x3x8xf32> to memref<2x1x3x8xf32>
// CHECK:         %[[Y:.*]] = memref.alloc() : memref<2x4x8xf32>
// CHECK:         %[[S:.*]] = memref.alloc() : memref<2x4x3xf32>
// CHECK:         %[[NB:.*]] = arith.constant 2 : index
// CHECK:         scf.for %[[BI:.*]] = %{{.*}} to %[[NB]] step %{{.*}} {
// CHECK:           %[[ND:.*]] = arith.constant 4 : index
// CHECK:           scf.for %[[DI:.*]] = %{{.*}} to %[[ND]] step %{{.*}} {
// CHECK-NOT:           memref.alloca
// Each point starts from a zero state.
// CHECK:             scf.for %[[N0:.*]] =
// CHECK-NEXT:          arith.constant 0.0
// CHECK-NEXT:          memref.store %{{.*}}, %[[H]][%[[N0]]] : memref<3xf32>
// CHECK:             %[[NL:.*]] = arith.constant 8 : index
// CHECK:             scf.for %[[T:.*]] = %{{.*}} to %[[NL]] step %{{.*}} {
// CHECK:               memref.load %[[DB]][%[[BI]], %[[DI]], %[[T]]] : memref<2x4x8xf32>
// CHECK:               memref.load %[[UB]][%[[BI]], %[[DI]], %[[T]]] : memref<2x4x8xf32>
// CHECK:               scf.for %[[N:.*]] =
// CHECK:                 memref.load %[[AB]][%[[DI]], %[[N]]] : memref<4x3xf32>
// CHECK:                 math.exp
// CHECK:                 memref.load %[[BB]][%[[BI]], %{{.*}}, %[[N]], %[[T]]] : memref<2x1x3x8xf32>
// CHECK:                 memref.load %[[H]][%[[N]]] : memref<3xf32>
// CHECK:                 memref.store %{{.*}}, %[[H]][%[[N]]] : memref<3xf32>
// CHECK:               memref.store %{{.*}}, %[[SUM]][%{{.*}}] : memref<1xf32>
// CHECK:               memref.load %[[CB]][%[[BI]], %{{.*}}, %{{.*}}, %[[T]]] : memref<2x1x3x8xf32>
// CHECK:               memref.store %{{.*}}, %[[SUM]][%{{.*}}] : memref<1xf32>
// CHECK:               memref.load %[[SUM]][%{{.*}}] : memref<1xf32>
// CHECK-NEXT:          memref.store %{{.*}}, %[[Y]][%[[BI]], %[[DI]], %[[T]]] : memref<2x4x8xf32>
// CHECK:             memref.load %[[H]][%{{.*}}] : memref<3xf32>
// CHECK-NEXT:        memref.store %{{.*}}, %[[S]][%[[BI]], %[[DI]], %{{.*}}] : memref<2x4x3xf32>
// CHECK:         %[[YT:.*]] = bufferization.to_tensor %[[Y]] restrict writable : memref<2x4x8xf32> to tensor<2x4x8xf32>
// CHECK:         %[[ST:.*]] = bufferization.to_tensor %[[S]] restrict writable : memref<2x4x3xf32> to tensor<2x4x3xf32>
// CHECK:         return %[[YT]], %[[ST]]
func.func @selective_scan(%u: tensor<2x4x8xf32>, %delta: tensor<2x4x8xf32>,
    %A: tensor<4x3xf32>, %B: tensor<2x1x3x8xf32>, %C: tensor<2x1x3x8xf32>)
    -> (tensor<2x4x8xf32>, tensor<2x4x3xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
         tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>)
      -> (tensor<2x4x8xf32>, tensor<2x4x3xf32>)
  return %y, %s : tensor<2x4x8xf32>, tensor<2x4x3xf32>
}

// bf16 cotangents that several points accumulate into (dB, dC) go through
// zero-filled f32 scratch buffers, truncated into the results at the end;
// dA is f32 and accumulated in place. 2*4 points; L=10 is one chunk of 10
// by default and ceil(10/4) = 3 chunks of 4 with chunk-len=4. The private
// buffers (made once, before everything else): the per-position ddelta/du
// sums, the states of one chunk, the dD/ddelta_bias sums, the dA
// accumulator, dh and h.
// CHECK-LABEL: func.func @selective_scan_grad(
// CHECK-SAME:    %[[U:[^:]+]]: tensor<2x4x10xbf16>, %[[DELTA:[^:]+]]: tensor<2x4x10xbf16>,
// CHECK-SAME:    %[[A:[^:]+]]: tensor<4x3xf32>, %[[B:[^:]+]]: tensor<2x1x3x10xbf16>, %[[C:[^:]+]]: tensor<2x1x3x10xbf16>,
// CHECK-SAME:    %[[DY:[^:]+]]: tensor<2x4x10xbf16>)
// CHECK-NOT:     ssm.
// CHECK-NEXT:    %[[POS:.*]] = memref.alloca() : memref<2xf32>
// DEFAULT-NEXT:  %[[HS:.*]] = memref.alloca() : memref<10x3xf32>
// CHUNK4-NEXT:   %[[HS:.*]] = memref.alloca() : memref<4x3xf32>
// CHECK-NEXT:    %[[SUMS:.*]] = memref.alloca() : memref<2xf32>
// CHECK-NEXT:    %[[DAACC:.*]] = memref.alloca() : memref<3xf32>
// CHECK-NEXT:    %[[DH:.*]] = memref.alloca() : memref<3xf32>
// CHECK-NEXT:    %[[H:.*]] = memref.alloca() : memref<3xf32>
// CHECK-NEXT:    bufferization.to_buffer %[[U]] read_only : tensor<2x4x10xbf16> to memref<2x4x10xbf16>
// CHECK:         bufferization.to_buffer %[[DELTA]] read_only
// CHECK:         bufferization.to_buffer %[[A]] read_only
// CHECK:         bufferization.to_buffer %[[B]] read_only
// CHECK:         bufferization.to_buffer %[[C]] read_only
// CHECK:         %[[DYB:.*]] = bufferization.to_buffer %[[DY]] read_only : tensor<2x4x10xbf16> to memref<2x4x10xbf16>
// CHECK:         %[[DU:.*]] = memref.alloc() : memref<2x4x10xbf16>
// CHECK:         %[[DDELTA:.*]] = memref.alloc() : memref<2x4x10xbf16>
// CHECK:         %[[DA:.*]] = memref.alloc() : memref<4x3xf32>
// CHECK:         %[[DB:.*]] = memref.alloc() : memref<2x1x3x10xbf16>
// CHECK:         %[[DC:.*]] = memref.alloc() : memref<2x1x3x10xbf16>
// CHECK:         memref.store %{{.*}}, %[[DA]][%{{.*}}, %{{.*}}] : memref<4x3xf32>
// CHECK:         %[[DBACC:.*]] = memref.alloc() : memref<2x1x3x10xf32>
// CHECK:         memref.store %{{.*}}, %[[DBACC]][%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] : memref<2x1x3x10xf32>
// CHECK:         %[[DCACC:.*]] = memref.alloc() : memref<2x1x3x10xf32>
// CHECK:         memref.store %{{.*}}, %[[DCACC]][%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] : memref<2x1x3x10xf32>
// DEFAULT:       %[[SAVED:.*]] = memref.alloc() : memref<8x1x3xf32>
// CHUNK4:        %[[SAVED:.*]] = memref.alloc() : memref<8x3x3xf32>
// CHECK:         scf.for %[[BI:.*]] =
// CHECK:           scf.for %[[DI:.*]] =
// CHECK-NOT:         memref.alloca
// Pass 1: from a zero state, the state at each chunk start.
// CHECK:             memref.store %{{.*}}, %[[H]][%{{.*}}] : memref<3xf32>
// CHECK:             scf.for %[[C1:.*]] =
// CHECK:               memref.load %[[H]][%{{.*}}] : memref<3xf32>
// CHECK-NEXT:          memref.store %{{.*}}, %[[SAVED]][%{{.*}}, %[[C1]], %{{.*}}]
// CHECK:               memref.store %{{.*}}, %[[H]][%{{.*}}] : memref<3xf32>
// Pass 2, after zeroing dh, the dA accumulator and the dD/ddelta_bias
// sums: chunks in reverse (c = chunks - 1 - i), and the positions of each
// chunk in reverse.
// CHECK:             memref.store %{{.*}}, %[[DH]][%{{.*}}] : memref<3xf32>
// CHECK:             memref.store %{{.*}}, %[[DAACC]][%{{.*}}] : memref<3xf32>
// CHECK:             memref.store %{{.*}}, %[[SUMS]][%{{.*}}] : memref<2xf32>
// CHECK:             memref.store %{{.*}}, %[[SUMS]][%{{.*}}] : memref<2xf32>
// DEFAULT-NEXT:      %[[NC:.*]] = arith.constant 1 : index
// CHUNK4-NEXT:       %[[NC:.*]] = arith.constant 3 : index
// CHECK:             scf.for %[[I:.*]] = %{{.*}} to %[[NC]] step
// CHECK:               %[[LAST:.*]] = arith.subi %[[NC]], %{{.*}} : index
// CHECK:               %[[CI:.*]] = arith.subi %[[LAST]], %[[I]] : index
// CHECK:               %[[LEN:.*]] = arith.subi
// The chunk's saved state seeds h, then the chunk's states are recomputed.
// CHECK:               memref.load %[[SAVED]][%{{.*}}, %[[CI]], %{{.*}}]
// CHECK-NEXT:          memref.store %{{.*}}, %[[H]][%{{.*}}] : memref<3xf32>
// CHECK:               scf.for %[[K:.*]] = %{{.*}} to %[[LEN]] step
// CHECK:                 memref.store %{{.*}}, %[[H]][%{{.*}}] : memref<3xf32>
// CHECK:                 memref.store %{{.*}}, %[[HS]][%[[K]], %{{.*}}]
// CHECK:               scf.for %[[J:.*]] = %{{.*}} to %[[LEN]] step
// CHECK-NEXT:            arith.constant 1 : index
// CHECK-NEXT:            %[[JLAST:.*]] = arith.subi %[[LEN]], %{{.*}} : index
// CHECK:                 %[[JR:.*]] = arith.subi %[[JLAST]], %[[J]] : index
// CHECK:                 memref.load %[[DYB]]
// CHECK:                 memref.store %{{.*}}, %[[POS]][%{{.*}}] : memref<2xf32>
// CHECK:                 memref.store %{{.*}}, %[[POS]][%{{.*}}] : memref<2xf32>
// CHECK:                 memref.load %[[HS]][%[[JR]], %{{.*}}]
// CHECK:                 memref.store %{{.*}}, %[[DCACC]]
// CHECK:                 memref.load %[[DH]][%{{.*}}] : memref<3xf32>
// CHECK:                 memref.store %{{.*}}, %[[DAACC]][%{{.*}}] : memref<3xf32>
// CHECK:                 memref.store %{{.*}}, %[[DBACC]]
// CHECK:                 memref.store %{{.*}}, %[[DH]][%{{.*}}] : memref<3xf32>
// CHECK:               memref.load %[[POS]][%{{.*}}] : memref<2xf32>
// CHECK:               memref.store %{{.*}}, %[[DDELTA]][%[[BI]], %[[DI]], %{{.*}}] : memref<2x4x10xbf16>
// CHECK:               memref.load %[[POS]][%{{.*}}] : memref<2xf32>
// CHECK:               memref.store %{{.*}}, %[[DU]][%[[BI]], %[[DI]], %{{.*}}] : memref<2x4x10xbf16>
// CHECK:           memref.load %[[DAACC]][%{{.*}}] : memref<3xf32>
// CHECK:           memref.store %{{.*}}, %[[DA]][%[[DI]], %{{.*}}] : memref<4x3xf32>
// CHECK:         arith.truncf %{{.*}} : f32 to bf16
// CHECK:         memref.store %{{.*}}, %[[DB]]
// CHECK:         arith.truncf %{{.*}} : f32 to bf16
// CHECK:         memref.store %{{.*}}, %[[DC]]
// CHECK:         %[[T0:.*]] = bufferization.to_tensor %[[DU]] restrict writable
// CHECK:         %[[T1:.*]] = bufferization.to_tensor %[[DDELTA]] restrict writable
// CHECK:         %[[T2:.*]] = bufferization.to_tensor %[[DA]] restrict writable
// CHECK:         %[[T3:.*]] = bufferization.to_tensor %[[DB]] restrict writable
// CHECK:         %[[T4:.*]] = bufferization.to_tensor %[[DC]] restrict writable
// CHECK:         return %[[T0]], %[[T1]], %[[T2]], %[[T3]], %[[T4]]
func.func @selective_scan_grad(%u: tensor<2x4x10xbf16>,
    %delta: tensor<2x4x10xbf16>, %A: tensor<4x3xf32>,
    %B: tensor<2x1x3x10xbf16>, %C: tensor<2x1x3x10xbf16>,
    %dy: tensor<2x4x10xbf16>)
    -> (tensor<2x4x10xbf16>, tensor<2x4x10xbf16>, tensor<4x3xf32>,
        tensor<2x1x3x10xbf16>, tensor<2x1x3x10xbf16>) {
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x4x10xbf16>, tensor<2x4x10xbf16>, tensor<4x3xf32>,
        tensor<2x1x3x10xbf16>, tensor<2x1x3x10xbf16>, tensor<2x4x10xbf16>
      -> tensor<2x4x10xbf16>, tensor<2x4x10xbf16>, tensor<4x3xf32>,
         tensor<2x1x3x10xbf16>, tensor<2x1x3x10xbf16>
  return %du, %ddelta, %dA, %dB, %dC
      : tensor<2x4x10xbf16>, tensor<2x4x10xbf16>, tensor<4x3xf32>,
        tensor<2x1x3x10xbf16>, tensor<2x1x3x10xbf16>
}

// One point per (batch, head, head dim): a nest of three loops. The
// initial state seeds the state.
// CHECK-LABEL: func.func @ssd_scan(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<1x6x2x4xf32>, %{{.*}}, %[[H0:[^:]+]]: tensor<1x2x4x3xf32>)
// CHECK-NOT:     ssm.
// CHECK-NEXT:    %[[SUM:.*]] = memref.alloca() : memref<1xf32>
// CHECK-NEXT:    %[[H:.*]] = memref.alloca() : memref<3xf32>
// CHECK-NEXT:    bufferization.to_buffer %[[X]] read_only
// CHECK-COUNT-4: bufferization.to_buffer %{{.*}} read_only
// CHECK:         %[[H0B:.*]] = bufferization.to_buffer %[[H0]] read_only : tensor<1x2x4x3xf32> to memref<1x2x4x3xf32>
// CHECK:         %[[Y:.*]] = memref.alloc() : memref<1x6x2x4xf32>
// CHECK:         %[[S:.*]] = memref.alloc() : memref<1x2x4x3xf32>
// CHECK:         scf.for %[[BI:.*]] =
// CHECK:           %[[NH:.*]] = arith.constant 2 : index
// CHECK:           scf.for %[[HI:.*]] = %{{.*}} to %[[NH]] step
// CHECK:             %[[NP:.*]] = arith.constant 4 : index
// CHECK:             scf.for %[[PI:.*]] = %{{.*}} to %[[NP]] step
// CHECK-NOT:             memref.alloca
// CHECK:               memref.load %[[H0B]][%[[BI]], %[[HI]], %[[PI]], %{{.*}}]
// CHECK-NEXT:          memref.store %{{.*}}, %[[H]][%{{.*}}] : memref<3xf32>
// CHECK:               %[[NL:.*]] = arith.constant 6 : index
// CHECK:               scf.for %[[T:.*]] = %{{.*}} to %[[NL]] step
// CHECK:                 memref.store %{{.*}}, %[[H]][%{{.*}}] : memref<3xf32>
// CHECK:                 memref.store %{{.*}}, %[[SUM]][%{{.*}}] : memref<1xf32>
// CHECK:                 scf.for
// CHECK:                   memref.store %{{.*}}, %[[SUM]][%{{.*}}] : memref<1xf32>
// CHECK:                 memref.load %[[SUM]][%{{.*}}] : memref<1xf32>
// CHECK-NEXT:            memref.store %{{.*}}, %[[Y]][%[[BI]], %[[T]], %[[HI]], %[[PI]]] : memref<1x6x2x4xf32>
// CHECK:               memref.load %[[H]][%{{.*}}] : memref<3xf32>
// CHECK-NEXT:          memref.store %{{.*}}, %[[S]][%[[BI]], %[[HI]], %[[PI]], %{{.*}}] : memref<1x2x4x3xf32>
// CHECK:         bufferization.to_tensor %[[Y]] restrict writable
// CHECK:         bufferization.to_tensor %[[S]] restrict writable
func.func @ssd_scan(%x: tensor<1x6x2x4xf32>, %dt: tensor<1x6x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x6x1x3xf32>, %C: tensor<1x6x1x3xf32>,
    %h0: tensor<1x2x4x3xf32>) -> (tensor<1x6x2x4xf32>, tensor<1x2x4x3xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C initial_state(%h0)
      : (tensor<1x6x2x4xf32>, tensor<1x6x2xf32>, tensor<2xf32>,
         tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32>, tensor<1x2x4x3xf32>)
      -> (tensor<1x6x2x4xf32>, tensor<1x2x4x3xf32>)
  return %y, %s : tensor<1x6x2x4xf32>, tensor<1x2x4x3xf32>
}

// ddt, dA, dB, dC are shared by the P points of a head: zero-filled first,
// then accumulated. Saved states: 1*2*4 points, L=6 in 1 chunk by default
// and in ceil(6/4) = 2 with chunk-len=4. Private buffers as for
// selective_scan_grad.
// CHECK-LABEL: func.func @ssd_scan_grad(
// CHECK-SAME:    -> (tensor<1x6x2x4xf32>, tensor<1x6x2xf32>, tensor<2xf32>, tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32>) {
// CHECK-NOT:     ssm.
// CHECK-NEXT:    %[[POS:.*]] = memref.alloca() : memref<2xf32>
// DEFAULT-NEXT:  %[[HS:.*]] = memref.alloca() : memref<6x3xf32>
// CHUNK4-NEXT:   %[[HS:.*]] = memref.alloca() : memref<4x3xf32>
// CHECK-NEXT:    %[[SUMS:.*]] = memref.alloca() : memref<2xf32>
// CHECK-NEXT:    %[[DAACC:.*]] = memref.alloca() : memref<3xf32>
// CHECK-NEXT:    %[[DH:.*]] = memref.alloca() : memref<3xf32>
// CHECK-NEXT:    %[[H:.*]] = memref.alloca() : memref<3xf32>
// CHECK-NEXT:    bufferization.to_buffer %{{.*}} read_only
// CHECK-COUNT-5: bufferization.to_buffer %{{.*}} read_only
// CHECK:         %[[DX:.*]] = memref.alloc() : memref<1x6x2x4xf32>
// CHECK:         %[[DDT:.*]] = memref.alloc() : memref<1x6x2xf32>
// CHECK:         %[[DA:.*]] = memref.alloc() : memref<2xf32>
// CHECK:         %[[DB:.*]] = memref.alloc() : memref<1x6x1x3xf32>
// CHECK:         %[[DC:.*]] = memref.alloc() : memref<1x6x1x3xf32>
// CHECK:         memref.store %{{.*}}, %[[DDT]]
// CHECK:         memref.store %{{.*}}, %[[DA]]
// CHECK:         memref.store %{{.*}}, %[[DB]]
// CHECK:         memref.store %{{.*}}, %[[DC]]
// DEFAULT:       %[[SAVED:.*]] = memref.alloc() : memref<8x1x3xf32>
// CHUNK4:        %[[SAVED:.*]] = memref.alloc() : memref<8x2x3xf32>
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK-NOT:           memref.alloca
// CHECK:               memref.store %{{.*}}, %[[H]]
// CHECK:               memref.load %[[H]]
// CHECK-NEXT:          memref.store %{{.*}}, %[[SAVED]]
// CHECK:               memref.store %{{.*}}, %[[DH]]
// CHECK:               memref.store %{{.*}}, %[[DAACC]]
// CHECK:               memref.store %{{.*}}, %[[SUMS]]
// CHECK:               arith.subi
// CHECK:               memref.load %[[SAVED]]
// CHECK-NEXT:          memref.store %{{.*}}, %[[H]]
// CHECK:               memref.store %{{.*}}, %[[HS]]
// CHECK:               memref.store %{{.*}}, %[[POS]]
// CHECK:               memref.load %[[HS]]
// CHECK:               memref.load %[[DH]]
// CHECK:               memref.store %{{.*}}, %[[DX]]
// CHECK:             memref.load %[[DAACC]]
// CHECK:         bufferization.to_tensor %[[DX]] restrict writable
// CHECK:         bufferization.to_tensor %[[DDT]] restrict writable
// CHECK:         bufferization.to_tensor %[[DA]] restrict writable
// CHECK:         bufferization.to_tensor %[[DB]] restrict writable
// CHECK:         bufferization.to_tensor %[[DC]] restrict writable
func.func @ssd_scan_grad(%x: tensor<1x6x2x4xf32>, %dt: tensor<1x6x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x6x1x3xf32>, %C: tensor<1x6x1x3xf32>,
    %dy: tensor<1x6x2x4xf32>)
    -> (tensor<1x6x2x4xf32>, tensor<1x6x2xf32>, tensor<2xf32>,
        tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32>) {
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x6x2x4xf32>, tensor<1x6x2xf32>, tensor<2xf32>,
        tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32>, tensor<1x6x2x4xf32>
      -> tensor<1x6x2x4xf32>, tensor<1x6x2xf32>, tensor<2xf32>,
         tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32>
  return %dx, %ddt, %dA, %dB, %dC
      : tensor<1x6x2x4xf32>, tensor<1x6x2xf32>, tensor<2xf32>,
        tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32>
}

// One point per output element; the W taps are an inner loop.
// CHECK-LABEL: func.func @causal_conv1d(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<2x4x8xf32>, %[[W:[^:]+]]: tensor<4x3xf32>, %[[BIAS:[^:]+]]: tensor<4xf32>)
// CHECK-NOT:     ssm.
// CHECK-NEXT:    %[[ACC:.*]] = memref.alloca() : memref<1xf32>
// CHECK-NEXT:    bufferization.to_buffer %[[X]] read_only : tensor<2x4x8xf32> to memref<2x4x8xf32>
// CHECK:         bufferization.to_buffer %[[W]] read_only : tensor<4x3xf32> to memref<4x3xf32>
// CHECK:         %[[BB:.*]] = bufferization.to_buffer %[[BIAS]] read_only : tensor<4xf32> to memref<4xf32>
// CHECK:         %[[Y:.*]] = memref.alloc() : memref<2x4x8xf32>
// CHECK:         scf.for %[[BI:.*]] =
// CHECK:           scf.for %[[DI:.*]] =
// CHECK:             scf.for %[[LI:.*]] =
// CHECK-NOT:             memref.alloca
// The bias seeds the accumulator.
// CHECK:               memref.load %[[BB]][%[[DI]]]
// CHECK-NEXT:          memref.store %{{.*}}, %[[ACC]][%{{.*}}] : memref<1xf32>
// CHECK:               %[[NW:.*]] = arith.constant 3 : index
// CHECK:               scf.for %{{.*}} = %{{.*}} to %[[NW]] step
// CHECK:                 memref.store %{{.*}}, %[[ACC]][%{{.*}}] : memref<1xf32>
// CHECK:               memref.load %[[ACC]][%{{.*}}] : memref<1xf32>
// CHECK:               math.exp
// CHECK:               memref.store %{{.*}}, %[[Y]][%[[BI]], %[[DI]], %[[LI]]] : memref<2x4x8xf32>
// CHECK:         %[[YT:.*]] = bufferization.to_tensor %[[Y]] restrict writable : memref<2x4x8xf32> to tensor<2x4x8xf32>
// CHECK:         return %[[YT]]
func.func @causal_conv1d(%x: tensor<2x4x8xf32>, %w: tensor<4x3xf32>,
    %b: tensor<4xf32>) -> tensor<2x4x8xf32> {
  %y = ssm.causal_conv1d %x, %w bias(%b) activation silu
      : (tensor<2x4x8xf32>, tensor<4x3xf32>, tensor<4xf32>)
      -> tensor<2x4x8xf32>
  return %y : tensor<2x4x8xf32>
}

// dx: one point per element, summing into a private scalar; dweight: one
// point per (channel, slice of the batch x length positions), reducing its
// slice into a private [W+1] buffer.
// CHECK-LABEL: func.func @causal_conv1d_grad(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<2x4x8xf32>, %{{[^:]+}}: tensor<4x3xf32>, %{{[^:]+}}: tensor<2x4x8xf32>)
// CHECK-NOT:     ssm.
// CHECK-NEXT:    %[[ACC:.*]] = memref.alloca() : memref<4xf32>
// CHECK-NEXT:    %[[DXACC:.*]] = memref.alloca() : memref<1xf32>
// CHECK-NEXT:    bufferization.to_buffer %[[X]] read_only
// CHECK-COUNT-2: bufferization.to_buffer %{{.*}} read_only
// CHECK:         %[[DX:.*]] = memref.alloc() : memref<2x4x8xf32>
// CHECK:         %[[DW:.*]] = memref.alloc() : memref<4x3xf32>
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK-NOT:           memref.alloca
// CHECK:               memref.store %{{.*}}, %[[DXACC]][%{{.*}}] : memref<1xf32>
// CHECK:               scf.for
// CHECK:                 memref.store %{{.*}}, %[[DXACC]][%{{.*}}] : memref<1xf32>
// CHECK:               memref.load %[[DXACC]][%{{.*}}] : memref<1xf32>
// CHECK-NEXT:          memref.store %{{.*}}, %[[DX]]
// dweight is zero-filled, then each (channel, slice of positions) row (one
// slice on the CPU, one point per row) sums its slice into the private
// buffer, reads the sums out and its first point adds them in.
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK-NEXT:        arith.constant 0.0
// CHECK-NEXT:        memref.store %{{.*}}, %[[DW]]
// CHECK:         %[[ND:.*]] = arith.constant 4 : index
// CHECK:         scf.for %[[DI:.*]] = %{{.*}} to %[[ND]] step
// CHECK:           scf.for %{{.*}} = %{{.*}} to %{{.*}} step
// CHECK-NOT:         memref.alloca
// CHECK:             scf.for %[[W0:.*]] =
// CHECK-NEXT:          arith.constant 0.0
// CHECK-NEXT:          memref.store %{{.*}}, %[[ACC]][%[[W0]]] : memref<4xf32>
// CHECK:             memref.store %{{.*}}, %[[ACC]][%{{.*}}] : memref<4xf32>
// CHECK:             scf.for
// CHECK:               memref.load %[[ACC]][%{{.*}}] : memref<4xf32>
// CHECK-NEXT:          arith.addf
// CHECK-NEXT:          memref.store %{{.*}}, %[[ACC]][%{{.*}}] : memref<4xf32>
// CHECK-COUNT-4:     memref.load %[[ACC]][%{{.*}}] : memref<4xf32>
// CHECK:             scf.if
// CHECK:               memref.load %[[DW]][%[[DI]], %{{.*}}] : memref<4x3xf32>
// CHECK-NEXT:          arith.addf
// CHECK-NEXT:          memref.store %{{.*}}, %[[DW]][%[[DI]], %{{.*}}] : memref<4x3xf32>
// CHECK:         bufferization.to_tensor %[[DX]] restrict writable
// CHECK:         bufferization.to_tensor %[[DW]] restrict writable
func.func @causal_conv1d_grad(%x: tensor<2x4x8xf32>, %w: tensor<4x3xf32>,
    %dy: tensor<2x4x8xf32>) -> (tensor<2x4x8xf32>, tensor<4x3xf32>) {
  %dx, %dw = ssm.causal_conv1d_grad %x, %w, %dy activation none
      : (tensor<2x4x8xf32>, tensor<4x3xf32>, tensor<2x4x8xf32>)
      -> (tensor<2x4x8xf32>, tensor<4x3xf32>)
  return %dx, %dw : tensor<2x4x8xf32>, tensor<4x3xf32>
}

// One point per row (the leading dimensions); the row's sum of squares is
// carried by its loop (forEachRow: one point owns the whole row here).
// CHECK-LABEL: func.func @rms_norm_residual(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<2x3x8xf32>, %[[W:[^:]+]]: tensor<8xf32>, %[[R:[^:]+]]: tensor<2x3x8xf32>)
// CHECK-NOT:     ssm.
// CHECK-NEXT:    bufferization.to_buffer %[[X]] read_only
// CHECK:         bufferization.to_buffer %[[W]] read_only
// CHECK:         bufferization.to_buffer %[[R]] read_only
// CHECK:         %[[Y:.*]] = memref.alloc() : memref<2x3x8xf32>
// CHECK:         %[[RO:.*]] = memref.alloc() : memref<2x3x8xf32>
// CHECK:         %[[N0:.*]] = arith.constant 2 : index
// CHECK:         scf.for %[[I:.*]] = %{{.*}} to %[[N0]] step
// CHECK:           %[[N1:.*]] = arith.constant 3 : index
// CHECK:           scf.for %[[J:.*]] = %{{.*}} to %[[N1]] step
// CHECK-NOT:           memref.alloca
// CHECK:             %[[SS:.*]] = scf.for {{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (f32)
// CHECK:               arith.mulf
// CHECK:               %[[NEXT:.*]] = arith.addf %[[ACC]], %{{.*}}
// CHECK:               scf.yield %[[NEXT]] : f32
// CHECK:             arith.divf %[[SS]]
// CHECK:             math.sqrt
// CHECK:             scf.for %[[K:.*]] =
// CHECK:               memref.store %{{.*}}, %[[Y]][%[[I]], %[[J]], %[[K]]]
// CHECK:               memref.store %{{.*}}, %[[RO]][%[[I]], %[[J]], %[[K]]]
// CHECK:         %[[YT:.*]] = bufferization.to_tensor %[[Y]] restrict writable
// CHECK:         %[[ROT:.*]] = bufferization.to_tensor %[[RO]] restrict writable
// CHECK:         return %[[YT]], %[[ROT]]
func.func @rms_norm_residual(%x: tensor<2x3x8xf32>, %w: tensor<8xf32>,
    %r: tensor<2x3x8xf32>) -> (tensor<2x3x8xf32>, tensor<2x3x8xf32>) {
  %y, %ro = ssm.rms_norm %x, %w residual(%r)
      : (tensor<2x3x8xf32>, tensor<8xf32>, tensor<2x3x8xf32>)
      -> (tensor<2x3x8xf32>, tensor<2x3x8xf32>)
  return %y, %ro : tensor<2x3x8xf32>, tensor<2x3x8xf32>
}

// dweight is zero-filled, then every row accumulates into it. Each row
// carries two sums through its loops: its sum of squares and the sum over
// the row of dy * weight * gated x.
// CHECK-LABEL: func.func @rms_norm_grad_gated(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<4x8xf32>, %{{[^:]+}}: tensor<8xf32>, %{{[^:]+}}: tensor<4x8xf32>, %{{[^:]+}}: tensor<4x8xf32>)
// CHECK-NOT:     ssm.
// CHECK-NEXT:    bufferization.to_buffer %[[X]] read_only
// CHECK-COUNT-3: bufferization.to_buffer %{{.*}} read_only
// CHECK:         %[[DX:.*]] = memref.alloc() : memref<4x8xf32>
// CHECK:         %[[DW:.*]] = memref.alloc() : memref<8xf32>
// CHECK:         %[[DZ:.*]] = memref.alloc() : memref<4x8xf32>
// CHECK:         scf.for
// CHECK:           memref.store %{{.*}}, %[[DW]]
// CHECK:         %[[NR:.*]] = arith.constant 4 : index
// CHECK:         scf.for %[[I:.*]] = %{{.*}} to %[[NR]] step
// CHECK-NOT:         memref.alloca
// CHECK:           %[[SS:.*]] = scf.for {{.*}} iter_args({{.*}}) -> (f32)
// CHECK:           arith.divf %[[SS]]
// CHECK:           math.sqrt
// CHECK:           %[[DOT:.*]] = scf.for {{.*}} iter_args({{.*}}) -> (f32)
// CHECK:           arith.mulf %[[DOT]]
// CHECK:           scf.for %[[K:.*]] =
// CHECK:             memref.load %[[DW]][%[[K]]]
// CHECK:             memref.store %{{.*}}, %[[DW]][%[[K]]]
// CHECK:             memref.store %{{.*}}, %[[DX]][%[[I]], %[[K]]]
// CHECK:             memref.store %{{.*}}, %[[DZ]][%[[I]], %[[K]]]
// CHECK:         bufferization.to_tensor %[[DX]] restrict writable
// CHECK:         bufferization.to_tensor %[[DW]] restrict writable
// CHECK:         bufferization.to_tensor %[[DZ]] restrict writable
func.func @rms_norm_grad_gated(%x: tensor<4x8xf32>, %w: tensor<8xf32>,
    %z: tensor<4x8xf32>, %dy: tensor<4x8xf32>)
    -> (tensor<4x8xf32>, tensor<8xf32>, tensor<4x8xf32>) {
  %dx, %dw, %dz = ssm.rms_norm_grad %x, %w z(%z), %dy
      : tensor<4x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
      -> tensor<4x8xf32>, tensor<8xf32> dz tensor<4x8xf32>
  return %dx, %dw, %dz : tensor<4x8xf32>, tensor<8xf32>, tensor<4x8xf32>
}
