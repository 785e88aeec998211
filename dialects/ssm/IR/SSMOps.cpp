//===- SSMOps.cpp - ssm dialect operations ----------------------*- C++ -*-===//

#include "ssm/IR/SSMOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::ssm;

#include "ssm/IR/SSMInterfaces.cpp.inc"

#define GET_OP_CLASSES
#include "ssm/IR/SSMOps.cpp.inc"

SmallVector<std::pair<std::string, std::string>>
mlir::ssm::recordAttributes(Operation *op, ArrayRef<StringRef> names,
                            bool resultShape) {
  SmallVector<std::pair<std::string, std::string>> recorded;
  // Ops with properties keep default-valued attributes there: the
  // inherent attribute holds the default once the op is built.
  for (StringRef name : names) {
    // Segment sizes say which optional ports are present: the ports do.
    if (name == "operandSegmentSizes" || name == "resultSegmentSizes")
      continue;
    std::optional<Attribute> value = op->getInherentAttr(name);
    Attribute attr = value ? *value : Attribute();
    std::string text;
    if (!attr || isa<UnitAttr>(attr)) {
      text = attr ? "true" : "false";
    } else if (auto enumAttr = dyn_cast<ActivationAttr>(attr)) {
      text = stringifyActivation(enumAttr.getValue()).str();
    } else if (auto floatAttr = dyn_cast<FloatAttr>(attr)) {
      text = llvm::formatv("{0:e9}", floatAttr.getValueAsDouble()).str();
    } else if (auto intAttr = dyn_cast<IntegerAttr>(attr)) {
      text = std::to_string(intAttr.getInt());
    } else if (auto array = dyn_cast<DenseI64ArrayAttr>(attr)) {
      text = llvm::join(
          llvm::map_range(array.asArrayRef(),
                          [](int64_t v) { return std::to_string(v); }),
          ",");
    } else {
      llvm::raw_string_ostream os(text);
      attr.print(os);
    }
    recorded.emplace_back(name.str(), std::move(text));
  }
  if (resultShape) {
    auto type = cast<ShapedType>(op->getResult(0).getType());
    recorded.emplace_back(
        "shape", llvm::join(llvm::map_range(type.getShape(),
                                            [](int64_t dim) {
                                              return std::to_string(dim);
                                            }),
                            ","));
  }
  return recorded;
}

LogicalResult mlir::ssm::verifyKnownAttributes(Operation *op) {
  std::optional<RegisteredOperationName> info = op->getRegisteredInfo();
  if (!info)
    return success();
  SmallVector<StringRef> known;
  for (StringAttr name : info->getAttributeNames())
    if (name != "operandSegmentSizes" && name != "resultSegmentSizes")
      known.push_back(name.getValue());
  for (NamedAttribute attr : op->getDiscardableAttrs()) {
    StringRef name = attr.getName().getValue();
    if (name.contains('.') || llvm::is_contained(known, name))
      continue;
    InFlightDiagnostic diag = op->emitOpError()
                              << "has unknown attribute '" << name << "': ";
    if (known.empty())
      return diag << "it has no attributes of its own (dialect-prefixed ones "
                     "such as 'ssm.lowering' are allowed)";
    diag << "its attributes are";
    for (auto [i, k] : llvm::enumerate(known))
      diag << (i ? ", '" : " '") << k << "'";
    return diag << " (dialect-prefixed ones such as 'ssm.lowering' are "
                   "allowed)";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// FusionOp
//===----------------------------------------------------------------------===//

ArrayRef<StringLiteral> FusionOp::getKnownVariants() {
  static constexpr StringLiteral variants[] = {"fused-conv-scan"};
  return variants;
}

/// fused-conv-scan: a silu causal_conv1d feeding only the `u` of one
/// selective scan (forward or gradient), nothing else.
static LogicalResult verifyFusedConvScan(FusionOp fusion) {
  SmallVector<Operation *> ops;
  for (Operation &op : fusion.getFusedOps())
    ops.push_back(&op);
  auto conv = ops.size() == 2 ? dyn_cast<CausalConv1dOp>(ops[0]) : nullptr;
  if (!conv || !isa<SelectiveScanOp, SelectiveScanGradOp>(ops[1]))
    return fusion.emitOpError()
           << "variant \"fused-conv-scan\" needs a region of exactly an "
              "ssm.causal_conv1d followed by an ssm.selective_scan or "
              "ssm.selective_scan_grad";
  if (conv.getActivation() != Activation::silu)
    return fusion.emitOpError() << "variant \"fused-conv-scan\" fuses a "
                                   "causal_conv1d with activation silu";
  Value convOut = conv.getY();
  Operation *scan = ops[1];
  if (scan->getOperand(0) != convOut || !convOut.hasOneUse())
    return fusion.emitOpError()
           << "variant \"fused-conv-scan\" needs the convolution's result "
              "to be the scan's `u` operand and nothing else";
  return success();
}

LogicalResult FusionOp::verify() {
  if (failed(verifyKnownAttributes(*this)))
    return failure();
  if (!llvm::is_contained(getKnownVariants(), getVariant())) {
    std::string known;
    for (auto [i, v] : llvm::enumerate(getKnownVariants()))
      known += (i ? ", '" : "'") + v.str() + "'";
    return emitOpError() << "has unknown variant \"" << getVariant()
                         << "\": expected " << known;
  }
  auto yield = dyn_cast<YieldOp>(getBody().front().getTerminator());
  if (!yield)
    return emitOpError() << "region must end in ssm.yield";
  if (yield.getValues().getTypes() != getResultTypes())
    return emitOpError() << "yields " << yield.getValues().size()
                         << " values whose types differ from its "
                         << getNumResults() << " results";
  for (Operation &op : getFusedOps())
    if (!isa<KernelOpInterface>(op))
      return emitOpError() << "may only hold ssm kernel ops, found "
                           << op.getName();
  return verifyFusedConvScan(*this);
}
