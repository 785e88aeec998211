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

#include <map>
#include <string>

namespace mlir {
namespace ssm {

struct CompileOptions {
  std::string target = "cpu"; // "cpu" or "gpu"
  std::string outputPath;
  /// Positions between two states saved by a scan's forward for its
  /// backward (`chunk-len` of the conversions).
  int64_t chunkLen = 64;
  /// GPU threads per block and register budget (0: ptxas decides).
  int64_t threadsPerBlock = 128;
  int64_t maxRegisters = 0;
  int64_t scanBackwardMaxRegisters = 168;
  std::string scanStrategy = "block-scan";
  std::string ssdStrategy = "chunked";
  int64_t ssdTile = 8;
  int64_t itemsPerThread = 8;
  int64_t channelsPerBlock = 1;
  /// Lowering choices, by pass-option name (e.g. "chunk-len" -> "64").
  std::map<std::string, std::string> lowering;
  /// Keep the intermediate object file next to the output (debugging).
  bool keepObject = false;
};

/// Builds the manifest JSON of `module` (before lowering): its entries,
/// every tensor's name, shape, element type and role, and each entry's ssm
/// op graph. Fails with a located diagnostic on a function the runtime
/// cannot call (non-tensor arguments, dynamic shapes, duplicate names).
FailureOr<std::string> buildManifest(ModuleOp module,
                                     const CompileOptions &options);

/// Lowers `module` for `options.target`, adds the entry wrappers and the
/// manifest, and writes the shared object to `options.outputPath`.
LogicalResult compileWorkload(ModuleOp module, const CompileOptions &options);

} // namespace ssm
} // namespace mlir

#endif
