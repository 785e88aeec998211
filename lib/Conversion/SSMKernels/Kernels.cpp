//===- Kernels.cpp - dispatch of the ssm kernel emitters --------*- C++ -*-===//

#include "ScanKernels.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::ssm;

std::optional<KernelOptions::SSDStrategy>
mlir::ssm::parseSSDStrategy(StringRef name) {
  if (name == "chunked")
    return KernelOptions::SSDStrategy::Chunked;
  if (name == "recurrence")
    return KernelOptions::SSDStrategy::Recurrence;
  return std::nullopt;
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
