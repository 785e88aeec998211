//===- Kernels.cpp - dispatch of the ssm kernel emitters --------*- C++ -*-===//

#include "ScanKernels.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::ssm;

FailureOr<KernelOptions> mlir::ssm::makeKernelOptions(Operation *anchor,
                                                      StringRef passName,
                                                      int64_t chunkLen,
                                                      StringRef ssdStrategy,
                                                      int64_t ssdTile) {
  KernelOptions options;
  options.chunkLen = chunkLen;
  if (ssdStrategy == "chunked")
    options.ssdStrategy = KernelOptions::SSDStrategy::Chunked;
  else if (ssdStrategy == "recurrence")
    options.ssdStrategy = KernelOptions::SSDStrategy::Recurrence;
  else
    return emitError(anchor->getLoc())
           << passName << ": unknown ssd-strategy '" << ssdStrategy
           << "': expected 'chunked' or 'recurrence'";
  if (!llvm::is_contained({1, 2, 4, 8, 16}, ssdTile))
    return emitError(anchor->getLoc())
           << passName << ": ssd-tile = " << ssdTile
           << " is not supported: expected 1, 2, 4, 8 or 16";
  options.ssdTile = ssdTile;
  return options;
}

bool mlir::ssm::isKernelOp(Operation *op) {
  return isa<SelectiveScanOp, SelectiveScanGradOp, SSDScanOp, SSDScanGradOp,
             CausalConv1dOp, CausalConv1dGradOp, RMSNormOp, RMSNormGradOp>(op);
}

LogicalResult mlir::ssm::emitKernels(Operation *op, const IRMapping &buffers,
                                     ImplicitLocOpBuilder &b,
                                     ParallelTarget &target,
                                     const KernelOptions &options) {
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](SelectiveScanOp scan) {
        emitSelectiveScan(scan, buffers, b, target);
        return success();
      })
      .Case([&](SelectiveScanGradOp grad) {
        emitSelectiveScanGrad(grad, buffers, b, target, options);
        return success();
      })
      .Case([&](SSDScanOp scan) {
        if (options.ssdStrategy == KernelOptions::SSDStrategy::Chunked)
          emitSSDScanChunked(scan, buffers, b, target, options);
        else
          emitSSDScan(scan, buffers, b, target);
        return success();
      })
      .Case([&](SSDScanGradOp grad) {
        if (options.ssdStrategy == KernelOptions::SSDStrategy::Chunked)
          emitSSDScanGradChunked(grad, buffers, b, target, options);
        else
          emitSSDScanGrad(grad, buffers, b, target, options);
        return success();
      })
      .Case([&](CausalConv1dOp conv) {
        emitCausalConv1d(conv, buffers, b, target);
        return success();
      })
      .Case([&](CausalConv1dGradOp grad) {
        emitCausalConv1dGrad(grad, buffers, b, target);
        return success();
      })
      .Case([&](RMSNormOp norm) {
        emitRMSNorm(norm, buffers, b, target);
        return success();
      })
      .Case([&](RMSNormGradOp grad) {
        emitRMSNormGrad(grad, buffers, b, target);
        return success();
      })
      .Default([](Operation *other) {
        return other->emitOpError("has no kernel lowering");
      });
}
