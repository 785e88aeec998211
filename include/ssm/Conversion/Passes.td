//===- Passes.td - ssm conversion passes -------------------*- tablegen -*-===//

#ifndef SSM_CONVERSION_PASSES_TD
#define SSM_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertSSMToLoops : Pass<"convert-ssm-to-loops", "ModuleOp"> {
  let summary = "Lower ssm ops to loops on buffers for the CPU";
  let description = [{
    Replaces every `ssm` op (forward and gradient) by its computation as
    `scf.for` loop nests over memrefs with `arith`/`math` arithmetic in f32,
    as its `#ssm.lowering` says (one pattern per op, variant and strategy).
    Ops without one get the CPU defaults of `ssm-select-lowering` first; a
    lowering for another target is an error.
    Operands enter through `bufferization.to_buffer`, results are freshly
    allocated buffers returned through `bufferization.to_tensor`, so that
    upstream one-shot bufferization finishes the job. The selective scan's
    backward saves one state per `chunk-len` positions and recomputes the
    rest. An `ssm.fusion "fused-conv-scan"` region becomes its scan (or
    scan gradient) alone, reading `u` as the silu convolution of `x`
    recomputed where it is read: the values the region uses from above are
    its inputs, and the convolution's output has no buffer. The SSD scan is computed in its chunked (dual) form by default
    (`strategy = "chunked"`): chunk states, state passing between chunks and
    the quadratic intra-chunk output, each one parallel loop nest.

    Before:
    ```mlir
    %y = ssm.causal_conv1d %x, %w activation none
        : (tensor<1x2x8xf32>, tensor<2x4xf32>) -> tensor<1x2x8xf32>
    ```
    After (abridged; private buffers of the sequential points are allocated
    once at the function entry):
    ```mlir
    %acc = memref.alloca() : memref<1xf32>
    %xb = bufferization.to_buffer %x read_only : ...
    %yb = memref.alloc() : memref<1x2x8xf32>
    scf.for %b = ... { scf.for %d = ... { scf.for %l = ... {
      ... memref.store %v, %yb[%b, %d, %l] } } }
    %y = bufferization.to_tensor %yb restrict writable : ...
    ```
  }];
  let dependentDialects = [
    "arith::ArithDialect", "bufferization::BufferizationDialect",
    "math::MathDialect", "memref::MemRefDialect", "scf::SCFDialect"
  ];
}


def ConvertSSMToGPU : Pass<"convert-ssm-to-gpu", "ModuleOp"> {
  let summary = "Lower ssm ops to GPU kernels (gpu.launch) on buffers";
  let description = [{
    Replaces every `ssm` op by `gpu.launch` kernels on memrefs, as its
    `#ssm.lowering` says (one pattern per op, variant and strategy; ops
    without one get the GPU defaults of `ssm-select-lowering` first). Every
    launch is named after its op and strategy (`ssm_selective_scan_block_scan`,
    `ssm_rms_norm_fused_1`, ...), and the module attribute `ssm.kernels`
    maps each name to the lowering it implements, for the register budget
    and for reports.

    With `strategy = "block-scan"` (the default), `ssm.selective_scan` and
    its gradient get one block per (batch, channel) whose threads split the
    sequence: each thread scans `items-per-thread` positions in registers,
    warps combine (decay, state) pairs with `gpu.shuffle`, warps through
    shared memory, and the state is carried between chunks of
    `threads-per-block x items-per-thread` positions; the gradient adds a
    reversed scan of the carried gradient and coalesced atomics for dB/dC.
    An `ssm.fusion "fused-conv-scan"` region is the same kernel
    (`ssm_fused_conv_scan_block_scan`, `..._grad_block_scan`) whose threads
    recompute their items of `u` from `x` (the items' row and the W-1
    inputs before them, as aligned vector loads; the weights once per
    thread), so the convolution's output never reaches memory; where the
    length does not allow the tile it is lowered `sequential`, a thread per
    (batch, channel) reading `u` the same way.

    The SSD scan (`strategy = "chunked"`, the default) is a sequence of
    kernels, each a thread per point: time steps and cumulative decays per
    chunk, chunk states, state passing between chunks, the C.B products
    and the output; its gradient runs the state passing in reverse and
    sums the per-position decay gradients with warp shuffles before one
    atomic per warp.

    Every other op (and the selective scan with `strategy = "sequential"`,
    which the selection picks where the length is not a multiple of
    `items_per_thread`) is built from the same loop bodies as
    `convert-ssm-to-loops`: each independent point (a scan's (batch,
    channel), an output element of the convolution, a row of the norm) is
    one GPU thread, blocks of `threads-per-block` threads cover the points,
    and gradients that several points share are accumulated with
    `memref.atomic_rmw addf`. Zero-fills and f32-to-storage conversions of
    those gradients are kernels too. Tiles are validated against the
    target's limits (threads per block, 48 KiB of shared memory, 64 KiB of
    per-thread scan states) with diagnostics naming the parameter.

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
    "gpu::GPUDialect", "LLVM::LLVMDialect", "math::MathDialect",
    "memref::MemRefDialect", "scf::SCFDialect", "vector::VectorDialect"
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


def SSMGPUStreamOrder : Pass<"ssm-gpu-stream-order", "ModuleOp"> {
  let summary = "Queue host-level GPU work in program order, without host waits";
  let description = [{
    The runtime runs every stream the host code creates on its one in-order
    stream, and an entry returns once its work is queued; the caller
    synchronises (docs/WORKLOAD_BINARY.md). A host wait between two launches
    therefore only costs time. This pass, run after `ssm-gpu-device-buffers`,
    makes every host-level `gpu.launch_func` asynchronous, chains the GPU
    ops of each block by their tokens in program order (so the IR states the
    order the stream gives), and erases the blocking `gpu.wait`s: a training
    step of hundreds of kernels waits on the host once, in the caller, not
    after every kernel and buffer. Upstream's `gpu-async-region` waits on
    the host before every call with side effects, and in this host code
    every outlined kernel op and every library product is a call. With no
    host wait inside an entry, the runtime can capture a call as a CUDA
    graph (`ssm-run --cuda-graph`).

    Before: `gpu.launch_func @k::@k blocks in (...) threads in (...)`
            `%t = gpu.wait async`
            `%m, %d = gpu.alloc async [%t] () : memref<64xf32>`
            `gpu.wait [%d]`
    After:  `%t = gpu.wait async`
            `%l = gpu.launch_func async [%t] @k::@k blocks in (...) ...`
            `%m, %d = gpu.alloc async [%l] () : memref<64xf32>`
  }];
  let dependentDialects = ["gpu::GPUDialect"];
}


def SSMGPUFastExp2 : Pass<"ssm-gpu-fast-exp2", "ModuleOp"> {
  let summary = "Lower fast exp2 in GPU kernels to a single ex2.approx.ftz";
  let description = [{
    Rewrites `math.exp2` carrying `fastmath<afn>` inside GPU kernels
    (`gpu.launch` bodies or `gpu.func`s) into the NVVM intrinsic
    `llvm.nvvm.ex2.approx.ftz.f`, one MUFU.EX2 instruction on sm_90.
    Upstream lowers `math.exp2` to the non-flush-to-zero `ex2.approx`
    (four instructions) whatever its fastmath flags. Runs after
    bufferization, whose deallocation analysis rejects the intrinsic call.
    Without `afn`, `math.exp2` is left to upstream.

    Before: `%e = math.exp2 %x fastmath<afn> : f32`
    After:  `%e = llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"(%x) : (f32) -> f32`
  }];
  let dependentDialects = ["LLVM::LLVMDialect"];
}


def SSMGPUFreeBuffers : Pass<"ssm-gpu-free-buffers", "func::FuncOp"> {
  let summary = "Free host-level buffers of GPU workloads after their last use";
  let description = [{
    Inserts `memref.dealloc` after the last use of every `memref.alloc` at
    the top level of a function body that does not escape (is not returned,
    stored or passed to a call). Host code of GPU workloads is straight-line
    kernel launches, so the last use in the block is the last use. Upstream's
    ownership-based deallocation would do this, but it rejects
    `gpu.launch_func` and `gpu.barrier`, whose memory effects it cannot
    see. Runs after kernel outlining and before `ssm-gpu-device-buffers`
    (which turns the deallocations into stream-ordered `gpu.dealloc`).
  }];
  let dependentDialects = ["memref::MemRefDialect"];
}


def SSMGPURegisterBudget : Pass<"ssm-gpu-register-budget", "ModuleOp"> {
  let summary = "Cap the registers of GPU kernels as their lowering says";
  let description = [{
    Sets `nvvm.maxnreg` on every outlined `gpu.func` kernel whose lowering
    (looked up by kernel name in the module's `ssm.kernels`, which
    `convert-ssm-to-gpu` fills) has `max_registers` > 0; it becomes the PTX
    `.maxnreg` directive. The selection gives the selective scan's
    block-scan backward its own budget (`scan-backward-max-registers`), as
    it needs more than twice the registers of the others. The table is
    removed afterwards: nothing after this pass reads ssm attributes. A budget larger than one block can have (65536 registers /
    threads per block, from the kernel's `known_block_size`) is lowered to
    that, so that the kernel stays launchable. `ptxas -maxrregcount` is not
    enough: the
    NVVM lowering gives every kernel a `.maxntid` directive, and ptxas then
    ignores the command-line budget. Fewer registers allow more resident
    blocks per SM at the price of spills; the budget is recorded in the
    workload binary like every other lowering choice.

    After: `gpu.func @k(...) kernel attributes {nvvm.maxnreg = 168 : i32}`
  }];
  let dependentDialects = ["gpu::GPUDialect", "NVVM::NVVMDialect"];
}

#endif // SSM_CONVERSION_PASSES_TD
