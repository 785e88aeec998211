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
      llvm::cl::desc("Positions per scan chunk (selective scan backward "
                     "recomputation, chunked SSD)"),
      llvm::cl::init(64)};
  PassOptions::Option<std::string> ssdStrategy{
      *this, "ssd-strategy", llvm::cl::desc("SSD scan: chunked or recurrence"),
      llvm::cl::init("chunked")};
  PassOptions::Option<int64_t> ssdTile{
      *this, "ssd-tile",
      llvm::cl::desc("States or positions per point of the chunked SSD"),
      llvm::cl::init(8)};
};

/// ssm (tensors) -> loops on buffers -> LLVM dialect, with bare-pointer
/// function arguments and results returned through out-parameters.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// Options of the GPU pipeline (the lowering choices it records).
struct GPUPipelineOptions : public PassPipelineOptions<GPUPipelineOptions> {
  PassOptions::Option<int64_t> chunkLen{
      *this, "chunk-len",
      llvm::cl::desc("Positions per scan chunk (selective scan backward "
                     "recomputation, chunked SSD)"),
      llvm::cl::init(64)};
  PassOptions::Option<std::string> ssdStrategy{
      *this, "ssd-strategy", llvm::cl::desc("SSD scan: chunked or recurrence"),
      llvm::cl::init("chunked")};
  PassOptions::Option<int64_t> ssdTile{
      *this, "ssd-tile",
      llvm::cl::desc("States or positions per point of the chunked SSD"),
      llvm::cl::init(8)};
  PassOptions::Option<int64_t> threadsPerBlock{
      *this, "threads-per-block",
      llvm::cl::desc("GPU threads per block (multiple of 32, <= 1024)"),
      llvm::cl::init(128)};
  PassOptions::Option<std::string> scanStrategy{
      *this, "scan-strategy",
      llvm::cl::desc("Selective scan parallelisation: block-scan or "
                     "thread-per-point"),
      llvm::cl::init("block-scan")};
  PassOptions::Option<int64_t> channelsPerBlock{
      *this, "channels-per-block",
      llvm::cl::desc("Channels per block in the block scan"),
      llvm::cl::init(1)};
  PassOptions::Option<int64_t> itemsPerThread{
      *this, "items-per-thread",
      llvm::cl::desc("Positions per thread in the block scan"),
      llvm::cl::init(8)};
  PassOptions::Option<int64_t> maxRegisters{
      *this, "max-registers",
      llvm::cl::desc("Register budget per thread passed to ptxas "
                     "(-maxrregcount); 0 leaves it to ptxas"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> scanBackwardMaxRegisters{
      *this, "scan-backward-max-registers",
      llvm::cl::desc("Register budget of the selective scan's block-scan "
                     "backward kernel alone; 0 leaves it to max-registers "
                     "(default 168: measured in docs/PERFORMANCE.md)"),
      llvm::cl::init(168)};
  PassOptions::Option<std::string> chip{
      *this, "chip", llvm::cl::desc("GPU architecture of the cubin"),
      llvm::cl::init("sm_90")};
  enum class CubinFormat { Bin, Isa };
  PassOptions::Option<CubinFormat> cubinFormat{
      *this, "cubin-format", llvm::cl::desc("What gpu-module-to-binary embeds"),
      llvm::cl::init(CubinFormat::Bin),
      llvm::cl::values(
          clEnumValN(CubinFormat::Bin, "bin", "a cubin (the default)"),
          clEnumValN(CubinFormat::Isa, "isa",
                     "PTX text, to read the kernels"))};
};

/// ssm (tensors) -> gpu.launch kernels -> device buffers -> upstream NVVM
/// pipeline: an sm_90 cubin embedded in host LLVM code calling mgpu*.
void buildGPUPipeline(OpPassManager &pm, const GPUPipelineOptions &options);

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
