//===- SSMOps.cpp - ssm dialect operations ----------------------*- C++ -*-===//

#include "ssm/IR/SSMOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::ssm;

#define GET_OP_CLASSES
#include "ssm/IR/SSMOps.cpp.inc"
