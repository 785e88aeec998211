//===- SSMGradients.cpp - gradient rules of the ssm ops ---------*- C++ -*-===//
//
// KernelOpInterface::buildGradient: the default rule, which builds an op's
// gradient op from its ODS description (operands, attributes, one cotangent
// per result), and the rules of the layout ops whose gradient is another
// forward op. The training-step pass (ssm-build-training-step) calls them.
//
//===----------------------------------------------------------------------===//

#include "ssm/IR/SSMOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace mlir::ssm;

/// A tensor of `type` filled with zeros.
static Value zerosLike(OpBuilder &b, Location loc, Type type) {
  return FillOp::create(b, loc, type, b.getF64FloatAttr(0.0));
}

static bool isFloatTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && isa<FloatType>(tensor.getElementType());
}

FailureOr<SmallVector<Value>>
mlir::ssm::buildGradientOp(Operation *op, OpBuilder &b, ValueRange cotangents) {
  auto kernel = cast<KernelOpInterface>(op);
  StringRef gradientName = kernel.getGradientOpName();
  if (gradientName.empty())
    return op->emitOpError("has no gradient rule");
  std::optional<RegisteredOperationName> gradientInfo =
      RegisteredOperationName::lookup(gradientName, op->getContext());
  if (!gradientInfo)
    return op->emitOpError("gradient op '")
           << gradientName << "' is not registered";
  Location loc = op->getLoc();

  // Operands: the forward's, then a cotangent per result port (the first
  // one required, zero where the result has none; the others optional).
  OperationState state(loc, *gradientInfo);
  state.addOperands(op->getOperands());
  SmallVector<int32_t> operandSegments;
  for (Value value : kernel.getOperandPorts())
    operandSegments.push_back(value ? 1 : 0);
  for (auto [index, value] : llvm::enumerate(kernel.getResultPorts())) {
    Value cotangent =
        value ? cotangents[cast<OpResult>(value).getResultNumber()] : Value();
    if (!cotangent && index == 0)
      cotangent = zerosLike(b, loc, value.getType());
    if (cotangent)
      state.addOperands(cotangent);
    operandSegments.push_back(cotangent ? 1 : 0);
  }

  // Results: the cotangents of the forward's floating-point operands.
  SmallVector<int32_t> resultSegments;
  for (Value value : kernel.getOperandPorts()) {
    if (value && !isFloatTensor(value.getType()))
      continue;
    if (value)
      state.addTypes(value.getType());
    resultSegments.push_back(value ? 1 : 0);
  }

  for (NamedAttribute attr : op->getAttrs()) {
    StringRef name = attr.getName().getValue();
    // Segment sizes are rebuilt; dialect attributes (the lowering) belong
    // to the forward op.
    if (name == "operandSegmentSizes" || name == "resultSegmentSizes" ||
        name.contains('.'))
      continue;
    state.addAttribute(attr.getName(), attr.getValue());
  }
  if (gradientInfo->hasTrait<OpTrait::AttrSizedOperandSegments>())
    state.addAttribute("operandSegmentSizes",
                       b.getDenseI32ArrayAttr(operandSegments));
  if (gradientInfo->hasTrait<OpTrait::AttrSizedResultSegments>())
    state.addAttribute("resultSegmentSizes",
                       b.getDenseI32ArrayAttr(resultSegments));
  Operation *gradient = b.create(state);

  SmallVector<Value> operandCotangents;
  unsigned next = 0;
  for (Value operand : op->getOperands())
    operandCotangents.push_back(isFloatTensor(operand.getType())
                                    ? gradient->getResult(next++)
                                    : Value());
  return operandCotangents;
}

bool mlir::ssm::isParameterValue(Value value) {
  if (auto arg = dyn_cast<BlockArgument>(value))
    if (auto func =
            dyn_cast<FunctionOpInterface>(arg.getOwner()->getParentOp()))
      if (auto role =
              func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "ssm.role"))
        return role.getValue() == "parameter";
  for (OpOperand &use : value.getUses()) {
    auto kernel = dyn_cast<KernelOpInterface>(use.getOwner());
    if (!kernel)
      continue;
    for (auto [port, name] :
         llvm::zip(kernel.getOperandPorts(), kernel.getOperandPortNames()))
      if (port == value &&
          llvm::is_contained(kernel.getParameterPortNames(), name))
        return true;
  }
  return false;
}

//===----------------------------------------------------------------------===//
// Rules of the layout ops
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<Value>>
TransposeOp::buildOpGradient(OpBuilder &b, ValueRange cotangents) {
  if (!cotangents[0])
    return SmallVector<Value>{Value()};
  SmallVector<int64_t> inverse(getPermutation().size());
  for (auto [index, dim] : llvm::enumerate(getPermutation()))
    inverse[dim] = index;
  Value dx = TransposeOp::create(b, getLoc(), cotangents[0],
                                 b.getDenseI64ArrayAttr(inverse));
  return SmallVector<Value>{dx};
}

FailureOr<SmallVector<Value>>
ReshapeOp::buildOpGradient(OpBuilder &b, ValueRange cotangents) {
  if (!cotangents[0])
    return SmallVector<Value>{Value()};
  Value dx = ReshapeOp::create(b, getLoc(), getX().getType(), cotangents[0]);
  return SmallVector<Value>{dx};
}

FailureOr<SmallVector<Value>> SliceOp::buildOpGradient(OpBuilder &b,
                                                       ValueRange cotangents) {
  if (!cotangents[0])
    return SmallVector<Value>{Value()};
  Value dx = SliceGradOp::create(b, getLoc(), getX().getType(), cotangents[0],
                                 getAxisAttr(), getOffsetAttr(), getSizeAttr());
  return SmallVector<Value>{dx};
}

FailureOr<SmallVector<Value>> ConcatOp::buildOpGradient(OpBuilder &b,
                                                        ValueRange cotangents) {
  if (!cotangents[0])
    return SmallVector<Value>{Value(), Value()};
  int64_t axis = getAxis();
  int64_t split = getLhs().getType().getDimSize(axis);
  int64_t rest = getRhs().getType().getDimSize(axis);
  Value dlhs = SliceOp::create(b, getLoc(), cotangents[0], axis, 0, split);
  Value drhs = SliceOp::create(b, getLoc(), cotangents[0], axis, split, rest);
  return SmallVector<Value>{dlhs, drhs};
}

FailureOr<SmallVector<Value>> FlipOp::buildOpGradient(OpBuilder &b,
                                                      ValueRange cotangents) {
  if (!cotangents[0])
    return SmallVector<Value>{Value()};
  Value dx = FlipOp::create(b, getLoc(), cotangents[0], getAxisAttr());
  return SmallVector<Value>{dx};
}

FailureOr<SmallVector<Value>> AddOp::buildOpGradient(OpBuilder &b,
                                                     ValueRange cotangents) {
  return SmallVector<Value>{cotangents[0], cotangents[0]};
}

FailureOr<SmallVector<Value>> FillOp::buildOpGradient(OpBuilder &b,
                                                      ValueRange cotangents) {
  return SmallVector<Value>{};
}
