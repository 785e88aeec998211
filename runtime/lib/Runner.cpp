//===- Runner.cpp - The logic of the ssm-run tool -------------------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// The orchestration of `ssm-run`: load the binary, fill its arguments, run,
// dump, check and time, in that order. The pieces live in lib/Run/: Inputs
// (buffers, random and .npy arguments, dumps), Execute (CPU and GPU executors,
// timing), Check (the reference comparison), CommandLine (the flags).
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Runner.h"

#include "Run/Text.h"

#include "ssmrt/Run/Check.h"
#include "ssmrt/Run/Execute.h"
#include "ssmrt/Run/Inputs.h"

#include <algorithm>
#include <chrono>
#include <ostream>

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

/// Loads the binary, selects the entry and checks that it can run here. The
/// entry belongs to `early` (the manifest read before loading) when there is
/// one, else to the loaded `library`'s manifest.
static const EntrySpec &loadChecked(const RunOptions &options,
                                    std::optional<Manifest> &early,
                                    std::unique_ptr<WorkloadLibrary> &library,
                                    std::ostream &out) {
  early = manifestBeforeLoading(options.binary);
  if (!early) // Loading gives the authoritative error, or the manifest.
    library = std::make_unique<WorkloadLibrary>(options.binary);
  const Manifest &manifest = early ? *early : library->manifest();
  const EntrySpec &entry = selectEntry(options.binary, manifest, options.entry);
  printSummary(options.binary, manifest, entry, out);
  if (manifest.isGpu()) {
    requireGpu(options.binary, out);
    requireChip(options.binary, manifest);
  }
  if (!library) {
    out.flush(); // Keep the report if the binary's constructors fail.
    library = std::make_unique<WorkloadLibrary>(options.binary);
  }
  return entry;
}

/// runWorkload without the exception barrier.
static int runOrThrow(const RunOptions &options, std::ostream &out) {
  std::optional<Manifest> early;
  std::unique_ptr<WorkloadLibrary> library;
  const EntrySpec &entry = loadChecked(options, early, library, out);
  if (options.targetCheck) {
    out << "target-check: " << options.binary << " can run here\n";
    return 0;
  }
  if (!options.dumpDir.empty())
    prepareDumpDir(options.dumpDir);
  HostBuffers buffers = allocateBuffers(entry);
  loadArguments(options.inputsDir, options.seed, entry, buffers, out);
  std::unique_ptr<Executor> executor = makeExecutor(*library, entry, buffers);
  out.flush(); // Keep the report if the entry crashes.
  auto firstStart = std::chrono::steady_clock::now();
  executor->run();
  std::chrono::duration<double, std::milli> first =
      std::chrono::steady_clock::now() - firstStart;
  if (options.repeat > 0)
    out << format("first call: %.4f ms (wall clock, after loading)\n",
                  first.count());
  executor->fetchResults(buffers);
  if (!options.dumpDir.empty())
    dumpTensors(options.dumpDir, entry, buffers, options.dumpInputs, out);
  size_t failed = 0;
  if (options.check)
    failed = reportCheck(checkEntry(entry, buffers, options.tol), out);
  if (options.repeat > 0)
    timeEntry(*executor, options.warmup, options.repeat, out);
  return failed ? 1 : 0;
}

int runWorkload(const RunOptions &options, std::ostream &out,
                std::ostream &err) {
  try {
    return runOrThrow(options, out);
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
