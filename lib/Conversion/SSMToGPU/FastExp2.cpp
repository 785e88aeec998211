//===- FastExp2.cpp - exp2 in kernels as one ex2.approx.ftz -----*- C++ -*-===//

#include "ssm/Conversion/SSMToGPU/SSMToGPU.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace ssm {
#define GEN_PASS_DEF_SSMGPUFASTEXP2
#include "ssm/Conversion/Passes.h.inc"
} // namespace ssm
} // namespace mlir

using namespace mlir;

namespace {
struct FastExp2ToIntrinsic : OpRewritePattern<math::Exp2Op> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::Exp2Op op,
                                PatternRewriter &rewriter) const override {
    if (!op.getType().isF32())
      return rewriter.notifyMatchFailure(op, "only f32 has ex2.approx.ftz");
    if (!bitEnumContainsAll(op.getFastmath(), arith::FastMathFlags::afn))
      return rewriter.notifyMatchFailure(op, "approximation not allowed");
    if (!op->getParentOfType<gpu::LaunchOp>() &&
        !op->getParentOfType<gpu::GPUFuncOp>())
      return rewriter.notifyMatchFailure(op, "not in a GPU kernel");
    rewriter.replaceOpWithNewOp<LLVM::CallIntrinsicOp>(
        op, op.getType(), rewriter.getStringAttr("llvm.nvvm.ex2.approx.ftz.f"),
        ValueRange{op.getOperand()});
    return success();
  }
};

class SSMGPUFastExp2Pass
    : public mlir::ssm::impl::SSMGPUFastExp2Base<SSMGPUFastExp2Pass> {
public:
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FastExp2ToIntrinsic>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
