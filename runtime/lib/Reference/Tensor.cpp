//===- Tensor.cpp - Reference tensor, scalar and check helpers -----------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//

#include "ShapeChecks.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

using namespace ssmrt::ref;

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

static int64_t productOf(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t s : shape) {
    if (s < 0)
      throw std::invalid_argument("negative dimension in shape " +
                                  formatShape(shape));
    n *= s;
  }
  return n;
}

Tensor::Tensor(std::vector<int64_t> dims) : shape(std::move(dims)) {
  data.assign(static_cast<size_t>(productOf(shape)), 0.0);
}

Tensor::Tensor(std::vector<int64_t> dims, std::vector<double> values)
    : shape(std::move(dims)), data(std::move(values)) {
  if (static_cast<int64_t>(data.size()) != productOf(shape))
    throw std::invalid_argument("tensor of shape " + formatShape(shape) +
                                " needs " + std::to_string(productOf(shape)) +
                                " elements but got " +
                                std::to_string(data.size()));
}

Tensor Tensor::filled(std::vector<int64_t> dims, double value) {
  Tensor t(std::move(dims));
  std::fill(t.data.begin(), t.data.end(), value);
  return t;
}

int64_t Tensor::dim(int64_t i) const {
  int64_t r = rank();
  if (i < -r || i >= r)
    throw std::out_of_range("dimension " + std::to_string(i) +
                            " out of range for rank " + std::to_string(r));
  return shape[static_cast<size_t>(i < 0 ? i + r : i)];
}

int64_t Tensor::numel() const { return productOf(shape); }

std::string ssmrt::ref::formatShape(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

//===----------------------------------------------------------------------===//
// Scalar helpers
//===----------------------------------------------------------------------===//

double ssmrt::ref::softplus(double x) {
  return x > 20.0 ? x : std::log1p(std::exp(x));
}

double ssmrt::ref::softplusGrad(double x) {
  return x > 20.0 ? 1.0 : sigmoid(x);
}

double ssmrt::ref::sigmoid(double x) {
  if (x >= 0.0)
    return 1.0 / (1.0 + std::exp(-x));
  double e = std::exp(x);
  return e / (1.0 + e);
}

double ssmrt::ref::silu(double x) { return x * sigmoid(x); }

double ssmrt::ref::siluGrad(double x) {
  double s = sigmoid(x);
  return s * (1.0 + x * (1.0 - s));
}

//===----------------------------------------------------------------------===//
// Shape checks
//===----------------------------------------------------------------------===//

void detail::fail(const std::string &op, const std::string &message) {
  throw std::invalid_argument(op + ": " + message);
}

void detail::checkRank(const std::string &op, const std::string &name,
                       const Tensor &t, int64_t rank) {
  if (t.rank() != rank)
    fail(op, "operand '" + name + "' has rank " + std::to_string(t.rank()) +
                 " (shape " + formatShape(t.shape) + "), expected rank " +
                 std::to_string(rank));
  for (int64_t i = 0; i < rank; ++i)
    if (t.shape[i] < 0)
      fail(op, "operand '" + name + "' dimension " + std::to_string(i) +
                   " is negative");
  if (static_cast<int64_t>(t.data.size()) != t.numel())
    fail(op, "operand '" + name + "' of shape " + formatShape(t.shape) +
                 " holds " + std::to_string(t.data.size()) + " elements");
}

void detail::checkShape(const std::string &op, const std::string &name,
                        const Tensor &t, const std::vector<int64_t> &expected) {
  checkRank(op, name, t, static_cast<int64_t>(expected.size()));
  for (size_t i = 0; i < expected.size(); ++i)
    if (t.shape[i] != expected[i])
      fail(op, "operand '" + name + "' dimension " + std::to_string(i) +
                   " is " + std::to_string(t.shape[i]) + ", expected " +
                   std::to_string(expected[i]) + " (shape " +
                   formatShape(t.shape) + ", expected " +
                   formatShape(expected) + ")");
}

void detail::checkOptShape(const std::string &op, const std::string &name,
                           const OptTensor &t,
                           const std::vector<int64_t> &expected) {
  if (t)
    checkShape(op, name, *t, expected);
}

void detail::checkGroups(const std::string &op, const std::string &name,
                         int64_t dim, int64_t groups,
                         const std::string &channelName, int64_t channels) {
  if (groups <= 0 || channels % groups != 0)
    fail(op, "operand '" + name + "' dimension " + std::to_string(dim) +
                 " (groups) is " + std::to_string(groups) +
                 ", which does not divide " + channelName + "=" +
                 std::to_string(channels));
}
