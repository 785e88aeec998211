// RUN: not ssm-opt %s 2>&1 | FileCheck %s

// The ssm dialect defines no types; an `!ssm.` type is rejected where it is
// spelled.

// CHECK-NOT: module
func.func @unknown_ssm_type(%x: tensor<4x64xf32>, %w: tensor<64xf32>) {
  // CHECK: bad-input-unknown-type.mlir:[[@LINE+1]]:73: error: dialect 'ssm' provides no type parsing hook
  %y = ssm.rms_norm %x, %w : (tensor<4x64xf32>, tensor<64xf32>) -> !ssm.foo
  return
}
// CHECK-NOT: module
