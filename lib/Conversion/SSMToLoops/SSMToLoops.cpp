//===- SSMToLoops.cpp - ssm to CPU loops ------------------------*- C++ -*-===//
//
// The CPU target: every parallel point is one iteration of a nest of
// sequential scf.for loops; private buffers are allocated once per function
// so that the stack does not grow with the iteration count.
//
//===----------------------------------------------------------------------===//

#include "ssm/Conversion/SSMToLoops/SSMToLoops.h"
#include "ssm/IR/SSMDialect.h"
#include "ssm/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir {
namespace ssm {
#define GEN_PASS_DEF_CONVERTSSMTOLOOPS
#include "ssm/Conversion/Passes.h.inc"
} // namespace ssm
} // namespace mlir

using namespace mlir;
using namespace mlir::ssm;

namespace {
/// Sequential loops: points never run concurrently, so all points share
/// one set of private buffers, allocated once at the entry of the function
/// (each point initialises what it reads).
class SequentialLoops : public ParallelTarget {
public:
  void parallelFor(ImplicitLocOpBuilder &b, ArrayRef<int64_t> bounds,
                   BodyFn body) override {
    SmallVector<Value> ivs;
    buildNest(b, bounds, ivs, body);
  }
  bool concurrentPoints() const override { return false; }
  Block *privateBufferBlock(ImplicitLocOpBuilder &b) override {
    Operation *parent = b.getInsertionBlock()->getParentOp();
    auto func = isa<func::FuncOp>(parent)
                    ? cast<func::FuncOp>(parent)
                    : parent->getParentOfType<func::FuncOp>();
    return &func.getBody().front();
  }

private:
  void buildNest(ImplicitLocOpBuilder &b, ArrayRef<int64_t> bounds,
                 SmallVectorImpl<Value> &ivs, BodyFn body) {
    if (bounds.empty()) {
      body(b, ivs);
      return;
    }
    Value zero = arith::ConstantIndexOp::create(b, 0);
    Value one = arith::ConstantIndexOp::create(b, 1);
    Value upper = arith::ConstantIndexOp::create(b, bounds.front());
    auto loop = scf::ForOp::create(b, zero, upper, one);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(loop.getBody()->getTerminator());
    ivs.push_back(loop.getInductionVar());
    buildNest(b, bounds.drop_front(), ivs, body);
    ivs.pop_back();
  }
};

class ConvertSSMToLoopsPass
    : public mlir::ssm::impl::ConvertSSMToLoopsBase<ConvertSSMToLoopsPass> {
public:
  using Base::Base;

  void runOnOperation() override {
    if (failed(ensureLowerings(getOperation(), "cpu")))
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    populateSSMToLoopsConversionPatterns(patterns);
    ConversionTarget target(getContext());
    target.addIllegalDialect<SSMDialect>();
    target.addLegalDialect<
        arith::ArithDialect, bufferization::BufferizationDialect,
        func::FuncDialect, math::MathDialect, memref::MemRefDialect,
        scf::SCFDialect, tensor::TensorDialect>();
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void mlir::ssm::populateSSMToLoopsConversionPatterns(
    RewritePatternSet &patterns) {
  // The patterns keep a reference to the target for the pass's lifetime.
  static SequentialLoops sequential;
  populateSSMKernelPatterns(patterns, sequential);
}
