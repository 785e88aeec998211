//===- Metrics.cpp - Which hardware counters to read, and their cost ------===//
//
// Part of the ssm project: an MLIR compiler and runtime for state space models.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Profile/Metrics.h"

#include "Cupti.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>

using namespace ssmrt;
using namespace ssmrt::profile;

const std::vector<std::string> &ssmrt::profile::defaultMetrics() {
  static const std::vector<std::string> names = {
      metric::dramRead,
      metric::dramWrite,
      metric::duration,
      "sm__throughput.avg.pct_of_peak_sustained_elapsed",
      "gpu__compute_memory_throughput.avg.pct_of_peak_sustained_elapsed",
      "sm__warps_active.avg.pct_of_peak_sustained_active",
      "l1tex__t_sector_hit_rate.pct",
      "lts__t_sector_hit_rate.pct",
      "smsp__inst_executed.sum",
      metric::ffma,
      metric::fadd,
      metric::fmul,
      metric::xu,
      metric::smFrequency,
      metric::dramFrequency,
  };
  return names;
}

/// The stall reasons of sm_90, as Nsight Compute names them.
static const char *const stallReasons[] = {
    "barrier",
    "branch_resolving",
    "dispatch_stall",
    "drain",
    "imc_miss",
    "lg_throttle",
    "long_scoreboard",
    "math_pipe_throttle",
    "membar",
    "mio_throttle",
    "misc",
    "no_instruction",
    "not_selected",
    "selected",
    "short_scoreboard",
    "sleeping",
    "tex_throttle",
    "wait",
};

const std::vector<std::string> &ssmrt::profile::stallMetrics() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> result;
    for (const char *reason : stallReasons)
      result.push_back(std::string("smsp__average_warps_issue_stalled_") +
                       reason + "_per_issue_active.ratio");
    return result;
  }();
  return names;
}

static bool looksLikeMetricName(const std::string &name) {
  if (name.find("__") == std::string::npos || name.front() == '_')
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '.';
  });
}

std::vector<std::string>
ssmrt::profile::parseMetricList(const std::string &spec) {
  if (spec.empty())
    throw std::runtime_error(
        "--metrics: empty list (give default, stalls or metric names)");
  std::vector<std::string> names;
  auto add = [&names](const std::string &name) {
    if (std::find(names.begin(), names.end(), name) == names.end())
      names.push_back(name);
  };
  size_t start = 0;
  while (true) {
    size_t comma = spec.find(',', start);
    std::string item = spec.substr(
        start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty())
      throw std::runtime_error("--metrics: empty item in '" + spec + "'");
    if (item == "default")
      for (const std::string &name : defaultMetrics())
        add(name);
    else if (item == "stalls")
      for (const std::string &name : stallMetrics())
        add(name);
    else if (looksLikeMetricName(item))
      add(item);
    else
      throw std::runtime_error(
          "--metrics: '" + item +
          "' is neither default, stalls nor a metric name such as "
          "dram__bytes_read.sum");
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return names;
}

std::string ssmrt::profile::shortMetricName(const std::string &name) {
  static const std::map<std::string, std::string> names = {
      {metric::dramRead, "dram_rd"},
      {metric::dramWrite, "dram_wr"},
      {metric::duration, "gpu_ns"},
      {"sm__throughput.avg.pct_of_peak_sustained_elapsed", "sm%"},
      {"gpu__compute_memory_throughput.avg.pct_of_peak_sustained_elapsed",
       "mem%"},
      {"sm__warps_active.avg.pct_of_peak_sustained_active", "occ%"},
      {"l1tex__t_sector_hit_rate.pct", "l1hit%"},
      {"lts__t_sector_hit_rate.pct", "l2hit%"},
      {"smsp__inst_executed.sum", "inst"},
      {metric::ffma, "ffma"},
      {metric::fadd, "fadd"},
      {metric::fmul, "fmul"},
      {metric::xu, "xu_inst"},
      {metric::smFrequency, "sm_MHz"},
      {metric::dramFrequency, "dram_MHz"},
  };
  auto it = names.find(name);
  if (it != names.end())
    return it->second;
  static const std::string stallPrefix = "smsp__average_warps_issue_stalled_";
  static const std::string stallSuffix = "_per_issue_active.ratio";
  if (name.rfind(stallPrefix, 0) == 0 &&
      name.size() > stallPrefix.size() + stallSuffix.size() &&
      name.compare(name.size() - stallSuffix.size(), stallSuffix.size(),
                   stallSuffix) == 0)
    return "stall_" +
           name.substr(stallPrefix.size(),
                       name.size() - stallPrefix.size() - stallSuffix.size());
  return name;
}

std::vector<std::string> MetricPlan::names() const {
  std::vector<std::string> result;
  for (const MetricInfo &info : metrics)
    result.push_back(info.name);
  return result;
}

static const cupti::CuptiApi &requireCupti() {
  std::string whyNot;
  if (const cupti::CuptiApi *api = cupti::loadCupti(whyNot))
    return *api;
  throw std::runtime_error(whyNot);
}

std::vector<std::string> ssmrt::profile::supportedChips() {
  const cupti::CuptiApi &api = requireCupti();
  CUpti_Profiler_Host_GetSupportedChips_Params params = {
      CUpti_Profiler_Host_GetSupportedChips_Params_STRUCT_SIZE};
  if (CUptiResult result = api.cuptiProfilerHostGetSupportedChips(&params))
    throw std::runtime_error(
        cupti::callFailed(api, "cuptiProfilerHostGetSupportedChips", result));
  std::vector<std::string> chips;
  for (size_t i = 0; i < params.numChips; ++i)
    chips.push_back(params.ppChipNames[i]);
  return chips;
}

namespace {
/// A Host API object for one chip, deinitialised on destruction.
class HostObject {
public:
  HostObject(const cupti::CuptiApi &api, const std::string &chip) : api(api) {
    CUpti_Profiler_Host_Initialize_Params params = {
        CUpti_Profiler_Host_Initialize_Params_STRUCT_SIZE};
    params.profilerType = CUPTI_PROFILER_TYPE_RANGE_PROFILER;
    params.pChipName = chip.c_str();
    if (CUptiResult result = api.cuptiProfilerHostInitialize(&params))
      throw std::runtime_error(
          "cannot read the metrics of chip '" + chip + "': " +
          cupti::callFailed(api, "cuptiProfilerHostInitialize", result));
    object = params.pHostObject;
  }
  ~HostObject() {
    CUpti_Profiler_Host_Deinitialize_Params params = {
        CUpti_Profiler_Host_Deinitialize_Params_STRUCT_SIZE};
    params.pHostObject = object;
    api.cuptiProfilerHostDeinitialize(&params);
  }
  HostObject(const HostObject &) = delete;
  HostObject &operator=(const HostObject &) = delete;
  CUpti_Profiler_Host_Object *get() const { return object; }

private:
  const cupti::CuptiApi &api;
  CUpti_Profiler_Host_Object *object = nullptr;
};
} // namespace

MetricPlan
ssmrt::profile::planMetrics(const std::string &chip,
                            const std::vector<std::string> &metrics) {
  const cupti::CuptiApi &api = requireCupti();
  if (metrics.empty())
    throw std::runtime_error("no metrics to collect");
  MetricPlan plan;
  plan.chip = chip;
  HostObject host(api, chip);
  for (const std::string &name : metrics) {
    CUpti_Profiler_Host_GetMetricProperties_Params params = {
        CUpti_Profiler_Host_GetMetricProperties_Params_STRUCT_SIZE};
    params.pHostObject = host.get();
    params.pMetricName = name.c_str();
    CUptiResult result = api.cuptiProfilerHostGetMetricProperties(&params);
    if (result == CUPTI_ERROR_INVALID_METRIC_NAME)
      throw std::runtime_error("unknown metric '" + name + "' for " + chip +
                               " (names as Nsight Compute's `ncu "
                               "--query-metrics` lists them, with a rollup "
                               "such as .sum or .avg)");
    if (result != CUPTI_SUCCESS)
      throw std::runtime_error(
          "metric '" + name + "': " +
          cupti::callFailed(api, "cuptiProfilerHostGetMetricProperties",
                            result));
    plan.metrics.push_back({name,
                            params.pDescription ? params.pDescription : "",
                            params.pDimUnit ? params.pDimUnit : ""});
  }
  std::vector<const char *> names;
  for (const std::string &name : metrics)
    names.push_back(name.c_str());
  CUpti_Profiler_Host_ConfigAddMetrics_Params add = {
      CUpti_Profiler_Host_ConfigAddMetrics_Params_STRUCT_SIZE};
  add.pHostObject = host.get();
  add.ppMetricNames = names.data();
  add.numMetrics = names.size();
  if (CUptiResult result = api.cuptiProfilerHostConfigAddMetrics(&add))
    throw std::runtime_error(
        "cannot schedule the metrics for " + chip + ": " +
        cupti::callFailed(api, "cuptiProfilerHostConfigAddMetrics", result));
  CUpti_Profiler_Host_GetConfigImageSize_Params size = {
      CUpti_Profiler_Host_GetConfigImageSize_Params_STRUCT_SIZE};
  size.pHostObject = host.get();
  if (CUptiResult result = api.cuptiProfilerHostGetConfigImageSize(&size))
    throw std::runtime_error(
        cupti::callFailed(api, "cuptiProfilerHostGetConfigImageSize", result));
  plan.configImage.resize(size.configImageSize);
  CUpti_Profiler_Host_GetConfigImage_Params image = {
      CUpti_Profiler_Host_GetConfigImage_Params_STRUCT_SIZE};
  image.pHostObject = host.get();
  image.configImageSize = plan.configImage.size();
  image.pConfigImage = plan.configImage.data();
  if (CUptiResult result = api.cuptiProfilerHostGetConfigImage(&image))
    throw std::runtime_error(
        cupti::callFailed(api, "cuptiProfilerHostGetConfigImage", result));
  CUpti_Profiler_Host_GetNumOfPasses_Params passes = {
      CUpti_Profiler_Host_GetNumOfPasses_Params_STRUCT_SIZE};
  passes.configImageSize = plan.configImage.size();
  passes.pConfigImage = plan.configImage.data();
  if (CUptiResult result = api.cuptiProfilerHostGetNumOfPasses(&passes))
    throw std::runtime_error(
        cupti::callFailed(api, "cuptiProfilerHostGetNumOfPasses", result));
  plan.passes = passes.numOfPasses;
  return plan;
}
