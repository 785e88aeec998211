//===- ssm-opt.cpp - the mlir-opt of the ssm compiler -----------*- C++ -*-===//
//
// Runs passes on .mlir files like mlir-opt: every upstream dialect and pass
// the pipelines use, plus the ssm dialect and the project's passes. Unlike
// mlir-opt, every failure of the command line or of an option is one
// `error:` line (LLVM's parser and unlocated diagnostics otherwise print
// without the prefix, or at line 0 of the input).
//
//===----------------------------------------------------------------------===//

#include "ssm/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  DialectRegistry registry;
  ssm::registerAllDialects(registry);
  ssm::registerAllPasses();
  static llvm::cl::opt<std::string> inputFilename(
      llvm::cl::Positional, llvm::cl::desc("<input file>"),
      llvm::cl::init("-"));
  static llvm::cl::opt<std::string> outputFilename(
      "o", llvm::cl::desc("Output filename"), llvm::cl::value_desc("filename"),
      llvm::cl::init("-"));
  std::string header = registerCLIOptions("ssm optimizer driver\n", registry);
  if (!ssm::parseToolCommandLine(argc, argv, header))
    return 1;

  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();
  MlirOptMainConfig withPlainErrors = config;
  bool verifying = config.shouldVerifyDiagnostics();
  withPlainErrors.setPassPipelineSetupFn([&](PassManager &pm) {
    // With -verify-diagnostics, the verifier must see every diagnostic.
    if (!verifying)
      ssm::printUnlocatedDiagnosticsPlainly(*pm.getContext());
    return config.setupPassPipeline(pm);
  });

  std::string message;
  std::unique_ptr<llvm::MemoryBuffer> file =
      openInputFile(inputFilename, &message);
  if (!file) {
    llvm::errs() << "error: " << message << "\n";
    return 1;
  }
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &message);
  if (!output) {
    llvm::errs() << "error: " << message << "\n";
    return 1;
  }
  if (failed(MlirOptMain(output->os(), std::move(file), registry,
                         withPlainErrors)))
    return 1;
  output->keep();
  return 0;
}
