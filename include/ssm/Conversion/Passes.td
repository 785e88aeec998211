//===- Passes.td - ssm conversion passes -------------------*- tablegen -*-===//

#ifndef SSM_CONVERSION_PASSES_TD
#define SSM_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertSSMToLoops : Pass<"convert-ssm-to-loops", "ModuleOp"> {
  let summary = "Lower ssm ops to loops on buffers for the CPU";
  let description = [{
    Replaces every `ssm` op (forward and gradient) by its computation as
    `scf.for` loop nests over memrefs with `arith`/`math` arithmetic in f32.
    Operands enter through `bufferization.to_buffer`, results are freshly
    allocated buffers returned through `bufferization.to_tensor`, so that
    upstream one-shot bufferization finishes the job. The scans' backward
    saves one state per `chunk-len` positions and recomputes the rest.

    Before:
    ```mlir
    %y = ssm.causal_conv1d %x, %w activation none
        : (tensor<1x2x8xf32>, tensor<2x4xf32>) -> tensor<1x2x8xf32>
    ```
    After (abridged):
    ```mlir
    %xb = bufferization.to_buffer %x read_only : ...
    %yb = memref.alloc() : memref<1x2x8xf32>
    scf.for %b = ... { scf.for %d = ... { scf.for %l = ... {
      memref.alloca_scope { ... memref.store %v, %yb[%b, %d, %l] } } } }
    %y = bufferization.to_tensor %yb restrict writable : ...
    ```
  }];
  let dependentDialects = [
    "arith::ArithDialect", "bufferization::BufferizationDialect",
    "math::MathDialect", "memref::MemRefDialect", "scf::SCFDialect"
  ];
  let options = [
    Option<"chunkLen", "chunk-len", "int64_t", /*default=*/"64",
           "Positions between two states saved by a scan's forward for its "
           "backward (the backward recomputes the others)">,
  ];
}


def ConvertSSMToGPU : Pass<"convert-ssm-to-gpu", "ModuleOp"> {
  let summary = "Lower ssm ops to GPU kernels (gpu.launch) on buffers";
  let description = [{
    Replaces every `ssm` op by `gpu.launch` kernels on memrefs built from
    the same loop bodies as `convert-ssm-to-loops`: each independent point
    of an op (a (batch, channel) scan, an output element of the
    convolution, a row of the norm) is one GPU thread, blocks of
    `threads-per-block` threads cover the points, and gradients that
    several points share are accumulated with `memref.atomic_rmw addf`.
    Zero-fills and f32-to-storage conversions of those gradients are kernels
    too. The tile sizes are validated against the target's limits.

    Before:
    ```mlir
    %y = ssm.causal_conv1d %x, %w activation none
        : (tensor<1x2x8xf32>, tensor<2x4xf32>) -> tensor<1x2x8xf32>
    ```
    After (abridged):
    ```mlir
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, ...)
               threads(%tx, %ty, %tz) in (%sx = %c128, ...) {
      %id = ... ; scf.if %inside { ... memref.store ... }
      gpu.terminator
    }
    ```
  }];
  let dependentDialects = [
    "arith::ArithDialect", "bufferization::BufferizationDialect",
    "gpu::GPUDialect", "math::MathDialect", "memref::MemRefDialect",
    "scf::SCFDialect"
  ];
  let options = [
    Option<"chunkLen", "chunk-len", "int64_t", /*default=*/"64",
           "Positions between two states saved by a scan's forward for its "
           "backward (the backward recomputes the others)">,
    Option<"threadsPerBlock", "threads-per-block", "int64_t",
           /*default=*/"128",
           "GPU threads per block (a multiple of 32, at most 1024)">,
  ];
}

def SSMGPUDeviceBuffers : Pass<"ssm-gpu-device-buffers", "ModuleOp"> {
  let summary = "Place host-side buffer allocations in GPU memory";
  let description = [{
    After bufferization, the buffers a GPU workload allocates outside its
    kernels (results of intermediate ops, scratch for saved scan states and
    gradient accumulation) are `memref.alloc`/`memref.dealloc`, which lower
    to host `malloc`. This pass rewrites them, and `memref.copy` between
    them, into `gpu.alloc`/`gpu.dealloc`/`gpu.memcpy` (async forms joined by
    `gpu.wait`, which is what the upstream GPU-to-LLVM lowering accepts).
    Allocations inside kernels (`memref.alloca`) are untouched. Upstream has
    no pass for this host/device placement.
  }];
  let dependentDialects = ["gpu::GPUDialect", "memref::MemRefDialect"];
}

#endif // SSM_CONVERSION_PASSES_TD
