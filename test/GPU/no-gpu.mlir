// Running a GPU binary where no CUDA GPU is usable fails with one error that
// says so, and a non-zero status, instead of crashing or running nothing.
//
// This file runs on every machine, GPU ones included (it is not marked
// unsupported where lit has the `cuda` feature): the runtime loads the driver library named by SSMRT_CUDA_DRIVER (default
// libcuda.so.1), and naming one that does not exist makes any machine, a
// GPU one included, look like one without a driver. Only the RUN lines that
// run ssm-run without it expect this machine to have no usable GPU; they
// run only where lit found none (`%if !cuda`). There the reason after the
// colon depends on the machine (no driver, or a driver without a device),
// so only the rest of the message is checked.

// RUN: ssm-compile %s --target=gpu -o %t.so

// No driver library, whatever the machine: the header lines (the binary is
// an sm_90 GPU binary, the entry) come out, then the error, and no check.
// RUN: not env SSMRT_CUDA_DRIVER=%t.nonexistent/libcuda.so \
// RUN:   ssm-run %t.so --check > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=NO-DRIVER < %t.err
// RUN: FileCheck %s --check-prefix=HEADER < %t.out
// RUN: not env SSMRT_CUDA_DRIVER=%t.nonexistent/libcuda.so \
// RUN:   ssm-run %t.so --entry norm_grad --target-check 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NO-DRIVER
// RUN: not env SSMRT_CUDA_DRIVER=%t.nonexistent/libcuda.so \
// RUN:   ssm-run %t.so --entry conv --repeat 3 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NO-DRIVER

// The driver as this machine has it, where lit found no GPU.
// RUN: %if !cuda %{ not ssm-run %t.so --check 2> %t.plain.err %}
// RUN: %if !cuda %{ FileCheck %s --check-prefix=NO-GPU < %t.plain.err %}

// The driver is loaded for GPU binaries only: a CPU binary of the same
// module runs under the same SSMRT_CUDA_DRIVER.
// RUN: ssm-compile %s --target=cpu -o %t.cpu.so
// RUN: env SSMRT_CUDA_DRIVER=%t.nonexistent/libcuda.so \
// RUN:   ssm-run %t.cpu.so --entry norm_grad --check \
// RUN:   | FileCheck %s --check-prefix=CPU

// NO-DRIVER:     error: {{.*}}.so is a GPU binary but no CUDA GPU is usable here: {{.*}}nonexistent/libcuda.so not found (no NVIDIA driver)
// NO-DRIVER-SAME:  (compile with --target=cpu to run on the CPU)
// NO-DRIVER-NOT: error:

// HEADER:     binary: {{.*}}.so (module {{.*}}, target gpu sm_90, pipeline gpu
// HEADER-NEXT: entry: conv (2 arguments, 1 result)
// HEADER-NOT: check

// NO-GPU:     error: {{.*}}.so is a GPU binary but no CUDA GPU is usable here:
// NO-GPU-SAME:  (compile with --target=cpu to run on the CPU)
// NO-GPU-NOT: error:

// CPU: check dx f32 {{.*}} PASS
// CPU: check dweight f32 {{.*}} PASS
// CPU: check: 2 passed, 0 failed

func.func @conv(%x: tensor<1x4x8xf32>, %w: tensor<4x3xf32>)
    -> tensor<1x4x8xf32> {
  %y = ssm.causal_conv1d %x, %w activation none
      : (tensor<1x4x8xf32>, tensor<4x3xf32>) -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}

func.func @norm_grad(%x: tensor<3x16xf32>, %weight: tensor<16xf32>,
    %dy: tensor<3x16xf32>) -> (tensor<3x16xf32>, tensor<16xf32>) {
  %dx, %dweight = ssm.rms_norm_grad %x, %weight, %dy
      : tensor<3x16xf32>, tensor<16xf32>, tensor<3x16xf32>
      -> tensor<3x16xf32>, tensor<16xf32>
  return %dx, %dweight : tensor<3x16xf32>, tensor<16xf32>
}
