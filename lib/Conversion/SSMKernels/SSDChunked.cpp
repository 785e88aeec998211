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
  /// The ungated output of the scan at (b, t, h, p): intra-chunk plus
  /// inter-chunk parts, without the D skip.
  Value emitScanOutput(KernelBuilder &kb, Value bi, Value t, Value h, Value p);

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

Value ChunkedSSD::emitScanOutput(KernelBuilder &kb, Value bi, Value t, Value h,
                                 Value p) {
  Value c = kb.divIndex(t, chunk);
  Value start = kb.mulIndex(c, chunk);
  Value tt = sub(t, start);
  Value intra = kb.sumOver(kb.index(0), kb.addIndex(tt, 1), [&](Value ss) {
    Value s = add(start, ss);
    return kb.mul(kb.mul(kb.load(K, {bi, h, c, tt, ss}),
                         kb.load(dtw, {bi, h, s})),
                  kb.load(x, {bi, s, h, p}));
  });
  Value g = groupOf(kb, h);
  Value inter = kb.sumOver(0, numStates, [&](Value n) {
    return kb.mul(kb.load(C, {bi, t, g, n}),
                  kb.load(states, {bi, c, h, n, p}));
  });
  return kb.add(intra, kb.mul(kb.load(expCum, {bi, h, t}), inter));
}

void ChunkedSSD::emitForward(Value y, Value finalState) {
  emitTimeSteps();
  emitChunkStates();
  emitStatePassing(finalState, Value());
  emitTransposedB();
  emitChunkProducts();
  emitDecayedProducts();
  target.parallelFor(
      b, {batch, length, heads, headDim},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], t = iv[1], h = iv[2], p = iv[3];
        Value out = emitScanOutput(kb, bi, t, h, p);
        if (D)
          out = kb.add(out, kb.mul(kb.load(D, {h}), kb.load(x, iv)));
        if (z)
          out = kb.mul(out, kb.silu(kb.load(z, iv)));
        kb.store(out, y, iv);
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
  target.parallelFor(
      b, {batch, length, heads, headDim},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], t = iv[1], h = iv[2], p = iv[3];
        Value scan = emitScanOutput(kb, bi, t, h, p);
        Value dyv = kb.load(grads.dy, iv);
        Value xv = kb.load(x, iv);
        if (z) {
          Value zv = kb.load(z, iv);
          Value out = D ? kb.add(scan, kb.mul(kb.load(D, {h}), xv)) : scan;
          kb.store(kb.mul(kb.mul(dyv, out), kb.siluGrad(zv)), grads.dz, iv);
          dyv = kb.mul(dyv, kb.silu(zv));
          kb.store(dyv, gated, iv);
        }
        kb.accumulateOverInnermost(kb.mul(dyv, scan), dCum, {bi, h, t});
        if (grads.dD)
          kb.accumulateOverInnermost(kb.mul(dyv, xv), grads.dD, {h});
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
  target.parallelFor(
      b, {batch, length, heads, headDim},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], s = iv[1], h = iv[2], p = iv[3];
        Value g = groupOf(kb, h);
        Value c = kb.divIndex(s, chunk);
        ChunkSpan cs = span(kb, c);
        Value ss = sub(s, cs.start);
        Value intra = kb.sumOver(ss, cs.len, [&](Value tt) {
          return kb.mul(kb.load(K, {bi, h, c, tt, ss}),
                        loadGated(kb, {bi, add(cs.start, tt), h, p}));
        });
        Value inter = kb.mul(
            kb.load(decayEnd, {bi, h, s}),
            kb.sumOver(0, numStates, [&](Value n) {
              return kb.mul(kb.load(B, {bi, s, g, n}),
                            kb.load(dStates, {bi, c, h, n, p}));
            }));
        Value dxb = kb.add(intra, inter);
        Value step = kb.load(dtw, {bi, h, s});
        Value xv = kb.load(x, iv);
        Value dxv = kb.mul(dxb, step);
        if (D)
          dxv = kb.add(dxv, kb.mul(kb.load(D, {h}), loadGated(kb, iv)));
        kb.store(dxv, grads.dx, iv);
        kb.accumulateOverInnermost(kb.mul(xv, dxb), dStep, {bi, h, s});
        Value xb = kb.mul(step, xv);
        kb.accumulateOverInnermost(arith::NegFOp::create(ib, kb.mul(xb, dxb)),
                                   dCum, {bi, h, s});
        kb.accumulateOverInnermost(kb.mul(xb, inter), dCum, {bi, h, cs.last});
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
  target.parallelFor(
      b, {batch, length, groups, numStates},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], t = iv[1], g = iv[2], n = iv[3];
        Value c = kb.divIndex(t, chunk);
        ChunkSpan cs = span(kb, c);
        Value tt = sub(t, cs.start);
        Value firstHead = kb.mulIndex(g, headsPerGroup);
        SmallVector<Value> sums = kb.forRangeCarry(
            kb.index(0), kb.index(headsPerGroup), {kb.f32(0.0), kb.f32(0.0)},
            [&](Value i, ValueRange acc) -> SmallVector<Value> {
              Value h = add(firstHead, i);
              Value dCIntra =
                  kb.sumOver(kb.index(0), kb.addIndex(tt, 1), [&](Value ss) {
                    return kb.mul(kb.load(B, {bi, add(cs.start, ss), g, n}),
                                  kb.load(W, {bi, h, c, tt, ss}));
                  });
              Value dCInter = kb.sumOver(0, headDim, [&](Value p) {
                return kb.mul(loadGated(kb, {bi, t, h, p}),
                              kb.load(statesT, {bi, c, h, p, n}));
              });
              Value dBIntra = kb.sumOver(tt, cs.len, [&](Value t2) {
                return kb.mul(kb.load(C, {bi, add(cs.start, t2), g, n}),
                              kb.load(W, {bi, h, c, t2, tt}));
              });
              Value dBInter = kb.sumOver(0, headDim, [&](Value p) {
                return kb.mul(kb.load(x, {bi, t, h, p}),
                              kb.load(dStatesT, {bi, c, h, p, n}));
              });
              Value dCv = kb.add(
                  dCIntra, kb.mul(kb.load(expCum, {bi, h, t}), dCInter));
              Value dBv =
                  kb.add(dBIntra, kb.mul(kb.mul(kb.load(decayEnd, {bi, h, t}),
                                                kb.load(dtw, {bi, h, t})),
                                         dBInter));
              return {kb.add(acc[0], dCv), kb.add(acc[1], dBv)};
            });
        kb.store(sums[0], grads.dC, {bi, t, g, n});
        kb.store(sums[1], grads.dB, {bi, t, g, n});
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
