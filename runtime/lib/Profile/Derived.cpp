//===- Derived.cpp - Figures computed from a kernel's counters ------------===//
//
// Part of the ssm project: an MLIR compiler and runtime for state space models.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Profile/Derived.h"

#include "ssmrt/Profile/Metrics.h"

#include <algorithm>

using namespace ssmrt::profile;

double ssmrt::profile::bandwidth(double bytes, double ns) {
  return ns > 0.0 ? bytes / (ns * 1e-9) : 0.0;
}

double ssmrt::profile::flopsFromCounts(double ffma, double fadd, double fmul) {
  return 2.0 * ffma + fadd + fmul;
}

double ssmrt::profile::arithmeticIntensity(double flops, double bytes) {
  return bytes > 0.0 ? flops / bytes : 0.0;
}

static std::optional<double> lookup(const std::vector<std::string> &names,
                                    const std::vector<double> &values,
                                    const char *name) {
  auto it = std::find(names.begin(), names.end(), name);
  size_t index = it - names.begin();
  if (it == names.end() || index >= values.size())
    return std::nullopt;
  return values[index];
}

Derived ssmrt::profile::derive(const std::vector<std::string> &names,
                               const std::vector<double> &values,
                               double recordNs, const Peaks &peaks) {
  Derived derived;
  std::optional<double> duration = lookup(names, values, metric::duration);
  derived.timeNs = duration ? *duration : std::max(recordNs, 0.0);
  std::optional<double> read = lookup(names, values, metric::dramRead);
  std::optional<double> written = lookup(names, values, metric::dramWrite);
  if (read || written) {
    derived.dramBytes = read.value_or(0.0) + written.value_or(0.0);
    if (derived.timeNs > 0.0) {
      derived.bandwidth = bandwidth(*derived.dramBytes, derived.timeNs);
      if (peaks.bandwidth > 0.0)
        derived.peakFraction = *derived.bandwidth / peaks.bandwidth;
    }
    if (peaks.bandwidth > 0.0)
      derived.memoryFloorNs = *derived.dramBytes / peaks.bandwidth * 1e9;
  }
  std::optional<double> ffma = lookup(names, values, metric::ffma);
  std::optional<double> fadd = lookup(names, values, metric::fadd);
  std::optional<double> fmul = lookup(names, values, metric::fmul);
  if (ffma || fadd || fmul) {
    derived.flops = flopsFromCounts(ffma.value_or(0.0), fadd.value_or(0.0),
                                    fmul.value_or(0.0));
    if (derived.dramBytes)
      derived.intensity =
          arithmeticIntensity(*derived.flops, *derived.dramBytes);
    if (peaks.flops > 0.0)
      derived.computeFloorNs = *derived.flops / peaks.flops * 1e9;
  }
  std::optional<double> xu = lookup(names, values, metric::xu);
  if (xu && peaks.xu > 0.0)
    derived.sfuFloorNs = *xu / peaks.xu * 1e9;
  double floor = 0.0;
  for (const auto &[value, name] :
       {std::make_pair(derived.memoryFloorNs, "memory"),
        std::make_pair(derived.computeFloorNs, "compute"),
        std::make_pair(derived.sfuFloorNs, "sfu")})
    if (value && (derived.binding.empty() || *value > floor)) {
      floor = *value;
      derived.binding = name;
    }
  if (!derived.binding.empty() && derived.timeNs > 0.0)
    derived.floorFraction = floor / derived.timeNs;
  return derived;
}
