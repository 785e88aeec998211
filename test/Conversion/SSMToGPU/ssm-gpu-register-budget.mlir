// RUN: ssm-opt %s --split-input-file --ssm-gpu-register-budget | FileCheck %s

// Each kernel gets the register budget of the lowering it implements
// (module attribute ssm.kernels, which convert-ssm-to-gpu fills); kernels
// whose lowering has none, kernels not in the table and non-kernel
// functions are left alone.
// CHECK-LABEL: gpu.module @kernels
// CHECK: gpu.func @scan() kernel attributes {nvvm.maxnreg = 168 : i32}
// CHECK: gpu.func @norm() kernel {
// CHECK: gpu.func @unknown() kernel {
// CHECK: gpu.func @helper() {
module attributes {gpu.container_module, ssm.kernels = {
    scan = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-scan", strategy = "block-scan", threads_per_block = 128, items_per_thread = 8, channels_per_block = 1, max_registers = 168>,
    norm = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused", threads_per_block = 128>}} {
  gpu.module @kernels {
    gpu.func @scan() kernel {
      gpu.return
    }
    gpu.func @norm() kernel {
      gpu.return
    }
    gpu.func @unknown() kernel {
      gpu.return
    }
    gpu.func @helper() {
      gpu.return
    }
  }
}

// -----

// A budget larger than a block of 1024 threads can have is lowered to 64.
// CHECK-LABEL: gpu.module @wide_kernels
// CHECK: gpu.func @wide() kernel attributes {known_block_size = array<i32: 1024, 1, 1>, nvvm.maxnreg = 64 : i32}
module attributes {gpu.container_module, ssm.kernels = {
    wide = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused", threads_per_block = 1024, max_registers = 168>}} {
  gpu.module @wide_kernels {
    gpu.func @wide() kernel attributes {known_block_size = array<i32: 1024, 1, 1>} {
      gpu.return
    }
  }
}

// -----

// No table: nothing to do.
// CHECK-LABEL: gpu.module @plain
// CHECK-NOT: nvvm.maxnreg
module attributes {gpu.container_module} {
  gpu.module @plain {
    gpu.func @k() kernel {
      gpu.return
    }
  }
}
