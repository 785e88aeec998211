// RUN: ssm-opt %s --ssm-outline-kernels | FileCheck %s

// Identical kernel ops (same op, attributes and types: two layers of a
// model) share one private function; an op that differs in a type or an
// attribute gets its own. The functions come before the entries.

// CHECK-LABEL: func.func private @ssm_kernel_rms_norm_0(
// CHECK-SAME:      %[[X:.*]]: tensor<4x8xf32>, %[[W:.*]]: tensor<8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT:    %[[Y:.*]] = ssm.rms_norm %[[X]], %[[W]] :
// CHECK-NEXT:    return %[[Y]]
// CHECK-LABEL: func.func private @ssm_kernel_rms_norm_1(
// CHECK:         ssm.rms_norm {{.*}} {eps = 1.000000e-03 : f32}
// CHECK-LABEL: func.func private @ssm_kernel_rms_norm_2(
// CHECK-SAME:      tensor<2x8xf32>
// CHECK-LABEL: func.func @layers(
// CHECK:         %[[A:.*]] = call @ssm_kernel_rms_norm_0(%arg0, %arg1)
// CHECK:         %[[B:.*]] = call @ssm_kernel_rms_norm_0(%[[A]], %arg2)
// CHECK:         %[[C:.*]] = call @ssm_kernel_rms_norm_1(%[[B]], %arg2)
// CHECK:         %[[D:.*]] = call @ssm_kernel_rms_norm_2(%arg3, %arg2)
// CHECK:         return %[[C]], %[[D]]
// CHECK-LABEL: func.func @other(
// CHECK:         call @ssm_kernel_rms_norm_0(
func.func @layers(%x: tensor<4x8xf32>, %w0: tensor<8xf32>, %w1: tensor<8xf32>,
    %small: tensor<2x8xf32>) -> (tensor<4x8xf32>, tensor<2x8xf32>) {
  %a = ssm.rms_norm %x, %w0 {eps = 1.0e-5 : f32}
      : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %b = ssm.rms_norm %a, %w1 {eps = 1.0e-5 : f32}
      : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %c = ssm.rms_norm %b, %w1 {eps = 1.0e-3 : f32}
      : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %d = ssm.rms_norm %small, %w1 {eps = 1.0e-5 : f32}
      : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %c, %d : tensor<4x8xf32>, tensor<2x8xf32>
}

func.func @other(%x: tensor<4x8xf32>, %w: tensor<8xf32>) -> tensor<4x8xf32> {
  %y = ssm.rms_norm %x, %w {eps = 1.0e-5 : f32}
      : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
