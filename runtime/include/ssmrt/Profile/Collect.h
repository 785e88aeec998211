//===- Collect.h - Reading kernel records and counters from the GPU -*- C++
//-*-//
//
// Part of the ssm project: an MLIR compiler and runtime for state space models.
//
//===----------------------------------------------------------------------===//
//
// Two collections, both through CUPTI (loaded at run time, Cupti.h) and both
// tied to launches by the runtime's launch hook (ssmrtSetLaunchCallback):
//
// - Kernel records (CUPTI activity API, CONCURRENT_KERNEL records): per
//   launch its name, grid, block, registers per thread, static and dynamic
//   shared memory, local memory per thread (spills) and its duration. Cheap:
//   no replay, the launches run as they would. Each launch is tied to its
//   record by an external correlation id, the launch's index.
// - Counters (CUPTI Range Profiler, user ranges, user replay): every launch
//   is one range named after its position and kernel ("003 ssm_conv1d"), so
//   no two launches of a call merge; a metric set that needs several passes
//   calls the entry once per pass. An entry writes its results from its
//   arguments alone (accumulators are zero-filled inside it), so replaying it
//   whole is safe.
//
// A call is a function that runs the entry once and waits for it. Failures
// throw std::runtime_error saying what could not be done and why (CUPTI
// missing, ERR_NVGPUCTRPERM, ...); the caller reports them and goes on.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_PROFILE_COLLECT_H
#define SSMRT_PROFILE_COLLECT_H

#include "ssmrt/Profile/Metrics.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ssmrt::profile {

/// One launch of a call, as the activity API records it.
struct KernelRecord {
  size_t position = 0; ///< Its place among the call's launches, from 0.
  std::string name;
  unsigned grid[3] = {1, 1, 1};
  unsigned block[3] = {1, 1, 1};
  unsigned registersPerThread = 0;
  unsigned staticSharedBytes = 0;
  unsigned dynamicSharedBytes = 0;
  unsigned localBytesPerThread = 0; ///< Non-zero: spills or local arrays.
  double durationNs = 0.0;          ///< Median over the calls recorded.
  size_t calls = 0;                 ///< Calls whose record was found.
};

/// A kernel activity record tied to its launch (by the external correlation
/// id the launch hook pushed), not yet to a position in a call.
struct ActivityKernel {
  uint64_t launchIndex = 0; ///< ssmrtLaunchInfo::launchIndex.
  std::string name;
  KernelRecord fields; ///< Everything but position, name and duration.
  uint64_t startNs = 0, endNs = 0;
};

/// Ties records to launch positions: `calls[c]` is the launch indices
/// [first, end) of call c; a call's positions are counted from its first.
/// Returns one record per position of the first call (named from
/// `launchNames` where no record came), durations the median over calls,
/// `calls` the number of calls with a record at that position. Records of
/// launches outside every call are ignored.
std::vector<KernelRecord>
assignKernelRecords(const std::vector<ActivityKernel> &kernels,
                    const std::vector<std::pair<uint64_t, uint64_t>> &calls,
                    const std::vector<std::string> &launchNames);

/// Whether CUPTI can be loaded; otherwise sets `whyNot`. Cheap after the
/// first call; never throws.
bool cuptiAvailable(std::string &whyNot);

/// Runs `call` `calls` times (>= 1) with activity records on; returns one
/// record per launch position of a call, durations the median over calls.
/// Every call must launch the same kernels in the same order.
std::vector<KernelRecord>
collectKernelRecords(const std::function<void()> &call, int calls);

/// The chip name the Host API knows the runtime's device by ("GH100").
std::string deviceChipName();

/// The values of one launch: `values[i]` is metric `i` of the plan.
struct LaunchCounters {
  std::string rangeName;
  std::vector<double> values;
};

/// Collects `plan` (for the device's chip) over one call per pass; calls
/// `progress(pass, passes)` before each pass. Returns the counters of every
/// launch of the call, in launch order.
std::vector<LaunchCounters>
collectCounters(const MetricPlan &plan, const std::function<void()> &call,
                const std::function<void(size_t, size_t)> &progress);

/// The device-to-device copy bandwidth, bytes read plus bytes written per
/// second, the best of `repeats` copies of `bytes` (large against L2).
double measureCopyBandwidth(size_t bytes, int repeats);

/// What the report says about the device beyond ssmrt::device::Info.
struct DeviceFacts {
  int multiprocessors = 0;
  int smClockMHz = 0;
  int memClockMHz = 0;
  int memBusWidthBits = 0;
  int driverVersion = 0; ///< e.g. 13000 for CUDA 13.0.
  unsigned cuptiVersion = 0;
  /// f32 FMA peak: SMs x 128 lanes x 2 flops x the SM clock, in flop/s.
  double peakFlops() const;
  /// XU (special-function) pipe: SMs x 16 lanes / 32 (half a warp
  /// instruction per clock) x the SM clock, warp instructions per second.
  double peakXu() const;
};

/// Reads the facts (cuptiVersion stays 0 without CUPTI).
DeviceFacts deviceFacts();

} // namespace ssmrt::profile

#endif // SSMRT_PROFILE_COLLECT_H
