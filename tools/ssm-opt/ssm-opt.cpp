//===- ssm-opt.cpp - the mlir-opt of the ssm compiler -----------*- C++ -*-===//
//
// Runs passes on .mlir files like mlir-opt: every upstream dialect and pass
// the pipelines use, plus the ssm dialect and the project's passes.
//
//===----------------------------------------------------------------------===//

#include "ssm/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::ssm::registerAllDialects(registry);
  mlir::ssm::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "ssm optimizer driver\n", registry));
}
