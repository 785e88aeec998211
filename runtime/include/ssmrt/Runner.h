//===- Runner.h - The logic of the ssm-run tool -----------------*- C++ -*-===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// `ssm-run` loads a workload binary, fills its argument tensors (seeded random
// values or .npy files), runs one entry on the CPU or the GPU, and optionally
// dumps the results, checks them against the float64 reference and times the
// entry; `--compare` does it for several binaries side by side (Compare.h). The
// tool itself only calls `runMain`; the pieces are declared in ssmrt/Run/
// (Inputs.h, Execute.h, Check.h), included here, so that unit tests can reach
// them. docs/WORKLOAD_BINARY.md documents the conventions (random
// distributions, tolerances, the error measure).
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_RUNNER_H
#define SSMRT_RUNNER_H

#include "ssmrt/Run/Check.h"
#include "ssmrt/Run/Execute.h"
#include "ssmrt/Run/Inputs.h"
#include "ssmrt/Run/Profile.h"
#include "ssmrt/Run/Train.h"
#include "ssmrt/Workload.h"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace ssmrt {

/// The command line of `ssm-run`.
struct RunOptions {
  std::string binary;        ///< The workload .so.
  std::string entry;         ///< Empty: the manifest's first entry.
  uint64_t seed = 0;         ///< Seed of the random argument values.
  std::string inputsDir;     ///< Read arguments from DIR/<name>.npy.
  std::string dumpDir;       ///< Write results as DIR/<name>.npy.
  bool dumpInputs = false;   ///< Also dump the arguments.
  bool check = false;        ///< Compare results with the reference.
  std::optional<double> tol; ///< Overrides every dtype's tolerance.
  int repeat = 0;            ///< Timed runs after the first run.
  int warmup = 0;            ///< Untimed runs before the timed ones.
  bool targetCheck = false;  ///< Only check that the binary can run here.
  int train = 0;             ///< --train STEPS: train for STEPS steps.
  double lr = 1e-3;          ///< --lr: AdamW's learning rate for --train.
  bool cudaGraph = false;    ///< --cuda-graph: replay calls as a CUDA graph.
  /// --kernels, --metrics, --report: kernel records, counters, report files
  /// (ssmrt/Run/Profile.h).
  ProfileRequest profile;
  /// --compare: two or more binaries (`binary` is then unused), each run on
  /// the same arguments and timed in interleaved rounds.
  std::vector<std::string> compare;
  /// --from-report: report.json files of earlier runs (`binary` is then
  /// unused), whose tables, comparison and roofline are rebuilt without
  /// running anything.
  std::vector<std::string> fromReports;
};

/// Runs `ssm-run` with parsed options; writes the report to `out` and errors
/// (each starting "error:") to `err`. Returns the exit code: 0, or 1 on any
/// error or failed check. Never throws.
int runWorkload(const RunOptions &options, std::ostream &out,
                std::ostream &err);

/// Parses the command line and calls runWorkload on std::cout/std::cerr.
/// Returns the process exit code. Never throws.
int runMain(int argc, char **argv);

} // namespace ssmrt

#endif // SSMRT_RUNNER_H
