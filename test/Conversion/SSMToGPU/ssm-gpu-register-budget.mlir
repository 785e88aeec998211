// RUN: ssm-opt %s --ssm-gpu-register-budget=max-registers=168 | FileCheck %s
// RUN: ssm-opt %s --ssm-gpu-register-budget | FileCheck %s --check-prefix=NONE
// RUN: not ssm-opt %s --ssm-gpu-register-budget=max-registers=8 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD

// CHECK-LABEL: gpu.module @kernels
// CHECK: gpu.func @scan() kernel attributes {nvvm.maxnreg = 168 : i32}
// CHECK: gpu.func @helper() {
// NONE-NOT: nvvm.maxnreg
// BAD: error: ssm-gpu-register-budget: max-registers = 8 is impossible: use 0 or a budget between 16 and 255
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @scan() kernel {
      gpu.return
    }
    gpu.func @helper() {
      gpu.return
    }
  }
}
