//===- OutlineKernels.cpp - one function per distinct kernel op -*- C++ -*-===//
//
// Upstream's outlining (gpu-kernel-outlining) outlines every launch on its
// own and nothing dedupes identical kernels; this pass shares one private
// function among identical ssm kernel ops before they are lowered, so that
// each distinct op is lowered, optimised and compiled once.
//
//===----------------------------------------------------------------------===//

#include "ssm/IR/SSMOps.h"
#include "ssm/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/StringMap.h"

namespace mlir {
namespace ssm {
#define GEN_PASS_DEF_SSMOUTLINEKERNELS
#include "ssm/Transforms/Passes.h.inc"
} // namespace ssm
} // namespace mlir

using namespace mlir;
using namespace mlir::ssm;

namespace {

/// What makes two kernel ops compute the same function of their operands:
/// the op, its attributes (lowering included) and its operand and result
/// types, printed.
std::string kernelKey(Operation *op) {
  std::string key;
  llvm::raw_string_ostream os(key);
  os << op->getName() << ' ' << op->getAttrDictionary() << ' ';
  if (auto props = op->getPropertiesAsAttribute())
    os << props << ' ';
  llvm::interleaveComma(op->getOperandTypes(), os);
  os << " -> ";
  llvm::interleaveComma(op->getResultTypes(), os);
  return key;
}

class OutlineKernelsPass
    : public mlir::ssm::impl::SSMOutlineKernelsBase<OutlineKernelsPass> {
public:
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    OpBuilder b(module.getContext());
    llvm::StringMap<func::FuncOp> kernels;
    unsigned next = 0;
    SmallVector<func::FuncOp> entries(module.getOps<func::FuncOp>());
    for (func::FuncOp entry : entries) {
      if (entry.isPrivate() || entry.isExternal())
        continue;
      SmallVector<Operation *> ops;
      for (Operation &op : entry.getBody().getOps())
        if (isa<KernelOpInterface>(op))
          ops.push_back(&op);
      for (Operation *op : ops) {
        func::FuncOp &kernel = kernels[kernelKey(op)];
        if (!kernel) {
          // Before the entries: buffer-results-to-out-params converts
          // functions in order, and an entry can return a kernel's result
          // buffer as its own out-parameter (no copy) only once the
          // kernel's results are out-parameters.
          b.setInsertionPoint(entries.front());
          std::string name = ("ssm_kernel_" + op->getName().stripDialect() +
                              "_" + Twine(next++))
                                 .str();
          kernel = func::FuncOp::create(
              b, op->getLoc(), name,
              b.getFunctionType(op->getOperandTypes(), op->getResultTypes()));
          kernel.setPrivate();
          Block *body = kernel.addEntryBlock();
          b.setInsertionPointToStart(body);
          IRMapping mapping;
          mapping.map(op->getOperands(), body->getArguments());
          Operation *clone = b.clone(*op, mapping);
          func::ReturnOp::create(b, op->getLoc(), clone->getResults());
        }
        b.setInsertionPoint(op);
        auto call =
            func::CallOp::create(b, op->getLoc(), kernel, op->getOperands());
        op->replaceAllUsesWith(call.getResults());
        op->erase();
      }
    }
  }
};

} // namespace
