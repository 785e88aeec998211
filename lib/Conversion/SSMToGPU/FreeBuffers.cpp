//===- FreeBuffers.cpp - free GPU workload buffers after use ----*- C++ -*-===//

#include "ssm/Conversion/SSMToGPU/SSMToGPU.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir {
namespace ssm {
#define GEN_PASS_DEF_SSMGPUFREEBUFFERS
#include "ssm/Conversion/Passes.h.inc"
} // namespace ssm
} // namespace mlir

using namespace mlir;

/// The last operation of `block` that uses `value` (directly or from a
/// nested region), or null when the value escapes: returned, stored into
/// memory, or already freed.
static Operation *lastUseIn(Block &block, Value value) {
  Operation *last = nullptr;
  for (OpOperand &use : value.getUses()) {
    Operation *user = use.getOwner();
    if (isa<func::ReturnOp, memref::DeallocOp>(user))
      return nullptr;
    if (auto store = dyn_cast<memref::StoreOp>(user))
      if (store.getValueToStore() == value)
        return nullptr;
    Operation *ancestor = block.findAncestorOpInBlock(*user);
    if (!ancestor)
      return nullptr;
    if (!last || last->isBeforeInBlock(ancestor))
      last = ancestor;
  }
  return last;
}

namespace {
class SSMGPUFreeBuffersPass
    : public mlir::ssm::impl::SSMGPUFreeBuffersBase<SSMGPUFreeBuffersPass> {
public:
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    Block &body = func.getBody().front();
    SmallVector<memref::AllocOp> allocs(body.getOps<memref::AllocOp>());
    for (memref::AllocOp alloc : allocs) {
      Operation *last = lastUseIn(body, alloc.getResult());
      if (!last)
        continue;
      OpBuilder builder(last->getContext());
      builder.setInsertionPointAfter(last);
      memref::DeallocOp::create(builder, alloc.getLoc(), alloc.getResult());
    }
  }
};
} // namespace
