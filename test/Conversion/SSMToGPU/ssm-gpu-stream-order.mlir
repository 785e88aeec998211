// RUN: ssm-opt %s --ssm-gpu-stream-order | FileCheck %s
// RUN: ssm-opt %s --ssm-gpu-stream-order --ssm-gpu-stream-order \
// RUN:   | FileCheck %s

// Host-level launches become async launches, the GPU ops of a function are
// chained by their tokens in program order (the first one starts from a
// `gpu.wait async`), and the blocking waits are gone: nothing in an entry
// waits on the host, the caller synchronises. A call (an outlined kernel
// op) stays between the ops around it; its own ops are chained in its own
// body. The second RUN line checks that the pass is idempotent.

module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @scale(%buf: memref<64xf32>) kernel {
      gpu.return
    }
  }

  // CHECK-LABEL: func.func private @outlined_op(
  // CHECK-SAME:      %[[BUF:[^:]+]]: memref<64xf32>) {
  // CHECK:         %[[T0:.*]] = gpu.wait async
  // CHECK-NEXT:    %[[L0:.*]] = gpu.launch_func async [%[[T0]]] @kernels::@scale
  // CHECK-SAME:        args(%[[BUF]] : memref<64xf32>)
  // CHECK-NEXT:    %{{.*}} = gpu.launch_func async [%[[L0]]] @kernels::@scale
  // CHECK-NEXT:    return
  func.func private @outlined_op(%buf: memref<64xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @kernels::@scale blocks in (%c1, %c1, %c1)
        threads in (%c1, %c1, %c1) args(%buf : memref<64xf32>)
    gpu.launch_func @kernels::@scale blocks in (%c1, %c1, %c1)
        threads in (%c1, %c1, %c1) args(%buf : memref<64xf32>)
    return
  }

  // CHECK-LABEL: func.func @entry(
  // CHECK-SAME:      %[[OUT:[^:]+]]: memref<64xf32>) {
  // CHECK:         %[[T0:.*]] = gpu.wait async
  // CHECK-NEXT:    %[[A:.*]], %[[T1:.*]] = gpu.alloc async [%[[T0]]] () : memref<64xf32>
  // CHECK-NEXT:    %[[T2:.*]] = gpu.launch_func async [%[[T1]]] @kernels::@scale
  // CHECK-SAME:        args(%[[A]] : memref<64xf32>)
  // CHECK-NEXT:    call @outlined_op(%[[A]])
  // CHECK-NEXT:    %[[T3:.*]] = gpu.memcpy async [%[[T2]]] %[[OUT]], %[[A]]
  // CHECK-NEXT:    %{{.*}} = gpu.dealloc async [%[[T3]]] %[[A]]
  // CHECK-NEXT:    return
  // CHECK-NOT:     gpu.wait
  func.func @entry(%out: memref<64xf32>) {
    %c1 = arith.constant 1 : index
    %t0 = gpu.wait async
    %a, %t1 = gpu.alloc async [%t0] () : memref<64xf32>
    gpu.wait [%t1]
    gpu.launch_func @kernels::@scale blocks in (%c1, %c1, %c1)
        threads in (%c1, %c1, %c1) args(%a : memref<64xf32>)
    call @outlined_op(%a) : (memref<64xf32>) -> ()
    %t2 = gpu.wait async
    %t3 = gpu.memcpy async [%t2] %out, %a : memref<64xf32>, memref<64xf32>
    gpu.wait [%t3]
    %t4 = gpu.wait async
    %t5 = gpu.dealloc async [%t4] %a : memref<64xf32>
    gpu.wait [%t5]
    return
  }
}
