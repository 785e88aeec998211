//===- SSDChunked.cpp - the chunked (dual) form of the SSD scan -*- C++ -*-===//
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
// the CPU suite checks it against the oracle. The backward runs the same
// phases in reverse, with the state gradient passed from the last chunk to
// the first; the gradient of the cumulative decay of every position is
// accumulated from dot products the phases already form (see emitGrad).
//
// Scratch layouts put the index that neighbouring points vary (and that
// inner loops do not walk) last, so that on the GPU a warp's loads are
// either one broadcast or one contiguous segment: states are stored as
// [N, P] for the phases whose points run along P and as [P, N] for those
// that run along N. States are [b, chunk, h, ...], so that the warps of
// the state passing, which walk the chunks, read one contiguous region per
// step. The passing reads one buffer and writes another: in place (each
// element loaded, then overwritten) the same walk took 12.5 ms instead of
// 0.61 ms on the H100 (CUDA micro-benchmark at B1 L65536, recorded in
// docs/PERFORMANCE.md).
//
//===----------------------------------------------------------------------===//

#include "ScanKernels.h"

#include "ssm/IR/SSMOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include <functional>

using namespace mlir;
using namespace mlir::ssm;

namespace {
/// Operands, sizes and scratch of one chunked SSD scan, forward or gradient.
class ChunkedSSD {
public:
  template <typename OpTy>
  ChunkedSSD(OpTy op, const IRMapping &m, ImplicitLocOpBuilder &b,
             ParallelTarget &target, int64_t chunkLen)
      : b(b), target(target), x(m.lookup(op.getX())),
        dt(m.lookup(op.getDt())), A(m.lookup(op.getA())),
        B(m.lookup(op.getB())), C(m.lookup(op.getC())),
        D(m.lookupOrNull(op.getD())), z(m.lookupOrNull(op.getZ())),
        dtBias(m.lookupOrNull(op.getDtBias())),
        init(m.lookupOrNull(op.getInitialState())),
        softplus(op.getDtSoftplus()) {
    batch = shapeOf(x)[0];
    length = shapeOf(x)[1];
    heads = shapeOf(x)[2];
    headDim = shapeOf(x)[3];
    numStates = shapeOf(B)[3];
    groups = shapeOf(B)[2];
    chunk = std::min(chunkLen, length);
    numChunks = (length + chunk - 1) / chunk;
    dtw = scratch({batch, heads, length});
    cum = scratch({batch, heads, length});
    expCum = scratch({batch, heads, length});
    decayEnd = scratch({batch, heads, length});
    chunkDecay = scratch({batch, heads, numChunks});
    chunkStates = scratch({batch, numChunks, heads, numStates, headDim});
    states = scratch({batch, numChunks, heads, numStates, headDim});
    BT = scratch({batch, groups, numStates, length});
    cb = scratch({batch, groups, numChunks, chunk, chunk});
    K = scratch({batch, heads, numChunks, chunk, chunk});
  }

  /// The forward: y and the final state.
  void emitForward(Value y, Value finalState);
  /// The gradient op's results (the accumulated ones are zero-filled).
  struct Grads {
    Value dy, dFinal, dx, dz, ddt, dB, dC, dInit;
    Value dA, dD, dBias; // f32 accumulation targets, or null
  };
  void emitGrad(const Grads &g);

private:
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

  using WeightFn = std::function<Value(KernelBuilder &, Value, Value, Value)>;
  using PSideFn = std::function<Value(KernelBuilder &, ValueRange)>;
  /// out[b,c,h,n,p] = sum over the positions t of chunk c of
  /// weight(b,h,t) nSide[b,t,g,n] pSide(b,t,h,p): a chunk's outer products.
  void emitChunkOuterProducts(Value out, const WeightFn &weight, Value nSide,
                              const PSideFn &pSide);

  // Phases shared by the forward and the backward.
  void emitTimeSteps();
  void emitChunkStates();
  void emitStatePassing(Value finalState, Value statesT);
  void emitTransposedB();
  void emitChunkProducts();
  void emitDecayedProducts();
  /// The consecutive positions of one chunk that a point of the
  /// position-parallel phases owns: the values it shares between them
  /// (a row of states, a column of the intra-chunk products) are loaded
  /// once per tile instead of once per position.
  struct PositionTile {
    Value chunk, start, len;   // the chunk, its first position, its length
    SmallVector<Value> local;  // chunk-local index of each position
    SmallVector<Value> global; // sequence position
    SmallVector<Value> safe;   // the position, clamped inside the sequence
    SmallVector<Value> valid;  // whether the position is in the sequence
  };
  int64_t positionTileSize() const;
  /// A parallel phase over (batch, chunk, position tile, extra...): body
  /// gets the tile and the extra induction values.
  void forEachPositionTile(
      ArrayRef<int64_t> extra,
      function_ref<void(KernelBuilder &, Value, const PositionTile &,
                        ValueRange)>
          body);
  /// acc + term where cond holds, else acc (term may be garbage there).
  Value addWhere(KernelBuilder &kb, Value cond, Value acc, Value term) {
    return kb.select(cond, kb.add(acc, term), acc);
  }
  /// The ungated output of the scan at the tile's positions of (b, h, p):
  /// intra-chunk plus inter-chunk parts, without the D skip.
  SmallVector<Value> emitScanOutputs(KernelBuilder &kb, Value bi,
                                     const PositionTile &tile, Value h,
                                     Value p);

  ImplicitLocOpBuilder &b;
  ParallelTarget &target;
  Value x, dt, A, B, C, D, z, dtBias, init;
  bool softplus;
  int64_t batch, length, heads, headDim, numStates, groups, chunk, numChunks;

  // Scratch, all f32.
  Value dtw;        // [b,h,L] the effective time step
  Value cum;        // [b,h,L] chunk-local cumulative dt * A
  Value expCum;     // [b,h,L] exp(cum_t)
  Value decayEnd;   // [b,h,L] exp(cum_last - cum_t)
  Value chunkDecay; // [b,h,chunks] exp(cum_last)
  Value chunkStates; // [b,chunks,h,N,P] each chunk's own contribution
  Value states;      // [b,chunks,h,N,P] the state entering each chunk
  Value BT;         // [b,g,N,L] B transposed
  Value cb;         // [b,g,chunks,Q,Q] C_t . B_s, s <= t
  Value K;          // [b,h,chunks,Q,Q] (C_t . B_s) E[t,s], s <= t
};
} // namespace

void ChunkedSSD::emitTimeSteps() {
  target.parallelFor(
      b, {batch, heads, numChunks},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], h = iv[1];
        ChunkSpan cs = span(kb, iv[2]);
        Value rate = kb.load(A, {h});
        Value bias = dtBias ? kb.load(dtBias, {h}) : Value();
        Value last =
            kb.forRangeCarry(
                  kb.index(0), cs.len, {kb.f32(0.0)},
                  [&](Value tt, ValueRange carried) -> SmallVector<Value> {
                    Value t = add(cs.start, tt);
                    Value step = kb.load(dt, {bi, t, h});
                    if (bias)
                      step = kb.add(step, bias);
                    if (softplus)
                      step = kb.softplus(step);
                    Value sum = kb.add(carried[0], kb.mul(step, rate));
                    kb.store(step, dtw, {bi, h, t});
                    kb.store(sum, cum, {bi, h, t});
                    kb.store(kb.exp(sum), expCum, {bi, h, t});
                    return {sum};
                  })
                .front();
        kb.forRange(kb.index(0), cs.len, [&](Value tt) {
          Value t = add(cs.start, tt);
          kb.store(kb.exp(kb.sub(last, kb.load(cum, {bi, h, t}))), decayEnd,
                   {bi, h, t});
        });
        kb.store(kb.exp(last), chunkDecay, {bi, h, iv[2]});
      });
}

void ChunkedSSD::emitChunkOuterProducts(Value out, const WeightFn &weight,
                                        Value nSide, const PSideFn &pSide) {
  // Each point owns `tile` consecutive states: its weight and P-side value
  // are loaded once per position for `tile` products, not once per product
  // (the loads, not the FMAs, bound this phase on the GPU).
  int64_t tile = 1;
  for (int64_t candidate : {8, 4, 2})
    if (numStates % candidate == 0) {
      tile = candidate;
      break;
    }
  target.parallelFor(
      b, {batch, numChunks, heads, numStates / tile, headDim},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], c = iv[1], h = iv[2], p = iv[4];
        Value firstState = kb.mulIndex(iv[3], tile);
        Value g = groupOf(kb, h);
        ChunkSpan cs = span(kb, c);
        SmallVector<Value> zeros(tile, kb.f32(0.0));
        SmallVector<Value> sums = kb.forRangeCarry(
            kb.index(0), cs.len, zeros,
            [&](Value tt, ValueRange acc) -> SmallVector<Value> {
              Value t = add(cs.start, tt);
              Value scale =
                  kb.mul(weight(kb, bi, h, t), pSide(kb, {bi, t, h, p}));
              SmallVector<Value> next;
              for (int64_t j = 0; j < tile; ++j)
                next.push_back(kb.add(
                    acc[j],
                    kb.mul(scale, kb.load(nSide, {bi, t, g,
                                                  kb.addIndex(firstState, j)}))));
              return next;
            });
        for (int64_t j = 0; j < tile; ++j)
          kb.store(sums[j], out, {bi, c, h, kb.addIndex(firstState, j), p});
      });
}

void ChunkedSSD::emitChunkStates() {
  emitChunkOuterProducts(
      chunkStates,
      [&](KernelBuilder &kb, Value bi, Value h, Value t) {
        return kb.mul(kb.load(decayEnd, {bi, h, t}), kb.load(dtw, {bi, h, t}));
      },
      B, [&](KernelBuilder &kb, ValueRange idx) { return kb.load(x, idx); });
}

void ChunkedSSD::emitStatePassing(Value finalState, Value statesT) {
  target.parallelFor(
      b, {batch, heads, numStates, headDim},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], h = iv[1], n = iv[2], p = iv[3];
        Value start = init ? kb.load(init, {bi, h, p, n}) : kb.f32(0.0);
        Value last =
            kb.forRangeCarry(
                  kb.index(0), kb.index(numChunks), {start},
                  [&](Value c, ValueRange entering) -> SmallVector<Value> {
                    Value own = kb.load(chunkStates, {bi, c, h, n, p});
                    kb.store(entering[0], states, {bi, c, h, n, p});
                    if (statesT)
                      kb.store(entering[0], statesT, {bi, c, h, p, n});
                    return {kb.add(kb.mul(kb.load(chunkDecay, {bi, h, c}),
                                          entering[0]),
                                   own)};
                  })
                .front();
        if (finalState)
          kb.store(last, finalState, {bi, h, p, n});
      });
}

void ChunkedSSD::emitTransposedB() {
  target.parallelFor(b, {batch, groups, numStates, length},
                     [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
                       KernelBuilder kb(ib, target);
                       kb.store(kb.load(B, {iv[0], iv[3], iv[1], iv[2]}), BT,
                                iv);
                     });
}

void ChunkedSSD::emitChunkProducts() {
  target.parallelFor(
      b, {batch, groups, numChunks, chunk, chunk},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], g = iv[1], c = iv[2], t = iv[3], s = iv[4];
        ChunkSpan cs = span(kb, c);
        kb.ifThen(lowerTriangle(t, s, cs.len), [&] {
          Value tPos = add(cs.start, t), sPos = add(cs.start, s);
          Value dot = kb.sumOver(0, numStates, [&](Value n) {
            return kb.mul(kb.load(C, {bi, tPos, g, n}),
                          kb.load(BT, {bi, g, n, sPos}));
          });
          kb.store(dot, cb, iv);
        });
      });
}

void ChunkedSSD::emitDecayedProducts() {
  target.parallelFor(
      b, {batch, heads, numChunks, chunk, chunk},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], h = iv[1], c = iv[2], t = iv[3], s = iv[4];
        ChunkSpan cs = span(kb, c);
        kb.ifThen(lowerTriangle(t, s, cs.len), [&] {
          Value decay =
              kb.exp(kb.sub(kb.load(cum, {bi, h, add(cs.start, t)}),
                            kb.load(cum, {bi, h, add(cs.start, s)})));
          kb.store(kb.mul(kb.load(cb, {bi, groupOf(kb, h), c, t, s}), decay), K,
                   iv);
        });
      });
}

int64_t ChunkedSSD::positionTileSize() const {
  for (int64_t size : {8, 4, 2})
    if (chunk % size == 0)
      return size;
  return 1;
}

void ChunkedSSD::forEachPositionTile(
    ArrayRef<int64_t> extra,
    function_ref<void(KernelBuilder &, Value, const PositionTile &,
                      ValueRange)>
        body) {
  int64_t size = positionTileSize();
  SmallVector<int64_t> bounds = {batch, numChunks, chunk / size};
  bounds.append(extra.begin(), extra.end());
  target.parallelFor(
      b, bounds, [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        ChunkSpan cs = span(kb, iv[1]);
        PositionTile tile{iv[1], cs.start, cs.len, {}, {}, {}, {}};
        Value first = kb.mulIndex(iv[2], size);
        for (int64_t i = 0; i < size; ++i) {
          Value local = kb.addIndex(first, i);
          Value global = add(cs.start, local);
          tile.local.push_back(local);
          tile.global.push_back(global);
          tile.safe.push_back(kb.minIndex(global, length - 1));
          tile.valid.push_back(lt(local, cs.len));
        }
        body(kb, iv[0], tile, iv.drop_front(3));
      });
}

SmallVector<Value> ChunkedSSD::emitScanOutputs(KernelBuilder &kb, Value bi,
                                               const PositionTile &tile,
                                               Value h, Value p) {
  int64_t size = tile.local.size();
  Value c = tile.chunk;
  SmallVector<Value> zeros(size, kb.f32(0.0));
  // Intra-chunk: sum over s <= t of K[t,s] dt_s x_s, x_s loaded once for
  // the tile (K at s > t is never written: masked, not read as data).
  Value sEnd =
      arith::MinUIOp::create(b, kb.addIndex(tile.local.back(), 1), tile.len);
  SmallVector<Value> intra = kb.forRangeCarry(
      kb.index(0), sEnd, zeros,
      [&](Value ss, ValueRange acc) -> SmallVector<Value> {
        Value s = add(tile.start, ss);
        Value xs =
            kb.mul(kb.load(dtw, {bi, h, s}), kb.load(x, {bi, s, h, p}));
        SmallVector<Value> next;
        for (int64_t i = 0; i < size; ++i)
          next.push_back(addWhere(kb, le(ss, tile.local[i]), acc[i],
                                  kb.mul(kb.load(K, {bi, h, c, tile.local[i],
                                                     ss}),
                                         xs)));
        return next;
      });
  // Inter-chunk: C_t . h_c[:, p], the state column loaded once.
  Value g = groupOf(kb, h);
  SmallVector<Value> inter = kb.forRangeCarry(
      kb.index(0), kb.index(numStates), zeros,
      [&](Value n, ValueRange acc) -> SmallVector<Value> {
        Value state = kb.load(states, {bi, c, h, n, p});
        SmallVector<Value> next;
        for (int64_t i = 0; i < size; ++i)
          next.push_back(kb.add(
              acc[i], kb.mul(kb.load(C, {bi, tile.safe[i], g, n}), state)));
        return next;
      });
  SmallVector<Value> outs;
  for (int64_t i = 0; i < size; ++i)
    outs.push_back(kb.add(
        intra[i],
        kb.mul(kb.load(expCum, {bi, h, tile.safe[i]}), inter[i])));
  return outs;
}

void ChunkedSSD::emitForward(Value y, Value finalState) {
  emitTimeSteps();
  emitChunkStates();
  emitStatePassing(finalState, Value());
  emitTransposedB();
  emitChunkProducts();
  emitDecayedProducts();
  forEachPositionTile(
      {heads, headDim}, [&](KernelBuilder &kb, Value bi,
                            const PositionTile &tile, ValueRange iv) {
        Value h = iv[0], p = iv[1];
        SmallVector<Value> outs = emitScanOutputs(kb, bi, tile, h, p);
        for (auto [i, scan] : llvm::enumerate(outs))
          kb.ifThen(tile.valid[i], [&, i = i, scan = scan] {
            SmallVector<Value> idx = {bi, tile.global[i], h, p};
            Value out = scan;
            if (D)
              out = kb.add(out, kb.mul(kb.load(D, {h}), kb.load(x, idx)));
            if (z)
              out = kb.mul(out, kb.silu(kb.load(z, idx)));
            kb.store(out, y, idx);
          });
      });
}

void ChunkedSSD::emitGrad(const Grads &grads) {
  emitTimeSteps();
  emitChunkStates();
  Value statesT = scratch({batch, numChunks, heads, headDim, numStates});
  emitStatePassing(Value(), statesT);
  emitTransposedB();
  emitChunkProducts();
  emitDecayedProducts();

  // Gradients of the chunk-local cumulative decay and of the effective time
  // step through x dt, summed over the head's P (and N) points.
  KernelBuilder outer(b, target);
  Value dCum = scratch({batch, heads, length});
  Value dStep = scratch({batch, heads, length});
  outer.zeroFill(dCum);
  outer.zeroFill(dStep);

  // The gated output gradient dyg = dy silu(z) (dy itself without z); dz
  // needs the ungated output, recomputed here. Every output term depends on
  // cum_t through exp(cum_t) or E[t, s]: dcum_t += dyg_t . (y_t - D x_t).
  Value gated = z ? scratch({batch, length, heads, headDim}) : Value();
  PSideFn loadGated = [&](KernelBuilder &kb, ValueRange idx) {
    return kb.load(gated ? gated : grads.dy, idx);
  };
  forEachPositionTile(
      {heads, headDim}, [&](KernelBuilder &kb, Value bi,
                            const PositionTile &tile, ValueRange iv) {
        Value h = iv[0], p = iv[1];
        SmallVector<Value> outs = emitScanOutputs(kb, bi, tile, h, p);
        for (auto [i, scan] : llvm::enumerate(outs))
          kb.ifThen(tile.valid[i], [&, i = i, scan = scan] {
            Value t = tile.global[i];
            SmallVector<Value> idx = {bi, t, h, p};
            Value dyv = kb.load(grads.dy, idx);
            Value xv = kb.load(x, idx);
            if (z) {
              Value zv = kb.load(z, idx);
              Value out = D ? kb.add(scan, kb.mul(kb.load(D, {h}), xv)) : scan;
              kb.store(kb.mul(kb.mul(dyv, out), kb.siluGrad(zv)), grads.dz,
                       idx);
              dyv = kb.mul(dyv, kb.silu(zv));
              kb.store(dyv, gated, idx);
            }
            kb.accumulateOverInnermost(kb.mul(dyv, scan), dCum, {bi, h, t});
            if (grads.dD)
              kb.accumulateOverInnermost(kb.mul(dyv, xv), grads.dD, {h});
          });
      });

  // The state gradient each chunk's outputs send to the state entering it:
  // G_c = sum_t exp(cum_t) C_t dyg_t^T, stored as [N, P].
  Value dLocal = scratch({batch, numChunks, heads, numStates, headDim});
  Value dStates = scratch({batch, numChunks, heads, numStates, headDim});
  Value dStatesT = scratch({batch, numChunks, heads, headDim, numStates});
  emitChunkOuterProducts(
      dLocal,
      [&](KernelBuilder &kb, Value bi, Value h, Value t) {
        return kb.load(expCum, {bi, h, t});
      },
      C, loadGated);

  // Reverse state passing: dh_c = exp(cum_last) dh_c+1 + G_c, from the
  // final state's gradient, written for each chunk as the gradient of the
  // state leaving it (both layouts); its last position's cum gets
  // exp(cum_last) dh_out . h_in.
  target.parallelFor(
      b, {batch, heads, numStates, headDim},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], h = iv[1], n = iv[2], p = iv[3];
        Value start =
            grads.dFinal ? kb.load(grads.dFinal, {bi, h, p, n}) : kb.f32(0.0);
        Value first =
            kb.forRangeCarry(
                  kb.index(0), kb.index(numChunks), {start},
                  [&](Value i, ValueRange leaving) -> SmallVector<Value> {
                    Value c = kb.subIndex(numChunks - 1, i);
                    ChunkSpan cs = span(kb, c);
                    Value own = kb.load(dLocal, {bi, c, h, n, p});
                    kb.store(leaving[0], dStates, {bi, c, h, n, p});
                    kb.store(leaving[0], dStatesT, {bi, c, h, p, n});
                    Value decay = kb.load(chunkDecay, {bi, h, c});
                    kb.accumulateOverInnermost(
                        kb.mul(kb.mul(decay, leaving[0]),
                               kb.load(states, {bi, c, h, n, p})),
                        dCum, {bi, h, cs.last});
                    return {kb.add(kb.mul(decay, leaving[0]), own)};
                  })
                .front();
        if (grads.dInit)
          kb.store(first, grads.dInit, {bi, h, p, n});
      });

  // dx, and the x dt and cum parts of the time step's gradient, per
  // position s: dxb_s = sum_{t>=s} K[t,s] dyg_t + exp(cum_last - cum_s)
  // B_s . dh_out is the gradient of xb_s = dt_s x_s.
  forEachPositionTile(
      {heads, headDim}, [&](KernelBuilder &kb, Value bi,
                            const PositionTile &tile, ValueRange iv) {
        Value h = iv[0], p = iv[1];
        Value g = groupOf(kb, h);
        Value c = tile.chunk;
        int64_t size = tile.local.size();
        SmallVector<Value> zeros(size, kb.f32(0.0));
        // Intra-chunk: sum over t >= s of K[t,s] dyg_t, dyg_t loaded once.
        SmallVector<Value> intra = kb.forRangeCarry(
            tile.local.front(), tile.len, zeros,
            [&](Value tt, ValueRange acc) -> SmallVector<Value> {
              Value gradOut = loadGated(kb, {bi, add(tile.start, tt), h, p});
              SmallVector<Value> next;
              for (int64_t i = 0; i < size; ++i)
                next.push_back(addWhere(
                    kb, le(tile.local[i], tt), acc[i],
                    kb.mul(kb.load(K, {bi, h, c, tt, tile.local[i]}),
                           gradOut)));
              return next;
            });
        // Inter-chunk: B_s . dh_out[:, p], the gradient column loaded once.
        SmallVector<Value> interDot = kb.forRangeCarry(
            kb.index(0), kb.index(numStates), zeros,
            [&](Value n, ValueRange acc) -> SmallVector<Value> {
              Value leaving = kb.load(dStates, {bi, c, h, n, p});
              SmallVector<Value> next;
              for (int64_t i = 0; i < size; ++i)
                next.push_back(kb.add(
                    acc[i],
                    kb.mul(kb.load(B, {bi, tile.safe[i], g, n}), leaving)));
              return next;
            });
        Value last = kb.addIndex(add(tile.start, tile.len), -1);
        for (int64_t i = 0; i < size; ++i)
          kb.ifThen(tile.valid[i], [&, i] {
            Value s = tile.global[i];
            SmallVector<Value> idx = {bi, s, h, p};
            Value inter = kb.mul(kb.load(decayEnd, {bi, h, s}), interDot[i]);
            Value dxb = kb.add(intra[i], inter);
            Value step = kb.load(dtw, {bi, h, s});
            Value xv = kb.load(x, idx);
            Value dxv = kb.mul(dxb, step);
            if (D)
              dxv = kb.add(dxv, kb.mul(kb.load(D, {h}), loadGated(kb, idx)));
            kb.store(dxv, grads.dx, idx);
            kb.accumulateOverInnermost(kb.mul(xv, dxb), dStep, {bi, h, s});
            Value xb = kb.mul(step, xv);
            kb.accumulateOverInnermost(
                arith::NegFOp::create(b, kb.mul(xb, dxb)), dCum, {bi, h, s});
            kb.accumulateOverInnermost(kb.mul(xb, inter), dCum, {bi, h, last});
          });
      });

  // W[t,s] = E[t,s] dyg_t . xb_s, the weight of C_t B_s in the loss: dC_t
  // sums B_s W[t,s] over s <= t, dB_s sums C_t W[t,s] over t >= s.
  Value xT = scratch({batch, heads, headDim, length});
  target.parallelFor(b, {batch, heads, headDim, length},
                     [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
                       KernelBuilder kb(ib, target);
                       kb.store(kb.load(x, {iv[0], iv[3], iv[1], iv[2]}), xT,
                                iv);
                     });
  Value W = scratch({batch, heads, numChunks, chunk, chunk});
  target.parallelFor(
      b, {batch, heads, numChunks, chunk, chunk},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], h = iv[1], c = iv[2], t = iv[3], s = iv[4];
        ChunkSpan cs = span(kb, c);
        kb.ifThen(lowerTriangle(t, s, cs.len), [&] {
          Value tPos = add(cs.start, t), sPos = add(cs.start, s);
          Value dot = kb.sumOver(0, headDim, [&](Value p) {
            return kb.mul(loadGated(kb, {bi, tPos, h, p}),
                          kb.load(xT, {bi, h, p, sPos}));
          });
          Value decay = kb.exp(kb.sub(kb.load(cum, {bi, h, tPos}),
                                      kb.load(cum, {bi, h, sPos})));
          kb.store(kb.mul(kb.mul(decay, kb.load(dtw, {bi, h, sPos})), dot), W,
                   iv);
        });
      });

  // dB and dC per (b, t, g, n), summed over the group's heads; the
  // inter-chunk parts read the entering states and the leaving states'
  // gradients as [P, N].
  int64_t headsPerGroup = heads / groups;
  forEachPositionTile(
      {groups, numStates}, [&](KernelBuilder &kb, Value bi,
                               const PositionTile &tile, ValueRange iv) {
        Value g = iv[0], n = iv[1], c = tile.chunk;
        int64_t size = tile.local.size();
        SmallVector<Value> zeros(size, kb.f32(0.0));
        Value firstHead = kb.mulIndex(g, headsPerGroup);
        Value sEnd = arith::MinUIOp::create(
            b, kb.addIndex(tile.local.back(), 1), tile.len);
        // Carried over the group's heads: dC of each position, then dB.
        SmallVector<Value> initial(2 * size, kb.f32(0.0));
        SmallVector<Value> sums = kb.forRangeCarry(
            kb.index(0), kb.index(headsPerGroup), initial,
            [&](Value hi, ValueRange acc) -> SmallVector<Value> {
              Value h = add(firstHead, hi);
              // Each loop loads the value its positions share once.
              SmallVector<Value> dCIntra = kb.forRangeCarry(
                  kb.index(0), sEnd, zeros,
                  [&](Value ss, ValueRange part) -> SmallVector<Value> {
                    Value bv = kb.load(B, {bi, add(tile.start, ss), g, n});
                    SmallVector<Value> next;
                    for (int64_t i = 0; i < size; ++i)
                      next.push_back(addWhere(
                          kb, le(ss, tile.local[i]), part[i],
                          kb.mul(bv,
                                 kb.load(W, {bi, h, c, tile.local[i], ss}))));
                    return next;
                  });
              SmallVector<Value> dCInter = kb.forRangeCarry(
                  kb.index(0), kb.index(headDim), zeros,
                  [&](Value p, ValueRange part) -> SmallVector<Value> {
                    Value entering = kb.load(statesT, {bi, c, h, p, n});
                    SmallVector<Value> next;
                    for (int64_t i = 0; i < size; ++i)
                      next.push_back(kb.add(
                          part[i],
                          kb.mul(loadGated(kb, {bi, tile.safe[i], h, p}),
                                 entering)));
                    return next;
                  });
              SmallVector<Value> dBIntra = kb.forRangeCarry(
                  tile.local.front(), tile.len, zeros,
                  [&](Value t2, ValueRange part) -> SmallVector<Value> {
                    Value cv = kb.load(C, {bi, add(tile.start, t2), g, n});
                    SmallVector<Value> next;
                    for (int64_t i = 0; i < size; ++i)
                      next.push_back(addWhere(
                          kb, le(tile.local[i], t2), part[i],
                          kb.mul(cv,
                                 kb.load(W, {bi, h, c, t2, tile.local[i]}))));
                    return next;
                  });
              SmallVector<Value> dBInter = kb.forRangeCarry(
                  kb.index(0), kb.index(headDim), zeros,
                  [&](Value p, ValueRange part) -> SmallVector<Value> {
                    Value leaving = kb.load(dStatesT, {bi, c, h, p, n});
                    SmallVector<Value> next;
                    for (int64_t i = 0; i < size; ++i)
                      next.push_back(kb.add(
                          part[i],
                          kb.mul(kb.load(x, {bi, tile.safe[i], h, p}),
                                 leaving)));
                    return next;
                  });
              SmallVector<Value> next;
              for (int64_t i = 0; i < size; ++i) {
                Value t = tile.safe[i];
                next.push_back(kb.add(
                    acc[i],
                    kb.add(dCIntra[i], kb.mul(kb.load(expCum, {bi, h, t}),
                                              dCInter[i]))));
              }
              for (int64_t i = 0; i < size; ++i) {
                Value t = tile.safe[i];
                Value weight = kb.mul(kb.load(decayEnd, {bi, h, t}),
                                      kb.load(dtw, {bi, h, t}));
                next.push_back(
                    kb.add(acc[size + i],
                           kb.add(dBIntra[i], kb.mul(weight, dBInter[i]))));
              }
              return next;
            });
        for (int64_t i = 0; i < size; ++i)
          kb.ifThen(tile.valid[i], [&, i] {
            kb.store(sums[i], grads.dC, {bi, tile.global[i], g, n});
            kb.store(sums[size + i], grads.dB, {bi, tile.global[i], g, n});
          });
      });

  // The time step's gradient: the decay part da_i = sum_{t>=i} dcum_t (in
  // the chunk) times A, plus the x dt part; then through softplus and the
  // bias. dA sums da_i dt_i.
  target.parallelFor(
      b, {batch, heads, numChunks},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], h = iv[1];
        ChunkSpan cs = span(kb, iv[2]);
        Value rate = kb.load(A, {h});
        Value bias = dtBias ? kb.load(dtBias, {h}) : Value();
        SmallVector<Value> sums = kb.forRangeCarry(
            kb.index(0), cs.len, {kb.f32(0.0), kb.f32(0.0), kb.f32(0.0)},
            [&](Value i, ValueRange acc) -> SmallVector<Value> {
              Value t = sub(cs.last, i);
              Value decayGrad = kb.add(acc[0], kb.load(dCum, {bi, h, t}));
              Value step = kb.load(dtw, {bi, h, t});
              Value stepGrad = kb.add(kb.load(dStep, {bi, h, t}),
                                      kb.mul(decayGrad, rate));
              if (softplus) {
                Value raw = kb.load(dt, {bi, t, h});
                if (bias)
                  raw = kb.add(raw, bias);
                stepGrad = kb.mul(stepGrad, kb.sigmoid(raw));
              }
              kb.store(stepGrad, grads.ddt, {bi, t, h});
              return {decayGrad, kb.add(acc[1], kb.mul(decayGrad, step)),
                      kb.add(acc[2], stepGrad)};
            });
        kb.accumulate(sums[1], grads.dA, {h});
        if (grads.dBias)
          kb.accumulate(sums[2], grads.dBias, {h});
      });
}

void mlir::ssm::emitSSDScanChunked(SSDScanOp op, const IRMapping &m,
                                   ImplicitLocOpBuilder &b,
                                   ParallelTarget &target,
                                   const KernelOptions &options) {
  ChunkedSSD ssd(op, m, b, target, options.chunkLen);
  ssd.emitForward(m.lookup(op.getY()), m.lookup(op.getFinalState()));
}

void mlir::ssm::emitSSDScanGradChunked(SSDScanGradOp op, const IRMapping &m,
                                       ImplicitLocOpBuilder &b,
                                       ParallelTarget &target,
                                       const KernelOptions &options) {
  KernelBuilder outer(b, target);
  Accumulator dA = makeAccumulator(outer, m.lookup(op.getDA()));
  Accumulator dD = makeAccumulator(outer, m.lookupOrNull(op.getDD()));
  Accumulator dBias = makeAccumulator(outer, m.lookupOrNull(op.getDdtBias()));
  ChunkedSSD ssd(op, m, b, target, options.chunkLen);
  ChunkedSSD::Grads grads;
  grads.dy = m.lookup(op.getDy());
  grads.dFinal = m.lookupOrNull(op.getDFinalState());
  grads.dx = m.lookup(op.getDx());
  grads.dz = m.lookupOrNull(op.getDz());
  grads.ddt = m.lookup(op.getDdt());
  grads.dB = m.lookup(op.getDB());
  grads.dC = m.lookup(op.getDC());
  grads.dInit = m.lookupOrNull(op.getDInitialState());
  grads.dA = dA.target();
  grads.dD = dD.result ? dD.target() : Value();
  grads.dBias = dBias.result ? dBias.target() : Value();
  ssd.emitGrad(grads);
  for (const Accumulator &acc : {dA, dD, dBias})
    finishAccumulator(outer, acc);
}
