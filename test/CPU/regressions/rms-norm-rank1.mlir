// BUG: rank-1 rms_norm / rms_norm_grad (x of shape [D]: zero leading
// dimensions, so an empty parallel nest) fails to lower:
//   error: 'memref.alloca_scope.return' op must be the last operation in the parent block
// RUN: ssm-compile %s --target=cpu -o %t.so
// RUN: ssm-run %t.so --entry fwd_rank1 --check | FileCheck %s --check-prefix=FWD
// RUN: ssm-run %t.so --entry grad_rank1 --check | FileCheck %s --check-prefix=GRAD
// RUN: ssm-opt %s --convert-ssm-to-loops | ssm-opt
// FWD: check y f32 {{.*}} PASS
// FWD: check: 1 passed, 0 failed
// GRAD: check dx f32 {{.*}} PASS
// GRAD: check dweight f32 {{.*}} PASS
// GRAD: check: 2 passed, 0 failed
func.func @fwd_rank1(%x: tensor<16xf32>, %w: tensor<16xf32>) -> tensor<16xf32> {
  %y = ssm.rms_norm %x, %w : (tensor<16xf32>, tensor<16xf32>) -> tensor<16xf32>
  return %y : tensor<16xf32>
}
func.func @grad_rank1(%x: tensor<16xf32>, %w: tensor<16xf32>, %dy: tensor<16xf32>)
    -> (tensor<16xf32>, tensor<16xf32>) {
  %dx, %dw = ssm.rms_norm_grad %x, %w, %dy
      : tensor<16xf32>, tensor<16xf32>, tensor<16xf32>
      -> tensor<16xf32>, tensor<16xf32>
  return %dx, %dw : tensor<16xf32>, tensor<16xf32>
}
