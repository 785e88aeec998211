// RUN: not ssm-opt %s 2>&1 | FileCheck %s

// An unknown op of the registered ssm dialect in the generic form is rejected
// too (ssm-opt does not allow unregistered operations by default).

// CHECK-NOT: module
func.func @unknown_generic_op(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  // CHECK: bad-input-unknown-generic-op.mlir:[[@LINE+1]]:8: error: unregistered operation 'ssm.foo' found in dialect ('ssm') that does not allow unknown operations
  %y = "ssm.foo"(%x) : (tensor<4x64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
// CHECK-NOT: module
