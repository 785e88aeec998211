//===- SSMToGPU.cpp - ssm to GPU kernels ------------------------*- C++ -*-===//
//
// The GPU target of the shared kernel emitters: one thread per parallel
// point, `threads-per-block` threads per block, a bounds check for the last
// block, and atomic accumulation of shared gradients.
//
//===----------------------------------------------------------------------===//

#include "ssm/Conversion/SSMToGPU/SSMToGPU.h"
#include "BlockScan.h"
#include "ssm/Conversion/SSMToLoops/SSMToLoops.h"
#include "ssm/IR/SSMDialect.h"
#include "ssm/IR/SSMOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace mlir {
namespace ssm {
#define GEN_PASS_DEF_CONVERTSSMTOGPU
#include "ssm/Conversion/Passes.h.inc"
} // namespace ssm
} // namespace mlir

using namespace mlir;
using namespace mlir::ssm;

static LogicalResult checkPrivateStates(Operation *root, int64_t chunkLen,
                                        bool blockScan, int64_t itemsPerThread,
                                        bool ssdRecurrence);

namespace {
/// One thread per point of the flattened iteration space.
class ThreadPerPoint : public ParallelTarget {
public:
  explicit ThreadPerPoint(int64_t threadsPerBlock)
      : threadsPerBlock(threadsPerBlock) {}

  void parallelFor(ImplicitLocOpBuilder &b, ArrayRef<int64_t> bounds,
                   BodyFn body) override {
    int64_t total = 1;
    for (int64_t bound : bounds)
      total *= bound;
    int64_t threads = std::min(threadsPerBlock, total);
    int64_t blocks = (total + threads - 1) / threads;
    auto constant = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, v);
    };
    Value one = constant(1);
    auto launch = gpu::LaunchOp::create(b, constant(blocks), one, one,
                                        constant(threads), one, one);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&launch.getBody().front());
    auto terminator = gpu::TerminatorOp::create(b);
    b.setInsertionPoint(terminator);

    Value id = arith::AddIOp::create(
        b, arith::MulIOp::create(b, launch.getBlockIds().x, constant(threads)),
        launch.getThreadIds().x);
    Value inside = arith::CmpIOp::create(b, arith::CmpIPredicate::ult, id,
                                         constant(total));
    auto guardIf = scf::IfOp::create(b, inside, /*withElseRegion=*/false);
    b.setInsertionPoint(guardIf.thenBlock()->getTerminator());
    // Delinearise the point index, innermost dimension fastest.
    SmallVector<Value> ivs(bounds.size());
    Value rest = id;
    for (int64_t i = static_cast<int64_t>(bounds.size()) - 1; i >= 0; --i) {
      ivs[i] = arith::RemUIOp::create(b, rest, constant(bounds[i]));
      rest = arith::DivUIOp::create(b, rest, constant(bounds[i]));
    }
    int64_t enclosingInnermost = innermostBound;
    innermostBound = bounds.empty() ? 1 : bounds.back();
    body(b, ivs);
    innermostBound = enclosingInnermost;
  }

  bool concurrentPoints() const override { return true; }
  bool vectorRows() const override { return true; }

  /// When the innermost bound is a multiple of the warp size, each warp's
  /// 32 lanes share every outer index (blocks hold whole warps and the
  /// flattened index runs innermost fastest), and no warp straddles the
  /// bounds check: the warp sums its lanes with a butterfly of shuffles and
  /// lane 0 alone adds atomically, 32 times fewer atomics on one address.
  bool accumulateOverInnermost(ImplicitLocOpBuilder &b, Value value,
                               Value memref, ValueRange indices) override {
    if (innermostBound % 32 != 0)
      return false;
    value = warpAllSum(b, value);
    Value lane =
        arith::RemUIOp::create(b, gpu::ThreadIdOp::create(b, gpu::Dimension::x),
                               arith::ConstantIndexOp::create(b, 32));
    Value first = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, lane,
                                        arith::ConstantIndexOp::create(b, 0));
    auto ifFirst = scf::IfOp::create(b, first, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(ifFirst.thenBlock()->getTerminator());
    memref::AtomicRMWOp::create(b, arith::AtomicRMWKind::addf, value, memref,
                                indices);
    return true;
  }

private:
  int64_t threadsPerBlock;
  /// Innermost bound of the parallelFor being built (0 outside one).
  int64_t innermostBound = 0;
};

class ConvertSSMToGPUPass
    : public mlir::ssm::impl::ConvertSSMToGPUBase<ConvertSSMToGPUPass> {
public:
  using Base::Base;

  void runOnOperation() override {
    if (failed(validateGPUTiles(getOperation(), threadsPerBlock, chunkLen)))
      return signalPassFailure();
    if (scanStrategy != "block-scan" && scanStrategy != "thread-per-point") {
      emitError(getOperation().getLoc())
          << "convert-ssm-to-gpu: unknown scan-strategy '" << scanStrategy
          << "': expected 'block-scan' or 'thread-per-point'";
      return signalPassFailure();
    }
    FailureOr<KernelOptions> options = makeKernelOptions(
        getOperation(), getArgument(), chunkLen, ssdStrategy, ssdTile);
    if (failed(options))
      return signalPassFailure();
    if (!llvm::is_contained({1, 2, 4, 8, 16}, int64_t(itemsPerThread))) {
      emitError(getOperation().getLoc())
          << "convert-ssm-to-gpu: items-per-thread = "
          << static_cast<int64_t>(itemsPerThread)
          << " is not supported: expected 1, 2, 4, 8 or 16";
      return signalPassFailure();
    }
    if (failed(checkPrivateStates(getOperation(), chunkLen,
                                  scanStrategy == "block-scan", itemsPerThread,
                                  options->ssdStrategy ==
                                      KernelOptions::SSDStrategy::Recurrence)))
      return signalPassFailure();
    ThreadPerPoint threads(threadsPerBlock);
    RewritePatternSet patterns(&getContext());
    BlockScanTiles tiles{threadsPerBlock, itemsPerThread, channelsPerBlock};
    if (scanStrategy == "block-scan" &&
        failed(checkBlockScanTiles(getOperation(), tiles)))
      return signalPassFailure();
    if (scanStrategy == "block-scan")
      populateSelectiveScanBlockScanPatterns(patterns, tiles, threads);
    populateSSMKernelPatterns(patterns, threads, *options);
    ConversionTarget target(getContext());
    target.addIllegalDialect<SSMDialect>();
    target.addLegalDialect<
        arith::ArithDialect, bufferization::BufferizationDialect,
        func::FuncDialect, gpu::GPUDialect, LLVM::LLVMDialect,
        vector::VectorDialect, math::MathDialect, memref::MemRefDialect,
        scf::SCFDialect, tensor::TensorDialect>();
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

LogicalResult mlir::ssm::validateGPUTiles(Operation *anchor,
                                          int64_t threadsPerBlock,
                                          int64_t chunkLen) {
  // Every NVIDIA GPU: at most 1024 threads per block; whole warps of 32.
  if (threadsPerBlock < 32 || threadsPerBlock > 1024 ||
      threadsPerBlock % 32 != 0)
    return emitError(anchor->getLoc())
           << "convert-ssm-to-gpu: threads-per-block = " << threadsPerBlock
           << " is impossible on NVIDIA GPUs: it must be a multiple of 32 "
              "between "
              "32 and 1024";
  if (chunkLen < 1)
    return emitError(anchor->getLoc())
           << "convert-ssm-to-gpu: chunk-len = " << chunkLen
           << " must be at least 1";
  return success();
}

/// The thread-per-point scan backward keeps one chunk of states per thread
/// (chunk-len x d_state floats) in local memory; the driver reserves that
/// for every resident thread, so large chunks fail at launch with an
/// out-of-memory error. Reject them here, naming the parameter.
static LogicalResult checkPrivateStates(Operation *root, int64_t chunkLen,
                                        bool blockScan, int64_t itemsPerThread,
                                        bool ssdRecurrence) {
  const int64_t limit = 64 * 1024;
  WalkResult result = root->walk([&](Operation *op) {
    int64_t length = 0, numStates = 0;
    if (auto grad = dyn_cast<SelectiveScanGradOp>(op)) {
      length = cast<ShapedType>(grad.getU().getType()).getDimSize(2);
      numStates = cast<ShapedType>(grad.getA().getType()).getDimSize(1);
      if (blockScan && length % itemsPerThread == 0)
        return WalkResult::advance(); // lowered by the block scan
    } else if (auto grad = dyn_cast<SSDScanGradOp>(op); grad && ssdRecurrence) {
      length = cast<ShapedType>(grad.getX().getType()).getDimSize(1);
      numStates = cast<ShapedType>(grad.getB().getType()).getDimSize(3);
    } else {
      return WalkResult::advance();
    }
    int64_t bytes = 4 * std::min(chunkLen, length) * numStates;
    if (bytes <= limit)
      return WalkResult::advance();
    op->emitOpError() << "cannot be lowered on the GPU with chunk-len = "
                      << chunkLen << ": each thread would keep " << bytes
                      << " bytes of scan states (chunk-len x d_state "
                      << numStates << " floats) in local memory, more than "
                      << limit << "; lower chunk-len";
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}
