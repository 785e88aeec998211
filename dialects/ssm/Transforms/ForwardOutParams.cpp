//===- ForwardOutParams.cpp - no copy into out-parameters -------*- C++ -*-===//
//
// Upstream's buffer-results-to-out-params rewrites callers before callees,
// so a returned call result becomes alloc + call + copy into the
// out-parameter; hoist-static-allocs only handles allocations returned
// directly. This pass forwards the out-parameter into the call instead.
//
//===----------------------------------------------------------------------===//

#include "ssm/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir {
namespace ssm {
#define GEN_PASS_DEF_SSMFORWARDOUTPARAMS
#include "ssm/Transforms/Passes.h.inc"
} // namespace ssm
} // namespace mlir

using namespace mlir;

namespace {

/// True when `copy` (alloc -> out-parameter) can be dropped by writing the
/// out-parameter where the allocation is written.
bool canForward(memref::CopyOp copy) {
  auto alloc = copy.getSource().getDefiningOp<memref::AllocOp>();
  auto outParam = dyn_cast<BlockArgument>(copy.getTarget());
  if (!alloc || !outParam || alloc.getType() != outParam.getType() ||
      alloc->getBlock() != copy->getBlock() ||
      !outParam.getOwner()->isEntryBlock() || !outParam.hasOneUse())
    return false;
  for (Operation *user : alloc->getUsers()) {
    if (user == copy || isa<memref::DeallocOp>(user))
      continue;
    // Only whole-buffer writes by calls before the copy: no view of the
    // buffer escapes, and nothing reads it after the copy.
    if (!isa<func::CallOp>(user) || user->getBlock() != copy->getBlock() ||
        !user->isBeforeInBlock(copy))
      return false;
  }
  return true;
}

class ForwardOutParamsPass
    : public mlir::ssm::impl::SSMForwardOutParamsBase<ForwardOutParamsPass> {
public:
  using Base::Base;

  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) {
      if (canForward(copy))
        copies.push_back(copy);
    });
    for (memref::CopyOp copy : copies) {
      auto alloc = copy.getSource().getDefiningOp<memref::AllocOp>();
      Value outParam = copy.getTarget();
      copy.erase();
      for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      alloc.replaceAllUsesWith(outParam);
      alloc.erase();
    }
  }
};

} // namespace
