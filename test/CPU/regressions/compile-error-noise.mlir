// USABILITY: module-level ssm-compile errors (unknown --target, no public
// function, a failed link, a bad --chunk-len) carry a "see current
// operation:" note that prints the whole module in generic form (for a
// failed link: the entire lowered LLVM-dialect module, thousands of lines).
// RUN: not ssm-compile %s --target=foo -o %t.so 2>&1 | FileCheck %s
// RUN: not ssm-compile %s --target=cpu -o %t.nodir/x.so 2>&1 | FileCheck %s --check-prefix=LINK
// CHECK: error: unknown target 'foo': expected 'cpu' or 'gpu'
// CHECK-NOT: see current operation
// LINK: error: linking {{.*}} failed
// LINK-NOT: see current operation
func.func @f(%x: tensor<4x8xf32>, %w: tensor<8xf32>) -> tensor<4x8xf32> {
  %y = ssm.rms_norm %x, %w : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
