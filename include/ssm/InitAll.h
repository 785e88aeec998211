//===- InitAll.h - register everything the ssm tools use --------*- C++ -*-===//

#ifndef SSM_INITALL_H
#define SSM_INITALL_H

#include "llvm/ADT/StringRef.h"

namespace mlir {
class DialectRegistry;
class MLIRContext;
namespace ssm {

/// Registers the ssm dialect and every upstream dialect (with its interface
/// and translation extensions) that the ssm pipelines produce.
void registerAllDialects(DialectRegistry &registry);

/// Registers the project's passes and pipelines and the upstream passes the
/// pipelines run, so that `ssm-opt` can run every step `ssm-compile` runs.
void registerAllPasses();

/// Parses the command line with LLVM's parser, but reports a failure as one
/// line starting with `error:` (LLVM's own messages have no such prefix and
/// may take several lines). Returns false on an error.
bool parseToolCommandLine(int argc, const char *const *argv,
                          llvm::StringRef overview);

/// Prints the diagnostics of `context` that belong to no line of the input
/// (UnknownLoc: bad options) as one plain `error: ...` line each, instead of
/// one located at line 0 of the input. Other diagnostics go to the handlers
/// registered before.
void printUnlocatedDiagnosticsPlainly(MLIRContext &context);

} // namespace ssm
} // namespace mlir

#endif // SSM_INITALL_H
