//===- ConvNorm.h - operands and shared steps of conv and norm --*- C++ -*-===//
//
// The operand buffers of ssm.causal_conv1d(_grad) and ssm.rms_norm(_grad),
// read the same way by the fused emitters (ConvNormKernels.cpp) and the
// unfused ones (ConvNormUnfused.cpp), and the steps both variants share.
//
//===----------------------------------------------------------------------===//

#ifndef SSM_LIB_CONVERSION_SSMKERNELS_CONVNORM_H
#define SSM_LIB_CONVERSION_SSMKERNELS_CONVNORM_H

#include "ssm/Conversion/SSMKernels/KernelBuilder.h"
#include "ssm/IR/SSMOps.h"

namespace mlir {
namespace ssm {

/// Positions (of the B*L) one point of the convolution's weight gradient
/// sums before adding into its slice's partial copy, on targets whose
/// points run concurrently.
constexpr int64_t kConvGradSlice = 256;

/// The operands and sizes of a causal conv1d, forward or gradient.
struct ConvBuffers {
  Value x, weight, bias;
  int64_t batch, channels, length, width;
  bool silu;

  template <typename OpTy>
  ConvBuffers(OpTy op, const IRMapping &m)
      : x(m.lookup(op.getX())), weight(m.lookup(op.getWeight())),
        bias(m.lookupOrNull(op.getBias())),
        silu(op.getActivation() == Activation::silu) {
    batch = shapeOf(x)[0];
    channels = shapeOf(x)[1];
    length = shapeOf(x)[2];
    width = shapeOf(weight)[1];
  }

  /// The pre-activation at (b, d, l): bias + sum_k w[d,k] x[b,d,l-(W-1)+k],
  /// with x zero before the start of the sequence.
  Value preActivation(KernelBuilder &kb, Value b, Value d, Value l) const;

  /// dLoss/dpre at (b, d, l) as the backward reads it.
  using PreGradFn = function_ref<Value(KernelBuilder &, Value, Value, Value)>;

  /// The convolution's backward from dLoss/dpre: one kernel for dx [B,D,L],
  /// one point per (channel, slice of kConvGradSlice positions) for dweight
  /// [D,W] and dbias [D] (may be null), their slices summed in order.
  void emitBackward(ImplicitLocOpBuilder &b, ParallelTarget &target,
                    PreGradFn preGrad, Value dx, Value dweight,
                    Value dbias) const;
};

/// The operands and sizes of an RMS norm, forward or gradient.
struct NormBuffers {
  Value x, weight, residual, z;
  SmallVector<int64_t> rows; // the leading (batch) dimensions
  int64_t width;
  double eps;

  template <typename OpTy>
  NormBuffers(OpTy op, const IRMapping &m)
      : x(m.lookup(op.getX())), weight(m.lookup(op.getWeight())),
        residual(m.lookupOrNull(op.getResidual())),
        z(m.lookupOrNull(op.getZ())), eps(op.getEps().convertToDouble()) {
    ArrayRef<int64_t> shape = shapeOf(x);
    rows.assign(shape.begin(), shape.end() - 1);
    width = shape.back();
  }

  /// The indices of column j of `row`.
  static SmallVector<Value> at(ValueRange row, Value j) {
    SmallVector<Value> indices(row.begin(), row.end());
    indices.push_back(j);
    return indices;
  }

  /// The normalised input at column j: x, x + residual, or x * silu(z).
  Value input(KernelBuilder &kb, ValueRange row, Value j) const;

  /// 1 / sqrt(mean(column(j)^2) + eps) over the columns of one row, `share`
  /// of them summed by this point (forEachRow).
  Value inverseRms(KernelBuilder &kb, const RowShare &share,
                   function_ref<Value(Value)> column) const;
};

} // namespace ssm
} // namespace mlir

#endif // SSM_LIB_CONVERSION_SSMKERNELS_CONVNORM_H
