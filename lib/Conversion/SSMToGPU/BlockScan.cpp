//===- BlockScan.cpp - block-parallel selective scan on the GPU -*- C++ -*-===//
//
// The Mamba-1 scan with parallelism along the sequence. One thread block per
// (batch, channels-per-block channels); each channel's T threads walk its
// sequence in chunks of T*K positions (K items each). For every state n:
//   1. each thread forms the pairs (a_i, b_i) = (exp(dt_i A_n), dt_i B_i u_i)
//      of its K items and scans them sequentially in registers;
//   2. the warp combines the threads' aggregates with gpu.shuffle (up);
//   3. the warps' aggregates meet in shared memory (double-buffered by chunk
//      parity, so one barrier per state and chunk suffices);
//   4. each thread applies its prefix (and the state carried in from the
//      previous chunk) to its items and accumulates y_i += C_i h_i.
// Loads and stores are K-element vectors (16-byte aligned for bf16 K=8), so
// a warp's accesses coalesce in the [B,D,L] layout. exp(dt A) is a single
// ex2.approx.ftz with A pre-scaled by log2(e).
//
//===----------------------------------------------------------------------===//

#include "BlockScan.h"

#include "ssm/Conversion/SSMKernels/FusedConvScan.h"
#include "ssm/Conversion/SSMKernels/KernelBuilder.h"
#include "ssm/Conversion/SSMKernels/Kernels.h"
#include "ssm/Conversion/SSMKernels/ScanUSource.h"
#include "ssm/IR/SSMOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::ssm;

namespace {
/// Inside one block: points are threads that cooperate explicitly, so the
/// generic parallel target is only used for its scalar helpers.
class BlockThreads : public ParallelTarget {
public:
  void parallelFor(ImplicitLocOpBuilder &, ArrayRef<int64_t>, BodyFn) override {
    llvm_unreachable("the block scan builds its own launch");
  }
  bool concurrentPoints() const override { return true; }
  bool vectorRows() const override { return true; }
};

/// The (decay, state) pair of a segment of the scan: applying the segment
/// to a state s gives decay * s + state.
struct ScanPair {
  Value decay;
  Value state;
};

/// Helpers shared by the forward and backward kernels.
class BlockScanBuilder {
public:
  BlockScanBuilder(ImplicitLocOpBuilder &b, KernelBuilder &kb, int64_t items)
      : b(b), kb(kb), items(items) {}

  /// exp2(x), marked `afn` so that ssm-gpu-fast-exp2 makes it a single
  /// flush-to-zero ex2.approx after bufferization.
  Value exp2(Value x) {
    return math::Exp2Op::create(b, x, arith::FastMathFlags::afn);
  }

  /// The K consecutive elements memref[indices..., start .. start+K) as
  /// f32, loaded as one vector.
  SmallVector<Value> loadItems(Value memref, ValueRange indices) {
    return kb.loadRow(memref, indices, items);
  }

  /// Stores K f32 values, narrowed to the memref's element type, as one
  /// vector at memref[indices..., start].
  void storeItems(ArrayRef<Value> values, Value memref, ValueRange indices) {
    kb.storeRow(values, memref, indices);
  }

  /// earlier then later: (d1, s1) followed by (d2, s2).
  ScanPair combine(ScanPair earlier, ScanPair later) {
    return {kb.mul(later.decay, earlier.decay),
            kb.add(kb.mul(later.decay, earlier.state), later.state)};
  }

  ScanPair select(Value cond, ScanPair x, ScanPair y) {
    return {kb.select(cond, x.decay, y.decay),
            kb.select(cond, x.state, y.state)};
  }

  /// Both halves of `pair` from the lane `offset` below (up) or above
  /// (down) in the warp.
  ScanPair shuffle(ScanPair pair, int32_t offset, gpu::ShuffleMode mode) {
    return {gpu::ShuffleOp::create(b, pair.decay, offset, 32, mode)
                .getShuffleResult(),
            gpu::ShuffleOp::create(b, pair.state, offset, 32, mode)
                .getShuffleResult()};
  }
  ScanPair shuffleUp(ScanPair pair, int32_t offset) {
    return shuffle(pair, offset, gpu::ShuffleMode::UP);
  }
  ScanPair shuffleDown(ScanPair pair, int32_t offset) {
    return shuffle(pair, offset, gpu::ShuffleMode::DOWN);
  }

  ScanPair identity() { return {kb.f32(1.0), kb.f32(0.0)}; }

  /// Inclusive scan across the warp in reverse order (lane 31 first): the
  /// later lanes' segments come earlier.
  ScanPair warpReverseInclusiveScan(ScanPair pair, Value lane) {
    for (int32_t offset = 1; offset < 32; offset *= 2) {
      ScanPair earlier = shuffleDown(pair, offset);
      Value has = kb.cmpIndexLt(lane, 32 - offset);
      pair = select(has, combine(earlier, pair), pair);
    }
    return pair;
  }

  /// Sum of `value` over the warp (every lane gets it).
  Value warpSum(Value value) { return warpAllSum(b, value); }

  /// Inclusive scan of per-thread aggregates across the warp.
  ScanPair warpInclusiveScan(ScanPair pair, Value lane) {
    for (int32_t offset = 1; offset < 32; offset *= 2) {
      ScanPair earlier = shuffleUp(pair, offset);
      Value has = arith::CmpIOp::create(b, arith::CmpIPredicate::sge, lane,
                                        kb.index(offset));
      pair = select(has, combine(earlier, pair), pair);
    }
    return pair;
  }

  ImplicitLocOpBuilder &b;
  KernelBuilder &kb;
  int64_t items;
};

/// A launch with one block per (batch, channel) and the indices every
/// block-scan kernel needs; the builder is left inside the launch body.
/// With several channels per block, `slot` is the channel's place in the
/// block (the leading index of every shared buffer) and `tid`, `warp` and
/// `firstThread` are relative to the channel's own threads.
struct ChannelBlock {
  gpu::LaunchOp launch;
  Value bi, d, g, slot, tid, lane, warp;
  Value firstLane, lastLane, firstThread;
  int64_t threads = 0;

  /// body(n) for the states n this thread owns: n = tid, tid + threads, ...
  /// (a channel may have fewer threads than states).
  void forEachOwnState(KernelBuilder &kb, int64_t numStates,
                       function_ref<void(Value)> body) const {
    int64_t rounds = (numStates + threads - 1) / threads;
    kb.forRange(0, rounds, [&](Value round) {
      Value n =
          arith::AddIOp::create(kb.builder(), tid, kb.mulIndex(round, threads));
      kb.ifThen(kb.cmpIndexLt(n, numStates), [&] { body(n); });
    });
  }

  static ChannelBlock create(ImplicitLocOpBuilder &b, StringRef kernelName,
                             int64_t batch, int64_t channels, int64_t groups,
                             const BlockScanTiles &tiles,
                             TypeRange workgroupBuffers) {
    int64_t perBlock = tiles.channelsPerBlock;
    int64_t threads = tiles.threadsPerChannel();
    auto c = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, v);
    };
    Value one = c(1);
    ChannelBlock cb;
    cb.threads = threads;
    cb.launch = gpu::LaunchOp::create(
        b, c(batch * channels / perBlock), one, one, c(tiles.threadsPerBlock),
        one, one,
        /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
        ValueRange(), workgroupBuffers, /*privateAttributions=*/TypeRange(),
        /*clusterSizeX=*/nullptr, /*clusterSizeY=*/nullptr,
        /*clusterSizeZ=*/nullptr, /*module=*/nullptr,
        FlatSymbolRefAttr::get(b.getContext(), kernelName));
    b.setInsertionPointToStart(&cb.launch.getBody().front());
    auto terminator = gpu::TerminatorOp::create(b);
    b.setInsertionPoint(terminator);
    Value block = cb.launch.getBlockIds().x;
    Value thread = cb.launch.getThreadIds().x;
    cb.slot = arith::DivUIOp::create(b, thread, c(threads));
    cb.tid = arith::RemUIOp::create(b, thread, c(threads));
    int64_t blocksPerBatch = channels / perBlock;
    cb.bi = arith::DivUIOp::create(b, block, c(blocksPerBatch));
    cb.d = arith::AddIOp::create(
        b,
        arith::MulIOp::create(
            b, arith::RemUIOp::create(b, block, c(blocksPerBatch)),
            c(perBlock)),
        cb.slot);
    cb.g = arith::DivUIOp::create(b, cb.d, c(channels / groups));
    cb.lane = arith::RemUIOp::create(b, cb.tid, c(32));
    cb.warp = arith::DivUIOp::create(b, cb.tid, c(32));
    auto eq = [&](Value x, int64_t v) -> Value {
      return arith::CmpIOp::create(b, arith::CmpIPredicate::eq, x, c(v));
    };
    cb.firstLane = eq(cb.lane, 0);
    cb.lastLane = eq(cb.lane, 31);
    cb.firstThread = eq(cb.tid, 0);
    return cb;
  }
};

MemRefType workgroupBuffer(OpBuilder &b, ArrayRef<int64_t> shape) {
  return MemRefType::get(
      shape, b.getF32Type(), AffineMap(),
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup));
}

/// Static shared memory of the block-scan kernels: warp aggregates (forward,
/// and reversed for the backward), the carried state, and for the backward
/// the chunk's dB/dC exchange. Fails with a diagnostic naming the tiles when
/// it exceeds what sm_90 gives a block without opting in (48 KiB).
static LogicalResult checkSharedMemory(Operation *op,
                                       const BlockScanTiles &tiles,
                                       int64_t numStates, bool backward) {
  const int64_t limit = 48 * 1024;
  int64_t threads = tiles.threadsPerChannel();
  int64_t warps = threads / 32;
  int64_t floats = 2 * numStates * 2 * warps + 2 * numStates;
  if (backward)
    floats +=
        2 * numStates * 2 * warps + 2 * tiles.itemsPerThread * (threads + 1);
  int64_t bytes = 4 * floats * tiles.channelsPerBlock;
  if (bytes <= limit)
    return success();
  return op->emitOpError()
         << "cannot be lowered with scan-strategy=block-scan: "
            "threads-per-block = "
         << tiles.threadsPerBlock
         << ", items-per-thread = " << tiles.itemsPerThread
         << " and channels-per-block = " << tiles.channelsPerBlock << " need "
         << bytes << " bytes of shared memory per block for d_state "
         << numStates << ", and sm_90 gives at most " << limit
         << "; lower either, or use strategy \"sequential\"";
}

/// Emits `OpTy` (the selective scan or its gradient) with the block scan,
/// as the kernel `kernelName`. Each thread reads its K items of `u` as one
/// row of the ScanUSource (a vector load from the buffer, or the fused
/// convolution recomputed in registers). The selection only chooses it for
/// lengths that are a multiple of items-per-thread.
template <typename OpTy> class BlockScanEmitter {
public:
  BlockScanEmitter(const BlockScanTiles &tiles, ParallelTarget &elementwise,
                   StringRef kernelName)
      : tiles(tiles), elementwise(elementwise), kernelName(kernelName) {}

  void emit(OpTy op, const IRMapping &m, const ScanUSource &u,
            ImplicitLocOpBuilder &b) const;

private:
  BlockScanTiles tiles;
  ParallelTarget &elementwise;
  StringRef kernelName;
};

using SelectiveScanBlockScan = BlockScanEmitter<SelectiveScanOp>;
using SelectiveScanGradBlockScan = BlockScanEmitter<SelectiveScanGradOp>;
} // namespace

template <>
void SelectiveScanBlockScan::emit(SelectiveScanOp op, const IRMapping &m,
                                  const ScanUSource &u,
                                  ImplicitLocOpBuilder &b) const {
  SelectiveScanBuffers in(op, m);
  Value delta = in.delta, A = in.A, Bm = in.B, Cm = in.C, Dm = in.D;
  Value z = in.z, bias = in.deltaBias;
  Value y = m.lookup(op.getY()), last = m.lookup(op.getLastState());
  const int64_t batch = in.batch, channels = in.channels, length = in.length;
  const int64_t numStates = in.numStates, groups = in.groups;
  const int64_t T = tiles.threadsPerChannel(), K = tiles.itemsPerThread;
  const int64_t warps = T / 32, chunk = T * K, C = tiles.channelsPerBlock;
  const int64_t numChunks = (length + chunk - 1) / chunk;

  auto c = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, v);
  };
  Value one = c(1);
  // Warp aggregates [parity][state][decay|state][warp] and the state carried
  // between chunks [parity][state], both double-buffered by chunk parity so
  // that one barrier per state and chunk orders all accesses.
  OpBuilder::InsertionGuard guard(b);
  ChannelBlock cb =
      ChannelBlock::create(b, kernelName, batch, channels, groups, tiles,
                           {workgroupBuffer(b, {C, 2, numStates, 2, warps}),
                            workgroupBuffer(b, {C, 2, numStates})});
  BlockThreads threads;
  KernelBuilder kb(b, threads);
  BlockScanBuilder sb(b, kb, K);
  Value aggs = cb.launch.getWorkgroupAttributions()[0];
  Value carries = cb.launch.getWorkgroupAttributions()[1];
  Value bi = cb.bi, d = cb.d, g = cb.g, tid = cb.tid, lane = cb.lane;
  Value slot = cb.slot;
  Value warp = cb.warp, firstLane = cb.firstLane, lastLane = cb.lastLane;
  Value firstThread = cb.firstThread;
  const double log2e = 1.4426950408889634;
  Value dSkip = Dm ? kb.load(Dm, {d}) : Value();
  Value dtBias = bias ? kb.load(bias, {d}) : Value();
  std::shared_ptr<ScanUChannel> uItems = u.channel(kb, bi, d);

  // The scan starts from a zero state.
  cb.forEachOwnState(kb, numStates, [&](Value n) {
    kb.store(kb.f32(0.0), carries, {slot, c(0), n});
  });
  gpu::BarrierOp::create(b);

  kb.forRange(0, numChunks, [&](Value chunkIdx) {
    Value parity = arith::RemUIOp::create(b, chunkIdx, c(2));
    Value nextParity = arith::SubIOp::create(b, one, parity);
    // First position of this thread's items; threads past the end read a
    // clamped (valid) address and contribute the identity.
    Value start = arith::AddIOp::create(b, kb.mulIndex(chunkIdx, chunk),
                                        kb.mulIndex(tid, K));
    Value valid = kb.cmpIndexLt(start, length);
    Value at = kb.minIndex(start, length - K);

    SmallVector<Value> uv = uItems->row(at, K);
    SmallVector<Value> dt = sb.loadItems(delta, {bi, d, at});
    SmallVector<Value> dtU, init;
    for (int64_t i = 0; i < K; ++i) {
      if (dtBias)
        dt[i] = kb.add(dt[i], dtBias);
      if (op.getDeltaSoftplus())
        dt[i] = kb.softplus(dt[i]);
      dtU.push_back(kb.mul(dt[i], uv[i]));
      init.push_back(dSkip ? kb.mul(dSkip, uv[i]) : kb.f32(0.0));
    }

    // One state at a time, accumulating y over the states in registers.
    auto stateLoop = scf::ForOp::create(b, c(0), c(numStates), one, init);
    {
      OpBuilder::InsertionGuard loopGuard(b);
      b.setInsertionPointToStart(stateLoop.getBody());
      Value n = stateLoop.getInductionVar();
      SmallVector<Value> out(stateLoop.getRegionIterArgs());
      Value scaledA = kb.mul(kb.load(A, {d, n}), kb.f32(log2e));
      SmallVector<Value> bv = sb.loadItems(Bm, {bi, g, n, at});
      SmallVector<Value> cv = sb.loadItems(Cm, {bi, g, n, at});
      // Thread-local inclusive scan from a zero state.
      SmallVector<ScanPair> local;
      for (int64_t i = 0; i < K; ++i) {
        ScanPair item{sb.exp2(kb.mul(dt[i], scaledA)), kb.mul(dtU[i], bv[i])};
        item = sb.select(valid, item, sb.identity());
        local.push_back(i == 0 ? item : sb.combine(local.back(), item));
      }
      ScanPair inclusive = sb.warpInclusiveScan(local.back(), lane);
      ScanPair exclusive = sb.shuffleUp(inclusive, 1);
      exclusive = sb.select(firstLane, sb.identity(), exclusive);
      kb.ifThen(lastLane, [&] {
        kb.store(inclusive.decay, aggs, {slot, parity, n, c(0), warp});
        kb.store(inclusive.state, aggs, {slot, parity, n, c(1), warp});
      });
      gpu::BarrierOp::create(b);
      // Prefix of the earlier warps, and the whole block's aggregate.
      ScanPair before = sb.identity(), total = sb.identity();
      for (int64_t w = 0; w < warps; ++w) {
        ScanPair agg{kb.load(aggs, {slot, parity, n, c(0), c(w)}),
                     kb.load(aggs, {slot, parity, n, c(1), c(w)})};
        Value later =
            arith::CmpIOp::create(b, arith::CmpIPredicate::uge, c(w), warp);
        before = sb.select(later, before, sb.combine(before, agg));
        total = sb.combine(total, agg);
      }
      Value carry = kb.load(carries, {slot, parity, n});
      // State before this thread's first item.
      Value warpStart = kb.add(kb.mul(before.decay, carry), before.state);
      Value threadStart =
          kb.add(kb.mul(exclusive.decay, warpStart), exclusive.state);
      for (int64_t i = 0; i < K; ++i) {
        Value h = kb.add(local[i].state, kb.mul(local[i].decay, threadStart));
        out[i] = kb.add(out[i], kb.mul(cv[i], h));
      }
      kb.ifThen(firstThread, [&] {
        kb.store(kb.add(kb.mul(total.decay, carry), total.state), carries,
                 {slot, nextParity, n});
      });
      scf::YieldOp::create(b, out);
    }
    SmallVector<Value> out(stateLoop.getResults());
    if (z) {
      SmallVector<Value> zv = sb.loadItems(z, {bi, d, at});
      for (int64_t i = 0; i < K; ++i)
        out[i] = kb.mul(out[i], kb.silu(zv[i]));
    }
    kb.ifThen(valid, [&] { sb.storeItems(out, y, {bi, d, start}); });
  });

  gpu::BarrierOp::create(b);
  cb.forEachOwnState(kb, numStates, [&](Value n) {
    kb.store(kb.load(carries, {slot, c(numChunks % 2), n}), last, {bi, d, n});
  });
}

/// The backward, one block per (batch, channel):
///  1. a forward pass over the chunks saves the state at every chunk start
///     (global scratch, [points, chunks, N]);
///  2. the chunks are walked from the last: for every state n the chunk's
///     states are recomputed from the saved start (forward block scan), and
///     the gradient carried backwards, Q[t] = a[t] (Q[t+1] + dy'[t] C[t]),
///     is a second, reversed block scan over the pairs (a, a dy' C), done in
///     the same pass (one barrier per state and chunk). G = dy' C + Q[t+1]
///     then gives every gradient of the item; dB and dC are accumulated
///     over the channels of a group with atomics, dA, dD and ddelta_bias
///     are reduced over the warp first.
template <>
void SelectiveScanGradBlockScan::emit(SelectiveScanGradOp op,
                                      const IRMapping &m, const ScanUSource &u,
                                      ImplicitLocOpBuilder &b) const {
  SelectiveScanBuffers in(op, m);
  Value delta = in.delta, A = in.A, Bm = in.B, Cm = in.C, Dm = in.D;
  Value z = in.z, bias = in.deltaBias;
  Value dy = m.lookup(op.getDy()), dLast = m.lookupOrNull(op.getDLastState());
  Value du = m.lookup(op.getDu()), ddelta = m.lookup(op.getDdelta());
  Value dz = m.lookupOrNull(op.getDz());
  const int64_t batch = in.batch, channels = in.channels, length = in.length;
  const int64_t numStates = in.numStates, groups = in.groups;
  const int64_t T = tiles.threadsPerChannel(), K = tiles.itemsPerThread;
  const int64_t warps = T / 32, chunk = T * K, C = tiles.channelsPerBlock;
  const int64_t numChunks = (length + chunk - 1) / chunk;
  const bool softplus = in.softplus;
  auto c = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, v);
  };

  KernelBuilder outer(b, elementwise);
  SelectiveScanGradAccumulators grads(outer, op, m);
  const Accumulator &dA = grads.dA, &dB = grads.dB, &dC = grads.dC,
                    &dD = grads.dD, &dBias = grads.dDeltaBias;
  Value saved = memref::AllocOp::create(
      b, MemRefType::get({batch * channels, numChunks, numStates},
                         b.getF32Type()));

  {
    OpBuilder::InsertionGuard guard(b);
    ChannelBlock cb =
        ChannelBlock::create(b, kernelName, batch, channels, groups, tiles,
                             {workgroupBuffer(b, {C, 2, numStates, 2, warps}),
                              workgroupBuffer(b, {C, 2, numStates, 2, warps}),
                              workgroupBuffer(b, {C, 2, numStates}),
                              workgroupBuffer(b, {C, 2, K * (T + 1)})});
    BlockThreads threads;
    KernelBuilder kb(b, threads);
    BlockScanBuilder sb(b, kb, K);
    Value aggs = cb.launch.getWorkgroupAttributions()[0];
    Value revAggs = cb.launch.getWorkgroupAttributions()[1];
    Value carries = cb.launch.getWorkgroupAttributions()[2];
    // One chunk's dB and dC, exchanged for coalesced atomics.
    Value exchange = cb.launch.getWorkgroupAttributions()[3];
    Value bi = cb.bi, d = cb.d, g = cb.g, tid = cb.tid, lane = cb.lane;
    Value warp = cb.warp, slot = cb.slot;
    Value point = arith::AddIOp::create(b, kb.mulIndex(bi, channels), d);
    Value one = c(1);
    const double log2e = 1.4426950408889634;
    Value dSkip = Dm ? kb.load(Dm, {d}) : Value();
    Value dtBias = bias ? kb.load(bias, {d}) : Value();
    std::shared_ptr<ScanUChannel> uItems = u.channel(kb, bi, d);

    /// The items of this thread in chunk `chunkIdx`: their first position,
    /// whether they lie inside the sequence, the clamped load position,
    /// and dt (before and after softplus).
    struct Items {
      Value start, valid, at;
      SmallVector<Value> uv, raw, dt, dtU;
    };
    auto loadItems = [&](Value chunkIdx) {
      Items it;
      it.start = arith::AddIOp::create(b, kb.mulIndex(chunkIdx, chunk),
                                       kb.mulIndex(tid, K));
      it.valid = kb.cmpIndexLt(it.start, length);
      it.at = kb.minIndex(it.start, length - K);
      it.uv = uItems->row(it.at, K);
      it.raw = sb.loadItems(delta, {bi, d, it.at});
      for (int64_t i = 0; i < K; ++i) {
        if (dtBias)
          it.raw[i] = kb.add(it.raw[i], dtBias);
        it.dt.push_back(softplus ? kb.softplus(it.raw[i]) : it.raw[i]);
        it.dtU.push_back(kb.mul(it.dt[i], it.uv[i]));
      }
      return it;
    };
    /// Warp-level forward scan of the items' (decay, input) pairs: the
    /// thread-local inclusive pairs and the warp-inclusive aggregate.
    auto forwardPairs = [&](const Items &it, Value n, SmallVector<Value> &a,
                            SmallVector<Value> &bv) {
      Value scaledA = kb.mul(kb.load(A, {d, n}), kb.f32(log2e));
      bv = sb.loadItems(Bm, {bi, g, n, it.at});
      SmallVector<ScanPair> local;
      for (int64_t i = 0; i < K; ++i) {
        a.push_back(sb.exp2(kb.mul(it.dt[i], scaledA)));
        ScanPair item = sb.select(it.valid, {a[i], kb.mul(it.dtU[i], bv[i])},
                                  sb.identity());
        local.push_back(i == 0 ? item : sb.combine(local.back(), item));
      }
      return local;
    };
    /// Prefix (aggregates of the warps before this one) and total of the
    /// block from the warp aggregates in `buffer`.
    auto blockPrefix = [&](Value buffer, Value parity, Value n, bool reverse,
                           ScanPair &before, ScanPair &total) {
      before = sb.identity();
      total = sb.identity();
      for (int64_t k = 0; k < warps; ++k) {
        int64_t w = reverse ? warps - 1 - k : k;
        ScanPair agg{kb.load(buffer, {slot, parity, n, c(0), c(w)}),
                     kb.load(buffer, {slot, parity, n, c(1), c(w)})};
        // Forward: warps w < mine come first; reverse: warps w > mine.
        Value counts = arith::CmpIOp::create(
            b, reverse ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::ult,
            c(w), warp);
        before = sb.select(counts, sb.combine(before, agg), before);
        total = sb.combine(total, agg);
      }
    };
    auto publish = [&](Value cond, Value buffer, Value parity, Value n,
                       ScanPair pair) {
      kb.ifThen(cond, [&] {
        kb.store(pair.decay, buffer, {slot, parity, n, c(0), warp});
        kb.store(pair.state, buffer, {slot, parity, n, c(1), warp});
      });
    };

    // Pass 1: the state at every chunk start.
    cb.forEachOwnState(kb, numStates, [&](Value n) {
      kb.store(kb.f32(0.0), carries, {slot, c(0), n});
    });
    gpu::BarrierOp::create(b);
    kb.forRange(0, numChunks, [&](Value chunkIdx) {
      Value parity = arith::RemUIOp::create(b, chunkIdx, c(2));
      Items it = loadItems(chunkIdx);
      kb.forRange(0, numStates, [&](Value n) {
        SmallVector<Value> a, bv;
        SmallVector<ScanPair> local = forwardPairs(it, n, a, bv);
        ScanPair inclusive = sb.warpInclusiveScan(local.back(), lane);
        publish(cb.lastLane, aggs, parity, n, inclusive);
        gpu::BarrierOp::create(b);
        ScanPair before, total;
        blockPrefix(aggs, parity, n, /*reverse=*/false, before, total);
        kb.ifThen(cb.firstThread, [&] {
          Value carry = kb.load(carries, {slot, parity, n});
          kb.store(carry, saved, {point, chunkIdx, n});
          kb.store(kb.add(kb.mul(total.decay, carry), total.state), carries,
                   {slot, arith::SubIOp::create(b, one, parity), n});
        });
      });
    });
    gpu::BarrierOp::create(b);

    // Pass 2: the chunks in reverse, with the gradient carried backwards.
    cb.forEachOwnState(kb, numStates, [&](Value n) {
      kb.store(dLast ? kb.load(dLast, {bi, d, n}) : kb.f32(0.0), carries,
               {slot, c(0), n});
    });
    gpu::BarrierOp::create(b);
    kb.forRange(0, numChunks, [&](Value step) {
      Value chunkIdx = kb.subIndex(numChunks - 1, step);
      Value parity = arith::RemUIOp::create(b, step, c(2));
      Items it = loadItems(chunkIdx);
      SmallVector<Value> dyv = sb.loadItems(dy, {bi, d, it.at});
      SmallVector<Value> zv, dyPre(dyv);
      if (z) {
        zv = sb.loadItems(z, {bi, d, it.at});
        for (int64_t i = 0; i < K; ++i)
          dyPre[i] = kb.mul(dyv[i], kb.silu(zv[i]));
      }
      // Per item: ddt, du, and the pre-gate output (for dz).
      SmallVector<Value> init(3 * K, kb.f32(0.0));
      auto stateLoop = scf::ForOp::create(b, c(0), c(numStates), one, init);
      {
        OpBuilder::InsertionGuard loopGuard(b);
        b.setInsertionPointToStart(stateLoop.getBody());
        Value n = stateLoop.getInductionVar();
        SmallVector<Value> acc(stateLoop.getRegionIterArgs());
        SmallVector<Value> a, bv;
        SmallVector<ScanPair> local = forwardPairs(it, n, a, bv);
        SmallVector<Value> cv = sb.loadItems(Cm, {bi, g, n, it.at});
        // Reverse pairs (a, a dy' C), suffix-combined from the last item.
        SmallVector<Value> e;
        SmallVector<ScanPair> suffix(K);
        for (int64_t i = K - 1; i >= 0; --i) {
          e.insert(e.begin(), kb.mul(dyPre[i], cv[i]));
          ScanPair item = sb.select(it.valid, {a[i], kb.mul(a[i], e.front())},
                                    sb.identity());
          suffix[i] = i == K - 1 ? item : sb.combine(suffix[i + 1], item);
        }
        ScanPair inclusive = sb.warpInclusiveScan(local.back(), lane);
        ScanPair exclusive =
            sb.select(cb.firstLane, sb.identity(), sb.shuffleUp(inclusive, 1));
        ScanPair revInclusive = sb.warpReverseInclusiveScan(suffix[0], lane);
        ScanPair revExclusive = sb.select(cb.lastLane, sb.identity(),
                                          sb.shuffleDown(revInclusive, 1));
        publish(cb.lastLane, aggs, parity, n, inclusive);
        publish(cb.firstLane, revAggs, parity, n, revInclusive);
        gpu::BarrierOp::create(b);
        ScanPair before, total, revBefore, revTotal;
        blockPrefix(aggs, parity, n, /*reverse=*/false, before, total);
        blockPrefix(revAggs, parity, n, /*reverse=*/true, revBefore, revTotal);
        (void)total;
        // Forward: the state before this thread's first item.
        Value chunkStart = kb.load(saved, {point, chunkIdx, n});
        Value warpStart =
            kb.add(kb.mul(before.decay, chunkStart), before.state);
        Value threadStart =
            kb.add(kb.mul(exclusive.decay, warpStart), exclusive.state);
        // Reverse: Q entering this thread's last item from the right.
        Value qCarry = kb.load(carries, {slot, parity, n});
        Value warpEnd =
            kb.add(kb.mul(revBefore.decay, qCarry), revBefore.state);
        Value threadEnd =
            kb.add(kb.mul(revExclusive.decay, warpEnd), revExclusive.state);

        Value an = kb.load(A, {d, n});
        Value dAThread = kb.f32(0.0);
        Value prev = threadStart;
        for (int64_t i = 0; i < K; ++i) {
          Value h = kb.add(local[i].state, kb.mul(local[i].decay, threadStart));
          Value qNext = i == K - 1
                            ? threadEnd
                            : kb.add(kb.mul(suffix[i + 1].decay, threadEnd),
                                     suffix[i + 1].state);
          Value grad = kb.add(e[i], qNext);
          Value decayedPrev = kb.mul(a[i], prev);
          // dB and dC go through shared memory so that the atomics below
          // are coalesced (consecutive lanes, consecutive positions). Item
          // i of thread t sits at i*(T+1) + t: consecutive lanes write
          // consecutive words, the padding spreads the transposed reads
          // over the banks, and a thread's K stores are never merged into
          // vector stores (whose alignment the attribution does not
          // guarantee).
          Value word = kb.addIndex(tid, i * (T + 1));
          Value zero = kb.f32(0.0);
          kb.store(kb.select(it.valid, kb.mul(grad, it.dtU[i]), zero), exchange,
                   {slot, c(0), word});
          kb.store(kb.select(it.valid, kb.mul(dyPre[i], h), zero), exchange,
                   {slot, c(1), word});
          Value ddtTerm =
              kb.add(kb.mul(an, decayedPrev), kb.mul(bv[i], it.uv[i]));
          acc[i] = kb.add(acc[i], kb.mul(grad, ddtTerm));
          acc[K + i] =
              kb.add(acc[K + i], kb.mul(kb.mul(grad, it.dt[i]), bv[i]));
          acc[2 * K + i] = kb.add(acc[2 * K + i], kb.mul(cv[i], h));
          dAThread =
              kb.add(dAThread, kb.mul(kb.mul(grad, it.dt[i]), decayedPrev));
          prev = h;
        }
        gpu::BarrierOp::create(b);
        Value chunkStart0 = kb.mulIndex(chunkIdx, chunk);
        for (int64_t j = 0; j < K; ++j) {
          Value pos = kb.addIndex(tid, j * T);
          Value t = arith::AddIOp::create(b, chunkStart0, pos);
          Value from = arith::AddIOp::create(
              b, kb.mulIndex(arith::RemUIOp::create(b, pos, c(K)), T + 1),
              kb.divIndex(pos, K));
          kb.ifThen(kb.cmpIndexLt(t, length), [&] {
            kb.accumulate(kb.load(exchange, {slot, c(0), from}), dB.target(),
                          {bi, g, n, t});
            kb.accumulate(kb.load(exchange, {slot, c(1), from}), dC.target(),
                          {bi, g, n, t});
          });
        }
        dAThread = kb.select(it.valid, dAThread, kb.f32(0.0));
        Value dAWarp = sb.warpSum(dAThread);
        kb.ifThen(cb.firstLane, [&] {
          kb.accumulate(dAWarp, dA.target(), {d, n});
        });
        kb.ifThen(cb.firstThread, [&] {
          kb.store(kb.add(kb.mul(revTotal.decay, qCarry), revTotal.state),
                   carries, {slot, arith::SubIOp::create(b, one, parity), n});
        });
        scf::YieldOp::create(b, acc);
      }
      SmallVector<Value> acc(stateLoop.getResults());
      SmallVector<Value> ddt, dut, dzt;
      Value dDThread = kb.f32(0.0), biasThread = kb.f32(0.0);
      for (int64_t i = 0; i < K; ++i) {
        Value ddtI = acc[i];
        if (softplus)
          ddtI = kb.mul(ddtI, kb.sigmoid(it.raw[i]));
        ddt.push_back(ddtI);
        biasThread = kb.add(biasThread, ddtI);
        Value duI = acc[K + i];
        if (dSkip) {
          duI = kb.add(duI, kb.mul(dyPre[i], dSkip));
          dDThread = kb.add(dDThread, kb.mul(dyPre[i], it.uv[i]));
        }
        dut.push_back(duI);
        if (z) {
          Value pre = acc[2 * K + i];
          if (dSkip)
            pre = kb.add(pre, kb.mul(dSkip, it.uv[i]));
          dzt.push_back(kb.mul(kb.mul(dyv[i], pre), kb.siluGrad(zv[i])));
        }
      }
      kb.ifThen(it.valid, [&] {
        sb.storeItems(dut, du, {bi, d, it.start});
        sb.storeItems(ddt, ddelta, {bi, d, it.start});
        if (dz)
          sb.storeItems(dzt, dz, {bi, d, it.start});
      });
      if (dD.result) {
        Value sum = sb.warpSum(kb.select(it.valid, dDThread, kb.f32(0.0)));
        kb.ifThen(cb.firstLane, [&] { kb.accumulate(sum, dD.target(), {d}); });
      }
      if (dBias.result) {
        Value sum = sb.warpSum(kb.select(it.valid, biasThread, kb.f32(0.0)));
        kb.ifThen(cb.firstLane,
                  [&] { kb.accumulate(sum, dBias.target(), {d}); });
      }
    });
  }

  grads.finish(outer);
}

Value mlir::ssm::warpAllSum(ImplicitLocOpBuilder &b, Value value) {
  for (int32_t offset = 16; offset >= 1; offset /= 2)
    value = arith::AddFOp::create(
        b, value,
        gpu::ShuffleOp::create(b, value, offset, 32, gpu::ShuffleMode::XOR)
            .getShuffleResult());
  return value;
}

BlockScanTiles mlir::ssm::blockScanTiles(const KernelOptions &options) {
  return {options.threadsPerBlock, options.itemsPerThread,
          options.channelsPerBlock};
}

LogicalResult mlir::ssm::checkBlockScanTiles(Operation *root) {
  WalkResult result = root->walk([&](Operation *op) {
    // A fused-conv-scan region's kernel is its scan's.
    Operation *scan = op;
    if (auto fusion = dyn_cast<FusionOp>(op))
      if (std::optional<FusedConvScanOps> fused = getFusedConvScanOps(fusion))
        scan = fused->scan;
    bool backward = isa<SelectiveScanGradOp>(scan);
    LoweringAttr lowering = getOpLowering(op);
    if ((!backward && !isa<SelectiveScanOp>(scan)) || !lowering ||
        lowering.getStrategy() != "block-scan")
      return WalkResult::advance();
    // Whole warps per channel and channels that the blocks divide were
    // checked with the lowering; what remains depends on the state size.
    BlockScanTiles tiles =
        blockScanTiles(KernelOptions::fromLowering(lowering));
    int64_t numStates =
        cast<ShapedType>(scan->getOperand(2).getType()).getDimSize(1);
    return failed(checkSharedMemory(op, tiles, numStates, backward))
               ? WalkResult::interrupt()
               : WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

static void emitSelectiveScanBlockScan(SelectiveScanOp op, const IRMapping &m,
                                       ImplicitLocOpBuilder &b,
                                       ParallelTarget &elementwise,
                                       const KernelOptions &options) {
  SelectiveScanBlockScan(blockScanTiles(options), elementwise,
                         kSelectiveScanKernel)
      .emit(op, m, BufferUSource(m.lookup(op.getU())), b);
}

static void emitSelectiveScanGradBlockScan(SelectiveScanGradOp op,
                                           const IRMapping &m,
                                           ImplicitLocOpBuilder &b,
                                           ParallelTarget &elementwise,
                                           const KernelOptions &options) {
  SelectiveScanGradBlockScan(blockScanTiles(options), elementwise,
                             kSelectiveScanGradKernel)
      .emit(op, m, BufferUSource(m.lookup(op.getU())), b);
}

/// The scan of a fused-conv-scan region, `u` recomputed by its convolution.
static void emitFusedConvScanBlockScan(SelectiveScanOp op, const IRMapping &m,
                                       const ScanUSource &u,
                                       ImplicitLocOpBuilder &b,
                                       ParallelTarget &elementwise,
                                       const KernelOptions &options) {
  SelectiveScanBlockScan(blockScanTiles(options), elementwise,
                         kFusedConvScanKernel)
      .emit(op, m, u, b);
}

static void emitFusedConvScanGradBlockScan(SelectiveScanGradOp op,
                                           const IRMapping &m,
                                           const ScanUSource &u,
                                           ImplicitLocOpBuilder &b,
                                           ParallelTarget &elementwise,
                                           const KernelOptions &options) {
  SelectiveScanGradBlockScan(blockScanTiles(options), elementwise,
                             kFusedConvScanGradKernel)
      .emit(op, m, u, b);
}

void mlir::ssm::populateSelectiveScanBlockScanPatterns(
    RewritePatternSet &patterns, ParallelTarget &elementwise) {
  MLIRContext *context = patterns.getContext();
  patterns.add<KernelOpLowering<SelectiveScanOp>>(context, elementwise,
                                                  "fused-scan", "block-scan",
                                                  emitSelectiveScanBlockScan);
  patterns.add<KernelOpLowering<SelectiveScanGradOp>>(
      context, elementwise, "fused-scan", "block-scan",
      emitSelectiveScanGradBlockScan);
  patterns.add<FusedConvScanLowering>(context, elementwise, "block-scan",
                                      emitFusedConvScanBlockScan,
                                      emitFusedConvScanGradBlockScan);
}
