//===- Execute.cpp - Running and timing an entry on CPU or GPU ------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// The GPU path needs the device API (ssmrt/Device.h, CUDA driver); it is
// compiled only when SSMRT_HAVE_CUDA is defined, so a CPU-only build links.
// Without it, running a GPU binary is a clear error.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Run/Execute.h"

#include "Text.h"

#ifdef SSMRT_HAVE_CUDA
#include "ssmrt/Device.h"
#endif

#include <algorithm>
#include <chrono>
#include <limits>
#include <ostream>

namespace ssmrt {

//===----------------------------------------------------------------------===//
// Executors
//===----------------------------------------------------------------------===//

namespace {

/// Calls the entry on the host buffers themselves.
class CpuExecutor : public Executor {
public:
  CpuExecutor(EntryFunction function, HostBuffers &buffers)
      : function(function) {
    for (HostBuffer &buffer : buffers)
      pointers.push_back(buffer.data());
  }
  void run() override { function(pointers.data()); }
  double timedRun() override {
    auto start = std::chrono::steady_clock::now();
    run();
    std::chrono::duration<double, std::milli> elapsed =
        std::chrono::steady_clock::now() - start;
    return elapsed.count();
  }
  void uploadArguments(const HostBuffers &) override {}
  void uploadResults(const HostBuffers &) override {}
  void fetchResults(HostBuffers &) override {}

private:
  EntryFunction function;
  std::vector<void *> pointers;
};

} // namespace

#ifdef SSMRT_HAVE_CUDA

namespace {

struct DeviceDeleter {
  void operator()(void *p) const { device::free(p); }
};

/// Copies every tensor to device memory and calls the entry on device
/// pointers.
class GpuExecutor : public Executor {
public:
  GpuExecutor(EntryFunction function, const EntrySpec &entry,
              const HostBuffers &buffers, const ExecutorOptions &options);
  void run() override {
    call();
    device::synchronize();
    // The first call did the lazy work (library plans, workspace), which a
    // graph must not capture.
    if (options.cudaGraph && !graph)
      graph = std::make_unique<device::Graph>([this] { callEntry(); });
  }
  double timedRun() override {
    return device::timeMs([this] { call(); });
  }
  /// The kernels one by one: an event pair around each launch, which a
  /// graph replay cannot have, so this calls the entry itself.
  double kernelRun(size_t &launches) override {
    return device::kernelTimeMs([this] { callEntry(); }, &launches);
  }
  void uploadArguments(const HostBuffers &buffers) override;
  void uploadResults(const HostBuffers &buffers) override;
  void fetchResults(HostBuffers &buffers) override;
  double peakMemoryBytes() const override {
    return static_cast<double>(device::memoryUse().peakBytes) - baseBytes;
  }

private:
  void callEntry() { function(pointers.data()); }
  void call() {
    if (graph)
      graph->launch();
    else
      callEntry();
  }

  EntryFunction function;
  const EntrySpec &entry;
  ExecutorOptions options;
  /// Live bytes before the arguments were allocated: other executors'.
  double baseBytes = 0.0;
  std::vector<std::unique_ptr<void, DeviceDeleter>> allocations;
  std::vector<void *> pointers;
  std::unique_ptr<device::Graph> graph;
};

} // namespace

GpuExecutor::GpuExecutor(EntryFunction function, const EntrySpec &entry,
                         const HostBuffers &buffers,
                         const ExecutorOptions &options)
    : function(function), entry(entry), options(options) {
  device::resetPeakMemory();
  baseBytes = static_cast<double>(device::memoryUse().liveBytes);
  // Results are copied too, so elements the entry never writes stay NaN.
  for (const HostBuffer &buffer : buffers) {
    allocations.emplace_back(device::alloc(std::max<size_t>(buffer.size(), 1)));
    pointers.push_back(allocations.back().get());
    device::copyToDevice(pointers.back(), buffer.data(), buffer.size());
  }
}

void GpuExecutor::uploadArguments(const HostBuffers &buffers) {
  for (size_t i = 0; i < entry.tensors.size(); ++i)
    if (!entry.tensors[i].isResult())
      device::copyToDevice(pointers[i], buffers[i].data(), buffers[i].size());
}

void GpuExecutor::uploadResults(const HostBuffers &buffers) {
  for (size_t i = 0; i < entry.tensors.size(); ++i)
    if (entry.tensors[i].isResult())
      device::copyToDevice(pointers[i], buffers[i].data(), buffers[i].size());
}

void GpuExecutor::fetchResults(HostBuffers &buffers) {
  for (size_t i = 0; i < entry.tensors.size(); ++i)
    if (entry.tensors[i].isResult())
      device::copyToHost(buffers[i].data(), pointers[i], buffers[i].size());
}

void requireGpu(const std::string &path, std::ostream &out) {
  std::string whyNot;
  if (!device::available(whyNot))
    fail(path + " is a GPU binary but no CUDA GPU is usable here: " + whyNot +
         " (compile with --target=cpu to run on the CPU)");
  device::Info info = device::info();
  out << "device: " << info.name << ", compute capability " << info.ccMajor
      << "." << info.ccMinor << ", SM clock " << info.smClockMHz
      << " MHz, memory clock " << info.memClockMHz << " MHz, "
      << format("%.1f", info.totalMem / double(1 << 30)) << " GiB\n";
}

void requireChip(const std::string &path, const Manifest &manifest) {
  try {
    device::requireChip(manifest.chip);
  } catch (const std::exception &e) {
    fail(path + " cannot run on this GPU: " + e.what() +
         " (recompile it for this GPU, or with --target=cpu)");
  }
}

#else // !SSMRT_HAVE_CUDA

[[noreturn]] static void failWithoutCuda(const std::string &path) {
  fail(path + " is a GPU binary but this ssm-run was built without CUDA "
              "support (compile with --target=cpu to run on the CPU)");
}

void requireGpu(const std::string &path, std::ostream &) {
  failWithoutCuda(path);
}

void requireChip(const std::string &path, const Manifest &) {
  failWithoutCuda(path);
}

#endif // SSMRT_HAVE_CUDA

std::unique_ptr<Executor> makeExecutor(const WorkloadLibrary &library,
                                       const EntrySpec &entry,
                                       HostBuffers &buffers,
                                       const ExecutorOptions &options) {
  EntryFunction function = library.entryFunction(entry.name);
#ifdef SSMRT_HAVE_CUDA
  if (library.manifest().isGpu())
    return std::make_unique<GpuExecutor>(function, entry, buffers, options);
#endif
  if (options.cudaGraph)
    fail("--cuda-graph replays GPU work; " + library.manifest().target +
         " binaries run on the CPU");
  return std::make_unique<CpuExecutor>(function, buffers);
}

//===----------------------------------------------------------------------===//
// Timing
//===----------------------------------------------------------------------===//

double TimeStats::spreadPercent() const {
  if (median > 0.0)
    return 100.0 * (max - min) / median;
  return max > min ? std::numeric_limits<double>::infinity() : 0.0;
}

TimeStats summarizeTimes(std::vector<double> times) {
  TimeStats stats;
  if (times.empty())
    return stats;
  std::sort(times.begin(), times.end());
  size_t mid = times.size() / 2;
  stats.median =
      times.size() % 2 ? times[mid] : 0.5 * (times[mid - 1] + times[mid]);
  stats.min = times.front();
  stats.max = times.back();
  stats.count = times.size();
  return stats;
}

std::vector<EntryTimes>
timeInterleaved(const std::vector<Executor *> &executors, int warmup,
                int repeat) {
  for (int i = 0; i < warmup; ++i)
    for (Executor *executor : executors)
      executor->run();
  std::vector<EntryTimes> results(executors.size());
  for (int i = 0; i < repeat; ++i)
    for (size_t e = 0; e < executors.size(); ++e)
      results[e].times.push_back(executors[e]->timedRun());
  // Kernel timing records an event pair per launch, which the per-call times
  // above must not pay for, hence rounds of their own.
  for (int i = 0; i < repeat; ++i)
    for (size_t e = 0; e < executors.size(); ++e) {
      double ms = executors[e]->kernelRun(results[e].launches);
      if (ms >= 0)
        results[e].kernelTimes.push_back(ms);
    }
  return results;
}

static void printTimes(const char *label, const std::vector<double> &times,
                       std::ostream &out) {
  TimeStats stats = summarizeTimes(times);
  out << format("%s: median %.4f ms, min %.4f, max %.4f over %zu runs\n", label,
                stats.median, stats.min, stats.max, stats.count);
}

/// Per-call time (as a training step sees it: host work, launches and
/// synchronisation included) and, on the GPU, the summed time of the kernels
/// alone, each the median of `repeat` runs after `warmup` runs.
EntryTimes timeEntry(Executor &executor, int warmup, int repeat,
                     std::ostream &out) {
  EntryTimes result = timeInterleaved({&executor}, warmup, repeat).front();
  printTimes("time", result.times, out);
  if (!result.kernelTimes.empty()) {
    out << "kernels: " << result.launches << " launches per call\n";
    printTimes("kernel time", result.kernelTimes, out);
  }
  return result;
}

} // namespace ssmrt
