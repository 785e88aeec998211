//===- BuildTrainingStep.cpp - reverse-mode training step -------*- C++ -*-===//
//
// Builds `<f>_step` from a loss function `f`: the forward, then one reverse
// sweep over its ops calling each op's gradient rule (KernelOpInterface::
// buildGradient). Upstream MLIR has no reverse-mode differentiation of
// tensor programs (Enzyme works on LLVM IR, after the ops this pass needs
// to see are gone), so the sweep is written here; the rules live with the
// ops.
//
//===----------------------------------------------------------------------===//

#include "ssm/IR/SSMOps.h"
#include "ssm/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir {
namespace ssm {
#define GEN_PASS_DEF_SSMBUILDTRAININGSTEP
#include "ssm/Transforms/Passes.h.inc"
} // namespace ssm
} // namespace mlir

using namespace mlir;
using namespace mlir::ssm;

namespace {

/// The cotangents of a function's values while the sweep runs backwards.
class Cotangents {
public:
  explicit Cotangents(OpBuilder &b) : b(b) {}

  Value lookup(Value value) const { return map.lookup(value); }

  /// Adds `cotangent` to the cotangent of `value` (an ssm.add when it
  /// already has one).
  void accumulate(Value value, Value cotangent, Location loc) {
    Value &slot = map[value];
    slot =
        slot ? AddOp::create(b, loc, slot, cotangent).getResult() : cotangent;
  }

private:
  OpBuilder &b;
  DenseMap<Value, Value> map;
};

/// The name of argument `index` of `func` (its `ssm.name`), set to
/// `arg<index>` where it has none so that the gradient can be named after it.
std::string argumentName(func::FuncOp func, unsigned index) {
  if (auto name = func.getArgAttrOfType<StringAttr>(index, "ssm.name"))
    return name.str();
  std::string name = "arg" + std::to_string(index);
  func.setArgAttr(index, "ssm.name", StringAttr::get(func.getContext(), name));
  return name;
}

LogicalResult buildStep(ModuleOp module, func::FuncOp forward) {
  MLIRContext *context = module.getContext();
  FunctionType type = forward.getFunctionType();
  auto lossType = RankedTensorType::get({}, Float32Type::get(context));
  if (type.getNumResults() != 1 || type.getResult(0) != lossType)
    return forward.emitError()
           << "ssm-build-training-step: function '" << forward.getSymName()
           << "' must return exactly one tensor<f32> (the loss), it returns "
           << type.getResults();
  if (forward.getBody().getBlocks().size() != 1)
    return forward.emitError()
           << "ssm-build-training-step: function '" << forward.getSymName()
           << "' must have a single block";
  std::string stepName = (forward.getSymName() + "_step").str();
  if (module.lookupSymbol(stepName))
    return forward.emitError()
           << "ssm-build-training-step: the training step of '"
           << forward.getSymName() << "' would be named '" << stepName
           << "', which the module already defines";

  OpBuilder b(context);
  b.setInsertionPointAfter(forward);
  auto step = cast<func::FuncOp>(b.clone(*forward));
  step.setSymName(stepName);
  step.setPublic();
  Block &body = step.getBody().front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  Value loss = ret.getOperand(0);
  Location loc = ret.getLoc();
  b.setInsertionPoint(ret);

  // The reverse sweep: each op whose results carry a cotangent hands its
  // operands theirs.
  Cotangents cotangents(b);
  cotangents.accumulate(
      loss, FillOp::create(b, loc, lossType, b.getF64FloatAttr(1.0)), loc);
  SmallVector<Operation *> forwardOps;
  for (Operation &op : body.without_terminator())
    forwardOps.push_back(&op);
  for (Operation *op : llvm::reverse(forwardOps)) {
    SmallVector<Value> resultCotangents;
    bool any = false;
    for (Value result : op->getResults()) {
      resultCotangents.push_back(cotangents.lookup(result));
      any |= static_cast<bool>(resultCotangents.back());
    }
    if (!any)
      continue;
    auto kernel = dyn_cast<KernelOpInterface>(op);
    if (!kernel)
      return op->emitOpError()
             << "is on the path to the loss of '" << forward.getSymName()
             << "' but has no gradient rule (not an ssm kernel op)";
    FailureOr<SmallVector<Value>> operandCotangents =
        kernel.buildGradient(b, resultCotangents);
    if (failed(operandCotangents))
      return failure();
    for (auto [operand, cotangent] :
         llvm::zip(op->getOperands(), *operandCotangents))
      if (cotangent)
        cotangents.accumulate(operand, cotangent, op->getLoc());
  }

  // Results: the loss, then d_<parameter> per parameter argument.
  SmallVector<Value> results = {loss};
  SmallVector<std::string> names = {"loss"};
  for (BlockArgument arg : body.getArguments()) {
    if (!isParameterValue(arg))
      continue;
    Value gradient = cotangents.lookup(arg);
    if (!gradient)
      gradient = FillOp::create(b, loc, arg.getType(), b.getF64FloatAttr(0.0));
    results.push_back(gradient);
    names.push_back("d_" + argumentName(step, arg.getArgNumber()));
  }
  func::ReturnOp::create(b, loc, results);
  ret.erase();
  step.setFunctionType(FunctionType::get(context, type.getInputs(),
                                         ValueRange(results).getTypes()));
  SmallVector<DictionaryAttr> resultAttrs;
  for (auto [index, name] : llvm::enumerate(names)) {
    NamedAttrList attrs;
    attrs.set("ssm.name", StringAttr::get(context, name));
    attrs.set("ssm.role",
              StringAttr::get(context, index ? "gradient" : "output"));
    resultAttrs.push_back(attrs.getDictionary(context));
  }
  step.setAllResultAttrs(resultAttrs);

  // Where a tensor's cotangent is the sum of its adjacent slices'
  // gradients (Mamba's x | z), one concatenation replaces the zero-padded
  // gradients and their additions (AddOp's canonicalization).
  RewritePatternSet patterns(context);
  AddOp::getCanonicalizationPatterns(patterns, context);
  if (failed(applyPatternsGreedily(step, std::move(patterns))))
    return step.emitError() << "ssm-build-training-step: simplifying the "
                               "cotangent sums of '"
                            << stepName << "' did not converge";
  return success();
}

class BuildTrainingStepPass
    : public mlir::ssm::impl::SSMBuildTrainingStepBase<BuildTrainingStepPass> {
public:
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (const std::string &name : functions) {
      auto forward = module.lookupSymbol<func::FuncOp>(name);
      if (!forward) {
        module.emitError() << "ssm-build-training-step: no function named '"
                           << name << "' in the module";
        return signalPassFailure();
      }
      if (failed(buildStep(module, forward)))
        return signalPassFailure();
    }
  }
};

} // namespace
