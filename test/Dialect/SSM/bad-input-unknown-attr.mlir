// RUN: not ssm-opt %s 2>&1 | FileCheck %s

// The ssm dialect defines one attribute, #ssm.lowering; any other `#ssm.`
// attribute is rejected where it is spelled.

// CHECK-NOT: module
func.func @unknown_ssm_attr(%x: tensor<4x64xf32>, %w: tensor<64xf32>) -> tensor<4x64xf32> {
  // CHECK: bad-input-unknown-attr.mlir:[[@LINE+1]]:40: error: unknown attribute `bar` in dialect `ssm`
  %y = ssm.rms_norm %x, %w {foo = #ssm.bar} : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
// CHECK-NOT: module
