// REQUIRES: cuda
// RUN: ssm-compile %s --target=gpu -o %t.so
// RUN: ssm-run %t.so --entry linear --check | FileCheck %s --check-prefix=LINEAR
// RUN: ssm-run %t.so --entry linear --seed 4 --check | FileCheck %s --check-prefix=LINEAR
// RUN: ssm-run %t.so --entry linear_bf16 --check --tol 2e-2 \
// RUN:   | FileCheck %s --check-prefix=BF16
// RUN: ssm-compile %s --target=gpu --matmul-strategy=generated -o %t.gen.so
// RUN: ssm-run %t.gen.so --entry linear --check | FileCheck %s --check-prefix=LINEAR
// RUN: ssm-run %t.so --entry linear --seed 2 --dump %t.cublaslt
// RUN: ssm-run %t.so --entry linear --seed 2 --dump %t.cublaslt2
// RUN: diff -r %t.cublaslt %t.cublaslt2

// ssm.linear and its gradient on the GPU with cuBLASLt (the default for
// f32: x * W^T with the bias added onto a bias-filled output, dy * W, dy^T
// * x, the bias gradient a generated kernel) and with generated kernels,
// against the float64 reference; rows are a 3x37 collapse (shapes that no
// tile divides); two runs give the same bits. (cublaslt-tf32:
// linear-tf32.mlir.) bf16 activations always take
// the generated kernels (cuBLASLt here is f32 only).

// LINEAR: check y f32 {{.*}} PASS
// LINEAR: check dx f32 {{.*}} PASS
// LINEAR: check dweight f32 {{.*}} PASS
// LINEAR: check dbias f32 {{.*}} PASS
// LINEAR: check: 4 passed, 0 failed
func.func @linear(%x: tensor<3x37x70xf32>, %w: tensor<45x70xf32>,
    %b: tensor<45xf32>, %dy: tensor<3x37x45xf32>)
    -> (tensor<3x37x45xf32> {ssm.name = "y"}, tensor<3x37x70xf32>,
        tensor<45x70xf32>, tensor<45xf32>) {
  %y = ssm.linear %x, %w bias(%b)
      : (tensor<3x37x70xf32>, tensor<45x70xf32>, tensor<45xf32>)
      -> tensor<3x37x45xf32>
  %dx, %dw, %db = ssm.linear_grad %x, %w bias(%b), %dy
      : (tensor<3x37x70xf32>, tensor<45x70xf32>, tensor<45xf32>,
         tensor<3x37x45xf32>)
      -> (tensor<3x37x70xf32>, tensor<45x70xf32>, tensor<45xf32>)
  return %y, %dx, %dw, %db : tensor<3x37x45xf32>, tensor<3x37x70xf32>,
      tensor<45x70xf32>, tensor<45xf32>
}

// BF16: check y bf16 {{.*}} PASS
// BF16: check dx bf16 {{.*}} PASS
// BF16: check dweight f32 {{.*}} PASS
// BF16: check: 3 passed, 0 failed
func.func @linear_bf16(%x: tensor<64x33xbf16>, %w: tensor<17x33xf32>,
    %dy: tensor<64x17xbf16>)
    -> (tensor<64x17xbf16> {ssm.name = "y"}, tensor<64x33xbf16>,
        tensor<17x33xf32>) {
  %y = ssm.linear %x, %w : (tensor<64x33xbf16>, tensor<17x33xf32>) -> tensor<64x17xbf16>
  %dx, %dw = ssm.linear_grad %x, %w, %dy
      : (tensor<64x33xbf16>, tensor<17x33xf32>, tensor<64x17xbf16>)
      -> (tensor<64x33xbf16>, tensor<17x33xf32>)
  return %y, %dx, %dw : tensor<64x17xbf16>, tensor<64x33xbf16>, tensor<17x33xf32>
}
