//===- SSMToGPU.cpp - ssm to GPU kernels ------------------------*- C++ -*-===//
//
// The GPU target of the shared kernel emitters: one thread per parallel
// point, `threads-per-block` threads per block, a bounds check for the last
// block, and atomic accumulation of shared gradients.
//
//===----------------------------------------------------------------------===//

#include "ssm/Conversion/SSMToGPU/SSMToGPU.h"
#include "BlockScan.h"
#include "LibraryCalls.h"
#include "ssm/Conversion/SSMKernels/FusedConvScan.h"
#include "ssm/Conversion/SSMToLoops/SSMToLoops.h"
#include "ssm/IR/SSMDialect.h"
#include "ssm/IR/SSMOps.h"
#include "ssm/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

namespace mlir {
namespace ssm {
#define GEN_PASS_DEF_CONVERTSSMTOGPU
#include "ssm/Conversion/Passes.h.inc"
} // namespace ssm
} // namespace mlir

using namespace mlir;
using namespace mlir::ssm;

static LogicalResult checkPrivateStates(Operation *root);

namespace {
/// One thread per point of the flattened iteration space. It also names
/// every launch built for an op (its own and those of other emitters) and
/// remembers the lowering each implements.
class ThreadPerPoint : public ParallelTarget {
public:
  void beginOp(Operation *op, LoweringAttr lowering) override {
    threadsPerBlock = lowering.getThreadsPerBlock();
  }

  void endOp(Operation *op, LoweringAttr lowering,
             ArrayRef<Operation *> created) override;

  /// Kernel name -> the lowering of the op it was generated for.
  DictionaryAttr kernelLowerings(MLIRContext *context) const {
    SmallVector<NamedAttribute> entries;
    for (auto [name, lowering] : kernels)
      entries.emplace_back(StringAttr::get(context, name), lowering);
    return DictionaryAttr::get(context, entries);
  }

  void parallelFor(ImplicitLocOpBuilder &b, ArrayRef<int64_t> bounds,
                   BodyFn body) override {
    int64_t total = 1;
    for (int64_t bound : bounds)
      total *= bound;
    int64_t threads = std::min(threadsPerBlock, total);
    int64_t blocks = (total + threads - 1) / threads;
    auto constant = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, v);
    };
    Value one = constant(1);
    auto launch = gpu::LaunchOp::create(b, constant(blocks), one, one,
                                        constant(threads), one, one);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&launch.getBody().front());
    auto terminator = gpu::TerminatorOp::create(b);
    b.setInsertionPoint(terminator);

    Value id = arith::AddIOp::create(
        b, arith::MulIOp::create(b, launch.getBlockIds().x, constant(threads)),
        launch.getThreadIds().x);
    Value inside = arith::CmpIOp::create(b, arith::CmpIPredicate::ult, id,
                                         constant(total));
    auto guardIf = scf::IfOp::create(b, inside, /*withElseRegion=*/false);
    b.setInsertionPoint(guardIf.thenBlock()->getTerminator());
    // Delinearise the point index, innermost dimension fastest.
    SmallVector<Value> ivs(bounds.size());
    Value rest = id;
    for (int64_t i = static_cast<int64_t>(bounds.size()) - 1; i >= 0; --i) {
      ivs[i] = arith::RemUIOp::create(b, rest, constant(bounds[i]));
      rest = arith::DivUIOp::create(b, rest, constant(bounds[i]));
    }
    int64_t enclosingInnermost = innermostBound;
    innermostBound = bounds.empty() ? 1 : bounds.back();
    body(b, ivs);
    innermostBound = enclosingInnermost;
  }

  bool concurrentPoints() const override { return true; }
  bool vectorRows() const override { return true; }

  /// A warp per row: blocks hold whole warps (threads per block is a
  /// multiple of 32) and the flattened index runs innermost fastest, so
  /// the 32 points of a row are the lanes of one warp, and no warp
  /// straddles the bounds check.
  int64_t rowLanes() const override { return 32; }

  Value combineRowLanes(ImplicitLocOpBuilder &b, Value value,
                        bool maximum) override {
    if (!maximum)
      return warpAllSum(b, value);
    for (int32_t offset = 16; offset >= 1; offset /= 2)
      value = arith::MaximumFOp::create(
          b, value,
          gpu::ShuffleOp::create(b, value, offset, 32, gpu::ShuffleMode::XOR)
              .getShuffleResult());
    return value;
  }

  /// When the innermost bound is a multiple of the warp size, each warp's
  /// 32 lanes share every outer index (blocks hold whole warps and the
  /// flattened index runs innermost fastest), and no warp straddles the
  /// bounds check: the warp sums its lanes with a butterfly of shuffles and
  /// lane 0 alone adds atomically, 32 times fewer atomics on one address.
  int64_t innermostSumWidth(int64_t innermostBound) const override {
    return innermostBound % 32 == 0 ? 32 : 1;
  }

  bool accumulateOverInnermost(ImplicitLocOpBuilder &b, Value value,
                               Value memref, ValueRange indices,
                               bool atomic) override {
    if (innermostBound % 32 != 0)
      return false;
    value = warpAllSum(b, value);
    Value lane =
        arith::RemUIOp::create(b, gpu::ThreadIdOp::create(b, gpu::Dimension::x),
                               arith::ConstantIndexOp::create(b, 32));
    Value first = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, lane,
                                        arith::ConstantIndexOp::create(b, 0));
    auto ifFirst = scf::IfOp::create(b, first, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(ifFirst.thenBlock()->getTerminator());
    addInto(b, value, memref, indices, atomic);
    return true;
  }

  /// A row of K values (a power of two up to 32) summed over the warp with
  /// a reduce-scatter instead of K butterflies: each halving step over lane
  /// bit 16, 8, ... keeps half of a lane's values and adds the other half
  /// from its partner (K/2 + K/4 + ... shuffles), leaving element
  /// lane / (32 / K); the butterfly over the low lane bits completes the
  /// sums, and lanes with those bits zero add one element each atomically
  /// (K - 1 + 5 - log2 K shuffles in all, 9 for K = 8 instead of 40).
  bool accumulateRowOverInnermost(ImplicitLocOpBuilder &b,
                                  ArrayRef<Value> values, Value memref,
                                  ValueRange indices, bool atomic) override {
    int64_t count = values.size();
    if (innermostBound % 32 != 0 || count > 32 || !llvm::isPowerOf2_64(count))
      return false;
    auto constant = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, v);
    };
    auto shuffleXor = [&](Value value, int32_t offset) -> Value {
      return gpu::ShuffleOp::create(b, value, offset, 32, gpu::ShuffleMode::XOR)
          .getShuffleResult();
    };
    Value lane = arith::RemUIOp::create(
        b, gpu::ThreadIdOp::create(b, gpu::Dimension::x), constant(32));
    SmallVector<Value> kept(values);
    int32_t offset = 16;
    for (int64_t size = count; size > 1; size /= 2, offset /= 2) {
      // Lanes with this bit set keep the upper half.
      Value upper = arith::CmpIOp::create(
          b, arith::CmpIPredicate::ne,
          arith::AndIOp::create(b, lane, constant(offset)), constant(0));
      SmallVector<Value> next;
      for (int64_t j = 0; j < size / 2; ++j) {
        Value low = kept[j], high = kept[j + size / 2];
        Value send = arith::SelectOp::create(b, upper, low, high);
        Value keep = arith::SelectOp::create(b, upper, high, low);
        next.push_back(
            arith::AddFOp::create(b, keep, shuffleXor(send, offset)));
      }
      kept = std::move(next);
    }
    Value sum = kept.front();
    for (; offset >= 1; offset /= 2)
      sum = arith::AddFOp::create(b, sum, shuffleXor(sum, offset));
    int64_t lanesPerElement = 32 / count;
    Value first = arith::CmpIOp::create(
        b, arith::CmpIPredicate::eq,
        arith::RemUIOp::create(b, lane, constant(lanesPerElement)),
        constant(0));
    auto ifFirst = scf::IfOp::create(b, first, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(ifFirst.thenBlock()->getTerminator());
    SmallVector<Value> at(indices);
    at.back() = arith::AddIOp::create(
        b, at.back(),
        arith::DivUIOp::create(b, lane, constant(lanesPerElement)));
    addInto(b, sum, memref, at, atomic);
    return true;
  }

private:
  /// memref[indices] += value (f32), atomically or as a plain load and
  /// store.
  static void addInto(ImplicitLocOpBuilder &b, Value value, Value memref,
                      ValueRange indices, bool atomic) {
    if (atomic) {
      memref::AtomicRMWOp::create(b, arith::AtomicRMWKind::addf, value, memref,
                                  indices);
      return;
    }
    Value old = memref::LoadOp::create(b, memref, indices);
    memref::StoreOp::create(b, arith::AddFOp::create(b, old, value), memref,
                            indices);
  }

  std::string uniqueName(StringRef base);

  int64_t threadsPerBlock = 128;
  /// Innermost bound of the parallelFor being built (0 outside one).
  int64_t innermostBound = 0;
  llvm::MapVector<StringRef, LoweringAttr> kernels;
  /// Owns the names `kernels` refers to.
  llvm::StringSet<> names;
  llvm::StringMap<unsigned> nextSuffix;
};

std::string ThreadPerPoint::uniqueName(StringRef base) {
  unsigned &next = nextSuffix[base];
  std::string name = base.str();
  while (names.contains(name))
    name = (base + "_" + Twine(next++)).str();
  names.insert(name);
  return name;
}

/// What a kernel of `op` is named after: the op, or for an ssm.fusion its
/// variant, with `_grad` when the region holds a gradient op
/// (ssm_fused_conv_scan_grad_..., as the block scan names its kernels).
static std::string kernelBaseName(Operation *op) {
  auto fusion = dyn_cast<FusionOp>(op);
  if (!fusion)
    return op->getName().stripDialect().str();
  bool gradient = llvm::any_of(fusion.getFusedOps(), [](Operation &inner) {
    auto kernel = dyn_cast<KernelOpInterface>(inner);
    return kernel && !kernel.getForwardOpName().empty();
  });
  return fusion.getVariant().str() + (gradient ? "_grad" : "");
}

/// Launches are named ssm_<op>_<strategy or variant>[_N]; a launch an
/// emitter named itself (the block scan's) keeps its name as the base.
void ThreadPerPoint::endOp(Operation *op, LoweringAttr lowering,
                           ArrayRef<Operation *> created) {
  std::string base = ("ssm_" + kernelBaseName(op) + "_" +
                      (lowering.getStrategy().empty() ? lowering.getVariant()
                                                      : lowering.getStrategy()))
                         .str();
  std::replace(base.begin(), base.end(), '-', '_');
  SmallVector<gpu::LaunchOp> named, unnamed;
  for (Operation *top : created)
    top->walk([&](gpu::LaunchOp launch) {
      (launch.getFunctionAttr() ? named : unnamed).push_back(launch);
    });
  // Emitters' own names first, so that the main kernel keeps its name and
  // the helpers (fills, conversions) get the suffixes.
  auto assign = [&](gpu::LaunchOp launch, StringRef wanted) {
    std::string name = uniqueName(wanted);
    launch.setFunctionAttr(FlatSymbolRefAttr::get(op->getContext(), name));
    kernels[names.find(name)->getKey()] = lowering;
  };
  for (gpu::LaunchOp launch : named)
    assign(launch, launch.getFunctionAttr().getValue());
  for (gpu::LaunchOp launch : unnamed)
    assign(launch, base);
}

class ConvertSSMToGPUPass
    : public mlir::ssm::impl::ConvertSSMToGPUBase<ConvertSSMToGPUPass> {
public:
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (failed(ensureLowerings(module, "gpu")) ||
        failed(checkPrivateStates(module)) ||
        failed(checkBlockScanTiles(module)))
      return signalPassFailure();
    ThreadPerPoint threads;
    RewritePatternSet patterns(&getContext());
    populateSelectiveScanBlockScanPatterns(patterns, threads);
    populateSSMKernelPatterns(patterns, threads);
    populateLibraryCallPatterns(patterns, threads);
    ConversionTarget target(getContext());
    target.addIllegalDialect<SSMDialect>();
    target.addLegalDialect<
        arith::ArithDialect, bufferization::BufferizationDialect,
        func::FuncDialect, gpu::GPUDialect, LLVM::LLVMDialect,
        vector::VectorDialect, math::MathDialect, memref::MemRefDialect,
        scf::SCFDialect, tensor::TensorDialect>();
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      return signalPassFailure();
    module->setAttr(SSMDialect::kKernelLoweringsAttrName,
                    threads.kernelLowerings(&getContext()));
  }
};
} // namespace

/// The sequential scan backward keeps one chunk of states per thread
/// (chunk_len x d_state floats) in local memory, the chunked-parallel one
/// the state at each row start of its chunk; the driver reserves that for
/// every resident thread, so large chunks fail at launch with an
/// out-of-memory error. Reject them here, naming the parameter.
static LogicalResult checkPrivateStates(Operation *root) {
  const int64_t limit = 64 * 1024;
  WalkResult result = root->walk([&](Operation *op) {
    LoweringAttr lowering = getOpLowering(op);
    if (!lowering)
      return WalkResult::advance();
    if (auto grad = dyn_cast<SelectiveScanGradOp>(op);
        grad && lowering.getStrategy() == "chunked-parallel") {
      int64_t length = cast<ShapedType>(grad.getU().getType()).getDimSize(2);
      int64_t numStates = cast<ShapedType>(grad.getA().getType()).getDimSize(1);
      int64_t bytes = chunkedParallelGradPrivateBytes(length, numStates,
                                                      lowering.getChunkLen());
      if (bytes <= limit)
        return WalkResult::advance();
      op->emitOpError() << "cannot be lowered on the GPU with chunk_len = "
                        << lowering.getChunkLen() << ": each thread would keep "
                        << bytes
                        << " bytes of scan states (the state at each row "
                           "start of its chunk, d_state "
                        << numStates << " floats each) in local memory, more "
                        << "than " << limit << "; lower chunk-len";
      return WalkResult::interrupt();
    }
    // A fused-conv-scan region keeps the states of its scan.
    Operation *scan = op;
    if (auto fusion = dyn_cast<FusionOp>(op))
      if (std::optional<FusedConvScanOps> fused = getFusedConvScanOps(fusion))
        scan = fused->scan;
    int64_t length = 0, numStates = 0;
    if (auto grad = dyn_cast<SelectiveScanGradOp>(scan);
        grad && lowering.getStrategy() == "sequential") {
      length = cast<ShapedType>(grad.getU().getType()).getDimSize(2);
      numStates = cast<ShapedType>(grad.getA().getType()).getDimSize(1);
    } else if (auto grad = dyn_cast<SSDScanGradOp>(op);
               grad && lowering.getStrategy() == "recurrence") {
      length = cast<ShapedType>(grad.getX().getType()).getDimSize(1);
      numStates = cast<ShapedType>(grad.getB().getType()).getDimSize(3);
    } else {
      return WalkResult::advance();
    }
    int64_t chunkLen = lowering.getChunkLen();
    int64_t bytes = 4 * std::min(chunkLen, length) * numStates;
    if (bytes <= limit)
      return WalkResult::advance();
    op->emitOpError() << "cannot be lowered on the GPU with chunk_len = "
                      << chunkLen << ": each thread would keep " << bytes
                      << " bytes of scan states (chunk_len x d_state "
                      << numStates << " floats) in local memory, more than "
                      << limit << "; lower chunk-len";
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}
