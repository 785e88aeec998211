// RUN: ssm-opt %s --ssm-forward-out-params | FileCheck %s

// After buffer-results-to-out-params: a buffer written by a call and copied
// into an out-parameter becomes the out-parameter itself.

func.func private @kernel(memref<4xf32>, memref<4xf32>)

// CHECK-LABEL: func.func @forwarded(
// CHECK-SAME:      %[[IN:.*]]: memref<4xf32>, %[[OUT:.*]]: memref<4xf32>)
// CHECK-NEXT:    call @kernel(%[[IN]], %[[OUT]])
// CHECK-NEXT:    return
func.func @forwarded(%in: memref<4xf32>, %out: memref<4xf32>) {
  %a = memref.alloc() : memref<4xf32>
  call @kernel(%in, %a) : (memref<4xf32>, memref<4xf32>) -> ()
  memref.copy %a, %out : memref<4xf32> to memref<4xf32>
  memref.dealloc %a : memref<4xf32>
  return
}

// The buffer is read after the copy (by another kernel): it stays.
// CHECK-LABEL: func.func @read_after(
// CHECK:         memref.alloc
// CHECK:         memref.copy
func.func @read_after(%in: memref<4xf32>, %out: memref<4xf32>,
    %out2: memref<4xf32>) {
  %a = memref.alloc() : memref<4xf32>
  call @kernel(%in, %a) : (memref<4xf32>, memref<4xf32>) -> ()
  memref.copy %a, %out : memref<4xf32> to memref<4xf32>
  call @kernel(%a, %out2) : (memref<4xf32>, memref<4xf32>) -> ()
  return
}

// The out-parameter has another use: it stays.
// CHECK-LABEL: func.func @out_used(
// CHECK:         memref.alloc
// CHECK:         memref.copy
func.func @out_used(%in: memref<4xf32>, %out: memref<4xf32>) {
  call @kernel(%in, %out) : (memref<4xf32>, memref<4xf32>) -> ()
  %a = memref.alloc() : memref<4xf32>
  call @kernel(%in, %a) : (memref<4xf32>, memref<4xf32>) -> ()
  memref.copy %a, %out : memref<4xf32> to memref<4xf32>
  return
}
