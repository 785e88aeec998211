// RUN: ssm-opt %s --ssm-select-lowering=target=gpu | FileCheck %s --check-prefix=DEFAULT
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu matmul-strategy=generated' \
// RUN:   | FileCheck %s --check-prefix=GENERATED
// RUN: ssm-opt %s --ssm-select-lowering=target=cpu | FileCheck %s --check-prefix=CPU
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu matmul-strategy=cublaslt' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BF16
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu matmul-strategy=mkl' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=UNKNOWN
// RUN: not ssm-opt %s '--ssm-select-lowering=target=cpu matmul-strategy=generated' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ON-CPU

// The matrix products of ssm.linear and its gradient: cuBLASLt by default
// for f32 on the GPU, generated kernels for bf16/f16 (cuBLASLt here is f32
// only) and on request; the CPU has loops only, with no strategy.

// DEFAULT: ssm.linear %arg0{{.*}}strategy = "cublaslt"
// DEFAULT: ssm.linear_grad{{.*}}strategy = "cublaslt"{{.*}}deterministic = true
// DEFAULT: ssm.linear %arg3{{.*}}strategy = "generated"
// GENERATED-COUNT-3: strategy = "generated"
// CPU-NOT: strategy
// BF16: error: 'ssm.linear' op cannot be lowered with matmul-strategy=cublaslt on gpu (variant "fused"): its strategies are 'generated'
// UNKNOWN: error: ssm-select-lowering: matmul-strategy = 'mkl' is unknown: expected 'cublaslt', 'cublaslt-tf32' or 'generated'
// ON-CPU: error: ssm-select-lowering: matmul-strategy applies only to target=gpu, not target=cpu
func.func @f(%x: tensor<4x8xf32>, %w: tensor<16x8xf32>, %dy: tensor<4x16xf32>,
    %xb: tensor<4x8xbf16>)
    -> (tensor<4x16xf32>, tensor<4x8xf32>, tensor<16x8xf32>, tensor<4x16xbf16>) {
  %y = ssm.linear %x, %w : (tensor<4x8xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
  %dx, %dw = ssm.linear_grad %x, %w, %dy
      : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<4x16xf32>)
      -> (tensor<4x8xf32>, tensor<16x8xf32>)
  %yb = ssm.linear %xb, %w : (tensor<4x8xbf16>, tensor<16x8xf32>) -> tensor<4x16xbf16>
  return %y, %dx, %dw, %yb
      : tensor<4x16xf32>, tensor<4x8xf32>, tensor<16x8xf32>, tensor<4x16xbf16>
}
