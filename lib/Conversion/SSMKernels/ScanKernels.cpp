//===- ScanKernels.cpp - selective scan and SSD scan kernels ----*- C++ -*-===//
//
// Maps the operands of ssm.selective_scan(_grad) and ssm.ssd_scan(_grad) onto
// the per-point scan of ScanCore: one point per (batch, channel) for the
// Mamba-1 scan, one per (batch, head, head-dim) for the SSD scan.
//
//===----------------------------------------------------------------------===//

#include "ScanKernels.h"
#include "ScanCore.h"

#include "ssm/IR/SSMOps.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::ssm;

/// Scratch for the states saved at chunk starts: [points, chunks, N].
static Value allocSavedStates(KernelBuilder &kb, int64_t points, int64_t length,
                              int64_t numStates, int64_t chunkLen) {
  int64_t chunk = std::min(chunkLen, length);
  int64_t numChunks = (length + chunk - 1) / chunk;
  return memref::AllocOp::create(kb.builder(),
                                 MemRefType::get({points, numChunks, numStates},
                                                 kb.builder().getF32Type()));
}

//===----------------------------------------------------------------------===//
// Mamba-1 selective scan
//===----------------------------------------------------------------------===//

/// Fills the reads of point (b, d) of a selective scan, `u` through `u`.
static void bindSelectiveScanPoint(KernelBuilder &kb, ScanPoint &p,
                                   const SelectiveScanBuffers &in,
                                   const ScanUSource &u, Value b, Value d) {
  Value g = kb.divIndex(d, in.channels / in.groups);
  p.length = in.length;
  p.numStates = in.numStates;
  p.softplus = in.softplus;
  p.delta = [&kb, &in, b, d](Value t) { return kb.load(in.delta, {b, d, t}); };
  if (in.z)
    p.z = [&kb, &in, b, d](Value t) { return kb.load(in.z, {b, d, t}); };
  p.A = [&kb, &in, d](Value n) { return kb.load(in.A, {d, n}); };
  p.B = [&kb, &in, b, g](Value n, Value t) {
    return kb.load(in.B, {b, g, n, t});
  };
  p.C = [&kb, &in, b, g](Value n, Value t) {
    return kb.load(in.C, {b, g, n, t});
  };
  if (in.deltaBias)
    p.deltaBias = kb.load(in.deltaBias, {d});
  if (in.D)
    p.D = kb.load(in.D, {d});
  std::shared_ptr<ScanUChannel> channel = u.channel(kb, b, d);
  p.u = [channel](Value t) { return channel->at(t); };
}

void mlir::ssm::emitSelectiveScan(SelectiveScanOp op, const IRMapping &m,
                                  ImplicitLocOpBuilder &b,
                                  ParallelTarget &target) {
  emitSelectiveScanWithU(op, m, BufferUSource(m.lookup(op.getU())), b, target);
}

void mlir::ssm::emitSelectiveScanWithU(SelectiveScanOp op, const IRMapping &m,
                                       const ScanUSource &u,
                                       ImplicitLocOpBuilder &b,
                                       ParallelTarget &target) {
  SelectiveScanBuffers in(op, m);
  Value y = m.lookup(op.getY());
  Value last = m.lookup(op.getLastState());
  target.parallelFor(
      b, {in.batch, in.channels}, [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], d = iv[1];
        ScanPoint p;
        bindSelectiveScanPoint(kb, p, in, u, bi, d);
        p.y = [&](Value t, Value v) { kb.store(v, y, {bi, d, t}); };
        p.finalState = [&](Value n, Value v) { kb.store(v, last, {bi, d, n}); };
        emitScanForward(kb, p);
      });
}

SelectiveScanGradAccumulators::SelectiveScanGradAccumulators(
    KernelBuilder &kb, SelectiveScanGradOp op, const IRMapping &m,
    int64_t channelSlots, int64_t sharedSlots)
    : dA(makeAccumulator(kb, m.lookup(op.getDA()), channelSlots)),
      dB(makeAccumulator(kb, m.lookup(op.getDB()), sharedSlots)),
      dC(makeAccumulator(kb, m.lookup(op.getDC()), sharedSlots)),
      dD(makeAccumulator(kb, m.lookupOrNull(op.getDD()), channelSlots)),
      dDeltaBias(makeAccumulator(kb, m.lookupOrNull(op.getDdeltaBias()),
                                 channelSlots)) {}

void SelectiveScanGradAccumulators::finish(KernelBuilder &kb) const {
  for (const Accumulator &acc : {dA, dB, dC, dD, dDeltaBias})
    finishAccumulator(kb, acc);
}

void mlir::ssm::emitSelectiveScanGrad(SelectiveScanGradOp op,
                                      const IRMapping &m,
                                      ImplicitLocOpBuilder &b,
                                      ParallelTarget &target,
                                      const KernelOptions &options) {
  emitSelectiveScanGradWithU(op, m, BufferUSource(m.lookup(op.getU())), b,
                             target, options);
}

void mlir::ssm::emitSelectiveScanGradWithU(SelectiveScanGradOp op,
                                           const IRMapping &m,
                                           const ScanUSource &u,
                                           ImplicitLocOpBuilder &b,
                                           ParallelTarget &target,
                                           const KernelOptions &options) {
  SelectiveScanBuffers in(op, m);
  Value dy = m.lookup(op.getDy());
  Value dLast = m.lookupOrNull(op.getDLastState());
  Value du = m.lookup(op.getDu()), ddelta = m.lookup(op.getDdelta());
  Value dz = m.lookupOrNull(op.getDz());
  KernelBuilder outer(b, target);
  SelectiveScanGradAccumulators grads(outer, op, m);
  const Accumulator &dA = grads.dA, &dB = grads.dB, &dC = grads.dC,
                    &dD = grads.dD, &dBias = grads.dDeltaBias;
  Value saved = allocSavedStates(outer, in.batch * in.channels, in.length,
                                 in.numStates, options.chunkLen);

  target.parallelFor(
      b, {in.batch, in.channels}, [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], d = iv[1];
        Value g = kb.divIndex(d, in.channels / in.groups);
        Value point =
            arith::AddIOp::create(ib, kb.mulIndex(bi, in.channels), d);
        ScanPoint p;
        bindSelectiveScanPoint(kb, p, in, u, bi, d);
        p.dy = [&](Value t) { return kb.load(dy, {bi, d, t}); };
        if (dLast)
          p.dFinalState = [&](Value n) { return kb.load(dLast, {bi, d, n}); };
        p.du = [&](Value t, Value v) { kb.store(v, du, {bi, d, t}); };
        p.ddelta = [&](Value t, Value v) { kb.store(v, ddelta, {bi, d, t}); };
        if (dz)
          p.dz = [&](Value t, Value v) { kb.store(v, dz, {bi, d, t}); };
        p.dA = [&](Value n, Value v) { kb.accumulate(v, dA.target(), {d, n}); };
        p.dB = [&](Value n, Value t, Value v) {
          kb.accumulate(v, dB.target(), {bi, g, n, t});
        };
        p.dC = [&](Value n, Value t, Value v) {
          kb.accumulate(v, dC.target(), {bi, g, n, t});
        };
        if (dD.result)
          p.dD = [&](Value v) { kb.accumulate(v, dD.target(), {d}); };
        if (dBias.result)
          p.dDeltaBias = [&](Value v) {
            kb.accumulate(v, dBias.target(), {d});
          };
        p.loadSaved = [&](Value c, Value n) {
          return kb.load(saved, {point, c, n});
        };
        p.storeSaved = [&](Value c, Value n, Value v) {
          kb.store(v, saved, {point, c, n});
        };
        emitScanBackward(kb, p, options.chunkLen);
      });

  grads.finish(outer);
}

//===----------------------------------------------------------------------===//
// Mamba-2 SSD scan
//===----------------------------------------------------------------------===//

/// Fills the reads of point (b, h, p) of an SSD scan.
static void bindSSDPoint(KernelBuilder &kb, ScanPoint &pt,
                         const SSDScanBuffers &in, Value b, Value h, Value p) {
  Value g = kb.divIndex(h, in.heads / in.groups);
  pt.length = in.length;
  pt.numStates = in.numStates;
  pt.softplus = in.softplus;
  pt.u = [&kb, &in, b, h, p](Value t) { return kb.load(in.x, {b, t, h, p}); };
  pt.delta = [&kb, &in, b, h](Value t) { return kb.load(in.dt, {b, t, h}); };
  if (in.z)
    pt.z = [&kb, &in, b, h, p](Value t) { return kb.load(in.z, {b, t, h, p}); };
  Value decayRate = kb.load(in.A, {h});
  pt.A = [decayRate](Value) { return decayRate; };
  pt.scalarA = decayRate;
  pt.B = [&kb, &in, b, g](Value n, Value t) {
    return kb.load(in.B, {b, t, g, n});
  };
  pt.C = [&kb, &in, b, g](Value n, Value t) {
    return kb.load(in.C, {b, t, g, n});
  };
  if (in.init)
    pt.initialState = [&kb, &in, b, h, p](Value n) {
      return kb.load(in.init, {b, h, p, n});
    };
  if (in.dtBias)
    pt.deltaBias = kb.load(in.dtBias, {h});
  if (in.D)
    pt.D = kb.load(in.D, {h});
}

void mlir::ssm::emitSSDScan(SSDScanOp op, const IRMapping &m,
                            ImplicitLocOpBuilder &b, ParallelTarget &target) {
  SSDScanBuffers in(op, m);
  Value y = m.lookup(op.getY());
  Value final = m.lookup(op.getFinalState());
  target.parallelFor(b, {in.batch, in.heads, in.headDim},
                     [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
                       KernelBuilder kb(ib, target);
                       Value bi = iv[0], h = iv[1], p = iv[2];
                       ScanPoint pt;
                       bindSSDPoint(kb, pt, in, bi, h, p);
                       pt.y = [&](Value t, Value v) {
                         kb.store(v, y, {bi, t, h, p});
                       };
                       pt.finalState = [&](Value n, Value v) {
                         kb.store(v, final, {bi, h, p, n});
                       };
                       emitScanForward(kb, pt);
                     });
}

void mlir::ssm::emitSSDScanGrad(SSDScanGradOp op, const IRMapping &m,
                                ImplicitLocOpBuilder &b, ParallelTarget &target,
                                const KernelOptions &options) {
  SSDScanBuffers in(op, m);
  Value dy = m.lookup(op.getDy());
  Value dFinal = m.lookupOrNull(op.getDFinalState());
  Value dx = m.lookup(op.getDx());
  Value dz = m.lookupOrNull(op.getDz());
  Value dInit = m.lookupOrNull(op.getDInitialState());
  KernelBuilder outer(b, target);
  Accumulator ddt = makeAccumulator(outer, m.lookup(op.getDdt()));
  Accumulator dA = makeAccumulator(outer, m.lookup(op.getDA()));
  Accumulator dB = makeAccumulator(outer, m.lookup(op.getDB()));
  Accumulator dC = makeAccumulator(outer, m.lookup(op.getDC()));
  Accumulator dD = makeAccumulator(outer, m.lookupOrNull(op.getDD()));
  Accumulator dBias = makeAccumulator(outer, m.lookupOrNull(op.getDdtBias()));
  Value saved = allocSavedStates(outer, in.batch * in.heads * in.headDim,
                                 in.length, in.numStates, options.chunkLen);

  target.parallelFor(
      b, {in.batch, in.heads, in.headDim},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], h = iv[1], p = iv[2];
        Value g = kb.divIndex(h, in.heads / in.groups);
        Value point = arith::AddIOp::create(
            ib,
            kb.mulIndex(arith::AddIOp::create(ib, kb.mulIndex(bi, in.heads), h),
                        in.headDim),
            p);
        ScanPoint pt;
        bindSSDPoint(kb, pt, in, bi, h, p);
        pt.dy = [&](Value t) { return kb.load(dy, {bi, t, h, p}); };
        if (dFinal)
          pt.dFinalState = [&](Value n) {
            return kb.load(dFinal, {bi, h, p, n});
          };
        pt.du = [&](Value t, Value v) { kb.store(v, dx, {bi, t, h, p}); };
        pt.ddelta = [&](Value t, Value v) {
          kb.accumulate(v, ddt.target(), {bi, t, h});
        };
        if (dz)
          pt.dz = [&](Value t, Value v) { kb.store(v, dz, {bi, t, h, p}); };
        pt.dA = [&](Value, Value v) { kb.accumulate(v, dA.target(), {h}); };
        pt.dB = [&](Value n, Value t, Value v) {
          kb.accumulate(v, dB.target(), {bi, t, g, n});
        };
        pt.dC = [&](Value n, Value t, Value v) {
          kb.accumulate(v, dC.target(), {bi, t, g, n});
        };
        if (dD.result)
          pt.dD = [&](Value v) { kb.accumulate(v, dD.target(), {h}); };
        if (dBias.result)
          pt.dDeltaBias = [&](Value v) {
            kb.accumulate(v, dBias.target(), {h});
          };
        if (dInit)
          pt.dInitialState = [&](Value n, Value v) {
            kb.store(v, dInit, {bi, h, p, n});
          };
        pt.loadSaved = [&](Value c, Value n) {
          return kb.load(saved, {point, c, n});
        };
        pt.storeSaved = [&](Value c, Value n, Value v) {
          kb.store(v, saved, {point, c, n});
        };
        emitScanBackward(kb, pt, options.chunkLen);
      });

  for (const Accumulator &acc : {ddt, dA, dB, dC, dD, dBias})
    finishAccumulator(outer, acc);
}
