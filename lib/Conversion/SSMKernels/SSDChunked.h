//===- SSDChunked.h - the chunked (dual) form of the SSD scan ---*- C++ -*-===//
//
// Mamba-2's scan computed in chunks of Q positions (Q = chunk-len, at most
// L): inside a chunk the scan is a masked matrix product (the "quadratic"
// or attention-like form); between chunks only one P x N state per head is
// carried. Per (batch, head), with the chunk-local cumulative log decay
// cum_t = sum_{i<=t} dt_i A and E[t,s] = exp(cum_t - cum_s):
//
//   chunk state   S_c    = sum_s exp(cum_end - cum_s) dt_s B_s x_s^T
//   passing       h_c+1  = exp(cum_end) h_c + S_c          (sequential in c)
//   output        y_t    = sum_{s<=t} (C_t . B_s) E[t,s] dt_s x_s
//                          + exp(cum_t) C_t . h_c + D x_t   (then the gate)
//
// Each step is one parallel phase of the shared emitters (a kernel on the
// GPU, a loop nest on the CPU), so both targets run the same algorithm and
// the CPU suite checks it against the oracle. SSDChunked.cpp holds the
// phases of the forward, SSDChunkedGrad.cpp the backward, which runs the
// state passing in reverse and accumulates the gradient of every
// position's cumulative decay from dot products its phases already form.
//
// Layouts follow the GPU mapping (a thread per point, neighbouring points
// along the innermost index, which the loops do not walk), so that a
// warp's access is one broadcast or one contiguous segment:
//  - Points own tiles (up to 8 consecutive states, or up to 8 consecutive
//    positions of one chunk) and load what the tile shares once; the
//    per-position values a tile needs are rows of a scratch laid out with
//    positions last (B^T, C^T, x^T, the gated output gradient transposed,
//    K and W in both orientations), read as one vector on the GPU.
//  - Per-position scratch is padded to whole chunks (Lp = chunks x Q) so
//    that those rows stay aligned and in bounds; masked entries of the
//    intra-chunk products are stored as zeros.
//  - States are [b, chunk, h, ...] so that the warps of the state passing,
//    which walk the chunks, read one contiguous region per step; the
//    passing reads one buffer and writes another (in place, each element
//    loaded then overwritten, the same walk took 12.5 ms instead of
//    0.61 ms on the H100: docs/PERFORMANCE.md).
//
//===----------------------------------------------------------------------===//

#ifndef SSM_LIB_CONVERSION_SSMKERNELS_SSDCHUNKED_H
#define SSM_LIB_CONVERSION_SSMKERNELS_SSDCHUNKED_H

#include "ssm/Conversion/SSMKernels/Kernels.h"
#include "ssm/IR/SSMOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include <functional>

namespace mlir {
namespace ssm {

/// Operands, sizes and scratch of one chunked SSD scan, forward or gradient.
class ChunkedSSD : private SSDScanBuffers {
public:
  template <typename OpTy>
  ChunkedSSD(OpTy op, const IRMapping &m, ImplicitLocOpBuilder &b,
             ParallelTarget &target, int64_t chunkLen, int64_t maxTile)
      : SSDScanBuffers(op, m), b(b), target(target), maxTile(maxTile) {
    chunk = std::min(chunkLen, length);
    numChunks = (length + chunk - 1) / chunk;
    padded = numChunks * chunk;
    allocateScratch();
  }

  /// The forward: y and the final state.
  void emitForward(Value y, Value finalState);
  /// The gradient op's results (the accumulated ones are zero-filled f32).
  struct Grads {
    Value dy, dFinal, dx, dz, ddt, dB, dC, dInit;
    // Accumulators of the per-head gradients (dD and dBias: null results
    // when absent), made with the slots gradSlots() gives.
    const Accumulator *dA, *dD, *dBias;
  };
  /// Partial copies the per-head gradients need when ordered: dA and
  /// dt_bias get one addition per (batch, chunk), dD one per (batch,
  /// chunk, position tile, warp of head-dim points).
  struct GradSlots {
    int64_t perChunk, perPositionTile;
  };
  GradSlots gradSlots() const;
  void emitGrad(const Grads &g);

private:
  void allocateScratch();
  Value scratch(ArrayRef<int64_t> shape) {
    return memref::AllocOp::create(b, MemRefType::get(shape, b.getF32Type()));
  }

  // Index arithmetic on `index` values.
  Value add(Value x, Value y) { return arith::AddIOp::create(b, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, x, y); }
  Value le(Value x, Value y) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::ule, x, y);
  }
  Value lt(Value x, Value y) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, x, y);
  }
  /// s <= t < len: the (t, s) pairs of a chunk of `len` positions in
  /// which position s reaches position t.
  Value lowerTriangle(Value t, Value s, Value len) {
    Value reaches = le(s, t);
    Value inside = lt(t, len);
    return arith::AndIOp::create(b, reaches, inside);
  }

  /// Where chunk `c` starts, how many positions it has, and its last one.
  struct ChunkSpan {
    Value start, len, last;
  };
  ChunkSpan span(KernelBuilder &kb, Value c) {
    Value start = kb.mulIndex(c, chunk);
    Value len = kb.minIndex(kb.subIndex(length, start), chunk);
    return {start, len, kb.addIndex(add(start, len), -1)};
  }
  Value groupOf(KernelBuilder &kb, Value h) {
    return kb.divIndex(h, heads / groups);
  }

  /// The largest power of two up to `ssd-tile` that divides `n`: the tile
  /// a point owns.
  int64_t tileFor(int64_t n) const {
    for (int64_t size = maxTile; size > 1; size /= 2)
      if (n % size == 0)
        return size;
    return 1;
  }

  /// The consecutive positions of one chunk that a point of the
  /// position-parallel phases owns.
  struct PositionTile {
    Value chunk, start, len;   // the chunk, its first position, its length
    Value first;               // chunk-local index of the tile's first
    Value firstGlobal;         // start + first: where its rows begin
    SmallVector<Value> local;  // chunk-local index of each position
    SmallVector<Value> global; // sequence position
    SmallVector<Value> safe;   // the position, clamped inside the sequence
    SmallVector<Value> valid;  // whether the position is in the sequence
    int64_t size() const { return local.size(); }
  };
  /// A parallel phase over (batch, chunk, extra[0], position tile,
  /// extra[1]): body gets the batch index, the tile and the two extra
  /// induction values. The tiles of one head sit between the head and the
  /// innermost index, so that one block's points share the head's rows.
  void forEachPositionTile(ArrayRef<int64_t> extra,
                           function_ref<void(KernelBuilder &, Value,
                                             const PositionTile &, ValueRange)>
                               body);

  /// For k in [lb, ub), from zero: sums[i] += shared(k) * row(k)[i], i <
  /// size. The pattern of every tiled phase: a point loads one value per
  /// step that its whole tile shares, and a row of the tile's own weights.
  static SmallVector<Value>
  rowSums(KernelBuilder &kb, Value lb, Value ub, int64_t size,
          function_ref<Value(Value)> shared,
          function_ref<SmallVector<Value>(Value)> row);

  using WeightFn = std::function<Value(KernelBuilder &, Value, Value, Value)>;
  using PSideFn = std::function<Value(KernelBuilder &, ValueRange)>;
  /// out[b,c,h,n,p] = sum over the positions t of chunk c of
  /// weight(b,h,t) nSide[b,t,g,n] pSide(b,t,h,p): a chunk's outer products,
  /// each point owning a tile of consecutive n.
  void emitChunkOuterProducts(Value out, const WeightFn &weight, Value nSide,
                              const PSideFn &pSide);
  /// Passes a state (or, with `reverse`, a state gradient from the last
  /// chunk) through the chunks: out[c] = carried, then carried =
  /// chunkDecay[c] carried + own[c]; it starts from `first` ([b,h,P,N], or
  /// zero) and stores the final carried value in `last` ([b,h,P,N], or
  /// nothing); `outT` gets out[c] as [P, N] too. Each point owns a tile of
  /// consecutive states; `perChunk(kb, bi, h, c, n0, p, carried)` runs for
  /// every chunk before the carry is updated.
  using ChunkHook = std::function<void(KernelBuilder &, Value, Value, Value,
                                       Value, Value, ArrayRef<Value>)>;
  void emitPassing(Value own, Value out, Value outT, Value first, Value last,
                   bool reverse, const ChunkHook &perChunk);

  // Phases shared by the forward and the backward.
  void emitTimeSteps();
  void emitTransposes();
  void emitChunkStates();
  void emitChunkProducts();
  void emitDecayedProducts();
  /// The ungated output of the scan at the tile's positions of (b, h, p):
  /// intra-chunk plus inter-chunk parts, without the D skip.
  SmallVector<Value> emitScanOutputs(KernelBuilder &kb, Value bi,
                                     const PositionTile &tile, Value h,
                                     Value p);

  ImplicitLocOpBuilder &b;
  ParallelTarget &target;
  int64_t maxTile;
  int64_t chunk, numChunks, padded;

  // Scratch, all f32 (Lp = padded).
  Value dtw;         // [b,h,Lp] the effective time step
  Value cum;         // [b,h,Lp] chunk-local cumulative dt * A
  Value expCum;      // [b,h,Lp] exp(cum_t)
  Value decayEnd;    // [b,h,Lp] exp(cum_last - cum_t)
  Value chunkDecay;  // [b,h,chunks] exp(cum_last)
  Value chunkStates; // [b,chunks,h,N,P] each chunk's own contribution
  Value states;      // [b,chunks,h,N,P] the state entering each chunk
  Value BT, CT;      // [b,g,N,Lp] B and C transposed
  Value cb;          // [b,g,chunks,Q,Q] C_t . B_s, s <= t
  Value K;           // [b,h,chunks,Q(t),Q(s)] (C_t . B_s) E[t,s], 0 above
  Value KT;          // [b,h,chunks,Q(s),Q(t)] the same, transposed
};

} // namespace ssm
} // namespace mlir

#endif // SSM_LIB_CONVERSION_SSMKERNELS_SSDCHUNKED_H
