//===- Driver.cpp - The CUDA driver, loaded at run time -------------------===//
//
// Part of the ssm project: an MLIR compiler and runtime for state space models.
//
//===----------------------------------------------------------------------===//
//
// Loads libcuda.so.1, opens the runtime's one session on the default device
// and owns the state shared by the mgpu* ABI and ssmrt::device: the runtime's
// stream and the record of stream-ordered allocations.
//
// Every piece of state here is created on first use and never destroyed. The
// code that the GPU lowering generates unloads its modules from global
// destructors, which may run after this library's own static objects would
// have been destroyed; leaking the state keeps those calls safe.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"

#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <unordered_map>

using namespace ssmrt::cuda;

// Expands a (possibly macro) name before turning it into a string, so that
// SSMRT_CU_SYMBOL(cuMemAlloc) is "cuMemAlloc_v2" as cuda.h maps it.
#define SSMRT_CU_STRINGIFY(name) #name
#define SSMRT_CU_SYMBOL(name) SSMRT_CU_STRINGIFY(name)

namespace {

/// The outcome of a once-per-process step: a value or the reason there is
/// none.
template <typename T> struct Outcome {
  T *value = nullptr;
  std::string whyNot;
};

/// State behind the runtime's stream and allocator. Leaked on purpose.
struct SharedState {
  std::mutex mutex;
  CUstream ownStream = nullptr;
  /// Every live allocation of `allocateDevice`: its size and whether it
  /// came from the pool in stream order.
  std::unordered_map<CUdeviceptr, std::pair<size_t, bool>> live;
  MemoryUse use;
};

} // namespace

static SharedState &sharedState() {
  static SharedState *state = new SharedState();
  return *state;
}

static std::atomic<const DriverApi *> loadedApi{nullptr};
static std::atomic<CUstream> selectedStream{nullptr};
static std::atomic<int> defaultOrdinal{0};
static std::atomic<const Session *> openedSession{nullptr};

template <typename Fn>
static bool resolve(void *library, const char *symbol, Fn &slot) {
  slot = reinterpret_cast<Fn>(dlsym(library, symbol));
  return slot != nullptr;
}

static Outcome<const DriverApi> doLoadDriver() {
  Outcome<const DriverApi> outcome;
  const char *override = std::getenv("SSMRT_CUDA_DRIVER");
  const char *libraryName = override && *override ? override : "libcuda.so.1";
  void *library = dlopen(libraryName, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *detail = dlerror();
    outcome.whyNot =
        std::string(libraryName) +
        " not found (no NVIDIA driver): " + (detail ? detail : "dlopen failed");
    return outcome;
  }
  // Never dlclose'd: the driver must outlive every module unload at exit.
  auto *api = new DriverApi();
  std::string missing;
#define SSMRT_CU_RESOLVE_REQUIRED(name)                                        \
  if (!resolve(library, SSMRT_CU_SYMBOL(name), api->name))                     \
    missing += std::string(missing.empty() ? "" : ", ") + SSMRT_CU_SYMBOL(name);
  SSMRT_CU_REQUIRED_FUNCTIONS(SSMRT_CU_RESOLVE_REQUIRED)
#undef SSMRT_CU_RESOLVE_REQUIRED
#define SSMRT_CU_RESOLVE_OPTIONAL(name)                                        \
  resolve(library, SSMRT_CU_SYMBOL(name), api->name);
  SSMRT_CU_OPTIONAL_FUNCTIONS(SSMRT_CU_RESOLVE_OPTIONAL)
#undef SSMRT_CU_RESOLVE_OPTIONAL
  if (!missing.empty()) {
    delete api;
    outcome.whyNot = std::string(libraryName) + " lacks " + missing +
                     " (a driver older than the CUDA " +
                     std::to_string(CUDA_VERSION / 1000) + "." +
                     std::to_string(CUDA_VERSION % 1000 / 10) +
                     " toolkit the runtime was built with?)";
    return outcome;
  }
  outcome.value = api;
  return outcome;
}

const DriverApi *ssmrt::cuda::loadDriver(std::string &whyNot) {
  static const Outcome<const DriverApi> outcome = [] {
    Outcome<const DriverApi> result = doLoadDriver();
    loadedApi.store(result.value);
    return result;
  }();
  if (!outcome.value)
    whyNot = outcome.whyNot;
  return outcome.value;
}

const DriverApi *ssmrt::cuda::loadedDriver() { return loadedApi.load(); }

/// Names of the errors that a driver unable to describe its own errors (the
/// toolkit's stub library, a driver that failed to initialise) returns.
static const char *fallbackErrorName(CUresult result) {
  switch (result) {
  case CUDA_ERROR_NOT_INITIALIZED:
    return "CUDA_ERROR_NOT_INITIALIZED";
  case CUDA_ERROR_DEINITIALIZED:
    return "CUDA_ERROR_DEINITIALIZED";
  case CUDA_ERROR_STUB_LIBRARY:
    return "CUDA_ERROR_STUB_LIBRARY (the toolkit's stub libcuda was loaded "
           "instead of a driver)";
  case CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER:
    return "CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER";
  case CUDA_ERROR_NO_DEVICE:
    return "CUDA_ERROR_NO_DEVICE";
  case CUDA_ERROR_SYSTEM_DRIVER_MISMATCH:
    return "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH";
  case CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE:
    return "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE";
  default:
    return nullptr;
  }
}

std::string ssmrt::cuda::errorText(CUresult result) {
  const char *name = nullptr;
  const char *description = nullptr;
  if (const DriverApi *api = loadedDriver()) {
    if (api->cuGetErrorName(result, &name) != CUDA_SUCCESS)
      name = nullptr;
    if (api->cuGetErrorString(result, &description) != CUDA_SUCCESS)
      description = nullptr;
  }
  if (!name)
    name = fallbackErrorName(result);
  std::string text = name ? name : "CUDA error " + std::to_string(result);
  if (description)
    text += std::string(" (") + description + ")";
  return text;
}

std::string ssmrt::cuda::callFailed(const char *call, CUresult result) {
  return std::string(call) + " failed: " + errorText(result);
}

static Outcome<const DriverApi> doProbeDevice() {
  Outcome<const DriverApi> outcome;
  const DriverApi *api = loadDriver(outcome.whyNot);
  if (!api)
    return outcome;
  if (CUresult result = api->cuInit(0)) {
    outcome.whyNot = callFailed("cuInit", result);
    return outcome;
  }
  int count = 0;
  if (CUresult result = api->cuDeviceGetCount(&count)) {
    outcome.whyNot = callFailed("cuDeviceGetCount", result);
    return outcome;
  }
  if (count < 1) {
    outcome.whyNot = "the NVIDIA driver reports no CUDA device";
    return outcome;
  }
  outcome.value = api;
  return outcome;
}

const DriverApi *ssmrt::cuda::probeDevice(std::string &whyNot) {
  static const Outcome<const DriverApi> outcome = doProbeDevice();
  if (!outcome.value)
    whyNot = outcome.whyNot;
  return outcome.value;
}

std::string ssmrt::cuda::chipName(int ccMajor, int ccMinor) {
  return "sm_" + std::to_string(ccMajor) + std::to_string(ccMinor);
}

/// Reads a device attribute, or `fallback` when the driver does not answer.
static int deviceAttribute(const DriverApi &api, CUdevice device,
                           CUdevice_attribute attribute, int fallback) {
  int value = 0;
  return api.cuDeviceGetAttribute(&value, attribute, device) == CUDA_SUCCESS
             ? value
             : fallback;
}

/// Keeps memory freed to the default pool cached between training steps
/// instead of handing it back to the device at every synchronisation.
static CUmemoryPool defaultPool(const DriverApi &api, CUdevice device) {
  if (!api.cuMemAllocAsync || !api.cuMemFreeAsync ||
      !api.cuDeviceGetDefaultMemPool || !api.cuMemPoolSetAttribute ||
      !api.cuMemPoolTrimTo ||
      !deviceAttribute(api, device, CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED,
                       0))
    return nullptr;
  CUmemoryPool pool = nullptr;
  if (api.cuDeviceGetDefaultMemPool(&pool, device) != CUDA_SUCCESS)
    return nullptr;
  cuuint64_t keepAll = UINT64_MAX;
  if (api.cuMemPoolSetAttribute(pool, CU_MEMPOOL_ATTR_RELEASE_THRESHOLD,
                                &keepAll) != CUDA_SUCCESS)
    return nullptr;
  return pool;
}

static Outcome<const Session> doOpenSession() {
  Outcome<const Session> outcome;
  const DriverApi *api = probeDevice(outcome.whyNot);
  if (!api)
    return outcome;
  int ordinal = defaultOrdinal.load();
  int count = 0;
  api->cuDeviceGetCount(&count);
  if (ordinal < 0 || ordinal >= count) {
    outcome.whyNot = "device " + std::to_string(ordinal) +
                     " was chosen, but the driver reports " +
                     std::to_string(count) + " device(s)";
    return outcome;
  }
  CUdevice device = 0;
  if (CUresult result = api->cuDeviceGet(&device, ordinal)) {
    outcome.whyNot = callFailed("cuDeviceGet", result);
    return outcome;
  }
  CUcontext context = nullptr;
  if (CUresult result = api->cuDevicePrimaryCtxRetain(&context, device)) {
    outcome.whyNot = callFailed("cuDevicePrimaryCtxRetain", result);
    return outcome;
  }
  char name[256] = {0};
  if (api->cuDeviceGetName(name, sizeof(name) - 1, device) != CUDA_SUCCESS)
    std::snprintf(name, sizeof(name), "CUDA device %d", ordinal);
  outcome.value = new Session{
      *api,
      ordinal,
      device,
      context,
      name,
      deviceAttribute(*api, device,
                      CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, 0),
      deviceAttribute(*api, device,
                      CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, 0),
      deviceAttribute(*api, device,
                      CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN,
                      48 * 1024),
      defaultPool(*api, device)};
  return outcome;
}

const Session *ssmrt::cuda::openSession(std::string &whyNot) {
  static const Outcome<const Session> outcome = [] {
    Outcome<const Session> result = doOpenSession();
    openedSession.store(result.value);
    return result;
  }();
  const Session *session = outcome.value;
  if (!session) {
    whyNot = outcome.whyNot;
    return nullptr;
  }
  // Cheap (a thread-local read in the driver), and robust against other
  // libraries that change the calling thread's context.
  CUcontext current = nullptr;
  if (session->api.cuCtxGetCurrent(&current) != CUDA_SUCCESS ||
      current != session->context) {
    if (CUresult result = session->api.cuCtxSetCurrent(session->context)) {
      whyNot = callFailed("cuCtxSetCurrent", result);
      return nullptr;
    }
  }
  return session;
}

bool ssmrt::cuda::setDefaultDevice(int ordinal) {
  defaultOrdinal.store(ordinal);
  const Session *session = openedSession.load();
  return !session || session->ordinal == ordinal;
}

CUstream ssmrt::cuda::runtimeStream(const Session &session,
                                    std::string &error) {
  if (CUstream stream = selectedStream.load())
    return stream;
  SharedState &state = sharedState();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (!state.ownStream) {
    CUstream stream = nullptr;
    if (CUresult result =
            session.api.cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING)) {
      error = callFailed("cuStreamCreate", result);
      return nullptr;
    }
    state.ownStream = stream;
  }
  return state.ownStream;
}

void ssmrt::cuda::setStream(CUstream stream) { selectedStream.store(stream); }

bool ssmrt::cuda::isRuntimeStream(CUstream stream) {
  if (!stream)
    return false;
  if (stream == selectedStream.load())
    return true;
  SharedState &state = sharedState();
  std::lock_guard<std::mutex> lock(state.mutex);
  return stream == state.ownStream;
}

/// One allocation attempt; `stream` is null for cuMemAlloc.
static CUresult tryAllocate(const Session &session, size_t bytes,
                            CUstream stream, CUdeviceptr &ptr) {
  return stream ? session.api.cuMemAllocAsync(&ptr, bytes, stream)
                : session.api.cuMemAlloc(&ptr, bytes);
}

CUresult ssmrt::cuda::allocateDevice(const Session &session, size_t bytes,
                                     bool streamOrdered, CUdeviceptr &ptr) {
  ptr = 0;
  CUstream stream = nullptr;
  if (streamOrdered && session.pool) {
    std::string ignored;
    stream = runtimeStream(session, ignored);
  }
  CUresult result = tryAllocate(session, bytes, stream, ptr);
  if (result == CUDA_ERROR_OUT_OF_MEMORY && session.pool) {
    // Memory freed in stream order may still sit in the pool: wait for the
    // frees to happen, give the cache back to the device and try again.
    session.api.cuCtxSynchronize();
    session.api.cuMemPoolTrimTo(session.pool, 0);
    result = tryAllocate(session, bytes, stream, ptr);
  }
  if (result != CUDA_SUCCESS) {
    ptr = 0;
    return result;
  }
  SharedState &state = sharedState();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.live[ptr] = {bytes, stream != nullptr};
  state.use.liveBytes += bytes;
  state.use.peakBytes = std::max(state.use.peakBytes, state.use.liveBytes);
  return CUDA_SUCCESS;
}

CUresult ssmrt::cuda::freeDevice(const Session &session, CUdeviceptr ptr) {
  bool wasStreamOrdered = false;
  {
    SharedState &state = sharedState();
    std::lock_guard<std::mutex> lock(state.mutex);
    auto it = state.live.find(ptr);
    if (it != state.live.end()) {
      wasStreamOrdered = it->second.second;
      state.use.liveBytes -= it->second.first;
      state.live.erase(it);
    }
  }
  if (!wasStreamOrdered)
    return session.api.cuMemFree(ptr);
  std::string error;
  CUstream stream = runtimeStream(session, error);
  return stream ? session.api.cuMemFreeAsync(ptr, stream)
                : session.api.cuMemFree(ptr);
}

MemoryUse ssmrt::cuda::memoryUse() {
  SharedState &state = sharedState();
  std::lock_guard<std::mutex> lock(state.mutex);
  return state.use;
}

void ssmrt::cuda::resetPeakMemory() {
  SharedState &state = sharedState();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.use.peakBytes = state.use.liveBytes;
}

bool ssmrt::cuda::isCapturing(const Session &session, CUstream stream) {
  if (!session.api.cuStreamIsCapturing)
    return false;
  CUstreamCaptureStatus status = CU_STREAM_CAPTURE_STATUS_NONE;
  return session.api.cuStreamIsCapturing(stream, &status) == CUDA_SUCCESS &&
         status == CU_STREAM_CAPTURE_STATUS_ACTIVE;
}

static std::string formatBytes(size_t bytes) {
  char text[64];
  std::snprintf(text, sizeof(text), "%zu bytes (%.1f MiB)", bytes,
                static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

std::string ssmrt::cuda::describeOutOfMemory(const Session &session,
                                             size_t bytes) {
  std::string text =
      "requested " + formatBytes(bytes) + " on " + session.name + "; ";
  size_t freeBytes = 0, totalBytes = 0;
  if (CUresult result = session.api.cuMemGetInfo(&freeBytes, &totalBytes))
    return text + "free memory unknown (" + callFailed("cuMemGetInfo", result) +
           ")";
  return text + "the device has " + formatBytes(freeBytes) + " free of " +
         formatBytes(totalBytes);
}
