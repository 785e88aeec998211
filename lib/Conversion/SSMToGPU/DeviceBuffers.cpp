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

static bool insideKernel(Operation *op) {
  return op->getParentOfType<gpu::LaunchOp>() ||
         op->getParentOfType<gpu::GPUFuncOp>();
}

namespace {
/// Replaces a host-level memref op by the async GPU op `build` creates: it
/// starts after the work queued so far (a fresh `gpu.wait async` token) and
/// is waited for right after, so the program order is kept.
template <typename OpTy> struct HostToDevice : OpRewritePattern<OpTy> {
  using BuildFn = std::function<Operation *(PatternRewriter &, OpTy, Value)>;
  HostToDevice(MLIRContext *context, BuildFn build)
      : OpRewritePattern<OpTy>(context), build(std::move(build)) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (insideKernel(op))
      return rewriter.notifyMatchFailure(op, "inside a kernel");
    Location loc = op.getLoc();
    auto tokenType = gpu::AsyncTokenType::get(rewriter.getContext());
    Value start = gpu::WaitOp::create(rewriter, loc, tokenType, ValueRange())
                      .getAsyncToken();
    Operation *async = build(rewriter, op, start);
    Value done = async->getResult(async->getNumResults() - 1);
    gpu::WaitOp::create(rewriter, loc, Type(), ValueRange{done});
    rewriter.replaceOp(op, async->getResults().drop_back());
    return success();
  }

  BuildFn build;
};

class SSMGPUDeviceBuffersPass
    : public mlir::ssm::impl::SSMGPUDeviceBuffersBase<SSMGPUDeviceBuffersPass> {
public:
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    MLIRContext *context = &getContext();
    auto token = gpu::AsyncTokenType::get(context);
    patterns.add<HostToDevice<memref::AllocOp>>(
        context, [token](PatternRewriter &r, memref::AllocOp op, Value start) {
          return gpu::AllocOp::create(r, op.getLoc(), op.getType(), token,
                                      ValueRange{start}, op.getDynamicSizes(),
                                      op.getSymbolOperands(),
                                      /*hostShared=*/false)
              .getOperation();
        });
    patterns.add<HostToDevice<memref::DeallocOp>>(
        context,
        [token](PatternRewriter &r, memref::DeallocOp op, Value start) {
          return gpu::DeallocOp::create(r, op.getLoc(), token,
                                        ValueRange{start}, op.getMemref())
              .getOperation();
        });
    patterns.add<HostToDevice<memref::CopyOp>>(
        context, [token](PatternRewriter &r, memref::CopyOp op, Value start) {
          return gpu::MemcpyOp::create(r, op.getLoc(), token, ValueRange{start},
                                       op.getTarget(), op.getSource())
              .getOperation();
        });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
