//===- ConvNormUnfused.cpp - unfused causal conv1d and RMS norm -*- C++ -*-===//
//
// The `unfused` variant of ssm.rms_norm(_grad) and ssm.causal_conv1d(_grad):
// the ops as an eager framework runs their reference, every step its own
// parallelFor (one kernel on the GPU, one loop nest on the CPU) handing its
// result to the next through an f32 buffer in memory.
//
// RMS norm, rows r of the leading dimensions, columns j:
//   v        = x + residual   (into residual_out)     residual form
//            = x * silu(z)    (f32 [...,D])          gated form
//            = x                                     plain form
//   rstd[r]  = 1 / sqrt(mean_j v^2 + eps)            f32 [...]
//   y        = v * rstd * weight
// Gradient (the forward's v and rstd recomputed, each as its own kernel):
//   dot[r]   = sum_j dy * weight * v                 f32 [...]
//   dweight += dy * v * rstd                         accumulated over rows
//   dv       = rstd * (dy * weight - v * dot * rstd^2 / D)
//   dx = dresidual = dv + d_residual_out             residual passthrough
//   dx = dv * silu(z), dz = dv * x * silu'(z)        gate backward
// dv goes straight into dx in the plain form.
//
// Causal conv1d with activation silu:
//   pre = bias + conv(x, weight)  f32 [B,D,L];  y = silu(pre)
// Gradient: pre recomputed, dpre = dy * silu'(pre) (f32 [B,D,L]), then the
// convolution's backward (ConvBuffers::emitBackward). With activation none
// there is nothing to split: the unfused variant runs the fused kernels.
//
//===----------------------------------------------------------------------===//

#include "ConvNorm.h"
#include "ScanKernels.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::ssm;

//===----------------------------------------------------------------------===//
// RMS norm
//===----------------------------------------------------------------------===//

namespace {
/// One RMS norm, forward or gradient, lowered step by step.
class UnfusedNorm : private NormBuffers {
public:
  template <typename OpTy>
  UnfusedNorm(OpTy op, const IRMapping &m, ImplicitLocOpBuilder &b,
              ParallelTarget &target)
      : NormBuffers(op, m), b(b), target(target) {}

  /// The residual add into `out` (residual form; f32 scratch when null),
  /// or the gate into f32 scratch (gated form); x itself in the plain form.
  Value emitInput(Value out);
  /// rstd [rows] of the normalised input `v`.
  Value emitInverseRms(Value v);
  /// y = v * rstd * weight.
  void emitScale(Value v, Value rstd, Value y);

  /// dot [rows] = sum_j dy * weight * v.
  Value emitRowDot(Value dy, Value v);
  /// dweight += dy * v * rstd, over all rows.
  void emitWeightGrad(Value dy, Value v, Value rstd, Value dweight);
  /// dv = rstd * (dy * weight - v * dot * rstd^2 / D), into `dv`.
  void emitNormBackward(Value dy, Value v, Value rstd, Value dot, Value dv);
  /// dx = dresidual = dv + dResidualOut (null: zero).
  void emitResidualBackward(Value dv, Value dResidualOut, Value dx,
                            Value dresidual);
  /// dx = dv * silu(z), dz = dv * x * silu'(z).
  void emitGateBackward(Value dv, Value dx, Value dz);

  SmallVector<int64_t> shape() const {
    SmallVector<int64_t> all(rows);
    all.push_back(width);
    return all;
  }
  bool gated() const { return static_cast<bool>(z); }
  bool withResidual() const { return static_cast<bool>(residual); }

private:
  static ValueRange rowOf(ValueRange iv) { return iv.drop_back(); }

  ImplicitLocOpBuilder &b;
  ParallelTarget &target;
};
} // namespace

Value UnfusedNorm::emitInput(Value out) {
  if (!residual && !z)
    return x;
  Value v = residual && out ? out : allocScratch(b, shape());
  forEachPoint(b, target, shape(), [&](KernelBuilder &kb, ValueRange iv) {
    Value xv = kb.load(x, iv);
    kb.store(residual ? kb.add(xv, kb.load(residual, iv))
                      : kb.mul(xv, kb.silu(kb.load(z, iv))),
             v, iv);
  });
  return v;
}

Value UnfusedNorm::emitInverseRms(Value v) {
  Value rstd = allocScratch(b, rows);
  forEachRow(b, target, rows, width,
             [&](KernelBuilder &kb, ValueRange row, const RowShare &share) {
               Value value = inverseRms(
                   kb, share, [&](Value j) { return kb.load(v, at(row, j)); });
               kb.ifFirstOfRow(share, [&] { kb.store(value, rstd, row); });
             });
  return rstd;
}

void UnfusedNorm::emitScale(Value v, Value rstd, Value y) {
  forEachPoint(b, target, shape(), [&](KernelBuilder &kb, ValueRange iv) {
    Value scaled = kb.mul(kb.load(v, iv), kb.load(rstd, rowOf(iv)));
    kb.store(kb.mul(scaled, kb.load(weight, {iv.back()})), y, iv);
  });
}

Value UnfusedNorm::emitRowDot(Value dy, Value v) {
  Value dot = allocScratch(b, rows);
  forEachPoint(b, target, rows, [&](KernelBuilder &kb, ValueRange row) {
    Value sum = kb.sumOver(0, width, [&](Value j) {
      SmallVector<Value> idx = at(row, j);
      return kb.mul(kb.mul(kb.load(dy, idx), kb.load(weight, {j})),
                    kb.load(v, idx));
    });
    kb.store(sum, dot, row);
  });
  return dot;
}

void UnfusedNorm::emitWeightGrad(Value dy, Value v, Value rstd, Value dweight) {
  KernelBuilder outer(b, target);
  // Ordered: a copy per row, so the sum over rows is the reduction kernels
  // of finishAccumulator, in a fixed order.
  int64_t numRows = 1;
  for (int64_t bound : rows)
    numRows *= bound;
  Accumulator acc = makeAccumulator(outer, dweight, numRows);
  forEachPoint(b, target, shape(), [&](KernelBuilder &kb, ValueRange iv) {
    Value term = kb.mul(kb.mul(kb.load(dy, iv), kb.load(v, iv)),
                        kb.load(rstd, rowOf(iv)));
    kb.accumulate(acc, term, {iv.back()}, kb.linearIndex(rowOf(iv), rows));
  });
  finishAccumulator(outer, acc);
}

void UnfusedNorm::emitNormBackward(Value dy, Value v, Value rstd, Value dot,
                                   Value dv) {
  forEachPoint(b, target, shape(), [&](KernelBuilder &kb, ValueRange iv) {
    Value r = kb.load(rstd, rowOf(iv));
    Value coef = kb.div(kb.mul(kb.load(dot, rowOf(iv)), kb.mul(r, r)),
                        kb.f32(double(width)));
    Value dyw = kb.mul(kb.load(dy, iv), kb.load(weight, {iv.back()}));
    kb.store(kb.mul(r, kb.sub(dyw, kb.mul(kb.load(v, iv), coef))), dv, iv);
  });
}

void UnfusedNorm::emitResidualBackward(Value dv, Value dResidualOut, Value dx,
                                       Value dresidual) {
  forEachPoint(b, target, shape(), [&](KernelBuilder &kb, ValueRange iv) {
    Value grad = kb.load(dv, iv);
    if (dResidualOut)
      grad = kb.add(grad, kb.load(dResidualOut, iv));
    kb.store(grad, dx, iv);
    if (dresidual)
      kb.store(grad, dresidual, iv);
  });
}

void UnfusedNorm::emitGateBackward(Value dv, Value dx, Value dz) {
  forEachPoint(b, target, shape(), [&](KernelBuilder &kb, ValueRange iv) {
    Value grad = kb.load(dv, iv);
    Value zv = kb.load(z, iv);
    kb.store(kb.mul(grad, kb.silu(zv)), dx, iv);
    kb.store(kb.mul(kb.mul(grad, kb.load(x, iv)), kb.siluGrad(zv)), dz, iv);
  });
}

void mlir::ssm::emitRMSNormUnfused(RMSNormOp op, const IRMapping &m,
                                   ImplicitLocOpBuilder &b,
                                   ParallelTarget &target) {
  UnfusedNorm norm(op, m, b, target);
  Value v = norm.emitInput(m.lookupOrNull(op.getResidualOut()));
  Value rstd = norm.emitInverseRms(v);
  norm.emitScale(v, rstd, m.lookup(op.getY()));
}

void mlir::ssm::emitRMSNormGradUnfused(RMSNormGradOp op, const IRMapping &m,
                                       ImplicitLocOpBuilder &b,
                                       ParallelTarget &target) {
  UnfusedNorm norm(op, m, b, target);
  Value dy = m.lookup(op.getDy());
  Value dx = m.lookup(op.getDx());
  // The forward's intermediates, recomputed: the residual sum (which the
  // forward returned as residual_out) or the gated input, and rstd.
  Value v = norm.emitInput(/*out=*/Value());
  Value rstd = norm.emitInverseRms(v);
  Value dot = norm.emitRowDot(dy, v);
  norm.emitWeightGrad(dy, v, rstd, m.lookup(op.getDweight()));
  bool plain = !norm.withResidual() && !norm.gated();
  Value dv = plain ? dx : allocScratch(b, norm.shape());
  norm.emitNormBackward(dy, v, rstd, dot, dv);
  if (norm.withResidual())
    norm.emitResidualBackward(dv, m.lookupOrNull(op.getDResidualOut()), dx,
                              m.lookupOrNull(op.getDresidual()));
  else if (norm.gated())
    norm.emitGateBackward(dv, dx, m.lookup(op.getDz()));
}

//===----------------------------------------------------------------------===//
// Causal conv1d
//===----------------------------------------------------------------------===//

/// pre = bias + conv(x, weight), into f32 scratch [B,D,L].
static Value emitPreActivation(const ConvBuffers &in, ImplicitLocOpBuilder &b,
                               ParallelTarget &target) {
  Value pre = allocScratch(b, {in.batch, in.channels, in.length});
  forEachPoint(b, target, {in.batch, in.channels, in.length},
               [&](KernelBuilder &kb, ValueRange iv) {
                 kb.store(in.preActivation(kb, iv[0], iv[1], iv[2]), pre, iv);
               });
  return pre;
}

void mlir::ssm::emitCausalConv1dUnfused(CausalConv1dOp op, const IRMapping &m,
                                        ImplicitLocOpBuilder &b,
                                        ParallelTarget &target) {
  ConvBuffers in(op, m);
  if (!in.silu)
    return emitCausalConv1d(op, m, b, target);
  Value pre = emitPreActivation(in, b, target);
  Value y = m.lookup(op.getY());
  forEachPoint(b, target, {in.batch, in.channels, in.length},
               [&](KernelBuilder &kb, ValueRange iv) {
                 kb.store(kb.silu(kb.load(pre, iv)), y, iv);
               });
}

void mlir::ssm::emitCausalConv1dGradUnfused(CausalConv1dGradOp op,
                                            const IRMapping &m,
                                            ImplicitLocOpBuilder &b,
                                            ParallelTarget &target) {
  ConvBuffers in(op, m);
  if (!in.silu)
    return emitCausalConv1dGrad(op, m, b, target);
  Value pre = emitPreActivation(in, b, target);
  // The silu backward: dpre = dy * silu'(pre).
  Value dy = m.lookup(op.getDy());
  Value dpre = allocScratch(b, {in.batch, in.channels, in.length});
  forEachPoint(b, target, {in.batch, in.channels, in.length},
               [&](KernelBuilder &kb, ValueRange iv) {
                 kb.store(
                     kb.mul(kb.load(dy, iv), kb.siluGrad(kb.load(pre, iv))),
                     dpre, iv);
               });
  in.emitBackward(
      b, target,
      [&](KernelBuilder &kb, Value bi, Value d, Value l) {
        return kb.load(dpre, {bi, d, l});
      },
      m.lookup(op.getDx()), m.lookup(op.getDweight()),
      m.lookupOrNull(op.getDbias()));
}
