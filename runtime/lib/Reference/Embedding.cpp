//===- Embedding.cpp - Reference embedding lookup -------------------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// Forward and backward of `ssm.embedding`: y[t, :] = weight[tokens[t], :]
// over the flattened tokens; a token outside [0, V) gives a zero row and no
// gradient. Tokens are integers held as exact doubles.
//
//===----------------------------------------------------------------------===//

#include "ShapeChecks.h"

#include <cmath>

using namespace ssmrt::ref;
using namespace ssmrt::ref::detail;

/// Validates the operands; returns the embedding width E.
static int64_t checkInputs(const std::string &op, const Tensor &tokens,
                           const Tensor &weight) {
  checkRank(op, "tokens", tokens, tokens.rank());
  checkRank(op, "weight", weight, 2);
  return weight.shape[1];
}

/// The row of `weight` that token `value` selects, or -1 outside [0, V).
static int64_t rowOf(double value, int64_t vocab) {
  if (!(value >= 0.0) || value >= static_cast<double>(vocab) ||
      value != std::floor(value))
    return -1;
  return static_cast<int64_t>(value);
}

static std::vector<int64_t> outputShape(const Tensor &tokens, int64_t width) {
  std::vector<int64_t> shape = tokens.shape;
  shape.push_back(width);
  return shape;
}

Tensor ssmrt::ref::embeddingForward(const Tensor &tokens,
                                    const Tensor &weight) {
  int64_t e = checkInputs("ssm.embedding", tokens, weight);
  Tensor y(outputShape(tokens, e));
  for (int64_t t = 0; t < tokens.numel(); ++t) {
    int64_t row = rowOf(tokens.data[t], weight.shape[0]);
    for (int64_t j = 0; row >= 0 && j < e; ++j)
      y.data[t * e + j] = weight.at(row, j);
  }
  return y;
}

Tensor ssmrt::ref::embeddingBackward(const Tensor &tokens, const Tensor &weight,
                                     const Tensor &dy) {
  const std::string op = "ssm.embedding_grad";
  int64_t e = checkInputs(op, tokens, weight);
  checkShape(op, "dy", dy, outputShape(tokens, e));
  Tensor dweight(weight.shape);
  for (int64_t t = 0; t < tokens.numel(); ++t) {
    int64_t row = rowOf(tokens.data[t], weight.shape[0]);
    for (int64_t j = 0; row >= 0 && j < e; ++j)
      dweight.at(row, j) += dy.data[t * e + j];
  }
  return dweight;
}
