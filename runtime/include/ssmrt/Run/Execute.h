//===- Execute.h - Running and timing an entry on CPU or GPU ----*- C++ -*-===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// An Executor calls one entry of a loaded workload binary on its target: on
// the host buffers themselves (CPU), or on device copies of them (GPU, through
// ssmrt/Device.h). Timing runs executors a number of times and summarises the
// per-call times: wall clock on the CPU, CUDA events on the runtime's stream
// on the GPU, plus the kernels alone (an event pair around every launch).
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_RUN_EXECUTE_H
#define SSMRT_RUN_EXECUTE_H

#include "ssmrt/Run/Inputs.h"
#include "ssmrt/Workload.h"

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace ssmrt {

/// Runs one entry on some device, on buffers set up at construction.
class Executor {
public:
  virtual ~Executor() = default;
  /// Runs the entry once and waits for it to finish.
  virtual void run() = 0;
  /// Runs the entry once; returns its time in milliseconds.
  virtual double timedRun() = 0;
  /// Runs the entry once; returns the summed time of its kernels alone and
  /// their count, or a negative time where kernels are not separately timed.
  virtual double kernelRun(size_t &launches) {
    launches = 0;
    return -1.0;
  }
  /// Makes the entry see the current argument values of `buffers` (the
  /// ones it was built over): a copy to the device on the GPU, nothing on
  /// the CPU, which runs on the buffers themselves.
  virtual void uploadArguments(const HostBuffers &buffers) = 0;
  /// Makes the entry's result buffers hold those of `buffers` again (the
  /// NaN poison before a call that must write them all): a copy on the GPU,
  /// nothing on the CPU.
  virtual void uploadResults(const HostBuffers &buffers) = 0;
  /// Copies the result tensors back into `buffers`.
  virtual void fetchResults(HostBuffers &buffers) = 0;
  /// Device memory at most in use since the executor was made, in bytes
  /// (arguments and results included), or a negative value where unknown.
  virtual double peakMemoryBytes() const { return -1.0; }
};

/// How an executor calls the entry.
struct ExecutorOptions {
  /// GPU: after the first call, capture one call as a CUDA graph and replay
  /// it (one launch per call) instead of calling the entry.
  bool cudaGraph = false;
};

/// The executor for `entry` of `library` on its target, over `buffers` (which
/// must outlive it on the CPU; the GPU executor copies them to the device).
/// Fails (naming --cuda-graph) when `options` asks a CPU binary for a graph.
std::unique_ptr<Executor> makeExecutor(const WorkloadLibrary &library,
                                       const EntrySpec &entry,
                                       HostBuffers &buffers,
                                       const ExecutorOptions &options = {});

/// Fails unless a CUDA GPU is usable for the GPU binary `path`; prints the
/// `device:` line (name, compute capability, clocks, memory).
void requireGpu(const std::string &path, std::ostream &out);

/// Fails unless the GPU can run the cubin of `manifest` (its `chip`).
void requireChip(const std::string &path, const Manifest &manifest);

/// The summary of a series of per-call times, in milliseconds.
struct TimeStats {
  double median = 0.0; ///< Of an even count: the mean of the middle two.
  double min = 0.0;
  double max = 0.0;
  size_t count = 0;

  /// (max - min) / median in percent: how far apart the calls were.
  double spreadPercent() const;
};

/// Summarises `times` (all zero when it is empty).
TimeStats summarizeTimes(std::vector<double> times);

/// The times of one executor's calls.
struct EntryTimes {
  std::vector<double> times;       ///< Per call, as a training step sees it.
  std::vector<double> kernelTimes; ///< The kernels alone; empty on the CPU.
  size_t launches = 0;             ///< Kernel launches per call.
};

/// Runs `warmup` untimed calls of each executor, then `repeat` rounds that
/// time one call of each in turn (A B C A B C ...), so that drift (clocks,
/// temperature, other load) hits them all alike; then as many rounds timing
/// the kernels alone where the executor can.
std::vector<EntryTimes>
timeInterleaved(const std::vector<Executor *> &executors, int warmup,
                int repeat);

/// Times one executor as above and prints `time:` and, on the GPU, `kernels:`
/// and `kernel time:` lines; returns the times.
EntryTimes timeEntry(Executor &executor, int warmup, int repeat,
                     std::ostream &out);

} // namespace ssmrt

#endif // SSMRT_RUN_EXECUTE_H
