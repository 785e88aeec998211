//===- CudaRuntime.h - The runtime's CUDA ABI and its C API -------*- C -*-===//
//
// Part of the ssm project: an MLIR compiler and runtime for state space models.
//
//===----------------------------------------------------------------------===//
//
// Two groups of C functions, implemented on the CUDA driver API (which the
// runtime loads at run time; nothing here needs libcuda at link time):
//
// 1. The mgpu* functions that the host code produced by MLIR 22's GPU to LLVM
//    lowering calls (gpu.binary embedding, gpu.launch_func, gpu.alloc,
//    gpu.memcpy, gpu.memset, gpu.wait). Their signatures follow what MLIR 22
//    emits, checked against `mlir-opt-22 -gpu-lower-to-nvvm-pipeline` +
//    `mlir-translate-22 --mlir-to-llvmir`. They initialise the driver on
//    first use (the generated code loads its modules from global
//    constructors, before main). A failure that leaves the program unable to
//    go on (no GPU, a module that does not load, a failed launch, out of
//    memory, a kernel fault seen at synchronisation) is reported on stderr
//    with the driver call, the CUDA error's name and text and what was asked,
//    and ends the process with exit status 1. Errors of work already queued
//    (a kernel that faulted) surface in whichever call comes next; the message
//    then names the last kernel launched, and SSMRT_SYNC_LAUNCHES=1 in the
//    environment makes every launch wait for its kernel to pin the culprit.
//    Teardown (module unload, stream and event destruction) never fails the
//    process: errors there are reported. CUDA_ERROR_DEINITIALIZED (the driver
//    has already shut down at exit, before the generated global destructors
//    unload their modules) is ignored by teardown and frees alike.
//
// 2. The runtime's own controls: which stream the generated code runs on,
//    and a hook into every kernel launch for counting and timing.
//
// All work of the generated code goes to one stream, the runtime's stream:
// mgpuStreamCreate hands it out and mgpuStreamDestroy leaves it alone, so
// each non-async gpu.launch no longer creates and destroys a stream. A null
// stream passed to any mgpu* function also means the runtime's stream.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_CUDARUNTIME_H
#define SSMRT_CUDARUNTIME_H

#include <cuda.h>

#include <stddef.h>
#include <stdint.h>

// Every function here is part of the library's interface, also where the
// library is built with hidden visibility by default: the generated code of a
// dlopen'ed workload binary finds them by name.
#if defined(__GNUC__) || defined(__clang__)
#define SSMRT_EXPORT __attribute__((visibility("default")))
#else
#define SSMRT_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

//===----------------------------------------------------------------------===//
// The runtime's stream and launch hook
//===----------------------------------------------------------------------===//

// Makes `stream` the stream that mgpuStreamCreate hands out and all runtime
// work goes to; null returns to the runtime's own stream (created on first use
// with CU_STREAM_NON_BLOCKING and kept for the life of the process). The
// runtime never destroys a stream set here. Switch only while no work of the
// generated code is in flight (memory it frees in stream order is freed on
// the stream current at that time). Needs no GPU.
SSMRT_EXPORT void ssmrtSetStream(CUstream stream);

// The runtime's stream (creating the runtime's own on first use). Exits the
// process, like the mgpu* functions, when there is no usable GPU.
SSMRT_EXPORT CUstream ssmrtGetStream(void);

typedef enum ssmrtLaunchPhase {
  // Just before the driver is asked to launch the kernel.
  SSMRT_LAUNCH_BEGIN = 0,
  // Just after the launch call has returned successfully. The kernel runs
  // asynchronously: it may not have started, let alone finished.
  SSMRT_LAUNCH_END = 1
} ssmrtLaunchPhase;

// What is launched. Valid only during the callback.
typedef struct ssmrtLaunchInfo {
  CUfunction function;
  // The kernel's symbol name as the generated code asked for it, or "" when
  // the function was not obtained through mgpuModuleGetFunction.
  const char *kernelName;
  unsigned gridX, gridY, gridZ;
  unsigned blockX, blockY, blockZ;
  // All 1 for a launch without thread block clusters.
  unsigned clusterX, clusterY, clusterZ;
  unsigned sharedMemBytes;
  CUstream stream;
  // 0 for the process's first launch, then 1, 2, ...; equals the value
  // ssmrtLaunchCount() had before this launch.
  uint64_t launchIndex;
} ssmrtLaunchInfo;

typedef void (*ssmrtLaunchCallback)(ssmrtLaunchPhase phase,
                                    const ssmrtLaunchInfo *info,
                                    void *userData);

// Calls `callback` with `userData` twice around every kernel launch that goes
// through the runtime; null removes it. The callback runs on the launching
// thread and must not launch kernels itself.
SSMRT_EXPORT void ssmrtSetLaunchCallback(ssmrtLaunchCallback callback,
                                         void *userData);

// The number of kernel launches the runtime has made in this process.
SSMRT_EXPORT uint64_t ssmrtLaunchCount(void);

//===----------------------------------------------------------------------===//
// The ABI of MLIR 22's GPU lowering. Index-typed operands arrive as intptr_t.
//===----------------------------------------------------------------------===//

// gpu.binary with a cubin: `data` is the embedded cubin of `size` bytes.
SSMRT_EXPORT CUmodule mgpuModuleLoad(void *data, size_t size);
// gpu.binary with PTX (format=isa): `data` is NUL-terminated PTX, compiled by
// the driver at optimisation level `optLevel` (0-4).
SSMRT_EXPORT CUmodule mgpuModuleLoadJIT(void *data, int optLevel);
SSMRT_EXPORT void mgpuModuleUnload(CUmodule module);
SSMRT_EXPORT CUfunction mgpuModuleGetFunction(CUmodule module,
                                              const char *name);

// `paramsCount` (the number of kernel arguments) is informational.
SSMRT_EXPORT void mgpuLaunchKernel(CUfunction function, intptr_t gridX,
                                   intptr_t gridY, intptr_t gridZ,
                                   intptr_t blockX, intptr_t blockY,
                                   intptr_t blockZ, int32_t smem,
                                   CUstream stream, void **params, void **extra,
                                   size_t paramsCount);
// gpu.launch_func with clusters (sm_90 and later). MLIR 22 passes no
// parameter count here.
SSMRT_EXPORT void
mgpuLaunchClusterKernel(CUfunction function, intptr_t clusterX,
                        intptr_t clusterY, intptr_t clusterZ, intptr_t gridX,
                        intptr_t gridY, intptr_t gridZ, intptr_t blockX,
                        intptr_t blockY, intptr_t blockZ, int32_t smem,
                        CUstream stream, void **params, void **extra);

// Returns the runtime's stream (see ssmrtSetStream).
SSMRT_EXPORT CUstream mgpuStreamCreate(void);
// Does nothing: every stream mgpuStreamCreate hands out is shared.
SSMRT_EXPORT void mgpuStreamDestroy(CUstream stream);
SSMRT_EXPORT void mgpuStreamSynchronize(CUstream stream);
SSMRT_EXPORT void mgpuStreamWaitEvent(CUstream stream, CUevent event);

SSMRT_EXPORT CUevent mgpuEventCreate(void);
SSMRT_EXPORT void mgpuEventDestroy(CUevent event);
SSMRT_EXPORT void mgpuEventSynchronize(CUevent event);
SSMRT_EXPORT void mgpuEventRecord(CUevent event, CUstream stream);

// The generated code passes `isHostShared` as an i8 without zero extension:
// only its low byte counts (nonzero: gpu.alloc host_shared, managed memory).
// Device memory is allocated in the order of the runtime's stream when the
// device supports memory pools. Returns null for 0 bytes.
SSMRT_EXPORT void *mgpuMemAlloc(uint64_t sizeBytes, CUstream stream,
                                uint32_t isHostShared);
SSMRT_EXPORT void mgpuMemFree(void *ptr, CUstream stream);
SSMRT_EXPORT void mgpuMemcpy(void *dst, void *src, size_t sizeBytes,
                             CUstream stream);
// Set `count` 32-bit (16-bit) elements. For mgpuMemset16 only the low 16 bits
// of `value` count (the generated code passes an i16 without extension).
SSMRT_EXPORT void mgpuMemset32(void *dst, uint32_t value, size_t count,
                               CUstream stream);
SSMRT_EXPORT void mgpuMemset16(void *dst, uint32_t value, size_t count,
                               CUstream stream);

// Chooses the device the runtime opens on first use (default 0). Calling it
// after the runtime has opened another device has no effect but a warning.
SSMRT_EXPORT void mgpuSetDefaultDevice(int32_t device);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // SSMRT_CUDARUNTIME_H
