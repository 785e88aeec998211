//===- Profile.cpp - ssm-run --kernels, --metrics, --report ---------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Run/Profile.h"

#include "Text.h"

#ifdef SSMRT_HAVE_CUDA
#include "ssmrt/Device.h"
#include "ssmrt/Profile/Collect.h"
#endif

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <ostream>

namespace ssmrt {

using namespace profile;

/// The line and the note of something not collected.
static void notCollected(Report &report, const std::string &why,
                         std::ostream &out) {
  out << "counters: not collected: " << why << "\n";
  report.notes.push_back("not collected: " + why);
}

std::optional<MetricPlan> planRequest(const ProfileRequest &request,
                                      const Manifest &manifest,
                                      std::string &note) {
  if (request.metrics.empty())
    return std::nullopt;
  std::vector<std::string> names = parseMetricList(request.metrics);
  if (!manifest.isGpu()) {
    note = "a CPU binary has no GPU counters (--metrics needs a binary "
           "compiled with --target=gpu)";
    return std::nullopt;
  }
#ifdef SSMRT_HAVE_CUDA
  std::string whyNot;
  if (!cuptiAvailable(whyNot)) {
    note = whyNot;
    return std::nullopt;
  }
  std::string chip;
  try {
    chip = deviceChipName();
  } catch (const std::exception &e) {
    note = e.what();
    return std::nullopt;
  }
  try {
    return planMetrics(chip, names);
  } catch (const std::exception &e) {
    fail(std::string("--metrics: ") + e.what());
  }
#else
  note = "this ssm-run was built without CUDA support";
  return std::nullopt;
#endif
}

Report describeBinary(const std::string &path, const Manifest &manifest,
                      const EntrySpec &entry) {
  Report report;
  report.binary = path;
  report.entry = entry.name;
  report.target = manifest.target;
  report.chip = manifest.chip;
  report.module = manifest.module;
  report.pipeline = manifest.pipeline;
  report.options = manifest.options;
  for (const OpSpec &op : entry.ops)
    report.ops.emplace_back(op.op, op.lowering);
  return report;
}

#ifdef SSMRT_HAVE_CUDA

static ReportDevice describeDevice(Report &report) {
  device::Info info = device::info();
  DeviceFacts facts = deviceFacts();
  ReportDevice d;
  d.name = info.name;
  d.ccMajor = info.ccMajor;
  d.ccMinor = info.ccMinor;
  d.multiprocessors = facts.multiprocessors;
  d.smClockMHz = facts.smClockMHz;
  d.memClockMHz = facts.memClockMHz;
  d.totalMemGiB = info.totalMem / double(1 << 30);
  d.driverVersion = facts.driverVersion;
  d.cuptiVersion = facts.cuptiVersion;
  report.peaks.flops = facts.peakFlops();
  report.peaks.xu = facts.peakXu();
  return d;
}

/// Kernel records and counters into the report's rows.
static void collectGpu(const ProfileRequest &request,
                       const std::optional<MetricPlan> &plan, Report &report,
                       Executor &executor, const EntryTimes *times,
                       std::ostream &out) {
  report.device = describeDevice(report);
  std::string whyNot;
  if (!cuptiAvailable(whyNot)) {
    notCollected(report, whyNot + "; times only", out);
    return;
  }
  try {
    report.device->chip = deviceChipName();
  } catch (const std::exception &e) {
    report.notes.push_back(e.what());
  }
  auto call = [&executor] { executor.run(); };
  int calls = times && !times->times.empty()
                  ? static_cast<int>(std::min<size_t>(times->times.size(), 10))
                  : 3;
  std::vector<KernelRecord> records;
  try {
    records = collectKernelRecords(call, calls);
  } catch (const std::exception &e) {
    notCollected(report, std::string("kernel records: ") + e.what(), out);
  }
  for (const KernelRecord &record : records) {
    ReportKernel kernel;
    kernel.position = record.position;
    kernel.name = record.name;
    if (record.calls > 0)
      kernel.record = record;
    report.kernels.push_back(kernel);
  }

  // The peak the kernels' bandwidth is measured against: a copy of 256 MiB
  // (five times the H100's L2) each way.
  try {
    report.peaks.bandwidth = measureCopyBandwidth(size_t(256) << 20, 5);
    out << format("peak: device-to-device copy %.0f GB/s (read + write), "
                  "f32 FMA %.1f TFLOP/s at %d MHz\n",
                  report.peaks.bandwidth * 1e-9, report.peaks.flops * 1e-12,
                  report.device->smClockMHz);
  } catch (const std::exception &e) {
    report.notes.push_back(std::string("peak bandwidth not measured: ") +
                           e.what());
  }

  if (!plan)
    return;
  report.metrics = plan->metrics;
  report.passes = plan->passes;
  out << "counters: " << countOf(plan->metrics.size(), "metric") << " on "
      << plan->chip << " in " << countOf(plan->passes, "pass")
      << " (the entry is called once per pass)\n";
  out.flush();
  std::vector<LaunchCounters> counters;
  try {
    counters = collectCounters(*plan, call, [](size_t pass, size_t passes) {
      std::cerr << "counters: pass " << pass + 1 << "/" << passes << "\r"
                << std::flush;
    });
    std::cerr << "\n";
  } catch (const std::exception &e) {
    std::cerr << "\n";
    report.metrics.clear();
    report.passes = 0;
    notCollected(report, std::string(e.what()) + "; times only", out);
    return;
  }
  if (size_t ignored = attachCounters(report.kernels, counters))
    report.notes.push_back(std::to_string(ignored) +
                           " counter ranges without a launch position");
}

#endif // SSMRT_HAVE_CUDA

Report profileEntry(const ProfileRequest &request,
                    const std::optional<MetricPlan> &plan,
                    const std::string &planNote, const std::string &path,
                    const Manifest &manifest, const EntrySpec &entry,
                    Executor &executor, const EntryTimes *times,
                    std::ostream &out) {
  Report report = describeBinary(path, manifest, entry);
  if (times) {
    report.timeMedianMs = summarizeTimes(times->times).median;
    report.kernelTimeMedianMs = summarizeTimes(times->kernelTimes).median;
  }
  if (!planNote.empty())
    notCollected(report, planNote, out);
  if (manifest.isGpu()) {
#ifdef SSMRT_HAVE_CUDA
    collectGpu(request, plan, report, executor, times, out);
#endif
  } else if (planNote.empty()) {
    notCollected(report,
                 "a CPU binary has no kernel records (they come from GPU "
                 "binaries)",
                 out);
  }
  deriveAll(report);
  if (!report.kernels.empty())
    out << formatKernelTable(report);
  if (!request.reportDir.empty()) {
    std::vector<std::string> paths = writeReport(request.reportDir, report);
    out << "report:";
    for (size_t i = 0; i < paths.size(); ++i)
      out << (i ? ", " : " ") << paths[i];
    out << "\n";
  }
  return report;
}

} // namespace ssmrt
