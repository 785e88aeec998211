//===- SSDChunked.cpp - chunked SSD scan: shared phases, forward -*- C++
//-*-===//
//
// The phases of the chunked SSD scan that the forward and the backward
// share, and the forward's output. The algorithm and the scratch layouts
// are described in SSDChunked.h.
//
//===----------------------------------------------------------------------===//

#include "SSDChunked.h"
#include "ScanKernels.h"

using namespace mlir;
using namespace mlir::ssm;

void ChunkedSSD::allocateScratch() {
  dtw = scratch({batch, heads, padded});
  cum = scratch({batch, heads, padded});
  expCum = scratch({batch, heads, padded});
  decayEnd = scratch({batch, heads, padded});
  chunkDecay = scratch({batch, heads, numChunks});
  chunkStates = scratch({batch, numChunks, heads, numStates, headDim});
  states = scratch({batch, numChunks, heads, numStates, headDim});
  BT = scratch({batch, groups, numStates, padded});
  CT = scratch({batch, groups, numStates, padded});
  cb = scratch({batch, groups, numChunks, chunk, chunk});
  K = scratch({batch, heads, numChunks, chunk, chunk});
  KT = scratch({batch, heads, numChunks, chunk, chunk});
}

SmallVector<Value>
ChunkedSSD::rowSums(KernelBuilder &kb, Value lb, Value ub, int64_t size,
                    function_ref<Value(Value)> shared,
                    function_ref<SmallVector<Value>(Value)> row) {
  SmallVector<Value> zeros(size, kb.f32(0.0));
  return kb.forRangeCarry(
      lb, ub, zeros, [&](Value k, ValueRange acc) -> SmallVector<Value> {
        Value common = shared(k);
        SmallVector<Value> weights = row(k);
        SmallVector<Value> next;
        for (int64_t i = 0; i < size; ++i)
          next.push_back(kb.add(acc[i], kb.mul(weights[i], common)));
        return next;
      });
}

void ChunkedSSD::forEachPositionTile(
    ArrayRef<int64_t> extra,
    function_ref<void(KernelBuilder &, Value, const PositionTile &, ValueRange)>
        body) {
  assert(extra.size() == 2 && "an outer and an inner extra dimension");
  int64_t size = tileFor(chunk);
  SmallVector<int64_t> bounds = {batch, numChunks, extra[0], chunk / size,
                                 extra[1]};
  target.parallelFor(b, bounds, [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
    KernelBuilder kb(ib, target);
    ChunkSpan cs = span(kb, iv[1]);
    PositionTile tile;
    tile.chunk = iv[1];
    tile.start = cs.start;
    tile.len = cs.len;
    tile.first = kb.mulIndex(iv[3], size);
    tile.firstGlobal = add(cs.start, tile.first);
    for (int64_t i = 0; i < size; ++i) {
      Value local = kb.addIndex(tile.first, i);
      Value global = add(cs.start, local);
      tile.local.push_back(local);
      tile.global.push_back(global);
      tile.safe.push_back(kb.minIndex(global, length - 1));
      tile.valid.push_back(lt(local, cs.len));
    }
    body(kb, iv[0], tile, {iv[2], iv[4]});
  });
}

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

void ChunkedSSD::emitTransposes() {
  target.parallelFor(b, {batch, groups, numStates, length},
                     [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
                       KernelBuilder kb(ib, target);
                       SmallVector<Value> at = {iv[0], iv[3], iv[1], iv[2]};
                       kb.store(kb.load(B, at), BT, iv);
                       kb.store(kb.load(C, at), CT, iv);
                     });
}

void ChunkedSSD::emitChunkOuterProducts(Value out, const WeightFn &weight,
                                        Value nSide, const PSideFn &pSide) {
  // Each point owns `tile` consecutive states: its weight and P-side value
  // are loaded once per position for `tile` products, and the N-side row
  // as one vector (the loads, not the FMAs, bound this phase on the GPU).
  int64_t tile = tileFor(numStates);
  target.parallelFor(
      b, {batch, numChunks, heads, numStates / tile, headDim},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], c = iv[1], h = iv[2], p = iv[4];
        Value firstState = kb.mulIndex(iv[3], tile);
        Value g = groupOf(kb, h);
        ChunkSpan cs = span(kb, c);
        SmallVector<Value> sums = rowSums(
            kb, kb.index(0), cs.len, tile,
            [&](Value tt) {
              Value t = add(cs.start, tt);
              return kb.mul(weight(kb, bi, h, t), pSide(kb, {bi, t, h, p}));
            },
            [&](Value tt) {
              return kb.loadRow(nSide, {bi, add(cs.start, tt), g, firstState},
                                tile);
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

void ChunkedSSD::emitPassing(Value own, Value out, Value outT, Value first,
                             Value last, bool reverse,
                             const ChunkHook &perChunk) {
  int64_t tile = tileFor(numStates);
  target.parallelFor(
      b, {batch, heads, numStates / tile, headDim},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], h = iv[1], p = iv[3];
        Value n0 = kb.mulIndex(iv[2], tile);
        SmallVector<Value> start = first
                                       ? kb.loadRow(first, {bi, h, p, n0}, tile)
                                       : SmallVector<Value>(tile, kb.f32(0.0));
        SmallVector<Value> final = kb.forRangeCarry(
            kb.index(0), kb.index(numChunks), start,
            [&](Value i, ValueRange carried) -> SmallVector<Value> {
              Value c = reverse ? kb.subIndex(numChunks - 1, i) : i;
              SmallVector<Value> values(carried);
              SmallVector<Value> next;
              Value decay = kb.load(chunkDecay, {bi, h, c});
              for (int64_t j = 0; j < tile; ++j) {
                SmallVector<Value> at = {bi, c, h, kb.addIndex(n0, j), p};
                Value mine = kb.load(own, at);
                kb.store(values[j], out, at);
                next.push_back(kb.add(kb.mul(decay, values[j]), mine));
              }
              if (outT)
                kb.storeRow(values, outT, {bi, c, h, p, n0});
              if (perChunk)
                perChunk(kb, bi, h, c, n0, p, values);
              return next;
            });
        if (last)
          kb.storeRow(final, last, {bi, h, p, n0});
      });
}

void ChunkedSSD::emitChunkProducts() {
  target.parallelFor(b, {batch, groups, numChunks, chunk, chunk},
                     [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
                       KernelBuilder kb(ib, target);
                       Value bi = iv[0], g = iv[1], c = iv[2], t = iv[3],
                             s = iv[4];
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
  // A point per (s, tile of t): K[t, s] is stored along s (neighbouring
  // points) and its transpose as one row along t.
  int64_t size = tileFor(chunk);
  target.parallelFor(
      b, {batch, heads, numChunks, chunk / size, chunk},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], h = iv[1], c = iv[2], s = iv[4];
        Value g = groupOf(kb, h);
        ChunkSpan cs = span(kb, c);
        Value tFirst = kb.mulIndex(iv[3], size);
        Value cumS = kb.load(cum, {bi, h, add(cs.start, s)});
        SmallVector<Value> cumT =
            kb.loadRow(cum, {bi, h, add(cs.start, tFirst)}, size);
        SmallVector<Value> row;
        for (int64_t i = 0; i < size; ++i) {
          Value t = kb.addIndex(tFirst, i);
          // Entries outside the triangle (never written in cb) become 0.
          Value value = kb.mul(kb.load(cb, {bi, g, c, t, s}),
                               kb.exp(kb.sub(cumT[i], cumS)));
          value = kb.select(lowerTriangle(t, s, cs.len), value, kb.f32(0.0));
          kb.store(value, K, {bi, h, c, t, s});
          row.push_back(value);
        }
        kb.storeRow(row, KT, {bi, h, c, s, tFirst});
      });
}

SmallVector<Value> ChunkedSSD::emitScanOutputs(KernelBuilder &kb, Value bi,
                                               const PositionTile &tile,
                                               Value h, Value p) {
  int64_t size = tile.size();
  Value c = tile.chunk;
  // Intra-chunk: sum over s <= t of K[t,s] dt_s x_s, x_s loaded once for
  // the tile and K[., s] as one row of K^T (zero above the diagonal).
  Value sEnd =
      arith::MinUIOp::create(b, kb.addIndex(tile.local.back(), 1), tile.len);
  SmallVector<Value> intra = rowSums(
      kb, kb.index(0), sEnd, size,
      [&](Value ss) {
        Value s = add(tile.start, ss);
        return kb.mul(kb.load(dtw, {bi, h, s}), kb.load(x, {bi, s, h, p}));
      },
      [&](Value ss) {
        return kb.loadRow(KT, {bi, h, c, ss, tile.first}, size);
      });
  // Inter-chunk: C_t . h_c[:, p], the state column loaded once and C as
  // rows of C^T.
  Value g = groupOf(kb, h);
  SmallVector<Value> inter = rowSums(
      kb, kb.index(0), kb.index(numStates), size,
      [&](Value n) {
        return kb.load(states, {bi, c, h, n, p});
      },
      [&](Value n) {
        return kb.loadRow(CT, {bi, g, n, tile.firstGlobal}, size);
      });
  SmallVector<Value> decay =
      kb.loadRow(expCum, {bi, h, tile.firstGlobal}, size);
  SmallVector<Value> outs;
  for (int64_t i = 0; i < size; ++i)
    outs.push_back(kb.add(intra[i], kb.mul(decay[i], inter[i])));
  return outs;
}

void ChunkedSSD::emitForward(Value y, Value finalState) {
  emitTimeSteps();
  emitTransposes();
  emitChunkStates();
  emitPassing(chunkStates, states, Value(), init, finalState,
              /*reverse=*/false, ChunkHook());
  emitChunkProducts();
  emitDecayedProducts();
  forEachPositionTile({heads, headDim}, [&](KernelBuilder &kb, Value bi,
                                            const PositionTile &tile,
                                            ValueRange iv) {
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

ChunkedSSD::GradSlots ChunkedSSD::gradSlots() const {
  int64_t pWarps = headDim / target.innermostSumWidth(headDim);
  int64_t tilesPerChunk = chunk / tileFor(chunk);
  return {batch * numChunks, batch * numChunks * tilesPerChunk * pWarps};
}

void mlir::ssm::emitSSDScanChunked(SSDScanOp op, const IRMapping &m,
                                   ImplicitLocOpBuilder &b,
                                   ParallelTarget &target,
                                   const KernelOptions &options) {
  ChunkedSSD ssd(op, m, b, target, options.chunkLen, options.ssdTile);
  ssd.emitForward(m.lookup(op.getY()), m.lookup(op.getFinalState()));
}

void mlir::ssm::emitSSDScanGradChunked(SSDScanGradOp op, const IRMapping &m,
                                       ImplicitLocOpBuilder &b,
                                       ParallelTarget &target,
                                       const KernelOptions &options) {
  KernelBuilder outer(b, target);
  ChunkedSSD ssd(op, m, b, target, options.chunkLen, options.ssdTile);
  ChunkedSSD::GradSlots slots = ssd.gradSlots();
  Accumulator dA = makeAccumulator(outer, m.lookup(op.getDA()), slots.perChunk);
  Accumulator dD =
      makeAccumulator(outer, m.lookupOrNull(op.getDD()), slots.perPositionTile);
  Accumulator dBias =
      makeAccumulator(outer, m.lookupOrNull(op.getDdtBias()), slots.perChunk);
  ChunkedSSD::Grads grads;
  grads.dy = m.lookup(op.getDy());
  grads.dFinal = m.lookupOrNull(op.getDFinalState());
  grads.dx = m.lookup(op.getDx());
  grads.dz = m.lookupOrNull(op.getDz());
  grads.ddt = m.lookup(op.getDdt());
  grads.dB = m.lookup(op.getDB());
  grads.dC = m.lookup(op.getDC());
  grads.dInit = m.lookupOrNull(op.getDInitialState());
  grads.dA = &dA;
  grads.dD = &dD;
  grads.dBias = &dBias;
  ssd.emitGrad(grads);
  for (const Accumulator &acc : {dA, dD, dBias})
    finishAccumulator(outer, acc);
}
