//===- Cupti.cpp - CUPTI, loaded at run time ------------------------------===//
//
// Part of the ssm project: an MLIR compiler and runtime for state space models.
//
//===----------------------------------------------------------------------===//

#include "Cupti.h"

#include <dlfcn.h>

#include <cstdlib>
#include <vector>

using namespace ssmrt::cupti;

template <typename Fn>
static bool resolve(void *library, const char *symbol, Fn &slot) {
  slot = reinterpret_cast<Fn>(dlsym(library, symbol));
  return slot != nullptr;
}

const CuptiApi *ssmrt::cupti::loadCuptiFrom(const std::string &path,
                                            std::string &whyNot) {
  void *library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *detail = dlerror();
    whyNot = detail ? detail : path + ": dlopen failed";
    return nullptr;
  }
  // Never dlclose'd: activity buffers may be completed at exit.
  auto *api = new CuptiApi();
  api->path = path;
  std::string missing;
#define SSMRT_CUPTI_RESOLVE(name)                                              \
  if (!resolve(library, #name, api->name))                                     \
    missing += std::string(missing.empty() ? "" : ", ") + #name;
  SSMRT_CUPTI_FUNCTIONS(SSMRT_CUPTI_RESOLVE)
#undef SSMRT_CUPTI_RESOLVE
  if (!missing.empty()) {
    delete api;
    dlclose(library);
    whyNot = path + " lacks " + missing +
             " (a CUPTI older than CUDA 13's, which has the Range Profiler?)";
    return nullptr;
  }
  return api;
}

/// The places loadCupti tries, in order.
static std::vector<std::string> candidates() {
  if (const char *override = std::getenv("SSMRT_CUPTI_LIBRARY"))
    if (*override)
      return {override};
  std::vector<std::string> paths = {"libcupti.so.13", "libcupti.so"};
  if (const char *home = std::getenv("CUDA_HOME"))
    if (*home)
      paths.push_back(std::string(home) + "/lib64/libcupti.so");
  paths.push_back("/usr/local/cuda/lib64/libcupti.so");
  paths.push_back("/usr/local/cuda/extras/CUPTI/lib64/libcupti.so");
  return paths;
}

const CuptiApi *ssmrt::cupti::loadCupti(std::string &whyNot) {
  static const std::pair<const CuptiApi *, std::string> outcome = [] {
    std::string reasons;
    for (const std::string &path : candidates()) {
      std::string reason;
      if (const CuptiApi *api = loadCuptiFrom(path, reason))
        return std::make_pair(api, std::string());
      // Keep the reason of a library that loaded but was unusable, and name
      // every place that had none.
      reasons += (reasons.empty() ? "" : "; ") + reason;
    }
    return std::make_pair(
        static_cast<const CuptiApi *>(nullptr),
        "CUPTI (libcupti.so of the CUDA toolkit) not found: " + reasons);
  }();
  if (!outcome.first)
    whyNot = outcome.second;
  return outcome.first;
}

std::string ssmrt::cupti::errorText(const CuptiApi &api, CUptiResult result) {
  const char *name = nullptr;
  if (api.cuptiGetResultString(result, &name) != CUPTI_SUCCESS || !name)
    name = "CUPTI_ERROR_UNKNOWN";
  std::string text = name;
  switch (result) {
  case CUPTI_ERROR_INSUFFICIENT_PRIVILEGES:
    text += " (ERR_NVGPUCTRPERM: this user may not read the GPU's performance "
            "counters; run as root, or load the driver with "
            "NVreg_RestrictProfilingToAdminUsers=0: "
            "https://developer.nvidia.com/ERR_NVGPUCTRPERM)";
    break;
  case CUPTI_ERROR_NOT_SUPPORTED:
  case CUPTI_ERROR_CMP_DEVICE_NOT_SUPPORTED:
    text += " (this GPU or its configuration does not support profiling, "
            "e.g. a MIG or vGPU partition)";
    break;
  case CUPTI_ERROR_MULTIPLE_SUBSCRIBERS_NOT_SUPPORTED:
    text += " (another profiler, such as ncu or nsys, is attached)";
    break;
  default:
    break;
  }
  return text;
}

std::string ssmrt::cupti::callFailed(const CuptiApi &api, const char *call,
                                     CUptiResult result) {
  return std::string(call) + " failed: " + errorText(api, result);
}
