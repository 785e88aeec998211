//===- KernelBuilder.cpp - building blocks of the ssm kernels ---*- C++ -*-===//

#include "ssm/Conversion/SSMKernels/KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <limits>

using namespace mlir;
using namespace mlir::ssm;

ArrayRef<int64_t> mlir::ssm::shapeOf(Value value) {
  return cast<ShapedType>(value.getType()).getShape();
}

Value KernelBuilder::index(int64_t value) {
  return arith::ConstantIndexOp::create(b, value);
}

Value KernelBuilder::f32(double value) {
  return arith::ConstantOp::create(b, b.getF32FloatAttr(value));
}

Value KernelBuilder::load(Value memref, ValueRange indices) {
  Value value = memref::LoadOp::create(b, memref, indices);
  if (!value.getType().isF32())
    value = arith::ExtFOp::create(b, b.getF32Type(), value);
  return value;
}

void KernelBuilder::store(Value value, Value memref, ValueRange indices) {
  Type element = cast<MemRefType>(memref.getType()).getElementType();
  if (element != value.getType())
    value = arith::TruncFOp::create(b, element, value);
  memref::StoreOp::create(b, value, memref, indices);
}

void KernelBuilder::accumulate(Value value, Value memref, ValueRange indices) {
  if (target.concurrentPoints()) {
    memref::AtomicRMWOp::create(b, arith::AtomicRMWKind::addf, value, memref,
                                indices);
    return;
  }
  store(add(load(memref, indices), value), memref, indices);
}

/// The indices of `acc`'s element at `indices` in the copy `slot`.
static SmallVector<Value> slotIndices(Value slot, ValueRange indices) {
  SmallVector<Value> at = {slot};
  at.append(indices.begin(), indices.end());
  return at;
}

void KernelBuilder::accumulate(const Accumulator &acc, Value value,
                               ValueRange indices, Value slot) {
  if (!acc.ordered()) {
    accumulate(value, acc.target(), indices);
    return;
  }
  SmallVector<Value> at = slotIndices(slot, indices);
  store(add(load(acc.scratch, at), value), acc.scratch, at);
}

void KernelBuilder::accumulateOverInnermost(const Accumulator &acc, Value value,
                                            ValueRange indices, Value slot) {
  if (!acc.ordered()) {
    accumulateOverInnermost(value, acc.target(), indices);
    return;
  }
  SmallVector<Value> at = slotIndices(slot, indices);
  if (!target.accumulateOverInnermost(b, value, acc.scratch, at,
                                      /*atomic=*/false))
    store(add(load(acc.scratch, at), value), acc.scratch, at);
}

void KernelBuilder::accumulateRowOverInnermost(ArrayRef<Value> values,
                                               const Accumulator &acc,
                                               ValueRange indices, Value slot) {
  if (!acc.ordered()) {
    accumulateRowOverInnermost(values, acc.target(), indices);
    return;
  }
  SmallVector<Value> at = slotIndices(slot, indices);
  if (target.accumulateRowOverInnermost(b, values, acc.scratch, at,
                                        /*atomic=*/false))
    return;
  for (auto [i, value] : llvm::enumerate(values)) {
    at.back() = addIndex(indices.back(), i);
    if (!target.accumulateOverInnermost(b, value, acc.scratch, at,
                                        /*atomic=*/false))
      store(add(load(acc.scratch, at), value), acc.scratch, at);
  }
}

/// Alignment in bytes of a row of `count` (a power of two) elements whose
/// first index is a multiple of `count`, in a buffer aligned to 16 bytes.
static llvm::MaybeAlign rowAlignment(Type element, int64_t count) {
  assert(llvm::isPowerOf2_64(count) && "rows are a power of two long");
  int64_t bytes = count * element.getIntOrFloatBitWidth() / 8;
  return llvm::MaybeAlign(std::min<int64_t>(bytes, 16));
}

SmallVector<Value> KernelBuilder::loadRow(Value memref, ValueRange indices,
                                          int64_t count) {
  SmallVector<Value> values;
  if (count == 1 || !target.vectorRows()) {
    SmallVector<Value> at(indices);
    for (int64_t i = 0; i < count; ++i) {
      at.back() = addIndex(indices.back(), i);
      values.push_back(load(memref, at));
    }
    return values;
  }
  Type element = cast<MemRefType>(memref.getType()).getElementType();
  Value row = vector::LoadOp::create(b, VectorType::get({count}, element),
                                     memref, indices, /*nontemporal=*/false,
                                     rowAlignment(element, count));
  for (int64_t i = 0; i < count; ++i) {
    Value v = vector::ExtractOp::create(b, row, ArrayRef<int64_t>{i});
    if (!element.isF32())
      v = arith::ExtFOp::create(b, b.getF32Type(), v);
    values.push_back(v);
  }
  return values;
}

void KernelBuilder::storeRow(ArrayRef<Value> values, Value memref,
                             ValueRange indices) {
  int64_t count = values.size();
  if (count == 1 || !target.vectorRows()) {
    SmallVector<Value> at(indices);
    for (int64_t i = 0; i < count; ++i) {
      at.back() = addIndex(indices.back(), i);
      store(values[i], memref, at);
    }
    return;
  }
  Type element = cast<MemRefType>(memref.getType()).getElementType();
  Value row = vector::FromElementsOp::create(
      b, VectorType::get({count}, b.getF32Type()), values);
  if (!element.isF32())
    row = arith::TruncFOp::create(b, VectorType::get({count}, element), row);
  vector::StoreOp::create(b, row, memref, indices, /*nontemporal=*/false,
                          rowAlignment(element, count));
}

void KernelBuilder::accumulateOverInnermost(Value value, Value memref,
                                            ValueRange indices) {
  if (!target.accumulateOverInnermost(b, value, memref, indices))
    accumulate(value, memref, indices);
}

void KernelBuilder::accumulateRowOverInnermost(ArrayRef<Value> values,
                                               Value memref,
                                               ValueRange indices) {
  if (target.accumulateRowOverInnermost(b, values, memref, indices))
    return;
  SmallVector<Value> at(indices);
  for (auto [i, value] : llvm::enumerate(values)) {
    at.back() = addIndex(indices.back(), i);
    accumulateOverInnermost(value, memref, at);
  }
}

// Sums and products may be contracted into fused multiply-adds (one
// rounding instead of two): without `contract` the NVPTX backend emits
// mul.rn + add.rn pairs, which ptxas may not fuse.
Value KernelBuilder::add(Value x, Value y) {
  return arith::AddFOp::create(b, x, y, arith::FastMathFlags::contract);
}
Value KernelBuilder::sub(Value x, Value y) {
  return arith::SubFOp::create(b, x, y, arith::FastMathFlags::contract);
}
Value KernelBuilder::mul(Value x, Value y) {
  return arith::MulFOp::create(b, x, y, arith::FastMathFlags::contract);
}
Value KernelBuilder::div(Value x, Value y) {
  return arith::DivFOp::create(b, x, y);
}
Value KernelBuilder::exp(Value x) { return math::ExpOp::create(b, x); }
Value KernelBuilder::sqrt(Value x) { return math::SqrtOp::create(b, x); }

Value KernelBuilder::sigmoid(Value x) {
  // 1 / (1 + exp(-x)): exp overflows to +inf for very negative x, which
  // gives the correct limit 0.
  Value negX = arith::NegFOp::create(b, x);
  return div(f32(1.0), add(f32(1.0), exp(negX)));
}

Value KernelBuilder::silu(Value x) { return mul(x, sigmoid(x)); }

Value KernelBuilder::siluGrad(Value x) {
  Value s = sigmoid(x);
  return mul(s, add(f32(1.0), mul(x, sub(f32(1.0), s))));
}

Value KernelBuilder::softplus(Value x) {
  Value threshold = f32(20.0);
  Value clamped = arith::MinimumFOp::create(b, x, threshold);
  Value smooth = math::Log1pOp::create(b, exp(clamped));
  Value large =
      arith::CmpFOp::create(b, arith::CmpFPredicate::OGT, x, threshold);
  return select(large, x, smooth);
}

Value KernelBuilder::addIndex(Value x, int64_t c) {
  return arith::AddIOp::create(b, x, index(c));
}
Value KernelBuilder::mulIndex(Value x, int64_t c) {
  return arith::MulIOp::create(b, x, index(c));
}
Value KernelBuilder::subIndex(int64_t c, Value x) {
  return arith::SubIOp::create(b, index(c), x);
}
Value KernelBuilder::divIndex(Value x, int64_t c) {
  return arith::DivUIOp::create(b, x, index(c));
}
Value KernelBuilder::minIndex(Value x, int64_t c) {
  return arith::MinUIOp::create(b, x, index(c));
}
Value KernelBuilder::cmpIndexLt(Value x, int64_t c) {
  return arith::CmpIOp::create(b, arith::CmpIPredicate::slt, x, index(c));
}
Value KernelBuilder::select(Value cond, Value x, Value y) {
  return arith::SelectOp::create(b, cond, x, y);
}

void KernelBuilder::forRange(Value lb, Value ub,
                             function_ref<void(Value)> body) {
  auto loop = scf::ForOp::create(b, lb, ub, index(1));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(loop.getBody()->getTerminator());
  body(loop.getInductionVar());
}

void KernelBuilder::forRange(int64_t lb, int64_t ub,
                             function_ref<void(Value)> body) {
  forRange(index(lb), index(ub), body);
}

void KernelBuilder::forRangeReverse(Value n, function_ref<void(Value)> body) {
  forRange(index(0), n, [&](Value iv) {
    Value last = arith::SubIOp::create(b, n, index(1));
    body(arith::SubIOp::create(b, last, iv));
  });
}

void KernelBuilder::forRangeReverse(int64_t n, function_ref<void(Value)> body) {
  forRangeReverse(index(n), body);
}

SmallVector<Value> KernelBuilder::forRangeCarry(
    Value lb, Value ub, ValueRange init,
    function_ref<SmallVector<Value>(Value, ValueRange)> body) {
  auto loop = scf::ForOp::create(b, lb, ub, index(1), init);
  Block *loopBody = loop.getBody();
  if (loopBody->mightHaveTerminator())
    loopBody->getTerminator()->erase();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(loopBody);
  SmallVector<Value> next =
      body(loop.getInductionVar(), loop.getRegionIterArgs());
  scf::YieldOp::create(b, next);
  return SmallVector<Value>(loop.getResults());
}

Value KernelBuilder::linearIndex(ValueRange ivs, ArrayRef<int64_t> bounds) {
  assert(ivs.size() == bounds.size() && "one index per bound");
  Value linear = index(0);
  for (auto [iv, bound] : llvm::zip(ivs, bounds))
    linear = arith::AddIOp::create(b, mulIndex(linear, bound), iv);
  return linear;
}

Value KernelBuilder::sumOver(Value lb, Value ub,
                             function_ref<Value(Value)> term) {
  return forRangeCarry(lb, ub, {f32(0.0)},
                       [&](Value iv, ValueRange sum) -> SmallVector<Value> {
                         return {add(sum[0], term(iv))};
                       })
      .front();
}

Value KernelBuilder::sumOver(int64_t lb, int64_t ub,
                             function_ref<Value(Value)> term) {
  return sumOver(index(lb), index(ub), term);
}

void KernelBuilder::ifThen(Value cond, function_ref<void()> then) {
  auto ifOp = scf::IfOp::create(b, cond, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
  then();
}

RowShare KernelBuilder::wholeRow(int64_t width) { return {index(0), 1, width}; }

void KernelBuilder::forRowShare(const RowShare &share,
                                function_ref<void(Value)> body) {
  auto loop =
      scf::ForOp::create(b, share.lane, index(share.width), index(share.lanes));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(loop.getBody()->getTerminator());
  body(loop.getInductionVar());
}

/// Folds term(j) over the row share with `combine`, from `init`, then over
/// the row's points.
static Value foldRow(KernelBuilder &kb, const RowShare &share, Value init,
                     bool maximum, function_ref<Value(Value)> term) {
  ImplicitLocOpBuilder &b = kb.builder();
  auto loop = scf::ForOp::create(b, share.lane, kb.index(share.width),
                                 kb.index(share.lanes), ValueRange{init});
  {
    OpBuilder::InsertionGuard guard(b);
    Block *body = loop.getBody();
    if (body->mightHaveTerminator())
      body->getTerminator()->erase();
    b.setInsertionPointToEnd(body);
    Value carried = loop.getRegionIterArgs().front();
    Value value = term(loop.getInductionVar());
    Value next = maximum ? arith::MaximumFOp::create(b, carried, value)
                         : kb.add(carried, value);
    scf::YieldOp::create(b, next);
  }
  Value partial = loop.getResult(0);
  if (share.lanes == 1)
    return partial;
  return kb.parallel().combineRowLanes(b, partial, maximum);
}

Value KernelBuilder::rowSum(const RowShare &share,
                            function_ref<Value(Value)> term) {
  return foldRow(*this, share, f32(0.0), /*maximum=*/false, term);
}

Value KernelBuilder::rowMax(const RowShare &share,
                            function_ref<Value(Value)> term) {
  return foldRow(*this, share, f32(-std::numeric_limits<double>::infinity()),
                 /*maximum=*/true, term);
}

void KernelBuilder::ifFirstOfRow(const RowShare &share,
                                 function_ref<void()> then) {
  ifThen(cmpIndexLt(share.lane, 1), then);
}

Value KernelBuilder::privateBuffer(ArrayRef<int64_t> shape) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(allocaBlock);
  return memref::AllocaOp::create(b, MemRefType::get(shape, b.getF32Type()));
}

void KernelBuilder::zeroFill(Value memref) {
  target.parallelFor(b, shapeOf(memref),
                     [&](ImplicitLocOpBuilder &inner, ValueRange ivs) {
                       KernelBuilder kb(inner, target);
                       kb.store(kb.f32(0.0), memref, ivs);
                     });
}

void KernelBuilder::convertCopy(Value source, Value dest) {
  target.parallelFor(b, shapeOf(dest),
                     [&](ImplicitLocOpBuilder &inner, ValueRange ivs) {
                       KernelBuilder kb(inner, target);
                       kb.store(kb.load(source, ivs), dest, ivs);
                     });
}

Accumulator mlir::ssm::makeAccumulator(KernelBuilder &kb, Value result,
                                       int64_t slots) {
  Accumulator acc{result, Value()};
  if (!result)
    return acc;
  ParallelTarget &target = kb.parallel();
  auto type = cast<MemRefType>(result.getType());
  Type f32 = kb.builder().getF32Type();
  if (target.orderedReductions() && target.concurrentPoints()) {
    assert(slots >= 1 && "an ordered accumulator needs a slot");
    SmallVector<int64_t> shape = {slots};
    llvm::append_range(shape, type.getShape());
    acc.scratch =
        memref::AllocOp::create(kb.builder(), MemRefType::get(shape, f32));
    acc.slots = slots;
  } else if (!type.getElementType().isF32()) {
    acc.scratch = memref::AllocOp::create(
        kb.builder(), MemRefType::get(type.getShape(), f32));
  }
  kb.zeroFill(acc.target());
  return acc;
}

/// Sums the `slots` copies of `partials` ([slots, shape...], f32) in slot
/// order into `dest` ([shape...], any float type); the sums of more than
/// kSlotFanIn copies go through f32 buffers of group sums, each group summed
/// in order, so that every element's additions happen in one fixed order.
static void sumSlots(KernelBuilder &kb, Value partials, int64_t slots,
                     Value dest) {
  ImplicitLocOpBuilder &b = kb.builder();
  ParallelTarget &target = kb.parallel();
  ArrayRef<int64_t> shape = shapeOf(dest);
  while (slots > kSlotFanIn) {
    int64_t groups = (slots + kSlotFanIn - 1) / kSlotFanIn;
    SmallVector<int64_t> groupShape = {groups};
    llvm::append_range(groupShape, shape);
    Value sums =
        memref::AllocOp::create(b, MemRefType::get(groupShape, b.getF32Type()));
    target.parallelFor(
        b, groupShape, [&](ImplicitLocOpBuilder &inner, ValueRange ivs) {
          KernelBuilder ikb(inner, target);
          Value first = ikb.mulIndex(ivs[0], kSlotFanIn);
          Value last = ikb.minIndex(ikb.addIndex(first, kSlotFanIn), slots);
          Value sum = ikb.sumOver(first, last, [&](Value s) {
            return ikb.load(partials, slotIndices(s, ivs.drop_front()));
          });
          ikb.store(sum, sums, ivs);
        });
    partials = sums;
    slots = groups;
  }
  target.parallelFor(b, shape,
                     [&](ImplicitLocOpBuilder &inner, ValueRange ivs) {
                       KernelBuilder ikb(inner, target);
                       Value sum = ikb.sumOver(0, slots, [&](Value s) {
                         return ikb.load(partials, slotIndices(s, ivs));
                       });
                       ikb.store(sum, dest, ivs);
                     });
}

void mlir::ssm::finishAccumulator(KernelBuilder &kb, const Accumulator &acc) {
  if (acc.ordered())
    sumSlots(kb, acc.scratch, acc.slots, acc.result);
  else if (acc.scratch)
    kb.convertCopy(acc.scratch, acc.result);
}

/// `memref` seen as [rows, last] (its leading dimensions collapsed), or as
/// [rows] when `keepLast` is false; a view, no copy.
Value mlir::ssm::collapseRows(ImplicitLocOpBuilder &b, Value memref,
                              bool keepLast) {
  auto type = cast<MemRefType>(memref.getType());
  int64_t rank = type.getRank();
  int64_t target = keepLast ? 2 : 1;
  if (rank == target)
    return memref;
  SmallVector<ReassociationIndices> groups(1);
  for (int64_t i = 0; i < rank - (keepLast ? 1 : 0); ++i)
    groups[0].push_back(i);
  if (keepLast)
    groups.push_back({rank - 1});
  return memref::CollapseShapeOp::create(b, memref, groups);
}

void mlir::ssm::forEachPoint(
    ImplicitLocOpBuilder &b, ParallelTarget &target, ArrayRef<int64_t> bounds,
    function_ref<void(KernelBuilder &, ValueRange)> body) {
  target.parallelFor(b, bounds, [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
    KernelBuilder kb(ib, target);
    body(kb, iv);
  });
}

void mlir::ssm::forEachRow(
    ImplicitLocOpBuilder &b, ParallelTarget &target, ArrayRef<int64_t> rows,
    int64_t width,
    function_ref<void(KernelBuilder &, ValueRange, const RowShare &)> body) {
  int64_t lanes = target.rowLanes();
  SmallVector<int64_t> bounds(rows);
  if (lanes > 1)
    bounds.push_back(lanes);
  forEachPoint(b, target, bounds, [&](KernelBuilder &kb, ValueRange iv) {
    if (lanes == 1) {
      body(kb, iv, kb.wholeRow(width));
      return;
    }
    body(kb, iv.drop_back(), RowShare{iv.back(), lanes, width});
  });
}

Value mlir::ssm::allocScratch(ImplicitLocOpBuilder &b,
                              ArrayRef<int64_t> shape) {
  return memref::AllocOp::create(b, MemRefType::get(shape, b.getF32Type()));
}

void mlir::ssm::emitColumnSums(ImplicitLocOpBuilder &b, ParallelTarget &target,
                               Value matrix, Value sums) {
  int64_t rows = shapeOf(matrix)[0];
  forEachPoint(b, target, shapeOf(sums), [&](KernelBuilder &kb, ValueRange iv) {
    kb.store(kb.sumOver(0, rows,
                        [&](Value r) {
                          return kb.load(matrix, {r, iv[0]});
                        }),
             sums, iv);
  });
}
