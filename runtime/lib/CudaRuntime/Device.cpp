//===- Device.cpp - The GPU as the runner sees it -------------------------===//
//
// Part of the ssm project: an MLIR compiler and runtime for state space models.
//
//===----------------------------------------------------------------------===//
//
// ssmrt::device on the driver session of Driver.cpp. Failures throw
// std::runtime_error("ssmrt::device::<call>: <why>"); nothing here exits.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Device.h"
#include "ssmrt/CudaRuntime.h"

#include <vector>

#include "Driver.h"

#include <cctype>
#include <cstdio>
#include <stdexcept>

using namespace ssmrt::cuda;

[[noreturn]] static void fail(const std::string &what, const std::string &why) {
  throw std::runtime_error("ssmrt::device::" + what + ": " + why);
}

/// The session, or an exception saying why there is none.
static const Session &requireSession(const std::string &what) {
  std::string whyNot;
  if (const Session *opened = openSession(whyNot))
    return *opened;
  fail(what, "no usable GPU: " + whyNot);
}

static void check(CUresult result, const char *call, const std::string &what) {
  if (result != CUDA_SUCCESS)
    fail(what, callFailed(call, result));
}

static CUstream requireStream(const Session &opened, const std::string &what) {
  std::string error;
  if (CUstream stream = runtimeStream(opened, error))
    return stream;
  fail(what, error);
}

static std::string sizeCall(const char *name, size_t bytes) {
  return std::string(name) + "(" + std::to_string(bytes) + " bytes)";
}

bool ssmrt::device::available(std::string &whyNot) {
  try {
    return probeDevice(whyNot) != nullptr;
  } catch (...) {
    whyNot = "unexpected failure while looking for a GPU";
    return false;
  }
}

ssmrt::device::Info ssmrt::device::info() {
  const Session &opened = requireSession("info");
  auto attribute = [&](CUdevice_attribute which, const char *name) {
    int value = 0;
    check(opened.api.cuDeviceGetAttribute(&value, which, opened.device),
          "cuDeviceGetAttribute", std::string("info: ") + name);
    return value;
  };
  Info result;
  result.name = opened.name;
  result.ccMajor = opened.ccMajor;
  result.ccMinor = opened.ccMinor;
  // The driver reports both clocks in kHz.
  result.smClockMHz =
      attribute(CU_DEVICE_ATTRIBUTE_CLOCK_RATE, "SM clock") / 1000;
  result.memClockMHz =
      attribute(CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE, "memory clock") / 1000;
  check(opened.api.cuDeviceTotalMem(&result.totalMem, opened.device),
        "cuDeviceTotalMem", "info");
  size_t total = 0;
  check(opened.api.cuMemGetInfo(&result.freeMem, &total), "cuMemGetInfo",
        "info");
  return result;
}

void *ssmrt::device::alloc(size_t bytes) {
  if (bytes == 0)
    return nullptr;
  std::string what = sizeCall("alloc", bytes);
  const Session &opened = requireSession(what);
  CUdeviceptr ptr = 0;
  CUresult result = allocateDevice(opened, bytes, /*streamOrdered=*/false, ptr);
  if (result == CUDA_ERROR_OUT_OF_MEMORY)
    fail(what, "out of GPU memory: " + describeOutOfMemory(opened, bytes));
  if (result != CUDA_SUCCESS)
    fail(what, callFailed("cuMemAlloc", result) + "; " +
                   describeOutOfMemory(opened, bytes));
  return reinterpret_cast<void *>(ptr);
}

void ssmrt::device::free(void *p) {
  if (!p || !loadedDriver())
    return;
  try {
    std::string ignored;
    const Session *opened = openSession(ignored);
    if (!opened)
      return;
    CUresult result = freeDevice(*opened, reinterpret_cast<CUdeviceptr>(p));
    if (result != CUDA_SUCCESS && result != CUDA_ERROR_DEINITIALIZED)
      std::fprintf(stderr, "ssmrt: warning: ssmrt::device::free: %s\n",
                   callFailed("cuMemFree", result).c_str());
  } catch (...) {
    // Reporting failed (out of memory for the message): nothing else to do.
  }
}

void ssmrt::device::copyToDevice(void *dst, const void *src, size_t bytes) {
  if (bytes == 0)
    return;
  std::string what = sizeCall("copyToDevice", bytes);
  const Session &opened = requireSession(what);
  CUstream stream = requireStream(opened, what);
  check(opened.api.cuMemcpyHtoDAsync(reinterpret_cast<CUdeviceptr>(dst), src,
                                     bytes, stream),
        "cuMemcpyHtoDAsync", what);
  check(opened.api.cuStreamSynchronize(stream), "cuStreamSynchronize", what);
}

void ssmrt::device::copyToHost(void *dst, const void *src, size_t bytes) {
  if (bytes == 0)
    return;
  std::string what = sizeCall("copyToHost", bytes);
  const Session &opened = requireSession(what);
  CUstream stream = requireStream(opened, what);
  check(opened.api.cuMemcpyDtoHAsync(dst, reinterpret_cast<CUdeviceptr>(src),
                                     bytes, stream),
        "cuMemcpyDtoHAsync", what);
  check(opened.api.cuStreamSynchronize(stream), "cuStreamSynchronize", what);
}

void ssmrt::device::synchronize() {
  const Session &opened = requireSession("synchronize");
  check(opened.api.cuCtxSynchronize(), "cuCtxSynchronize", "synchronize");
}

namespace {
/// Two timing events, destroyed with the object.
struct EventPair {
  const DriverApi &api;
  CUevent start = nullptr;
  CUevent stop = nullptr;
  explicit EventPair(const DriverApi &api) : api(api) {}
  ~EventPair() {
    if (start)
      api.cuEventDestroy(start);
    if (stop)
      api.cuEventDestroy(stop);
  }
};
} // namespace

double ssmrt::device::timeMs(const std::function<void()> &fn) {
  const std::string what = "timeMs";
  const Session &opened = requireSession(what);
  CUstream stream = requireStream(opened, what);
  EventPair events(opened.api);
  check(opened.api.cuEventCreate(&events.start, CU_EVENT_DEFAULT),
        "cuEventCreate", what);
  check(opened.api.cuEventCreate(&events.stop, CU_EVENT_DEFAULT),
        "cuEventCreate", what);
  check(opened.api.cuEventRecord(events.start, stream), "cuEventRecord", what);
  fn();
  check(opened.api.cuEventRecord(events.stop, stream), "cuEventRecord", what);
  check(opened.api.cuEventSynchronize(events.stop), "cuEventSynchronize", what);
  float ms = 0.0f;
  check(opened.api.cuEventElapsedTime(&ms, events.start, events.stop),
        "cuEventElapsedTime", what);
  return ms;
}

namespace {
/// Event pairs recorded around every launch while a kernel timer is active.
struct LaunchEvents {
  const DriverApi *api = nullptr;
  std::vector<std::pair<CUevent, CUevent>> pairs;
  size_t used = 0;
  std::string error;

  CUevent fresh() {
    CUevent event = nullptr;
    if (api->cuEventCreate(&event, CU_EVENT_DEFAULT) != CUDA_SUCCESS &&
        error.empty())
      error = "cuEventCreate failed";
    return event;
  }
  ~LaunchEvents() {
    for (auto &[start, stop] : pairs) {
      if (start)
        api->cuEventDestroy(start);
      if (stop)
        api->cuEventDestroy(stop);
    }
  }
};

void recordLaunch(ssmrtLaunchPhase phase, const ssmrtLaunchInfo *info,
                  void *userData) {
  auto *events = static_cast<LaunchEvents *>(userData);
  if (phase == SSMRT_LAUNCH_BEGIN) {
    if (events->used == events->pairs.size())
      events->pairs.emplace_back(events->fresh(), events->fresh());
    events->api->cuEventRecord(events->pairs[events->used].first, info->stream);
    return;
  }
  events->api->cuEventRecord(events->pairs[events->used].second, info->stream);
  ++events->used;
}
} // namespace

double ssmrt::device::kernelTimeMs(const std::function<void()> &fn,
                                   size_t *launches) {
  const std::string what = "kernelTimeMs";
  const Session &opened = requireSession(what);
  static LaunchEvents events; // kept across calls: events are reused
  events.api = &opened.api;
  events.used = 0;
  ssmrtSetLaunchCallback(recordLaunch, &events);
  fn();
  ssmrtSetLaunchCallback(nullptr, nullptr);
  if (!events.error.empty())
    throw std::runtime_error(what + ": " + events.error);
  check(opened.api.cuCtxSynchronize(), "cuCtxSynchronize", what);
  double total = 0.0;
  for (size_t i = 0; i < events.used; ++i) {
    float ms = 0.0f;
    check(opened.api.cuEventElapsedTime(&ms, events.pairs[i].first,
                                        events.pairs[i].second),
          "cuEventElapsedTime", what);
    total += ms;
  }
  if (launches)
    *launches = events.used;
  return total;
}

namespace {
/// A chip name taken apart: "sm_90a" is {false, 9, 0, 'a'}.
struct ChipName {
  bool isPtx = false;
  int major = 0;
  int minor = 0;
  char suffix = 0;
};
} // namespace

/// Parses "sm_<cc>", "sm_<cc>a", "sm_<cc>f" and "compute_<cc>", where <cc> is
/// the compute capability's major digits followed by one minor digit.
static bool parseChip(const std::string &chip, ChipName &parsed) {
  size_t pos;
  if (chip.rfind("sm_", 0) == 0)
    pos = 3;
  else if (chip.rfind("compute_", 0) == 0)
    pos = 8, parsed.isPtx = true;
  else
    return false;
  size_t digitsEnd = pos;
  while (digitsEnd < chip.size() &&
         std::isdigit(static_cast<unsigned char>(chip[digitsEnd])))
    ++digitsEnd;
  size_t digits = digitsEnd - pos;
  if (digits < 2 || digits > 4)
    return false;
  if (digitsEnd + 1 == chip.size() &&
      (chip[digitsEnd] == 'a' || chip[digitsEnd] == 'f'))
    parsed.suffix = chip[digitsEnd];
  else if (digitsEnd != chip.size())
    return false;
  int number = std::stoi(chip.substr(pos, digits));
  parsed.major = number / 10;
  parsed.minor = number % 10;
  return true;
}

void ssmrt::device::requireChip(const std::string &chip) {
  const std::string what = "requireChip(\"" + chip + "\")";
  ChipName wanted;
  if (!parseChip(chip, wanted))
    fail(what, "not a chip name such as sm_90, sm_90a or compute_90");
  const Session &opened = requireSession(what);
  std::string device = opened.name + " (compute capability " +
                       std::to_string(opened.ccMajor) + "." +
                       std::to_string(opened.ccMinor) + ", " +
                       chipName(opened.ccMajor, opened.ccMinor) + ")";
  int have = opened.ccMajor * 10 + opened.ccMinor;
  int need = wanted.major * 10 + wanted.minor;
  if (have < need)
    fail(what, "the GPU is " + device + ", older than " + chip +
                   ": build for " + chipName(opened.ccMajor, opened.ccMinor) +
                   " or older");
  if (wanted.isPtx)
    return;
  if (wanted.major != opened.ccMajor)
    fail(what, "a cubin for " + chip + " runs only on compute capability " +
                   std::to_string(wanted.major) + ".x GPUs, and the GPU is " +
                   device + ": build for " +
                   chipName(opened.ccMajor, opened.ccMinor));
  if (wanted.suffix == 'a' && have != need)
    fail(what, "a cubin for the architecture-specific " + chip +
                   " runs only on compute capability " +
                   std::to_string(wanted.major) + "." +
                   std::to_string(wanted.minor) + ", and the GPU is " + device);
}

ssmrt::device::MemoryUse ssmrt::device::memoryUse() {
  cuda::MemoryUse use = cuda::memoryUse();
  return {use.liveBytes, use.peakBytes};
}

void ssmrt::device::resetPeakMemory() { cuda::resetPeakMemory(); }

ssmrt::device::Graph::Graph(const std::function<void()> &fn) {
  const std::string what = "Graph";
  const Session &opened = requireSession(what);
  const DriverApi &api = opened.api;
  if (!api.cuStreamBeginCapture || !api.cuGraphInstantiate ||
      !api.cuGraphLaunch)
    fail(what, "this CUDA driver cannot capture CUDA graphs");
  // Allocations inside the call must become graph memory nodes, which only
  // stream-ordered allocation gives.
  if (!opened.pool)
    fail(what, "CUDA graphs need stream-ordered allocation (memory pools), "
               "which " +
                   opened.name + " does not offer");
  CUstream stream = requireStream(opened, what);
  check(api.cuStreamBeginCapture(stream, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL),
        "cuStreamBeginCapture", what);
  std::string thrown;
  try {
    fn();
  } catch (const std::exception &e) {
    thrown = e.what();
  }
  CUgraph captured = nullptr;
  CUresult ended = api.cuStreamEndCapture(stream, &captured);
  if (!thrown.empty()) {
    if (captured)
      api.cuGraphDestroy(captured);
    fail(what, "the captured call failed: " + thrown);
  }
  check(ended, "cuStreamEndCapture", what);
  graph = captured;
  CUgraphExec instance = nullptr;
  CUresult made = api.cuGraphInstantiate(&instance, captured, 0);
  if (made != CUDA_SUCCESS) {
    api.cuGraphDestroy(captured);
    graph = nullptr;
    check(made, "cuGraphInstantiate", what);
  }
  exec = instance;
}

ssmrt::device::Graph::~Graph() {
  const DriverApi *api = loadedDriver();
  if (!api)
    return;
  if (exec)
    api->cuGraphExecDestroy(static_cast<CUgraphExec>(exec));
  if (graph)
    api->cuGraphDestroy(static_cast<CUgraph>(graph));
}

void ssmrt::device::Graph::launch() {
  const std::string what = "Graph::launch";
  const Session &opened = requireSession(what);
  check(opened.api.cuGraphLaunch(static_cast<CUgraphExec>(exec),
                                 requireStream(opened, what)),
        "cuGraphLaunch", what);
}
