//===- Pipelines.h - named ssm compilation pipelines ------------*- C++ -*-===//
//
// The pipelines `ssm-compile` runs, registered so that `ssm-opt` can run the
// very same steps (`--ssm-cpu-pipeline`, `--ssm-gpu-pipeline`).
//
//===----------------------------------------------------------------------===//

#ifndef SSM_PIPELINES_PIPELINES_H
#define SSM_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir {
namespace ssm {

/// Options of the CPU pipeline (the lowering choices it records).
struct CPUPipelineOptions : public PassPipelineOptions<CPUPipelineOptions> {
  PassOptions::Option<int64_t> chunkLen{
      *this, "chunk-len",
      llvm::cl::desc("Positions between two states saved by a scan's forward "
                     "for its backward"),
      llvm::cl::init(64)};
};

/// ssm (tensors) -> loops on buffers -> LLVM dialect, with bare-pointer
/// function arguments and results returned through out-parameters.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// Registers the named pipelines with the pass registry.
void registerPipelines();

} // namespace ssm
} // namespace mlir

#endif
