//===- ShapeChecker.h - named-dimension shape checks ------------*- C++ -*-===//
//
// The checker every ssm verifier builds its diagnostics with, shared by the
// scan verifiers (SSMVerifiers.cpp) and the graph ops' (SSMGraphVerifiers.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef SSM_DIALECT_IR_SHAPECHECKER_H
#define SSM_DIALECT_IR_SHAPECHECKER_H

#include "ssm/IR/SSMOps.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/APInt.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

namespace mlir {
namespace ssm {
namespace detail {

/// The exact product of non-negative sizes (wide enough not to wrap).
inline llvm::APInt product(ArrayRef<int64_t> sizes) {
  unsigned width = 64 * (sizes.size() + 2);
  llvm::APInt result(width, 1);
  for (int64_t size : sizes)
    result *= llvm::APInt(width, static_cast<uint64_t>(size));
  return result;
}

/// Binds the named dimensions of one op (B, D, L, N, ...) to sizes as
/// operands are checked, and reports the first disagreement at the op's
/// location with the operand, dimension, found and expected size named.
class ShapeChecker {
public:
  ShapeChecker(MLIRContext *context, std::optional<Location> loc,
               StringRef opName)
      : context(context), loc(loc), opName(opName) {}

  InFlightDiagnostic error() {
    Location where = loc ? *loc : UnknownLoc::get(context);
    InFlightDiagnostic diag = mlir::emitError(where);
    diag << "'" << opName << "' op ";
    return diag;
  }

  /// Checks that `type` is a statically shaped ranked tensor whose
  /// dimensions are `dims` (names already bound must agree).
  LogicalResult check(StringRef operand, Type type, ArrayRef<StringRef> dims) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor)
      return error() << "operand `" << operand << "` must be a ranked tensor";
    if (tensor.getRank() != static_cast<int64_t>(dims.size()))
      return error() << "operand `" << operand << "` has rank "
                     << tensor.getRank() << ", expected " << dims.size() << " ["
                     << llvm::join(dims, ",") << "]";
    for (auto [index, name] : llvm::enumerate(dims))
      if (failed(bind(operand, tensor, index, name)))
        return failure();
    return checkSize(operand, tensor);
  }

  /// Checks that the element count and byte size of `tensor` (static, every
  /// dimension positive) fit the 64-bit indices the lowerings compute with.
  LogicalResult checkSize(StringRef operand, RankedTensorType tensor) {
    if (std::optional<std::string> bytes = oversizedBytes(tensor))
      return error() << "operand `" << operand << "` of type " << tensor
                     << " is too large: " << *bytes
                     << " bytes, more than the 2^" << kMaxTensorBytesLog2
                     << " that 64-bit indices into it can address";
    return success();
  }

  /// Checks that the index space of the op, the product of its named
  /// dimensions but the groups (which divide another), fits the 64-bit index
  /// products the lowerings form (padded to whole chunks, f32 scratch).
  LogicalResult checkIndexSpace() {
    SmallVector<int64_t> sizes;
    std::string names;
    for (StringRef name : order)
      if (name != "G") {
        sizes.push_back(get(name));
        names += (names.empty() ? "" : "*") + name.str();
      }
    llvm::APInt space = product(sizes);
    if (space.ugt(kMaxIndexSpace))
      return error() << "index space " << names << " = "
                     << llvm::toString(space, 10, false)
                     << " is too large: the lowerings index it with 64-bit "
                        "integers, which allow at most 2^"
                     << kMaxIndexSpaceLog2;
    return success();
  }

  /// Checks one dimension of an operand against (or binds) `name`.
  LogicalResult bind(StringRef operand, RankedTensorType tensor, size_t index,
                     StringRef name) {
    int64_t size = tensor.getDimSize(index);
    if (ShapedType::isDynamic(size))
      return error() << "operand `" << operand << "` dim " << index << " ("
                     << name << ") must be static";
    if (size < 1)
      return error() << "operand `" << operand << "` dim " << index << " ("
                     << name << ") must be positive, got " << size;
    auto [it, inserted] = bound.try_emplace(
        name, size, ("operand `" + operand + "` dim " + Twine(index)).str());
    if (inserted)
      order.push_back(name.str());
    if (!inserted && it->second.first != size)
      return error() << "operand `" << operand << "` dim " << index << " ("
                     << name << ") is " << size << ", expected "
                     << it->second.first << " as in " << it->second.second;
    return success();
  }

  int64_t get(StringRef name) const { return bound.lookup(name).first; }

  /// Checks that `dividend` is a multiple of `divisor` (group divisibility).
  LogicalResult divides(StringRef divisor, StringRef dividend) {
    if (get(dividend) % get(divisor) != 0)
      return error() << "groups " << divisor << " = " << get(divisor)
                     << " must divide " << dividend << " = " << get(dividend);
    return success();
  }

  /// Checks that two operands share an element type.
  LogicalResult sameElementType(StringRef operand, Type type, StringRef other,
                                Type otherType) {
    Type a = cast<ShapedType>(type).getElementType();
    Type b = cast<ShapedType>(otherType).getElementType();
    if (a != b)
      return error() << "operand `" << operand << "` has element type " << a
                     << ", expected " << b << " as operand `" << other << "`";
    return success();
  }

  RankedTensorType tensorOf(ArrayRef<StringRef> dims, Type elementType) const {
    SmallVector<int64_t> shape;
    for (StringRef name : dims)
      shape.push_back(get(name));
    return RankedTensorType::get(shape, elementType);
  }

  MLIRContext *getContext() const { return context; }

private:
  static constexpr unsigned kMaxIndexSpaceLog2 = 56;
  static constexpr uint64_t kMaxIndexSpace = uint64_t(1) << kMaxIndexSpaceLog2;

  MLIRContext *context;
  std::optional<Location> loc;
  StringRef opName;
  llvm::StringMap<std::pair<int64_t, std::string>> bound;
  /// The bound names in the order they were bound.
  SmallVector<std::string> order;
};

inline Type elementTypeOf(Value value) {
  return cast<ShapedType>(value.getType()).getElementType();
}

/// Checks an optional operand when it is present.
inline LogicalResult checkOptional(ShapeChecker &checker, StringRef operand,
                                   Value value, ArrayRef<StringRef> dims) {
  return value ? checker.check(operand, value.getType(), dims) : success();
}

/// Checks that a gradient result has exactly the type of its operand, and is
/// present exactly when the operand is.
inline LogicalResult checkCotangent(ShapeChecker &checker, StringRef result,
                                    Value resultValue, StringRef operand,
                                    Value operandValue) {
  if (!resultValue != !operandValue)
    return checker.error() << "result `" << result
                           << "` must be present exactly when operand `"
                           << operand << "` is";
  if (resultValue && resultValue.getType() != operandValue.getType())
    return checker.error() << "result `" << result << "` has type "
                           << resultValue.getType() << ", expected "
                           << operandValue.getType() << " as operand `"
                           << operand << "`";
  return success();
}

inline LogicalResult checkFloatAttrPositive(ShapeChecker &checker,
                                            StringRef name, APFloat value) {
  if (!value.isFiniteNonZero() || value.isNegative())
    return checker.error() << "attribute `" << name
                           << "` must be positive and finite, got "
                           << value.convertToDouble();
  return success();
}

} // namespace detail
} // namespace ssm
} // namespace mlir

#endif // SSM_DIALECT_IR_SHAPECHECKER_H
