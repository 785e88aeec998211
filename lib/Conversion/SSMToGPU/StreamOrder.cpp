//===- StreamOrder.cpp - host GPU work queued without host waits -*- C++
//-*-===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// The runtime runs every stream the host code asks for (mgpuStreamCreate) on
// its one in-order stream, and an entry returns once its work is queued
// (docs/WORKLOAD_BINARY.md). Host waits between launches therefore only cost
// time: this pass makes every host-level GPU op asynchronous, chains the ops
// of each block by their tokens (program order, which the IR then says too)
// and removes the blocking waits.
//
// Upstream's gpu-async-region threads tokens through one function, but it
// waits on the host before every call with side effects, and in our host
// code every outlined kernel op and every library product is such a call.
//
//===----------------------------------------------------------------------===//

#include "ssm/Conversion/SSMToGPU/SSMToGPU.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"

namespace mlir {
namespace ssm {
#define GEN_PASS_DEF_SSMGPUSTREAMORDER
#include "ssm/Conversion/Passes.h.inc"
} // namespace ssm
} // namespace mlir

using namespace mlir;

/// The asynchronous form of the synchronous `launch`, started after
/// `previous`; `launch` is erased.
static gpu::LaunchFuncOp makeAsync(gpu::LaunchFuncOp launch, Value previous) {
  OpBuilder builder(launch);
  std::optional<gpu::KernelDim3> cluster;
  if (launch.hasClusterSize())
    cluster = launch.getClusterSizeOperandValues();
  auto async = gpu::LaunchFuncOp::create(
      builder, launch.getLoc(), launch.getKernelAttr(),
      launch.getGridSizeOperandValues(), launch.getBlockSizeOperandValues(),
      launch.getDynamicSharedMemorySize(), launch.getKernelOperands(),
      gpu::AsyncTokenType::get(builder.getContext()), ValueRange{previous},
      cluster);
  for (NamedAttribute attr : launch->getDiscardableAttrs())
    async->setAttr(attr.getName(), attr.getValue());
  launch.erase();
  return async;
}

/// Chains the host-level GPU ops of `block` in program order: each starts
/// after the previous one's token.
static void chain(Block &block) {
  Value previous;
  for (Operation &op : llvm::make_early_inc_range(block)) {
    for (Region &region : op.getRegions())
      for (Block &nested : region)
        chain(nested);
    if (auto wait = dyn_cast<gpu::WaitOp>(op)) {
      if (!wait.getAsyncToken()) {
        wait.erase(); // A host wait: nothing waits on the host any more.
      } else if (wait.getAsyncDependencies().empty() && previous) {
        // "Start now" becomes "start after the previous op".
        wait.getAsyncToken().replaceAllUsesWith(previous);
        wait.erase();
      } else {
        previous = wait.getAsyncToken();
      }
      continue;
    }
    if (auto launch = dyn_cast<gpu::LaunchFuncOp>(op)) {
      if (!launch.getAsyncToken()) {
        if (!previous) {
          OpBuilder builder(launch);
          previous =
              gpu::WaitOp::create(builder, launch.getLoc(),
                                  gpu::AsyncTokenType::get(op.getContext()),
                                  ValueRange())
                  .getAsyncToken();
        }
        previous = makeAsync(launch, previous).getAsyncToken();
        continue;
      }
    }
    if (auto async = dyn_cast<gpu::AsyncOpInterface>(op))
      if (Value token = async.getAsyncToken())
        previous = token;
  }
}

namespace {
class SSMGPUStreamOrderPass
    : public mlir::ssm::impl::SSMGPUStreamOrderBase<SSMGPUStreamOrderPass> {
public:
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isExternal())
        chain(func.getBody().front());
  }
};
} // namespace
