//===- ScanUSource.h - where a selective scan reads its u -------*- C++ -*-===//
//
// The selective scan's emitters (the per-point scan of ScanCore and the GPU
// block scan) read the `u` operand through a ScanUSource: from its buffer,
// or, in a fused-conv-scan region, recomputed from the input of the causal
// convolution that produces it, so that the convolution's output never
// reaches memory. Everything else the emitters do is the same for both.
//
//===----------------------------------------------------------------------===//

#ifndef SSM_CONVERSION_SSMKERNELS_SCANUSOURCE_H
#define SSM_CONVERSION_SSMKERNELS_SCANUSOURCE_H

#include "ssm/Conversion/SSMKernels/KernelBuilder.h"

#include <memory>

namespace mlir {
namespace ssm {

/// The `u` of one (batch, channel) as one point or thread reads it, in f32.
class ScanUChannel {
public:
  virtual ~ScanUChannel() = default;

  /// u[b, d, t].
  virtual Value at(Value t) = 0;

  /// u[b, d, start .. start + count), moved as KernelBuilder::loadRow moves
  /// a row: `count` is a power of two, and `start` and the sequence length
  /// are multiples of it.
  virtual SmallVector<Value> row(Value start, int64_t count) = 0;
};

/// Where a selective scan's `u` comes from.
class ScanUSource {
public:
  virtual ~ScanUSource() = default;

  /// The reads of channel `d` of batch `b`, built with `kb` (which must
  /// outlive them) at its insertion point: what is per channel (a
  /// convolution's weights and bias) is loaded there, once.
  virtual std::shared_ptr<ScanUChannel> channel(KernelBuilder &kb, Value b,
                                                Value d) const = 0;
};

/// `u` read from its buffer [B, D, L]; builds nothing per channel.
class BufferUSource : public ScanUSource {
public:
  explicit BufferUSource(Value u) : u(u) {}

  std::shared_ptr<ScanUChannel> channel(KernelBuilder &kb, Value b,
                                        Value d) const override;

private:
  Value u;
};

/// `u` = silu(bias[d] + sum_k weight[d,k] * x[b,d,t-(W-1)+k]), x zero
/// before the start of the sequence: the causal convolution (silu) of a
/// fused-conv-scan region, recomputed where the scan reads it. The W taps
/// are unrolled; the weights and bias are loaded once per channel; the sum
/// is formed in the order of the convolution's own kernel (bias, then the
/// taps in order), so that in f32 the values are those the convolution
/// would have stored. A row of K items reads the K + W - 1 inputs it
/// depends on as aligned rows (the K items, and the W - 1 before them in
/// rows of the largest power of two that both covers them and divides K).
class ConvUSource : public ScanUSource {
public:
  /// `x` [B, D, L], `weight` [D, W] (f32), `bias` [D] (f32) or null.
  ConvUSource(Value x, Value weight, Value bias)
      : x(x), weight(weight), bias(bias) {}

  std::shared_ptr<ScanUChannel> channel(KernelBuilder &kb, Value b,
                                        Value d) const override;

private:
  Value x, weight, bias;
};

} // namespace ssm
} // namespace mlir

#endif // SSM_CONVERSION_SSMKERNELS_SCANUSOURCE_H
