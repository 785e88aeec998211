//===- InitAll.cpp - register everything the ssm tools use ------*- C++ -*-===//

#include "ssm/InitAll.h"
#include "ssm/Conversion/Passes.h"
#include "ssm/IR/SSMDialect.h"
#include "ssm/Pipelines/Pipelines.h"
#include "ssm/Transforms/Passes.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

void mlir::ssm::registerAllDialects(DialectRegistry &registry) {
  registry.insert<SSMDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // gpu-module-to-binary translates kernels to LLVM IR inside the pipeline.
  mlir::registerAllToLLVMIRTranslations(registry);
}

void mlir::ssm::registerAllPasses() {
  mlir::registerAllPasses();
  registerSSMTransformsPasses();
  registerSSMConversionPasses();
  registerPipelines();
}
