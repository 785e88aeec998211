// Tensors too large for 64-bit indices anywhere in the input, not only on
// ssm ops (issue 15): ssm-select-lowering, the first pass of both pipelines
// and of ssm-compile, refuses them with one located error naming the value
// and its size, before a lowering forms a product that wraps.

// RUN: not ssm-opt %s --ssm-select-lowering 2>&1 | FileCheck %s
// RUN: not ssm-opt %s --ssm-cpu-pipeline 2>&1 | FileCheck %s
// RUN: not ssm-opt %s '--ssm-gpu-pipeline=cubin-format=isa' 2>&1 | FileCheck %s
// RUN: not ssm-compile %s --target=cpu -o %t.so 2>&1 | FileCheck %s
// RUN: not ls %t.so

// CHECK: select-lowering-sizes.mlir:[[@LINE+2]]:18: error: argument #0 of type 'tensor<4294967296x4294967296xf32>' is too large: 73786976294838206464 bytes, more than the 2^62 that 64-bit indices into it can address
// CHECK-NOT: error
func.func @twice(%x: tensor<4294967296x4294967296xf32>) -> tensor<4294967296x4294967296xf32> {
  %y = arith.addf %x, %x : tensor<4294967296x4294967296xf32>
  return %y : tensor<4294967296x4294967296xf32>
}
