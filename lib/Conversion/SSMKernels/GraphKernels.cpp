//===- GraphKernels.cpp - kernels of the graph ops --------------*- C++ -*-===//
//
// The `fused` (only) lowering of the ops around the scans: projections,
// embeddings, the loss and the layout ops, one point per output element
// (a row per point where a row is reduced). Every sum is made by one point
// in a fixed order, so the gradients are deterministic on every target.
// These are the generic kernels both targets share; the GPU's matrix
// products will get a library call as their default (issue 14).
//
//===----------------------------------------------------------------------===//

#include "GraphKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::ssm;

/// The class or token id at `indices` of an i32 buffer, as an index, and
/// whether it lies in [0, bound). An id outside is clamped to 0 so that a
/// read with it stays inside the table; the caller masks the value.
static std::pair<Value, Value> loadId(KernelBuilder &kb, Value ids,
                                      ValueRange indices, int64_t bound) {
  ImplicitLocOpBuilder &b = kb.builder();
  Value id = memref::LoadOp::create(b, ids, indices);
  Value zero = arith::ConstantIntOp::create(b, 0, 32);
  Value limit = arith::ConstantIntOp::create(b, bound, 32);
  Value valid = arith::AndIOp::create(
      b, arith::CmpIOp::create(b, arith::CmpIPredicate::sge, id, zero),
      arith::CmpIOp::create(b, arith::CmpIPredicate::slt, id, limit));
  Value clamped = arith::SelectOp::create(b, valid, id, zero);
  return {arith::IndexCastOp::create(b, b.getIndexType(), clamped), valid};
}

//===----------------------------------------------------------------------===//
// Linear layer
//===----------------------------------------------------------------------===//

void mlir::ssm::emitLinear(LinearOp op, const IRMapping &m,
                           ImplicitLocOpBuilder &b, ParallelTarget &target) {
  Value x = collapseRows(b, m.lookup(op.getX()));
  Value y = collapseRows(b, m.lookup(op.getY()));
  Value weight = m.lookup(op.getWeight());
  Value bias = m.lookupOrNull(op.getBias());
  int64_t rows = shapeOf(x)[0], in = shapeOf(x)[1], out = shapeOf(y)[1];
  forEachPoint(b, target, {rows, out}, [&](KernelBuilder &kb, ValueRange iv) {
    Value sum = kb.sumOver(0, in, [&](Value k) {
      return kb.mul(kb.load(x, {iv[0], k}), kb.load(weight, {iv[1], k}));
    });
    if (bias)
      sum = kb.add(sum, kb.load(bias, {iv[1]}));
    kb.store(sum, y, iv);
  });
}

void mlir::ssm::emitLinearGrad(LinearGradOp op, const IRMapping &m,
                               ImplicitLocOpBuilder &b,
                               ParallelTarget &target) {
  Value x = collapseRows(b, m.lookup(op.getX()));
  Value dy = collapseRows(b, m.lookup(op.getDy()));
  Value dx = collapseRows(b, m.lookup(op.getDx()));
  Value weight = m.lookup(op.getWeight());
  Value dweight = m.lookup(op.getDweight());
  Value dbias = m.lookupOrNull(op.getDbias());
  int64_t rows = shapeOf(x)[0], in = shapeOf(x)[1], out = shapeOf(dy)[1];
  // dx = dy * weight.
  forEachPoint(b, target, {rows, in}, [&](KernelBuilder &kb, ValueRange iv) {
    kb.store(kb.sumOver(0, out,
                        [&](Value n) {
                          return kb.mul(kb.load(dy, {iv[0], n}),
                                        kb.load(weight, {n, iv[1]}));
                        }),
             dx, iv);
  });
  // dweight = dy^T * x, each element summed over the rows by one point.
  forEachPoint(b, target, {out, in}, [&](KernelBuilder &kb, ValueRange iv) {
    kb.store(
        kb.sumOver(
            0, rows,
            [&](Value r) {
              return kb.mul(kb.load(dy, {r, iv[0]}), kb.load(x, {r, iv[1]}));
            }),
        dweight, iv);
  });
  if (dbias)
    emitColumnSums(b, target, dy, dbias);
}

//===----------------------------------------------------------------------===//
// Token embedding
//===----------------------------------------------------------------------===//

void mlir::ssm::emitEmbedding(EmbeddingOp op, const IRMapping &m,
                              ImplicitLocOpBuilder &b, ParallelTarget &target) {
  Value tokens = collapseRows(b, m.lookup(op.getTokens()), false);
  Value y = collapseRows(b, m.lookup(op.getY()));
  Value weight = m.lookup(op.getWeight());
  int64_t rows = shapeOf(tokens)[0];
  int64_t vocab = shapeOf(weight)[0], width = shapeOf(weight)[1];
  forEachPoint(b, target, {rows, width}, [&](KernelBuilder &kb, ValueRange iv) {
    auto [id, valid] = loadId(kb, tokens, {iv[0]}, vocab);
    kb.store(kb.select(valid, kb.load(weight, {id, iv[1]}), kb.f32(0.0)), y,
             iv);
  });
}

void mlir::ssm::emitEmbeddingGrad(EmbeddingGradOp op, const IRMapping &m,
                                  ImplicitLocOpBuilder &b,
                                  ParallelTarget &target) {
  Value tokens = collapseRows(b, m.lookup(op.getTokens()), false);
  Value dy = collapseRows(b, m.lookup(op.getDy()));
  Value dweight = m.lookup(op.getDweight());
  int64_t rows = shapeOf(tokens)[0];
  int64_t vocab = shapeOf(dweight)[0], width = shapeOf(dweight)[1];
  KernelBuilder(b, target).zeroFill(dweight);
  // A point per column walks the tokens in order: no two points write one
  // element, and each element's additions have one order.
  forEachPoint(b, target, {width}, [&](KernelBuilder &kb, ValueRange iv) {
    kb.forRange(0, rows, [&](Value r) {
      auto [id, valid] = loadId(kb, tokens, {r}, vocab);
      kb.ifThen(valid, [&] {
        kb.store(kb.add(kb.load(dweight, {id, iv[0]}), kb.load(dy, {r, iv[0]})),
                 dweight, {id, iv[0]});
      });
    });
  });
}

//===----------------------------------------------------------------------===//
// Cross-entropy loss
//===----------------------------------------------------------------------===//

// Both directions run a row of logits per forEachRow group: a warp per
// row on the GPU (a thread per row walked 50280 logits alone, its loads 32
// rows apart).

namespace {
/// One row of logits: its maximum and the sum of exp(logit - max), each
/// point of the row summing its share.
struct RowSoftmax {
  Value max, sum;

  RowSoftmax(KernelBuilder &kb, Value logits, Value row,
             const RowShare &share) {
    max = kb.rowMax(share, [&](Value v) { return kb.load(logits, {row, v}); });
    sum = kb.rowSum(share, [&](Value v) {
      return kb.exp(kb.sub(kb.load(logits, {row, v}), max));
    });
  }
};
} // namespace

void mlir::ssm::emitCrossEntropy(CrossEntropyOp op, const IRMapping &m,
                                 ImplicitLocOpBuilder &b,
                                 ParallelTarget &target) {
  Value logits = collapseRows(b, m.lookup(op.getLogits()));
  Value labels = collapseRows(b, m.lookup(op.getLabels()), false);
  Value loss = m.lookup(op.getLoss());
  int64_t rows = shapeOf(logits)[0], width = shapeOf(logits)[1];
  // Per row: the loss and whether the row counts; then one point sums the
  // rows in order.
  Value rowLoss = allocScratch(b, {rows});
  Value rowValid = allocScratch(b, {rows});
  forEachRow(
      b, target, {rows}, width,
      [&](KernelBuilder &kb, ValueRange iv, const RowShare &share) {
        ImplicitLocOpBuilder &ib = kb.builder();
        RowSoftmax softmax(kb, logits, iv[0], share);
        auto [label, valid] = loadId(kb, labels, {iv[0]}, width);
        Value logSumExp =
            kb.add(softmax.max, math::LogOp::create(ib, softmax.sum));
        // The row's first point writes its loss (an invalid label
        // reads logit 0, which the select discards).
        kb.ifFirstOfRow(share, [&] {
          Value term = kb.sub(logSumExp, kb.load(logits, {iv[0], label}));
          kb.store(kb.select(valid, term, kb.f32(0.0)), rowLoss, iv);
          kb.store(kb.select(valid, kb.f32(1.0), kb.f32(0.0)), rowValid, iv);
        });
      });
  forEachPoint(b, target, {}, [&](KernelBuilder &kb, ValueRange) {
    ImplicitLocOpBuilder &ib = kb.builder();
    Value total =
        kb.sumOver(0, rows, [&](Value r) { return kb.load(rowLoss, {r}); });
    Value count =
        kb.sumOver(0, rows, [&](Value r) { return kb.load(rowValid, {r}); });
    Value any = arith::CmpFOp::create(ib, arith::CmpFPredicate::OGT, count,
                                      kb.f32(0.0));
    Value safe = kb.select(any, count, kb.f32(1.0));
    kb.store(kb.select(any, kb.div(total, safe), kb.f32(0.0)), loss, {});
  });
}

void mlir::ssm::emitCrossEntropyGrad(CrossEntropyGradOp op, const IRMapping &m,
                                     ImplicitLocOpBuilder &b,
                                     ParallelTarget &target) {
  Value logits = collapseRows(b, m.lookup(op.getLogits()));
  Value labels = collapseRows(b, m.lookup(op.getLabels()), false);
  Value dloss = m.lookup(op.getDloss());
  Value dlogits = collapseRows(b, m.lookup(op.getDlogits()));
  int64_t rows = shapeOf(logits)[0], width = shapeOf(logits)[1];
  // dloss / count, computed once.
  Value scale = allocScratch(b, {1});
  forEachPoint(b, target, {}, [&](KernelBuilder &kb, ValueRange) {
    ImplicitLocOpBuilder &ib = kb.builder();
    Value count = kb.sumOver(0, rows, [&](Value r) {
      return kb.select(loadId(kb, labels, {r}, width).second, kb.f32(1.0),
                       kb.f32(0.0));
    });
    Value any = arith::CmpFOp::create(ib, arith::CmpFPredicate::OGT, count,
                                      kb.f32(0.0));
    Value perRow =
        kb.div(kb.load(dloss, {}), kb.select(any, count, kb.f32(1.0)));
    kb.store(perRow, scale, {kb.index(0)});
  });
  forEachRow(
      b, target, {rows}, width,
      [&](KernelBuilder &kb, ValueRange iv, const RowShare &share) {
        ImplicitLocOpBuilder &ib = kb.builder();
        RowSoftmax softmax(kb, logits, iv[0], share);
        auto [label, valid] = loadId(kb, labels, {iv[0]}, width);
        Value rowScale =
            kb.select(valid, kb.load(scale, {kb.index(0)}), kb.f32(0.0));
        kb.forRowShare(share, [&](Value v) {
          Value p =
              kb.div(kb.exp(kb.sub(kb.load(logits, {iv[0], v}), softmax.max)),
                     softmax.sum);
          Value isLabel =
              arith::CmpIOp::create(ib, arith::CmpIPredicate::eq, v, label);
          Value grad = kb.sub(p, kb.select(isLabel, kb.f32(1.0), kb.f32(0.0)));
          kb.store(kb.mul(grad, rowScale), dlogits, {iv[0], v});
        });
      });
}

//===----------------------------------------------------------------------===//
// Layout and elementwise ops
//===----------------------------------------------------------------------===//

/// The side of the square tiles a transpose that moves the innermost
/// dimension is done in: the largest of 8, 4, 2 that divides both output
/// dimensions it swaps (`inner`, the output's innermost, and `outer`, the
/// one that was the input's innermost), or 1.
static int64_t transposeTile(ArrayRef<int64_t> outShape, int64_t outer) {
  for (int64_t tile : {8, 4, 2})
    if (outShape.back() % tile == 0 && outShape[outer] % tile == 0)
      return tile;
  return 1;
}

void mlir::ssm::emitTranspose(TransposeOp op, const IRMapping &m,
                              ImplicitLocOpBuilder &b, ParallelTarget &target) {
  Value x = m.lookup(op.getX());
  Value y = m.lookup(op.getY());
  ArrayRef<int64_t> permutation = op.getPermutation();
  ArrayRef<int64_t> outShape = shapeOf(y);
  int64_t last = static_cast<int64_t>(permutation.size()) - 1;
  // `outer`: the output dimension that was the input's innermost.
  int64_t outer =
      last >= 0 ? llvm::find(permutation, last) - permutation.begin() : 0;
  int64_t tile = outer == last ? 1 : transposeTile(outShape, outer);
  if (tile > 1) {
    // A point per tile x tile square: it reads `tile` rows along the
    // input's innermost dimension and writes `tile` rows along the
    // output's, so that both sides move whole 32-byte sectors (a point per
    // element reads one element per sector on one side: ~15 % of the copy
    // bandwidth on an H100).
    SmallVector<int64_t> tiles(outShape);
    tiles[outer] /= tile;
    tiles[last] /= tile;
    forEachPoint(b, target, tiles, [&](KernelBuilder &kb, ValueRange iv) {
      SmallVector<Value> out(iv);
      out[outer] = kb.mulIndex(iv[outer], tile);
      out[last] = kb.mulIndex(iv[last], tile);
      SmallVector<SmallVector<Value>>
          rows; // rows[t][s]: out[outer]+s, out[last]+t
      for (int64_t t = 0; t < tile; ++t) {
        SmallVector<Value> at(out);
        at[last] = kb.addIndex(out[last], t);
        SmallVector<Value> source(at.size());
        for (auto [index, dim] : llvm::enumerate(permutation))
          source[dim] = at[index];
        rows.push_back(kb.loadRow(x, source, tile));
      }
      for (int64_t s = 0; s < tile; ++s) {
        SmallVector<Value> column;
        for (int64_t t = 0; t < tile; ++t)
          column.push_back(rows[t][s]);
        SmallVector<Value> at(out);
        at[outer] = kb.addIndex(out[outer], s);
        kb.storeRow(column, y, at);
      }
    });
    return;
  }
  forEachPoint(b, target, outShape, [&](KernelBuilder &kb, ValueRange iv) {
    SmallVector<Value> source(iv.size());
    for (auto [index, dim] : llvm::enumerate(permutation))
      source[dim] = iv[index];
    kb.store(kb.load(x, source), y, iv);
  });
}

void mlir::ssm::emitReshape(ReshapeOp op, const IRMapping &m,
                            ImplicitLocOpBuilder &b, ParallelTarget &target) {
  Value x = m.lookup(op.getX());
  Value y = m.lookup(op.getY());
  ArrayRef<int64_t> inShape = shapeOf(x);
  forEachPoint(b, target, shapeOf(y), [&](KernelBuilder &kb, ValueRange iv) {
    // The row-major position of the point, delinearised in x's shape.
    Value rest = kb.linearIndex(iv, shapeOf(y));
    SmallVector<Value> source(inShape.size());
    for (int64_t i = static_cast<int64_t>(inShape.size()) - 1; i >= 0; --i) {
      source[i] =
          arith::RemUIOp::create(kb.builder(), rest, kb.index(inShape[i]));
      rest = kb.divIndex(rest, inShape[i]);
    }
    kb.store(kb.load(x, source), y, iv);
  });
}

void mlir::ssm::emitSlice(SliceOp op, const IRMapping &m,
                          ImplicitLocOpBuilder &b, ParallelTarget &target) {
  Value x = m.lookup(op.getX());
  Value y = m.lookup(op.getY());
  int64_t axis = op.getAxis(), offset = op.getOffset();
  forEachPoint(b, target, shapeOf(y), [&](KernelBuilder &kb, ValueRange iv) {
    SmallVector<Value> source(iv.begin(), iv.end());
    source[axis] = kb.addIndex(iv[axis], offset);
    kb.store(kb.load(x, source), y, iv);
  });
}

void mlir::ssm::emitSliceGrad(SliceGradOp op, const IRMapping &m,
                              ImplicitLocOpBuilder &b, ParallelTarget &target) {
  Value dy = m.lookup(op.getDy());
  Value dx = m.lookup(op.getDx());
  int64_t axis = op.getAxis(), offset = op.getOffset(), size = op.getSize();
  forEachPoint(b, target, shapeOf(dx), [&](KernelBuilder &kb, ValueRange iv) {
    ImplicitLocOpBuilder &ib = kb.builder();
    Value shifted = arith::SubIOp::create(ib, iv[axis], kb.index(offset));
    // Unsigned: positions before the slice wrap around and fail too.
    Value inside = arith::CmpIOp::create(ib, arith::CmpIPredicate::ult, shifted,
                                         kb.index(size));
    SmallVector<Value> source(iv.begin(), iv.end());
    source[axis] = kb.select(inside, shifted, kb.index(0));
    kb.store(kb.select(inside, kb.load(dy, source), kb.f32(0.0)), dx, iv);
  });
}

void mlir::ssm::emitConcat(ConcatOp op, const IRMapping &m,
                           ImplicitLocOpBuilder &b, ParallelTarget &target) {
  Value lhs = m.lookup(op.getLhs());
  Value rhs = m.lookup(op.getRhs());
  Value y = m.lookup(op.getY());
  int64_t axis = op.getAxis();
  int64_t split = shapeOf(lhs)[axis];
  forEachPoint(b, target, shapeOf(y), [&](KernelBuilder &kb, ValueRange iv) {
    ImplicitLocOpBuilder &ib = kb.builder();
    Value inLhs = kb.cmpIndexLt(iv[axis], split);
    SmallVector<Value> at(iv.begin(), iv.end());
    // Both loads stay in bounds; the select keeps the side the point is on.
    at[axis] = kb.minIndex(iv[axis], split - 1);
    Value left = kb.load(lhs, at);
    Value shifted = arith::SubIOp::create(ib, iv[axis], kb.index(split));
    at[axis] = kb.select(inLhs, kb.index(0), shifted);
    Value right = kb.load(rhs, at);
    kb.store(kb.select(inLhs, left, right), y, iv);
  });
}

void mlir::ssm::emitFlip(FlipOp op, const IRMapping &m, ImplicitLocOpBuilder &b,
                         ParallelTarget &target) {
  Value x = m.lookup(op.getX());
  Value y = m.lookup(op.getY());
  int64_t axis = op.getAxis();
  int64_t last = shapeOf(x)[axis] - 1;
  forEachPoint(b, target, shapeOf(y), [&](KernelBuilder &kb, ValueRange iv) {
    SmallVector<Value> source(iv.begin(), iv.end());
    source[axis] =
        arith::SubIOp::create(kb.builder(), kb.index(last), iv[axis]);
    kb.store(kb.load(x, source), y, iv);
  });
}

void mlir::ssm::emitAdd(AddOp op, const IRMapping &m, ImplicitLocOpBuilder &b,
                        ParallelTarget &target) {
  Value lhs = m.lookup(op.getLhs());
  Value rhs = m.lookup(op.getRhs());
  Value y = m.lookup(op.getY());
  forEachPoint(b, target, shapeOf(y), [&](KernelBuilder &kb, ValueRange iv) {
    kb.store(kb.add(kb.load(lhs, iv), kb.load(rhs, iv)), y, iv);
  });
}

void mlir::ssm::emitFill(FillOp op, const IRMapping &m, ImplicitLocOpBuilder &b,
                         ParallelTarget &target) {
  Value y = m.lookup(op.getY());
  double value = op.getValue().convertToDouble();
  forEachPoint(b, target, shapeOf(y), [&](KernelBuilder &kb, ValueRange iv) {
    kb.store(kb.f32(value), y, iv);
  });
}
