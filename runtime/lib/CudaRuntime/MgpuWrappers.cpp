//===- MgpuWrappers.cpp - The mgpu* ABI of MLIR's GPU lowering ------------===//
//
// Part of the ssm project: an MLIR compiler and runtime for state space models.
//
//===----------------------------------------------------------------------===//
//
// The functions that host code produced by MLIR 22's GPU to LLVM lowering
// calls, on the CUDA driver loaded by Driver.cpp, plus the runtime's C API for
// its stream and its launch hook (ssmrt/CudaRuntime.h documents both).
//
// The generated code has no way to handle an error, so failures that leave
// the program unable to go on are reported and end the process (`fatal`).
// Every kernel launch goes through `launchKernel`, which counts launches and
// calls the launch callback: that is where timing and counters hook in.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/CudaRuntime.h"

#include "Driver.h"

#include <atomic>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>

using namespace ssmrt::cuda;

namespace {

/// A kernel function and what the generated code called it.
struct KernelName {
  CUmodule module;
  std::string name;
};

/// Kernel names, the launch callback and the last launch; leaked on purpose
/// (module unloads run from global destructors).
struct LaunchRegistry {
  std::mutex mutex;
  std::unordered_map<CUfunction, KernelName> kernels;
  ssmrtLaunchCallback callback = nullptr;
  void *userData = nullptr;
  std::string lastKernel;
  uint64_t lastLaunchIndex = 0;
};

} // namespace

static LaunchRegistry &registry() {
  static LaunchRegistry *launches = new LaunchRegistry();
  return *launches;
}

static std::atomic<uint64_t> launchCounter{0};

/// Set once a fatal error is being reported: the teardown that exit() runs
/// then stays quiet about the errors that follow from the first.
static std::atomic<bool> failing{false};

[[noreturn]] static void fatal(const std::string &message) {
  failing.store(true);
  std::fflush(stdout);
  std::fprintf(stderr, "ssmrt: fatal error: %s\n", message.c_str());
  std::fflush(stderr);
  std::exit(1);
}

static void warn(const std::string &message) {
  std::fprintf(stderr, "ssmrt: warning: %s\n", message.c_str());
}

/// The session, or the end of the process: GPU code cannot run without one.
static const Session &session() {
  std::string whyNot;
  if (const Session *opened = openSession(whyNot))
    return *opened;
  fatal("cannot run GPU code: " + whyNot);
}

/// The session for teardown calls: null when the driver was never used or is
/// gone, never fatal.
static const Session *teardownSession() {
  if (!loadedDriver())
    return nullptr;
  std::string ignored;
  return openSession(ignored);
}

/// Says which kernel most likely caused an error of queued work.
static std::string lastKernelHint() {
  LaunchRegistry &launches = registry();
  std::lock_guard<std::mutex> lock(launches.mutex);
  if (launchCounter.load() == 0)
    return "";
  return "; the last kernel launched was '" + launches.lastKernel +
         "' (launch #" + std::to_string(launches.lastLaunchIndex) +
         "; SSMRT_SYNC_LAUNCHES=1 checks every launch)";
}

/// Ends the process unless `result` is success. `what` says what was asked.
static void check(CUresult result, const char *call, const std::string &what) {
  if (result == CUDA_SUCCESS)
    return;
  fatal(what + ": " + callFailed(call, result) + lastKernelHint());
}

/// Reports a failed teardown call, unless the driver has shut down already or
/// a fatal error is being reported.
static void checkTeardown(CUresult result, const char *call) {
  if (result == CUDA_SUCCESS || result == CUDA_ERROR_DEINITIALIZED ||
      failing.load())
    return;
  warn(callFailed(call, result));
}

/// `stream`, or the runtime's stream in place of the null stream.
static CUstream streamOrRuntime(const Session &opened, CUstream stream) {
  if (stream)
    return stream;
  std::string error;
  if (CUstream runtime = runtimeStream(opened, error))
    return runtime;
  fatal("cannot create the runtime's stream: " + error);
}

static std::string kernelName(CUfunction function) {
  LaunchRegistry &launches = registry();
  std::lock_guard<std::mutex> lock(launches.mutex);
  auto it = launches.kernels.find(function);
  return it == launches.kernels.end() ? "" : it->second.name;
}

static std::string describeLaunch(const ssmrtLaunchInfo &info) {
  char text[256];
  std::snprintf(text, sizeof(text),
                "grid (%u, %u, %u), block (%u, %u, %u), cluster (%u, %u, %u), "
                "%u bytes of dynamic shared memory",
                info.gridX, info.gridY, info.gridZ, info.blockX, info.blockY,
                info.blockZ, info.clusterX, info.clusterY, info.clusterZ,
                info.sharedMemBytes);
  return "kernel '" + std::string(info.kernelName) + "' with " + text;
}

/// Converts one launch dimension, which must be in [1, UINT_MAX].
static unsigned dimension(intptr_t value, const char *what,
                          CUfunction function) {
  if (value >= 1 && static_cast<uintmax_t>(value) <= UINT_MAX)
    return static_cast<unsigned>(value);
  fatal("cannot launch kernel '" + kernelName(function) + "': " + what +
        " is " + std::to_string(value) + ", outside [1, " +
        std::to_string(UINT_MAX) + "]");
}

/// What the function's resources allow, for launch failure messages.
static std::string functionLimits(const Session &opened, CUfunction function) {
  int registers = 0, maxThreads = 0;
  if (opened.api.cuFuncGetAttribute(&registers, CU_FUNC_ATTRIBUTE_NUM_REGS,
                                    function) != CUDA_SUCCESS ||
      opened.api.cuFuncGetAttribute(&maxThreads,
                                    CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK,
                                    function) != CUDA_SUCCESS)
    return "";
  return " (the kernel uses " + std::to_string(registers) +
         " registers per thread and can run at most " +
         std::to_string(maxThreads) + " threads per block on this device)";
}

/// Raises the kernel's dynamic shared memory limit when the launch asks for
/// more than the default 48 KiB.
static void allowSharedMemory(const Session &opened,
                              const ssmrtLaunchInfo &info) {
  constexpr unsigned defaultLimit = 48 * 1024;
  if (info.sharedMemBytes <= defaultLimit)
    return;
  if (info.sharedMemBytes >
      static_cast<unsigned>(opened.maxSharedPerBlockOptin))
    fatal("cannot launch " + describeLaunch(info) + ": " + opened.name +
          " allows at most " + std::to_string(opened.maxSharedPerBlockOptin) +
          " bytes of shared memory per block");
  check(opened.api.cuFuncSetAttribute(
            info.function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
            static_cast<int>(info.sharedMemBytes)),
        "cuFuncSetAttribute", "cannot launch " + describeLaunch(info));
}

/// Asks the driver for the launch: cuLaunchKernel, or cuLaunchKernelEx when
/// the launch has thread block clusters.
static CUresult driverLaunch(const Session &opened, const ssmrtLaunchInfo &info,
                             void **params, void **extra) {
  if (info.clusterX == 1 && info.clusterY == 1 && info.clusterZ == 1)
    return opened.api.cuLaunchKernel(info.function, info.gridX, info.gridY,
                                     info.gridZ, info.blockX, info.blockY,
                                     info.blockZ, info.sharedMemBytes,
                                     info.stream, params, extra);
  if (!opened.api.cuLaunchKernelEx)
    fatal("cannot launch " + describeLaunch(info) +
          ": the driver lacks cuLaunchKernelEx, needed for clusters");
  CUlaunchAttribute attribute;
  std::memset(&attribute, 0, sizeof(attribute));
  attribute.id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
  attribute.value.clusterDim.x = info.clusterX;
  attribute.value.clusterDim.y = info.clusterY;
  attribute.value.clusterDim.z = info.clusterZ;
  CUlaunchConfig config;
  std::memset(&config, 0, sizeof(config));
  config.gridDimX = info.gridX;
  config.gridDimY = info.gridY;
  config.gridDimZ = info.gridZ;
  config.blockDimX = info.blockX;
  config.blockDimY = info.blockY;
  config.blockDimZ = info.blockZ;
  config.sharedMemBytes = info.sharedMemBytes;
  config.hStream = info.stream;
  config.attrs = &attribute;
  config.numAttrs = 1;
  return opened.api.cuLaunchKernelEx(&config, info.function, params, extra);
}

/// Every kernel launch of the runtime goes through here. Fills in the name,
/// stream and launch index of `info`, counts the launch and calls the launch
/// callback around it.
static void launchKernel(ssmrtLaunchInfo &info, void **params, void **extra) {
  static const bool syncLaunches = [] {
    const char *value = std::getenv("SSMRT_SYNC_LAUNCHES");
    return value && *value && std::strcmp(value, "0") != 0;
  }();
  const Session &opened = session();
  if (!info.function)
    fatal("cannot launch a null kernel function");
  info.stream = streamOrRuntime(opened, info.stream);

  ssmrtLaunchCallback callback;
  void *userData;
  {
    LaunchRegistry &launches = registry();
    std::lock_guard<std::mutex> lock(launches.mutex);
    auto it = launches.kernels.find(info.function);
    info.kernelName =
        it == launches.kernels.end() ? "" : it->second.name.c_str();
    info.launchIndex = launchCounter.fetch_add(1);
    launches.lastKernel = info.kernelName;
    launches.lastLaunchIndex = info.launchIndex;
    callback = launches.callback;
    userData = launches.userData;
  }
  allowSharedMemory(opened, info);

  if (callback)
    callback(SSMRT_LAUNCH_BEGIN, &info, userData);
  if (CUresult result = driverLaunch(opened, info, params, extra))
    fatal("cannot launch " + describeLaunch(info) + ": " +
          callFailed(info.clusterX * info.clusterY * info.clusterZ == 1
                         ? "cuLaunchKernel"
                         : "cuLaunchKernelEx",
                     result) +
          functionLimits(opened, info.function));
  if (callback)
    callback(SSMRT_LAUNCH_END, &info, userData);

  if (syncLaunches) {
    if (CUresult result = opened.api.cuStreamSynchronize(info.stream))
      fatal(describeLaunch(info) + " failed while running: " +
            callFailed("cuStreamSynchronize", result));
  }
}

void ssmrt::cuda::runLibraryLaunch(
    const char *name, const std::function<std::string(CUstream)> &enqueue) {
  const Session &opened = session();
  ssmrtLaunchInfo info = {};
  info.function = nullptr;
  info.gridX = info.gridY = info.gridZ = 1;
  info.blockX = info.blockY = info.blockZ = 1;
  info.clusterX = info.clusterY = info.clusterZ = 1;
  info.stream = streamOrRuntime(opened, nullptr);
  ssmrtLaunchCallback callback;
  void *userData;
  {
    LaunchRegistry &launches = registry();
    std::lock_guard<std::mutex> lock(launches.mutex);
    info.kernelName = name;
    info.launchIndex = launchCounter.fetch_add(1);
    launches.lastKernel = name;
    launches.lastLaunchIndex = info.launchIndex;
    callback = launches.callback;
    userData = launches.userData;
  }
  // Timed and profiled as one launch: the hooks bracket the library's work
  // on the runtime's stream.
  if (callback)
    callback(SSMRT_LAUNCH_BEGIN, &info, userData);
  std::string error = enqueue(info.stream);
  if (!error.empty())
    fatal(std::string(name) + ": " + error);
  if (callback)
    callback(SSMRT_LAUNCH_END, &info, userData);
}

[[noreturn]] void ssmrt::cuda::libraryFatal(const std::string &message) {
  fatal(message);
}

static ssmrtLaunchInfo launchInfo(CUfunction function, intptr_t gridX,
                                  intptr_t gridY, intptr_t gridZ,
                                  intptr_t blockX, intptr_t blockY,
                                  intptr_t blockZ, int32_t smem,
                                  CUstream stream) {
  ssmrtLaunchInfo info;
  std::memset(&info, 0, sizeof(info));
  info.function = function;
  info.kernelName = "";
  info.gridX = dimension(gridX, "grid size x", function);
  info.gridY = dimension(gridY, "grid size y", function);
  info.gridZ = dimension(gridZ, "grid size z", function);
  info.blockX = dimension(blockX, "block size x", function);
  info.blockY = dimension(blockY, "block size y", function);
  info.blockZ = dimension(blockZ, "block size z", function);
  info.clusterX = info.clusterY = info.clusterZ = 1;
  if (smem < 0)
    fatal("cannot launch kernel '" + kernelName(function) + "' with " +
          std::to_string(smem) + " bytes of dynamic shared memory");
  info.sharedMemBytes = static_cast<unsigned>(smem);
  info.stream = stream;
  return info;
}

//===----------------------------------------------------------------------===//
// The runtime's C API
//===----------------------------------------------------------------------===//

extern "C" void ssmrtSetStream(CUstream stream) { setStream(stream); }

extern "C" CUstream ssmrtGetStream(void) {
  return streamOrRuntime(session(), nullptr);
}

extern "C" void ssmrtSetLaunchCallback(ssmrtLaunchCallback callback,
                                       void *userData) {
  LaunchRegistry &launches = registry();
  std::lock_guard<std::mutex> lock(launches.mutex);
  launches.callback = callback;
  launches.userData = userData;
}

extern "C" uint64_t ssmrtLaunchCount(void) { return launchCounter.load(); }

//===----------------------------------------------------------------------===//
// Modules and kernels
//===----------------------------------------------------------------------===//

/// Explains a module load failure that means "built for another GPU".
static std::string chipHint(const Session &opened, CUresult result) {
  switch (result) {
  case CUDA_ERROR_NO_BINARY_FOR_GPU:
  case CUDA_ERROR_INVALID_IMAGE:
  case CUDA_ERROR_INVALID_PTX:
  case CUDA_ERROR_UNSUPPORTED_PTX_VERSION:
    return "; the GPU code was built for another chip or a newer toolkit: "
           "build it for this device's chip, " +
           chipName(opened.ccMajor, opened.ccMinor) +
           " (cubin-chip=" + chipName(opened.ccMajor, opened.ccMinor) + ")";
  default:
    return "";
  }
}

extern "C" CUmodule mgpuModuleLoad(void *data, size_t size) {
  const Session &opened = session();
  CUmodule module = nullptr;
  if (CUresult result = opened.api.cuModuleLoadData(&module, data))
    fatal("cannot load a GPU module of " + std::to_string(size) + " bytes on " +
          opened.name + " (" + chipName(opened.ccMajor, opened.ccMinor) +
          "): " + callFailed("cuModuleLoadData", result) +
          chipHint(opened, result));
  return module;
}

extern "C" CUmodule mgpuModuleLoadJIT(void *data, int optLevel) {
  const Session &opened = session();
  char errorLog[8192] = {0};
  int level = optLevel < 0 ? 0 : optLevel > 4 ? 4 : optLevel;
  CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER,
                            CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                            CU_JIT_OPTIMIZATION_LEVEL};
  void *values[] = {errorLog,
                    reinterpret_cast<void *>(uintptr_t(sizeof(errorLog) - 1)),
                    reinterpret_cast<void *>(uintptr_t(level))};
  CUmodule module = nullptr;
  if (CUresult result = opened.api.cuModuleLoadDataEx(
          &module, data, sizeof(options) / sizeof(options[0]), options, values))
    fatal("cannot compile PTX for " + opened.name + " (" +
          chipName(opened.ccMajor, opened.ccMinor) + "): " +
          callFailed("cuModuleLoadDataEx", result) + chipHint(opened, result) +
          (errorLog[0] ? std::string("\n") + errorLog : std::string()));
  return module;
}

extern "C" void mgpuModuleUnload(CUmodule module) {
  if (!module)
    return;
  {
    LaunchRegistry &launches = registry();
    std::lock_guard<std::mutex> lock(launches.mutex);
    for (auto it = launches.kernels.begin(); it != launches.kernels.end();)
      it = it->second.module == module ? launches.kernels.erase(it)
                                       : std::next(it);
  }
  // At exit the driver may have shut down before the generated destructors
  // run: the session is then gone and the unload answers DEINITIALIZED.
  const DriverApi *api = loadedDriver();
  if (!api)
    return;
  teardownSession();
  checkTeardown(api->cuModuleUnload(module), "cuModuleUnload");
}

extern "C" CUfunction mgpuModuleGetFunction(CUmodule module, const char *name) {
  const Session &opened = session();
  CUfunction function = nullptr;
  if (CUresult result = opened.api.cuModuleGetFunction(&function, module, name))
    fatal("cannot find kernel '" + std::string(name) +
          "' in its GPU module: " + callFailed("cuModuleGetFunction", result));
  LaunchRegistry &launches = registry();
  std::lock_guard<std::mutex> lock(launches.mutex);
  KernelName &entry = launches.kernels[function];
  if (entry.module != module || entry.name != name) {
    entry.module = module;
    entry.name = name;
  }
  return function;
}

extern "C" void mgpuLaunchKernel(CUfunction function, intptr_t gridX,
                                 intptr_t gridY, intptr_t gridZ,
                                 intptr_t blockX, intptr_t blockY,
                                 intptr_t blockZ, int32_t smem, CUstream stream,
                                 void **params, void **extra,
                                 size_t /*paramsCount*/) {
  ssmrtLaunchInfo info = launchInfo(function, gridX, gridY, gridZ, blockX,
                                    blockY, blockZ, smem, stream);
  launchKernel(info, params, extra);
}

extern "C" void mgpuLaunchClusterKernel(CUfunction function, intptr_t clusterX,
                                        intptr_t clusterY, intptr_t clusterZ,
                                        intptr_t gridX, intptr_t gridY,
                                        intptr_t gridZ, intptr_t blockX,
                                        intptr_t blockY, intptr_t blockZ,
                                        int32_t smem, CUstream stream,
                                        void **params, void **extra) {
  ssmrtLaunchInfo info = launchInfo(function, gridX, gridY, gridZ, blockX,
                                    blockY, blockZ, smem, stream);
  info.clusterX = dimension(clusterX, "cluster size x", function);
  info.clusterY = dimension(clusterY, "cluster size y", function);
  info.clusterZ = dimension(clusterZ, "cluster size z", function);
  launchKernel(info, params, extra);
}

//===----------------------------------------------------------------------===//
// Streams and events
//===----------------------------------------------------------------------===//

extern "C" CUstream mgpuStreamCreate(void) {
  return streamOrRuntime(session(), nullptr);
}

extern "C" void mgpuStreamDestroy(CUstream /*stream*/) {}

extern "C" void mgpuStreamSynchronize(CUstream stream) {
  const Session &opened = session();
  // Generated entries do not wait (ssm-gpu-stream-order); should host code
  // wait while the runtime captures it into a CUDA graph, there is nothing
  // to wait for yet, and waiting would end the capture with an error.
  if (isCapturing(opened, streamOrRuntime(opened, stream)))
    return;
  check(opened.api.cuStreamSynchronize(streamOrRuntime(opened, stream)),
        "cuStreamSynchronize", "GPU work failed");
}

extern "C" void mgpuStreamWaitEvent(CUstream stream, CUevent event) {
  const Session &opened = session();
  check(opened.api.cuStreamWaitEvent(streamOrRuntime(opened, stream), event, 0),
        "cuStreamWaitEvent", "cannot order GPU work after an event");
}

extern "C" CUevent mgpuEventCreate(void) {
  const Session &opened = session();
  CUevent event = nullptr;
  check(opened.api.cuEventCreate(&event, CU_EVENT_DISABLE_TIMING),
        "cuEventCreate", "cannot create an event");
  return event;
}

extern "C" void mgpuEventDestroy(CUevent event) {
  if (!event)
    return;
  if (const Session *opened = teardownSession())
    checkTeardown(opened->api.cuEventDestroy(event), "cuEventDestroy");
}

extern "C" void mgpuEventSynchronize(CUevent event) {
  const Session &opened = session();
  check(opened.api.cuEventSynchronize(event), "cuEventSynchronize",
        "GPU work failed");
}

extern "C" void mgpuEventRecord(CUevent event, CUstream stream) {
  const Session &opened = session();
  check(opened.api.cuEventRecord(event, streamOrRuntime(opened, stream)),
        "cuEventRecord", "cannot record an event");
}

//===----------------------------------------------------------------------===//
// Memory
//===----------------------------------------------------------------------===//

extern "C" void *mgpuMemAlloc(uint64_t sizeBytes, CUstream /*stream*/,
                              uint32_t isHostShared) {
  if (sizeBytes == 0)
    return nullptr;
  const Session &opened = session();
  size_t bytes = static_cast<size_t>(sizeBytes);
  CUdeviceptr ptr = 0;
  if (isHostShared & 0xffu) {
    if (CUresult result =
            opened.api.cuMemAllocManaged(&ptr, bytes, CU_MEM_ATTACH_GLOBAL))
      fatal("cannot allocate host-shared memory: " +
            callFailed("cuMemAllocManaged", result) + "; " +
            describeOutOfMemory(opened, bytes));
    return reinterpret_cast<void *>(ptr);
  }
  if (CUresult result =
          allocateDevice(opened, bytes, /*streamOrdered=*/true, ptr)) {
    std::string call = opened.pool ? "cuMemAllocAsync" : "cuMemAlloc";
    if (result == CUDA_ERROR_OUT_OF_MEMORY)
      fatal("out of GPU memory: " + describeOutOfMemory(opened, bytes));
    fatal("cannot allocate GPU memory: " + callFailed(call.c_str(), result) +
          "; " + describeOutOfMemory(opened, bytes) + lastKernelHint());
  }
  return reinterpret_cast<void *>(ptr);
}

extern "C" void mgpuMemFree(void *ptr, CUstream /*stream*/) {
  if (!ptr)
    return;
  const Session *opened = teardownSession();
  if (!opened)
    return;
  CUresult result = freeDevice(*opened, reinterpret_cast<CUdeviceptr>(ptr));
  if (result == CUDA_ERROR_DEINITIALIZED || failing.load())
    return;
  check(result, "cuMemFree", "cannot free GPU memory");
}

extern "C" void mgpuMemcpy(void *dst, void *src, size_t sizeBytes,
                           CUstream stream) {
  if (sizeBytes == 0)
    return;
  const Session &opened = session();
  check(opened.api.cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                                 reinterpret_cast<CUdeviceptr>(src), sizeBytes,
                                 streamOrRuntime(opened, stream)),
        "cuMemcpyAsync", "cannot copy " + std::to_string(sizeBytes) + " bytes");
}

extern "C" void mgpuMemset32(void *dst, uint32_t value, size_t count,
                             CUstream stream) {
  if (count == 0)
    return;
  const Session &opened = session();
  check(opened.api.cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(dst), value,
                                    count, streamOrRuntime(opened, stream)),
        "cuMemsetD32Async",
        "cannot set " + std::to_string(count) + " 32-bit elements");
}

extern "C" void mgpuMemset16(void *dst, uint32_t value, size_t count,
                             CUstream stream) {
  if (count == 0)
    return;
  const Session &opened = session();
  check(
      opened.api.cuMemsetD16Async(reinterpret_cast<CUdeviceptr>(dst),
                                  static_cast<unsigned short>(value & 0xffffu),
                                  count, streamOrRuntime(opened, stream)),
      "cuMemsetD16Async",
      "cannot set " + std::to_string(count) + " 16-bit elements");
}

extern "C" void mgpuSetDefaultDevice(int32_t device) {
  if (!setDefaultDevice(device))
    warn("mgpuSetDefaultDevice(" + std::to_string(device) +
         ") comes after the runtime opened another device; ignored");
}
