//===- CausalConv1d.cpp - Reference depthwise causal convolution ---------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// Forward and backward of `ssm.causal_conv1d`:
//   pre[b,d,l] = bias[d] + sum_k weight[d,k] * x[b,d,l-(W-1)+k],
//   y = silu(pre) or pre,
// where x at negative positions is zero (so W may exceed L).
//
//===----------------------------------------------------------------------===//

#include "ShapeChecks.h"

using namespace ssmrt::ref;
using namespace ssmrt::ref::detail;

namespace {
/// Sizes of one convolution problem.
struct ConvDims {
  int64_t batch, dim, len, width;
};
} // namespace

/// Validates the operands of `op` and returns the problem sizes.
static ConvDims checkInputs(const std::string &op,
                            const CausalConv1dInputs &in) {
  checkRank(op, "x", in.x, 3);
  checkRank(op, "weight", in.weight, 2);
  ConvDims s{in.x.shape[0], in.x.shape[1], in.x.shape[2], in.weight.shape[1]};
  checkShape(op, "weight", in.weight, {s.dim, s.width});
  checkOptShape(op, "bias", in.bias, {s.dim});
  return s;
}

/// The pre-activation output at (b, d, l).
static double preActivation(const CausalConv1dInputs &in, const ConvDims &s,
                            int64_t b, int64_t d, int64_t l) {
  double acc = in.bias ? in.bias->at(d) : 0.0;
  for (int64_t k = 0; k < s.width; ++k) {
    int64_t pos = l - (s.width - 1) + k;
    if (pos >= 0)
      acc += in.weight.at(d, k) * in.x.at(b, d, pos);
  }
  return acc;
}

Tensor ssmrt::ref::causalConv1dForward(const CausalConv1dInputs &in) {
  ConvDims s = checkInputs("ssm.causal_conv1d", in);
  Tensor y(in.x.shape);
  for (int64_t b = 0; b < s.batch; ++b)
    for (int64_t d = 0; d < s.dim; ++d)
      for (int64_t l = 0; l < s.len; ++l) {
        double pre = preActivation(in, s, b, d, l);
        y.at(b, d, l) = in.activation == Activation::Silu ? silu(pre) : pre;
      }
  return y;
}

CausalConv1dGrads ssmrt::ref::causalConv1dBackward(const CausalConv1dInputs &in,
                                                   const Tensor &dy) {
  const std::string op = "ssm.causal_conv1d_grad";
  ConvDims s = checkInputs(op, in);
  checkShape(op, "dy", dy, in.x.shape);
  CausalConv1dGrads grads{Tensor(in.x.shape), Tensor(in.weight.shape),
                          std::nullopt};
  if (in.bias)
    grads.dbias = Tensor(in.bias->shape);
  for (int64_t b = 0; b < s.batch; ++b)
    for (int64_t d = 0; d < s.dim; ++d)
      for (int64_t l = 0; l < s.len; ++l) {
        double dPre = dy.at(b, d, l);
        if (in.activation == Activation::Silu)
          dPre *= siluGrad(preActivation(in, s, b, d, l));
        if (in.bias)
          grads.dbias->at(d) += dPre;
        for (int64_t k = 0; k < s.width; ++k) {
          int64_t pos = l - (s.width - 1) + k;
          if (pos < 0)
            continue;
          grads.dweight.at(d, k) += dPre * in.x.at(b, d, pos);
          grads.dx.at(b, d, pos) += dPre * in.weight.at(d, k);
        }
      }
  return grads;
}
