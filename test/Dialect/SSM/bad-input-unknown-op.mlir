// RUN: not ssm-opt %s 2>&1 | FileCheck %s

// An op the ssm dialect does not define is rejected where it is spelled.

// CHECK-NOT: module
func.func @unknown_op(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  // CHECK: bad-input-unknown-op.mlir:[[@LINE+2]]:8: error: custom op 'ssm.foo' is unknown
  // CHECK-NEXT: %y = ssm.foo %x
  %y = ssm.foo %x : (tensor<4x64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
// CHECK-NOT: module
