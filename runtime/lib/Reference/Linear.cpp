//===- Linear.cpp - Reference dense layer ---------------------------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// Forward and backward of `ssm.linear`:
//   y[r, n] = bias[n] + sum_k x[r, k] * weight[n, k]
// over the rows r of x flattened to [R, K].
//
//===----------------------------------------------------------------------===//

#include "ShapeChecks.h"

using namespace ssmrt::ref;
using namespace ssmrt::ref::detail;

namespace {
/// Sizes of one dense layer: rows of x, input and output features.
struct LinearDims {
  int64_t rows, in, out;
};
} // namespace

/// Validates the operands of `op` and returns the problem sizes.
static LinearDims checkInputs(const std::string &op, const LinearInputs &in) {
  if (in.x.rank() < 2)
    fail(op, "operand 'x' has rank " + std::to_string(in.x.rank()) +
                 " (shape " + formatShape(in.x.shape) +
                 "), expected rank >= 2");
  checkRank(op, "x", in.x, in.x.rank());
  checkRank(op, "weight", in.weight, 2);
  int64_t k = in.x.shape.back();
  checkShape(op, "weight", in.weight, {in.weight.shape[0], k});
  checkOptShape(op, "bias", in.bias, {in.weight.shape[0]});
  return {k ? in.x.numel() / k : 0, k, in.weight.shape[0]};
}

/// x's shape with the last dimension replaced by `last`.
static std::vector<int64_t> withLast(std::vector<int64_t> shape, int64_t last) {
  shape.back() = last;
  return shape;
}

Tensor ssmrt::ref::linearForward(const LinearInputs &in) {
  LinearDims s = checkInputs("ssm.linear", in);
  Tensor y(withLast(in.x.shape, s.out));
  for (int64_t r = 0; r < s.rows; ++r)
    for (int64_t n = 0; n < s.out; ++n) {
      double acc = in.bias ? in.bias->at(n) : 0.0;
      for (int64_t k = 0; k < s.in; ++k)
        acc += in.x.data[r * s.in + k] * in.weight.at(n, k);
      y.data[r * s.out + n] = acc;
    }
  return y;
}

LinearGrads ssmrt::ref::linearBackward(const LinearInputs &in,
                                       const Tensor &dy) {
  const std::string op = "ssm.linear_grad";
  LinearDims s = checkInputs(op, in);
  checkShape(op, "dy", dy, withLast(in.x.shape, s.out));
  LinearGrads g{Tensor(in.x.shape), Tensor(in.weight.shape), std::nullopt};
  if (in.bias)
    g.dbias = Tensor(in.bias->shape);
  for (int64_t r = 0; r < s.rows; ++r)
    for (int64_t n = 0; n < s.out; ++n) {
      double d = dy.data[r * s.out + n];
      if (g.dbias)
        g.dbias->at(n) += d;
      for (int64_t k = 0; k < s.in; ++k) {
        g.dx.data[r * s.in + k] += d * in.weight.at(n, k);
        g.dweight.at(n, k) += d * in.x.data[r * s.in + k];
      }
    }
  return g;
}
