//===- Runner.cpp - The logic of the ssm-run tool -------------------------===//
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

#include "ssmrt/Runner.h"

#include "ssmrt/Npy.h"
#include "ssmrt/Reference.h"

#ifdef SSMRT_HAVE_CUDA
#include "ssmrt/Device.h"
#endif

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <stdexcept>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ssmrt {

/// printf-style formatting into a std::string.
template <typename... Args>
static std::string format(const char *fmt, Args... args) {
  char buffer[256];
  std::snprintf(buffer, sizeof(buffer), fmt, args...);
  return buffer;
}

[[noreturn]] static void fail(const std::string &message) {
  throw std::runtime_error(message);
}

/// "1 tensor", "3 tensors".
static std::string countOf(size_t n, const char *noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

/// "f32[2,4,8]".
static std::string describe(const TensorSpec &tensor) {
  return std::string(dtypeName(tensor.dtype)) + formatShape(tensor.shape);
}

//===----------------------------------------------------------------------===//
// HostBuffer
//===----------------------------------------------------------------------===//

void HostBuffer::FreeDeleter::operator()(uint8_t *p) const { std::free(p); }

HostBuffer::HostBuffer(size_t bytes) : bytes(bytes) {
  size_t rounded = (std::max<size_t>(bytes, 1) + 63) / 64 * 64;
  storage.reset(static_cast<uint8_t *>(std::aligned_alloc(64, rounded)));
  if (!storage)
    fail("cannot allocate " + std::to_string(bytes) + " bytes of host memory");
  std::memset(storage.get(), 0, rounded);
}

//===----------------------------------------------------------------------===//
// Random argument values
//===----------------------------------------------------------------------===//

namespace {

/// SplitMix64: tiny, and the same sequence on every platform and standard
/// library (std:: distributions are implementation-defined).
class Random {
public:
  explicit Random(uint64_t seed) : state(seed) {}

  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [lo, hi).
  double uniform(double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(next() >> 11) * 0x1.0p-53;
  }
  /// Standard normal (Box-Muller), clipped to [-3, 3].
  double clippedNormal() {
    double u1 = 1.0 - uniform(0.0, 1.0); // (0, 1]: log is finite.
    double u2 = uniform(0.0, 1.0);
    const double twoPi = 6.283185307179586;
    double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(twoPi * u2);
    return std::clamp(z, -3.0, 3.0);
  }

private:
  uint64_t state;
};

/// The distribution a tensor is drawn from, chosen by its name.
enum class Init {
  NegativeExp, ///< A: -exp(U(-1,1)), a stable (decaying) scan.
  Step,        ///< delta, dt: 0.5 * U(-1,1).
  Centered,    ///< D, *bias*: U(-0.5,0.5).
  Scale,       ///< rank-0/1 *weight: U(0.5,1.5), a norm's gain.
  FanIn,       ///< rank>=2 *weight: U(-1,1) / sqrt(last dim).
  Normal,      ///< everything else: N(0,1) clipped to [-3,3].
};

} // namespace

static bool endsWith(const std::string &text, const std::string &suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

static Init initFor(const TensorSpec &tensor) {
  const std::string &name = tensor.name;
  if (name == "A")
    return Init::NegativeExp;
  if (name == "delta" || name == "dt")
    return Init::Step;
  if (name == "D" || name.find("bias") != std::string::npos)
    return Init::Centered;
  if (endsWith(name, "weight"))
    return tensor.shape.size() <= 1 ? Init::Scale : Init::FanIn;
  return Init::Normal;
}

static double draw(Init init, Random &random, const TensorSpec &tensor) {
  switch (init) {
  case Init::NegativeExp:
    return -std::exp(random.uniform(-1.0, 1.0));
  case Init::Step:
    return 0.5 * random.uniform(-1.0, 1.0);
  case Init::Centered:
    return random.uniform(-0.5, 0.5);
  case Init::Scale:
    return random.uniform(0.5, 1.5);
  case Init::FanIn: {
    double fanIn =
        static_cast<double>(std::max<int64_t>(tensor.shape.back(), 1));
    return random.uniform(-1.0, 1.0) / std::sqrt(fanIn);
  }
  case Init::Normal:
    return random.clippedNormal();
  }
  return 0.0;
}

/// FNV-1a, so that each tensor's stream depends on its name only.
static uint64_t hashName(const std::string &name) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (char c : name)
    hash = (hash ^ static_cast<uint8_t>(c)) * 0x100000001b3ull;
  return hash;
}

void fillRandom(const TensorSpec &tensor, uint64_t seed, void *data) {
  Random random(seed ^ hashName(tensor.name));
  Init init = initFor(tensor);
  for (size_t i = 0, e = tensor.numElements(); i < e; ++i)
    storeElement(tensor.dtype, data, i, draw(init, random, tensor));
}

//===----------------------------------------------------------------------===//
// Arguments
//===----------------------------------------------------------------------===//

/// Host buffers for every tensor; results are poisoned with NaN so that an
/// element the entry never writes fails --check.
static HostBuffers allocateBuffers(const EntrySpec &entry) {
  HostBuffers buffers;
  for (const TensorSpec &tensor : entry.tensors) {
    buffers.emplace_back(tensor.byteSize());
    if (!tensor.isResult())
      continue;
    for (size_t i = 0, e = tensor.numElements(); i < e; ++i)
      storeElement(tensor.dtype, buffers.back().data(), i,
                   std::numeric_limits<double>::quiet_NaN());
  }
  return buffers;
}

/// Rejects a .npy file in `dir` that names no tensor of the entry.
static void checkNoUnknownInputs(const std::string &dir,
                                 const EntrySpec &entry) {
  std::error_code ec;
  for (const fs::directory_entry &file : fs::directory_iterator(dir, ec)) {
    fs::path path = file.path();
    if (path.extension() != ".npy")
      continue;
    if (entry.findTensor(path.stem().string()))
      continue;
    std::string known;
    for (const TensorSpec &tensor : entry.tensors)
      known += (known.empty() ? "" : ", ") + tensor.name;
    fail(path.string() + ": unknown tensor name '" + path.stem().string() +
         "' (entry '" + entry.name + "' has: " + known + ")");
  }
  if (ec)
    fail("cannot list inputs directory " + dir + ": " + ec.message());
}

static void loadArgumentsFromDir(const std::string &dir, const EntrySpec &entry,
                                 HostBuffers &buffers) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    fail("inputs directory " + dir + " does not exist or is not a directory");
  checkNoUnknownInputs(dir, entry);
  for (size_t i = 0; i < entry.tensors.size(); ++i) {
    const TensorSpec &tensor = entry.tensors[i];
    if (tensor.isResult())
      continue;
    std::string path = (fs::path(dir) / (tensor.name + ".npy")).string();
    if (!fs::exists(path, ec))
      fail("missing input file " + path + " for " + roleName(tensor.role) +
           " '" + tensor.name + "' (" + describe(tensor) + ")");
    std::vector<uint8_t> bytes = readNpyAs(path, tensor.dtype, tensor.shape);
    std::memcpy(buffers[i].data(), bytes.data(), bytes.size());
  }
}

static void loadArguments(const RunOptions &options, const EntrySpec &entry,
                          HostBuffers &buffers, std::ostream &out) {
  if (!options.inputsDir.empty()) {
    loadArgumentsFromDir(options.inputsDir, entry, buffers);
    out << "inputs: from " << options.inputsDir << "\n";
    return;
  }
  for (size_t i = 0; i < entry.tensors.size(); ++i)
    if (!entry.tensors[i].isResult())
      fillRandom(entry.tensors[i], options.seed, buffers[i].data());
  out << "inputs: seeded random (seed " << options.seed << ")\n";
}

//===----------------------------------------------------------------------===//
// Executors
//===----------------------------------------------------------------------===//

namespace {

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
  /// Copies the result tensors back into `buffers`.
  virtual void fetchResults(HostBuffers &buffers) = 0;
};

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
              const HostBuffers &buffers);
  void run() override {
    function(pointers.data());
    device::synchronize();
  }
  double timedRun() override {
    return device::timeMs([this] { function(pointers.data()); });
  }
  double kernelRun(size_t &launches) override {
    return device::kernelTimeMs([this] { function(pointers.data()); },
                                &launches);
  }
  void fetchResults(HostBuffers &buffers) override;

private:
  EntryFunction function;
  const EntrySpec &entry;
  std::vector<std::unique_ptr<void, DeviceDeleter>> allocations;
  std::vector<void *> pointers;
};

} // namespace

GpuExecutor::GpuExecutor(EntryFunction function, const EntrySpec &entry,
                         const HostBuffers &buffers)
    : function(function), entry(entry) {
  // Results are copied too, so elements the entry never writes stay NaN.
  for (const HostBuffer &buffer : buffers) {
    allocations.emplace_back(device::alloc(std::max<size_t>(buffer.size(), 1)));
    pointers.push_back(allocations.back().get());
    device::copyToDevice(pointers.back(), buffer.data(), buffer.size());
  }
}

void GpuExecutor::fetchResults(HostBuffers &buffers) {
  for (size_t i = 0; i < entry.tensors.size(); ++i)
    if (entry.tensors[i].isResult())
      device::copyToHost(buffers[i].data(), pointers[i], buffers[i].size());
}

/// Fails unless a GPU that can run the binary is usable; prints its line.
static void requireGpu(const std::string &path, const Manifest &manifest,
                       std::ostream &out) {
  std::string whyNot;
  if (!device::available(whyNot))
    fail(path + " is a GPU binary but no CUDA GPU is usable here: " + whyNot +
         " (compile with --target=cpu to run on the CPU)");
  device::Info info = device::info();
  out << "device: " << info.name << ", compute capability " << info.ccMajor
      << "." << info.ccMinor << ", SM clock " << info.smClockMHz
      << " MHz, memory clock " << info.memClockMHz << " MHz, "
      << format("%.1f", info.totalMem / double(1 << 30)) << " GiB\n";
  try {
    device::requireChip(manifest.chip);
  } catch (const std::exception &e) {
    fail(path + " cannot run on this GPU: " + e.what() +
         " (recompile it for this GPU, or with --target=cpu)");
  }
}

#else // !SSMRT_HAVE_CUDA

static void requireGpu(const std::string &path, const Manifest &,
                       std::ostream &) {
  fail(path + " is a GPU binary but this ssm-run was built without CUDA "
              "support (compile with --target=cpu to run on the CPU)");
}

#endif // SSMRT_HAVE_CUDA

static std::unique_ptr<Executor> makeExecutor(const WorkloadLibrary &library,
                                              const EntrySpec &entry,
                                              HostBuffers &buffers) {
  EntryFunction function = library.entryFunction(entry.name);
#ifdef SSMRT_HAVE_CUDA
  if (library.manifest().isGpu())
    return std::make_unique<GpuExecutor>(function, entry, buffers);
#endif
  return std::make_unique<CpuExecutor>(function, buffers);
}

//===----------------------------------------------------------------------===//
// Dumping
//===----------------------------------------------------------------------===//

/// Creates the dump directory up front, so a bad one fails before the run.
static void prepareDumpDir(const std::string &dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    fail("cannot create dump directory " + dir + ": " + ec.message());
  if (!fs::is_directory(dir, ec))
    fail("dump directory " + dir + " is not a directory");
  if (access(dir.c_str(), W_OK | X_OK) != 0)
    fail("dump directory " + dir + " is not writable: " + std::strerror(errno));
}

static void dumpTensors(const std::string &dir, const EntrySpec &entry,
                        const HostBuffers &buffers, bool withArguments,
                        std::ostream &out) {
  size_t written = 0;
  for (size_t i = 0; i < entry.tensors.size(); ++i) {
    const TensorSpec &tensor = entry.tensors[i];
    if (!tensor.isResult() && !withArguments)
      continue;
    std::string path = (fs::path(dir) / (tensor.name + ".npy")).string();
    writeNpy(path, tensor.dtype, tensor.shape, buffers[i].data());
    ++written;
  }
  out << "dump: " << countOf(written, "tensor") << " to " << dir << "\n";
}

//===----------------------------------------------------------------------===//
// Checking against the reference
//===----------------------------------------------------------------------===//

double defaultTolerance(Dtype dtype) {
  switch (dtype) {
  case Dtype::F64:
    return 1e-9;
  case Dtype::F32:
    return 2e-5;
  case Dtype::F16:
    return 5e-3;
  case Dtype::BF16:
    return 3e-2;
  }
  return 0.0;
}

double normRelativeError(const std::vector<double> &got,
                         const std::vector<double> &ref) {
  const double inf = std::numeric_limits<double>::infinity();
  if (got.size() != ref.size())
    return inf;
  double maxErr = 0.0, maxRef = 0.0;
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::isfinite(ref[i]))
      maxRef = std::max(maxRef, std::fabs(ref[i]));
    if (std::isfinite(got[i]) && std::isfinite(ref[i]))
      maxErr = std::max(maxErr, std::fabs(got[i] - ref[i]));
    else if (!(std::isinf(got[i]) && got[i] == ref[i]))
      return inf; // NaN anywhere, or an unmatched infinity.
  }
  return maxErr / std::max(maxRef, 1e-30);
}

/// The elements of a host buffer as a float64 reference tensor.
static ref::Tensor toReference(const TensorSpec &tensor,
                               const HostBuffer &buffer) {
  ref::Tensor result;
  result.shape = tensor.shape;
  result.data.resize(tensor.numElements());
  for (size_t i = 0; i < result.data.size(); ++i)
    result.data[i] = loadElement(tensor.dtype, buffer.data(), i);
  return result;
}

using ValueMap = std::map<std::string, ref::Tensor>;

/// Evaluates op `index` of the graph, adding its named results to `values`.
static void evaluateGraphOp(const OpSpec &op, size_t index, ValueMap &values) {
  std::string where = "ops[" + std::to_string(index) + "] (" + op.op + ")";
  std::vector<ref::OptTensor> operands;
  for (const std::optional<std::string> &name : op.operands) {
    if (!name) {
      operands.push_back(std::nullopt);
      continue;
    }
    auto it = values.find(*name);
    if (it == values.end())
      fail("--check: " + where + ": operand '" + *name +
           "' is neither an argument nor an earlier result");
    operands.push_back(it->second);
  }
  std::vector<ref::OptTensor> results;
  try {
    results = ref::evaluateOp(op.op, op.attrs, operands);
  } catch (const std::exception &e) {
    fail("--check: the reference rejects " + where + ": " + e.what());
  }
  if (results.size() != op.results.size())
    fail("--check: " + where + " names " + std::to_string(op.results.size()) +
         " results, the reference returns " + std::to_string(results.size()));
  for (size_t i = 0; i < results.size(); ++i) {
    if (!op.results[i])
      continue;
    if (!results[i])
      fail("--check: " + where + ": result '" + *op.results[i] +
           "' is absent in the reference (an optional result)");
    values[*op.results[i]] = std::move(*results[i]);
  }
}

/// Compares one result tensor with its reference value, if any.
static CheckResult compareTensor(const TensorSpec &tensor,
                                 const HostBuffer &buffer,
                                 const ValueMap &values, double tolerance) {
  CheckResult result;
  result.name = tensor.name;
  result.dtype = tensor.dtype;
  result.tolerance = tolerance;
  result.maxRelErr = std::numeric_limits<double>::infinity();
  auto it = values.find(tensor.name);
  if (it == values.end()) {
    result.note = "no op of the entry's graph produces it";
    return result;
  }
  if (it->second.shape != tensor.shape) {
    result.note = "the reference has shape " + formatShape(it->second.shape) +
                  ", the manifest " + formatShape(tensor.shape);
    return result;
  }
  result.maxRelErr =
      normRelativeError(toReference(tensor, buffer).data, it->second.data);
  result.passed = result.maxRelErr <= tolerance;
  return result;
}

std::vector<CheckResult> checkEntry(const EntrySpec &entry,
                                    const HostBuffers &buffers,
                                    std::optional<double> tol) {
  if (entry.ops.empty())
    fail("--check: entry '" + entry.name +
         "' records no ops graph in its manifest; nothing to evaluate");
  ValueMap values;
  for (size_t i = 0; i < entry.tensors.size(); ++i)
    if (!entry.tensors[i].isResult())
      values[entry.tensors[i].name] = toReference(entry.tensors[i], buffers[i]);
  for (size_t i = 0; i < entry.ops.size(); ++i)
    evaluateGraphOp(entry.ops[i], i, values);
  std::vector<CheckResult> results;
  for (size_t i = 0; i < entry.tensors.size(); ++i) {
    const TensorSpec &tensor = entry.tensors[i];
    if (tensor.isResult())
      results.push_back(
          compareTensor(tensor, buffers[i], values,
                        tol.value_or(defaultTolerance(tensor.dtype))));
  }
  return results;
}

/// Prints the check lines and summary; returns the number of failures.
static size_t reportCheck(const std::vector<CheckResult> &results,
                          std::ostream &out) {
  size_t failed = 0;
  for (const CheckResult &result : results) {
    out << "check " << result.name << " " << dtypeName(result.dtype)
        << format(" max_rel_err=%.3e tol=%g ", result.maxRelErr,
                  result.tolerance)
        << (result.passed ? "PASS" : "FAIL");
    if (!result.note.empty())
      out << " (" << result.note << ")";
    out << "\n";
    failed += !result.passed;
  }
  out << "check: " << results.size() - failed << " passed, " << failed
      << " failed\n";
  return failed;
}

//===----------------------------------------------------------------------===//
// Timing
//===----------------------------------------------------------------------===//

static void printTimes(const char *label, std::vector<double> times,
                       std::ostream &out) {
  std::sort(times.begin(), times.end());
  size_t mid = times.size() / 2;
  double median =
      times.size() % 2 ? times[mid] : 0.5 * (times[mid - 1] + times[mid]);
  out << format("%s: median %.4f ms, min %.4f, max %.4f over %zu runs\n", label,
                median, times.front(), times.back(), times.size());
}

/// Per-call time (as a training step sees it: host work, launches and
/// synchronisation included) and, on the GPU, the summed time of the kernels
/// alone, each the median of `repeat` runs after `warmup` runs.
static void timeEntry(Executor &executor, int warmup, int repeat,
                      std::ostream &out) {
  for (int i = 0; i < warmup; ++i)
    executor.run();
  std::vector<double> times, kernelTimes;
  for (int i = 0; i < repeat; ++i)
    times.push_back(executor.timedRun());
  size_t launches = 0;
  for (int i = 0; i < repeat; ++i) {
    double ms = executor.kernelRun(launches);
    if (ms >= 0)
      kernelTimes.push_back(ms);
  }
  printTimes("time", times, out);
  if (!kernelTimes.empty()) {
    out << "kernels: " << launches << " launches per call\n";
    printTimes("kernel time", kernelTimes, out);
  }
}

//===----------------------------------------------------------------------===//
// The tool
//===----------------------------------------------------------------------===//

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
  if (manifest.isGpu())
    requireGpu(options.binary, manifest, out);
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
  loadArguments(options, entry, buffers, out);
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

/// Declares every flag of ssm-run on `app`, bound to `options`.
static void addOptions(CLI::App &app, RunOptions &options, double &tol) {
  app.add_option("binary", options.binary, "Workload binary (.so)")->required();
  app.add_option("--entry", options.entry, "Entry to run (default: the first)");
  app.add_option("--seed", options.seed, "Seed of random argument values");
  app.add_option("--inputs", options.inputsDir,
                 "Read every argument from DIR/<name>.npy");
  app.add_option("--dump", options.dumpDir,
                 "Write every result to DIR/<name>.npy");
  app.add_flag("--dump-inputs", options.dumpInputs,
               "With --dump, also write the arguments");
  app.add_flag("--check", options.check,
               "Compare results with the float64 reference");
  app.add_option("--tol", tol, "Tolerance for every dtype (with --check)")
      ->check(CLI::PositiveNumber);
  app.add_option("--repeat", options.repeat, "Timed runs")
      ->check(CLI::Range(0, 1000000));
  app.add_option("--warmup", options.warmup, "Untimed runs before the timed")
      ->check(CLI::Range(0, 1000000));
  app.add_flag("--target-check", options.targetCheck,
               "Only check that this machine can run the binary");
}

int runMain(int argc, char **argv) {
  try {
    CLI::App app{"Runs a compiled ssm workload binary.", "ssm-run"};
    RunOptions options;
    double tol = 0.0;
    addOptions(app, options, tol);
    try {
      app.parse(argc, argv);
    } catch (const CLI::Success &e) {
      return app.exit(e);
    } catch (const CLI::ParseError &e) {
      std::cerr << "error: " << e.what() << " (see ssm-run --help)\n";
      return 1;
    }
    if (app.count("--tol"))
      options.tol = tol;
    return runWorkload(options, std::cout, std::cerr);
  } catch (const std::exception &e) {
    std::cerr << "error: " << e.what() << "\n";
  }
  return 1;
}

} // namespace ssmrt
