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

// A budget for the selective scan's block-scan backward kernel alone.
// RUN: ssm-opt %s "--ssm-gpu-register-budget=max-registers=200 scan-backward-max-registers=128" \
// RUN:   | FileCheck %s --check-prefix=BWD
// RUN: not ssm-opt %s "--ssm-gpu-register-budget=scan-backward-max-registers=300" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BADBWD
// BWD: gpu.func @scan() kernel attributes {nvvm.maxnreg = 200 : i32}
// BWD: gpu.func @ssm_selective_scan_grad_block_scan() kernel attributes {nvvm.maxnreg = 128 : i32}
// BADBWD: error: ssm-gpu-register-budget: scan-backward-max-registers = 300 is impossible
module attributes {gpu.container_module} {
  gpu.module @backward {
    gpu.func @ssm_selective_scan_grad_block_scan() kernel {
      gpu.return
    }
  }
}

// A budget larger than a block of 1024 threads can have is lowered to 64.
// RUN: ssm-opt %s --ssm-gpu-register-budget=max-registers=168 \
// RUN:   | FileCheck %s --check-prefix=CLAMP
// CLAMP: gpu.func @wide() kernel attributes {known_block_size = array<i32: 1024, 1, 1>, nvvm.maxnreg = 64 : i32}
module attributes {gpu.container_module} {
  gpu.module @wide_kernels {
    gpu.func @wide() kernel attributes {known_block_size = array<i32: 1024, 1, 1>} {
      gpu.return
    }
  }
}
