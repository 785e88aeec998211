//===- SSMLowering.cpp - the vocabulary of lowering choices -----*- C++ -*-===//

#include "ssm/IR/SSMLowering.h"
#include "ssm/IR/SSMOps.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::ssm;

ArrayRef<LoweringParam> mlir::ssm::allLoweringParams() {
  static const LoweringParam params[] = {
      LoweringParam::ChunkLen,         LoweringParam::SSDTile,
      LoweringParam::ThreadsPerBlock,  LoweringParam::ItemsPerThread,
      LoweringParam::ChannelsPerBlock, LoweringParam::MaxRegisters};
  return params;
}

StringRef mlir::ssm::getLoweringParamName(LoweringParam param) {
  switch (param) {
  case LoweringParam::ChunkLen:
    return "chunk_len";
  case LoweringParam::SSDTile:
    return "ssd_tile";
  case LoweringParam::ThreadsPerBlock:
    return "threads_per_block";
  case LoweringParam::ItemsPerThread:
    return "items_per_thread";
  case LoweringParam::ChannelsPerBlock:
    return "channels_per_block";
  case LoweringParam::MaxRegisters:
    return "max_registers";
  }
  llvm_unreachable("unknown lowering parameter");
}

int64_t mlir::ssm::getLoweringParam(LoweringAttr attr, LoweringParam param) {
  switch (param) {
  case LoweringParam::ChunkLen:
    return attr.getChunkLen();
  case LoweringParam::SSDTile:
    return attr.getSsdTile();
  case LoweringParam::ThreadsPerBlock:
    return attr.getThreadsPerBlock();
  case LoweringParam::ItemsPerThread:
    return attr.getItemsPerThread();
  case LoweringParam::ChannelsPerBlock:
    return attr.getChannelsPerBlock();
  case LoweringParam::MaxRegisters:
    return attr.getMaxRegisters();
  }
  llvm_unreachable("unknown lowering parameter");
}

bool mlir::ssm::isValidChip(StringRef chip) {
  if (!chip.consume_front("sm_"))
    return false;
  if (chip.ends_with("a") || chip.ends_with("f"))
    chip = chip.drop_back();
  return (chip.size() == 2 || chip.size() == 3) &&
         llvm::all_of(chip, [](char c) { return c >= '0' && c <= '9'; }) &&
         chip.front() != '0';
}

ArrayRef<StringLiteral> mlir::ssm::getLoweringTargets() {
  static constexpr StringLiteral targets[] = {"cpu", "gpu"};
  return targets;
}

bool mlir::ssm::carriesLowering(Operation *op) {
  if (isa<FusionOp>(op))
    return true;
  return isa<KernelOpInterface>(op) && !isa<FusionOp>(op->getParentOp());
}

/// The scan a fusion region is built around (its last kernel op).
static Operation *fusedScan(FusionOp fusion) {
  Operation *scan = nullptr;
  for (Operation &op : fusion.getFusedOps())
    if (isa<SelectiveScanOp, SelectiveScanGradOp>(op))
      scan = &op;
  return scan;
}

SmallVector<StringRef> mlir::ssm::getLoweringVariants(Operation *op) {
  if (auto fusion = dyn_cast<FusionOp>(op))
    return {fusion.getVariant()};
  SmallVector<StringRef> variants;
  if (auto kernel = dyn_cast<KernelOpInterface>(op))
    for (StringLiteral variant : kernel.getLoweringVariants())
      variants.push_back(variant);
  return variants;
}

SmallVector<StringRef> mlir::ssm::getLoweringStrategies(Operation *op,
                                                        StringRef target,
                                                        StringRef variant) {
  if (isa<FusionOp>(op)) {
    // fused-conv-scan: the block scan on the GPU, a sequential walk per
    // (batch, channel) on the CPU, and on the GPU too (a thread per (batch,
    // channel)) where the length does not allow the block scan's tile.
    if (target == "gpu")
      return {"block-scan", "sequential"};
    return {"sequential"};
  }
  // An unfused op is a sequence of elementwise kernels, reductions and (the
  // selective scan) one recurrence: it has no algorithm to choose.
  if (variant == "unfused")
    return {};
  SmallVector<StringRef> strategies;
  if (auto kernel = dyn_cast<KernelOpInterface>(op))
    for (StringLiteral strategy : kernel.getLoweringStrategies(target))
      if (strategyApplies(op, strategy))
        strategies.push_back(strategy);
  return strategies;
}

bool mlir::ssm::strategyApplies(Operation *op, StringRef strategy) {
  // The runtime's cuBLASLt products take f32 activations (the f32 path of
  // the generated kernels' accuracy); bf16/f16 ones keep the generated
  // kernels until the library path casts them.
  if (strategy.starts_with("cublaslt"))
    return llvm::all_of(op->getOperandTypes(), [](Type type) {
      auto tensor = cast<RankedTensorType>(type);
      return tensor.getElementType().isF32();
    });
  return true;
}

SmallVector<StringRef> mlir::ssm::getAllLoweringVariants(MLIRContext *context) {
  SmallVector<StringRef> variants;
  auto add = [&](StringRef variant) {
    if (!llvm::is_contained(variants, variant))
      variants.push_back(variant);
  };
  for (RegisteredOperationName name : context->getRegisteredOperations())
    if (auto *concept_ = name.getInterface<KernelOpInterface>())
      for (StringLiteral variant : concept_->getLoweringVariants())
        add(variant);
  for (StringLiteral variant : FusionOp::getKnownVariants())
    add(variant);
  return variants;
}

bool mlir::ssm::loweringParamApplies(Operation *op, StringRef target,
                                     StringRef variant, StringRef strategy,
                                     LoweringParam param) {
  bool gpu = target == "gpu";
  if (auto fusion = dyn_cast<FusionOp>(op)) {
    Operation *scan = fusedScan(fusion);
    if (!scan)
      return false;
    return loweringParamApplies(scan, target, "fused-scan", strategy, param);
  }
  bool ssd = isa<SSDScanOp, SSDScanGradOp>(op);
  switch (param) {
  case LoweringParam::ThreadsPerBlock:
  case LoweringParam::MaxRegisters:
    return gpu;
  case LoweringParam::ItemsPerThread:
  case LoweringParam::ChannelsPerBlock:
    return gpu && strategy == "block-scan";
  case LoweringParam::SSDTile:
    return ssd && strategy == "chunked";
  case LoweringParam::ChunkLen:
    // The SSD's chunk; the interval of states the sequential scan backward
    // saves and recomputes from; the chunks the chunked-parallel selective
    // scan (forward and gradient) splits the sequence into.
    if (ssd)
      return strategy == "chunked" || isa<SSDScanGradOp>(op);
    if (variant != "fused-scan")
      return false;
    if (strategy == "chunked-parallel")
      return isa<SelectiveScanOp, SelectiveScanGradOp>(op);
    return isa<SelectiveScanGradOp>(op) && strategy == "sequential";
  }
  return false;
}

bool mlir::ssm::hasDeterministicForm(Operation *op, StringRef variant,
                                     StringRef strategy) {
  auto kernel = dyn_cast<KernelOpInterface>(op);
  if (!kernel || isa<FusionOp>(op))
    return false;
  std::string withStrategy = (variant + "/" + strategy).str();
  return llvm::any_of(kernel.getDeterministicLowerings(), [&](StringRef form) {
    return form == variant || form == withStrategy;
  });
}

LoweringAttr mlir::ssm::getLowering(Operation *op) {
  return op->getAttrOfType<LoweringAttr>(SSMDialect::kLoweringAttrName);
}

static std::string quotedList(ArrayRef<StringRef> names) {
  std::string text;
  for (auto [i, name] : llvm::enumerate(names))
    text += (i ? ", '" : "'") + name.str() + "'";
  return text;
}

/// Channels and length of the selective scan that `op` lowers (itself or
/// the scan of its fusion region), if any.
static std::optional<std::pair<int64_t, int64_t>>
selectiveScanExtent(Operation *op) {
  if (auto fusion = dyn_cast<FusionOp>(op))
    op = fusedScan(fusion);
  if (!op || !isa<SelectiveScanOp, SelectiveScanGradOp>(op))
    return std::nullopt;
  auto type = cast<ShapedType>(op->getOperand(0).getType());
  return std::make_pair(type.getDimSize(1), type.getDimSize(2));
}

static LogicalResult verifyParam(Operation *op, LoweringAttr attr,
                                 LoweringParam param, int64_t value) {
  StringRef name = getLoweringParamName(param);
  auto fail = [&]() {
    return op->emitOpError() << "has ssm.lowering " << name << " = " << value;
  };
  auto isPow2UpTo16 = [](int64_t v) {
    return llvm::is_contained({1, 2, 4, 8, 16}, v);
  };
  switch (param) {
  case LoweringParam::ThreadsPerBlock:
    if (value < 32 || value > 1024 || value % 32 != 0)
      return fail() << ", impossible on NVIDIA GPUs: it must be a multiple "
                       "of 32 between 32 and 1024";
    return success();
  case LoweringParam::MaxRegisters:
    if (value < 16 || value > 255)
      return fail() << ", impossible: a register budget is between 16 and "
                       "255 per thread (0 leaves it to ptxas)";
    return success();
  case LoweringParam::ItemsPerThread:
    if (!isPow2UpTo16(value))
      return fail() << ", not supported: expected 1, 2, 4, 8 or 16";
    if (auto extent = selectiveScanExtent(op);
        extent && extent->second % value != 0)
      return fail() << ", which does not divide the sequence length "
                    << extent->second
                    << " (the block scan loads whole items; use "
                       "strategy = \"sequential\" or a divisor)";
    return success();
  case LoweringParam::SSDTile:
    if (!isPow2UpTo16(value))
      return fail() << ", not supported: expected 1, 2, 4, 8 or 16";
    return success();
  case LoweringParam::ChunkLen: {
    if (value < 1)
      return fail() << ": it must be at least 1";
    // The chunked lowerings form products of a chunk's length with the
    // op's sizes (a chunk's [chunk, chunk] products per row of the largest
    // operand, at most): they must not wrap 64-bit indices.
    uint64_t largest = 1;
    for (Type type : op->getOperandTypes())
      if (auto shaped = dyn_cast<ShapedType>(type);
          shaped && shaped.hasStaticShape()) {
        // Saturating: the op's verifier may not have seen the sizes yet.
        uint64_t elements = 1;
        for (int64_t dim : shaped.getShape())
          elements =
              llvm::SaturatingMultiply(elements, static_cast<uint64_t>(dim));
        largest = std::max(largest, elements);
      }
    uint64_t product;
    if (__builtin_mul_overflow(largest, static_cast<uint64_t>(value),
                               &product) ||
        product > (uint64_t(1) << 56))
      return fail() << ", too large for this op: chunk_len times its largest "
                       "operand's "
                    << largest
                    << " elements exceeds the 2^56 its 64-bit indices allow";
    return success();
  }
  case LoweringParam::ChannelsPerBlock: {
    int64_t threads = attr.getThreadsPerBlock();
    if (value < 1 ||
        (threads && (threads % value != 0 || (threads / value) % 32 != 0)))
      return fail() << ", which does not split threads_per_block = " << threads
                    << " into whole warps per channel";
    if (auto extent = selectiveScanExtent(op);
        extent && extent->first % value != 0)
      return fail() << ", which does not divide the " << extent->first
                    << " channels";
    return success();
  }
  }
  return success();
}

/// `deterministic = true` names a property of the GPU kernels of a gradient
/// op's lowering: it must be one that has the fixed-order form.
static LogicalResult verifyDeterministic(Operation *op, StringRef target,
                                         StringRef variant,
                                         StringRef strategy) {
  auto fail = [&]() {
    return op->emitOpError() << "has ssm.lowering deterministic = true";
  };
  if (target != "gpu")
    return fail() << ", which does not apply to target " << target
                  << ": its points run one after the other, deterministic "
                     "without it";
  auto kernel = dyn_cast<KernelOpInterface>(op);
  if (!kernel || kernel.getForwardOpName().empty())
    return fail() << ", which does not apply to " << op->getName()
                  << ": only gradient ops reduce across threads";
  if (hasDeterministicForm(op, variant, strategy))
    return success();
  SmallVector<StringRef> forms(kernel.getDeterministicLowerings().begin(),
                               kernel.getDeterministicLowerings().end());
  InFlightDiagnostic diag = fail();
  diag << ", but " << op->getName() << " lowered as variant \"" << variant
       << "\"" << (strategy.empty() ? "" : ", strategy \"") << strategy
       << (strategy.empty() ? "" : "\"") << " on gpu accumulates with atomics";
  if (forms.empty())
    return diag << " in every lowering";
  return diag << "; its deterministic lowerings are " << quotedList(forms);
}

LogicalResult mlir::ssm::verifyLowering(Operation *op, LoweringAttr attr,
                                        bool complete) {
  if (!carriesLowering(op))
    return op->emitOpError()
           << "cannot carry ssm.lowering: only ssm kernel ops outside a "
              "fusion region and ssm.fusion are lowered";
  StringRef target = attr.getTarget();
  if (!llvm::is_contained(getLoweringTargets(), target))
    return op->emitOpError() << "has ssm.lowering target = \"" << target
                             << "\", unknown: expected 'cpu' or 'gpu'";
  if (target == "gpu" && !isValidChip(attr.getChip()))
    return op->emitOpError()
           << "has ssm.lowering chip = \"" << attr.getChip()
           << "\": a GPU lowering needs a chip such as \"sm_90\"";
  if (target == "cpu" && !attr.getChip().empty())
    return op->emitOpError() << "has ssm.lowering chip = \"" << attr.getChip()
                             << "\", which does not apply to target cpu";

  SmallVector<StringRef> variants = getLoweringVariants(op);
  if (!llvm::is_contained(variants, attr.getVariant()))
    return op->emitOpError()
           << "has ssm.lowering variant = \"" << attr.getVariant()
           << "\", which does not apply to " << op->getName() << ": expected "
           << quotedList(variants);

  SmallVector<StringRef> strategies =
      getLoweringStrategies(op, target, attr.getVariant());
  StringRef strategy = attr.getStrategy();
  if (strategies.empty() && !strategy.empty())
    return op->emitOpError()
           << "has ssm.lowering strategy = \"" << strategy
           << "\", but variant \"" << attr.getVariant() << "\" of "
           << op->getName() << " on " << target << " has no strategies";
  if (!strategies.empty() && !strategy.empty() &&
      !llvm::is_contained(strategies, strategy))
    return op->emitOpError()
           << "has ssm.lowering strategy = \"" << strategy
           << "\", which does not apply to " << op->getName() << " on "
           << target << ": expected " << quotedList(strategies);
  if (complete && !strategies.empty() && strategy.empty())
    return op->emitOpError() << "has ssm.lowering without a strategy: expected "
                             << quotedList(strategies);

  if (attr.getDeterministic() &&
      failed(verifyDeterministic(op, target, attr.getVariant(), strategy)))
    return failure();

  for (LoweringParam param : allLoweringParams()) {
    int64_t value = getLoweringParam(attr, param);
    bool applies =
        loweringParamApplies(op, target, attr.getVariant(), strategy, param);
    if (!applies && value != 0)
      return op->emitOpError()
             << "has ssm.lowering " << getLoweringParamName(param) << " = "
             << value << ", which does not apply to " << op->getName()
             << " lowered as variant \"" << attr.getVariant() << "\""
             << (strategy.empty() ? "" : ", strategy \"") << strategy
             << (strategy.empty() ? "" : "\"") << " on " << target;
    // A register budget of 0 means "ptxas decides".
    if (applies && value == 0 && param != LoweringParam::MaxRegisters) {
      if (complete)
        return op->emitOpError()
               << "has ssm.lowering without " << getLoweringParamName(param);
      continue;
    }
    if (applies && value != 0 && failed(verifyParam(op, attr, param, value)))
      return failure();
  }
  return success();
}
