//===- CPUPipeline.cpp - the CPU compilation pipeline -----------*- C++ -*-===//

#include "ssm/Conversion/Passes.h"
#include "ssm/Pipelines/Pipelines.h"
#include "ssm/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::ssm;

/// One-shot bufferization of whole functions with identity layouts, results
/// turned into caller-provided out-parameters (the workload ABI), and
/// upstream ownership-based deallocation of every remaining allocation.
void mlir::ssm::addBufferizationPasses(OpPassManager &pm, bool gpuKernels) {
  // One buffer per result: out-parameters cannot share one.
  pm.addPass(createSSMDistinctResults());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  pm.addNestedPass<func::FuncOp>(createSSMForwardOutParams());
  if (gpuKernels) {
    // Upstream deallocation rejects kernel launches and barriers, whose
    // effects it cannot see; host code of GPU workloads is straight-line,
    // so freeing after the last use is exact.
    pm.addPass(createGpuKernelOutliningPass());
    pm.addNestedPass<func::FuncOp>(createSSMGPUFreeBuffers());
  } else {
    bufferization::BufferDeallocationPipelineOptions dealloc;
    bufferization::buildBufferDeallocationPipeline(pm, dealloc);
  }
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

LogicalResult mlir::ssm::buildCPUPipeline(OpPassManager &pm,
                                          const PipelineRequest &request,
                                          PipelineErrorHandler onError) {
  if (failed(addLoweringSelection(pm, request, onError)))
    return failure();
  // Identical ops (the layers of a model) share one set of kernels.
  pm.addPass(createSSMOutlineKernels());
  pm.addPass(createConvertSSMToLoops());
  addBufferizationPasses(pm);

  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createSCFToControlFlowPass());
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true; // no native bf16 conversions on the host
  pm.addPass(arith::createArithExpandOpsPass(expand));
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  ConvertFuncToLLVMPassOptions funcToLLVM;
  funcToLLVM.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcToLLVM));
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  return success();
}

/// Registers `name` as a pipeline whose option string is split by
/// parsePipelineOptions (so that the lowering choices reach
/// ssm-select-lowering unchanged).
static void registerPipeline(StringRef name, StringRef target,
                             StringRef description,
                             LogicalResult (*build)(OpPassManager &,
                                                    const PipelineRequest &,
                                                    PipelineErrorHandler)) {
  std::string targetName = target.str();
  registerPassPipeline(
      name, description,
      [targetName, build](OpPassManager &pm, StringRef options,
                          PipelineErrorHandler onError) {
        FailureOr<PipelineRequest> request =
            parsePipelineOptions(targetName, options, onError);
        if (failed(request))
          return failure();
        return build(pm, *request, onError);
      },
      [](function_ref<void(const mlir::detail::PassOptions &)>) {});
}

void mlir::ssm::registerPipelines() {
  registerPipeline("ssm-cpu-pipeline", "cpu",
                   "Lower ssm ops on tensors to the LLVM dialect for the host "
                   "CPU; options: those of ssm-select-lowering (but target)",
                   buildCPUPipeline);
  registerPipeline(
      "ssm-gpu-pipeline", "gpu",
      "Lower ssm ops on tensors to GPU kernels and a cubin with host code "
      "calling the mgpu* runtime; options: those of ssm-select-lowering "
      "(but target), and cubin-format=bin|isa",
      buildGPUPipeline);
}
