//===- SSMDialect.h - the ssm dialect ---------------------------*- C++ -*-===//

#ifndef SSM_IR_SSMDIALECT_H
#define SSM_IR_SSMDIALECT_H

#include "mlir/IR/Dialect.h"

#include "ssm/IR/SSMOpsDialect.h.inc"

#endif // SSM_IR_SSMDIALECT_H
