//===- CPUPipeline.cpp - the CPU compilation pipeline -----------*- C++ -*-===//

#include "ssm/Conversion/Passes.h"
#include "ssm/Pipelines/Pipelines.h"

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

/// One-shot bufferization of whole functions with identity layouts, results
/// turned into caller-provided out-parameters (the workload ABI), and
/// upstream ownership-based deallocation of every remaining allocation.
void mlir::ssm::addBufferizationPasses(OpPassManager &pm, bool gpuKernels) {
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
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

void mlir::ssm::buildCPUPipeline(OpPassManager &pm,
                                 const CPUPipelineOptions &options) {
  ConvertSSMToLoopsOptions loops;
  loops.chunkLen = options.chunkLen;
  loops.ssdStrategy = options.ssdStrategy;
  loops.ssdTile = options.ssdTile;
  pm.addPass(createConvertSSMToLoops(loops));
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
}

void mlir::ssm::registerPipelines() {
  PassPipelineRegistration<CPUPipelineOptions>(
      "ssm-cpu-pipeline",
      "Lower ssm ops on tensors to the LLVM dialect for the host CPU",
      buildCPUPipeline);
  PassPipelineRegistration<GPUPipelineOptions>(
      "ssm-gpu-pipeline",
      "Lower ssm ops on tensors to GPU kernels and an sm_90 cubin with host "
      "code calling the mgpu* runtime",
      buildGPUPipeline);
}
