//===- ScanCore.cpp - one scan point, forward and backward ------*- C++ -*-===//

#include "ScanCore.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::ssm;

ScanStep mlir::ssm::emitScanStep(KernelBuilder &kb, Value delta,
                                 Value deltaBias, bool softplus) {
  Value raw = delta;
  if (deltaBias)
    raw = kb.add(raw, deltaBias);
  return {raw, softplus ? kb.softplus(raw) : raw};
}

Value mlir::ssm::emitStateGradient(KernelBuilder &kb, Value g, Value b, Value u,
                                   Value dt, Value dtU, Value A, Value decay,
                                   Value hPrev,
                                   const StateGradientSinks &sinks) {
  Value decayedPrev = kb.mul(decay, hPrev);
  // d h / d dt = A * exp(dt A) * h_prev + B * u
  Value dHdDt = kb.add(kb.mul(A, decayedPrev), kb.mul(b, u));
  sinks.ddt(kb.mul(g, dHdDt));
  sinks.dA(kb.mul(kb.mul(g, dt), decayedPrev));
  sinks.dB(kb.mul(g, dtU));
  sinks.du(kb.mul(kb.mul(g, dt), b));
  return kb.mul(g, decay);
}

static ScanStep stepAt(KernelBuilder &kb, const ScanPoint &p, Value t) {
  return emitScanStep(kb, p.delta(t), p.deltaBias, p.softplus);
}

/// h[n] = exp(dt * A[n]) * h[n] + dt * B[n, t] * u for every state n.
static void advanceStates(KernelBuilder &kb, const ScanPoint &p, Value h,
                          Value t, Value dt, Value uv) {
  Value dtU = kb.mul(dt, uv);
  Value sharedDecay = p.scalarA ? kb.exp(kb.mul(dt, p.scalarA)) : Value();
  kb.forRange(0, p.numStates, [&](Value n) {
    Value decay = sharedDecay ? sharedDecay : kb.exp(kb.mul(dt, p.A(n)));
    Value next = kb.add(kb.mul(decay, kb.load(h, {n})), kb.mul(dtU, p.B(n, t)));
    kb.store(next, h, {n});
  });
}

static void initStates(KernelBuilder &kb, const ScanPoint &p, Value h) {
  kb.forRange(0, p.numStates, [&](Value n) {
    kb.store(p.initialState ? p.initialState(n) : kb.f32(0.0), h, {n});
  });
}

void mlir::ssm::emitScanForward(KernelBuilder &kb, const ScanPoint &p) {
  Value h = kb.privateBuffer({p.numStates});
  Value acc = kb.privateBuffer({1});
  Value zero = kb.index(0);
  initStates(kb, p, h);
  kb.forRange(0, p.length, [&](Value t) {
    ScanStep step = stepAt(kb, p, t);
    Value uv = p.u(t);
    advanceStates(kb, p, h, t, step.dt, uv);
    kb.store(p.D ? kb.mul(p.D, uv) : kb.f32(0.0), acc, {zero});
    kb.forRange(0, p.numStates, [&](Value n) {
      kb.store(kb.add(kb.load(acc, {zero}), kb.mul(p.C(n, t), kb.load(h, {n}))),
               acc, {zero});
    });
    Value out = kb.load(acc, {zero});
    if (p.z)
      out = kb.mul(out, kb.silu(p.z(t)));
    p.y(t, out);
  });
  kb.forRange(0, p.numStates,
              [&](Value n) { p.finalState(n, kb.load(h, {n})); });
}

void mlir::ssm::emitScanBackward(KernelBuilder &kb, const ScanPoint &p,
                                 int64_t chunkLen) {
  const int64_t numStates = p.numStates;
  const int64_t chunk = std::min(chunkLen, p.length);
  const int64_t numChunks = (p.length + chunk - 1) / chunk;
  Value zero = kb.index(0);

  // Pass 1: save the state at the start of every chunk.
  Value h = kb.privateBuffer({numStates});
  initStates(kb, p, h);
  kb.forRange(0, numChunks, [&](Value c) {
    kb.forRange(0, numStates,
                [&](Value n) { p.storeSaved(c, n, kb.load(h, {n})); });
    Value start = kb.mulIndex(c, chunk);
    Value end = kb.minIndex(kb.addIndex(start, chunk), p.length);
    kb.forRange(start, end, [&](Value t) {
      ScanStep step = stepAt(kb, p, t);
      advanceStates(kb, p, h, t, step.dt, p.u(t));
    });
  });

  // g[n] = dLoss/dh[t][n], carried from the end of the sequence.
  Value g = kb.privateBuffer({numStates});
  Value dA = kb.privateBuffer({numStates});
  Value sums = kb.privateBuffer({2}); // [0]: dD, [1]: ddelta_bias
  Value local = kb.privateBuffer({chunk, numStates});
  Value scalars = kb.privateBuffer({2}); // [0]: ddt, [1]: du
  Value one = kb.index(1);
  kb.forRange(0, numStates, [&](Value n) {
    kb.store(p.dFinalState ? p.dFinalState(n) : kb.f32(0.0), g, {n});
    kb.store(kb.f32(0.0), dA, {n});
  });
  kb.store(kb.f32(0.0), sums, {zero});
  kb.store(kb.f32(0.0), sums, {one});

  kb.forRangeReverse(numChunks, [&](Value c) {
    Value start = kb.mulIndex(c, chunk);
    Value end = kb.minIndex(kb.addIndex(start, chunk), p.length);
    Value len = arith::SubIOp::create(kb.builder(), end, start);

    // Recompute the chunk's states from its saved start state.
    kb.forRange(0, numStates,
                [&](Value n) { kb.store(p.loadSaved(c, n), h, {n}); });
    kb.forRange(kb.index(0), len, [&](Value j) {
      Value t = arith::AddIOp::create(kb.builder(), start, j);
      ScanStep step = stepAt(kb, p, t);
      advanceStates(kb, p, h, t, step.dt, p.u(t));
      kb.forRange(0, numStates, [&](Value n) {
        kb.store(kb.load(h, {n}), local, {j, n});
      });
    });

    // Walk the chunk backwards.
    kb.forRangeReverse(len, [&](Value j) {
      Value t = arith::AddIOp::create(kb.builder(), start, j);
      ScanStep step = stepAt(kb, p, t);
      Value uv = p.u(t);
      Value dyv = p.dy(t);
      Value dyPre = dyv;
      if (p.z) {
        // Recompute the pre-gate output for dz.
        Value pre = p.D ? kb.mul(p.D, uv) : kb.f32(0.0);
        kb.store(pre, scalars, {zero});
        kb.forRange(0, numStates, [&](Value n) {
          kb.store(kb.add(kb.load(scalars, {zero}),
                          kb.mul(p.C(n, t), kb.load(local, {j, n}))),
                   scalars, {zero});
        });
        Value zv = p.z(t);
        p.dz(t, kb.mul(kb.mul(dyv, kb.load(scalars, {zero})), kb.siluGrad(zv)));
        dyPre = kb.mul(dyv, kb.silu(zv));
      }
      if (p.D) {
        kb.store(kb.add(kb.load(sums, {zero}), kb.mul(dyPre, uv)), sums,
                 {zero});
      }
      kb.store(kb.f32(0.0), scalars, {zero});
      kb.store(p.D ? kb.mul(dyPre, p.D) : kb.f32(0.0), scalars, {one});
      Value jPrev = arith::MaxSIOp::create(
          kb.builder(), arith::SubIOp::create(kb.builder(), j, one), zero);
      Value first = arith::CmpIOp::create(kb.builder(),
                                          arith::CmpIPredicate::eq, j, zero);
      Value dtU = kb.mul(step.dt, uv);
      Value sharedDecay =
          p.scalarA ? kb.exp(kb.mul(step.dt, p.scalarA)) : Value();
      kb.forRange(0, numStates, [&](Value n) {
        Value hCur = kb.load(local, {j, n});
        Value hPrev =
            kb.select(first, p.loadSaved(c, n), kb.load(local, {jPrev, n}));
        Value cv = p.C(n, t);
        Value bv = p.B(n, t);
        Value an = p.A(n);
        p.dC(n, t, kb.mul(dyPre, hCur));
        Value gn = kb.add(kb.load(g, {n}), kb.mul(dyPre, cv));
        Value decay = sharedDecay ? sharedDecay : kb.exp(kb.mul(step.dt, an));
        auto addTo = [&](Value buffer, Value at) {
          return [&kb, buffer, at](Value term) {
            kb.store(kb.add(kb.load(buffer, {at}), term), buffer, {at});
          };
        };
        auto ddtSink = addTo(scalars, zero), dASink = addTo(dA, n),
             duSink = addTo(scalars, one);
        auto dBSink = [&](Value v) { p.dB(n, t, v); };
        StateGradientSinks sinks{ddtSink, dASink, dBSink, duSink};
        kb.store(emitStateGradient(kb, gn, bv, uv, step.dt, dtU, an, decay,
                                   hPrev, sinks),
                 g, {n});
      });
      Value ddt = kb.load(scalars, {zero});
      if (p.softplus)
        ddt = kb.mul(ddt, kb.sigmoid(step.raw));
      p.ddelta(t, ddt);
      if (p.dDeltaBias)
        kb.store(kb.add(kb.load(sums, {one}), ddt), sums, {one});
      p.du(t, kb.load(scalars, {one}));
    });
  });

  kb.forRange(0, numStates, [&](Value n) {
    p.dA(n, kb.load(dA, {n}));
    if (p.dInitialState)
      p.dInitialState(n, kb.load(g, {n}));
  });
  if (p.dD)
    p.dD(kb.load(sums, {zero}));
  if (p.dDeltaBias)
    p.dDeltaBias(kb.load(sums, {one}));
}
