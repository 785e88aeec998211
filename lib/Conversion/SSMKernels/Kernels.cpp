//===- Kernels.cpp - the emitters' view of a lowering -----------*- C++ -*-===//

#include "ssm/Conversion/SSMKernels/Kernels.h"
#include "ssm/IR/SSMLowering.h"

using namespace mlir;
using namespace mlir::ssm;

KernelOptions KernelOptions::fromLowering(LoweringAttr lowering) {
  KernelOptions options;
  auto take = [](int64_t value, int64_t &field) {
    if (value != 0)
      field = value;
  };
  take(lowering.getChunkLen(), options.chunkLen);
  take(lowering.getSsdTile(), options.ssdTile);
  take(lowering.getThreadsPerBlock(), options.threadsPerBlock);
  take(lowering.getItemsPerThread(), options.itemsPerThread);
  take(lowering.getChannelsPerBlock(), options.channelsPerBlock);
  return options;
}

LoweringAttr mlir::ssm::getOpLowering(Operation *op) { return getLowering(op); }
