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

#include <functional>

namespace mlir {
namespace ssm {

/// The tiles of one op's #ssm.lowering, as the emitters take them.
struct KernelOptions {
  /// Positions per chunk. The sequential scan's backward saves one state
  /// per chunk and recomputes the others; the chunked SSD scan is quadratic
  /// inside a chunk and passes one state between chunks.
  int64_t chunkLen = 64;
  /// Most consecutive states or positions one point of the chunked SSD
  /// phases owns (a power of two up to 16).
  int64_t ssdTile = 8;
  /// GPU tiles of the block scan.
  int64_t threadsPerBlock = 128;
  int64_t itemsPerThread = 8;
  int64_t channelsPerBlock = 1;

  /// The options of a lowering; parameters it leaves at 0 (not applicable)
  /// keep the defaults above.
  static KernelOptions fromLowering(LoweringAttr lowering);
};

/// Emits the computation of `op` at the builder's insertion point: one
/// (op, variant, strategy) of the ssm ops. `buffers` maps each present
/// operand and result tensor of `op` to its memref; result buffers are
/// allocated by the caller.
template <typename OpTy>
using KernelEmitter =
    std::function<void(OpTy op, const IRMapping &buffers,
                       ImplicitLocOpBuilder &b, ParallelTarget &target,
                       const KernelOptions &options)>;

/// Replaces the tensor op `op` by a computation on buffers: its operands
/// (`convertedOperands`) enter through bufferization.to_buffer, its results
/// are freshly allocated buffers that `emit` fills and that leave through
/// bufferization.to_tensor, for one-shot bufferization to finish.
LogicalResult rewriteOnBuffers(
    Operation *op, ValueRange convertedOperands,
    ConversionPatternRewriter &rewriter,
    function_ref<LogicalResult(ImplicitLocOpBuilder &, const IRMapping &)>
        emit);

/// rewriteOnBuffers for an op whose inputs are not its operands (an
/// ssm.fusion, whose region reads values defined above it): `inputs` enter
/// as buffers, `convertedInputs` being their converted values.
LogicalResult rewriteOnBuffers(
    Operation *op, ValueRange inputs, ValueRange convertedInputs,
    ConversionPatternRewriter &rewriter,
    function_ref<LogicalResult(ImplicitLocOpBuilder &, const IRMapping &)>
        emit);

/// rewriteOnBuffers between target.beginOp and target.endOp, so that the
/// target sees which op (and lowering) the kernels it builds are for.
LogicalResult lowerOnBuffers(
    Operation *op, ValueRange convertedOperands,
    ConversionPatternRewriter &rewriter, ParallelTarget &target,
    LoweringAttr lowering,
    function_ref<LogicalResult(ImplicitLocOpBuilder &, const IRMapping &)>
        emit);
/// The same with explicit inputs (see rewriteOnBuffers).
LogicalResult lowerOnBuffers(
    Operation *op, ValueRange inputs, ValueRange convertedInputs,
    ConversionPatternRewriter &rewriter, ParallelTarget &target,
    LoweringAttr lowering,
    function_ref<LogicalResult(ImplicitLocOpBuilder &, const IRMapping &)>
        emit);

/// The #ssm.lowering of `op`, or null.
LoweringAttr getOpLowering(Operation *op);

/// Adds one KernelOpLowering per (op, variant, strategy) that the shared
/// emitters implement, on `target` (both targets).
void populateSSMKernelPatterns(RewritePatternSet &patterns,
                               ParallelTarget &target);

/// Bytes of private buffers one point of the chunked-parallel selective
/// scan's backward keeps (the state at the start of each row of its chunk,
/// a carry and a dA per state), for a sequence of `length` positions with
/// `numStates` states in chunks of `chunkLen`.
int64_t chunkedParallelGradPrivateBytes(int64_t length, int64_t numStates,
                                        int64_t chunkLen);

/// The operand buffers and sizes of a selective scan, forward or gradient
/// (every lowering of the two ops reads them the same way). `u` is null
/// when the scan computes it (a fused-conv-scan region); the sizes come
/// from `delta`, which has its shape.
struct SelectiveScanBuffers {
  Value u, delta, A, B, C, D, z, deltaBias;
  int64_t batch, channels, length, numStates, groups;
  bool softplus;

  template <typename OpTy>
  SelectiveScanBuffers(OpTy op, const IRMapping &m)
      : u(m.lookupOrNull(op.getU())), delta(m.lookup(op.getDelta())),
        A(m.lookup(op.getA())), B(m.lookup(op.getB())), C(m.lookup(op.getC())),
        D(m.lookupOrNull(op.getD())), z(m.lookupOrNull(op.getZ())),
        deltaBias(m.lookupOrNull(op.getDeltaBias())),
        softplus(op.getDeltaSoftplus()) {
    ArrayRef<int64_t> shape = shapeOf(delta);
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
  /// Partial copies of ordered accumulators (see Accumulator): `channelSlots`
  /// for the per-channel dA, dD and ddelta_bias, `sharedSlots` for dB and
  /// dC, which the channels of a group share.
  SelectiveScanGradAccumulators(KernelBuilder &kb, SelectiveScanGradOp op,
                                const IRMapping &buffers,
                                int64_t channelSlots = 1,
                                int64_t sharedSlots = 1);
  /// Writes the sums into the results (partial copies summed in order, f32
  /// scratch converted into bf16/f16 results).
  void finish(KernelBuilder &kb) const;

  Accumulator dA, dB, dC, dD, dDeltaBias;
};

/// Lowers `OpTy` when its #ssm.lowering names `variant` and `strategy`
/// (empty for an op without strategies on the target): operands become buffers,
/// results fresh allocations filled by `emit` on `target`, and the results flow
/// back as tensors (rewriteOnBuffers). One pattern per (op, variant, strategy);
/// an op without a lowering does not match (the conversions give every op one
/// first, see ensureLowerings).
template <typename OpTy>
class KernelOpLowering : public OpConversionPattern<OpTy> {
public:
  KernelOpLowering(MLIRContext *context, ParallelTarget &target,
                   StringRef variant, StringRef strategy,
                   KernelEmitter<OpTy> emit)
      : OpConversionPattern<OpTy>(context), target(target),
        variant(variant.str()), strategy(strategy.str()), emit(emit) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    LoweringAttr lowering = getOpLowering(op);
    if (!lowering)
      return rewriter.notifyMatchFailure(op, "has no ssm.lowering");
    if (lowering.getVariant() != variant || lowering.getStrategy() != strategy)
      return rewriter.notifyMatchFailure(op, "another variant or strategy");
    return lowerOnBuffers(
        op, adaptor.getOperands(), rewriter, target, lowering,
        [&](ImplicitLocOpBuilder &b, const IRMapping &buffers) {
          emit(op, buffers, b, target, KernelOptions::fromLowering(lowering));
          return success();
        });
  }

private:
  ParallelTarget &target;
  std::string variant, strategy;
  KernelEmitter<OpTy> emit;
};

} // namespace ssm
} // namespace mlir

#endif // SSM_CONVERSION_SSMKERNELS_KERNELS_H
