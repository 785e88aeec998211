//===- Cupti.h - CUPTI, loaded at run time ----------------------*- C++ -*-===//
//
// Part of the ssm project: an MLIR compiler and runtime for state space models.
//
//===----------------------------------------------------------------------===//
//
// The runtime never links CUPTI, as it never links the driver (Driver.h): a
// binary that did would not start where the toolkit's libcupti is absent, and
// counters are an option, never a precondition of running. `loadCupti` opens
// libcupti.so on first use and resolves the entry points the runtime needs
// into one `CuptiApi` table; a failure is a reason, never an exit.
//
// Where it looks, in order: the file named by SSMRT_CUPTI_LIBRARY (also a
// diagnostic knob: a path that does not exist makes a machine act as one
// without CUPTI), "libcupti.so.13" and "libcupti.so" on the loader's path,
// then $CUDA_HOME/lib64, /usr/local/cuda/lib64 and
// /usr/local/cuda/extras/CUPTI/lib64 (the toolkit puts it in lib64 since
// CUDA 13; older toolkits in extras/CUPTI/lib64).
//
// libcupti needs no driver to load, and its Profiler Host API
// (cupti_profiler_host.h: metric names, config images, pass counts) works
// without a GPU; everything else needs the driver and a device.
//
// This is a private header of the runtime library.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_LIB_PROFILE_CUPTI_H
#define SSMRT_LIB_PROFILE_CUPTI_H

#include <cupti.h>
#include <cupti_profiler_host.h>
#include <cupti_profiler_target.h>
#include <cupti_range_profiler.h>
#include <cupti_target.h>

#include <string>

namespace ssmrt::cupti {

/// CUPTI functions the runtime uses. All are required: CUDA 13's libcupti
/// has every one of them.
#define SSMRT_CUPTI_FUNCTIONS(X)                                               \
  X(cuptiGetResultString)                                                      \
  X(cuptiGetVersion)                                                           \
  X(cuptiActivityEnable)                                                       \
  X(cuptiActivityDisable)                                                      \
  X(cuptiActivityRegisterCallbacks)                                            \
  X(cuptiActivityFlushAll)                                                     \
  X(cuptiActivityGetNextRecord)                                                \
  X(cuptiActivityPushExternalCorrelationId)                                    \
  X(cuptiActivityPopExternalCorrelationId)                                     \
  X(cuptiDeviceGetChipName)                                                    \
  X(cuptiProfilerInitialize)                                                   \
  X(cuptiProfilerDeInitialize)                                                 \
  X(cuptiProfilerHostGetSupportedChips)                                        \
  X(cuptiProfilerHostInitialize)                                               \
  X(cuptiProfilerHostDeinitialize)                                             \
  X(cuptiProfilerHostGetMetricProperties)                                      \
  X(cuptiProfilerHostConfigAddMetrics)                                         \
  X(cuptiProfilerHostGetConfigImageSize)                                       \
  X(cuptiProfilerHostGetConfigImage)                                           \
  X(cuptiProfilerHostGetNumOfPasses)                                           \
  X(cuptiProfilerHostEvaluateToGpuValues)                                      \
  X(cuptiRangeProfilerEnable)                                                  \
  X(cuptiRangeProfilerDisable)                                                 \
  X(cuptiRangeProfilerSetConfig)                                               \
  X(cuptiRangeProfilerStart)                                                   \
  X(cuptiRangeProfilerStop)                                                    \
  X(cuptiRangeProfilerPushRange)                                               \
  X(cuptiRangeProfilerPopRange)                                                \
  X(cuptiRangeProfilerDecodeData)                                              \
  X(cuptiRangeProfilerGetCounterDataSize)                                      \
  X(cuptiRangeProfilerCounterDataImageInitialize)                              \
  X(cuptiRangeProfilerGetCounterDataInfo)                                      \
  X(cuptiRangeProfilerCounterDataGetRangeInfo)

/// The CUPTI entry points, resolved from libcupti.
struct CuptiApi {
#define SSMRT_CUPTI_DECLARE_MEMBER(name) decltype(&::name) name = nullptr;
  SSMRT_CUPTI_FUNCTIONS(SSMRT_CUPTI_DECLARE_MEMBER)
#undef SSMRT_CUPTI_DECLARE_MEMBER
  /// The file it was loaded from.
  std::string path;
};

/// Loads CUPTI from the places listed above, once per process; later calls
/// return the same answer. Returns null and sets `whyNot` (naming every place
/// tried) when no library loads or one lacks an entry point.
const CuptiApi *loadCupti(std::string &whyNot);

/// Loads CUPTI from `path` alone, every call anew (for tests: the cached
/// `loadCupti` decides once per process).
const CuptiApi *loadCuptiFrom(const std::string &path, std::string &whyNot);

/// "CUPTI_ERROR_NAME", with an explanation of what to do for the errors a
/// user can act on (no permission to read counters, an unsupported device).
std::string errorText(const CuptiApi &api, CUptiResult result);

/// "<call> failed: <errorText>".
std::string callFailed(const CuptiApi &api, const char *call,
                       CUptiResult result);

} // namespace ssmrt::cupti

#endif // SSMRT_LIB_PROFILE_CUPTI_H
