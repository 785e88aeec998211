//===- SSMVerifiers.cpp - shape rules and type inference --------*- C++ -*-===//
//
// Every rule about ranks, dimensions and element types of the ssm ops lives
// here. The forward ops check their operands while inferring their result
// types (the InferTypeOpInterface trait runs before `verify()`), so that the
// first diagnostic a user sees names the offending operand and dimension.
//
//===----------------------------------------------------------------------===//

#include "ShapeChecker.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/APInt.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace mlir::ssm;
using namespace mlir::ssm::detail;

std::optional<std::string> mlir::ssm::oversizedBytes(ShapedType type) {
  if (!type.hasStaticShape())
    return std::nullopt;
  Type element = type.getElementType();
  unsigned bits =
      element.isIntOrIndexOrFloat()
          ? (element.isIndex() ? 64 : element.getIntOrFloatBitWidth())
          : 64;
  llvm::APInt bytes = product(type.getShape()) * ((bits + 7) / 8);
  if (bytes.ugt(
          llvm::APInt::getOneBitSet(bytes.getBitWidth(), kMaxTensorBytesLog2)))
    return llvm::toString(bytes, 10, /*Signed=*/false);
  return std::nullopt;
}

/// The error for `value` of oversized `type`, named by `what`.
static LogicalResult oversizedError(InFlightDiagnostic diag, StringRef what,
                                    Type type, StringRef bytes) {
  return diag << what << " of type " << type << " is too large: " << bytes
              << " bytes, more than the 2^" << kMaxTensorBytesLog2
              << " that 64-bit indices into it can address";
}

LogicalResult mlir::ssm::verifyValueSizes(Operation *root) {
  // Pre-order: a function's arguments are reported before their uses.
  WalkResult result = root->walk<WalkOrder::PreOrder>([](Operation *op) {
    auto check = [&](Type type, const Twine &what,
                     std::optional<Location> loc) -> LogicalResult {
      auto shaped = dyn_cast<ShapedType>(type);
      if (!shaped || !isa<RankedTensorType, MemRefType>(shaped))
        return success();
      std::optional<std::string> bytes = oversizedBytes(shaped);
      if (!bytes)
        return success();
      InFlightDiagnostic diag = loc ? mlir::emitError(*loc) : op->emitOpError();
      return oversizedError(std::move(diag), what.str(), type, *bytes);
    };
    for (auto [i, value] : llvm::enumerate(op->getOperands()))
      if (failed(check(value.getType(), "operand #" + Twine(i), std::nullopt)))
        return WalkResult::interrupt();
    for (auto [i, value] : llvm::enumerate(op->getResults()))
      if (failed(check(value.getType(), "result #" + Twine(i), std::nullopt)))
        return WalkResult::interrupt();
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments())
          if (failed(check(arg.getType(),
                           "argument #" + Twine(arg.getArgNumber()),
                           arg.getLoc())))
            return WalkResult::interrupt();
    if (auto func = dyn_cast<FunctionOpInterface>(op))
      for (auto [i, type] : llvm::enumerate(func.getResultTypes()))
        if (failed(check(type, "function result #" + Twine(i), std::nullopt)))
          return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

namespace {

//===----------------------------------------------------------------------===//
// Per-family operand rules, shared by the forward and the gradient op.
//===----------------------------------------------------------------------===//

template <typename OpOrAdaptor>
LogicalResult checkSelectiveScanOperands(ShapeChecker &c, OpOrAdaptor op) {
  if (failed(c.check("u", op.getU().getType(), {"B", "D", "L"})) ||
      failed(c.check("delta", op.getDelta().getType(), {"B", "D", "L"})) ||
      failed(c.check("A", op.getA().getType(), {"D", "N"})) ||
      failed(c.check("B", op.getB().getType(), {"B", "G", "N", "L"})) ||
      failed(c.check("C", op.getC().getType(), {"B", "G", "N", "L"})) ||
      failed(checkOptional(c, "D", op.getD(), {"D"})) ||
      failed(checkOptional(c, "z", op.getZ(), {"B", "D", "L"})) ||
      failed(checkOptional(c, "delta_bias", op.getDeltaBias(), {"D"})) ||
      failed(c.divides("G", "D")) || failed(c.checkIndexSpace()))
    return failure();
  // Every lowering keeps a point's N states in registers, unrolled: beyond
  // kMaxScanStates the unrolled IR grows past what compiles in reasonable
  // time (N = 1024 did not finish in 15 minutes; found by scripts/fuzz.py).
  constexpr int64_t kMaxScanStates = 256;
  int64_t states = cast<ShapedType>(op.getA().getType()).getDimSize(1);
  if (states > kMaxScanStates)
    return c.error() << "operand A has d_state N = " << states
                     << ", more than the " << kMaxScanStates
                     << " states the selective scan lowerings keep per point";
  Type uType = op.getU().getType();
  if (failed(c.sameElementType("delta", op.getDelta().getType(), "u", uType)))
    return failure();
  if (op.getZ() &&
      failed(c.sameElementType("z", op.getZ().getType(), "u", uType)))
    return failure();
  return c.sameElementType("C", op.getC().getType(), "B", op.getB().getType());
}

template <typename OpOrAdaptor>
LogicalResult checkSSDScanOperands(ShapeChecker &c, OpOrAdaptor op) {
  if (failed(c.check("x", op.getX().getType(), {"B", "L", "H", "P"})) ||
      failed(c.check("dt", op.getDt().getType(), {"B", "L", "H"})) ||
      failed(c.check("A", op.getA().getType(), {"H"})) ||
      failed(c.check("B", op.getB().getType(), {"B", "L", "G", "N"})) ||
      failed(c.check("C", op.getC().getType(), {"B", "L", "G", "N"})) ||
      failed(checkOptional(c, "D", op.getD(), {"H"})) ||
      failed(checkOptional(c, "z", op.getZ(), {"B", "L", "H", "P"})) ||
      failed(checkOptional(c, "dt_bias", op.getDtBias(), {"H"})) ||
      failed(checkOptional(c, "initial_state", op.getInitialState(),
                           {"B", "H", "P", "N"})) ||
      failed(c.divides("G", "H")) || failed(c.checkIndexSpace()))
    return failure();
  Type xType = op.getX().getType();
  if (failed(c.sameElementType("dt", op.getDt().getType(), "x", xType)))
    return failure();
  if (op.getZ() &&
      failed(c.sameElementType("z", op.getZ().getType(), "x", xType)))
    return failure();
  return c.sameElementType("C", op.getC().getType(), "B", op.getB().getType());
}

template <typename OpOrAdaptor>
LogicalResult checkCausalConv1dOperands(ShapeChecker &c, OpOrAdaptor op) {
  return failure(
      failed(c.check("x", op.getX().getType(), {"B", "D", "L"})) ||
      failed(c.check("weight", op.getWeight().getType(), {"D", "W"})) ||
      failed(checkOptional(c, "bias", op.getBias(), {"D"})) ||
      failed(c.checkIndexSpace()));
}

/// The dimension names of an RMS-norm input of the given rank: the leading
/// dimensions are free, the last one is the normalised width D.
SmallVector<StringRef> rmsNormDims(Type xType) {
  static const char *const leading[] = {"d0", "d1", "d2", "d3", "d4", "d5"};
  SmallVector<StringRef> dims;
  auto tensor = dyn_cast<RankedTensorType>(xType);
  int64_t rank = tensor ? tensor.getRank() : 1;
  for (int64_t i = 0; i + 1 < rank && i < 6; ++i)
    dims.push_back(leading[i]);
  dims.push_back("D");
  return dims;
}

template <typename OpOrAdaptor>
LogicalResult checkRMSNormOperands(ShapeChecker &c, OpOrAdaptor op) {
  Type xType = op.getX().getType();
  if (cast<RankedTensorType>(xType).getRank() > 7)
    return c.error() << "operand `x` has rank "
                     << cast<RankedTensorType>(xType).getRank()
                     << ", expected at most 7";
  SmallVector<StringRef> dims = rmsNormDims(xType);
  if (failed(c.check("x", xType, dims)) ||
      failed(c.check("weight", op.getWeight().getType(), {"D"})) ||
      failed(checkOptional(c, "residual", op.getResidual(), dims)) ||
      failed(checkOptional(c, "z", op.getZ(), dims)) ||
      failed(c.checkIndexSpace()))
    return failure();
  if (op.getResidual() && op.getZ())
    return c.error() << "operands `residual` and `z` cannot both be given "
                        "(residual and gated forms are exclusive)";
  if (op.getZ() &&
      failed(c.sameElementType("z", op.getZ().getType(), "x", xType)))
    return failure();
  if (op.getResidual()) {
    Type residualElement = elementTypeOf(op.getResidual());
    if (!residualElement.isF32() && residualElement != elementTypeOf(op.getX()))
      return c.error() << "operand `residual` has element type "
                       << residualElement << ", expected f32 or "
                       << elementTypeOf(op.getX()) << " as operand `x`";
  }
  return checkFloatAttrPositive(c, "eps", op.getEps());
}

} // namespace

//===----------------------------------------------------------------------===//
// ssm.selective_scan / ssm.selective_scan_grad
//===----------------------------------------------------------------------===//

LogicalResult SelectiveScanOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  ShapeChecker c(context, location, getOperationName());
  if (failed(checkSelectiveScanOperands(c, adaptor)))
    return failure();
  inferredReturnTypes.push_back(
      c.tensorOf({"B", "D", "L"}, elementTypeOf(adaptor.getU())));
  inferredReturnTypes.push_back(
      c.tensorOf({"B", "D", "N"}, Float32Type::get(context)));
  return success();
}

LogicalResult SelectiveScanGradOp::verify() {
  ShapeChecker c(getContext(), getLoc(), getOperationName());
  if (failed(checkSelectiveScanOperands(c, *this)) ||
      failed(c.check("dy", getDy().getType(), {"B", "D", "L"})) ||
      failed(
          c.sameElementType("dy", getDy().getType(), "u", getU().getType())) ||
      failed(
          checkOptional(c, "d_last_state", getDLastState(), {"B", "D", "N"})))
    return failure();
  return failure(
      failed(checkCotangent(c, "du", getDu(), "u", getU())) ||
      failed(checkCotangent(c, "ddelta", getDdelta(), "delta", getDelta())) ||
      failed(checkCotangent(c, "dA", getDA(), "A", getA())) ||
      failed(checkCotangent(c, "dB", getDB(), "B", getB())) ||
      failed(checkCotangent(c, "dC", getDC(), "C", getC())) ||
      failed(checkCotangent(c, "dD", getDD(), "D", getD())) ||
      failed(checkCotangent(c, "dz", getDz(), "z", getZ())) ||
      failed(checkCotangent(c, "ddelta_bias", getDdeltaBias(), "delta_bias",
                            getDeltaBias())));
}

//===----------------------------------------------------------------------===//
// ssm.ssd_scan / ssm.ssd_scan_grad
//===----------------------------------------------------------------------===//

LogicalResult
SSDScanOp::inferReturnTypes(MLIRContext *context,
                            std::optional<Location> location, Adaptor adaptor,
                            SmallVectorImpl<Type> &inferredReturnTypes) {
  ShapeChecker c(context, location, getOperationName());
  if (failed(checkSSDScanOperands(c, adaptor)))
    return failure();
  inferredReturnTypes.push_back(
      c.tensorOf({"B", "L", "H", "P"}, elementTypeOf(adaptor.getX())));
  inferredReturnTypes.push_back(
      c.tensorOf({"B", "H", "P", "N"}, Float32Type::get(context)));
  return success();
}

LogicalResult SSDScanGradOp::verify() {
  ShapeChecker c(getContext(), getLoc(), getOperationName());
  if (failed(checkSSDScanOperands(c, *this)) ||
      failed(c.check("dy", getDy().getType(), {"B", "L", "H", "P"})) ||
      failed(
          c.sameElementType("dy", getDy().getType(), "x", getX().getType())) ||
      failed(checkOptional(c, "d_final_state", getDFinalState(),
                           {"B", "H", "P", "N"})))
    return failure();
  return failure(failed(checkCotangent(c, "dx", getDx(), "x", getX())) ||
                 failed(checkCotangent(c, "ddt", getDdt(), "dt", getDt())) ||
                 failed(checkCotangent(c, "dA", getDA(), "A", getA())) ||
                 failed(checkCotangent(c, "dB", getDB(), "B", getB())) ||
                 failed(checkCotangent(c, "dC", getDC(), "C", getC())) ||
                 failed(checkCotangent(c, "dD", getDD(), "D", getD())) ||
                 failed(checkCotangent(c, "dz", getDz(), "z", getZ())) ||
                 failed(checkCotangent(c, "ddt_bias", getDdtBias(), "dt_bias",
                                       getDtBias())) ||
                 failed(checkCotangent(c, "d_initial_state", getDInitialState(),
                                       "initial_state", getInitialState())));
}

//===----------------------------------------------------------------------===//
// ssm.causal_conv1d / ssm.causal_conv1d_grad
//===----------------------------------------------------------------------===//

LogicalResult CausalConv1dOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  ShapeChecker c(context, location, getOperationName());
  if (failed(checkCausalConv1dOperands(c, adaptor)))
    return failure();
  inferredReturnTypes.push_back(adaptor.getX().getType());
  return success();
}

LogicalResult CausalConv1dGradOp::verify() {
  ShapeChecker c(getContext(), getLoc(), getOperationName());
  if (failed(checkCausalConv1dOperands(c, *this)) ||
      failed(c.check("dy", getDy().getType(), {"B", "D", "L"})) ||
      failed(c.sameElementType("dy", getDy().getType(), "x", getX().getType())))
    return failure();
  return failure(
      failed(checkCotangent(c, "dx", getDx(), "x", getX())) ||
      failed(
          checkCotangent(c, "dweight", getDweight(), "weight", getWeight())) ||
      failed(checkCotangent(c, "dbias", getDbias(), "bias", getBias())));
}

//===----------------------------------------------------------------------===//
// ssm.rms_norm / ssm.rms_norm_grad
//===----------------------------------------------------------------------===//

LogicalResult
RMSNormOp::inferReturnTypes(MLIRContext *context,
                            std::optional<Location> location, Adaptor adaptor,
                            SmallVectorImpl<Type> &inferredReturnTypes) {
  ShapeChecker c(context, location, getOperationName());
  if (failed(checkRMSNormOperands(c, adaptor)))
    return failure();
  inferredReturnTypes.push_back(adaptor.getX().getType());
  if (adaptor.getResidual())
    inferredReturnTypes.push_back(
        cast<RankedTensorType>(adaptor.getX().getType())
            .clone(Float32Type::get(context)));
  return success();
}

LogicalResult RMSNormGradOp::verify() {
  ShapeChecker c(getContext(), getLoc(), getOperationName());
  if (failed(checkRMSNormOperands(c, *this)))
    return failure();
  Type xType = getX().getType();
  if (getDy().getType() != xType)
    return c.error() << "operand `dy` has type " << getDy().getType()
                     << ", expected " << xType << " as operand `x`";
  if (getDResidualOut()) {
    if (!getResidual())
      return c.error() << "operand `d_residual_out` is only allowed in the "
                          "residual form (with `residual`)";
    if (getDResidualOut().getType() !=
        cast<RankedTensorType>(xType).clone(Float32Type::get(getContext())))
      return c.error() << "operand `d_residual_out` has type "
                       << getDResidualOut().getType()
                       << ", expected the shape of `x` in f32";
  }
  return failure(failed(checkCotangent(c, "dx", getDx(), "x", getX())) ||
                 failed(checkCotangent(c, "dweight", getDweight(), "weight",
                                       getWeight())) ||
                 failed(checkCotangent(c, "dresidual", getDresidual(),
                                       "residual", getResidual())) ||
                 failed(checkCotangent(c, "dz", getDz(), "z", getZ())));
}
