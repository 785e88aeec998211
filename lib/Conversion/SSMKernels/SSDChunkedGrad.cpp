//===- SSDChunkedGrad.cpp - chunked SSD scan: backward ----------*- C++ -*-===//
//
// The backward of the chunked SSD scan (see SSDChunked.h). With dyg the
// gated output gradient, xb_s = dt_s x_s and h_c the state entering chunk c:
//
//   dh_out(c-1) = exp(cum_last) dh_out(c) + sum_t exp(cum_t) C_t dyg_t^T
//   dxb_s  = sum_{t>=s} K[t,s] dyg_t + exp(cum_last - cum_s) dh_out B_s
//   dC_t   = sum_{s<=t} B_s W[t,s] + exp(cum_t) h_c dyg_t
//   dB_s   = sum_{t>=s} C_t W[t,s] + exp(cum_last - cum_s) dh_out^T xb_s
//   with W[t,s] = E[t,s] dyg_t . xb_s,
//
// and the gradient of each position's cumulative decay, whose reverse
// cumulative sum in the chunk times A is the decay part of ddt:
//
//   dcum_t    += dyg_t . (y_t - D x_t) - xb_t . dxb_t
//   dcum_last += exp(cum_last) dh_out . h_c + sum_s xb_s . dxb_inter_s
//
// Every term is a dot product over P that a phase forms anyway; the sums
// over P go through accumulateOverInnermost (a warp shuffle tree on the
// GPU).
//
//===----------------------------------------------------------------------===//

#include "SSDChunked.h"

using namespace mlir;
using namespace mlir::ssm;

void ChunkedSSD::emitGrad(const Grads &grads) {
  emitTimeSteps();
  emitTransposes();
  emitChunkStates();
  Value statesT = scratch({batch, numChunks, heads, headDim, numStates});
  emitPassing(chunkStates, states, statesT, init, Value(), /*reverse=*/false,
              ChunkHook());
  emitChunkProducts();
  emitDecayedProducts();

  // Gradients of the chunk-local cumulative decay and of the effective time
  // step through x dt, summed over the head's P (and N) points. Ordered
  // (deterministic), each addition goes into a copy no concurrent warp
  // shares: per position, a copy per warp of head-dim points (dCum,
  // dStep); the terms every position of a chunk sends to the chunk's last
  // position are summed per chunk apart, a copy per (position tile, warp)
  // (toLast) or per (state tile, warp) of the reverse passing (passed), and
  // added where the time step's gradient starts the chunk.
  KernelBuilder outer(b, target);
  int64_t pWidth = target.innermostSumWidth(headDim);
  int64_t pWarps = headDim / pWidth;
  int64_t tileSize = tileFor(chunk);
  int64_t stateTile = tileFor(numStates);
  Accumulator dCum =
      makeAccumulator(outer, scratch({batch, heads, padded}), pWarps);
  Accumulator dStep =
      makeAccumulator(outer, scratch({batch, heads, padded}), pWarps);
  Accumulator toLast = makeAccumulator(
      outer, scratch({batch, heads, numChunks}), (chunk / tileSize) * pWarps);
  Accumulator passed =
      makeAccumulator(outer, scratch({batch, heads, numChunks}),
                      (numStates / stateTile) * pWarps);
  // The slot of a point's warp of head-dim points, and of its position
  // tile's warp.
  auto pSlot = [&](KernelBuilder &kb, Value p) {
    return kb.divIndex(p, pWidth);
  };
  auto tileSlot = [&](KernelBuilder &kb, const PositionTile &tile, Value p) {
    return add(kb.mulIndex(kb.divIndex(tile.first, tileSize), pWarps),
               pSlot(kb, p));
  };

  // The gated output gradient dyg = dy silu(z) (dy itself without z), also
  // stored transposed (zero past the sequence) for the phases whose points
  // run along positions; dz needs the ungated output, recomputed here.
  Value gated = z ? scratch({batch, length, heads, headDim}) : Value();
  Value gatedT = scratch({batch, heads, headDim, padded});
  PSideFn loadGated = [&](KernelBuilder &kb, ValueRange idx) {
    return kb.load(gated ? gated : grads.dy, idx);
  };
  forEachPositionTile({heads, headDim}, [&](KernelBuilder &kb, Value bi,
                                            const PositionTile &tile,
                                            ValueRange iv) {
    Value h = iv[0], p = iv[1];
    SmallVector<Value> outs = emitScanOutputs(kb, bi, tile, h, p);
    SmallVector<Value> gatedRow;
    for (int64_t i = 0; i < tile.size(); ++i) {
      SmallVector<Value> idx = {bi, tile.safe[i], h, p};
      Value dyv = kb.load(grads.dy, idx);
      if (z)
        dyv = kb.mul(dyv, kb.silu(kb.load(z, idx)));
      gatedRow.push_back(kb.select(tile.valid[i], dyv, kb.f32(0.0)));
    }
    kb.storeRow(gatedRow, gatedT, {bi, h, p, tile.firstGlobal});
    for (int64_t i = 0; i < tile.size(); ++i)
      kb.ifThen(tile.valid[i], [&, i] {
        Value t = tile.global[i];
        SmallVector<Value> idx = {bi, t, h, p};
        Value xv = kb.load(x, idx);
        if (z) {
          Value out =
              D ? kb.add(outs[i], kb.mul(kb.load(D, {h}), xv)) : outs[i];
          kb.store(kb.mul(kb.mul(kb.load(grads.dy, idx), out),
                          kb.siluGrad(kb.load(z, idx))),
                   grads.dz, idx);
          kb.store(gatedRow[i], gated, idx);
        }
        // Every output term depends on cum_t through exp(cum_t) or
        // E[t, s]: dcum_t += dyg_t . (y_t - D x_t).
        kb.accumulateOverInnermost(dCum, kb.mul(gatedRow[i], outs[i]),
                                   {bi, h, t}, pSlot(kb, p));
        if (grads.dD->result)
          kb.accumulateOverInnermost(
              *grads.dD, kb.mul(gatedRow[i], xv), {h},
              add(kb.mulIndex(add(kb.mulIndex(bi, numChunks), tile.chunk),
                              (chunk / tileSize) * pWarps),
                  tileSlot(kb, tile, p)));
      });
  });

  // The state gradient each chunk's outputs send to the state entering it:
  // G_c = sum_t exp(cum_t) C_t dyg_t^T, stored as [N, P].
  Value dLocal = scratch({batch, numChunks, heads, numStates, headDim});
  emitChunkOuterProducts(
      dLocal,
      [&](KernelBuilder &kb, Value bi, Value h, Value t) {
        return kb.load(expCum, {bi, h, t});
      },
      C, loadGated);

  // Reverse state passing from the final state's gradient: dStates[c] is
  // the gradient of the state leaving chunk c (both layouts); the chunk's
  // last position gets exp(cum_last) dh_out . h_c.
  Value dStates = scratch({batch, numChunks, heads, numStates, headDim});
  Value dStatesT = scratch({batch, numChunks, heads, headDim, numStates});
  emitPassing(
      dLocal, dStates, dStatesT, grads.dFinal, grads.dInit,
      /*reverse=*/true,
      [&](KernelBuilder &kb, Value bi, Value h, Value c, Value n0, Value p,
          ArrayRef<Value> leaving) {
        Value dot = kb.f32(0.0);
        for (auto [j, value] : llvm::enumerate(leaving))
          dot = kb.add(
              dot, kb.mul(value,
                          kb.load(states, {bi, c, h, kb.addIndex(n0, j), p})));
        Value decay = kb.load(chunkDecay, {bi, h, c});
        kb.accumulateOverInnermost(
            passed, kb.mul(decay, dot), {bi, h, c},
            add(kb.mulIndex(kb.divIndex(n0, stateTile), pWarps), pSlot(kb, p)));
      });

  // dx and the x dt and cum parts of the time step's gradient, per
  // position s: dxb_s = intra (sum over t >= s of K[t,s] dyg_t, rows of K)
  // + inter (exp(cum_last - cum_s) B_s . dh_out[:, p], rows of B^T).
  forEachPositionTile({heads, headDim}, [&](KernelBuilder &kb, Value bi,
                                            const PositionTile &tile,
                                            ValueRange iv) {
    Value h = iv[0], p = iv[1];
    Value g = groupOf(kb, h);
    Value c = tile.chunk;
    int64_t size = tile.size();
    SmallVector<Value> intra = rowSums(
        kb, tile.first, tile.len, size,
        [&](Value tt) {
          return loadGated(kb, {bi, add(tile.start, tt), h, p});
        },
        [&](Value tt) {
          return kb.loadRow(K, {bi, h, c, tt, tile.first}, size);
        });
    SmallVector<Value> interDot = rowSums(
        kb, kb.index(0), kb.index(numStates), size,
        [&](Value n) {
          return kb.load(dStates, {bi, c, h, n, p});
        },
        [&](Value n) {
          return kb.loadRow(BT, {bi, g, n, tile.firstGlobal}, size);
        });
    SmallVector<Value> toEnd =
        kb.loadRow(decayEnd, {bi, h, tile.firstGlobal}, size);
    SmallVector<Value> steps = kb.loadRow(dtw, {bi, h, tile.firstGlobal}, size);
    Value last = kb.addIndex(add(tile.start, tile.len), -1);
    for (int64_t i = 0; i < size; ++i)
      kb.ifThen(tile.valid[i], [&, i] {
        Value s = tile.global[i];
        SmallVector<Value> idx = {bi, s, h, p};
        Value inter = kb.mul(toEnd[i], interDot[i]);
        Value dxb = kb.add(intra[i], inter);
        Value xv = kb.load(x, idx);
        Value dxv = kb.mul(dxb, steps[i]);
        if (D)
          dxv = kb.add(dxv, kb.mul(kb.load(D, {h}), loadGated(kb, idx)));
        kb.store(dxv, grads.dx, idx);
        kb.accumulateOverInnermost(dStep, kb.mul(xv, dxb), {bi, h, s},
                                   pSlot(kb, p));
        Value xb = kb.mul(steps[i], xv);
        kb.accumulateOverInnermost(dCum,
                                   arith::NegFOp::create(b, kb.mul(xb, dxb)),
                                   {bi, h, s}, pSlot(kb, p));
        kb.accumulateOverInnermost(toLast, kb.mul(xb, inter), {bi, h, c},
                                   tileSlot(kb, tile, p));
      });
  });

  // W[t,s] = E[t,s] dyg_t . xb_s (zero outside the triangle), the weight of
  // C_t . B_s in the loss, in both orientations: a point per (s, tile of t)
  // reads x^T along s and rows of dyg^T along t.
  Value xT = scratch({batch, heads, headDim, padded});
  target.parallelFor(
      b, {batch, heads, headDim, length},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        kb.store(kb.load(x, {iv[0], iv[3], iv[1], iv[2]}), xT, iv);
      });
  Value W = scratch({batch, heads, numChunks, chunk, chunk});
  Value WT = scratch({batch, heads, numChunks, chunk, chunk});
  int64_t size = tileFor(chunk);
  target.parallelFor(
      b, {batch, heads, numChunks, chunk / size, chunk},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], h = iv[1], c = iv[2], s = iv[4];
        ChunkSpan cs = span(kb, c);
        Value tFirst = kb.mulIndex(iv[3], size);
        Value sPos = add(cs.start, s), tPos = add(cs.start, tFirst);
        SmallVector<Value> dots = rowSums(
            kb, kb.index(0), kb.index(headDim), size,
            [&](Value p) {
              return kb.load(xT, {bi, h, p, sPos});
            },
            [&](Value p) {
              return kb.loadRow(gatedT, {bi, h, p, tPos}, size);
            });
        Value weightS = kb.load(dtw, {bi, h, sPos});
        Value cumS = kb.load(cum, {bi, h, sPos});
        SmallVector<Value> cumT = kb.loadRow(cum, {bi, h, tPos}, size);
        SmallVector<Value> row;
        for (int64_t i = 0; i < size; ++i) {
          Value t = kb.addIndex(tFirst, i);
          Value value =
              kb.mul(kb.mul(kb.exp(kb.sub(cumT[i], cumS)), weightS), dots[i]);
          value = kb.select(lowerTriangle(t, s, cs.len), value, kb.f32(0.0));
          kb.store(value, W, {bi, h, c, t, s});
          row.push_back(value);
        }
        kb.storeRow(row, WT, {bi, h, c, s, tFirst});
      });

  // dB and dC per (b, t, g, n), summed over the group's heads: a point per
  // (tile of positions, head, n) loads B_s or C_t along n once and the
  // tile's weights as rows of W^T, W, dyg^T and x^T; the heads of a group
  // add into one element (a loop over the heads inside each point left too
  // few, too long threads: 4.3 ms at B8 on the H100).
  // Ordered, a copy per head of the group.
  bool sharedByHeads = heads != groups;
  int64_t headsPerGroup = heads / groups;
  Accumulator dBAcc{grads.dB, Value()}, dCAcc{grads.dC, Value()};
  if (sharedByHeads) {
    dBAcc = makeAccumulator(outer, grads.dB, headsPerGroup);
    dCAcc = makeAccumulator(outer, grads.dC, headsPerGroup);
  }
  forEachPositionTile({heads, numStates}, [&](KernelBuilder &kb, Value bi,
                                              const PositionTile &tile,
                                              ValueRange iv) {
    Value h = iv[0], n = iv[1], c = tile.chunk;
    Value g = groupOf(kb, h);
    int64_t size = tile.size();
    Value sEnd =
        arith::MinUIOp::create(b, kb.addIndex(tile.local.back(), 1), tile.len);
    SmallVector<Value> sums;
    SmallVector<Value> dCIntra = rowSums(
        kb, kb.index(0), sEnd, size,
        [&](Value ss) {
          return kb.load(B, {bi, add(tile.start, ss), g, n});
        },
        [&](Value ss) {
          return kb.loadRow(WT, {bi, h, c, ss, tile.first}, size);
        });
    SmallVector<Value> dCInter = rowSums(
        kb, kb.index(0), kb.index(headDim), size,
        [&](Value p) {
          return kb.load(statesT, {bi, c, h, p, n});
        },
        [&](Value p) {
          return kb.loadRow(gatedT, {bi, h, p, tile.firstGlobal}, size);
        });
    SmallVector<Value> dBIntra = rowSums(
        kb, tile.first, tile.len, size,
        [&](Value t2) {
          return kb.load(C, {bi, add(tile.start, t2), g, n});
        },
        [&](Value t2) {
          return kb.loadRow(W, {bi, h, c, t2, tile.first}, size);
        });
    SmallVector<Value> dBInter = rowSums(
        kb, kb.index(0), kb.index(headDim), size,
        [&](Value p) {
          return kb.load(dStatesT, {bi, c, h, p, n});
        },
        [&](Value p) {
          return kb.loadRow(xT, {bi, h, p, tile.firstGlobal}, size);
        });
    SmallVector<Value> fromStart =
        kb.loadRow(expCum, {bi, h, tile.firstGlobal}, size);
    SmallVector<Value> toEnd =
        kb.loadRow(decayEnd, {bi, h, tile.firstGlobal}, size);
    SmallVector<Value> steps = kb.loadRow(dtw, {bi, h, tile.firstGlobal}, size);
    for (int64_t i = 0; i < size; ++i)
      sums.push_back(kb.add(dCIntra[i], kb.mul(fromStart[i], dCInter[i])));
    for (int64_t i = 0; i < size; ++i)
      sums.push_back(
          kb.add(dBIntra[i], kb.mul(kb.mul(toEnd[i], steps[i]), dBInter[i])));
    for (int64_t i = 0; i < size; ++i)
      kb.ifThen(tile.valid[i], [&, i] {
        SmallVector<Value> at = {bi, tile.global[i], g, n};
        if (sharedByHeads) {
          Value slot = sub(h, kb.mulIndex(g, headsPerGroup));
          kb.accumulate(dCAcc, sums[i], at, slot);
          kb.accumulate(dBAcc, sums[size + i], at, slot);
        } else {
          kb.store(sums[i], grads.dC, at);
          kb.store(sums[size + i], grads.dB, at);
        }
      });
  });
  if (sharedByHeads) {
    finishAccumulator(outer, dCAcc);
    finishAccumulator(outer, dBAcc);
  }

  for (const Accumulator *acc : {&dCum, &dStep, &toLast, &passed})
    finishAccumulator(outer, *acc);

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
        // What every position sends to the chunk's last one starts the
        // reverse sum.
        Value c = iv[2];
        Value lastTerms = kb.add(kb.load(toLast.result, {bi, h, c}),
                                 kb.load(passed.result, {bi, h, c}));
        SmallVector<Value> sums = kb.forRangeCarry(
            kb.index(0), cs.len, {lastTerms, kb.f32(0.0), kb.f32(0.0)},
            [&](Value i, ValueRange acc) -> SmallVector<Value> {
              Value t = sub(cs.last, i);
              Value decayGrad =
                  kb.add(acc[0], kb.load(dCum.result, {bi, h, t}));
              Value step = kb.load(dtw, {bi, h, t});
              Value stepGrad = kb.add(kb.load(dStep.result, {bi, h, t}),
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
        Value slot = add(kb.mulIndex(bi, numChunks), c);
        kb.accumulate(*grads.dA, sums[1], {h}, slot);
        if (grads.dBias->result)
          kb.accumulate(*grads.dBias, sums[2], {h}, slot);
      });
}
