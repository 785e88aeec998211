//===- Train.h - ssm-run --train: a training loop on the host --*- C++ -*-===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// `ssm-run BIN --entry FN_step --train STEPS [--lr X] [--seed S]` calls a
// training-step entry (GradCheck.h's TrainingStep) STEPS times on synthetic
// batches of a seeded Markov chain and updates the parameters on the host
// with AdamW in f32 between the calls. docs/WORKLOAD_BINARY.md has the
// output format.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_RUN_TRAIN_H
#define SSMRT_RUN_TRAIN_H

#include "ssmrt/Run/Execute.h"
#include "ssmrt/Run/GradCheck.h"

#include <cstdint>
#include <iosfwd>
#include <vector>

namespace ssmrt {

/// AdamW (decoupled weight decay, bias-corrected moments) over one tensor.
struct AdamW {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weightDecay = 0.0; ///< 0.01 for rank >= 2 parameters in --train.

  /// One update at step `t` (1-based) of `param` with `grad`; `m` and `v`
  /// are the moment estimates (zero before the first step), all of one size.
  void update(std::vector<float> &param, const std::vector<float> &grad,
              std::vector<float> &m, std::vector<float> &v, int64_t t) const;
};

/// Synthetic token batches: a Markov chain over [0, vocab) whose every token
/// has a seeded random successor, followed with probability 0.9, else a
/// uniform token. Same seed, same batches.
class MarkovBatches {
public:
  MarkovBatches(int64_t vocab, uint64_t seed);

  /// The next batch of `rows` sequences of `length` tokens: tokens[r, l] and
  /// labels[r, l] = tokens[r, l + 1] (the chain continued one past the end).
  void next(int64_t rows, int64_t length, std::vector<int32_t> &tokens,
            std::vector<int32_t> &labels);

  /// The successor of `token` that the chain follows with probability 0.9.
  int64_t successor(int64_t token) const { return successors.at(token); }

private:
  int64_t vocab;
  uint64_t state;
  std::vector<int64_t> successors;
};

struct TrainOptions {
  int steps = 1;
  double lr = 1e-3;
  uint64_t seed = 0;
};

/// The losses of a training run, one per step.
struct TrainResult {
  std::vector<double> losses;
};

/// Trains `entry` (a training step, whose arguments `buffers` hold, the
/// parameters initialised) through `executor` for `options.steps` steps:
/// each step writes a Markov batch into the i32 arguments (tokens feeding
/// ssm.embedding, labels feeding ssm.cross_entropy), uploads the arguments,
/// runs, fetches the results and updates the parameters with AdamW. Prints
/// a `step i/N loss X (T ms)` line per step and the `train:` summary. Throws
/// std::runtime_error when the entry is no training step, its integer
/// arguments cannot be fed, or the loss is not finite.
TrainResult train(const EntrySpec &entry, Executor &executor,
                  HostBuffers &buffers, const TrainOptions &options,
                  std::ostream &out);

} // namespace ssmrt

#endif // SSMRT_RUN_TRAIN_H
