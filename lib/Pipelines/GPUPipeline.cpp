//===- GPUPipeline.cpp - the GPU compilation pipeline -----------*- C++ -*-===//
//
// ssm -> gpu.launch kernels on tensors-turned-buffers -> device buffers ->
// upstream's NVVM pipeline (outlining, NVVM, PTX, sm_90 cubin embedded in
// the host module, host code calling the mgpu* runtime).
//
//===----------------------------------------------------------------------===//

#include "ssm/Conversion/Passes.h"
#include "ssm/IR/SSMLowering.h"
#include "ssm/Pipelines/Pipelines.h"
#include "ssm/Transforms/Passes.h"

#include "mlir/Dialect/GPU/Pipelines/Passes.h"

using namespace mlir;

LogicalResult mlir::ssm::buildGPUPipeline(OpPassManager &pm,
                                          const PipelineRequest &request,
                                          PipelineErrorHandler onError) {
  FailureOr<SmallVector<std::pair<std::string, std::string>>> values =
      getLoweringOptionValues(request, onError);
  if (failed(values) || failed(addLoweringSelection(pm, request, onError)))
    return failure();
  std::string chip;
  for (auto &[key, value] : *values)
    if (key == "chip")
      chip = value;
  // Upstream's NVVM target crashes on a chip it does not know: ask for one
  // of the form it accepts before building anything.
  if (!isValidChip(chip))
    return onError("ssm-select-lowering: chip = '" + chip +
                   "' is not a GPU architecture such as 'sm_90'");
  // Identical ops (the layers of a model) share one set of kernels.
  pm.addPass(createSSMOutlineKernels());
  pm.addPass(createConvertSSMToGPU());
  addBufferizationPasses(pm, /*gpuKernels=*/true);
  pm.addPass(createSSMGPUDeviceBuffers());
  pm.addPass(createSSMGPUStreamOrder());
  pm.addPass(createSSMGPUFastExp2());
  pm.addPass(createSSMGPURegisterBudget());

  gpu::GPUToNVVMPipelineOptions nvvm;
  nvvm.cubinChip = chip;
  // sm_90 needs PTX 8.0 or later; upstream's default is older.
  nvvm.cubinFeatures = "+ptx80";
  nvvm.cubinFormat = request.cubinIsa ? "isa" : "bin";
  nvvm.optLevel = 3;
  gpu::buildLowerToNVVMPassPipeline(pm, nvvm);
  return success();
}
