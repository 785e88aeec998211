//===- RMSNorm.cpp - Reference RMS normalization -------------------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// Forward and backward of `ssm.rms_norm` over the last dimension, in three
// forms that differ only in the normalized row v:
//   plain:    v = x
//   residual: v = x + residual   (also returned as residual_out)
//   gated:    v = x * silu(z)
// and then y = v * rsqrt(mean(v^2) + eps) * weight.
//
//===----------------------------------------------------------------------===//

#include "ShapeChecks.h"

#include <cmath>

using namespace ssmrt::ref;
using namespace ssmrt::ref::detail;

/// Validates the operands of `op` and returns the normalized size D.
static int64_t checkInputs(const std::string &op, const RMSNormInputs &in) {
  if (in.x.rank() < 1)
    fail(op, "operand 'x' must have rank >= 1, got shape " +
                 formatShape(in.x.shape));
  checkRank(op, "x", in.x, in.x.rank());
  int64_t dim = in.x.shape.back();
  checkShape(op, "weight", in.weight, {dim});
  checkOptShape(op, "residual", in.residual, in.x.shape);
  checkOptShape(op, "z", in.z, in.x.shape);
  if (in.residual && in.z)
    fail(op, "operands 'residual' and 'z' cannot both be present");
  return dim;
}

/// Element i (flat) of the row being normalized.
static double normInput(const RMSNormInputs &in, size_t i) {
  if (in.residual)
    return in.x.data[i] + in.residual->data[i];
  if (in.z)
    return in.x.data[i] * silu(in.z->data[i]);
  return in.x.data[i];
}

/// The reciprocal RMS of the row starting at flat offset `base`.
static double rowRstd(const RMSNormInputs &in, size_t base, int64_t dim) {
  double sumSq = 0.0;
  for (int64_t j = 0; j < dim; ++j) {
    double v = normInput(in, base + j);
    sumSq += v * v;
  }
  return 1.0 / std::sqrt(sumSq / static_cast<double>(dim) + in.eps);
}

RMSNormOutputs ssmrt::ref::rmsNormForward(const RMSNormInputs &in) {
  int64_t dim = checkInputs("ssm.rms_norm", in);
  RMSNormOutputs out{Tensor(in.x.shape), std::nullopt};
  if (in.residual)
    out.residualOut = Tensor(in.x.shape);
  size_t total = in.x.data.size();
  for (size_t base = 0; dim > 0 && base < total; base += dim) {
    double rstd = rowRstd(in, base, dim);
    for (int64_t j = 0; j < dim; ++j) {
      double v = normInput(in, base + j);
      out.y.data[base + j] = v * rstd * in.weight.data[j];
      if (out.residualOut)
        out.residualOut->data[base + j] = v;
    }
  }
  return out;
}

/// Back-propagates the row starting at flat offset `base` into `grads`.
static void backwardRow(const RMSNormInputs &in, const Tensor &dy,
                        const OptTensor &dResidualOut, size_t base, int64_t dim,
                        RMSNormGrads &grads) {
  double rstd = rowRstd(in, base, dim), dot = 0.0;
  for (int64_t j = 0; j < dim; ++j) {
    double v = normInput(in, base + j), g = dy.data[base + j];
    grads.dweight.data[j] += g * v * rstd;
    dot += g * in.weight.data[j] * v;
  }
  double coef = dot * rstd * rstd * rstd / static_cast<double>(dim);
  for (int64_t j = 0; j < dim; ++j) {
    size_t i = base + j;
    double v = normInput(in, i);
    double dv = rstd * dy.data[i] * in.weight.data[j] - coef * v;
    if (in.residual) {
      dv += dResidualOut ? dResidualOut->data[i] : 0.0;
      grads.dresidual->data[i] = dv;
      grads.dx.data[i] = dv;
    } else if (in.z) {
      double z = in.z->data[i];
      grads.dx.data[i] = dv * silu(z);
      grads.dz->data[i] = dv * in.x.data[i] * siluGrad(z);
    } else {
      grads.dx.data[i] = dv;
    }
  }
}

RMSNormGrads ssmrt::ref::rmsNormBackward(const RMSNormInputs &in,
                                         const Tensor &dy,
                                         const OptTensor &dResidualOut) {
  const std::string op = "ssm.rms_norm_grad";
  int64_t dim = checkInputs(op, in);
  checkShape(op, "dy", dy, in.x.shape);
  checkOptShape(op, "d_residual_out", dResidualOut, in.x.shape);
  if (dResidualOut && !in.residual)
    fail(op, "operand 'd_residual_out' requires operand 'residual'");
  RMSNormGrads grads{Tensor(in.x.shape), Tensor(in.weight.shape), std::nullopt,
                     std::nullopt};
  if (in.residual)
    grads.dresidual = Tensor(in.x.shape);
  if (in.z)
    grads.dz = Tensor(in.x.shape);
  size_t total = in.x.data.size();
  for (size_t base = 0; dim > 0 && base < total; base += dim)
    backwardRow(in, dy, dResidualOut, base, dim, grads);
  return grads;
}
