//===- WorkloadBinary.cpp - ssm module to a workload binary -----*- C++ -*-===//
//
// Lowering, entry wrappers, LLVM IR, host object code, and the final link
// into a shared object.
//
//===----------------------------------------------------------------------===//

#include "ssm/Target/WorkloadBinary.h"
#include "ssm/Pipelines/Pipelines.h"
#include "ssm/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace mlir::ssm;

namespace {
struct EntryInfo {
  std::string name;
  /// Shapes of the entry's tensors: arguments, then results.
  SmallVector<SmallVector<int64_t>> shapes;
  Location loc;
};
} // namespace

static SmallVector<EntryInfo> collectEntries(ModuleOp module) {
  SmallVector<EntryInfo> entries;
  for (auto func : module.getOps<func::FuncOp>())
    if (!func.isPrivate() && !func.isExternal()) {
      EntryInfo entry{func.getSymName().str(), {}, func.getLoc()};
      for (Type type : llvm::concat<const Type>(func.getArgumentTypes(),
                                                func.getResultTypes()))
        entry.shapes.emplace_back(cast<ShapedType>(type).getShape());
      entries.push_back(std::move(entry));
    }
  return entries;
}

/// The arguments of a lowered entry for one buffer `ptr` of static `shape`:
/// the bare pointer, or the expanded memref descriptor (allocated and
/// aligned pointer, offset 0, sizes, row-major strides) that upstream's
/// default calling convention uses (the GPU pipeline's host code).
static void pushBufferArguments(OpBuilder &builder, Location loc, Value ptr,
                                ArrayRef<int64_t> shape, bool barePointers,
                                SmallVectorImpl<Value> &args) {
  args.push_back(ptr);
  if (barePointers)
    return;
  auto i64 = builder.getI64Type();
  auto constant = [&](int64_t v) -> Value {
    return LLVM::ConstantOp::create(builder, loc, i64,
                                    builder.getI64IntegerAttr(v));
  };
  args.push_back(ptr);
  args.push_back(constant(0));
  for (int64_t size : shape)
    args.push_back(constant(size));
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  for (int64_t stride : strides)
    args.push_back(constant(stride));
}

/// Adds `void ssm_entry_<fn>(void **buffers)` calling the lowered `fn` with
/// each tensor's buffer (arguments first, then the out-parameters that
/// replaced its results).
static LogicalResult addEntryWrappers(ModuleOp module,
                                      ArrayRef<EntryInfo> entries) {
  MLIRContext *context = module.getContext();
  auto ptrType = LLVM::LLVMPointerType::get(context);
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  for (const EntryInfo &entry : entries) {
    auto callee = module.lookupSymbol<LLVM::LLVMFuncOp>(entry.name);
    if (!callee)
      return emitError(entry.loc)
             << "entry '" << entry.name << "' did not lower to an llvm.func";
    LLVM::LLVMFunctionType calleeType = callee.getFunctionType();
    unsigned descriptorParams = 0;
    for (const auto &shape : entry.shapes)
      descriptorParams += 3 + 2 * shape.size();
    bool barePointers = calleeType.getNumParams() == entry.shapes.size();
    if ((!barePointers && calleeType.getNumParams() != descriptorParams) ||
        !isa<LLVM::LLVMVoidType>(calleeType.getReturnType()))
      return emitError(entry.loc)
             << "entry '" << entry.name << "' lowered to " << calleeType
             << ", expected one pointer or memref descriptor for each of "
             << entry.shapes.size() << " tensors and no result";
    Location loc = entry.loc;
    auto wrapperType = LLVM::LLVMFunctionType::get(
        LLVM::LLVMVoidType::get(context), {ptrType});
    auto wrapper = LLVM::LLVMFuncOp::create(
        builder, loc, "ssm_entry_" + entry.name, wrapperType);
    Block *body = wrapper.addEntryBlock(builder);
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(body);
    SmallVector<Value> args;
    for (auto [i, shape] : llvm::enumerate(entry.shapes)) {
      Value slot = LLVM::GEPOp::create(
          builder, loc, ptrType, ptrType, body->getArgument(0),
          ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
      Value ptr = LLVM::LoadOp::create(builder, loc, ptrType, slot);
      pushBufferArguments(builder, loc, ptr, shape, barePointers, args);
    }
    LLVM::CallOp::create(builder, loc, callee, args);
    LLVM::ReturnOp::create(builder, loc, ValueRange());
  }
  return success();
}

/// Adds the NUL-terminated manifest as `ssm_workload_manifest`.
static void addManifest(ModuleOp module, StringRef manifest) {
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  std::string text = manifest.str();
  text.push_back('\0');
  auto type = LLVM::LLVMArrayType::get(builder.getI8Type(), text.size());
  LLVM::GlobalOp::create(builder, module.getLoc(), type, /*isConstant=*/true,
                         LLVM::Linkage::External, "ssm_workload_manifest",
                         builder.getStringAttr(text));
}

/// Writes the host object. `hostComputes` is false for a GPU binary, whose
/// host code only sequences runtime calls: it is compiled at -O1 without
/// codegen optimisation, because a model's step is one straight-line
/// function of thousands of calls on which the optimising code generator
/// is superlinear (57 s for the Mamba-2 130M step, measured), and there is
/// nothing in it to speed up.
static LogicalResult emitObject(ModuleOp module, StringRef objectPath,
                                bool hostComputes) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  MLIRContext *context = module.getContext();
  registerBuiltinDialectTranslation(*context);
  registerLLVMDialectTranslation(*context);
  registerGPUDialectTranslation(*context);
  registerNVVMDialectTranslation(*context);

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "ssm_workload");
  if (!llvmModule)
    return emitError(module.getLoc(), "translation to LLVM IR failed");

  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return emitError(module.getLoc(), "no LLVM target for the host: ") << error;
  // A generic CPU, so that the binary runs on any machine of the family.
  std::unique_ptr<llvm::TargetMachine> machine(
      target->createTargetMachine(triple, "x86-64", "", llvm::TargetOptions(),
                                  llvm::Reloc::PIC_, std::nullopt,
                                  hostComputes ? llvm::CodeGenOptLevel::Default
                                               : llvm::CodeGenOptLevel::None));
  llvmModule->setTargetTriple(triple);
  llvmModule->setDataLayout(machine->createDataLayout());

  auto optimize = makeOptimizingTransformer(/*optLevel=*/hostComputes ? 3 : 1,
                                            /*sizeLevel=*/0, machine.get());
  if (llvm::Error err = optimize(llvmModule.get()))
    return emitError(module.getLoc(), "LLVM optimisation failed: ")
           << llvm::toString(std::move(err));

  std::error_code ec;
  llvm::ToolOutputFile object(objectPath, ec, llvm::sys::fs::OF_None);
  if (ec)
    return emitError(module.getLoc(), "cannot write ")
           << objectPath << ": " << ec.message();
  llvm::legacy::PassManager codegen;
  if (machine->addPassesToEmitFile(codegen, object.os(), nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return emitError(module.getLoc(),
                     "the host target cannot emit object files");
  codegen.run(*llvmModule);
  object.keep();
  return success();
}

/// Links the object into a shared object with the system C compiler driver
/// (which knows the platform's crt files and libm).
static LogicalResult linkSharedObject(ModuleOp module, StringRef objectPath,
                                      StringRef outputPath) {
  llvm::ErrorOr<std::string> driver = llvm::sys::findProgramByName("cc");
  if (!driver)
    driver = llvm::sys::findProgramByName("gcc");
  if (!driver)
    return emitError(module.getLoc(),
                     "no C compiler driver (cc) on PATH to link ")
           << outputPath;
  SmallVector<StringRef> args = {*driver,    "-shared",  "-o",
                                 outputPath, objectPath, "-lm"};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*driver, args, std::nullopt, {}, 0, 0,
                                     &message);
  if (rc != 0)
    return emitError(module.getLoc(), "linking ")
           << outputPath << " failed (" << *driver << " exited with " << rc
           << (message.empty() ? "" : ": ") << message << ")";
  return success();
}

/// Drops the `ssm.name`/`ssm.role` argument and result attributes: they are
/// in the manifest now, and LLVM IR translation has no meaning for them.
static void stripManifestAttributes(ModuleOp module) {
  for (auto func : module.getOps<func::FuncOp>()) {
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      for (StringRef name : {"ssm.name", "ssm.role", "ssm.init"})
        func.removeArgAttr(i, name);
    for (unsigned i = 0; i < func.getNumResults(); ++i)
      for (StringRef name : {"ssm.name", "ssm.role"})
        func.removeResultAttr(i, StringAttr::get(module.getContext(), name));
  }
}

/// The NVVM serialisation finds libdevice through CUDA_HOME and runs
/// `ptxas` from PATH; point both at the toolkit when the user has not.
static LogicalResult prepareCudaToolkit(ModuleOp module) {
  const char *home = std::getenv("CUDA_HOME");
  std::string root = home ? home : "/usr/local/cuda";
  if (!llvm::sys::fs::exists(root + "/nvvm/libdevice"))
    return emitError(module.getLoc(),
                     "the GPU target needs the CUDA toolkit: no "
                     "libdevice under ")
           << root << "/nvvm (set CUDA_HOME)";
  setenv("CUDA_HOME", root.c_str(), /*overwrite=*/0);
  if (!llvm::sys::findProgramByName("ptxas")) {
    const char *path = std::getenv("PATH");
    std::string newPath = root + "/bin" + (path ? ":" + std::string(path) : "");
    setenv("PATH", newPath.c_str(), /*overwrite=*/1);
  }
  return success();
}

LogicalResult mlir::ssm::compileWorkload(ModuleOp module,
                                         const CompileOptions &options) {
  if (options.target != "cpu" && options.target != "gpu")
    return emitError(module.getLoc(), "unknown target '")
           << options.target << "': expected 'cpu' or 'gpu'";
  // Option errors belong to no line of the input: reported without a
  // location (ssm-compile prints them as one `error:` line each).
  MLIRContext *context = module.getContext();
  auto onError = [context](const Twine &message) {
    emitError(UnknownLoc::get(context)) << message;
    return failure();
  };
  FailureOr<PipelineRequest> request =
      parsePipelineOptions(options.target, options.loweringOptions, onError);
  if (failed(request))
    return failure();
  FailureOr<SmallVector<std::pair<std::string, std::string>>> values =
      getLoweringOptionValues(*request, onError);
  if (failed(values))
    return failure();

  // Build the training steps, then choose the lowerings, so that the
  // manifest records them.
  PassManager select(module.getContext());
  if (!options.trainingSteps.empty()) {
    SSMBuildTrainingStepOptions steps;
    steps.functions.assign(options.trainingSteps.begin(),
                           options.trainingSteps.end());
    select.addPass(createSSMBuildTrainingStep(steps));
  }
  if (failed(addLoweringSelection(select, *request, onError)) ||
      failed(select.run(module)))
    return failure();
  FailureOr<std::string> manifest = buildManifest(module, options, *values);
  if (failed(manifest))
    return failure();
  SmallVector<EntryInfo> entries = collectEntries(module);
  stripManifestAttributes(module);

  PassManager pm(module.getContext());
  if (options.target == "gpu" && failed(prepareCudaToolkit(module)))
    return failure();
  if (failed(options.target == "cpu" ? buildCPUPipeline(pm, *request, onError)
                                     : buildGPUPipeline(pm, *request, onError)))
    return failure();
  if (failed(pm.run(module)))
    return failure();
  if (failed(addEntryWrappers(module, entries)))
    return failure();
  addManifest(module, *manifest);

  SmallString<128> objectPath;
  if (options.keepObject) {
    objectPath = options.outputPath;
    objectPath += ".o";
  } else if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
                 "ssm-workload", "o", objectPath)) {
    return emitError(module.getLoc(), "cannot create a temporary file: ")
           << ec.message();
  }
  LogicalResult result =
      emitObject(module, objectPath, /*hostComputes=*/options.target == "cpu");
  if (succeeded(result))
    result = linkSharedObject(module, objectPath, options.outputPath);
  if (!options.keepObject)
    llvm::sys::fs::remove(objectPath);
  return result;
}
