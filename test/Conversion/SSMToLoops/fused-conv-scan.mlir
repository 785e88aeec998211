// RUN: ssm-opt %s --ssm-fuse=variant=fused-conv-scan --convert-ssm-to-loops \
// RUN:   | FileCheck %s

// An ssm.fusion "fused-conv-scan" becomes the sequential scan (a point per
// (batch, channel)) reading u through the region's convolution: the
// values the region reads from above enter as buffers, the fusion's results
// are its only allocations (the convolution's output has none), the W
// weights and the bias are loaded once per point, and every position's u is
// silu(bias + sum_k w[k] x[t-(W-1)+k]) over clamped, masked reads of x.

// CHECK-LABEL: func.func @fwd(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<2x4x16xf32>, %[[W:[^:]+]]: tensor<4x3xf32>, %[[BIAS:[^:]+]]: tensor<4xf32>,
// CHECK-NOT:     ssm.
// CHECK-DAG:     %[[XB:.*]] = bufferization.to_buffer %[[X]] read_only
// CHECK-DAG:     %[[WB:.*]] = bufferization.to_buffer %[[W]] read_only
// CHECK-DAG:     %[[BB:.*]] = bufferization.to_buffer %[[BIAS]] read_only
// CHECK:         %[[Y:.*]] = memref.alloc() : memref<2x4x16xf32>
// CHECK-NEXT:    %[[S:.*]] = memref.alloc() : memref<2x4x5xf32>
// CHECK-NOT:     memref.alloc(
// CHECK:         scf.for %[[B:.*]] = {{.*}} {
// CHECK:           scf.for %[[D:.*]] = {{.*}} {
// CHECK:             memref.load %[[WB]][%[[D]], %{{.*}}] : memref<4x3xf32>
// CHECK:             memref.load %[[WB]][%[[D]], %{{.*}}] : memref<4x3xf32>
// CHECK:             memref.load %[[WB]][%[[D]], %{{.*}}] : memref<4x3xf32>
// CHECK:             memref.load %[[BB]][%[[D]]] : memref<4xf32>
// CHECK:             scf.for %[[T:.*]] = {{.*}} {
// CHECK-NOT:           memref.load %[[WB]]
// CHECK:               arith.cmpi sge
// CHECK:               arith.maxsi
// CHECK:               memref.load %[[XB]][%[[B]], %[[D]], %{{.*}}] : memref<2x4x16xf32>
// CHECK:               arith.select
// CHECK:               memref.load %[[XB]][%[[B]], %[[D]], %{{.*}}] : memref<2x4x16xf32>
// CHECK:               memref.load %[[XB]][%[[B]], %[[D]], %{{.*}}] : memref<2x4x16xf32>
// CHECK:               arith.negf
// CHECK:               math.exp
// CHECK:               arith.divf
// CHECK:               memref.store %{{.*}}, %[[Y]][%[[B]], %[[D]], %[[T]]]
// CHECK:           memref.store %{{.*}}, %[[S]][%[[B]], %[[D]], %{{.*}}]
// CHECK-NOT:     memref.alloc(
// CHECK:         %[[YT:.*]] = bufferization.to_tensor %[[Y]] restrict writable
// CHECK:         %[[ST:.*]] = bufferization.to_tensor %[[S]] restrict writable
// CHECK:         return %[[YT]], %[[ST]]
func.func @fwd(%x: tensor<2x4x16xf32>, %w: tensor<4x3xf32>, %bias: tensor<4xf32>,
    %delta: tensor<2x4x16xf32>, %A: tensor<4x5xf32>, %B: tensor<2x1x5x16xf32>,
    %C: tensor<2x1x5x16xf32>) -> (tensor<2x4x16xf32>, tensor<2x4x5xf32>) {
  %u = ssm.causal_conv1d %x, %w bias(%bias) activation silu
      : (tensor<2x4x16xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4x16xf32>
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<4x5xf32>,
         tensor<2x1x5x16xf32>, tensor<2x1x5x16xf32>)
      -> (tensor<2x4x16xf32>, tensor<2x4x5xf32>)
  return %y, %s : tensor<2x4x16xf32>, tensor<2x4x5xf32>
}

// The backward: the region holds the convolution and the scan's gradient;
// its results (du first) are allocated, plus the states saved per chunk
// ([points, chunks, N]), but no [B,D,L] buffer for u. du leaves the region
// as a tensor and is what the convolution's gradient, outside, reads; the
// convolution is recomputed in each of the gradient's three walks.
// CHECK-LABEL: func.func @bwd(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<2x4x16xf32>, %[[W:[^:]+]]: tensor<4x3xf32>,
// CHECK-NOT:     ssm.
// CHECK:         %[[XB:.*]] = bufferization.to_buffer %[[X]] read_only
// CHECK:         %[[DU:.*]] = memref.alloc() : memref<2x4x16xf32>
// CHECK-NEXT:    %[[DDELTA:.*]] = memref.alloc() : memref<2x4x16xf32>
// CHECK-NEXT:    memref.alloc() : memref<4x5xf32>
// CHECK-NEXT:    memref.alloc() : memref<2x1x5x16xf32>
// CHECK-NEXT:    memref.alloc() : memref<2x1x5x16xf32>
// CHECK-NOT:     memref.alloc() : memref<2x4x16xf32>
// CHECK:         memref.alloc() : memref<8x1x5xf32>
// CHECK-NOT:     memref.alloc() : memref<2x4x16xf32>
// CHECK-COUNT-9: memref.load %[[XB]]
// CHECK-NOT:     memref.load %[[XB]]
// CHECK:         %[[DUT:.*]] = bufferization.to_tensor %[[DU]] restrict writable
// CHECK:         bufferization.to_buffer %[[X]] read_only
// CHECK:         bufferization.to_buffer %[[DUT]] read_only
// CHECK:         %[[DX:.*]] = memref.alloc() : memref<2x4x16xf32>
// CHECK:         return
func.func @bwd(%x: tensor<2x4x16xf32>, %w: tensor<4x3xf32>,
    %delta: tensor<2x4x16xf32>, %A: tensor<4x5xf32>, %B: tensor<2x1x5x16xf32>,
    %C: tensor<2x1x5x16xf32>, %dy: tensor<2x4x16xf32>)
    -> (tensor<2x4x16xf32>, tensor<4x5xf32>, tensor<2x1x5x16xf32>,
        tensor<2x1x5x16xf32>, tensor<2x4x16xf32>, tensor<4x3xf32>) {
  %u = ssm.causal_conv1d %x, %w activation silu
      : (tensor<2x4x16xf32>, tensor<4x3xf32>) -> tensor<2x4x16xf32>
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<4x5xf32>,
        tensor<2x1x5x16xf32>, tensor<2x1x5x16xf32>, tensor<2x4x16xf32>
      -> tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<4x5xf32>,
         tensor<2x1x5x16xf32>, tensor<2x1x5x16xf32>
  %dx, %dw = ssm.causal_conv1d_grad %x, %w, %du activation silu
      : (tensor<2x4x16xf32>, tensor<4x3xf32>, tensor<2x4x16xf32>)
      -> (tensor<2x4x16xf32>, tensor<4x3xf32>)
  return %ddelta, %dA, %dB, %dC, %dx, %dw : tensor<2x4x16xf32>, tensor<4x5xf32>,
      tensor<2x1x5x16xf32>, tensor<2x1x5x16xf32>, tensor<2x4x16xf32>,
      tensor<4x3xf32>
}

// A region written by hand may yield a scan result twice, a value defined
// above it, and drop one: the first yield of a result is written in place,
// the others are copies, and the dropped last_state gets scratch.
// CHECK-LABEL: func.func @hand_written(
// CHECK-SAME:    %{{[^:]+}}: tensor<1x2x8xf32>, %{{[^:]+}}: tensor<2x4xf32>, %[[DELTA:[^:]+]]: tensor<1x2x8xf32>,
// CHECK:         %[[DELTAB:.*]] = bufferization.to_buffer %[[DELTA]] read_only
// CHECK:         %[[R0:.*]] = memref.alloc() : memref<1x2x8xf32>
// CHECK-NEXT:    %[[R1:.*]] = memref.alloc() : memref<1x2x8xf32>
// CHECK-NEXT:    %[[R2:.*]] = memref.alloc() : memref<1x2x8xf32>
// CHECK-NEXT:    %[[SCRATCH:.*]] = memref.alloc() : memref<1x2x3xf32>
// CHECK:         memref.store %{{.*}}, %[[R0]]
// CHECK:         memref.store %{{.*}}, %[[SCRATCH]]
// CHECK:         memref.copy %[[R0]], %[[R1]]
// CHECK-NEXT:    memref.copy %[[DELTAB]], %[[R2]]
func.func @hand_written(%x: tensor<1x2x8xf32>, %w: tensor<2x4xf32>,
    %delta: tensor<1x2x8xf32>, %A: tensor<2x3xf32>, %B: tensor<1x1x3x8xf32>,
    %C: tensor<1x1x3x8xf32>)
    -> (tensor<1x2x8xf32>, tensor<1x2x8xf32>, tensor<1x2x8xf32>) {
  %r:3 = ssm.fusion "fused-conv-scan"
      -> tensor<1x2x8xf32>, tensor<1x2x8xf32>, tensor<1x2x8xf32> {
    %u = ssm.causal_conv1d %x, %w activation silu
        : (tensor<1x2x8xf32>, tensor<2x4xf32>) -> tensor<1x2x8xf32>
    %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
        : (tensor<1x2x8xf32>, tensor<1x2x8xf32>, tensor<2x3xf32>,
           tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>)
        -> (tensor<1x2x8xf32>, tensor<1x2x3xf32>)
    ssm.yield %y, %y, %delta
        : tensor<1x2x8xf32>, tensor<1x2x8xf32>, tensor<1x2x8xf32>
  }
  return %r#0, %r#1, %r#2
      : tensor<1x2x8xf32>, tensor<1x2x8xf32>, tensor<1x2x8xf32>
}
