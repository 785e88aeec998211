//===- Profile.h - ssm-run --kernels, --metrics, --report -------*- C++ -*-===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// The profiling step of `ssm-run`, after the checks and the timing: kernel
// records (CUPTI activity API), counters (`--metrics`, CUPTI Range
// Profiler), the derived figures against the peaks measured in the same
// process, the table on stdout and the report files (ssmrt/Profile/).
//
// Nothing here stops a run for want of counters: a CPU binary, CUPTI
// missing, no permission to read counters (ERR_NVGPUCTRPERM) each become a
// `counters: not collected: ...` line and a note in the report, and the run
// keeps its times. Only a metric list that is wrong (a typo, a metric the
// GPU does not have) is an error, found before the entry runs.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_RUN_PROFILE_H
#define SSMRT_RUN_PROFILE_H

#include "ssmrt/Profile/Metrics.h"
#include "ssmrt/Profile/Report.h"
#include "ssmrt/Run/Execute.h"
#include "ssmrt/Workload.h"

#include <iosfwd>
#include <optional>
#include <string>

namespace ssmrt {

/// What the user asked to be profiled.
struct ProfileRequest {
  bool kernels = false;  ///< --kernels: the table of kernel records.
  std::string metrics;   ///< --metrics SPEC; empty: none.
  std::string reportDir; ///< --report DIR; empty: none.

  bool any() const { return kernels || !metrics.empty() || !reportDir.empty(); }
};

/// The metric plan of a request, made before the entry runs: nullopt when no
/// metrics were asked for or they cannot be collected here (then `note` says
/// why, e.g. a CPU binary or CUPTI missing). Throws std::runtime_error for a
/// malformed list or a metric the GPU does not have. Needs the GPU checked
/// (requireGpu) for a GPU binary.
std::optional<profile::MetricPlan> planRequest(const ProfileRequest &request,
                                               const Manifest &manifest,
                                               std::string &note);

/// The report's description of a binary and entry (no device, no kernels).
profile::Report describeBinary(const std::string &path,
                               const Manifest &manifest,
                               const EntrySpec &entry);

/// Profiles `executor` (whose entry is `entry` of the binary at `path`) as
/// `request` asks, with `plan` from planRequest and `planNote` its note;
/// `times` are the entry's times if it was timed. Prints the table and the
/// notes; writes the report files. Returns the report.
profile::Report profileEntry(const ProfileRequest &request,
                             const std::optional<profile::MetricPlan> &plan,
                             const std::string &planNote,
                             const std::string &path, const Manifest &manifest,
                             const EntrySpec &entry, Executor &executor,
                             const EntryTimes *times, std::ostream &out);

} // namespace ssmrt

#endif // SSMRT_RUN_PROFILE_H
