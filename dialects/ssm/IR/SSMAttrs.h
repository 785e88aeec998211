//===- SSMAttrs.h - ssm dialect attributes ----------------------*- C++ -*-===//

#ifndef SSM_IR_SSMATTRS_H
#define SSM_IR_SSMATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "ssm/IR/SSMDialect.h"
#include "ssm/IR/SSMEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "ssm/IR/SSMAttrs.h.inc"

#endif // SSM_IR_SSMATTRS_H
