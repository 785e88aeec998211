//===- GPUPipeline.cpp - the GPU compilation pipeline -----------*- C++ -*-===//
//
// ssm -> gpu.launch kernels on tensors-turned-buffers -> device buffers ->
// upstream's NVVM pipeline (outlining, NVVM, PTX, sm_90 cubin embedded in
// the host module, host code calling the mgpu* runtime).
//
//===----------------------------------------------------------------------===//

#include "ssm/Conversion/Passes.h"
#include "ssm/Pipelines/Pipelines.h"

#include "mlir/Dialect/GPU/Pipelines/Passes.h"

using namespace mlir;

void mlir::ssm::buildGPUPipeline(OpPassManager &pm,
                                 const GPUPipelineOptions &options) {
  ConvertSSMToGPUOptions kernels;
  kernels.chunkLen = options.chunkLen;
  kernels.ssdStrategy = options.ssdStrategy;
  kernels.ssdTile = options.ssdTile;
  kernels.threadsPerBlock = options.threadsPerBlock;
  kernels.scanStrategy = options.scanStrategy;
  kernels.itemsPerThread = options.itemsPerThread;
  kernels.channelsPerBlock = options.channelsPerBlock;
  pm.addPass(createConvertSSMToGPU(kernels));
  addBufferizationPasses(pm, /*gpuKernels=*/true);
  pm.addPass(createSSMGPUDeviceBuffers());
  pm.addPass(createSSMGPUFastExp2());
  SSMGPURegisterBudgetOptions budget;
  budget.maxRegisters = options.maxRegisters;
  budget.scanBackwardMaxRegisters = options.scanBackwardMaxRegisters;
  pm.addPass(createSSMGPURegisterBudget(budget));

  gpu::GPUToNVVMPipelineOptions nvvm;
  nvvm.cubinChip = options.chip;
  // sm_90 needs PTX 8.0 or later; upstream's default is older.
  nvvm.cubinFeatures = "+ptx80";
  nvvm.cubinFormat = options.cubinFormat == GPUPipelineOptions::CubinFormat::Isa
                         ? "isa"
                         : "bin";
  nvvm.optLevel = 3;
  gpu::buildLowerToNVVMPassPipeline(pm, nvvm);
}
