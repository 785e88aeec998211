//===- ssm-compile.cpp - compile an ssm workload to a binary ----*- C++ -*-===//
//
// ssm-compile FILE.mlir --target=cpu|gpu -o NAME.so [--LOWERING-OPTION=V ...]
// ssm-compile FILE.mlir --target=cpu|gpu -o DIR --sweep 'key=v1,v2;key2=...'
//
// The tool's own flags are the input, the output, the target and
// --keep-object. Every other `--key=value` (or `--key value`) is a lowering
// choice, handed unchanged to ssm-select-lowering, which declares them
// (`ssm-compile --help` lists them) and rejects the ones it does not know.
//
//===----------------------------------------------------------------------===//

#include "ssm/InitAll.h"
#include "ssm/Target/Sweep.h"
#include "ssm/Target/WorkloadBinary.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
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
static llvm::cl::opt<std::string>
    sweep("sweep",
          llvm::cl::desc("Compile one binary per combination of lowering "
                         "option values, 'key=v1,v2;key2=v3,...', into the "
                         "directory given by -o; invalid ones are skipped"),
          llvm::cl::init(""));
static llvm::cl::list<std::string> trainingSteps(
    "training-step",
    llvm::cl::desc("Add FN_step, the training step (forward + backward) of "
                   "the loss function FN (ssm-build-training-step); "
                   "comma-separated names"),
    llvm::cl::CommaSeparated);
static llvm::cl::opt<bool> keepObject("keep-object",
                                      llvm::cl::desc("Keep NAME.so.o"),
                                      llvm::cl::init(false));

/// True for the flags ssm-compile parses itself (with or without a value).
static bool isOwnFlag(StringRef name) {
  return llvm::is_contained({"o", "target", "keep-object", "sweep",
                             "training-step", "help", "h", "help-hidden",
                             "version", "help-list"},
                            name);
}

/// Splits argv into the tool's own arguments and the lowering options
/// (`--key=value` or `--key value`, written "key=value" for the pass).
static LogicalResult splitArguments(int argc, char **argv,
                                    SmallVectorImpl<const char *> &own,
                                    std::string &lowering) {
  own.push_back(argv[0]);
  for (int i = 1; i < argc; ++i) {
    StringRef arg = argv[i];
    if (!arg.starts_with("-") || arg == "-") {
      own.push_back(argv[i]);
      continue;
    }
    StringRef flag = arg.ltrim('-');
    auto [name, value] = flag.split('=');
    if (isOwnFlag(name)) {
      own.push_back(argv[i]);
      // `-o FILE` and `--target gpu` take the next argument.
      if (!flag.contains('=') &&
          (name == "o" || name == "target" || name == "sweep" ||
           name == "training-step") &&
          i + 1 < argc)
        own.push_back(argv[++i]);
      continue;
    }
    if (!flag.contains('=')) {
      if (i + 1 >= argc) {
        llvm::errs() << "error: option '--" << name << "' needs a value\n";
        return failure();
      }
      value = argv[++i];
    }
    lowering += (lowering.empty() ? "" : " ") + name.str() + "=" + value.str();
  }
  return success();
}

static void printLoweringHelp() {
  llvm::outs() << "\nLowering choices (recorded in the binary), the options "
                  "of ssm-select-lowering, as --key=value:\n";
  if (const PassInfo *info = PassInfo::lookup("ssm-select-lowering"))
    info->printHelpStr(/*indent=*/2, /*descIndent=*/30);
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  ssm::registerAllPasses();
  SmallVector<const char *> own;
  std::string lowering;
  if (failed(splitArguments(argc, argv, own, lowering)))
    return 1;
  for (const char *arg : own)
    if (StringRef(arg).ltrim('-') == "help")
      std::atexit(printLoweringHelp);
  if (!ssm::parseToolCommandLine(own.size(), own.data(),
                                 "ssm workload compiler\n"))
    return 1;

  DialectRegistry registry;
  ssm::registerAllDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  // Errors that belong to no line of the input (bad options) are one plain
  // `error:` line, not one located at the file's line 0.
  ScopedDiagnosticHandler unlocated(&context, [](Diagnostic &diag) {
    if (!isa<UnknownLoc>(diag.getLocation()))
      return failure();
    llvm::errs() << "error: " << diag.str() << "\n";
    return success();
  });
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(inputFile, sourceMgr, &context);
  if (!module)
    return 1;

  ssm::CompileOptions options;
  options.target = target;
  options.outputPath = outputFile;
  options.loweringOptions = lowering;
  options.keepObject = keepObject;
  options.trainingSteps.assign(trainingSteps.begin(), trainingSteps.end());
  if (sweep.empty())
    return failed(ssm::compileWorkload(*module, options)) ? 1 : 0;

  std::string error;
  FailureOr<std::vector<ssm::SweepAxis>> axes = ssm::parseSweep(sweep, error);
  if (failed(axes)) {
    llvm::errs() << "error: --sweep: " << error << "\n";
    return 1;
  }
  StringRef stem = llvm::sys::path::stem(inputFile);
  // Compilation rewrites the module: each point gets a fresh copy.
  auto copy = [&]() { return OwningOpRef<ModuleOp>(module->clone()); };
  ssm::SweepSummary summary = ssm::runSweep(context, copy, options, stem,
                                            outputFile, *axes, llvm::outs());
  return summary.compiled == 0 ? 1 : 0;
}
