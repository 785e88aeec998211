//===- CrossEntropy.cpp - Reference softmax cross-entropy loss ------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// Forward and backward of `ssm.cross_entropy`: the mean over the rows whose
// label lies in [0, V) of logsumexp(logits[r, :]) - logits[r, label[r]];
// rows with any other label (e.g. -100) are ignored, and the loss is 0 when
// no row is valid.
//
//===----------------------------------------------------------------------===//

#include "ShapeChecks.h"

#include <algorithm>
#include <cmath>

using namespace ssmrt::ref;
using namespace ssmrt::ref::detail;

/// Validates the operands; returns the vocabulary size V.
static int64_t checkInputs(const std::string &op, const Tensor &logits,
                           const Tensor &labels) {
  if (logits.rank() < 1)
    fail(op, "operand 'logits' has rank 0, expected rank >= 1");
  checkRank(op, "logits", logits, logits.rank());
  std::vector<int64_t> leading(logits.shape.begin(), logits.shape.end() - 1);
  checkShape(op, "labels", labels, leading);
  return logits.shape.back();
}

/// The class a label selects, or -1 for an ignored row.
static int64_t classOf(double label, int64_t vocab) {
  if (!(label >= 0.0) || label >= static_cast<double>(vocab) ||
      label != std::floor(label))
    return -1;
  return static_cast<int64_t>(label);
}

/// logsumexp of the `n` values at `row`, shifted by their maximum.
static double logSumExp(const double *row, int64_t n) {
  double top = *std::max_element(row, row + n);
  double sum = 0.0;
  for (int64_t v = 0; v < n; ++v)
    sum += std::exp(row[v] - top);
  return top + std::log(sum);
}

/// The number of rows with a valid label.
static int64_t validRows(const Tensor &labels, int64_t vocab) {
  int64_t count = 0;
  for (double label : labels.data)
    count += classOf(label, vocab) >= 0;
  return count;
}

Tensor ssmrt::ref::crossEntropyForward(const Tensor &logits,
                                       const Tensor &labels) {
  int64_t vocab = checkInputs("ssm.cross_entropy", logits, labels);
  int64_t count = validRows(labels, vocab);
  double total = 0.0;
  for (int64_t r = 0; r < labels.numel(); ++r) {
    int64_t label = classOf(labels.data[r], vocab);
    if (label < 0)
      continue;
    const double *row = logits.data.data() + r * vocab;
    total += logSumExp(row, vocab) - row[label];
  }
  return Tensor({}, {count ? total / static_cast<double>(count) : 0.0});
}

Tensor ssmrt::ref::crossEntropyBackward(const Tensor &logits,
                                        const Tensor &labels,
                                        const Tensor &dloss) {
  const std::string op = "ssm.cross_entropy_grad";
  int64_t vocab = checkInputs(op, logits, labels);
  checkShape(op, "dloss", dloss, {});
  int64_t count = validRows(labels, vocab);
  Tensor dlogits(logits.shape);
  for (int64_t r = 0; r < labels.numel(); ++r) {
    int64_t label = classOf(labels.data[r], vocab);
    if (label < 0)
      continue;
    const double *row = logits.data.data() + r * vocab;
    double lse = logSumExp(row, vocab);
    double scale = dloss.data[0] / static_cast<double>(count);
    for (int64_t v = 0; v < vocab; ++v)
      dlogits.data[r * vocab + v] =
          scale * (std::exp(row[v] - lse) - (v == label ? 1.0 : 0.0));
  }
  return dlogits;
}
