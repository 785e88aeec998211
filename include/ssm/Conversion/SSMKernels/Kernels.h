//===- Kernels.h - loop nests of the ssm ops --------------------*- C++ -*-===//
//
// Emits the buffer-level computation of every ssm op (forward and gradient)
// as loop nests over memrefs, on a `ParallelTarget`. Both conversions (to
// CPU loops and to GPU kernels) are built on these emitters, so the two
// targets compute the same thing and differ only in how points are mapped.
//
//===----------------------------------------------------------------------===//

#ifndef SSM_CONVERSION_SSMKERNELS_KERNELS_H
#define SSM_CONVERSION_SSMKERNELS_KERNELS_H

#include "ssm/Conversion/SSMKernels/KernelBuilder.h"
#include "ssm/IR/SSMOps.h"

#include "mlir/IR/Operation.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir {
namespace ssm {

/// Lowering choices the emitters take. They are pass options, recorded in
/// the workload binary.
struct KernelOptions {
  /// Positions between two saved scan states in the backward pass: the
  /// backward recomputes the states of one chunk from its saved start state
  /// instead of storing every state.
  int64_t chunkLen = 64;
};

/// Emits the computation of `op` (an ssm op) at the builder's insertion
/// point. `buffers` maps each present operand and result tensor of `op` to
/// its memref; result buffers are allocated by the caller. Fails with a
/// diagnostic on an op it does not know.
LogicalResult emitKernels(Operation *op, const IRMapping &buffers,
                          ImplicitLocOpBuilder &b, ParallelTarget &target,
                          const KernelOptions &options);

/// Replaces the tensor op `op` by a computation on buffers: its operands
/// (`convertedOperands`) enter through bufferization.to_buffer, its results
/// are freshly allocated buffers that `emit` fills and that leave through
/// bufferization.to_tensor, for one-shot bufferization to finish.
LogicalResult rewriteOnBuffers(
    Operation *op, ValueRange convertedOperands,
    ConversionPatternRewriter &rewriter,
    function_ref<LogicalResult(ImplicitLocOpBuilder &, const IRMapping &)>
        emit);

/// The gradients of ssm.selective_scan_grad that several points (channels,
/// batches, positions) accumulate into, zero-filled on creation. Shared by
/// every lowering of the op.
struct SelectiveScanGradAccumulators {
  SelectiveScanGradAccumulators(KernelBuilder &kb, SelectiveScanGradOp op,
                                const IRMapping &buffers);
  /// Converts f32 scratch accumulators into their (bf16/f16) results.
  void finish(KernelBuilder &kb) const;

  Accumulator dA, dB, dC, dD, dDeltaBias;
};

/// Returns true for the ops `emitKernels` lowers.
bool isKernelOp(Operation *op);

} // namespace ssm
} // namespace mlir

#endif // SSM_CONVERSION_SSMKERNELS_KERNELS_H
