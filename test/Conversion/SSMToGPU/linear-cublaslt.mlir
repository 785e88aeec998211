// RUN: ssm-opt %s --ssm-select-lowering=target=gpu --convert-ssm-to-gpu \
// RUN:   | FileCheck %s
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu matmul-strategy=generated' \
// RUN:   --convert-ssm-to-gpu | FileCheck %s --check-prefix=GENERATED
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu matmul-strategy=cublaslt-tf32' \
// RUN:   --convert-ssm-to-gpu | FileCheck %s --check-prefix=TF32
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu matmul-strategy=cublaslt-tf32' \
// RUN:   | FileCheck %s --check-prefix=TF32-ATTR

// The cublaslt strategy: every matrix product is a call of the runtime's
// ssmrt_matmul_f32 (C = op(A) op(B) + beta C, row-major) on the buffers
// collapsed to rows; the bias is a kernel filling y before the product
// adds onto it (beta 1), the bias gradient a kernel of column sums.

// CHECK: func.func private @ssmrt_matmul_f32(memref<?x?xf32>, memref<?x?xf32>, memref<?x?xf32>, i32, i32, f32, f32)
// CHECK-LABEL: func.func @forward(
// CHECK:         memref.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : memref<2x3x8xf32> into memref<6x8xf32>
// CHECK:         gpu.launch
// CHECK:         %[[T0:.*]] = arith.constant 0 : i32
// CHECK:         %[[T1:.*]] = arith.constant 1 : i32
// CHECK:         %[[ALPHA:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:         %[[BETA:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:         call @ssmrt_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[T0]], %[[T1]], %[[ALPHA]], %[[BETA]])
// CHECK-LABEL: func.func @backward(
// CHECK-NOT:     gpu.launch
// CHECK:         call @ssmrt_matmul_f32({{.*}}) : (memref<?x?xf32>, memref<?x?xf32>, memref<?x?xf32>, i32, i32, f32, f32) -> ()
// CHECK:         call @ssmrt_matmul_f32
// CHECK:         gpu.launch
// GENERATED-NOT: ssmrt_matmul_f32
// GENERATED: gpu.launch
func.func @forward(%x: tensor<2x3x8xf32>, %w: tensor<16x8xf32>,
    %b: tensor<16xf32>) -> tensor<2x3x16xf32> {
  %y = ssm.linear %x, %w bias(%b)
      : (tensor<2x3x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<2x3x16xf32>
  return %y : tensor<2x3x16xf32>
}

func.func @backward(%x: tensor<2x3x8xf32>, %w: tensor<16x8xf32>,
    %b: tensor<16xf32>, %dy: tensor<2x3x16xf32>)
    -> (tensor<2x3x8xf32>, tensor<16x8xf32>, tensor<16xf32>) {
  %dx, %dw, %db = ssm.linear_grad %x, %w bias(%b), %dy
      : (tensor<2x3x8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<2x3x16xf32>)
      -> (tensor<2x3x8xf32>, tensor<16x8xf32>, tensor<16xf32>)
  return %dx, %dw, %db : tensor<2x3x8xf32>, tensor<16x8xf32>, tensor<16xf32>
}

// cublaslt-tf32: the same calls, of the runtime's TF32 tensor-core product,
// and the choice is recorded on each op.
// TF32: func.func private @ssmrt_matmul_tf32(memref<?x?xf32>, memref<?x?xf32>, memref<?x?xf32>, i32, i32, f32, f32)
// TF32-NOT: ssmrt_matmul_f32
// TF32: call @ssmrt_matmul_tf32
// TF32-ATTR: ssm.linear {{.*}}strategy = "cublaslt-tf32"
