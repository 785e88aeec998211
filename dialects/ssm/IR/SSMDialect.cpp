//===- SSMDialect.cpp - the ssm dialect -------------------------*- C++ -*-===//

#include "ssm/IR/SSMDialect.h"
#include "ssm/IR/SSMLowering.h"
#include "ssm/IR/SSMOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::ssm;

#include "ssm/IR/SSMEnums.cpp.inc"
#include "ssm/IR/SSMOpsDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "ssm/IR/SSMAttrs.cpp.inc"

void SSMDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "ssm/IR/SSMOps.cpp.inc"
      >();
  registerAttributes();
}

void SSMDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "ssm/IR/SSMAttrs.cpp.inc"
      >();
}

LogicalResult SSMDialect::verifyOperationAttribute(Operation *op,
                                                   NamedAttribute attribute) {
  if (attribute.getName() == kLoweringAttrName) {
    auto lowering = dyn_cast<LoweringAttr>(attribute.getValue());
    if (!lowering)
      return op->emitOpError()
             << "has " << kLoweringAttrName
             << " that is not a #ssm.lowering: " << attribute.getValue();
    return verifyLowering(op, lowering);
  }
  if (attribute.getName() == kKernelLoweringsAttrName) {
    auto dict = dyn_cast<DictionaryAttr>(attribute.getValue());
    if (!dict || !llvm::all_of(dict, [](NamedAttribute entry) {
          return isa<LoweringAttr>(entry.getValue());
        }))
      return op->emitOpError() << "has " << kKernelLoweringsAttrName
                               << " that is not a dictionary of #ssm.lowering";
    return success();
  }
  // Attributes of other names (ssm.name, ssm.role on function arguments)
  // are read where they matter.
  return success();
}
