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

#endif // SSM_IR_SSMOPS_H
