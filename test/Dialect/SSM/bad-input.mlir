// RUN: not ssm-opt %s 2>&1 | FileCheck %s

// A syntax error (a missing comma between the operands of an ssm op) is
// reported at its line and column, with the offending source line, and
// ssm-opt exits non-zero without printing any IR.

// CHECK-NOT: module
func.func @missing_comma(%x: tensor<4x64xf32>, %w: tensor<64xf32>) -> tensor<4x64xf32> {
  // CHECK: bad-input.mlir:[[@LINE+2]]:23: error: expected ','
  // CHECK-NEXT: %y = ssm.rms_norm %x %w
  %y = ssm.rms_norm %x %w : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
// CHECK-NOT: module
