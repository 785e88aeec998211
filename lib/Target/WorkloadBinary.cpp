//===- WorkloadBinary.cpp - ssm module to a workload binary -----*- C++ -*-===//
//
// Lowering, entry wrappers, LLVM IR, host object code, and the final link
// into a shared object.
//
//===----------------------------------------------------------------------===//

#include "ssm/Target/WorkloadBinary.h"
#include "ssm/Pipelines/Pipelines.h"

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
  unsigned numBuffers;
  Location loc;
};
} // namespace

static SmallVector<EntryInfo> collectEntries(ModuleOp module) {
  SmallVector<EntryInfo> entries;
  for (auto func : module.getOps<func::FuncOp>())
    if (!func.isPrivate() && !func.isExternal())
      entries.push_back({func.getSymName().str(),
                         func.getNumArguments() + func.getNumResults(),
                         func.getLoc()});
  return entries;
}

/// Adds `void ssm_entry_<fn>(void **buffers)` calling the lowered `fn` with
/// one bare pointer per tensor (arguments first, then the out-parameters
/// that replaced its results).
static LogicalResult addEntryWrappers(ModuleOp module,
                                      ArrayRef<EntryInfo> entries) {
  MLIRContext *context = module.getContext();
  auto ptrType = LLVM::LLVMPointerType::get(context);
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  for (const EntryInfo &entry : entries) {
    auto callee = module.lookupSymbol<LLVM::LLVMFuncOp>(entry.name);
    if (!callee)
      return emitError(entry.loc) << "entry '" << entry.name
                                  << "' did not lower to an llvm.func";
    LLVM::LLVMFunctionType calleeType = callee.getFunctionType();
    if (calleeType.getNumParams() != entry.numBuffers ||
        !isa<LLVM::LLVMVoidType>(calleeType.getReturnType()))
      return emitError(entry.loc)
             << "entry '" << entry.name << "' lowered to " << calleeType
             << ", expected " << entry.numBuffers
             << " pointer arguments and no result";
    Location loc = entry.loc;
    auto wrapperType = LLVM::LLVMFunctionType::get(
        LLVM::LLVMVoidType::get(context), {ptrType});
    auto wrapper = LLVM::LLVMFuncOp::create(builder, loc,
                                            "ssm_entry_" + entry.name,
                                            wrapperType);
    Block *body = wrapper.addEntryBlock(builder);
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(body);
    SmallVector<Value> args;
    for (unsigned i = 0; i < entry.numBuffers; ++i) {
      Value slot = LLVM::GEPOp::create(
          builder, loc, ptrType, ptrType, body->getArgument(0),
          ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
      args.push_back(LLVM::LoadOp::create(builder, loc, ptrType, slot));
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

static LogicalResult emitObject(ModuleOp module, StringRef objectPath) {
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
    return module.emitError("translation to LLVM IR failed");

  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return module.emitError("no LLVM target for the host: ") << error;
  // A generic CPU, so that the binary runs on any machine of the family.
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, "x86-64", "", llvm::TargetOptions(), llvm::Reloc::PIC_));
  llvmModule->setTargetTriple(triple);
  llvmModule->setDataLayout(machine->createDataLayout());

  auto optimize = makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0,
                                            machine.get());
  if (llvm::Error err = optimize(llvmModule.get()))
    return module.emitError("LLVM optimisation failed: ")
           << llvm::toString(std::move(err));

  std::error_code ec;
  llvm::ToolOutputFile object(objectPath, ec, llvm::sys::fs::OF_None);
  if (ec)
    return module.emitError("cannot write ") << objectPath << ": "
                                             << ec.message();
  llvm::legacy::PassManager codegen;
  if (machine->addPassesToEmitFile(codegen, object.os(), nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return module.emitError("the host target cannot emit object files");
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
    return module.emitError("no C compiler driver (cc) on PATH to link ")
           << outputPath;
  SmallVector<StringRef> args = {*driver, "-shared", "-o", outputPath,
                                 objectPath, "-lm"};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*driver, args, std::nullopt, {}, 0, 0,
                                     &message);
  if (rc != 0)
    return module.emitError("linking ")
           << outputPath << " failed (" << *driver << " exited with " << rc
           << (message.empty() ? "" : ": ") << message << ")";
  return success();
}

LogicalResult mlir::ssm::compileWorkload(ModuleOp module,
                                         const CompileOptions &options) {
  if (options.target != "cpu")
    return module.emitError("unknown target '")
           << options.target << "': expected 'cpu' or 'gpu'";
  FailureOr<std::string> manifest = buildManifest(module, options);
  if (failed(manifest))
    return failure();
  SmallVector<EntryInfo> entries = collectEntries(module);

  PassManager pm(module.getContext());
  CPUPipelineOptions pipeline;
  pipeline.chunkLen = options.chunkLen;
  buildCPUPipeline(pm, pipeline);
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
    return module.emitError("cannot create a temporary file: ")
           << ec.message();
  }
  LogicalResult result = emitObject(module, objectPath);
  if (succeeded(result))
    result = linkSharedObject(module, objectPath, options.outputPath);
  if (!options.keepObject)
    llvm::sys::fs::remove(objectPath);
  return result;
}
