//===- Runner.cpp - The logic of the ssm-run tool -------------------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// The orchestration of `ssm-run`: load the binary, fill its arguments, run,
// dump, check and time, in that order; with --compare, the same for several
// binaries in one process, timed in interleaved rounds. The pieces live in
// lib/Run/: Inputs (buffers, random and .npy arguments, dumps), Execute (CPU
// and GPU executors, timing), Check (the reference comparison), Compare
// (signatures, lowering differences, the table), CommandLine (the flags).
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Runner.h"

#include "Run/Text.h"

#include "ssmrt/Run/Check.h"
#include "ssmrt/Run/Compare.h"
#include "ssmrt/Run/Execute.h"
#include "ssmrt/Run/GradCheck.h"
#include "ssmrt/Run/Inputs.h"
#include "ssmrt/Run/Profile.h"
#include "ssmrt/Run/Train.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>

namespace ssmrt {

static const EntrySpec &selectEntry(const std::string &path,
                                    const Manifest &manifest,
                                    const std::string &name) {
  if (name.empty())
    return manifest.entries.front();
  if (const EntrySpec *entry = manifest.findEntry(name))
    return *entry;
  std::string known;
  for (const EntrySpec &entry : manifest.entries)
    known += (known.empty() ? "" : ", ") + entry.name;
  fail(path + " has no entry '" + name + "' (entries: " + known + ")");
}

static void printSummary(const std::string &path, const Manifest &manifest,
                         const EntrySpec &entry, std::ostream &out) {
  out << "binary: " << path << " (module " << manifest.module << ", target "
      << manifest.target;
  if (manifest.isGpu())
    out << " " << manifest.chip;
  out << ", pipeline " << manifest.pipeline;
  for (const auto &[key, value] : manifest.options)
    out << " " << key << "=" << value;
  size_t results =
      std::count_if(entry.tensors.begin(), entry.tensors.end(),
                    [](const TensorSpec &t) { return t.isResult(); });
  out << ")\nentry: " << entry.name << " ("
      << countOf(entry.tensors.size() - results, "argument") << ", "
      << countOf(results, "result") << ")\n";
}

/// The manifest read from the file without loading it, so that a GPU binary
/// on a machine that cannot run it fails here, before its constructors try
/// to load kernels; nullopt when it cannot be read that way.
static std::optional<Manifest> manifestBeforeLoading(const std::string &path) {
  std::optional<std::string> text = peekManifest(path);
  if (!text)
    return std::nullopt;
  try {
    return parseManifest(*text);
  } catch (const std::exception &e) {
    fail(path + ": " + e.what());
  }
}

namespace {
/// A workload binary being opened: its manifest first, read from the file
/// when possible (`early`), the library once the binary may be loaded.
struct OpenBinary {
  std::string path;
  std::optional<Manifest> early;
  std::unique_ptr<WorkloadLibrary> library;
  const EntrySpec *entry = nullptr; ///< Of `early` when set, else `library`.

  const Manifest &manifest() const {
    return early ? *early : library->manifest();
  }
};
} // namespace

/// Reads the manifest of `binary.path` and selects the entry `entryName`
/// (empty: the first); loads the binary only when its manifest cannot be read
/// from the file.
static void openBinary(OpenBinary &binary, const std::string &entryName) {
  binary.early = manifestBeforeLoading(binary.path);
  if (!binary.early) // Loading gives the authoritative error, or the manifest.
    binary.library = std::make_unique<WorkloadLibrary>(binary.path);
  binary.entry = &selectEntry(binary.path, binary.manifest(), entryName);
}

/// Loads the binary unless openBinary already had to.
static void finishLoading(OpenBinary &binary, std::ostream &out) {
  if (binary.library)
    return;
  out.flush(); // Keep the report if the binary's constructors fail.
  binary.library = std::make_unique<WorkloadLibrary>(binary.path);
}

/// Loads the binary, selects the entry and checks that it can run here.
static void loadChecked(OpenBinary &binary, const std::string &entryName,
                        std::ostream &out) {
  openBinary(binary, entryName);
  const Manifest &manifest = binary.manifest();
  printSummary(binary.path, manifest, *binary.entry, out);
  if (manifest.isGpu()) {
    requireGpu(binary.path, out);
    requireChip(binary.path, manifest);
  }
  finishLoading(binary, out);
}

/// Runs the entry once, the first call after loading; returns its wall-clock
/// time in milliseconds.
static double firstCall(Executor &executor) {
  auto start = std::chrono::steady_clock::now();
  executor.run();
  std::chrono::duration<double, std::milli> elapsed =
      std::chrono::steady_clock::now() - start;
  return elapsed.count();
}

/// The `peak device memory:` line, where the executor knows it.
static void printPeakMemory(const Executor &executor, std::ostream &out) {
  double bytes = executor.peakMemoryBytes();
  if (bytes >= 0)
    out << format("peak device memory: %.1f MiB (arguments, results, the "
                  "entry's buffers and library workspace, at most at once)\n",
                  bytes / (1024.0 * 1024.0));
}

/// The --check results of `entry`: every result against the reference and,
/// for a training step, the finite-difference check of its gradients.
static std::vector<CheckResult> checkAll(const EntrySpec &entry,
                                         const HostBuffers &buffers,
                                         const RunOptions &options) {
  std::vector<CheckResult> results = checkEntry(entry, buffers, options.tol);
  std::string whyNot;
  if (std::optional<TrainingStep> step = findTrainingStep(entry, whyNot)) {
    std::vector<CheckResult> fd = checkGradientsByFiniteDifferences(
        entry, *step, buffers, options.seed, options.tol);
    results.insert(results.end(), fd.begin(), fd.end());
  }
  return results;
}

/// runWorkload of --train, without the exception barrier.
static int trainOrThrow(const RunOptions &options, std::ostream &out) {
  if (options.check || options.repeat || !options.dumpDir.empty() ||
      options.dumpInputs || options.targetCheck || options.profile.any())
    fail("--train cannot be combined with --check, --repeat, --dump, "
         "--dump-inputs, --target-check, --kernels, --metrics or --report");
  OpenBinary binary;
  binary.path = options.binary;
  openBinary(binary, options.entry);
  std::string whyNot; // Before loading anything: is it a training step?
  if (!findTrainingStep(*binary.entry, whyNot))
    fail("--train: " + whyNot);
  loadChecked(binary, options.entry, out);
  const EntrySpec &entry = *binary.entry;
  HostBuffers buffers = allocateBuffers(entry);
  loadArguments(options.inputsDir, options.seed, entry, buffers, out);
  std::unique_ptr<Executor> executor =
      makeExecutor(*binary.library, entry, buffers, {options.cudaGraph});
  out << "train: " << options.train << " steps, AdamW lr " << options.lr
      << ", Markov batches (seed " << options.seed << ")\n";
  out.flush();
  train(entry, *executor, buffers, {options.train, options.lr, options.seed},
        out);
  printPeakMemory(*executor, out);
  return 0;
}

/// runWorkload of one binary, without the exception barrier.
static int runOrThrow(const RunOptions &options, std::ostream &out) {
  OpenBinary binary;
  binary.path = options.binary;
  loadChecked(binary, options.entry, out);
  const EntrySpec &entry = *binary.entry;
  if (options.targetCheck) {
    out << "target-check: " << options.binary << " can run here\n";
    return 0;
  }
  // A wrong metric list fails here, before anything runs.
  std::string planNote;
  std::optional<profile::MetricPlan> plan =
      planRequest(options.profile, binary.manifest(), planNote);
  if (!options.dumpDir.empty())
    prepareDumpDir(options.dumpDir);
  HostBuffers buffers = allocateBuffers(entry);
  loadArguments(options.inputsDir, options.seed, entry, buffers, out);
  std::unique_ptr<Executor> executor =
      makeExecutor(*binary.library, entry, buffers, {options.cudaGraph});
  out.flush(); // Keep the report if the entry crashes.
  double first = firstCall(*executor);
  if (options.repeat > 0)
    out << format("first call: %.4f ms (wall clock, after loading)\n", first);
  if (options.cudaGraph) {
    // What --dump and --check see must come from a replay of the graph, on
    // result buffers poisoned again.
    executor->uploadResults(buffers);
    executor->run();
    out << "cuda graph: one call captured after the first, replayed for "
           "the results and every timed call\n";
  }
  printPeakMemory(*executor, out);
  executor->fetchResults(buffers);
  if (!options.dumpDir.empty())
    dumpTensors(options.dumpDir, entry, buffers, options.dumpInputs, out);
  size_t failed = 0;
  if (options.check)
    failed = reportCheck(checkAll(entry, buffers, options), out);
  std::optional<EntryTimes> times;
  if (options.repeat > 0)
    times = timeEntry(*executor, options.warmup, options.repeat, out);
  if (options.profile.any())
    profileEntry(options.profile, plan, planNote, options.binary,
                 binary.manifest(), entry, *executor, times ? &*times : nullptr,
                 out);
  return failed ? 1 : 0;
}

//===----------------------------------------------------------------------===//
// --compare
//===----------------------------------------------------------------------===//

/// Refuses what --compare does not do.
static void checkCompareOptions(const RunOptions &options) {
  if (options.compare.size() < 2)
    fail("--compare needs two or more binaries, got " +
         std::to_string(options.compare.size()));
  if (!options.dumpDir.empty() || options.dumpInputs)
    fail("--compare cannot be combined with --dump or --dump-inputs");
  if (options.targetCheck)
    fail("--compare cannot be combined with --target-check");
  if (options.repeat < 1)
    fail("--compare needs --repeat 1 or more");
}

/// Fails unless every binary has the first one's target and signature:
/// timing CPU code against GPU code, or on other tensors, compares nothing.
static void checkComparable(const std::vector<OpenBinary> &binaries) {
  const OpenBinary &first = binaries.front();
  for (const OpenBinary &binary : binaries) {
    if (binary.manifest().target != first.manifest().target)
      fail("--compare: " + binary.path + " targets " +
           binary.manifest().target + " but " + first.path + " targets " +
           first.manifest().target +
           "; CPU and GPU binaries cannot be compared");
    std::string mismatch = signatureMismatch(*first.entry, *binary.entry);
    if (!mismatch.empty())
      fail(binary.path + ": entry '" + binary.entry->name +
           "' does not match entry '" + first.entry->name + "' of " +
           first.path + ": " + mismatch);
  }
}

/// A copy of the arguments in `inputs` for `entry` (whose tensors are those
/// of `inputs`, checkComparable says), with fresh NaN-poisoned results.
static HostBuffers copyArguments(const EntrySpec &entry,
                                 const HostBuffers &inputs) {
  HostBuffers buffers = allocateBuffers(entry);
  for (size_t i = 0; i < entry.tensors.size(); ++i)
    if (!entry.tensors[i].isResult())
      std::memcpy(buffers[i].data(), inputs[i].data(), inputs[i].size());
  return buffers;
}

/// Opens every binary before loading any, so that a wrong one fails before
/// any runs; prints their summaries; loads them.
static std::vector<OpenBinary> openComparable(const RunOptions &options,
                                              std::ostream &out) {
  // Sized once: entries point into the elements' manifests.
  std::vector<OpenBinary> binaries(options.compare.size());
  for (size_t i = 0; i < binaries.size(); ++i) {
    binaries[i].path = options.compare[i];
    openBinary(binaries[i], options.entry);
  }
  checkComparable(binaries);
  for (const OpenBinary &binary : binaries)
    printSummary(binary.path, binary.manifest(), *binary.entry, out);
  if (binaries.front().manifest().isGpu()) {
    requireGpu(binaries.front().path, out);
    for (const OpenBinary &binary : binaries)
      requireChip(binary.path, binary.manifest());
  }
  for (OpenBinary &binary : binaries)
    finishLoading(binary, out);
  return binaries;
}

/// The table's rows: each binary's lowering choices and time statistics.
static std::vector<CompareRow>
tableRows(const std::vector<OpenBinary> &binaries,
          const std::vector<std::string> &names,
          const std::vector<EntryTimes> &times) {
  std::vector<CompareRow> rows;
  for (size_t i = 0; i < binaries.size(); ++i) {
    CompareRow row;
    row.name = names[i];
    row.lowering = loweringChoices(binaries[i].manifest(), *binaries[i].entry);
    row.time = summarizeTimes(times[i].times);
    if (!times[i].kernelTimes.empty())
      row.kernelTime = summarizeTimes(times[i].kernelTimes);
    row.launches = times[i].launches;
    rows.push_back(std::move(row));
  }
  return rows;
}

/// The profile of every binary (each its own table, and report in
/// DIR/<name>/), then their counters side by side and, with --report, one
/// roofline of them all in DIR/roofline.svg.
static void
compareCounters(const RunOptions &options,
                const std::vector<OpenBinary> &binaries,
                const std::vector<std::string> &names,
                const std::vector<std::unique_ptr<Executor>> &executors,
                const std::vector<EntryTimes> &times,
                const std::optional<profile::MetricPlan> &plan,
                const std::string &planNote, std::ostream &out) {
  const std::string &dir = options.profile.reportDir;
  if (!dir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error)
      fail("--report: cannot create directory " + dir);
  }
  std::vector<profile::Report> reports;
  for (size_t i = 0; i < binaries.size(); ++i) {
    out << "profile of " << names[i] << ":\n";
    ProfileRequest request = options.profile;
    if (!dir.empty()) {
      std::string sub = names[i];
      std::replace(sub.begin(), sub.end(), '/', '_');
      request.reportDir = dir + "/" + sub;
    }
    reports.push_back(profileEntry(request, plan, planNote, binaries[i].path,
                                   binaries[i].manifest(), *binaries[i].entry,
                                   *executors[i], &times[i], out));
  }
  std::vector<const profile::Report *> pointers;
  for (const profile::Report &report : reports)
    pointers.push_back(&report);
  out << "counters: " << binaries.size() << " binaries side by side\n"
      << profile::formatCounterComparison(names, pointers);
  if (!dir.empty()) {
    std::string path = dir + "/roofline.svg";
    std::ofstream file(path);
    file << profile::rooflineSvg(pointers);
    if (!file)
      fail("--report: cannot write " + path);
    out << "report: " << path << "\n";
  }
}

/// runWorkload of --compare, without the exception barrier.
static int compareOrThrow(const RunOptions &options, std::ostream &out) {
  checkCompareOptions(options);
  std::vector<OpenBinary> binaries = openComparable(options, out);
  // A wrong metric list fails here, before anything runs.
  std::string planNote;
  std::optional<profile::MetricPlan> plan =
      planRequest(options.profile, binaries.front().manifest(), planNote);

  // The same argument values for all; results of their own.
  const EntrySpec &firstEntry = *binaries.front().entry;
  HostBuffers inputs = allocateBuffers(firstEntry);
  loadArguments(options.inputsDir, options.seed, firstEntry, inputs, out);
  std::vector<HostBuffers> buffers;
  std::vector<std::unique_ptr<Executor>> executors;
  std::vector<Executor *> order;
  buffers.reserve(binaries.size()); // Executors keep pointers into them.
  for (const OpenBinary &binary : binaries) {
    buffers.push_back(copyArguments(*binary.entry, inputs));
    executors.push_back(makeExecutor(*binary.library, *binary.entry,
                                     buffers.back(), {options.cudaGraph}));
    order.push_back(executors.back().get());
  }

  std::vector<std::string> names = shortNames(options.compare);
  size_t failedBinaries = 0;
  for (size_t i = 0; i < binaries.size(); ++i) {
    out.flush(); // Keep the report if the entry crashes.
    executors[i]->run();
    executors[i]->fetchResults(buffers[i]);
    if (!options.check)
      continue;
    out << "check of " << names[i] << ":\n";
    std::vector<CheckResult> results =
        checkAll(*binaries[i].entry, buffers[i], options);
    if (reportCheck(results, out) > 0)
      ++failedBinaries;
  }

  out << "compare: " << binaries.size() << " binaries, "
      << countOf(options.warmup, "warmup call") << " each, then "
      << countOf(options.repeat, "round")
      << " calling each in turn (ms per call)\n";
  out.flush();
  std::vector<EntryTimes> times =
      timeInterleaved(order, options.warmup, options.repeat);
  std::vector<CompareRow> rows = tableRows(binaries, names, times);
  std::vector<LoweringChoices> choices;
  for (const CompareRow &row : rows)
    choices.push_back(row.lowering);
  std::vector<std::string> keys = differingKeys(choices);
  if (keys.empty())
    out << "lowering: every choice is the same in all binaries\n";
  out << formatCompareTable(keys, rows);
  if (options.profile.any())
    compareCounters(options, binaries, names, executors, times, plan, planNote,
                    out);
  if (failedBinaries)
    out << "check: " << failedBinaries << " of " << binaries.size()
        << " binaries failed\n";
  return failedBinaries ? 1 : 0;
}

//===----------------------------------------------------------------------===//
// --from-report
//===----------------------------------------------------------------------===//

/// Rebuilds the tables, the comparison and the roofline of saved reports.
static int fromReportsOrThrow(const RunOptions &options, std::ostream &out) {
  std::vector<profile::Report> reports;
  for (const std::string &path : options.fromReports) {
    std::ifstream file(path, std::ios::binary);
    if (!file)
      fail(path + ": cannot read");
    std::stringstream text;
    text << file.rdbuf();
    try {
      reports.push_back(profile::parseReportJson(text.str()));
    } catch (const std::exception &e) {
      fail(path + ": " + e.what());
    }
  }
  std::vector<std::string> names;
  std::vector<const profile::Report *> pointers;
  for (size_t i = 0; i < reports.size(); ++i) {
    const profile::Report &report = reports[i];
    names.push_back(std::to_string(i) + ":" + report.binary);
    pointers.push_back(&report);
    out << "report " << i << ": " << options.fromReports[i] << " (binary "
        << report.binary << ", entry " << report.entry;
    if (report.device)
      out << ", " << report.device->name << ", SM clock "
          << report.device->smClockMHz << " MHz";
    out << ")\n";
    for (const std::string &note : report.notes)
      out << "note: " << note << "\n";
    if (!report.kernels.empty())
      out << profile::formatKernelTable(report);
  }
  if (reports.size() > 1)
    out << "counters: " << reports.size() << " reports side by side\n"
        << profile::formatCounterComparison(names, pointers);
  const std::string &dir = options.profile.reportDir;
  if (!dir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    std::string path = dir + "/roofline.svg";
    std::ofstream file(path);
    file << profile::rooflineSvg(pointers);
    if (error || !file)
      fail("--report: cannot write " + path);
    out << "report: " << path << "\n";
  }
  return 0;
}

int runWorkload(const RunOptions &options, std::ostream &out,
                std::ostream &err) {
  try {
    if (!options.fromReports.empty())
      return fromReportsOrThrow(options, out);
    if (options.train > 0)
      return trainOrThrow(options, out);
    return options.compare.empty() ? runOrThrow(options, out)
                                   : compareOrThrow(options, out);
  } catch (const std::exception &e) {
    out.flush();
    err << "error: " << e.what() << "\n";
  } catch (...) {
    out.flush();
    err << "error: unknown exception\n";
  }
  return 1;
}

} // namespace ssmrt
