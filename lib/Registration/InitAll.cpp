//===- InitAll.cpp - register everything the ssm tools use ------*- C++ -*-===//

#include "ssm/InitAll.h"
#include "ssm/Conversion/Passes.h"
#include "ssm/IR/SSMDialect.h"
#include "ssm/Pipelines/Pipelines.h"
#include "ssm/Transforms/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <unistd.h>

using namespace mlir;

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

bool mlir::ssm::parseToolCommandLine(int argc, const char *const *argv,
                                     llvm::StringRef overview) {
  std::string messages;
  llvm::raw_string_ostream errs(messages);
  // Some of LLVM's messages (a flag's bad value) go straight to stderr
  // whatever stream the parser is given: stderr is captured meanwhile.
  std::FILE *captured = std::tmpfile();
  int savedStderr = captured ? dup(STDERR_FILENO) : -1;
  if (savedStderr >= 0)
    dup2(fileno(captured), STDERR_FILENO);
  bool parsed = llvm::cl::ParseCommandLineOptions(argc, argv, overview, &errs);
  llvm::errs().flush();
  if (savedStderr >= 0) {
    dup2(savedStderr, STDERR_FILENO);
    close(savedStderr);
    std::rewind(captured);
    std::string direct;
    char buffer[4096];
    for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), captured));)
      direct.append(buffer, n);
    messages = direct + messages;
  }
  if (captured)
    std::fclose(captured);
  if (parsed) {
    llvm::errs() << messages;
    return true;
  }
  // LLVM writes "tool: problem" lines (and "Did you mean" hints): one line.
  SmallVector<StringRef> lines;
  StringRef(messages).split(lines, '\n', -1, /*KeepEmpty=*/false);
  std::string joined;
  for (StringRef line : lines) {
    line = line.trim();
    StringRef tool = llvm::sys::path::filename(argv[0]);
    if (line.starts_with(tool) && line.drop_front(tool.size()).starts_with(":"))
      line = line.drop_front(tool.size() + 1).trim();
    joined += (joined.empty() ? "" : " ") + line.str();
  }
  llvm::errs() << "error: " << joined << "\n";
  return false;
}

void mlir::ssm::printUnlocatedDiagnosticsPlainly(MLIRContext &context) {
  context.getDiagEngine().registerHandler([](Diagnostic &diag) {
    if (!isa<UnknownLoc>(diag.getLocation()))
      return failure();
    StringRef severity = "error";
    if (diag.getSeverity() == DiagnosticSeverity::Warning)
      severity = "warning";
    else if (diag.getSeverity() == DiagnosticSeverity::Note)
      severity = "note";
    else if (diag.getSeverity() == DiagnosticSeverity::Remark)
      severity = "remark";
    llvm::errs() << severity << ": " << diag.str() << "\n";
    return success();
  });
}
