//===- DistinctResults.cpp - one value per returned tensor ------*- C++ -*-===//
//
// Buffer results become caller-provided out-parameters; a tensor returned
// twice would be one buffer for two parameters, which upstream's
// buffer-results-to-out-params does not handle (it crashes). Each repetition
// is returned as a copy instead.
//
//===----------------------------------------------------------------------===//

#include "ssm/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace mlir {
namespace ssm {
#define GEN_PASS_DEF_SSMDISTINCTRESULTS
#include "ssm/Transforms/Passes.h.inc"
} // namespace ssm
} // namespace mlir

using namespace mlir;

namespace {
/// Replaces the second and later occurrences of a ranked tensor among the
/// operands of a func.return with a copy of it.
struct CopyRepeatedResults : public OpRewritePattern<func::ReturnOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(func::ReturnOp op,
                                PatternRewriter &rewriter) const override {
    llvm::SmallPtrSet<Value, 8> seen;
    SmallVector<Value> operands(op.getOperands());
    bool changed = false;
    for (Value &operand : operands) {
      auto type = dyn_cast<RankedTensorType>(operand.getType());
      if (seen.insert(operand).second || !type)
        continue;
      // With a copy, the sizes are those of the copied tensor.
      operand = bufferization::AllocTensorOp::create(
          rewriter, op.getLoc(), type, /*dynamicSizes=*/ValueRange(),
          /*copy=*/operand);
      changed = true;
    }
    if (!changed)
      return rewriter.notifyMatchFailure(op, "every result is distinct");
    rewriter.modifyOpInPlace(op, [&] { op->setOperands(operands); });
    return success();
  }
};

class SSMDistinctResultsPass
    : public mlir::ssm::impl::SSMDistinctResultsBase<SSMDistinctResultsPass> {
public:
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<CopyRepeatedResults>(&getContext());
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};
} // namespace
