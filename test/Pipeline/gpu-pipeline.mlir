// The GPU pipeline and the GPU target of ssm-compile, on a machine that may
// have no GPU: cubin emission needs the CUDA toolkit (ptxas, libdevice), not
// a device. lit passes no CUDA_HOME, so ssm-opt is given the toolkit
// explicitly (ssm-compile finds it by itself, defaulting to /usr/local/cuda).

// RUN: env CUDA_HOME=/usr/local/cuda PATH=/usr/local/cuda/bin:%PATH% \
// RUN:   ssm-opt %s --ssm-gpu-pipeline=scan-strategy=block-scan > %t.mlir
// RUN: FileCheck %s < %t.mlir
// RUN: FileCheck %s --check-prefix=BINARY < %t.mlir
// RUN: mlir-translate --mlir-to-llvmir %t.mlir | FileCheck %s --check-prefix=LLVMIR
// RUN: env CUDA_HOME=/usr/local/cuda PATH=/usr/local/cuda/bin:%PATH% \
// RUN:   ssm-opt %s '--ssm-gpu-pipeline=scan-strategy=thread-per-point threads-per-block=64 chunk-len=3' \
// RUN:   | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=TPP64

// cubin-format=isa embeds the PTX instead of the cubin (to read the
// kernels); an unknown format is refused while parsing the options.
// RUN: env CUDA_HOME=/usr/local/cuda PATH=/usr/local/cuda/bin:%PATH% \
// RUN:   ssm-opt %s '--ssm-gpu-pipeline=cubin-format=isa scan-strategy=block-scan' \
// RUN:   | FileCheck %s --check-prefix=ISA
// RUN: not ssm-opt %s --ssm-gpu-pipeline=cubin-format=bogus 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BADFORMAT
// ISA: gpu.binary @ssm_selective_scan_block_scan {{.*}}chip = "sm_90"{{.*}}assembly = "{{.*}}.target sm_90
// ISA-NOT: bin = "
// BADFORMAT: error: cubin-format = 'bogus': expected 'bin' or 'isa'

// The workload binary: entries, manifest and the mgpu* runtime interface as
// dynamic symbols, and one sm_90 cubin per kernel embedded (5: one for the
// scan, four for its gradient). The first ELF header after the .so's own is
// the first cubin; llvm-readelf decodes its machine and SM from e_flags.
// RUN: ssm-compile %s --target=gpu --scan-strategy=block-scan -o %t.so
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
// 8.0. How the scans are parallelised (the launch sizes of the scan
// kernels) is the business of convert-ssm-to-gpu's scan-strategy, checked
// below with thread-per-point. Each op's kernels sit in its outlined
// function (ssm-outline-kernels), which the entry calls with its own result
// buffers (no copy). The gradient's 3 zero-fill kernels come first, then
// the scratch for saved states, device memory from the mgpu* runtime, then
// the scan kernel, then the scratch is freed: all in the order of one
// stream, with no host wait (ssm-gpu-stream-order).
// CHECK:       module attributes {gpu.container_module} {
// CHECK-NOT:   gpu.module
// CHECK-LABEL: llvm.func @ssm_kernel_selective_scan_0(
// CHECK:         gpu.launch_func <%{{.*}} : !llvm.ptr> @ssm_selective_scan_block_scan::@ssm_selective_scan_block_scan blocks in ({{.*}}) threads in ({{.*}}) : i64
// CHECK-NEXT:    llvm.return
// CHECK-LABEL: llvm.func @ssm_kernel_selective_scan_grad_1(
// CHECK:         %[[STREAM:.*]] = llvm.call @mgpuStreamCreate()
// CHECK-NOT:     llvm.call @mgpuStreamSynchronize
// CHECK:         gpu.launch_func <%[[STREAM]] : !llvm.ptr> @ssm_selective_scan_grad_block_scan_0::@ssm_selective_scan_grad_block_scan_0
// CHECK-NEXT:    gpu.launch_func <%[[STREAM]] : !llvm.ptr> @ssm_selective_scan_grad_block_scan_1::@ssm_selective_scan_grad_block_scan_1
// CHECK-NEXT:    gpu.launch_func <%[[STREAM]] : !llvm.ptr> @ssm_selective_scan_grad_block_scan_2::@ssm_selective_scan_grad_block_scan_2
// CHECK:         %[[SCRATCH:.*]] = llvm.call @mgpuMemAlloc(%{{.*}}, %[[STREAM]], %{{.*}})
// CHECK-NOT:     llvm.call @mgpuStreamSynchronize
// CHECK:         gpu.launch_func <%[[STREAM]] : !llvm.ptr> @ssm_selective_scan_grad_block_scan::@ssm_selective_scan_grad_block_scan blocks in ({{.*}}) threads in ({{.*}}) : i64 args({{.*}}%[[SCRATCH]] : !llvm.ptr
// CHECK:         llvm.call @mgpuMemFree(%[[SCRATCH]], %[[STREAM]])
// CHECK-NEXT:    llvm.return
// CHECK-LABEL: llvm.func @scan(
// CHECK-NOT:     llvm.call @mgpuMem
// CHECK:         llvm.call @ssm_kernel_selective_scan_0(
// CHECK-NEXT:    llvm.return
// CHECK-LABEL: llvm.func @scan_grad(
// CHECK-NOT:     llvm.call @mgpuMem
// CHECK:         llvm.call @ssm_kernel_selective_scan_grad_1(
// CHECK-NEXT:    llvm.return
// CHECK-NOT:   gpu.module
// CHECK-DAG:   llvm.func @mgpuMemAlloc(
// CHECK-DAG:   llvm.func @mgpuMemFree(
// CHECK-NOT:   gpu.module

// One gpu.binary per kernel, wherever it is placed in the module.
// BINARY-DAG: gpu.binary @ssm_selective_scan_block_scan [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">, {{.*}}bin = "\7FELF
// BINARY-DAG: gpu.binary @ssm_selective_scan_grad_block_scan_0 [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">, {{.*}}bin = "\7FELF
// BINARY-DAG: gpu.binary @ssm_selective_scan_grad_block_scan_1 [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">, {{.*}}bin = "\7FELF
// BINARY-DAG: gpu.binary @ssm_selective_scan_grad_block_scan_2 [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">, {{.*}}bin = "\7FELF
// BINARY-DAG: gpu.binary @ssm_selective_scan_grad_block_scan [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">, {{.*}}bin = "\7FELF

// Translated to LLVM IR, each gpu.binary is a constant loaded by a global
// constructor (mgpuModuleLoad) and each launch calls mgpuLaunchKernel with
// the grid and block sizes.
// LLVMIR-DAG:   @ssm_selective_scan_block_scan_binary = internal constant [{{[0-9]+}} x i8] c"\7FELF
// LLVMIR-DAG:   @llvm.global_ctors = appending global {{.*}} @ssm_selective_scan_block_scan_load
// LLVMIR-LABEL: define void @ssm_kernel_selective_scan_0(
// LLVMIR:         call ptr @mgpuModuleGetFunction(
// LLVMIR:         call void @mgpuLaunchKernel(
// LLVMIR-LABEL: define void @ssm_kernel_selective_scan_grad_1(
// LLVMIR:         call void @mgpuLaunchKernel(ptr %{{.*}}, i64 2, i64 1, i64 1, i64 128, i64 1, i64 1, i32 0,
// LLVMIR:         call void @mgpuLaunchKernel(ptr %{{.*}}, i64 1, i64 1, i64 1, i64 48, i64 1, i64 1, i32 0,
// LLVMIR:         call void @mgpuLaunchKernel(ptr %{{.*}}, i64 1, i64 1, i64 1, i64 48, i64 1, i64 1, i32 0,
// LLVMIR:         call ptr @mgpuMemAlloc(i64 {{[0-9]+}},
// LLVMIR:         call void @mgpuLaunchKernel(
// LLVMIR:         call void @mgpuMemFree(
// LLVMIR-NOT:     @mgpuStreamSynchronize
// LLVMIR-LABEL: define internal void @ssm_selective_scan_block_scan_load()
// LLVMIR:         call ptr @mgpuModuleLoad(ptr @ssm_selective_scan_block_scan_binary, i64 {{[0-9]+}})
// LLVMIR-LABEL: define internal void @ssm_selective_scan_block_scan_unload()
// LLVMIR:         call void @mgpuModuleUnload(

// scan-strategy, threads-per-block and chunk-len reach the kernels through
// the pipeline. With thread-per-point scans: zero-filling dA (80*3 = 240
// points) takes 4 blocks of 64, dB and dC (48 points) one block of 48, the
// 160 scans 3 blocks of 64; the saved states are 160 scans x ceil(8/3) = 3
// chunks x 3 states x 4 bytes.
// TPP64-LABEL: define void @ssm_kernel_selective_scan_0(
// TPP64:         call void @mgpuLaunchKernel(ptr %{{.*}}, i64 3, i64 1, i64 1, i64 64, i64 1, i64 1, i32 0,
// TPP64-LABEL: define void @ssm_kernel_selective_scan_grad_1(
// TPP64:         call void @mgpuLaunchKernel(ptr %{{.*}}, i64 4, i64 1, i64 1, i64 64, i64 1, i64 1, i32 0,
// TPP64:         call void @mgpuLaunchKernel(ptr %{{.*}}, i64 1, i64 1, i64 1, i64 48, i64 1, i64 1, i32 0,
// TPP64:         call void @mgpuLaunchKernel(ptr %{{.*}}, i64 1, i64 1, i64 1, i64 48, i64 1, i64 1, i32 0,
// TPP64:         call ptr @mgpuMemAlloc(i64 5760,
// TPP64:         call void @mgpuLaunchKernel(ptr %{{.*}}, i64 3, i64 1, i64 1, i64 64, i64 1, i64 1, i32 0,

// DYNSYM-DAG: U mgpuLaunchKernel
// DYNSYM-DAG: U mgpuModuleLoad
// DYNSYM-DAG: U mgpuModuleGetFunction
// DYNSYM-DAG: U mgpuMemAlloc
// DYNSYM-DAG: U mgpuMemFree
// DYNSYM-DAG: T ssm_entry_scan
// DYNSYM-DAG: T ssm_entry_scan_grad
// DYNSYM-DAG: R ssm_workload_manifest

// SYMS-DAG: r ssm_selective_scan_block_scan_binary
// SYMS-DAG: r ssm_selective_scan_grad_block_scan_0_binary
// SYMS-DAG: r ssm_selective_scan_grad_block_scan_1_binary
// SYMS-DAG: r ssm_selective_scan_grad_block_scan_2_binary
// SYMS-DAG: r ssm_selective_scan_grad_block_scan_binary

// EMBEDDED: embedded ELF objects: 5

// CUBIN: Machine: NVIDIA CUDA architecture
// CUBIN: Flags: 0x{{[0-9a-f]+}}, sm_90

// BAD-TPB: error: ssm-select-lowering: threads-per-block = 48 is impossible on NVIDIA GPUs: it must be a multiple of 32 between 32 and 1024
// BAD-TPB-NOT: error:
// BAD-CHUNK: error: ssm-select-lowering: chunk-len = 0 must be at least 1
// BAD-CHUNK-NOT: error:
// NO-TOOLKIT: error: the GPU target needs the CUDA toolkit: no libdevice under {{.*}}no-toolkit/nvvm (set CUDA_HOME)
// NO-TOOLKIT-NOT: error:

func.func @scan(%u: tensor<2x80x8xf32>, %delta: tensor<2x80x8xf32>,
    %A: tensor<80x3xf32>, %B: tensor<2x1x3x8xf32>, %C: tensor<2x1x3x8xf32>)
    -> (tensor<2x80x8xf32>, tensor<2x80x3xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x80x8xf32>, tensor<2x80x8xf32>, tensor<80x3xf32>,
         tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>)
      -> (tensor<2x80x8xf32>, tensor<2x80x3xf32>)
  return %y, %s : tensor<2x80x8xf32>, tensor<2x80x3xf32>
}

func.func @scan_grad(%u: tensor<2x80x8xf32>, %delta: tensor<2x80x8xf32>,
    %A: tensor<80x3xf32>, %B: tensor<2x1x3x8xf32>, %C: tensor<2x1x3x8xf32>,
    %dy: tensor<2x80x8xf32>)
    -> (tensor<2x80x8xf32>, tensor<2x80x8xf32>, tensor<80x3xf32>,
        tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>) {
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x80x8xf32>, tensor<2x80x8xf32>, tensor<80x3xf32>,
        tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>, tensor<2x80x8xf32>
      -> tensor<2x80x8xf32>, tensor<2x80x8xf32>, tensor<80x3xf32>,
         tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>
  return %du, %ddelta, %dA, %dB, %dC : tensor<2x80x8xf32>, tensor<2x80x8xf32>,
      tensor<80x3xf32>, tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>
}
