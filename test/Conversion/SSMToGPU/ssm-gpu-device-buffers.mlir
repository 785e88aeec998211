// RUN: ssm-opt %s --ssm-gpu-device-buffers | FileCheck %s
// RUN: ssm-opt %s --ssm-gpu-device-buffers --ssm-gpu-device-buffers \
// RUN:   | FileCheck %s

// Host-side memref.alloc / memref.copy / memref.dealloc become the async
// gpu.alloc / gpu.memcpy / gpu.dealloc, each started by `gpu.wait async` (a
// token that the queued work is done) and joined by a blocking `gpu.wait` on
// its own token. Everything inside a kernel (gpu.launch body or gpu.func) is
// left alone. The second RUN line checks that the pass is idempotent.

// CHECK-LABEL: func.func @host_buffers(
// CHECK-SAME:      %[[SRC:[^:]+]]: memref<4x8xf32>) -> memref<4x8xf32> {
// CHECK-NEXT:    %[[T0:.*]] = gpu.wait async
// CHECK-NEXT:    %[[A:.*]], %[[T1:.*]] = gpu.alloc async [%[[T0]]] () : memref<4x8xf32>
// CHECK-NEXT:    gpu.wait [%[[T1]]]
// CHECK-NEXT:    %[[T2:.*]] = gpu.wait async
// CHECK-NEXT:    %[[T3:.*]] = gpu.memcpy async [%[[T2]]] %[[A]], %[[SRC]] : memref<4x8xf32>, memref<4x8xf32>
// CHECK-NEXT:    gpu.wait [%[[T3]]]
// CHECK-NEXT:    %[[T4:.*]] = gpu.wait async
// CHECK-NEXT:    %[[B:.*]], %[[T5:.*]] = gpu.alloc async [%[[T4]]] () : memref<4x8xf32>
// CHECK-NEXT:    gpu.wait [%[[T5]]]
// CHECK-NEXT:    %[[T6:.*]] = gpu.wait async
// CHECK-NEXT:    %[[T7:.*]] = gpu.memcpy async [%[[T6]]] %[[B]], %[[A]] : memref<4x8xf32>, memref<4x8xf32>
// CHECK-NEXT:    gpu.wait [%[[T7]]]
// CHECK-NEXT:    %[[T8:.*]] = gpu.wait async
// CHECK-NEXT:    %[[T9:.*]] = gpu.dealloc async [%[[T8]]] %[[A]] : memref<4x8xf32>
// CHECK-NEXT:    gpu.wait [%[[T9]]]
// CHECK-NEXT:    return %[[B]] : memref<4x8xf32>
// CHECK-NOT:     memref.alloc
func.func @host_buffers(%src: memref<4x8xf32>) -> memref<4x8xf32> {
  %a = memref.alloc() : memref<4x8xf32>
  memref.copy %src, %a : memref<4x8xf32> to memref<4x8xf32>
  %b = memref.alloc() : memref<4x8xf32>
  memref.copy %a, %b : memref<4x8xf32> to memref<4x8xf32>
  memref.dealloc %a : memref<4x8xf32>
  return %b : memref<4x8xf32>
}

// Dynamic sizes carry over to gpu.alloc.
// CHECK-LABEL: func.func @dynamic_size(
// CHECK-SAME:      %[[N:[^:]+]]: index) {
// CHECK-NEXT:    %[[T0:.*]] = gpu.wait async
// CHECK-NEXT:    %[[A:.*]], %[[T1:.*]] = gpu.alloc async [%[[T0]]] (%[[N]]) : memref<?x8xf32>
// CHECK-NEXT:    gpu.wait [%[[T1]]]
// CHECK-NEXT:    %[[T2:.*]] = gpu.wait async
// CHECK-NEXT:    %[[T3:.*]] = gpu.dealloc async [%[[T2]]] %[[A]] : memref<?x8xf32>
// CHECK-NEXT:    gpu.wait [%[[T3]]]
// CHECK-NEXT:    return
func.func @dynamic_size(%n: index) {
  %a = memref.alloc(%n) : memref<?x8xf32>
  memref.dealloc %a : memref<?x8xf32>
  return
}

// The buffer a kernel writes is allocated on the device; the private
// alloca, alloc, copy and dealloc inside the kernel stay as they are.
// CHECK-LABEL: func.func @inside_launch(
// CHECK:         %[[OUT:.*]], %[[T1:.*]] = gpu.alloc async [%{{.*}}] () : memref<4xf32>
// CHECK-NEXT:    gpu.wait [%[[T1]]]
// CHECK:         gpu.launch
// CHECK-NEXT:      %[[S:.*]] = memref.alloca() : memref<2xf32>
// CHECK-NEXT:      %[[H:.*]] = memref.alloc() : memref<2xf32>
// CHECK-NEXT:      memref.copy %[[S]], %[[H]] : memref<2xf32> to memref<2xf32>
// CHECK-NEXT:      %[[V:.*]] = memref.load %[[H]]
// CHECK-NEXT:      memref.store %[[V]], %[[OUT]]
// CHECK-NEXT:      memref.dealloc %[[H]] : memref<2xf32>
// CHECK-NEXT:      gpu.terminator
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[OUT]]
func.func @inside_launch() -> memref<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %out = memref.alloc() : memref<4xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c4, %sy = %c1, %sz = %c1) {
    %s = memref.alloca() : memref<2xf32>
    %h = memref.alloc() : memref<2xf32>
    memref.copy %s, %h : memref<2xf32> to memref<2xf32>
    %v = memref.load %h[%c0] : memref<2xf32>
    memref.store %v, %out[%tx] : memref<4xf32>
    memref.dealloc %h : memref<2xf32>
    gpu.terminator
  }
  return %out : memref<4xf32>
}

// A host-side alloca is stack memory, not a heap allocation: untouched.
// CHECK-LABEL: func.func @host_alloca(
// CHECK-NOT:     gpu.
// CHECK:         memref.alloca() : memref<2xf32>
// CHECK-NOT:     gpu.
// CHECK:         return
func.func @host_alloca() -> f32 {
  %c0 = arith.constant 0 : index
  %s = memref.alloca() : memref<2xf32>
  %v = memref.load %s[%c0] : memref<2xf32>
  return %v : f32
}

// An outlined kernel (gpu.func) is device code too.
// CHECK-LABEL: gpu.module @kernels
// CHECK:         gpu.func @kernel(%[[ARG:[^:]+]]: memref<2xf32>) kernel {
// CHECK-NEXT:      %[[H:.*]] = memref.alloc() : memref<2xf32>
// CHECK-NEXT:      memref.copy %[[H]], %[[ARG]] : memref<2xf32> to memref<2xf32>
// CHECK-NEXT:      memref.dealloc %[[H]] : memref<2xf32>
// CHECK-NEXT:      gpu.return
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @kernel(%out: memref<2xf32>) kernel {
      %h = memref.alloc() : memref<2xf32>
      memref.copy %h, %out : memref<2xf32> to memref<2xf32>
      memref.dealloc %h : memref<2xf32>
      gpu.return
    }
  }
}
