//===- SSMOps.h - ssm dialect operations ------------------------*- C++ -*-===//

#ifndef SSM_IR_SSMOPS_H
#define SSM_IR_SSMOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "ssm/IR/SSMAttrs.h"
#include "ssm/IR/SSMDialect.h"
#include "ssm/IR/SSMInterfaces.h"

#define GET_OP_CLASSES
#include "ssm/IR/SSMOps.h.inc"

#include <optional>
#include <string>

namespace mlir {
namespace ssm {

/// The largest byte size of a tensor or buffer the compiler accepts: the
/// lowerings address it with 64-bit index arithmetic.
constexpr unsigned kMaxTensorBytesLog2 = 62;

/// The exact byte size of the statically shaped `type` as decimal text when
/// it exceeds 2^kMaxTensorBytesLog2 bytes (or its element count wraps 64
/// bits); nullopt when it fits or the shape is not static.
std::optional<std::string> oversizedBytes(ShapedType type);

/// Checks every statically shaped tensor and memref under `root` (operands,
/// results, block arguments, function signatures): an error at the op or
/// argument naming the value and its size for one too large to index.
LogicalResult verifyValueSizes(Operation *root);

} // namespace ssm
} // namespace mlir

#endif // SSM_IR_SSMOPS_H
