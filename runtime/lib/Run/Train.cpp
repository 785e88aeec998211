//===- Train.cpp - ssm-run --train: a training loop on the host -----------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Run/Train.h"

#include "Random.h"
#include "Text.h"

#include <chrono>
#include <cmath>
#include <ostream>

namespace ssmrt {

//===----------------------------------------------------------------------===//
// AdamW
//===----------------------------------------------------------------------===//

void AdamW::update(std::vector<float> &param, const std::vector<float> &grad,
                   std::vector<float> &m, std::vector<float> &v,
                   int64_t t) const {
  double correction1 = 1.0 - std::pow(beta1, static_cast<double>(t));
  double correction2 = 1.0 - std::pow(beta2, static_cast<double>(t));
  for (size_t i = 0; i < param.size(); ++i) {
    float g = grad[i];
    m[i] = static_cast<float>(beta1 * m[i] + (1.0 - beta1) * g);
    v[i] = static_cast<float>(beta2 * v[i] + (1.0 - beta2) * g * g);
    double mHat = m[i] / correction1;
    double vHat = v[i] / correction2;
    double decayed = param[i] * (1.0 - lr * weightDecay);
    param[i] =
        static_cast<float>(decayed - lr * mHat / (std::sqrt(vHat) + eps));
  }
}

//===----------------------------------------------------------------------===//
// Markov batches
//===----------------------------------------------------------------------===//

MarkovBatches::MarkovBatches(int64_t vocab, uint64_t seed)
    : vocab(vocab), state(seed ^ hashName("ssm-run markov batches")) {
  if (vocab < 1)
    fail("--train: the vocabulary is empty");
  Random random(seed ^ hashName("ssm-run markov successors"));
  for (int64_t token = 0; token < vocab; ++token)
    successors.push_back(random.below(vocab));
}

void MarkovBatches::next(int64_t rows, int64_t length,
                         std::vector<int32_t> &tokens,
                         std::vector<int32_t> &labels) {
  Random random(state);
  state = random.next(); // The next batch continues from a fresh state.
  tokens.assign(static_cast<size_t>(rows * length), 0);
  labels.assign(tokens.size(), 0);
  for (int64_t r = 0; r < rows; ++r) {
    int64_t token = random.below(vocab);
    for (int64_t l = 0; l <= length; ++l) {
      if (l > 0)
        labels[r * length + l - 1] = static_cast<int32_t>(token);
      if (l < length)
        tokens[r * length + l] = static_cast<int32_t>(token);
      token = random.uniform(0.0, 1.0) < 0.9 ? successors[token]
                                             : random.below(vocab);
    }
  }
}

//===----------------------------------------------------------------------===//
// The loop
//===----------------------------------------------------------------------===//

namespace {
/// The i32 arguments a batch is written to.
struct BatchTargets {
  std::vector<size_t> tokens, labels;
  int64_t vocab = 0, rows = 0, length = 0;
};

/// A parameter's f32 master copy and AdamW moments.
struct ParamState {
  size_t param = 0, grad = 0;
  AdamW rule;
  std::vector<float> value, m, v;
};
} // namespace

static BatchTargets batchTargets(const EntrySpec &entry) {
  BatchTargets targets;
  for (const IntegerInput &input : integerInputs(entry)) {
    const TensorSpec &tensor = *entry.findTensor(input.name);
    if (tensor.shape.size() != 2)
      fail("--train: the i32 argument '" + input.name + "' is " +
           describe(tensor) + "; a batch is [rows, length]");
    if (input.tokens && input.labels)
      fail("--train: the i32 argument '" + input.name +
           "' feeds both tokens and labels");
    size_t index = static_cast<size_t>(&tensor - entry.tensors.data());
    (input.tokens ? targets.tokens : targets.labels).push_back(index);
    if (targets.vocab &&
        (tensor.shape[0] != targets.rows || tensor.shape[1] != targets.length))
      fail("--train: the i32 arguments differ in shape; '" + input.name +
           "' is " + describe(tensor));
    targets.vocab =
        targets.vocab ? std::min(targets.vocab, input.vocab) : input.vocab;
    targets.rows = tensor.shape[0];
    targets.length = tensor.shape[1];
  }
  return targets;
}

static void writeBatch(const EntrySpec &entry, const BatchTargets &targets,
                       MarkovBatches &batches, HostBuffers &buffers) {
  if (targets.tokens.empty() && targets.labels.empty())
    return;
  std::vector<int32_t> tokens, labels;
  batches.next(targets.rows, targets.length, tokens, labels);
  for (size_t index : targets.tokens)
    for (size_t i = 0; i < tokens.size(); ++i)
      storeElement(entry.tensors[index].dtype, buffers[index].data(), i,
                   tokens[i]);
  for (size_t index : targets.labels)
    for (size_t i = 0; i < labels.size(); ++i)
      storeElement(entry.tensors[index].dtype, buffers[index].data(), i,
                   labels[i]);
}

/// Reads a buffer of `tensor` as floats.
static std::vector<float> loadFloats(const TensorSpec &tensor,
                                     const HostBuffer &buffer) {
  std::vector<float> values(tensor.numElements());
  for (size_t i = 0; i < values.size(); ++i)
    values[i] = static_cast<float>(loadElement(tensor.dtype, buffer.data(), i));
  return values;
}

static std::vector<ParamState> paramStates(const EntrySpec &entry,
                                           const TrainingStep &step,
                                           const HostBuffers &buffers,
                                           double lr) {
  std::vector<ParamState> states;
  for (const auto &[param, grad] : step.parameters) {
    const TensorSpec &tensor = entry.tensors[param];
    ParamState state;
    state.param = param;
    state.grad = grad;
    state.rule.lr = lr;
    state.rule.weightDecay = tensor.shape.size() >= 2 ? 0.01 : 0.0;
    state.value = loadFloats(tensor, buffers[param]);
    state.m.assign(state.value.size(), 0.0f);
    state.v.assign(state.value.size(), 0.0f);
    states.push_back(std::move(state));
  }
  return states;
}

TrainResult train(const EntrySpec &entry, Executor &executor,
                  HostBuffers &buffers, const TrainOptions &options,
                  std::ostream &out) {
  std::string whyNot;
  std::optional<TrainingStep> step = findTrainingStep(entry, whyNot);
  if (!step)
    fail("--train: " + whyNot);
  if (options.steps < 1)
    fail("--train: STEPS must be at least 1, got " +
         std::to_string(options.steps));
  BatchTargets targets = batchTargets(entry);
  MarkovBatches batches(targets.vocab ? targets.vocab : 1, options.seed);
  std::vector<ParamState> params =
      paramStates(entry, *step, buffers, options.lr);
  TrainResult result;
  for (int t = 1; t <= options.steps; ++t) {
    writeBatch(entry, targets, batches, buffers);
    auto start = std::chrono::steady_clock::now();
    executor.uploadArguments(buffers);
    executor.run();
    executor.fetchResults(buffers);
    std::chrono::duration<double, std::milli> ms =
        std::chrono::steady_clock::now() - start;
    double loss = loadElement(Dtype::F32, buffers[step->loss].data(), 0);
    out << format("step %d/%d loss %.4f (%.1f ms)\n", t, options.steps, loss,
                  ms.count());
    if (!std::isfinite(loss))
      fail("--train: the loss is not finite at step " + std::to_string(t));
    result.losses.push_back(loss);
    for (ParamState &p : params) {
      const TensorSpec &tensor = entry.tensors[p.param];
      p.rule.update(p.value, loadFloats(entry.tensors[p.grad], buffers[p.grad]),
                    p.m, p.v, t);
      for (size_t i = 0; i < p.value.size(); ++i)
        storeElement(tensor.dtype, buffers[p.param].data(), i, p.value[i]);
    }
  }
  out << format("train: loss %.4f -> %.4f over %d steps\n",
                result.losses.front(), result.losses.back(), options.steps);
  return result;
}

} // namespace ssmrt
