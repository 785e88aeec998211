//===- SelectLowering.cpp - choose the #ssm.lowering of each op -*- C++ -*-===//
//
// The one place where lowering options become per-op choices. Everything
// downstream (conversions, register budgets, the manifest) reads the
// attribute this pass leaves, never the options.
//
//===----------------------------------------------------------------------===//

#include "ssm/IR/SSMLowering.h"
#include "ssm/IR/SSMOps.h"
#include "ssm/Transforms/Passes.h"

namespace mlir {
namespace ssm {
#define GEN_PASS_DEF_SSMSELECTLOWERING
#include "ssm/Transforms/Passes.h.inc"
} // namespace ssm
} // namespace mlir

using namespace mlir;
using namespace mlir::ssm;

/// `thread-per-point` was the name of the sequential selective scan before
/// strategies were attributes; it is still accepted on the command line.
static StringRef canonicalStrategy(StringRef strategy) {
  return strategy == "thread-per-point" ? StringRef("sequential") : strategy;
}

static constexpr StringLiteral kScanStrategies[] = {"block-scan", "sequential",
                                                    "chunked-parallel"};
static constexpr StringLiteral kSSDStrategies[] = {"chunked", "recurrence"};
static constexpr StringLiteral kMatmulStrategies[] = {
    "cublaslt", "cublaslt-tf32", "generated"};

LogicalResult
mlir::ssm::verifySelectLoweringOptions(Operation *anchor,
                                       const SSMSelectLoweringOptions &opts) {
  // An option belongs to no line of the input.
  Location loc = UnknownLoc::get(anchor->getContext());
  auto fail = [&](StringRef option) {
    return emitError(loc) << "ssm-select-lowering: " << option << " = ";
  };
  if (!llvm::is_contained(getLoweringTargets(), StringRef(opts.target)))
    return fail("target") << "'" << opts.target
                          << "' is unknown: expected 'cpu' or 'gpu'";
  if (opts.target == "gpu" && !isValidChip(opts.chip))
    return fail("chip") << "'" << opts.chip
                        << "' is not a GPU architecture such as 'sm_90'";
  SmallVector<StringRef> variants =
      getAllLoweringVariants(anchor->getContext());
  if (!opts.variant.empty() && !llvm::is_contained(variants, opts.variant)) {
    InFlightDiagnostic diag = fail("variant") << "'" << opts.variant
                                              << "' is unknown: expected";
    for (auto [i, v] : llvm::enumerate(variants))
      diag << (i ? ", '" : " '") << v << "'";
    return diag;
  }
  StringRef scan = canonicalStrategy(opts.scanStrategy);
  if (!scan.empty() && !llvm::is_contained(kScanStrategies, scan))
    return fail("scan-strategy")
           << "'" << opts.scanStrategy
           << "' is unknown: expected 'block-scan', 'sequential' or "
              "'chunked-parallel'";
  if (opts.ssdStrategy != "chunked" && opts.ssdStrategy != "recurrence")
    return fail("ssd-strategy") << "'" << opts.ssdStrategy
                                << "' is unknown: expected 'chunked' or "
                                   "'recurrence'";
  if (!opts.matmulStrategy.empty() &&
      !llvm::is_contained(kMatmulStrategies, StringRef(opts.matmulStrategy)))
    return fail("matmul-strategy") << "'" << opts.matmulStrategy
                                   << "' is unknown: expected 'cublaslt', "
                                      "'cublaslt-tf32' or 'generated'";
  if (opts.chunkLen < 1)
    return fail("chunk-len") << opts.chunkLen << " must be at least 1";
  auto pow2UpTo16 = [](int64_t v) {
    return llvm::is_contained({1, 2, 4, 8, 16}, v);
  };
  if (!pow2UpTo16(opts.ssdTile))
    return fail("ssd-tile")
           << opts.ssdTile << " is not supported: expected 1, 2, 4, 8 or 16";
  if (!llvm::is_contained({"auto", "true", "false"},
                          StringRef(opts.deterministic)))
    return fail("deterministic")
           << "'" << opts.deterministic
           << "' is unknown: expected 'true', 'false' or 'auto'";
  if (opts.target != "gpu")
    return success();
  if (opts.threadsPerBlock < 32 || opts.threadsPerBlock > 1024 ||
      opts.threadsPerBlock % 32 != 0)
    return fail("threads-per-block")
           << opts.threadsPerBlock
           << " is impossible on NVIDIA GPUs: it must be a multiple of 32 "
              "between 32 and 1024";
  if (!pow2UpTo16(opts.itemsPerThread))
    return fail("items-per-thread")
           << opts.itemsPerThread
           << " is not supported: expected 1, 2, 4, 8 or 16";
  if (opts.channelsPerBlock < 1)
    return fail("channels-per-block")
           << opts.channelsPerBlock << " must be at least 1";
  for (auto [name, value] :
       {std::pair<StringRef, int64_t>{"max-registers", opts.maxRegisters},
        {"scan-backward-max-registers", opts.scanBackwardMaxRegisters}})
    if (value != 0 && (value < 16 || value > 255))
      return fail(name) << value
                        << " is impossible: use 0 or a budget between 16 "
                           "and 255";
  return success();
}

/// True for the block-scan backward of the selective scan (alone, or in a
/// fused region), which has its own register budget.
static bool isScanBackward(Operation *op) {
  if (auto fusion = dyn_cast<FusionOp>(op))
    return llvm::any_of(fusion.getFusedOps(), [](Operation &inner) {
      return isa<SelectiveScanGradOp>(inner);
    });
  return isa<SelectiveScanGradOp>(op);
}

/// True for a gradient kernel op (its shared gradients are reduced across
/// threads).
static bool isGradient(Operation *op) {
  auto kernel = dyn_cast<KernelOpInterface>(op);
  return kernel && !isa<FusionOp>(op) && !kernel.getForwardOpName().empty();
}

/// The strategy options, each with the strategies it names.
struct StrategyOption {
  StringRef name, value;
  ArrayRef<StringLiteral> family;
};

/// The strategy the options give `op`: the option whose family the op's
/// strategies belong to, or the op's default when that option is empty.
/// An option naming a strategy the op does not have is an error at the op.
static FailureOr<StringRef>
chooseStrategy(Operation *op, StringRef target, StringRef variant,
               const SSMSelectLoweringOptions &options) {
  SmallVector<StringRef> strategies =
      getLoweringStrategies(op, target, variant);
  if (strategies.empty())
    return StringRef();
  StrategyOption candidates[] = {
      {"scan-strategy", canonicalStrategy(options.scanStrategy),
       kScanStrategies},
      {"ssd-strategy", options.ssdStrategy, kSSDStrategies},
      {"matmul-strategy", options.matmulStrategy, kMatmulStrategies}};
  for (const StrategyOption &option : candidates) {
    if (!llvm::any_of(strategies, [&](StringRef s) {
          return llvm::is_contained(option.family, s);
        }))
      continue;
    if (option.value.empty())
      break;
    if (llvm::is_contained(strategies, option.value))
      return option.value;
    InFlightDiagnostic diag =
        op->emitOpError() << "cannot be lowered with " << option.name << "="
                          << option.value << " on " << target << " (variant \""
                          << variant << "\"): its strategies are";
    for (auto [i, s] : llvm::enumerate(strategies))
      diag << (i ? ", '" : " '") << s << "'";
    return failure();
  }
  return strategies.front();
}

static int64_t optionValue(Operation *op, StringRef strategy,
                           LoweringParam param,
                           const SSMSelectLoweringOptions &options) {
  switch (param) {
  case LoweringParam::ChunkLen:
    return options.chunkLen;
  case LoweringParam::SSDTile:
    return options.ssdTile;
  case LoweringParam::ThreadsPerBlock:
    return options.threadsPerBlock;
  case LoweringParam::ItemsPerThread:
    return options.itemsPerThread;
  case LoweringParam::ChannelsPerBlock:
    return options.channelsPerBlock;
  case LoweringParam::MaxRegisters:
    if (strategy == "block-scan" && isScanBackward(op) &&
        options.scanBackwardMaxRegisters != 0)
      return options.scanBackwardMaxRegisters;
    return options.maxRegisters;
  }
  return 0;
}

FailureOr<LoweringAttr>
mlir::ssm::selectLowering(Operation *op, LoweringAttr handWritten,
                          const SSMSelectLoweringOptions &options) {
  StringRef target = options.target;
  if (handWritten && handWritten.getTarget() != target)
    return op->emitOpError()
           << "has ssm.lowering target = \"" << handWritten.getTarget()
           << "\", which contradicts the target being compiled for ('" << target
           << "')";
  SmallVector<StringRef> variants = getLoweringVariants(op);
  StringRef variant = variants.front();
  if (handWritten)
    variant = handWritten.getVariant();
  else if (llvm::is_contained(variants, StringRef(options.variant)))
    variant = options.variant;

  StringRef strategy = handWritten ? handWritten.getStrategy() : "";
  bool strategyChosen = !strategy.empty();
  if (!strategyChosen) {
    FailureOr<StringRef> chosen = chooseStrategy(op, target, variant, options);
    if (failed(chosen))
      return failure();
    strategy = *chosen;
  }

  auto build = [&](StringRef strategy) {
    SmallVector<int64_t> values;
    for (LoweringParam param : allLoweringParams()) {
      int64_t value = handWritten ? getLoweringParam(handWritten, param) : 0;
      if (value == 0 &&
          loweringParamApplies(op, target, variant, strategy, param))
        value = optionValue(op, strategy, param, options);
      values.push_back(value);
    }
    StringRef chip = target == "gpu" ? StringRef(options.chip) : "";
    if (handWritten && !handWritten.getChip().empty())
      chip = handWritten.getChip();
    // Deterministic gradients wherever the lowering allows, unless asked
    // for atomics; `true` where it does not allow is left to the verifier,
    // which names the lowerings that do. A hand-written lowering says it
    // itself (absent: atomics), as it does every other choice.
    bool deterministic = handWritten && handWritten.getDeterministic();
    if (!handWritten && target == "gpu" && isGradient(op)) {
      if (options.deterministic == "true")
        deterministic = true;
      else if (options.deterministic == "auto")
        deterministic = hasDeterministicForm(op, variant, strategy);
    }
    return LoweringAttr::get(op->getContext(), target, chip, variant, strategy,
                             values[0], values[1], values[2], values[3],
                             values[4], values[5], deterministic);
  };
  LoweringAttr lowering = build(strategy);
  // A block scan loads whole items: where the length does not allow the
  // tile, the sequential scan runs instead, and the binary says so.
  if (!strategyChosen && strategy == "block-scan") {
    int64_t items = lowering.getItemsPerThread();
    Operation *scan = op;
    if (auto fusion = dyn_cast<FusionOp>(op))
      for (Operation &inner : fusion.getFusedOps())
        scan = &inner;
    int64_t length =
        cast<ShapedType>(scan->getOperand(0).getType()).getDimSize(2);
    SmallVector<StringRef> strategies =
        getLoweringStrategies(op, target, variant);
    if (items > 0 && length % items != 0 &&
        llvm::is_contained(strategies, "sequential"))
      lowering = build("sequential");
  }
  return lowering;
}

static LogicalResult selectAll(Operation *root,
                               const SSMSelectLoweringOptions &options) {
  // Every lowering after this point indexes tensors with 64-bit integers:
  // one too large for them is refused here, before any product wraps.
  if (failed(verifyValueSizes(root)))
    return failure();
  WalkResult result = root->walk([&](Operation *op) {
    if (!carriesLowering(op))
      return WalkResult::advance();
    FailureOr<LoweringAttr> lowering =
        selectLowering(op, getLowering(op), options);
    if (failed(lowering) ||
        failed(verifyLowering(op, *lowering, /*complete=*/true)))
      return WalkResult::interrupt();
    op->setAttr(SSMDialect::kLoweringAttrName, *lowering);
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

LogicalResult mlir::ssm::ensureLowerings(Operation *root, StringRef target) {
  SSMSelectLoweringOptions defaults;
  defaults.target = target.str();
  return selectAll(root, defaults);
}

namespace {
class SSMSelectLoweringPass
    : public mlir::ssm::impl::SSMSelectLoweringBase<SSMSelectLoweringPass> {
public:
  using Base::Base;

  void runOnOperation() override {
    SSMSelectLoweringOptions options{target,         chip,
                                     variant,        scanStrategy,
                                     ssdStrategy,    chunkLen,
                                     ssdTile,        threadsPerBlock,
                                     itemsPerThread, channelsPerBlock,
                                     maxRegisters,   scanBackwardMaxRegisters,
                                     deterministic,  matmulStrategy};
    if (failed(verifySelectLoweringOptions(getOperation(), options)) ||
        failed(rejectGPUOptionsOnCPU()) ||
        failed(selectAll(getOperation(), options)))
      return signalPassFailure();
  }

private:
  /// GPU tiles given for a CPU lowering would be silently ignored.
  LogicalResult rejectGPUOptionsOnCPU() {
    if (target != "cpu")
      return success();
    for (auto *option : {&threadsPerBlock, &itemsPerThread, &channelsPerBlock,
                         &maxRegisters, &scanBackwardMaxRegisters})
      if (option->hasValue())
        return emitError(UnknownLoc::get(&getContext()))
               << "ssm-select-lowering: " << option->getArgStr()
               << " applies only to target=gpu, not target=cpu";
    for (auto *option : {&matmulStrategy})
      if (option->hasValue())
        return emitError(UnknownLoc::get(&getContext()))
               << "ssm-select-lowering: " << option->getArgStr()
               << " applies only to target=gpu, not target=cpu";
    // A CPU lowering runs its points one after the other: deterministic
    // whatever was asked.
    if (deterministic.hasValue() && deterministic != "auto")
      return emitError(UnknownLoc::get(&getContext()))
             << "ssm-select-lowering: deterministic applies only to "
                "target=gpu (cpu lowerings are always deterministic), not "
                "target=cpu";
    if (chip.hasValue())
      return emitError(UnknownLoc::get(&getContext()))
             << "ssm-select-lowering: chip applies only to target=gpu, not "
                "target=cpu";
    return success();
  }
};
} // namespace
