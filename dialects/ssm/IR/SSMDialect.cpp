//===- SSMDialect.cpp - the ssm dialect -------------------------*- C++ -*-===//

#include "ssm/IR/SSMDialect.h"
#include "ssm/IR/SSMOps.h"

using namespace mlir;
using namespace mlir::ssm;

#include "ssm/IR/SSMEnums.cpp.inc"
#include "ssm/IR/SSMOpsDialect.cpp.inc"

void SSMDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "ssm/IR/SSMOps.cpp.inc"
      >();
}
