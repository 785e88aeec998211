//===- KernelPatterns.cpp - ssm ops to kernels on buffers -------*- C++ -*-===//
//
// One conversion pattern per (op, variant, strategy), chosen by the op's
// #ssm.lowering: operands become buffers through
// bufferization.to_buffer, results are freshly allocated, the op's kernels
// are emitted on the given ParallelTarget, and the results flow back as
// tensors through bufferization.to_tensor for one-shot bufferization.
//
//===----------------------------------------------------------------------===//

#include "GraphKernels.h"
#include "ScanKernels.h"
#include "ssm/Conversion/SSMKernels/FusedConvScan.h"
#include "ssm/IR/SSMOps.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::ssm;

LogicalResult mlir::ssm::rewriteOnBuffers(
    Operation *op, ValueRange convertedOperands,
    ConversionPatternRewriter &rewriter,
    function_ref<LogicalResult(ImplicitLocOpBuilder &, const IRMapping &)>
        emit) {
  return rewriteOnBuffers(op, op->getOperands(), convertedOperands, rewriter,
                          emit);
}

LogicalResult mlir::ssm::rewriteOnBuffers(
    Operation *op, ValueRange inputs, ValueRange convertedInputs,
    ConversionPatternRewriter &rewriter,
    function_ref<LogicalResult(ImplicitLocOpBuilder &, const IRMapping &)>
        emit) {
  ImplicitLocOpBuilder b(op->getLoc(), rewriter);
  IRMapping buffers;
  for (auto [original, converted] : llvm::zip(inputs, convertedInputs)) {
    auto type = cast<RankedTensorType>(original.getType());
    auto memrefType = MemRefType::get(type.getShape(), type.getElementType());
    buffers.map(original, bufferization::ToBufferOp::create(
                              b, memrefType, converted, /*read_only=*/true));
  }
  SmallVector<Value> allocations;
  for (Value result : op->getResults()) {
    auto type = cast<RankedTensorType>(result.getType());
    Value alloc = memref::AllocOp::create(
        b, MemRefType::get(type.getShape(), type.getElementType()));
    buffers.map(result, alloc);
    allocations.push_back(alloc);
  }
  if (failed(emit(b, buffers)))
    return failure();
  SmallVector<Value> replacements;
  for (auto [result, alloc] : llvm::zip(op->getResults(), allocations))
    replacements.push_back(bufferization::ToTensorOp::create(
        b, result.getType(), alloc, /*restrict=*/true, /*writable=*/true));
  rewriter.replaceOp(op, replacements);
  return success();
}

LogicalResult mlir::ssm::lowerOnBuffers(
    Operation *op, ValueRange convertedOperands,
    ConversionPatternRewriter &rewriter, ParallelTarget &target,
    LoweringAttr lowering,
    function_ref<LogicalResult(ImplicitLocOpBuilder &, const IRMapping &)>
        emit) {
  return lowerOnBuffers(op, op->getOperands(), convertedOperands, rewriter,
                        target, lowering, emit);
}

LogicalResult mlir::ssm::lowerOnBuffers(
    Operation *op, ValueRange inputs, ValueRange convertedInputs,
    ConversionPatternRewriter &rewriter, ParallelTarget &target,
    LoweringAttr lowering,
    function_ref<LogicalResult(ImplicitLocOpBuilder &, const IRMapping &)>
        emit) {
  // Everything the emitters build goes before `op`, in its block.
  Operation *previous = op->getPrevNode();
  Block *block = op->getBlock();
  target.setOrderedReductions(lowering && lowering.getDeterministic());
  target.beginOp(op, lowering);
  if (failed(rewriteOnBuffers(op, inputs, convertedInputs, rewriter, emit)))
    return failure();
  SmallVector<Operation *> created;
  for (Operation *it = previous ? previous->getNextNode() : &block->front();
       it && it != op; it = it->getNextNode())
    created.push_back(it);
  target.endOp(op, lowering, created);
  return success();
}

/// The sequential selective scan of a fused-conv-scan region.
static void
emitFusedConvScanSequential(SelectiveScanOp op, const IRMapping &buffers,
                            const ScanUSource &u, ImplicitLocOpBuilder &b,
                            ParallelTarget &target, const KernelOptions &) {
  emitSelectiveScanWithU(op, buffers, u, b, target);
}

/// Adapts an emitter that takes no options to KernelEmitter.
template <typename OpTy, void (*Emit)(OpTy, const IRMapping &,
                                      ImplicitLocOpBuilder &, ParallelTarget &)>
static void withoutOptions(OpTy op, const IRMapping &buffers,
                           ImplicitLocOpBuilder &b, ParallelTarget &target,
                           const KernelOptions &) {
  Emit(op, buffers, b, target);
}

/// Adds the lowering of an op whose only variant is `fused`.
template <typename OpTy, void (*Emit)(OpTy, const IRMapping &,
                                      ImplicitLocOpBuilder &, ParallelTarget &)>
static void addFused(RewritePatternSet &patterns, ParallelTarget &target,
                     StringRef strategy = "") {
  patterns.add<KernelOpLowering<OpTy>>(patterns.getContext(), target, "fused",
                                       strategy, withoutOptions<OpTy, Emit>);
}

void mlir::ssm::populateSSMKernelPatterns(RewritePatternSet &patterns,
                                          ParallelTarget &target) {
  MLIRContext *context = patterns.getContext();
  // The selective scan's sequential strategy: a point per (batch, channel)
  // walks the whole sequence.
  patterns.add<KernelOpLowering<SelectiveScanOp>>(
      context, target, "fused-scan", "sequential",
      withoutOptions<SelectiveScanOp, emitSelectiveScan>);
  patterns.add<KernelOpLowering<SelectiveScanGradOp>>(
      context, target, "fused-scan", "sequential", emitSelectiveScanGrad);
  // Its chunked-parallel strategy: the sequence split into chunks, a point
  // per (batch, chunk, channel), the chunk boundaries passed in between.
  patterns.add<KernelOpLowering<SelectiveScanOp>>(
      context, target, "fused-scan", "chunked-parallel",
      emitSelectiveScanChunkedParallel);
  patterns.add<KernelOpLowering<SelectiveScanGradOp>>(
      context, target, "fused-scan", "chunked-parallel",
      emitSelectiveScanGradChunkedParallel);
  // The unfused selective scan: each step of the reference formulas its
  // own kernel, with no strategy to choose.
  patterns.add<KernelOpLowering<SelectiveScanOp>>(context, target, "unfused",
                                                  "", emitSelectiveScanUnfused);
  patterns.add<KernelOpLowering<SelectiveScanGradOp>>(
      context, target, "unfused", "", emitSelectiveScanGradUnfused);
  // A fused-conv-scan region: the same scan, reading u through the region's
  // convolution.
  patterns.add<FusedConvScanLowering>(context, target, "sequential",
                                      emitFusedConvScanSequential,
                                      emitSelectiveScanGradWithU);
  // The SSD scan: the chunked (dual) form, or the per-point recurrence.
  patterns.add<KernelOpLowering<SSDScanOp>>(context, target, "phases",
                                            "chunked", emitSSDScanChunked);
  patterns.add<KernelOpLowering<SSDScanGradOp>>(
      context, target, "phases", "chunked", emitSSDScanGradChunked);
  patterns.add<KernelOpLowering<SSDScanOp>>(
      context, target, "phases", "recurrence",
      withoutOptions<SSDScanOp, emitSSDScan>);
  patterns.add<KernelOpLowering<SSDScanGradOp>>(context, target, "phases",
                                                "recurrence", emitSSDScanGrad);
  // Causal conv1d and RMS norm: one kernel (a row per point for the norm),
  // or, unfused, each step its own kernel through memory.
  patterns.add<KernelOpLowering<CausalConv1dOp>>(
      context, target, "fused", "",
      withoutOptions<CausalConv1dOp, emitCausalConv1d>);
  patterns.add<KernelOpLowering<CausalConv1dGradOp>>(
      context, target, "fused", "",
      withoutOptions<CausalConv1dGradOp, emitCausalConv1dGrad>);
  patterns.add<KernelOpLowering<RMSNormOp>>(
      context, target, "fused", "", withoutOptions<RMSNormOp, emitRMSNorm>);
  patterns.add<KernelOpLowering<RMSNormGradOp>>(
      context, target, "fused", "",
      withoutOptions<RMSNormGradOp, emitRMSNormGrad>);
  patterns.add<KernelOpLowering<CausalConv1dOp>>(
      context, target, "unfused", "",
      withoutOptions<CausalConv1dOp, emitCausalConv1dUnfused>);
  patterns.add<KernelOpLowering<CausalConv1dGradOp>>(
      context, target, "unfused", "",
      withoutOptions<CausalConv1dGradOp, emitCausalConv1dGradUnfused>);
  patterns.add<KernelOpLowering<RMSNormOp>>(
      context, target, "unfused", "",
      withoutOptions<RMSNormOp, emitRMSNormUnfused>);
  patterns.add<KernelOpLowering<RMSNormGradOp>>(
      context, target, "unfused", "",
      withoutOptions<RMSNormGradOp, emitRMSNormGradUnfused>);
  // The graph ops around the scans: one lowering each.
  // The matrix products' generated kernels: the CPU's only lowering, the
  // GPU's `generated` strategy (SSMToGPU adds `cublaslt`).
  for (StringRef strategy : {"", "generated"}) {
    addFused<LinearOp, emitLinear>(patterns, target, strategy);
    addFused<LinearGradOp, emitLinearGrad>(patterns, target, strategy);
  }
  addFused<EmbeddingOp, emitEmbedding>(patterns, target);
  addFused<EmbeddingGradOp, emitEmbeddingGrad>(patterns, target);
  addFused<CrossEntropyOp, emitCrossEntropy>(patterns, target);
  addFused<CrossEntropyGradOp, emitCrossEntropyGrad>(patterns, target);
  addFused<TransposeOp, emitTranspose>(patterns, target);
  addFused<ReshapeOp, emitReshape>(patterns, target);
  addFused<SliceOp, emitSlice>(patterns, target);
  addFused<SliceGradOp, emitSliceGrad>(patterns, target);
  addFused<ConcatOp, emitConcat>(patterns, target);
  addFused<FlipOp, emitFlip>(patterns, target);
  addFused<AddOp, emitAdd>(patterns, target);
  addFused<FillOp, emitFill>(patterns, target);
}
