//===- SSMInterfaces.h - ssm op interfaces ----------------------*- C++ -*-===//

#ifndef SSM_IR_SSMINTERFACES_H
#define SSM_IR_SSMINTERFACES_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpDefinition.h"

#include <string>
#include <utility>

namespace mlir {
namespace ssm {

/// The inherent attributes `names` of `op` as (name, text) pairs for the
/// workload manifest: unit attributes as `true`/`false` (absent is false),
/// enums by their keyword, floats as `%.9e`. A default-valued attribute
/// that is absent is recorded with its default. With `resultShape`, also
/// `shape`: the first result's dimensions, comma-separated ("" for a
/// scalar).
SmallVector<std::pair<std::string, std::string>>
recordAttributes(Operation *op, ArrayRef<StringRef> names,
                 bool resultShape = false);

/// Checks that every attribute of `op` that is not dialect-prefixed (no
/// '.' in its name) is one of the op's own; an error naming the attribute
/// and the ones the op knows otherwise.
LogicalResult verifyKnownAttributes(Operation *op);

/// The default gradient rule of a kernel op (see
/// KernelOpInterface::buildGradient): builds its gradient op from the
/// forward's operands and attributes followed by one cotangent per result.
/// The gradient op's results are the cotangents of the forward's
/// floating-point operands, in order. The first result's cotangent is
/// required (a zero `ssm.fill` where the result has none); the others are
/// optional ports of the gradient op (absent = zero).
FailureOr<SmallVector<Value>> buildGradientOp(Operation *op, OpBuilder &b,
                                              ValueRange cotangents);

/// True when `value` (an argument of an entry) is a trained parameter: it
/// feeds a parameter port of some kernel op (KernelOpInterface), or its
/// function gives it `ssm.role = "parameter"`.
bool isParameterValue(Value value);

} // namespace ssm
} // namespace mlir

#include "ssm/IR/SSMInterfaces.h.inc"

#endif // SSM_IR_SSMINTERFACES_H
