//===- SSMInterfaces.td - ssm op interfaces ----------------*- tablegen -*-===//
//
// What the rest of the compiler knows about an ssm op without switching on
// its name: its ports (operand and result names and roles, from ODS), the
// attributes a workload binary records, its gradient rule, and the lowering
// choices (fusion variants, strategies) that apply to it.
//
//===----------------------------------------------------------------------===//

#ifndef SSM_INTERFACES_TD
#define SSM_INTERFACES_TD

include "mlir/IR/OpBase.td"

def SSM_KernelOpInterface : OpInterface<"KernelOpInterface"> {
  let cppNamespace = "::mlir::ssm";
  let description = [{
    An ssm op that is lowered to one or more kernels. The manifest of a
    workload binary, the runtime's reference graph, the lowering-selection
    pass and (later) automatic differentiation read ops through this
    interface, so that a new op plugs in by implementing it.

    Port names are the ODS operand and result names, in declaration order
    (optional ports included, absent ones given as null values); they are
    generated from the ODS `arguments` and `results` of `SSM_KernelOp`.
  }];
  let methods = [
    StaticInterfaceMethod<
      "Names of the operand ports, in ODS order (attributes excluded).",
      "::llvm::ArrayRef<::llvm::StringLiteral>", "getOperandPortNames">,
    StaticInterfaceMethod<"Names of the result ports, in ODS order.",
      "::llvm::ArrayRef<::llvm::StringLiteral>", "getResultPortNames">,
    StaticInterfaceMethod<
      "Operand ports that are trained parameters (role `parameter`).",
      "::llvm::ArrayRef<::llvm::StringLiteral>", "getParameterPortNames">,
    StaticInterfaceMethod<
      "Name of the gradient op of a forward op; empty for a gradient op.",
      "::llvm::StringRef", "getGradientOpName">,
    StaticInterfaceMethod<
      "Name of the forward op of a gradient op; empty for a forward op.",
      "::llvm::StringRef", "getForwardOpName">,
    StaticInterfaceMethod<
      "Forward results a gradient op may take saved instead of recomputing "
      "them (empty: the gradient recomputes everything).",
      "::llvm::ArrayRef<::llvm::StringLiteral>", "getSavedForGradient">,
    StaticInterfaceMethod<
      "Fusion variants that apply to the op; the first is the default.",
      "::llvm::ArrayRef<::llvm::StringLiteral>", "getLoweringVariants">,
    StaticInterfaceMethod<
      "Strategies (algorithms along the sequence) that apply to the op on "
      "`target` (\"cpu\" or \"gpu\"); the first is the default; empty when "
      "the op has a single algorithm.",
      "::llvm::ArrayRef<::llvm::StringLiteral>", "getLoweringStrategies",
      (ins "::llvm::StringRef":$target)>,
    StaticInterfaceMethod<
      "Lowerings of a gradient op, as `variant` or `variant/strategy`, whose "
      "GPU kernels reduce shared gradients (parameters, operands shared by "
      "several channels) in a fixed order, without floating-point atomics, "
      "so that they give the same bits on every run "
      "(`#ssm.lowering<..., deterministic = true>`). Empty for forward ops, "
      "which reduce nothing across threads.",
      "::llvm::ArrayRef<::llvm::StringLiteral>", "getDeterministicLowerings">,
    InterfaceMethod<
      "The value at each operand port (null where an optional port is "
      "absent), in the order of getOperandPortNames.",
      "::llvm::SmallVector<::mlir::Value>", "getOperandPorts", (ins), [{}],
      [{
        ::llvm::SmallVector<::mlir::Value> values;
        for (unsigned i = 0, e = $_op.getOperandPortNames().size(); i < e;
             ++i) {
          auto range = $_op.getODSOperands(i);
          values.push_back(range.empty() ? ::mlir::Value() : *range.begin());
        }
        return values;
      }]>,
    InterfaceMethod<
      "The value at each result port (null where an optional port is "
      "absent), in the order of getResultPortNames.",
      "::llvm::SmallVector<::mlir::Value>", "getResultPorts", (ins), [{}],
      [{
        ::llvm::SmallVector<::mlir::Value> values;
        for (unsigned i = 0, e = $_op.getResultPortNames().size(); i < e;
             ++i) {
          auto range = $_op.getODSResults(i);
          values.push_back(range.empty() ? ::mlir::Value() : *range.begin());
        }
        return values;
      }]>,
    InterfaceMethod<
      "The op's semantic attributes as the manifest records them (name, "
      "text): unit attributes as `true`/`false`, enums by name, floats in "
      "scientific notation. Every inherent attribute of the op is listed, "
      "and `shape` (the result's dimensions, comma-separated) for an op "
      "whose result shape its operands do not imply.",
      "::llvm::SmallVector<std::pair<std::string, std::string>>",
      "getRecordedAttributes", (ins), [{}],
      [{ return ::mlir::ssm::recordAttributes($_op.getOperation(),
                                              $_op.getAttributeNames(),
                                              $_op.recordsResultShape()); }]>,
    InterfaceMethod<
      "The op's gradient rule: builds, at `b`'s insertion point, the "
      "cotangents of its operands from `cotangents`, one per result (null "
      "where a result has none, i.e. zero). Returns one value per operand, "
      "null where the operand has no cotangent (an integer operand); emits "
      "an error at the op and fails where no rule applies. By default the "
      "op's gradient op is built (buildGradientOp); a layout op whose "
      "gradient is another forward op (a transpose) defines its own.",
      "::mlir::FailureOr<::llvm::SmallVector<::mlir::Value>>",
      "buildGradient",
      (ins "::mlir::OpBuilder &":$b, "::mlir::ValueRange":$cotangents), [{}],
      [{ return $_op.buildOpGradient(b, cotangents); }]>,
  ];
  // A misspelled attribute ({delta_sofplus}) would be kept and ignored,
  // silently changing the math: only the op's own attributes and
  // dialect-prefixed ones (ssm.lowering, ...) are allowed.
  let verify = [{ return ::mlir::ssm::verifyKnownAttributes($_op); }];
}

#endif // SSM_INTERFACES_TD
