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

#endif // SSM_CONVERSION_PASSES_TD
