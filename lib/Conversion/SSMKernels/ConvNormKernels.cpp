//===- ConvNormKernels.cpp - causal conv1d and RMS norm kernels -*- C++ -*-===//
//
// The `fused` variant: one pass over the data each. The convolution maps one
// point per output element (the gradient of the weights one point per
// channel), the norm one point per row of the normalised dimension. The
// operand structs are shared with the unfused variant (ConvNorm.h).
//
//===----------------------------------------------------------------------===//

#include "ConvNorm.h"
#include "ScanKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::ssm;

//===----------------------------------------------------------------------===//
// Causal conv1d
//===----------------------------------------------------------------------===//

Value ConvBuffers::preActivation(KernelBuilder &kb, Value b, Value d,
                                 Value l) const {
  // Reads are clamped to a valid index and masked, so no branch is needed.
  Value acc = kb.privateBuffer({1});
  Value zero = kb.index(0);
  kb.store(bias ? kb.load(bias, {d}) : kb.f32(0.0), acc, {zero});
  ImplicitLocOpBuilder &ib = kb.builder();
  kb.forRange(0, width, [&](Value k) {
    Value shifted = arith::AddIOp::create(ib, l, k);
    Value valid = arith::CmpIOp::create(ib, arith::CmpIPredicate::sge, shifted,
                                        kb.index(width - 1));
    Value src = arith::SubIOp::create(
        ib, arith::MaxSIOp::create(ib, shifted, kb.index(width - 1)),
        kb.index(width - 1));
    Value term = kb.mul(kb.load(weight, {d, k}), kb.load(x, {b, d, src}));
    kb.store(kb.add(kb.load(acc, {zero}), kb.select(valid, term, kb.f32(0.0))),
             acc, {zero});
  });
  return kb.load(acc, {zero});
}

/// dLoss/dpre at (b, d, l), recomputing the pre-activation under silu.
static Value recomputedPreGrad(KernelBuilder &kb, const ConvBuffers &in,
                               Value dy, Value b, Value d, Value l) {
  Value grad = kb.load(dy, {b, d, l});
  if (in.silu)
    grad = kb.mul(grad, kb.siluGrad(in.preActivation(kb, b, d, l)));
  return grad;
}

void mlir::ssm::emitCausalConv1d(CausalConv1dOp op, const IRMapping &m,
                                 ImplicitLocOpBuilder &b,
                                 ParallelTarget &target) {
  ConvBuffers in(op, m);
  Value y = m.lookup(op.getY());
  target.parallelFor(b, {in.batch, in.channels, in.length},
                     [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
                       KernelBuilder kb(ib, target);
                       Value pre = in.preActivation(kb, iv[0], iv[1], iv[2]);
                       kb.store(in.silu ? kb.silu(pre) : pre, y, iv);
                     });
}

void mlir::ssm::emitCausalConv1dGrad(CausalConv1dGradOp op, const IRMapping &m,
                                     ImplicitLocOpBuilder &b,
                                     ParallelTarget &target) {
  ConvBuffers in(op, m);
  Value dy = m.lookup(op.getDy());
  Value dx = m.lookup(op.getDx());
  Value dweight = m.lookup(op.getDweight());
  Value dbias = m.lookupOrNull(op.getDbias());
  in.emitBackward(
      b, target,
      [&](KernelBuilder &kb, Value bi, Value d, Value l) {
        return recomputedPreGrad(kb, in, dy, bi, d, l);
      },
      dx, dweight, dbias);
}

void ConvBuffers::emitBackward(ImplicitLocOpBuilder &b, ParallelTarget &target,
                               PreGradFn preGrad, Value dx, Value dweight,
                               Value dbias) const {
  // dx[b,d,l] = sum_k w[d,k] * dpre[b,d,l+(W-1)-k], for targets inside L.
  target.parallelFor(
      b, {batch, channels, length},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value acc = kb.privateBuffer({1});
        Value zero = kb.index(0);
        kb.store(kb.f32(0.0), acc, {zero});
        kb.forRange(0, width, [&](Value k) {
          Value tgt =
              arith::SubIOp::create(ib, kb.addIndex(iv[2], width - 1), k);
          kb.ifThen(kb.cmpIndexLt(tgt, length), [&] {
            Value term = kb.mul(kb.load(weight, {iv[1], k}),
                                preGrad(kb, iv[0], iv[1], tgt));
            kb.store(kb.add(kb.load(acc, {zero}), term), acc, {zero});
          });
        });
        kb.store(kb.load(acc, {zero}), dx, iv);
      });

  // dweight[d,k] and dbias[d], reduced over the B*L positions: a row per
  // (channel, slice of positions) (forEachRow: a warp on the GPU, whose
  // lanes read consecutive positions, then combine their sums with
  // shuffles) sums its slice, and its first point adds the sums into the
  // slot of its slice (ordered accumulators: the slices summed in a fixed
  // order, so deterministic; atomics with deterministic=false). A point per
  // channel walking all B*L positions took 144 ms of the Mamba 130M step
  // on an H100, a point per slice (its positions 256 apart from its
  // neighbour's) 20 ms (docs/PERFORMANCE.md). On a target whose points run
  // one after the other a single slice is the same sum.
  int64_t positions = batch * length;
  int64_t perSlice = target.concurrentPoints() ? kConvGradSlice : positions;
  int64_t slices = (positions + perSlice - 1) / perSlice;
  KernelBuilder outer(b, target);
  Accumulator weightAcc = makeAccumulator(outer, dweight, slices);
  Accumulator biasAcc = makeAccumulator(outer, dbias, slices);
  forEachRow(
      b, target, {channels, slices}, perSlice,
      [&](KernelBuilder &kb, ValueRange iv, const RowShare &share) {
        ImplicitLocOpBuilder &ib = kb.builder();
        Value d = iv[0], slice = iv[1];
        Value dw = kb.privateBuffer({width + 1}); // [W]: dbias
        kb.forRange(0, width + 1,
                    [&](Value k) { kb.store(kb.f32(0.0), dw, {k}); });
        Value biasSlot = kb.index(width);
        Value first = kb.mulIndex(slice, perSlice);
        kb.forRowShare(share, [&](Value j) {
          Value p = arith::AddIOp::create(ib, first, j);
          kb.ifThen(kb.cmpIndexLt(p, positions), [&] {
            Value bi = kb.divIndex(p, length);
            Value l = arith::RemUIOp::create(ib, p, kb.index(length));
            Value grad = preGrad(kb, bi, d, l);
            kb.store(kb.add(kb.load(dw, {biasSlot}), grad), dw, {biasSlot});
            kb.forRange(0, width, [&](Value k) {
              Value shifted = arith::AddIOp::create(ib, l, k);
              kb.ifThen(arith::CmpIOp::create(ib, arith::CmpIPredicate::sge,
                                              shifted, kb.index(width - 1)),
                        [&] {
                          Value src = arith::SubIOp::create(
                              ib, shifted, kb.index(width - 1));
                          Value term = kb.mul(grad, kb.load(x, {bi, d, src}));
                          kb.store(kb.add(kb.load(dw, {k}), term), dw, {k});
                        });
            });
          });
        });
        // The row's sums (every point gets them), added by its first point.
        SmallVector<Value> sums;
        for (int64_t k = 0; k <= width; ++k) {
          Value partial = kb.load(dw, {kb.index(k)});
          sums.push_back(share.lanes > 1 ? kb.parallel().combineRowLanes(
                                               ib, partial, /*maximum=*/false)
                                         : partial);
        }
        kb.ifFirstOfRow(share, [&] {
          for (int64_t k = 0; k < width; ++k)
            kb.accumulate(weightAcc, sums[k], {d, kb.index(k)}, slice);
          if (dbias)
            kb.accumulate(biasAcc, sums[width], {d}, slice);
        });
      });
  finishAccumulator(outer, weightAcc);
  if (dbias)
    finishAccumulator(outer, biasAcc);
}

//===----------------------------------------------------------------------===//
// RMS norm
//===----------------------------------------------------------------------===//

Value NormBuffers::input(KernelBuilder &kb, ValueRange row, Value j) const {
  Value v = kb.load(x, at(row, j));
  if (residual)
    return kb.add(v, kb.load(residual, at(row, j)));
  if (z)
    return kb.mul(v, kb.silu(kb.load(z, at(row, j))));
  return v;
}

Value NormBuffers::inverseRms(KernelBuilder &kb, const RowShare &share,
                              function_ref<Value(Value)> column) const {
  Value sumSq = kb.rowSum(share, [&](Value j) {
    Value v = column(j);
    return kb.mul(v, v);
  });
  Value meanSq = kb.div(sumSq, kb.f32(double(width)));
  return kb.div(kb.f32(1.0), kb.sqrt(kb.add(meanSq, kb.f32(eps))));
}

// Both directions run a row per forEachRow group: a warp per row on the
// GPU, so that its loads and stores of a row coalesce (a thread per row
// read 32 rows 768 elements apart: 10 % of the copy bandwidth).

void mlir::ssm::emitRMSNorm(RMSNormOp op, const IRMapping &m,
                            ImplicitLocOpBuilder &b, ParallelTarget &target) {
  NormBuffers in(op, m);
  Value y = m.lookup(op.getY());
  Value residualOut = m.lookupOrNull(op.getResidualOut());
  forEachRow(b, target, in.rows, in.width,
             [&](KernelBuilder &kb, ValueRange row, const RowShare &share) {
               Value rstd = in.inverseRms(
                   kb, share, [&](Value j) { return in.input(kb, row, j); });
               kb.forRowShare(share, [&](Value j) {
                 Value v = in.input(kb, row, j);
                 kb.store(kb.mul(kb.mul(v, rstd), kb.load(in.weight, {j})), y,
                          NormBuffers::at(row, j));
                 if (residualOut)
                   kb.store(v, residualOut, NormBuffers::at(row, j));
               });
             });
}

void mlir::ssm::emitRMSNormGrad(RMSNormGradOp op, const IRMapping &m,
                                ImplicitLocOpBuilder &b,
                                ParallelTarget &target) {
  NormBuffers in(op, m);
  Value dy = m.lookup(op.getDy());
  Value dResidualOut = m.lookupOrNull(op.getDResidualOut());
  Value dx = m.lookup(op.getDx());
  Value dweight = m.lookup(op.getDweight());
  Value dresidual = m.lookupOrNull(op.getDresidual());
  Value dz = m.lookupOrNull(op.getDz());
  KernelBuilder outer(b, target);
  // Ordered: each row adds into its own copy of dweight (the points of one
  // row own different columns).
  int64_t numRows = 1;
  for (int64_t bound : in.rows)
    numRows *= bound;
  Accumulator dweightAcc = makeAccumulator(outer, dweight, numRows);

  forEachRow(
      b, target, in.rows, in.width,
      [&](KernelBuilder &kb, ValueRange row, const RowShare &share) {
        Value rstd = in.inverseRms(
            kb, share, [&](Value j) { return in.input(kb, row, j); });
        // dot = sum_j dy_j * w_j * v_j
        Value dot = kb.rowSum(share, [&](Value j) {
          return kb.mul(kb.mul(kb.load(dy, NormBuffers::at(row, j)),
                               kb.load(in.weight, {j})),
                        in.input(kb, row, j));
        });
        Value rowSlot = kb.linearIndex(row, in.rows);
        // dv = rstd * (dy w - v * dot * rstd^2 / D)
        Value coef =
            kb.div(kb.mul(dot, kb.mul(rstd, rstd)), kb.f32(double(in.width)));
        kb.forRowShare(share, [&](Value j) {
          SmallVector<Value> idx = NormBuffers::at(row, j);
          Value v = in.input(kb, row, j);
          Value dyv = kb.load(dy, idx);
          kb.accumulate(dweightAcc, kb.mul(kb.mul(dyv, v), rstd), {j}, rowSlot);
          Value dv = kb.mul(rstd, kb.sub(kb.mul(dyv, kb.load(in.weight, {j})),
                                         kb.mul(v, coef)));
          if (dResidualOut)
            dv = kb.add(dv, kb.load(dResidualOut, idx));
          if (in.z) {
            Value zv = kb.load(in.z, idx);
            kb.store(kb.mul(dv, kb.silu(zv)), dx, idx);
            kb.store(kb.mul(kb.mul(dv, kb.load(in.x, idx)), kb.siluGrad(zv)),
                     dz, idx);
            return;
          }
          kb.store(dv, dx, idx);
          if (dresidual)
            kb.store(dv, dresidual, idx);
        });
      });
  finishAccumulator(outer, dweightAcc);
}
