//===- GradCheck.h - Finite-difference check of a training step -*- C++ -*-===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// An entry that returns a scalar `loss` and a gradient `d_<p>` for every
// parameter `p` is a training step. Beyond comparing each result with the
// reference (Check.h), `--check` then checks the reference's gradients
// themselves against finite differences of the reference's loss along a
// seeded random direction v over all parameters, and the binary's gradients
// against the same number. docs/WORKLOAD_BINARY.md documents the lines.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_RUN_GRADCHECK_H
#define SSMRT_RUN_GRADCHECK_H

#include "ssmrt/Run/Check.h"

#include <optional>
#include <string>
#include <vector>

namespace ssmrt {

/// Where the pieces of a training step are among an entry's tensors.
struct TrainingStep {
  size_t loss = 0; ///< The index of the rank-0 f32 result `loss`.
  /// (parameter index, gradient index) for every parameter, in order.
  std::vector<std::pair<size_t, size_t>> parameters;
};

/// The training step layout of `entry`, or nullopt with `whyNot` saying what
/// is missing: a rank-0 f32 result named `loss`, a parameter, or a result
/// `d_<p>` of p's shape for each parameter p.
std::optional<TrainingStep> findTrainingStep(const EntrySpec &entry,
                                             std::string &whyNot);

/// The finite-difference check of a training step: the directional
/// derivative of the reference loss along v, by central differences
/// (Richardson-extrapolated) at params +/- eps v, against sum(g_ref . v) and
/// sum(g_binary . v). Returns two check results (reference, binary) whose
/// `line` is what reportCheck prints. `tol` overrides the binary line's
/// tolerance (by default the --check tolerance of the gradients' dtype).
std::vector<CheckResult> checkGradientsByFiniteDifferences(
    const EntrySpec &entry, const TrainingStep &step,
    const HostBuffers &buffers, uint64_t seed, std::optional<double> tol);

} // namespace ssmrt

#endif // SSMRT_RUN_GRADCHECK_H
