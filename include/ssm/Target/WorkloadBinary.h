//===- WorkloadBinary.h - ssm module to a workload binary -------*- C++ -*-===//
//
// Compiles a module of ssm functions into a shared object that the runtime
// loads: one `void ssm_entry_<fn>(void **buffers)` per public function and a
// JSON self-description `ssm_workload_manifest` (docs/WORKLOAD_BINARY.md).
//
//===----------------------------------------------------------------------===//

#ifndef SSM_TARGET_WORKLOADBINARY_H
#define SSM_TARGET_WORKLOADBINARY_H

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace mlir {
namespace ssm {

struct CompileOptions {
  std::string target = "cpu"; // "cpu" or "gpu"
  std::string outputPath;
  /// The lowering choices: ssm-select-lowering's options ("key=value ...",
  /// e.g. "chunk-len=32 variant=unfused"), recorded in the binary.
  std::string loweringOptions;
  /// Loss functions whose training step (`<name>_step`) is built first
  /// (ssm-build-training-step).
  std::vector<std::string> trainingSteps;
  /// Keep the intermediate object file next to the output (debugging).
  bool keepObject = false;
};

/// Builds the manifest JSON of `module` after the lowering selection
/// (tensor level, every op carrying its #ssm.lowering): its entries, every
/// tensor's name, shape, element type and role, each entry's ssm op graph
/// with each op's recorded attributes and lowering, and the module's
/// `loweringOptions` (every option's value). Fails with a located
/// diagnostic on a function the runtime cannot call (non-tensor arguments,
/// dynamic shapes, duplicate names) or an op it cannot describe.
FailureOr<std::string>
buildManifest(ModuleOp module, const CompileOptions &options,
              ArrayRef<std::pair<std::string, std::string>> loweringOptions);

/// Lowers `module` for `options.target`, adds the entry wrappers and the
/// manifest, and writes the shared object to `options.outputPath`.
LogicalResult compileWorkload(ModuleOp module, const CompileOptions &options);

} // namespace ssm
} // namespace mlir

#endif
