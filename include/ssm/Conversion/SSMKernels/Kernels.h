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
  /// Positions per chunk. The selective scan's backward saves one state per
  /// chunk and recomputes the others; the chunked SSD scan is quadratic
  /// inside a chunk and passes one state between chunks.
  int64_t chunkLen = 64;
  /// How ssm.ssd_scan(_grad) is computed: the chunked (dual) form, or the
  /// per-point recurrence (each (batch, head, p) walks the sequence).
  enum class SSDStrategy { Chunked, Recurrence };
  SSDStrategy ssdStrategy = SSDStrategy::Chunked;
  /// Most consecutive states or positions one point of the chunked SSD
  /// phases owns (a power of two up to 16).
  int64_t ssdTile = 8;
};

/// The emitters' options from a conversion pass's option values. Fails with
/// an error at `anchor`, naming `passName` and the option, when
/// `ssdStrategy` or `ssdTile` is not one the emitters know (each pass
/// checks `chunkLen` with its own target's limits).
FailureOr<KernelOptions> makeKernelOptions(Operation *anchor,
                                           StringRef passName, int64_t chunkLen,
                                           StringRef ssdStrategy,
                                           int64_t ssdTile);

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

/// The operand buffers and sizes of a selective scan, forward or gradient
/// (every lowering of the two ops reads them the same way).
struct SelectiveScanBuffers {
  Value u, delta, A, B, C, D, z, deltaBias;
  int64_t batch, channels, length, numStates, groups;
  bool softplus;

  template <typename OpTy>
  SelectiveScanBuffers(OpTy op, const IRMapping &m)
      : u(m.lookup(op.getU())), delta(m.lookup(op.getDelta())),
        A(m.lookup(op.getA())), B(m.lookup(op.getB())), C(m.lookup(op.getC())),
        D(m.lookupOrNull(op.getD())), z(m.lookupOrNull(op.getZ())),
        deltaBias(m.lookupOrNull(op.getDeltaBias())),
        softplus(op.getDeltaSoftplus()) {
    ArrayRef<int64_t> shape = shapeOf(u);
    batch = shape[0];
    channels = shape[1];
    length = shape[2];
    numStates = shapeOf(A)[1];
    groups = shapeOf(B)[1];
  }
};

/// The operand buffers and sizes of an SSD scan, forward or gradient (read
/// the same way by the per-point recurrence and the chunked form).
struct SSDScanBuffers {
  Value x, dt, A, B, C, D, z, dtBias, init;
  int64_t batch, length, heads, headDim, numStates, groups;
  bool softplus;

  template <typename OpTy>
  SSDScanBuffers(OpTy op, const IRMapping &m)
      : x(m.lookup(op.getX())), dt(m.lookup(op.getDt())),
        A(m.lookup(op.getA())), B(m.lookup(op.getB())), C(m.lookup(op.getC())),
        D(m.lookupOrNull(op.getD())), z(m.lookupOrNull(op.getZ())),
        dtBias(m.lookupOrNull(op.getDtBias())),
        init(m.lookupOrNull(op.getInitialState())),
        softplus(op.getDtSoftplus()) {
    ArrayRef<int64_t> shape = shapeOf(x);
    batch = shape[0];
    length = shape[1];
    heads = shape[2];
    headDim = shape[3];
    numStates = shapeOf(B)[3];
    groups = shapeOf(B)[2];
  }
};

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
