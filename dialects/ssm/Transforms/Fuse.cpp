//===- Fuse.cpp - form the fused groups of a fusion variant -----*- C++ -*-===//

#include "ssm/IR/SSMLowering.h"
#include "ssm/IR/SSMOps.h"
#include "ssm/Transforms/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace ssm {
#define GEN_PASS_DEF_SSMFUSE
#include "ssm/Transforms/Passes.h.inc"
} // namespace ssm
} // namespace mlir

using namespace mlir;
using namespace mlir::ssm;

namespace {
/// fused-conv-scan: a selective scan (or its gradient) whose `u` is a silu
/// causal convolution becomes one region holding a copy of the convolution
/// and the scan. Each consumer gets its own copy (the forward and the
/// gradient both recompute the convolution); the original is erased by the
/// driver once nothing uses it.
template <typename ScanOp>
class FuseConvScan : public OpRewritePattern<ScanOp> {
public:
  using OpRewritePattern<ScanOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ScanOp scan,
                                PatternRewriter &rewriter) const override {
    if (isa<FusionOp>(scan->getParentOp()))
      return rewriter.notifyMatchFailure(scan, "already fused");
    auto conv = scan.getU().template getDefiningOp<CausalConv1dOp>();
    if (!conv || conv.getActivation() != Activation::silu)
      return rewriter.notifyMatchFailure(scan, "u is not a silu conv1d");
    if (llvm::count(scan->getOperands(), conv.getY()) != 1)
      return rewriter.notifyMatchFailure(
          scan, "the convolution feeds more than the scan's u");
    if (getLowering(scan) || getLowering(conv))
      return rewriter.notifyMatchFailure(
          scan, "a hand-written lowering keeps the ops apart");

    auto fusion = FusionOp::create(rewriter, scan.getLoc(),
                                   scan->getResultTypes(), "fused-conv-scan");
    Block *body = rewriter.createBlock(&fusion.getBody());
    rewriter.setInsertionPointToStart(body);
    IRMapping mapping;
    rewriter.clone(*conv, mapping);
    Operation *inner = rewriter.clone(*scan, mapping);
    YieldOp::create(rewriter, scan.getLoc(), inner->getResults());
    rewriter.replaceOp(scan, fusion.getResults());
    return success();
  }
};

class SSMFusePass : public mlir::ssm::impl::SSMFuseBase<SSMFusePass> {
public:
  using Base::Base;

  void runOnOperation() override {
    SmallVector<StringRef> known = getAllLoweringVariants(&getContext());
    if (!variant.empty() && !llvm::is_contained(known, StringRef(variant))) {
      InFlightDiagnostic diag = emitError(getOperation().getLoc())
                                << "ssm-fuse: variant = '" << variant
                                << "' is unknown: expected";
      for (auto [i, v] : llvm::enumerate(known))
        diag << (i ? ", '" : " '") << v << "'";
      return signalPassFailure();
    }
    if (variant != "fused-conv-scan")
      return;
    RewritePatternSet patterns(&getContext());
    patterns
        .add<FuseConvScan<SelectiveScanOp>, FuseConvScan<SelectiveScanGradOp>>(
            &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
