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

/// What a pipeline is asked for. The lowering choices are the options of
/// ssm-select-lowering (declared once, in dialects/ssm/Transforms/Passes.td):
/// `ssm-opt --ssm-gpu-pipeline='chunk-len=32 variant=unfused'` and
/// `ssm-compile --chunk-len=32 --variant=unfused` both hand them to it.
struct PipelineRequest {
  /// "cpu" or "gpu": fixed by the pipeline, not an option.
  std::string target = "cpu";
  /// ssm-select-lowering's options ("key=value ..."), without `target`.
  std::string loweringOptions;
  /// GPU: embed PTX text instead of a cubin (`cubin-format=isa`), to read
  /// the kernels. Not a lowering choice.
  bool cubinIsa = false;
};

using PipelineErrorHandler = function_ref<LogicalResult(const Twine &)>;

/// Splits a pipeline's option string into a request for `target`:
/// `cubin-format=bin|isa` (GPU) belongs to the pipeline, every other key is
/// a lowering choice. A duplicated key, `target`, or a malformed token is
/// an error (reported through `onError`).
FailureOr<PipelineRequest> parsePipelineOptions(StringRef target,
                                                StringRef options,
                                                PipelineErrorHandler onError);

/// Every lowering option with the value `request` gives it (defaults
/// included), in declaration order, as ssm-select-lowering prints them.
FailureOr<SmallVector<std::pair<std::string, std::string>>>
getLoweringOptionValues(const PipelineRequest &request,
                        PipelineErrorHandler onError);

/// ssm-fuse (for the requested variant) and ssm-select-lowering: the part
/// of both pipelines that chooses, and records on the IR, how each op is
/// lowered.
LogicalResult addLoweringSelection(OpPassManager &pm,
                                   const PipelineRequest &request,
                                   PipelineErrorHandler onError);

/// ssm (tensors) -> chosen lowerings -> loops on buffers -> LLVM dialect,
/// with bare-pointer function arguments and results returned through
/// out-parameters.
LogicalResult buildCPUPipeline(OpPassManager &pm,
                               const PipelineRequest &request,
                               PipelineErrorHandler onError);

/// ssm (tensors) -> chosen lowerings -> gpu.launch kernels -> device
/// buffers -> upstream NVVM pipeline: a cubin for the chosen chip embedded
/// in host LLVM code calling mgpu*.
LogicalResult buildGPUPipeline(OpPassManager &pm,
                               const PipelineRequest &request,
                               PipelineErrorHandler onError);

/// One-shot bufferization with identity layouts, results as out-parameters
/// and upstream buffer deallocation (shared by both pipelines).
/// With `gpuKernels`, gpu.launch bodies are outlined into kernels and
/// buffers are freed by ssm-gpu-free-buffers instead of upstream's
/// ownership-based deallocation.
void addBufferizationPasses(OpPassManager &pm, bool gpuKernels = false);

/// Registers the named pipelines with the pass registry.
void registerPipelines();

} // namespace ssm
} // namespace mlir

#endif
