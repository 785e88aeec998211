//===- Passes.td - ssm dialect transforms ------------------*- tablegen -*-===//
//
// Tensor-level transforms of the ssm dialect: forming fused groups and
// choosing how every op is lowered. The options of ssm-select-lowering are
// the project's lowering choices, declared here once: the pipelines and
// ssm-compile forward their option strings to this pass.
//
//===----------------------------------------------------------------------===//

#ifndef SSM_TRANSFORMS_PASSES_TD
#define SSM_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def SSMFuse : Pass<"ssm-fuse", "ModuleOp"> {
  let summary = "Group ssm ops that one fusion variant lowers as one kernel";
  let description = [{
    Wraps the ops that the fusion `variant` lowers together into an
    `ssm.fusion` region, so that the grouping is visible (and testable)
    before anything is lowered. With `variant=fused-conv-scan`, every
    `ssm.selective_scan` or `ssm.selective_scan_grad` whose `u` is the
    result of an `ssm.causal_conv1d` with `silu` activation gets its own
    region holding a copy of the convolution and the scan; a convolution
    left without uses is erased, so its output never reaches memory (the
    gradient recomputes it). Variants that fuse nothing across ops
    (`fused-scan`, `unfused`, ...) leave the module unchanged; an unknown
    variant is an error.

    Before:
    ```mlir
    %u = ssm.causal_conv1d %x, %w activation silu : ...
    %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C : ...
    ```
    After:
    ```mlir
    %y, %s = ssm.fusion "fused-conv-scan" -> tensor<...>, tensor<...> {
      %u = ssm.causal_conv1d %x, %w activation silu : ...
      %y0, %s0 = ssm.selective_scan %u, %dt, %A, %B, %C : ...
      ssm.yield %y0, %s0 : ...
    }
    ```
  }];
  let dependentDialects = [];
  let options = [
    Option<"variant", "variant", "std::string", /*default=*/"\"\"",
           "The fusion variant whose groups to form (fused-conv-scan); "
           "other known variants form none">,
  ];
}

def SSMBuildTrainingStep : Pass<"ssm-build-training-step", "ModuleOp"> {
  let summary = "Build the training step (forward + backward) of a loss function";
  let description = [{
    For each function named in `functions`, which must return exactly one
    `tensor<f32>` (the loss), adds the public function `<name>_step`: the
    same arguments, the forward's ops, then the reverse-mode backward built
    from each op's gradient rule (`KernelOpInterface::buildGradient`),
    returning the loss (`ssm.name = "loss"`) followed by the gradient of
    every parameter argument (one feeding a parameter port, see
    `isParameterValue`), in argument order, named `d_<argument>` with
    `ssm.role = "gradient"`. The loss's cotangent is seeded with
    `ssm.fill 1.0`; cotangents of a value with several uses are summed with
    `ssm.add`; a parameter the loss does not depend on gets zeros. The
    backward recomputes what each gradient op needs from the forward's
    values (the gradient ops' own recompute choice).

    Errors, at the function or op: an unknown function name, a function
    whose result is not one `tensor<f32>`, an op on the path to the loss
    that is not an ssm kernel op or has no gradient rule, a name
    `<name>_step` already taken.
  }];
  let options = [
    ListOption<"functions", "functions", "std::string",
               "Loss functions to build the training step of">,
  ];
}

def SSMOutlineKernels : Pass<"ssm-outline-kernels", "ModuleOp"> {
  let summary = "Share one function per distinct kernel op among identical ops";
  let description = [{
    Moves every ssm kernel op of a public function into a private function
    `ssm_kernel_<op>_<n>` that it calls, one function per distinct op:
    ops with the same name, attributes (the lowering included), operand
    and result types share it. So the 24 identical layers of a model lower
    their kernels once: one set of GPU kernels, one set of CPU loops, which
    keeps compile time linear in the number of distinct layers rather than
    in the model's depth (LLVM's code generation is superlinear in the size
    of one function). `ssm.fusion` regions, which read values from the
    enclosing function, stay where they are.

    Runs after ssm-select-lowering (it keys on the lowering) and before the
    conversions; the workload manifest is built from the function before.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def SSMForwardOutParams : Pass<"ssm-forward-out-params", "func::FuncOp"> {
  let summary = "Write results straight into out-parameters instead of copying";
  let description = [{
    After buffer-results-to-out-params, a function that returned the result
    of a call (an outlined kernel, see ssm-outline-kernels) allocates a
    buffer, passes it to the call and copies it into its out-parameter:
    upstream converts the caller before it sees that the call's results are
    out-parameters too. Where the buffer is a `memref.alloc` used only by
    calls before the copy (and deallocations), and the out-parameter only by
    the copy, the buffer is replaced by the out-parameter and the copy and
    allocation are dropped, so that a kernel writes the caller's result
    directly (no device-to-device copy per returned tensor).
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def SSMSelectLowering : Pass<"ssm-select-lowering", "ModuleOp"> {
  let summary = "Choose how each ssm op is lowered (the #ssm.lowering of each)";
  let description = [{
    Sets `ssm.lowering = #ssm.lowering<...>` on every ssm kernel op (and
    every `ssm.fusion`) from the options: the target and chip, the fusion
    variant (ops the variant does not apply to keep their default), the
    strategy along the sequence (`scan-strategy` for the selective scan,
    `ssd-strategy` for the SSD scan), and only the tiling parameters that
    apply to the op with that strategy on that target. An attribute written
    by hand wins: its parameters are kept and the missing ones completed
    from the options; one whose target differs from `target` is an error.
    Every attribute is then verified against its op (#ssm.lowering), so an
    impossible choice fails here, located at the op and naming the
    parameter. A block scan that the sequence length does not allow
    (`items-per-thread` not dividing it) is recorded as `sequential`.
    Gradient ops on the GPU get `deterministic = true` where their lowering
    has the fixed-order form and `deterministic` is not `false`; a
    hand-written lowering keeps its own (absent: atomics).

    Before: `%y, %s = ssm.selective_scan %u, %dt, %A, %B, %C : ...`
    After (`target=gpu`):
    ```mlir
    %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C {ssm.lowering =
        #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-scan",
        strategy = "block-scan", threads_per_block = 128,
        items_per_thread = 8, channels_per_block = 1>} : ...
    ```
  }];
  let dependentDialects = [];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"cpu\"",
           "What the ops are lowered for: cpu or gpu">,
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_90\"",
           "GPU architecture of the cubin (gpu)">,
    Option<"variant", "variant", "std::string", /*default=*/"\"\"",
           "Fusion variant: fused-scan, unfused, fused-conv-scan, ...; "
           "ops it does not apply to keep their default (empty: every "
           "op's default)">,
    Option<"scanStrategy", "scan-strategy", "std::string",
           /*default=*/"\"\"",
           "Selective scan along the sequence: block-scan, chunked-parallel "
           "or sequential (a thread per (batch, channel) on the gpu; "
           "thread-per-point is read as sequential); empty: each op's "
           "default (gpu: block-scan forward, chunked-parallel gradient, as "
           "measured; cpu: sequential)">,
    Option<"ssdStrategy", "ssd-strategy", "std::string",
           /*default=*/"\"chunked\"",
           "SSD scan: chunked (the dual form, chunks of chunk-len) or "
           "recurrence (a point per (batch, head, p) walks the sequence)">,
    Option<"chunkLen", "chunk-len", "int64_t", /*default=*/"64",
           "Positions per chunk: the chunked SSD's chunk, the chunked-"
           "parallel scan's chunk, and the interval of states the "
           "sequential scan backward saves">,
    Option<"ssdTile", "ssd-tile", "int64_t", /*default=*/"8",
           "Most consecutive states or positions one point of the chunked "
           "SSD phases owns (1, 2, 4, 8 or 16)">,
    Option<"threadsPerBlock", "threads-per-block", "int64_t",
           /*default=*/"128",
           "GPU threads per block (a multiple of 32, at most 1024; gpu)">,
    Option<"itemsPerThread", "items-per-thread", "int64_t", /*default=*/"8",
           "Consecutive positions each block-scan thread scans in registers "
           "(1, 2, 4, 8 or 16; gpu)">,
    Option<"channelsPerBlock", "channels-per-block", "int64_t",
           /*default=*/"1",
           "Channels one block scans side by side (block-scan; gpu)">,
    Option<"maxRegisters", "max-registers", "int64_t", /*default=*/"0",
           "Registers per thread (16-255) of every kernel; 0 leaves them to "
           "ptxas (gpu)">,
    Option<"scanBackwardMaxRegisters", "scan-backward-max-registers",
           "int64_t", /*default=*/"168",
           "Registers per thread of the selective scan's block-scan "
           "backward (overrides max-registers there; 0 leaves it to "
           "max-registers; 168 measured, docs/PERFORMANCE.md; gpu)">,
    Option<"deterministic", "deterministic", "std::string",
           /*default=*/"\"auto\"",
           "Gradient reductions on the gpu: true (fixed order, the same "
           "bits every run; an error for a lowering without that form), "
           "false (floating-point atomics), auto (fixed order wherever the "
           "gradient's lowering has that form, atomics elsewhere; each "
           "op's #ssm.lowering records which)">,
    Option<"matmulStrategy", "matmul-strategy", "std::string",
           /*default=*/"\"\"",
           "Matrix products of ssm.linear and its gradient on the gpu: "
           "cublaslt (cuBLASLt called by the runtime, f32 activations, f32 "
           "arithmetic), cublaslt-tf32 (the same on tensor cores: inputs "
           "rounded to TF32, f32 accumulation) or generated (a point per "
           "output element); empty: each op's default (cublaslt for f32, "
           "generated otherwise; gpu)">,
  ];
}

def SSMTestKernelInterface : Pass<"ssm-test-kernel-interface", "ModuleOp"> {
  let summary = "Print what KernelOpInterface says of each ssm op (testing)";
  let description = [{
    Emits one remark per ssm kernel op with its operand and result port
    names (generated from ODS) and which ports are present, its parameter
    ports, its gradient or forward op, what its gradient may take saved, its
    recorded attributes, and its variants and strategies per target. The
    lit test compares them with the ODS declarations; nothing else uses it.
  }];
}

def SSMDistinctResults : Pass<"ssm-distinct-results", "ModuleOp"> {
  let summary = "Give every tensor a function returns its own value";
  let description = [{
    A function that returns one tensor as several results (`return %y, %y`)
    becomes one that returns a copy for each repetition, made with
    `bufferization.alloc_tensor() copy(...)`. Each result of a workload entry
    is a caller-allocated buffer, and upstream's
    buffer-results-to-out-params crashes on a buffer returned twice; both
    pipelines run this pass before bufferization.

    Before: `return %y, %y : tensor<4xf32>, tensor<4xf32>`
    After:
    ```mlir
    %c = bufferization.alloc_tensor() copy(%y) : tensor<4xf32>
    return %y, %c : tensor<4xf32>, tensor<4xf32>
    ```
  }];
  let dependentDialects = ["bufferization::BufferizationDialect"];
}

#endif // SSM_TRANSFORMS_PASSES_TD
