//===- GradCheck.cpp - Finite-difference check of a training step ---------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// The reference graph is evaluated at params +/- h v for a seeded random
// direction v over all parameters and h = eps and eps/2, eps = 1e-4 times the
// parameters' root mean square; the two central differences are combined by
// Richardson extrapolation, (4 D(eps/2) - D(eps)) / 3, whose error is
// O(eps^4), so the float64 comparison can be tight.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Run/GradCheck.h"

#include "Random.h"
#include "Text.h"

#include <cmath>

namespace ssmrt {

std::optional<TrainingStep> findTrainingStep(const EntrySpec &entry,
                                             std::string &whyNot) {
  TrainingStep step;
  const TensorSpec *loss = entry.findTensor("loss");
  if (!loss || !loss->isResult() || !loss->shape.empty() ||
      loss->dtype != Dtype::F32) {
    whyNot = "entry '" + entry.name +
             "' has no result 'loss' that is a rank-0 f32 tensor" +
             (loss ? " (it is the " + std::string(roleName(loss->role)) + " " +
                         describe(*loss) + ")"
                   : "");
    return std::nullopt;
  }
  step.loss = static_cast<size_t>(loss - entry.tensors.data());
  for (size_t i = 0; i < entry.tensors.size(); ++i) {
    const TensorSpec &param = entry.tensors[i];
    if (param.role != Role::Parameter)
      continue;
    const TensorSpec *grad = entry.findTensor("d_" + param.name);
    if (!grad || !grad->isResult() || grad->shape != param.shape) {
      whyNot = "entry '" + entry.name + "' has no gradient result 'd_" +
               param.name + "' of shape " + formatShape(param.shape) +
               " for parameter '" + param.name + "'";
      return std::nullopt;
    }
    step.parameters.emplace_back(
        i, static_cast<size_t>(grad - entry.tensors.data()));
  }
  if (step.parameters.empty()) {
    whyNot = "entry '" + entry.name + "' has no parameter";
    return std::nullopt;
  }
  return step;
}

static double dot(const std::vector<double> &a, const std::vector<double> &b) {
  double sum = 0.0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i)
    sum += a[i] * b[i];
  return sum;
}

namespace {
/// The loss of the reference graph along a direction over the parameters.
class LossAlong {
public:
  LossAlong(const EntrySpec &entry, const TrainingStep &step,
            ReferenceValues arguments, std::vector<ref::Tensor> direction)
      : entry(entry), step(step), arguments(std::move(arguments)),
        direction(std::move(direction)) {}

  /// The loss at params + h v.
  double at(double h) const {
    ReferenceValues values = arguments;
    for (size_t p = 0; p < step.parameters.size(); ++p) {
      ref::Tensor &param =
          values.at(entry.tensors[step.parameters[p].first].name);
      for (size_t i = 0; i < param.data.size(); ++i)
        param.data[i] += h * direction[p].data[i];
    }
    evaluateGraph(entry, values);
    return values.at(entry.tensors[step.loss].name).data.at(0);
  }

  /// (L(h) - L(-h)) / 2h.
  double centralDifference(double h) const {
    return (at(h) - at(-h)) / (2.0 * h);
  }

private:
  const EntrySpec &entry;
  const TrainingStep &step;
  ReferenceValues arguments;
  std::vector<ref::Tensor> direction;
};
} // namespace

/// A seeded N(0, 1) direction over the parameters, and the parameters' RMS.
static std::vector<ref::Tensor> randomDirection(const EntrySpec &entry,
                                                const TrainingStep &step,
                                                const ReferenceValues &values,
                                                uint64_t seed, double &rms) {
  Random random(seed ^ hashName("ssm-run finite-difference direction"));
  std::vector<ref::Tensor> direction;
  double squares = 0.0;
  size_t count = 0;
  for (const auto &[param, grad] : step.parameters) {
    const ref::Tensor &value = values.at(entry.tensors[param].name);
    ref::Tensor v(value.shape);
    for (size_t i = 0; i < v.data.size(); ++i) {
      v.data[i] = random.normal();
      squares += value.data[i] * value.data[i];
    }
    count += v.data.size();
    direction.push_back(std::move(v));
  }
  rms = count ? std::sqrt(squares / static_cast<double>(count)) : 0.0;
  return direction;
}

std::vector<CheckResult> checkGradientsByFiniteDifferences(
    const EntrySpec &entry, const TrainingStep &step,
    const HostBuffers &buffers, uint64_t seed, std::optional<double> tol) {
  ReferenceValues arguments = referenceArguments(entry, buffers);
  ReferenceValues base = arguments;
  evaluateGraph(entry, base);
  double rms = 0.0;
  std::vector<ref::Tensor> direction =
      randomDirection(entry, step, arguments, seed, rms);
  double analytic = 0.0, binary = 0.0, gradNorm = 0.0, dirNorm = 0.0;
  Dtype gradDtype = Dtype::F64;
  for (size_t p = 0; p < step.parameters.size(); ++p) {
    const TensorSpec &grad = entry.tensors[step.parameters[p].second];
    auto it = base.find(grad.name);
    if (it == base.end())
      fail("--check: no op of the entry's graph produces the gradient '" +
           grad.name + "'");
    analytic += dot(it->second.data, direction[p].data);
    gradNorm += dot(it->second.data, it->second.data);
    dirNorm += dot(direction[p].data, direction[p].data);
    binary += dot(toReference(grad, buffers[step.parameters[p].second]).data,
                  direction[p].data);
    if (entryTolerance(entry, grad.dtype) > entryTolerance(entry, gradDtype))
      gradDtype = grad.dtype;
  }
  LossAlong loss(entry, step, std::move(arguments), std::move(direction));
  double eps = 1e-4 * std::max(rms, 1e-2);
  double fd =
      (4.0 * loss.centralDifference(eps / 2) - loss.centralDifference(eps)) /
      3.0;

  CheckResult reference;
  reference.name = "fd";
  reference.tolerance = 1e-5;
  reference.maxRelErr = std::fabs(fd - analytic) /
                        std::max({std::fabs(fd), std::fabs(analytic), 1e-30});
  reference.passed = reference.maxRelErr <= reference.tolerance;
  reference.line =
      format("check fd loss directional derivative: fd=%.9e "
             "analytic=%.9e rel_err=%.3e tol=%g",
             fd, analytic, reference.maxRelErr, reference.tolerance);
  // The binary's gradients are f32 at best: their error along v is measured
  // against |g| |v|, the largest g . v can be, so that cancellation in the
  // sum does not magnify it.
  CheckResult compiled;
  compiled.name = "fd-binary";
  compiled.tolerance = tol.value_or(entryTolerance(entry, gradDtype));
  compiled.maxRelErr =
      std::fabs(fd - binary) / std::max(std::sqrt(gradNorm * dirNorm), 1e-30);
  compiled.passed = compiled.maxRelErr <= compiled.tolerance;
  compiled.line = format("check fd binary gradients along v: fd=%.9e "
                         "binary=%.9e rel_err=%.3e tol=%g",
                         fd, binary, compiled.maxRelErr, compiled.tolerance);
  return {reference, compiled};
}

} // namespace ssmrt
