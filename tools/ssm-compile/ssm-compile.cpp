//===- ssm-compile.cpp - compile an ssm workload to a binary ----*- C++ -*-===//
//
// ssm-compile FILE.mlir --target=cpu|gpu -o NAME.so [--chunk-len=N]
//
//===----------------------------------------------------------------------===//

#include "ssm/InitAll.h"
#include "ssm/Target/WorkloadBinary.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

static llvm::cl::opt<std::string> inputFile(llvm::cl::Positional,
                                            llvm::cl::desc("<input .mlir>"),
                                            llvm::cl::Required);
static llvm::cl::opt<std::string> outputFile("o", llvm::cl::desc("Output .so"),
                                             llvm::cl::Required);
static llvm::cl::opt<std::string> target("target",
                                         llvm::cl::desc("Target: cpu or gpu"),
                                         llvm::cl::init("cpu"));
static llvm::cl::opt<int64_t> chunkLen(
    "chunk-len",
    llvm::cl::desc("Positions per scan chunk: the selective scan backward's "
                   "recomputation interval, the chunked SSD's chunk"),
    llvm::cl::init(64));
static llvm::cl::opt<int64_t>
    threadsPerBlock("threads-per-block",
                    llvm::cl::desc("GPU threads per block (gpu target)"),
                    llvm::cl::init(128));
static llvm::cl::opt<int64_t>
    maxRegisters("max-registers",
                 llvm::cl::desc("Register budget per GPU thread, 0: ptxas "
                                "decides (gpu target)"),
                 llvm::cl::init(0));
static llvm::cl::opt<int64_t> scanBackwardMaxRegisters(
    "scan-backward-max-registers",
    llvm::cl::desc("Register budget of the selective scan's block-scan "
                   "backward kernel alone, 0 for none (gpu target; 168 "
                   "measured best at B8 L2048, see docs/PERFORMANCE.md)"),
    llvm::cl::init(168));
static llvm::cl::opt<std::string> scanStrategy(
    "scan-strategy",
    llvm::cl::desc("Selective scan on the GPU: block-scan or thread-per-point"),
    llvm::cl::init("block-scan"));
static llvm::cl::opt<std::string> ssdStrategy(
    "ssd-strategy",
    llvm::cl::desc("SSD scan: chunked (dual form, chunks of chunk-len) or "
                   "recurrence"),
    llvm::cl::init("chunked"));
static llvm::cl::opt<int64_t> ssdTile(
    "ssd-tile",
    llvm::cl::desc("States or positions per point of the chunked SSD (1, 2, "
                   "4, 8, 16)"),
    llvm::cl::init(8));
static llvm::cl::opt<int64_t>
    itemsPerThread("items-per-thread",
                   llvm::cl::desc("Positions per thread (block-scan)"),
                   llvm::cl::init(8));
static llvm::cl::opt<int64_t> channelsPerBlock(
    "channels-per-block",
    llvm::cl::desc("Channels one block scans side by side (block-scan)"),
    llvm::cl::init(1));
static llvm::cl::opt<bool> keepObject("keep-object",
                                      llvm::cl::desc("Keep NAME.so.o"),
                                      llvm::cl::init(false));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  ssm::registerAllPasses();
  llvm::cl::ParseCommandLineOptions(argc, argv, "ssm workload compiler\n");

  DialectRegistry registry;
  ssm::registerAllDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(inputFile, sourceMgr, &context);
  if (!module)
    return 1;

  ssm::CompileOptions options;
  options.target = target;
  options.outputPath = outputFile;
  options.chunkLen = chunkLen;
  options.threadsPerBlock = threadsPerBlock;
  options.maxRegisters = maxRegisters;
  options.scanBackwardMaxRegisters = scanBackwardMaxRegisters;
  options.scanStrategy = scanStrategy;
  options.itemsPerThread = itemsPerThread;
  options.channelsPerBlock = channelsPerBlock;
  options.ssdStrategy = ssdStrategy;
  options.lowering["chunk-len"] = std::to_string(chunkLen);
  options.lowering["ssd-strategy"] = ssdStrategy;
  options.ssdTile = ssdTile;
  options.lowering["ssd-tile"] = std::to_string(ssdTile);
  if (target == "gpu") {
    options.lowering["threads-per-block"] = std::to_string(threadsPerBlock);
    options.lowering["max-registers"] = std::to_string(maxRegisters);
    options.lowering["scan-backward-max-registers"] =
        std::to_string(scanBackwardMaxRegisters);
    options.lowering["scan-strategy"] = scanStrategy;
    options.lowering["items-per-thread"] = std::to_string(itemsPerThread);
    options.lowering["channels-per-block"] = std::to_string(channelsPerBlock);
  }
  options.keepObject = keepObject;
  return failed(ssm::compileWorkload(*module, options)) ? 1 : 0;
}
