// The GPU pipeline and the GPU target of ssm-compile, on a machine that may
// have no GPU: cubin emission needs the CUDA toolkit (ptxas, libdevice), not
// a device. lit passes no CUDA_HOME, so ssm-opt is given the toolkit
// explicitly (ssm-compile finds it by itself, defaulting to /usr/local/cuda).

// RUN: env CUDA_HOME=/usr/local/cuda PATH=/usr/local/cuda/bin:%PATH% \
// RUN:   ssm-opt %s --ssm-gpu-pipeline > %t.mlir
// RUN: FileCheck %s < %t.mlir
// RUN: mlir-translate --mlir-to-llvmir %t.mlir | FileCheck %s --check-prefix=LLVMIR
// RUN: env CUDA_HOME=/usr/local/cuda PATH=/usr/local/cuda/bin:%PATH% \
// RUN:   ssm-opt %s --ssm-gpu-pipeline=threads-per-block=64 \
// RUN:   | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=TPB64

// The workload binary: entries, manifest and the mgpu* runtime interface as
// dynamic symbols, and one sm_90 cubin per kernel embedded (5: one for the
// scan, four for its gradient). The first ELF header after the .so's own is
// the first cubin; llvm-readelf decodes its machine and SM from e_flags.
// RUN: ssm-compile %s --target=gpu -o %t.so
// RUN: llvm-nm -D %t.so | FileCheck %s --check-prefix=DYNSYM
// RUN: llvm-nm %t.so | FileCheck %s --check-prefix=SYMS
// RUN: %python -c "import sys; d = open(sys.argv[1], 'rb').read(); starts = [i for i in range(1, len(d)) if d.startswith(b'\x7fELF', i)]; print('embedded ELF objects:', len(starts)); open(sys.argv[2], 'wb').write(d[starts[0]:])" %t.so %t.cubin \
// RUN:   | FileCheck %s --check-prefix=EMBEDDED
// RUN: llvm-readelf -h %t.cubin | FileCheck %s --check-prefix=CUBIN

// Bad tile sizes and a missing toolkit fail the compile with one error and
// no binary.
// RUN: rm -f %t.bad.so
// RUN: not ssm-compile %s --target=gpu --threads-per-block=48 -o %t.bad.so \
// RUN:   2>&1 | FileCheck %s --check-prefix=BAD-TPB
// RUN: not ssm-compile %s --target=gpu --chunk-len=0 -o %t.bad.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-CHUNK
// RUN: not env CUDA_HOME=%t.no-toolkit ssm-compile %s --target=gpu \
// RUN:   -o %t.bad.so 2>&1 | FileCheck %s --check-prefix=NO-TOOLKIT
// RUN: not test -e %t.bad.so

// After the pipeline only the host module is left: LLVM dialect functions
// with gpu.launch_func on the kernels, whose outlined gpu.modules are now
// gpu.binary objects holding an sm_90 cubin (an ELF image) built with PTX
// 8.0. u is 2x80x8: 160 scans, 2 blocks of 128 threads.
// CHECK:       module attributes {gpu.container_module} {
// CHECK-NOT:   gpu.module
// CHECK-LABEL: llvm.func @scan(
// CHECK-DAG:     %[[ONE:.*]] = llvm.mlir.constant(1 : index) : i64
// CHECK-DAG:     %[[NB:.*]] = llvm.mlir.constant(2 : index) : i64
// CHECK-DAG:     %[[NT:.*]] = llvm.mlir.constant(128 : index) : i64
// CHECK:         gpu.launch_func @[[SCAN:scan_kernel]]::@scan_kernel blocks in (%[[NB]], %[[ONE]], %[[ONE]]) threads in (%[[NT]], %[[ONE]], %[[ONE]]) : i64
// CHECK-NEXT:    llvm.return
//
// The gradient's scratch for saved states is device memory from the mgpu*
// runtime, freed after the last kernel; its 3 zero-fills and the scan are 4
// launches.
// CHECK-LABEL: llvm.func @scan_grad(
// CHECK:         gpu.launch_func @[[K0:scan_grad_kernel]]::@scan_grad_kernel
// CHECK:         gpu.launch_func @[[K1:scan_grad_kernel_0]]::@scan_grad_kernel
// CHECK:         gpu.launch_func @[[K2:scan_grad_kernel_1]]::@scan_grad_kernel
// CHECK:         %[[STREAM:.*]] = llvm.call @mgpuStreamCreate()
// CHECK:         %[[SCRATCH:.*]] = llvm.call @mgpuMemAlloc(%{{.*}}, %[[STREAM]], %{{.*}})
// CHECK:         llvm.call @mgpuStreamSynchronize(%[[STREAM]])
// CHECK:         gpu.launch_func @[[K3:scan_grad_kernel_2]]::@scan_grad_kernel {{.*}} args({{.*}}%[[SCRATCH]] : !llvm.ptr
// CHECK:         llvm.call @mgpuMemFree(%[[SCRATCH]], %{{.*}})
// CHECK:         llvm.return
//
// CHECK:       gpu.binary @[[SCAN]] [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">, {{.*}}bin = "\7FELF
// CHECK:       gpu.binary @[[K0]] [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">, {{.*}}bin = "\7FELF
// CHECK:       gpu.binary @[[K1]] [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">, {{.*}}bin = "\7FELF
// CHECK:       gpu.binary @[[K2]] [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">, {{.*}}bin = "\7FELF
// CHECK:       gpu.binary @[[K3]] [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">, {{.*}}bin = "\7FELF
// CHECK-NOT:   gpu.binary
// CHECK-NOT:   gpu.module
// CHECK-DAG:   llvm.func @mgpuMemAlloc(
// CHECK-DAG:   llvm.func @mgpuMemFree(

// Translated to LLVM IR, each gpu.binary is a constant loaded by a global
// constructor (mgpuModuleLoad) and each launch calls mgpuLaunchKernel with
// the grid and block sizes.
// LLVMIR-DAG:   @scan_kernel_binary = internal constant [{{[0-9]+}} x i8] c"\7FELF
// LLVMIR-DAG:   @llvm.global_ctors = appending global {{.*}} @scan_kernel_load
// LLVMIR-LABEL: define void @scan(
// LLVMIR:         call ptr @mgpuModuleGetFunction(
// LLVMIR:         call void @mgpuLaunchKernel(ptr %{{.*}}, i64 2, i64 1, i64 1, i64 128, i64 1, i64 1, i32 0,
// LLVMIR-LABEL: define void @scan_grad(
// LLVMIR:         call ptr @mgpuMemAlloc(
// LLVMIR-COUNT-4: call void @mgpuLaunchKernel(
// LLVMIR:         call void @mgpuMemFree(
// LLVMIR-LABEL: define internal void @scan_kernel_load()
// LLVMIR:         call ptr @mgpuModuleLoad(ptr @scan_kernel_binary, i64 {{[0-9]+}})
// LLVMIR-LABEL: define internal void @scan_kernel_unload()
// LLVMIR:         call void @mgpuModuleUnload(

// threads-per-block reaches the kernels through the pipeline: 160 scans in
// 3 blocks of 64.
// TPB64-LABEL: define void @scan(
// TPB64:         call void @mgpuLaunchKernel(ptr %{{.*}}, i64 3, i64 1, i64 1, i64 64, i64 1, i64 1, i32 0,

// DYNSYM-DAG: U mgpuLaunchKernel
// DYNSYM-DAG: U mgpuModuleLoad
// DYNSYM-DAG: U mgpuModuleGetFunction
// DYNSYM-DAG: U mgpuMemAlloc
// DYNSYM-DAG: U mgpuMemFree
// DYNSYM-DAG: T ssm_entry_scan
// DYNSYM-DAG: T ssm_entry_scan_grad
// DYNSYM-DAG: R ssm_workload_manifest

// SYMS-DAG: r scan_kernel_binary
// SYMS-DAG: r scan_grad_kernel_binary
// SYMS-DAG: r scan_grad_kernel_0_binary
// SYMS-DAG: r scan_grad_kernel_1_binary
// SYMS-DAG: r scan_grad_kernel_2_binary

// EMBEDDED: embedded ELF objects: 5

// CUBIN: Machine: NVIDIA CUDA architecture
// CUBIN: Flags: 0x{{[0-9a-f]+}}, sm_90

// BAD-TPB: error: convert-ssm-to-gpu: threads-per-block = 48 is impossible on sm_90: it must be a multiple of 32 between 32 and 1024
// BAD-CHUNK: error: convert-ssm-to-gpu: chunk-len = 0 must be at least 1
// NO-TOOLKIT: error: the GPU target needs the CUDA toolkit: no libdevice under {{.*}}no-toolkit/nvvm (set CUDA_HOME)

func.func @scan(%u: tensor<2x80x8xf32>, %delta: tensor<2x80x8xf32>,
    %A: tensor<80x3xf32>, %B: tensor<2x1x3x8xf32>, %C: tensor<2x1x3x8xf32>)
    -> (tensor<2x80x8xf32>, tensor<2x80x3xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x80x8xf32>, tensor<2x80x8xf32>, tensor<80x3xf32>,
         tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>)
      -> (tensor<2x80x8xf32>, tensor<2x80x3xf32>)
  return %y, %s : tensor<2x80x8xf32>, tensor<2x80x3xf32>
}

func.func @scan_grad(%u: tensor<1x2x8xf32>, %delta: tensor<1x2x8xf32>,
    %A: tensor<2x3xf32>, %B: tensor<1x1x3x8xf32>, %C: tensor<1x1x3x8xf32>,
    %dy: tensor<1x2x8xf32>)
    -> (tensor<1x2x8xf32>, tensor<1x2x8xf32>, tensor<2x3xf32>,
        tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>) {
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<1x2x8xf32>, tensor<1x2x8xf32>, tensor<2x3xf32>,
        tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>, tensor<1x2x8xf32>
      -> tensor<1x2x8xf32>, tensor<1x2x8xf32>, tensor<2x3xf32>,
         tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>
  return %du, %ddelta, %dA, %dB, %dC : tensor<1x2x8xf32>, tensor<1x2x8xf32>,
      tensor<2x3xf32>, tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>
}
