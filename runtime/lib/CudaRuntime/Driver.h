//===- Driver.h - The CUDA driver, loaded at run time -----------*- C++ -*-===//
//
// Part of the ssm project: an MLIR compiler and runtime for state space models.
//
//===----------------------------------------------------------------------===//
//
// The runtime never links libcuda: a binary that did would not even start on a
// machine without an NVIDIA driver, and such machines must still run CPU code
// and say clearly why GPU code cannot run. Instead, `loadDriver` opens
// libcuda.so.1 with dlopen on first use and resolves each entry point the
// runtime needs into one `DriverApi` table.
//
// The table's members carry the names of the driver functions *after* cuda.h's
// macros: cuda.h maps, say, `cuMemAlloc` to `cuMemAlloc_v2`, so the member
// declared as `cuMemAlloc` is really `cuMemAlloc_v2`, has the type of
// `::cuMemAlloc_v2`, and is resolved from the symbol "cuMemAlloc_v2". Code
// writes `api.cuMemAlloc(...)` exactly as it would call the linked driver.
//
// Above the table sits the runtime's shared state: one `Session` (cuInit, the
// chosen device and its retained primary context), the runtime's stream and
// device memory allocation. Nothing in this header exits or throws: failures
// come back as values and reasons, and the callers (the mgpu* ABI, which must
// exit, and ssmrt::device, which throws) decide what a failure means.
//
// This is a private header of the CUDA runtime library.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_LIB_CUDARUNTIME_DRIVER_H
#define SSMRT_LIB_CUDARUNTIME_DRIVER_H

#include <cuda.h>

#include <cstddef>
#include <functional>
#include <string>

namespace ssmrt::cuda {

/// Driver functions the runtime cannot work without.
#define SSMRT_CU_REQUIRED_FUNCTIONS(X)                                         \
  X(cuGetErrorName)                                                            \
  X(cuGetErrorString)                                                          \
  X(cuInit)                                                                    \
  X(cuDriverGetVersion)                                                        \
  X(cuDeviceGetCount)                                                          \
  X(cuDeviceGet)                                                               \
  X(cuDeviceGetName)                                                           \
  X(cuDeviceGetAttribute)                                                      \
  X(cuDeviceTotalMem)                                                          \
  X(cuDevicePrimaryCtxRetain)                                                  \
  X(cuCtxGetCurrent)                                                           \
  X(cuCtxSetCurrent)                                                           \
  X(cuCtxSynchronize)                                                          \
  X(cuModuleLoadData)                                                          \
  X(cuModuleLoadDataEx)                                                        \
  X(cuModuleUnload)                                                            \
  X(cuModuleGetFunction)                                                       \
  X(cuFuncGetAttribute)                                                        \
  X(cuFuncSetAttribute)                                                        \
  X(cuLaunchKernel)                                                            \
  X(cuStreamCreate)                                                            \
  X(cuStreamDestroy)                                                           \
  X(cuStreamSynchronize)                                                       \
  X(cuStreamWaitEvent)                                                         \
  X(cuEventCreate)                                                             \
  X(cuEventDestroy)                                                            \
  X(cuEventRecord)                                                             \
  X(cuEventSynchronize)                                                        \
  X(cuEventElapsedTime)                                                        \
  X(cuMemGetInfo)                                                              \
  X(cuMemAlloc)                                                                \
  X(cuMemAllocManaged)                                                         \
  X(cuMemFree)                                                                 \
  X(cuMemcpyAsync)                                                             \
  X(cuMemcpyHtoDAsync)                                                         \
  X(cuMemcpyDtoHAsync)                                                         \
  X(cuMemsetD16Async)                                                          \
  X(cuMemsetD32Async)

/// Driver functions the runtime does without when the driver lacks them
/// (their members stay null): thread block clusters and stream-ordered
/// allocation.
#define SSMRT_CU_OPTIONAL_FUNCTIONS(X)                                         \
  X(cuLaunchKernelEx)                                                          \
  X(cuMemAllocAsync)                                                           \
  X(cuMemFreeAsync)                                                            \
  X(cuDeviceGetDefaultMemPool)                                                 \
  X(cuMemPoolSetAttribute)                                                     \
  X(cuMemPoolTrimTo)                                                           \
  X(cuStreamIsCapturing)                                                       \
  X(cuStreamBeginCapture)                                                      \
  X(cuStreamEndCapture)                                                        \
  X(cuGraphInstantiate)                                                        \
  X(cuGraphLaunch)                                                             \
  X(cuGraphExecDestroy)                                                        \
  X(cuGraphDestroy)

/// The driver entry points, resolved from libcuda.so.1.
struct DriverApi {
#define SSMRT_CU_DECLARE_MEMBER(name) decltype(&::name) name = nullptr;
  SSMRT_CU_REQUIRED_FUNCTIONS(SSMRT_CU_DECLARE_MEMBER)
  SSMRT_CU_OPTIONAL_FUNCTIONS(SSMRT_CU_DECLARE_MEMBER)
#undef SSMRT_CU_DECLARE_MEMBER
};

/// Loads libcuda.so.1 (or the library named by the environment variable
/// SSMRT_CUDA_DRIVER, a diagnostic knob that lets a GPU machine act as one
/// without a driver) and resolves the entry points. Done once per process;
/// later calls return the same answer. Returns null and sets `whyNot` when the
/// library or one of the required symbols is missing.
const DriverApi *loadDriver(std::string &whyNot);

/// The table if `loadDriver` has succeeded before, else null. Loads nothing:
/// for teardown paths, which have nothing to release when the driver was
/// never used.
const DriverApi *loadedDriver();

/// Formats a driver result as "CUDA_ERROR_NAME (description)".
std::string errorText(CUresult result);

/// Formats "<call> failed: CUDA_ERROR_NAME (description)".
std::string callFailed(const char *call, CUresult result);

/// Loads the driver and initialises it, then checks that there is a device.
/// Creates no context. Done once per process. Returns null and sets `whyNot`
/// ("cuInit failed: CUDA_ERROR_NO_DEVICE (...)", ...) on failure.
const DriverApi *probeDevice(std::string &whyNot);

/// The device the runtime works on and the context it works in.
struct Session {
  const DriverApi &api;
  int ordinal;
  CUdevice device;
  /// The device's primary context (the one the CUDA runtime API and the
  /// libraries built on it, such as cuBLAS, use too). Retained, never
  /// released: the generated code unloads its modules after the end of main.
  CUcontext context;
  std::string name;
  int ccMajor;
  int ccMinor;
  /// Largest dynamic shared memory a block may opt in to, in bytes.
  int maxSharedPerBlockOptin;
  /// The device's default memory pool when it supports stream-ordered
  /// allocation and the driver exports it, else null.
  CUmemoryPool pool;
};

/// Opens the session on first use: cuInit, the default device (see
/// `setDefaultDevice`), its primary context. Every call also makes that
/// context current on the calling thread. Returns null and sets `whyNot` on
/// failure; a failure to open is final for the process.
const Session *openSession(std::string &whyNot);

/// Chooses the device ordinal that `openSession` uses. Returns false when the
/// session is already open on another device (the choice then has no effect).
bool setDefaultDevice(int ordinal);

/// "sm_90" for a compute capability 9.0 device.
std::string chipName(int ccMajor, int ccMinor);

/// The stream all of the runtime's work goes to: the one set with
/// `setStream`, else one stream created on first use and kept for the life of
/// the process. Returns null and sets `error` when it cannot be created.
CUstream runtimeStream(const Session &session, std::string &error);

/// Makes `stream` the runtime's stream; null returns to the runtime's own.
void setStream(CUstream stream);

/// Whether `stream` is one the runtime hands out (its own or the one set),
/// which must never be destroyed by the code it was handed to.
bool isRuntimeStream(CUstream stream);

/// Allocates `bytes` (> 0) of device memory. With `streamOrdered` and a
/// device that has memory pools, allocates from the default pool in the order
/// of the runtime's stream (cheap, no device-wide synchronisation on free);
/// otherwise with cuMemAlloc. On CUDA_ERROR_OUT_OF_MEMORY, synchronises the
/// stream, returns the pool's cached memory to the device and tries once more.
/// Returns the driver's result; on failure `ptr` is 0.
CUresult allocateDevice(const Session &session, size_t bytes,
                        bool streamOrdered, CUdeviceptr &ptr);

/// Frees memory from `allocateDevice` (or from cuMemAllocManaged): in the
/// runtime stream's order when it was allocated that way.
CUresult freeDevice(const Session &session, CUdeviceptr ptr);

/// Device memory allocated through `allocateDevice` and not yet freed, in
/// the runtime stream's order (its one stream makes host order that order),
/// as a framework's caching allocator counts it.
struct MemoryUse {
  size_t liveBytes = 0;
  size_t peakBytes = 0; ///< Most live bytes since the last reset.
};
MemoryUse memoryUse();

/// Starts a new peak at the bytes live now.
void resetPeakMemory();

/// Whether `stream` is being captured into a CUDA graph (false when the
/// driver cannot say).
bool isCapturing(const Session &session, CUstream stream);

/// "requested 1024 bytes (0.0 MiB); the device has 10 bytes (0.0 MiB) free of
/// 80 GiB": the out-of-memory explanation shared by every allocator.
std::string describeOutOfMemory(const Session &session, size_t bytes);

/// Runs a library call (cuBLASLt) that enqueues work on the runtime's stream
/// as one launch named `name`: counted, and bracketed by the launch hooks
/// (timing, kernel records) like a generated kernel. `enqueue` gets the
/// stream and returns "" or what failed; a failure ends the process with
/// the message, as a failed kernel launch does (MgpuWrappers.cpp).
void runLibraryLaunch(const char *name,
                      const std::function<std::string(CUstream)> &enqueue);

/// Ends the process with `message`, as the mgpu* functions do on failure.
[[noreturn]] void libraryFatal(const std::string &message);

} // namespace ssmrt::cuda

#endif // SSMRT_LIB_CUDARUNTIME_DRIVER_H
