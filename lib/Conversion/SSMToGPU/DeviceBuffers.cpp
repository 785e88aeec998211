//===- DeviceBuffers.cpp - host buffers into GPU memory ---------*- C++ -*-===//

#include "ssm/Conversion/SSMToGPU/SSMToGPU.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace ssm {
#define GEN_PASS_DEF_SSMGPUDEVICEBUFFERS
#include "ssm/Conversion/Passes.h.inc"
} // namespace ssm
} // namespace mlir

using namespace mlir;
using namespace mlir::ssm;

/// A token that the work queued so far is complete, to start an async op.
static Value startToken(PatternRewriter &rewriter, Location loc) {
  auto tokenType = gpu::AsyncTokenType::get(rewriter.getContext());
  return gpu::WaitOp::create(rewriter, loc, tokenType, ValueRange())
      .getAsyncToken();
}

static bool insideKernel(Operation *op) {
  return op->getParentOfType<gpu::LaunchOp>() ||
         op->getParentOfType<gpu::GPUFuncOp>();
}

namespace {
struct AllocToGPU : OpRewritePattern<memref::AllocOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::AllocOp op,
                                PatternRewriter &rewriter) const override {
    if (insideKernel(op))
      return rewriter.notifyMatchFailure(op, "allocation inside a kernel");
    Location loc = op.getLoc();
    auto tokenType = gpu::AsyncTokenType::get(rewriter.getContext());
    auto alloc = gpu::AllocOp::create(
        rewriter, loc, op.getType(), tokenType,
        ValueRange{startToken(rewriter, loc)}, op.getDynamicSizes(),
        op.getSymbolOperands(), /*hostShared=*/false);
    gpu::WaitOp::create(rewriter, loc, Type(),
                        ValueRange{alloc.getAsyncToken()});
    rewriter.replaceOp(op, alloc.getMemref());
    return success();
  }
};

struct DeallocToGPU : OpRewritePattern<memref::DeallocOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::DeallocOp op,
                                PatternRewriter &rewriter) const override {
    if (insideKernel(op))
      return rewriter.notifyMatchFailure(op, "deallocation inside a kernel");
    Location loc = op.getLoc();
    auto tokenType = gpu::AsyncTokenType::get(rewriter.getContext());
    auto dealloc = gpu::DeallocOp::create(rewriter, loc, tokenType,
                                          ValueRange{startToken(rewriter, loc)},
                                          op.getMemref());
    gpu::WaitOp::create(rewriter, loc, Type(),
                        ValueRange{dealloc.getAsyncToken()});
    rewriter.eraseOp(op);
    return success();
  }
};

struct CopyToGPU : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    if (insideKernel(op))
      return rewriter.notifyMatchFailure(op, "copy inside a kernel");
    Location loc = op.getLoc();
    auto tokenType = gpu::AsyncTokenType::get(rewriter.getContext());
    auto copy = gpu::MemcpyOp::create(rewriter, loc, tokenType,
                                      ValueRange{startToken(rewriter, loc)},
                                      op.getTarget(), op.getSource());
    gpu::WaitOp::create(rewriter, loc, Type(),
                        ValueRange{copy.getAsyncToken()});
    rewriter.eraseOp(op);
    return success();
  }
};

class SSMGPUDeviceBuffersPass
    : public mlir::ssm::impl::SSMGPUDeviceBuffersBase<SSMGPUDeviceBuffersPass> {
public:
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<AllocToGPU, DeallocToGPU, CopyToGPU>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
