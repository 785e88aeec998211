//===- SelectiveScanUnfused.cpp - the unfused selective scan ----*- C++ -*-===//
//
// The `unfused` variant of ssm.selective_scan(_grad): the baseline a
// framework runs when it evaluates Mamba's reference formulas op by op.
// Every step is its own parallelFor (one kernel on the GPU, one loop nest on
// the CPU) and hands its result to the next through an f32 buffer in
// memory; the per-state intermediates are materialised as [B,D,L,N]:
//
//   dt      = softplus?(delta + delta_bias)     [B,D,L]    (only with either)
//   deltaA  = exp(dt * A)                       [B,D,L,N]
//   deltaBu = dt * B * u                        [B,D,L,N]
//   H[t]    = deltaA[t] * H[t-1] + deltaBu[t]   [B,D,L,N]  (and last_state)
//   y0      = sum_n C * H                       [B,D,L]
//   y1      = y0 + D * u                        [B,D,L]    (only with D)
//   y       = y1 * silu(z)                      [B,D,L]    (only with z)
//
// The last step present stores into y, in y's type (the framework's final
// cast folded into it); the others into f32 scratch. The gradient runs the
// reverse of each step as its own kernel(s), reading and writing [B,D,L,N]
// cotangents, and sums the gradients of the shared operands with
// KernelBuilder::accumulate into SelectiveScanGradAccumulators.
//
// [B,D,L,N] buffers have N contiguous. Each parallelFor puts innermost the
// contiguous dimension of the buffer it moves most, so that on the GPU
// neighbouring threads touch neighbouring elements.
//
//===----------------------------------------------------------------------===//

#include "ScanKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::ssm;

namespace {
/// The cotangents of the scan's two inputs, [B,D,L,N] each.
struct ScanCotangents {
  Value dDeltaA, dDeltaBu;
};

/// The results of ssm.selective_scan_grad that one point owns (dz may be
/// null), and the cotangent operands (dLast may be null).
struct PerPointGrads {
  Value dy, dLast, du, ddelta, dz;
};

/// One selective scan, forward or gradient, lowered step by step.
class UnfusedSelectiveScan : private SelectiveScanBuffers {
public:
  template <typename OpTy>
  UnfusedSelectiveScan(OpTy op, const IRMapping &m, ImplicitLocOpBuilder &b,
                       ParallelTarget &target)
      : SelectiveScanBuffers(op, m), b(b), target(target) {}

  void emitForward(Value y, Value lastState);
  void emitGrad(const PerPointGrads &grads,
                const SelectiveScanGradAccumulators &acc);

private:
  using PointFn = function_ref<void(KernelBuilder &, ValueRange)>;
  using ChannelTerm =
      function_ref<Value(KernelBuilder &, Value, Value, Value, Value)>;

  SmallVector<int64_t> sequenceShape() const {
    return {batch, channels, length};
  }
  SmallVector<int64_t> stateShape() const {
    return {batch, channels, length, numStates};
  }
  Value scratch(ArrayRef<int64_t> shape) {
    return memref::AllocOp::create(b, MemRefType::get(shape, b.getF32Type()));
  }
  /// One parallel step over `bounds`.
  void forEach(ArrayRef<int64_t> bounds, PointFn body);
  Value groupOf(KernelBuilder &kb, Value d) {
    return kb.divIndex(d, channels / groups);
  }
  /// delta (+ delta_bias): the step's pre-activation.
  Value rawStep(KernelBuilder &kb, ValueRange bdt);
  /// acc[b,g,n,t] += sum over the channels d of group g of term(b,d,t,n).
  void emitGroupSum(Value acc, ChannelTerm term);

  // Forward steps.
  Value emitTimeStep();
  Value emitDeltaA(Value dt);
  Value emitDeltaBu(Value dt);
  Value emitScan(Value deltaA, Value deltaBu, Value lastState);
  void emitContraction(Value H, Value out);
  void emitSkip(Value y0, Value out);
  void emitGate(Value y1, Value out);
  void emitPreGate(Value H, Value out);

  // Backward steps, in the order the gradient runs them.
  Value emitGateBackward(Value dy, Value y1, Value dz);
  Value emitSkipBackward(Value dy1, Value dD);
  Value emitContractionBackward(Value dy0, Value H, Value dC);
  ScanCotangents emitReverseScan(Value dH, Value deltaA, Value H, Value dLast);
  Value emitDeltaBuBackward(Value dDeltaBu, Value dt, Value duSkip, Value du,
                            Value dB);
  Value emitDeltaABackward(Value dDeltaA, Value deltaA, Value dt, Value dA);
  void emitTimeStepBackward(Value ddtBu, Value ddtA, Value ddelta, Value dBias);

  ImplicitLocOpBuilder &b;
  ParallelTarget &target;
};
} // namespace

void UnfusedSelectiveScan::forEach(ArrayRef<int64_t> bounds, PointFn body) {
  target.parallelFor(b, bounds, [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
    KernelBuilder kb(ib, target);
    body(kb, iv);
  });
}

Value UnfusedSelectiveScan::rawStep(KernelBuilder &kb, ValueRange bdt) {
  Value raw = kb.load(delta, bdt);
  return deltaBias ? kb.add(raw, kb.load(deltaBias, {bdt[1]})) : raw;
}

/// A point per (b, g, t, n), n innermost: the [B,D,L,N] reads of a warp are
/// contiguous, which matters more than the one strided accumulation per
/// point. Every point owns its element, so the accumulation never contends.
void UnfusedSelectiveScan::emitGroupSum(Value acc, ChannelTerm term) {
  int64_t perGroup = channels / groups;
  forEach({batch, groups, length, numStates}, [&](KernelBuilder &kb,
                                                  ValueRange iv) {
    Value bi = iv[0], g = iv[1], t = iv[2], n = iv[3];
    Value first = kb.mulIndex(g, perGroup);
    Value sum = kb.sumOver(0, perGroup, [&](Value j) {
      return term(kb, bi, arith::AddIOp::create(kb.builder(), first, j), t, n);
    });
    kb.accumulate(sum, acc, {bi, g, n, t});
  });
}

//===----------------------------------------------------------------------===//
// Forward steps
//===----------------------------------------------------------------------===//

/// dt = softplus?(delta + delta_bias). With neither a bias nor softplus a
/// framework uses delta itself: no kernel, and the steps read delta.
Value UnfusedSelectiveScan::emitTimeStep() {
  if (!deltaBias && !softplus)
    return delta;
  Value dt = scratch(sequenceShape());
  forEach(sequenceShape(), [&](KernelBuilder &kb, ValueRange iv) {
    Value raw = rawStep(kb, iv);
    kb.store(softplus ? kb.softplus(raw) : raw, dt, iv);
  });
  return dt;
}

Value UnfusedSelectiveScan::emitDeltaA(Value dt) {
  Value deltaA = scratch(stateShape());
  forEach(stateShape(), [&](KernelBuilder &kb, ValueRange iv) {
    Value step = kb.load(dt, iv.take_front(3));
    kb.store(kb.exp(kb.mul(step, kb.load(A, {iv[1], iv[3]}))), deltaA, iv);
  });
  return deltaA;
}

Value UnfusedSelectiveScan::emitDeltaBu(Value dt) {
  Value deltaBu = scratch(stateShape());
  forEach(stateShape(), [&](KernelBuilder &kb, ValueRange iv) {
    Value bi = iv[0], t = iv[2], n = iv[3];
    Value step = kb.load(dt, iv.take_front(3));
    Value bv = kb.load(B, {bi, groupOf(kb, iv[1]), n, t});
    kb.store(kb.mul(kb.mul(step, bv), kb.load(u, iv.take_front(3))), deltaBu,
             iv);
  });
  return deltaBu;
}

/// H[t] = deltaA[t] H[t-1] + deltaBu[t] from H[-1] = 0: a point per
/// (b, d, n) walks L and stores every state; the forward also stores the
/// last one (`lastState` null in the gradient's recomputation).
Value UnfusedSelectiveScan::emitScan(Value deltaA, Value deltaBu,
                                     Value lastState) {
  Value H = scratch(stateShape());
  forEach({batch, channels, numStates}, [&](KernelBuilder &kb, ValueRange iv) {
    Value bi = iv[0], d = iv[1], n = iv[2];
    Value h = kb.forRangeCarry(
                    kb.index(0), kb.index(length), {kb.f32(0.0)},
                    [&](Value t, ValueRange carried) -> SmallVector<Value> {
                      SmallVector<Value> at = {bi, d, t, n};
                      Value next =
                          kb.add(kb.mul(kb.load(deltaA, at), carried[0]),
                                 kb.load(deltaBu, at));
                      kb.store(next, H, at);
                      return {next};
                    })
                  .front();
    if (lastState)
      kb.store(h, lastState, iv);
  });
  return H;
}

/// y0 = sum_n C H: a point per (b, d, t) reduces its row of N; t innermost,
/// the contiguous dimension of y0 and C.
void UnfusedSelectiveScan::emitContraction(Value H, Value out) {
  forEach(sequenceShape(), [&](KernelBuilder &kb, ValueRange iv) {
    Value bi = iv[0], d = iv[1], t = iv[2];
    Value g = groupOf(kb, d);
    Value sum = kb.sumOver(0, numStates, [&](Value n) {
      return kb.mul(kb.load(C, {bi, g, n, t}), kb.load(H, {bi, d, t, n}));
    });
    kb.store(sum, out, iv);
  });
}

void UnfusedSelectiveScan::emitSkip(Value y0, Value out) {
  forEach(sequenceShape(), [&](KernelBuilder &kb, ValueRange iv) {
    Value skip = kb.mul(kb.load(D, {iv[1]}), kb.load(u, iv));
    kb.store(kb.add(kb.load(y0, iv), skip), out, iv);
  });
}

void UnfusedSelectiveScan::emitGate(Value y1, Value out) {
  forEach(sequenceShape(), [&](KernelBuilder &kb, ValueRange iv) {
    kb.store(kb.mul(kb.load(y1, iv), kb.silu(kb.load(z, iv))), out, iv);
  });
}

/// y1 = y0 + D u into `out`: the contraction, then the skip when present.
void UnfusedSelectiveScan::emitPreGate(Value H, Value out) {
  Value y0 = D ? scratch(sequenceShape()) : out;
  emitContraction(H, y0);
  if (D)
    emitSkip(y0, out);
}

void UnfusedSelectiveScan::emitForward(Value y, Value lastState) {
  Value dt = emitTimeStep();
  Value deltaA = emitDeltaA(dt);
  Value deltaBu = emitDeltaBu(dt);
  Value H = emitScan(deltaA, deltaBu, lastState);
  if (!z) {
    emitPreGate(H, y);
    return;
  }
  Value y1 = scratch(sequenceShape());
  emitPreGate(H, y1);
  emitGate(y1, y);
}

//===----------------------------------------------------------------------===//
// Backward steps
//===----------------------------------------------------------------------===//

/// y = y1 silu(z): stores dz = dy y1 silu'(z), returns dy1 = dy silu(z).
Value UnfusedSelectiveScan::emitGateBackward(Value dy, Value y1, Value dz) {
  Value dy1 = scratch(sequenceShape());
  forEach(sequenceShape(), [&](KernelBuilder &kb, ValueRange iv) {
    Value dyv = kb.load(dy, iv), zv = kb.load(z, iv);
    kb.store(kb.mul(kb.mul(dyv, kb.load(y1, iv)), kb.siluGrad(zv)), dz, iv);
    kb.store(kb.mul(dyv, kb.silu(zv)), dy1, iv);
  });
  return dy1;
}

/// y1 = y0 + D u: dD += dy1 u over (b, t) (t innermost, summed across a
/// warp first); returns du's skip part dy1 D. dy0 is dy1 itself.
Value UnfusedSelectiveScan::emitSkipBackward(Value dy1, Value dD) {
  Value duSkip = scratch(sequenceShape());
  forEach(sequenceShape(), [&](KernelBuilder &kb, ValueRange iv) {
    Value g = kb.load(dy1, iv);
    kb.store(kb.mul(g, kb.load(D, {iv[1]})), duSkip, iv);
    kb.accumulateOverInnermost(kb.mul(g, kb.load(u, iv)), dD, {iv[1]});
  });
  return duSkip;
}

/// y0 = sum_n C H: returns dH = dy0 C ([B,D,L,N], a point per element);
/// then dC = sum over the group's channels of dy0 H, its own kernel.
Value UnfusedSelectiveScan::emitContractionBackward(Value dy0, Value H,
                                                    Value dC) {
  Value dH = scratch(stateShape());
  forEach(stateShape(), [&](KernelBuilder &kb, ValueRange iv) {
    Value bi = iv[0], t = iv[2], n = iv[3];
    Value cv = kb.load(C, {bi, groupOf(kb, iv[1]), n, t});
    kb.store(kb.mul(kb.load(dy0, iv.take_front(3)), cv), dH, iv);
  });
  emitGroupSum(dC, [&](KernelBuilder &kb, Value bi, Value d, Value t, Value n) {
    return kb.mul(kb.load(dy0, {bi, d, t}), kb.load(H, {bi, d, t, n}));
  });
  return dH;
}

/// H[t] = deltaA[t] H[t-1] + deltaBu[t], reversed: a point per (b, d, n)
/// walks L backwards carrying g[t] = dH[t] + deltaA[t+1] g[t+1] (from
/// d_last_state); d deltaBu[t] = g[t] and d deltaA[t] = g[t] H[t-1].
ScanCotangents UnfusedSelectiveScan::emitReverseScan(Value dH, Value deltaA,
                                                     Value H, Value dLast) {
  ScanCotangents out{scratch(stateShape()), scratch(stateShape())};
  forEach({batch, channels, numStates}, [&](KernelBuilder &kb, ValueRange iv) {
    Value bi = iv[0], d = iv[1], n = iv[2];
    Value init = dLast ? kb.load(dLast, iv) : kb.f32(0.0);
    Value zero = kb.index(0);
    kb.forRangeCarry(
        zero, kb.index(length), {init},
        [&](Value i, ValueRange carried) -> SmallVector<Value> {
          ImplicitLocOpBuilder &ib = kb.builder();
          Value t = kb.subIndex(length - 1, i);
          SmallVector<Value> at = {bi, d, t, n};
          Value g = kb.add(kb.load(dH, at), carried[0]);
          kb.store(g, out.dDeltaBu, at);
          // H[-1] = 0: position 0 reads a clamped index and drops it.
          Value prev = arith::MaxSIOp::create(ib, kb.addIndex(t, -1), zero);
          Value first =
              arith::CmpIOp::create(ib, arith::CmpIPredicate::eq, t, zero);
          Value hPrev =
              kb.select(first, kb.f32(0.0), kb.load(H, {bi, d, prev, n}));
          kb.store(kb.mul(g, hPrev), out.dDeltaA, at);
          return {kb.mul(kb.load(deltaA, at), g)};
        });
  });
  return out;
}

/// deltaBu = dt B u: a point per (b, d, t) sums g B over n and stores du
/// (plus the skip's part: autograd's sum of the two) and returns ddt's
/// part; then dB = sum over the group's channels of g dt u.
Value UnfusedSelectiveScan::emitDeltaBuBackward(Value dDeltaBu, Value dt,
                                                Value duSkip, Value du,
                                                Value dB) {
  Value ddt = scratch(sequenceShape());
  forEach(sequenceShape(), [&](KernelBuilder &kb, ValueRange iv) {
    Value bi = iv[0], d = iv[1], t = iv[2];
    Value g = groupOf(kb, d);
    Value gB = kb.sumOver(0, numStates, [&](Value n) {
      return kb.mul(kb.load(dDeltaBu, {bi, d, t, n}),
                    kb.load(B, {bi, g, n, t}));
    });
    kb.store(kb.mul(gB, kb.load(u, iv)), ddt, iv);
    Value duv = kb.mul(gB, kb.load(dt, iv));
    kb.store(duSkip ? kb.add(duv, kb.load(duSkip, iv)) : duv, du, iv);
  });
  emitGroupSum(dB, [&](KernelBuilder &kb, Value bi, Value d, Value t, Value n) {
    Value dtU = kb.mul(kb.load(dt, {bi, d, t}), kb.load(u, {bi, d, t}));
    return kb.mul(kb.load(dDeltaBu, {bi, d, t, n}), dtU);
  });
  return ddt;
}

/// deltaA = exp(dt A): a point per (b, d, t) returns ddt's part, the sum
/// over n of g deltaA A; then a point per (b, d, n) sums g deltaA dt over
/// L and accumulates dA[d, n] (one add per batch).
Value UnfusedSelectiveScan::emitDeltaABackward(Value dDeltaA, Value deltaA,
                                               Value dt, Value dA) {
  Value ddt = scratch(sequenceShape());
  forEach(sequenceShape(), [&](KernelBuilder &kb, ValueRange iv) {
    Value bi = iv[0], d = iv[1], t = iv[2];
    Value sum = kb.sumOver(0, numStates, [&](Value n) {
      SmallVector<Value> at = {bi, d, t, n};
      Value g = kb.mul(kb.load(dDeltaA, at), kb.load(deltaA, at));
      return kb.mul(g, kb.load(A, {d, n}));
    });
    kb.store(sum, ddt, iv);
  });
  forEach({batch, channels, numStates}, [&](KernelBuilder &kb, ValueRange iv) {
    Value bi = iv[0], d = iv[1], n = iv[2];
    Value sum = kb.sumOver(0, length, [&](Value t) {
      SmallVector<Value> at = {bi, d, t, n};
      Value g = kb.mul(kb.load(dDeltaA, at), kb.load(deltaA, at));
      return kb.mul(g, kb.load(dt, {bi, d, t}));
    });
    kb.accumulate(sum, dA, {d, n});
  });
  return ddt;
}

/// dt = softplus?(delta + delta_bias): ddelta = (ddt from deltaBu + ddt
/// from deltaA) softplus'(raw), autograd's sum of the two paths and the
/// step's own backward; ddelta_bias += ddelta over (b, t).
void UnfusedSelectiveScan::emitTimeStepBackward(Value ddtBu, Value ddtA,
                                                Value ddelta, Value dBias) {
  forEach(sequenceShape(), [&](KernelBuilder &kb, ValueRange iv) {
    Value g = kb.add(kb.load(ddtBu, iv), kb.load(ddtA, iv));
    if (softplus)
      g = kb.mul(g, kb.sigmoid(rawStep(kb, iv)));
    kb.store(g, ddelta, iv);
    if (dBias)
      kb.accumulateOverInnermost(g, dBias, {iv[1]});
  });
}

/// The op saves nothing, so the gradient first recomputes the forward
/// intermediates as separate kernels (a framework's autograd would have
/// saved them; the kernels after that are the same either way).
void UnfusedSelectiveScan::emitGrad(const PerPointGrads &grads,
                                    const SelectiveScanGradAccumulators &acc) {
  Value dt = emitTimeStep();
  Value deltaA = emitDeltaA(dt);
  Value deltaBu = emitDeltaBu(dt);
  Value H = emitScan(deltaA, deltaBu, /*lastState=*/Value());
  Value dy1 = grads.dy;
  if (z) {
    Value y1 = scratch(sequenceShape());
    emitPreGate(H, y1);
    dy1 = emitGateBackward(grads.dy, y1, grads.dz);
  }
  Value duSkip = D ? emitSkipBackward(dy1, acc.dD.target()) : Value();
  Value dH = emitContractionBackward(dy1, H, acc.dC.target());
  ScanCotangents dScan = emitReverseScan(dH, deltaA, H, grads.dLast);
  Value ddtBu = emitDeltaBuBackward(dScan.dDeltaBu, dt, duSkip, grads.du,
                                    acc.dB.target());
  Value ddtA = emitDeltaABackward(dScan.dDeltaA, deltaA, dt, acc.dA.target());
  emitTimeStepBackward(ddtBu, ddtA, grads.ddelta, acc.dDeltaBias.target());
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

/// The unfused variant takes no lowering choice: `options` is unused.
void mlir::ssm::emitSelectiveScanUnfused(SelectiveScanOp op,
                                         const IRMapping &buffers,
                                         ImplicitLocOpBuilder &b,
                                         ParallelTarget &target,
                                         const KernelOptions &options) {
  UnfusedSelectiveScan scan(op, buffers, b, target);
  scan.emitForward(buffers.lookup(op.getY()),
                   buffers.lookup(op.getLastState()));
}

void mlir::ssm::emitSelectiveScanGradUnfused(SelectiveScanGradOp op,
                                             const IRMapping &buffers,
                                             ImplicitLocOpBuilder &b,
                                             ParallelTarget &target,
                                             const KernelOptions &options) {
  UnfusedSelectiveScan scan(op, buffers, b, target);
  KernelBuilder outer(b, target);
  SelectiveScanGradAccumulators acc(outer, op, buffers);
  PerPointGrads grads{
      buffers.lookup(op.getDy()), buffers.lookupOrNull(op.getDLastState()),
      buffers.lookup(op.getDu()), buffers.lookup(op.getDdelta()),
      buffers.lookupOrNull(op.getDz())};
  scan.emitGrad(grads, acc);
  acc.finish(outer);
}
