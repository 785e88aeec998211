// RUN: not ssm-opt %s 2>&1 | FileCheck %s

// An attribute of a dialect that ssm-opt does not register is rejected where
// it is spelled.

// CHECK-NOT: module
func.func @unknown_dialect_attr(%x: tensor<4x64xf32>, %w: tensor<64xf32>) -> tensor<4x64xf32> {
  // CHECK: bad-input-unknown-dialect-attr.mlir:[[@LINE+1]]:46: error: #"nodialect"<"bar"> : 'none' attribute created with unregistered dialect
  %y = ssm.rms_norm %x, %w {foo = #nodialect.bar} : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
// CHECK-NOT: module
