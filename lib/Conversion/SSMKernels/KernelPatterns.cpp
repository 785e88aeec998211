//===- KernelPatterns.cpp - ssm ops to kernels on buffers -------*- C++ -*-===//
//
// One conversion pattern per ssm op: operands become buffers through
// bufferization.to_buffer, results are freshly allocated, the op's kernels
// are emitted on the given ParallelTarget, and the results flow back as
// tensors through bufferization.to_tensor for one-shot bufferization.
//
//===----------------------------------------------------------------------===//

#include "ssm/Conversion/SSMToLoops/SSMToLoops.h"
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
  ImplicitLocOpBuilder b(op->getLoc(), rewriter);
  IRMapping buffers;
  for (auto [original, converted] :
       llvm::zip(op->getOperands(), convertedOperands)) {
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

namespace {
template <typename OpTy>
class KernelOpLowering : public OpConversionPattern<OpTy> {
public:
  KernelOpLowering(MLIRContext *context, ParallelTarget &target,
                   const KernelOptions &options)
      : OpConversionPattern<OpTy>(context), target(target), options(options) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    return rewriteOnBuffers(
        op, adaptor.getOperands(), rewriter,
        [&](ImplicitLocOpBuilder &b, const IRMapping &buffers) {
          return emitKernels(op, buffers, b, target, options);
        });
  }

private:
  ParallelTarget &target;
  KernelOptions options;
};
} // namespace

void mlir::ssm::populateSSMKernelPatterns(RewritePatternSet &patterns,
                                          ParallelTarget &target,
                                          const KernelOptions &options) {
  MLIRContext *context = patterns.getContext();
  patterns
      .add<KernelOpLowering<SelectiveScanOp>,
           KernelOpLowering<SelectiveScanGradOp>, KernelOpLowering<SSDScanOp>,
           KernelOpLowering<SSDScanGradOp>, KernelOpLowering<CausalConv1dOp>,
           KernelOpLowering<CausalConv1dGradOp>, KernelOpLowering<RMSNormOp>,
           KernelOpLowering<RMSNormGradOp>>(context, target, options);
}
