//===- ScanUSource.cpp - where a selective scan reads its u -----*- C++ -*-===//

#include "ssm/Conversion/SSMKernels/ScanUSource.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::ssm;

//===----------------------------------------------------------------------===//
// From a buffer
//===----------------------------------------------------------------------===//

namespace {
class BufferUChannel : public ScanUChannel {
public:
  BufferUChannel(KernelBuilder &kb, Value u, Value b, Value d)
      : kb(kb), u(u), b(b), d(d) {}

  Value at(Value t) override { return kb.load(u, {b, d, t}); }

  SmallVector<Value> row(Value start, int64_t count) override {
    return kb.loadRow(u, {b, d, start}, count);
  }

private:
  KernelBuilder &kb;
  Value u, b, d;
};
} // namespace

std::shared_ptr<ScanUChannel> BufferUSource::channel(KernelBuilder &kb, Value b,
                                                     Value d) const {
  return std::make_shared<BufferUChannel>(kb, u, b, d);
}

//===----------------------------------------------------------------------===//
// Recomputed by a causal convolution
//===----------------------------------------------------------------------===//

namespace {
class ConvUChannel : public ScanUChannel {
public:
  ConvUChannel(KernelBuilder &kb, Value x, Value weight, Value bias, Value b,
               Value d)
      : kb(kb), x(x), b(b), d(d) {
    int64_t width = shapeOf(weight)[1];
    for (int64_t k = 0; k < width; ++k)
      weights.push_back(kb.load(weight, {d, kb.index(k)}));
    if (bias)
      biasValue = kb.load(bias, {d});
  }

  /// One tap at a time, each read clamped to a valid index and masked, as
  /// the convolution's own kernel does (ConvNormKernels.cpp).
  Value at(Value t) override {
    ImplicitLocOpBuilder &ib = kb.builder();
    int64_t width = weights.size();
    Value first = kb.index(width - 1);
    Value pre = biasValue ? biasValue : kb.f32(0.0);
    for (int64_t k = 0; k < width; ++k) {
      Value shifted = kb.addIndex(t, k);
      Value valid =
          arith::CmpIOp::create(ib, arith::CmpIPredicate::sge, shifted, first);
      Value src = arith::SubIOp::create(
          ib, arith::MaxSIOp::create(ib, shifted, first), first);
      Value term = kb.mul(weights[k], kb.load(x, {b, d, src}));
      pre = kb.add(pre, kb.select(valid, term, kb.f32(0.0)));
    }
    return kb.silu(pre);
  }

  /// The inputs x[start - (W-1) .. start + count) as rows: the `count`
  /// items' own row, and before it the W - 1 halo inputs in rows of
  /// `step` elements (a power of two dividing `count`, so every row is
  /// aligned), each all before or all after the sequence start (then
  /// zero).
  SmallVector<Value> row(Value start, int64_t count) override {
    ImplicitLocOpBuilder &ib = kb.builder();
    int64_t width = weights.size(), halo = width - 1;
    int64_t step = std::min<int64_t>(
        llvm::PowerOf2Ceil(std::max<int64_t>(halo, 1)), count);
    int64_t haloRows = (halo + step - 1) / step;
    SmallVector<Value> window;
    for (int64_t j = haloRows; j >= 1; --j) {
      Value before = kb.cmpIndexLt(start, j * step);
      Value rowStart = arith::MaxSIOp::create(
          ib, arith::SubIOp::create(ib, start, kb.index(j * step)),
          kb.index(0));
      for (Value v : kb.loadRow(x, {b, d, rowStart}, step))
        window.push_back(kb.select(before, kb.f32(0.0), v));
    }
    llvm::append_range(window, kb.loadRow(x, {b, d, start}, count));
    // Item i reads window[offset + i - (W-1) + k].
    int64_t offset = haloRows * step - halo;
    SmallVector<Value> items;
    for (int64_t i = 0; i < count; ++i) {
      Value pre = biasValue ? biasValue : kb.f32(0.0);
      for (int64_t k = 0; k < width; ++k)
        pre = kb.add(pre, kb.mul(weights[k], window[offset + i + k]));
      items.push_back(kb.silu(pre));
    }
    return items;
  }

private:
  KernelBuilder &kb;
  Value x, b, d;
  SmallVector<Value> weights;
  Value biasValue;
};
} // namespace

std::shared_ptr<ScanUChannel> ConvUSource::channel(KernelBuilder &kb, Value b,
                                                   Value d) const {
  return std::make_shared<ConvUChannel>(kb, x, weight, bias, b, d);
}
