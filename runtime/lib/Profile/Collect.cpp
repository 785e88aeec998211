//===- Collect.cpp - Reading kernel records and counters from the GPU -----===//
//
// Part of the ssm project: an MLIR compiler and runtime for state space models.
//
//===----------------------------------------------------------------------===//
//
// The activity API hands records over in buffers it asks for and returns
// through two C callbacks; they parse into one process-wide store (leaked, as
// CUPTI may complete buffers at exit). The launch hook pushes each launch's
// index as an external correlation id around the launch, which ties kernel
// records to launches. The Range Profiler part follows CUPTI's user range,
// user replay protocol: enable on the context, set the config and counter
// data image, then per pass start, one range per launch, stop; decode and
// evaluate with the Host API.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Profile/Collect.h"

#include "ssmrt/CudaRuntime.h"
#include "ssmrt/Device.h"

#include "../CudaRuntime/Driver.h"
#include "Cupti.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

using namespace ssmrt;
using namespace ssmrt::profile;

static const cupti::CuptiApi &requireCupti(const std::string &what) {
  std::string whyNot;
  if (const cupti::CuptiApi *api = cupti::loadCupti(whyNot))
    return *api;
  throw std::runtime_error(what + ": " + whyNot);
}

static void check(const cupti::CuptiApi &api, CUptiResult result,
                  const char *call, const std::string &what) {
  if (result != CUPTI_SUCCESS)
    throw std::runtime_error(what + ": " +
                             cupti::callFailed(api, call, result));
}

static const cuda::Session &requireSession(const std::string &what) {
  std::string whyNot;
  if (const cuda::Session *session = cuda::openSession(whyNot))
    return *session;
  throw std::runtime_error(what + ": no usable GPU: " + whyNot);
}

bool ssmrt::profile::cuptiAvailable(std::string &whyNot) {
  return cupti::loadCupti(whyNot) != nullptr;
}

//===----------------------------------------------------------------------===//
// Activity records
//===----------------------------------------------------------------------===//

namespace {
/// A kernel record, copied out of CUPTI's buffer.
struct RawKernel {
  uint32_t correlationId;
  std::string name;
  KernelRecord fields;
  uint64_t start, end;
};

/// Records parsed from completed buffers. Leaked on purpose.
struct ActivityStore {
  std::mutex mutex;
  const cupti::CuptiApi *api = nullptr;
  std::vector<RawKernel> kernels;
  std::unordered_map<uint32_t, uint64_t> launchOfCorrelation;
};
} // namespace

static ActivityStore &store() {
  static ActivityStore *activities = new ActivityStore();
  return *activities;
}

static constexpr size_t activityBufferBytes = 8 << 20;

static void CUPTIAPI bufferRequested(uint8_t **buffer, size_t *size,
                                     size_t *maxNumRecords) {
  *buffer = static_cast<uint8_t *>(std::aligned_alloc(8, activityBufferBytes));
  *size = *buffer ? activityBufferBytes : 0;
  *maxNumRecords = 0;
}

static void parseRecord(ActivityStore &activities, const CUpti_Activity *any) {
  if (any->kind == CUPTI_ACTIVITY_KIND_EXTERNAL_CORRELATION) {
    auto *record =
        reinterpret_cast<const CUpti_ActivityExternalCorrelation *>(any);
    if (record->externalKind == CUPTI_EXTERNAL_CORRELATION_KIND_CUSTOM0)
      activities.launchOfCorrelation[record->correlationId] =
          record->externalId;
    return;
  }
  if (any->kind != CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL &&
      any->kind != CUPTI_ACTIVITY_KIND_KERNEL)
    return;
  auto *record = reinterpret_cast<const CUpti_ActivityKernel10 *>(any);
  RawKernel kernel;
  kernel.correlationId = record->correlationId;
  kernel.name = record->name ? record->name : "";
  KernelRecord &fields = kernel.fields;
  fields.grid[0] = record->gridX;
  fields.grid[1] = record->gridY;
  fields.grid[2] = record->gridZ;
  fields.block[0] = record->blockX;
  fields.block[1] = record->blockY;
  fields.block[2] = record->blockZ;
  fields.registersPerThread = record->registersPerThread;
  fields.staticSharedBytes = record->staticSharedMemory;
  fields.dynamicSharedBytes = record->dynamicSharedMemory;
  fields.localBytesPerThread = record->localMemoryPerThread;
  kernel.start = record->start;
  kernel.end = record->end;
  activities.kernels.push_back(std::move(kernel));
}

static void CUPTIAPI bufferCompleted(CUcontext, uint32_t, uint8_t *buffer,
                                     size_t, size_t validSize) {
  ActivityStore &activities = store();
  {
    std::lock_guard<std::mutex> lock(activities.mutex);
    CUpti_Activity *record = nullptr;
    while (activities.api && activities.api->cuptiActivityGetNextRecord(
                                 buffer, validSize, &record) == CUPTI_SUCCESS)
      parseRecord(activities, record);
  }
  std::free(buffer);
}

namespace {
/// What the launch hook keeps while kernel records are on.
struct RecordingHook {
  const cupti::CuptiApi *api;
  std::vector<std::string> names; ///< Of the launches of the first call.
  uint64_t firstLaunch = 0;
  bool firstCall = true;
};
} // namespace

static void recordingHook(ssmrtLaunchPhase phase, const ssmrtLaunchInfo *info,
                          void *userData) {
  auto *hook = static_cast<RecordingHook *>(userData);
  if (phase == SSMRT_LAUNCH_BEGIN) {
    if (hook->firstCall)
      hook->names.push_back(info->kernelName);
    hook->api->cuptiActivityPushExternalCorrelationId(
        CUPTI_EXTERNAL_CORRELATION_KIND_CUSTOM0, info->launchIndex);
    return;
  }
  uint64_t ignored = 0;
  hook->api->cuptiActivityPopExternalCorrelationId(
      CUPTI_EXTERNAL_CORRELATION_KIND_CUSTOM0, &ignored);
}

static double median(std::vector<double> values) {
  if (values.empty())
    return 0.0;
  std::sort(values.begin(), values.end());
  size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid]
                           : 0.5 * (values[mid - 1] + values[mid]);
}

/// Turns the activity API on for kernels and external correlations (and
/// registers the buffer callbacks once per process).
static void enableActivities(const cupti::CuptiApi &api,
                             const std::string &what) {
  static std::once_flag registered;
  CUptiResult registration = CUPTI_SUCCESS;
  std::call_once(registered, [&] {
    store().api = &api;
    registration =
        api.cuptiActivityRegisterCallbacks(bufferRequested, bufferCompleted);
  });
  check(api, registration, "cuptiActivityRegisterCallbacks", what);
  check(api, api.cuptiActivityEnable(CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL),
        "cuptiActivityEnable(CONCURRENT_KERNEL)", what);
  check(api, api.cuptiActivityEnable(CUPTI_ACTIVITY_KIND_EXTERNAL_CORRELATION),
        "cuptiActivityEnable(EXTERNAL_CORRELATION)", what);
  // External correlation records accompany driver API records: without
  // them CUPTI 13 on an H100 emitted none (measured), and kernel records
  // could not be tied to launches.
  check(api, api.cuptiActivityEnable(CUPTI_ACTIVITY_KIND_DRIVER),
        "cuptiActivityEnable(DRIVER)", what);
}

static void disableActivities(const cupti::CuptiApi &api) {
  api.cuptiActivityDisable(CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL);
  api.cuptiActivityDisable(CUPTI_ACTIVITY_KIND_EXTERNAL_CORRELATION);
  api.cuptiActivityDisable(CUPTI_ACTIVITY_KIND_DRIVER);
}

std::vector<KernelRecord>
ssmrt::profile::collectKernelRecords(const std::function<void()> &call,
                                     int calls) {
  const std::string what = "kernel records";
  const cupti::CuptiApi &api = requireCupti(what);
  requireSession(what);
  calls = std::max(calls, 1);
  {
    ActivityStore &activities = store();
    std::lock_guard<std::mutex> lock(activities.mutex);
    activities.kernels.clear();
    activities.launchOfCorrelation.clear();
  }
  enableActivities(api, what);
  RecordingHook hook{&api};
  std::vector<std::pair<uint64_t, uint64_t>> callLaunches;
  try {
    ssmrtSetLaunchCallback(recordingHook, &hook);
    for (int c = 0; c < calls; ++c) {
      uint64_t first = ssmrtLaunchCount();
      call();
      callLaunches.emplace_back(first, ssmrtLaunchCount());
      hook.firstCall = false;
    }
    ssmrtSetLaunchCallback(nullptr, nullptr);
  } catch (...) {
    ssmrtSetLaunchCallback(nullptr, nullptr);
    disableActivities(api);
    throw;
  }
  CUptiResult flushed =
      api.cuptiActivityFlushAll(CUPTI_ACTIVITY_FLAG_FLUSH_FORCED);
  disableActivities(api);
  check(api, flushed, "cuptiActivityFlushAll", what);

  std::vector<ActivityKernel> kernels;
  {
    ActivityStore &activities = store();
    std::lock_guard<std::mutex> lock(activities.mutex);
    for (const RawKernel &raw : activities.kernels) {
      auto launch = activities.launchOfCorrelation.find(raw.correlationId);
      if (launch == activities.launchOfCorrelation.end())
        continue;
      ActivityKernel kernel;
      kernel.launchIndex = launch->second;
      kernel.name = raw.name;
      kernel.fields = raw.fields;
      kernel.startNs = raw.start;
      kernel.endNs = raw.end;
      kernels.push_back(std::move(kernel));
    }
  }
  return assignKernelRecords(kernels, callLaunches, hook.names);
}

std::vector<KernelRecord> ssmrt::profile::assignKernelRecords(
    const std::vector<ActivityKernel> &kernels,
    const std::vector<std::pair<uint64_t, uint64_t>> &calls,
    const std::vector<std::string> &launchNames) {
  if (calls.empty())
    return {};
  size_t launches = calls.front().second - calls.front().first;
  std::vector<KernelRecord> records(launches);
  std::vector<std::vector<double>> durations(launches);
  for (size_t i = 0; i < launches; ++i) {
    records[i].position = i;
    records[i].name = i < launchNames.size() ? launchNames[i] : "";
  }
  for (const ActivityKernel &kernel : kernels) {
    for (const auto &[first, end] : calls) {
      if (kernel.launchIndex < first || kernel.launchIndex >= end)
        continue;
      size_t position = kernel.launchIndex - first;
      if (position >= launches)
        break;
      KernelRecord &record = records[position];
      std::string name = kernel.name.empty() ? record.name : kernel.name;
      record = kernel.fields;
      record.position = position;
      record.name = name;
      durations[position].push_back(double(
          kernel.endNs > kernel.startNs ? kernel.endNs - kernel.startNs : 0));
      break;
    }
  }
  for (size_t i = 0; i < launches; ++i) {
    records[i].calls = durations[i].size();
    records[i].durationNs = median(durations[i]);
  }
  return records;
}

//===----------------------------------------------------------------------===//
// Counters
//===----------------------------------------------------------------------===//

std::string ssmrt::profile::deviceChipName() {
  const std::string what = "the GPU's chip name";
  const cupti::CuptiApi &api = requireCupti(what);
  const cuda::Session &session = requireSession(what);
  // cuptiDeviceGetChipName crashes (H100, CUPTI 13.0) unless the profiler
  // is initialised first, as NVIDIA's samples do.
  CUpti_Profiler_Initialize_Params init = {
      CUpti_Profiler_Initialize_Params_STRUCT_SIZE};
  check(api, api.cuptiProfilerInitialize(&init), "cuptiProfilerInitialize",
        what);
  CUpti_Device_GetChipName_Params params = {
      CUpti_Device_GetChipName_Params_STRUCT_SIZE};
  params.deviceIndex = static_cast<size_t>(session.ordinal);
  CUptiResult result = api.cuptiDeviceGetChipName(&params);
  std::string name =
      result == CUPTI_SUCCESS && params.pChipName ? params.pChipName : "";
  CUpti_Profiler_DeInitialize_Params deinit = {
      CUpti_Profiler_DeInitialize_Params_STRUCT_SIZE};
  api.cuptiProfilerDeInitialize(&deinit);
  check(api, result, "cuptiDeviceGetChipName", what);
  return name;
}

namespace {
/// Names every launch's range and opens and closes it around the launch.
struct RangeHook {
  const cupti::CuptiApi *api;
  CUpti_RangeProfiler_Object *object;
  uint64_t firstLaunch = 0;
  std::string name; ///< Of the open range: CUPTI may keep the pointer.
  CUptiResult error = CUPTI_SUCCESS;
  const char *failedCall = nullptr;
};
} // namespace

static void rangeHook(ssmrtLaunchPhase phase, const ssmrtLaunchInfo *info,
                      void *userData) {
  auto *hook = static_cast<RangeHook *>(userData);
  if (phase == SSMRT_LAUNCH_BEGIN) {
    char prefix[32];
    std::snprintf(
        prefix, sizeof(prefix), "%03llu ",
        static_cast<unsigned long long>(info->launchIndex - hook->firstLaunch));
    hook->name = std::string(prefix) + info->kernelName;
    CUpti_RangeProfiler_PushRange_Params params = {
        CUpti_RangeProfiler_PushRange_Params_STRUCT_SIZE};
    params.pRangeProfilerObject = hook->object;
    params.pRangeName = hook->name.c_str();
    CUptiResult result = hook->api->cuptiRangeProfilerPushRange(&params);
    if (result != CUPTI_SUCCESS && hook->error == CUPTI_SUCCESS) {
      hook->error = result;
      hook->failedCall = "cuptiRangeProfilerPushRange";
    }
    return;
  }
  CUpti_RangeProfiler_PopRange_Params params = {
      CUpti_RangeProfiler_PopRange_Params_STRUCT_SIZE};
  params.pRangeProfilerObject = hook->object;
  CUptiResult result = hook->api->cuptiRangeProfilerPopRange(&params);
  if (result != CUPTI_SUCCESS && hook->error == CUPTI_SUCCESS) {
    hook->error = result;
    hook->failedCall = "cuptiRangeProfilerPopRange";
  }
}

namespace {
/// The profiler initialised and enabled on the session's context; disabled
/// and deinitialised on destruction, whatever happened in between.
class RangeProfilerSession {
public:
  RangeProfilerSession(const cupti::CuptiApi &api, CUcontext context,
                       const std::string &what)
      : api(api) {
    CUpti_Profiler_Initialize_Params init = {
        CUpti_Profiler_Initialize_Params_STRUCT_SIZE};
    check(api, api.cuptiProfilerInitialize(&init), "cuptiProfilerInitialize",
          what);
    initialized = true;
    CUpti_RangeProfiler_Enable_Params enable = {
        CUpti_RangeProfiler_Enable_Params_STRUCT_SIZE};
    enable.ctx = context;
    CUptiResult result = api.cuptiRangeProfilerEnable(&enable);
    if (result != CUPTI_SUCCESS) {
      deinitialize();
      check(api, result, "cuptiRangeProfilerEnable", what);
    }
    object = enable.pRangeProfilerObject;
  }
  ~RangeProfilerSession() {
    if (object) {
      CUpti_RangeProfiler_Disable_Params disable = {
          CUpti_RangeProfiler_Disable_Params_STRUCT_SIZE};
      disable.pRangeProfilerObject = object;
      api.cuptiRangeProfilerDisable(&disable);
    }
    deinitialize();
  }
  RangeProfilerSession(const RangeProfilerSession &) = delete;
  RangeProfilerSession &operator=(const RangeProfilerSession &) = delete;
  CUpti_RangeProfiler_Object *get() const { return object; }

private:
  void deinitialize() {
    if (!initialized)
      return;
    CUpti_Profiler_DeInitialize_Params params = {
        CUpti_Profiler_DeInitialize_Params_STRUCT_SIZE};
    api.cuptiProfilerDeInitialize(&params);
    initialized = false;
  }
  const cupti::CuptiApi &api;
  CUpti_RangeProfiler_Object *object = nullptr;
  bool initialized = false;
};
} // namespace

namespace {
/// Runs a function when the scope ends, however it ends.
class AtExit {
public:
  explicit AtExit(std::function<void()> fn) : fn(std::move(fn)) {}
  ~AtExit() { fn(); }
  AtExit(const AtExit &) = delete;
  AtExit &operator=(const AtExit &) = delete;

private:
  std::function<void()> fn;
};
} // namespace

/// Evaluates every range of the decoded counter data with the Host API.
static std::vector<LaunchCounters>
evaluateRanges(const cupti::CuptiApi &api, const MetricPlan &plan,
               std::vector<uint8_t> &counterData, const std::string &what) {
  CUpti_RangeProfiler_GetCounterDataInfo_Params info = {
      CUpti_RangeProfiler_GetCounterDataInfo_Params_STRUCT_SIZE};
  info.pCounterDataImage = counterData.data();
  info.counterDataImageSize = counterData.size();
  check(api, api.cuptiRangeProfilerGetCounterDataInfo(&info),
        "cuptiRangeProfilerGetCounterDataInfo", what);

  CUpti_Profiler_Host_Initialize_Params hostInit = {
      CUpti_Profiler_Host_Initialize_Params_STRUCT_SIZE};
  hostInit.profilerType = CUPTI_PROFILER_TYPE_RANGE_PROFILER;
  hostInit.pChipName = plan.chip.c_str();
  check(api, api.cuptiProfilerHostInitialize(&hostInit),
        "cuptiProfilerHostInitialize", what);
  AtExit deinitialize([&] {
    CUpti_Profiler_Host_Deinitialize_Params params = {
        CUpti_Profiler_Host_Deinitialize_Params_STRUCT_SIZE};
    params.pHostObject = hostInit.pHostObject;
    api.cuptiProfilerHostDeinitialize(&params);
  });

  std::vector<std::string> names = plan.names();
  std::vector<const char *> metricNames;
  for (const std::string &name : names)
    metricNames.push_back(name.c_str());
  // The evaluating object knows the metrics as the configuring one did.
  CUpti_Profiler_Host_ConfigAddMetrics_Params add = {
      CUpti_Profiler_Host_ConfigAddMetrics_Params_STRUCT_SIZE};
  add.pHostObject = hostInit.pHostObject;
  add.ppMetricNames = metricNames.data();
  add.numMetrics = metricNames.size();
  check(api, api.cuptiProfilerHostConfigAddMetrics(&add),
        "cuptiProfilerHostConfigAddMetrics", what);
  std::vector<LaunchCounters> ranges(info.numTotalRanges);
  for (size_t i = 0; i < ranges.size(); ++i) {
    CUpti_RangeProfiler_CounterData_GetRangeInfo_Params range = {
        CUpti_RangeProfiler_CounterData_GetRangeInfo_Params_STRUCT_SIZE};
    range.pCounterDataImage = counterData.data();
    range.counterDataImageSize = counterData.size();
    range.rangeIndex = i;
    range.rangeDelimiter = "/";
    check(api, api.cuptiRangeProfilerCounterDataGetRangeInfo(&range),
          "cuptiRangeProfilerCounterDataGetRangeInfo", what);
    ranges[i].rangeName = range.rangeName ? range.rangeName : "";
    ranges[i].values.assign(metricNames.size(), 0.0);
    CUpti_Profiler_Host_EvaluateToGpuValues_Params evaluate = {
        CUpti_Profiler_Host_EvaluateToGpuValues_Params_STRUCT_SIZE};
    evaluate.pHostObject = hostInit.pHostObject;
    evaluate.pCounterDataImage = counterData.data();
    evaluate.counterDataImageSize = counterData.size();
    evaluate.rangeIndex = i;
    evaluate.ppMetricNames = metricNames.data();
    evaluate.numMetrics = metricNames.size();
    evaluate.pMetricValues = ranges[i].values.data();
    check(api, api.cuptiProfilerHostEvaluateToGpuValues(&evaluate),
          "cuptiProfilerHostEvaluateToGpuValues", what);
  }
  // Ranges come back in the order they were opened; the name's prefix is
  // the launch position, so sorting by name keeps that order regardless.
  std::stable_sort(ranges.begin(), ranges.end(),
                   [](const LaunchCounters &a, const LaunchCounters &b) {
                     return a.rangeName < b.rangeName;
                   });
  return ranges;
}

std::vector<LaunchCounters> ssmrt::profile::collectCounters(
    const MetricPlan &plan, const std::function<void()> &call,
    const std::function<void(size_t, size_t)> &progress) {
  const std::string what = "counters";
  const cupti::CuptiApi &api = requireCupti(what);
  const cuda::Session &session = requireSession(what);

  // One unprofiled call counts the launches: one range each.
  uint64_t before = ssmrtLaunchCount();
  call();
  size_t launches = ssmrtLaunchCount() - before;
  if (launches == 0)
    return {};

  RangeProfilerSession profiler(api, session.context, what);
  std::vector<std::string> names = plan.names();
  std::vector<const char *> metricNames;
  for (const std::string &name : names)
    metricNames.push_back(name.c_str());
  CUpti_RangeProfiler_GetCounterDataSize_Params size = {
      CUpti_RangeProfiler_GetCounterDataSize_Params_STRUCT_SIZE};
  size.pRangeProfilerObject = profiler.get();
  size.pMetricNames = metricNames.data();
  size.numMetrics = metricNames.size();
  size.maxNumOfRanges = launches;
  size.maxNumRangeTreeNodes = static_cast<uint32_t>(launches);
  check(api, api.cuptiRangeProfilerGetCounterDataSize(&size),
        "cuptiRangeProfilerGetCounterDataSize", what);
  std::vector<uint8_t> counterData(size.counterDataSize);
  CUpti_RangeProfiler_CounterDataImage_Initialize_Params image = {
      CUpti_RangeProfiler_CounterDataImage_Initialize_Params_STRUCT_SIZE};
  image.pRangeProfilerObject = profiler.get();
  image.counterDataSize = counterData.size();
  image.pCounterData = counterData.data();
  check(api, api.cuptiRangeProfilerCounterDataImageInitialize(&image),
        "cuptiRangeProfilerCounterDataImageInitialize", what);

  CUpti_RangeProfiler_SetConfig_Params config = {
      CUpti_RangeProfiler_SetConfig_Params_STRUCT_SIZE};
  config.pRangeProfilerObject = profiler.get();
  config.configSize = plan.configImage.size();
  config.pConfig = plan.configImage.data();
  config.counterDataImageSize = counterData.size();
  config.pCounterDataImage = counterData.data();
  config.range = CUPTI_UserRange;
  config.replayMode = CUPTI_UserReplay;
  config.maxRangesPerPass = launches;
  config.numNestingLevels = 1;
  config.minNestingLevel = 1;
  config.passIndex = 0;
  config.targetNestingLevel = 1;
  check(api, api.cuptiRangeProfilerSetConfig(&config),
        "cuptiRangeProfilerSetConfig", what);

  RangeHook hook{&api, profiler.get()};
  bool allSubmitted = false;
  // A bound on the loop, should CUPTI never say it is done.
  size_t maxPasses = std::max<size_t>(plan.passes, 1) + 2;
  for (size_t pass = 0; !allSubmitted && pass < maxPasses; ++pass) {
    if (progress)
      progress(pass, plan.passes);
    CUpti_RangeProfiler_Start_Params start = {
        CUpti_RangeProfiler_Start_Params_STRUCT_SIZE};
    start.pRangeProfilerObject = profiler.get();
    check(api, api.cuptiRangeProfilerStart(&start), "cuptiRangeProfilerStart",
          what);
    hook.firstLaunch = ssmrtLaunchCount();
    {
      ssmrtSetLaunchCallback(rangeHook, &hook);
      AtExit unhook([] { ssmrtSetLaunchCallback(nullptr, nullptr); });
      call();
    }
    if (hook.error != CUPTI_SUCCESS)
      check(api, hook.error, hook.failedCall, what);
    CUpti_RangeProfiler_Stop_Params stop = {
        CUpti_RangeProfiler_Stop_Params_STRUCT_SIZE};
    stop.pRangeProfilerObject = profiler.get();
    check(api, api.cuptiRangeProfilerStop(&stop), "cuptiRangeProfilerStop",
          what);
    allSubmitted = stop.isAllPassSubmitted != 0;
  }
  if (!allSubmitted)
    throw std::runtime_error(what + ": CUPTI still wanted passes after " +
                             std::to_string(maxPasses));

  CUpti_RangeProfiler_DecodeData_Params decode = {
      CUpti_RangeProfiler_DecodeData_Params_STRUCT_SIZE};
  decode.pRangeProfilerObject = profiler.get();
  check(api, api.cuptiRangeProfilerDecodeData(&decode),
        "cuptiRangeProfilerDecodeData", what);
  if (decode.numOfRangeDropped)
    throw std::runtime_error(what + ": CUPTI dropped " +
                             std::to_string(decode.numOfRangeDropped) + " of " +
                             std::to_string(launches) + " ranges");
  return evaluateRanges(api, plan, counterData, what);
}

//===----------------------------------------------------------------------===//
// The device
//===----------------------------------------------------------------------===//

double ssmrt::profile::measureCopyBandwidth(size_t bytes, int repeats) {
  struct Buffer {
    void *p;
    explicit Buffer(size_t bytes) : p(device::alloc(bytes)) {}
    ~Buffer() { device::free(p); }
  };
  Buffer source(bytes), target(bytes);
  // The first copy pays for first touches.
  mgpuMemcpy(target.p, source.p, bytes, nullptr);
  device::synchronize();
  double best = 0.0;
  for (int i = 0; i < std::max(repeats, 1); ++i) {
    double ms =
        device::timeMs([&] { mgpuMemcpy(target.p, source.p, bytes, nullptr); });
    if (ms > 0.0)
      best = std::max(best, 2.0 * double(bytes) / (ms * 1e-3));
  }
  return best;
}

double DeviceFacts::peakFlops() const {
  return double(multiprocessors) * 128.0 * 2.0 * double(smClockMHz) * 1e6;
}

double DeviceFacts::peakXu() const {
  return double(multiprocessors) * 0.5 * double(smClockMHz) * 1e6;
}

DeviceFacts ssmrt::profile::deviceFacts() {
  const std::string what = "device facts";
  const cuda::Session &session = requireSession(what);
  auto attribute = [&](CUdevice_attribute which) {
    int value = 0;
    session.api.cuDeviceGetAttribute(&value, which, session.device);
    return value;
  };
  DeviceFacts facts;
  facts.multiprocessors = attribute(CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
  facts.smClockMHz = attribute(CU_DEVICE_ATTRIBUTE_CLOCK_RATE) / 1000;
  facts.memClockMHz = attribute(CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE) / 1000;
  facts.memBusWidthBits =
      attribute(CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH);
  session.api.cuDriverGetVersion(&facts.driverVersion);
  std::string ignored;
  if (const cupti::CuptiApi *api = cupti::loadCupti(ignored)) {
    uint32_t version = 0;
    if (api->cuptiGetVersion(&version) == CUPTI_SUCCESS)
      facts.cuptiVersion = version;
  }
  return facts;
}
