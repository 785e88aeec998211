// A workload whose tensors cannot be allocated (256 TiB for `x`, more than the
// x86-64 address space, so that even an overcommitting kernel refuses) compiles,
// and ssm-run stops with a clear error instead of crashing.
// RUN: ssm-compile %s --target=cpu -o %t.so
// RUN: not ssm-run %t.so 2>&1 | FileCheck %s
// CHECK: entry: big (2 arguments, 1 result)
// CHECK: error: cannot allocate 281474976710656 bytes of host memory
func.func @big(%x: tensor<16384x16384x262144xf32>, %w: tensor<16384x4xf32>) -> tensor<16384x16384x262144xf32> {
  %y = ssm.causal_conv1d %x, %w activation none : (tensor<16384x16384x262144xf32>, tensor<16384x4xf32>) -> tensor<16384x16384x262144xf32>
  return %y : tensor<16384x16384x262144xf32>
}
