// REQUIRES: cuda
// RUN: ssm-compile %s --target=gpu --matmul-strategy=cublaslt-tf32 -o %t.so
// RUN: ssm-run %t.so --entry linear --check | FileCheck %s
// RUN: ssm-run %t.so --entry linear --seed 5 --check | FileCheck %s

// ssm.linear and its gradient with cuBLASLt on TF32 tensor cores (inputs
// rounded to a 10-bit mantissa, f32 accumulation) against the float64
// reference: --check reads the strategy from the manifest and checks the
// f32 results at f16's tolerance (5e-3), with no --tol.

// CHECK: check y f32 {{.*}} tol=0.005 PASS
// CHECK: check dx f32 {{.*}} PASS
// CHECK: check dweight f32 {{.*}} PASS
// CHECK: check dbias f32 {{.*}} PASS
// CHECK: check: 4 passed, 0 failed
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
