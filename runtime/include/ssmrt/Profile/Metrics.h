//===- Metrics.h - Which hardware counters to read, and their cost -*- C++ -*-//
//
// Part of the ssm project: an MLIR compiler and runtime for state space models.
//
//===----------------------------------------------------------------------===//
//
// `ssm-run --metrics SPEC` names hardware metrics by the names Nsight Compute
// uses (`dram__bytes_read.sum`, ...). SPEC is a comma-separated list whose
// items are metric names or the sets `default` and `stalls`. A list is
// validated for a chip ("GH100" for the H100 and H200) through CUPTI's
// Profiler Host API, which also says how many passes (replays of the entry)
// collecting it takes. That API runs without a GPU and without a driver, so
// metric lists are checked on any machine that has the CUDA toolkit.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_PROFILE_METRICS_H
#define SSMRT_PROFILE_METRICS_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ssmrt::profile {

/// Names of the metrics the derived figures read.
namespace metric {
inline constexpr const char *dramRead = "dram__bytes_read.sum";
inline constexpr const char *dramWrite = "dram__bytes_write.sum";
inline constexpr const char *duration = "gpu__time_duration.sum";
inline constexpr const char *ffma =
    "smsp__sass_thread_inst_executed_op_ffma_pred_on.sum";
inline constexpr const char *fadd =
    "smsp__sass_thread_inst_executed_op_fadd_pred_on.sum";
inline constexpr const char *fmul =
    "smsp__sass_thread_inst_executed_op_fmul_pred_on.sum";
inline constexpr const char *xu = "sm__inst_executed_pipe_xu.sum";
/// The clocks while the kernel ran (CUPTI locks none): cycles per second.
inline constexpr const char *smFrequency = "sm__cycles_elapsed.avg.per_second";
inline constexpr const char *dramFrequency =
    "dram__cycles_elapsed.avg.per_second";
} // namespace metric

/// `--metrics default`: DRAM bytes read and written, duration, SM and memory
/// throughput (% of peak), achieved occupancy, L1 and L2 hit rates,
/// instructions executed, the f32 add/mul/fma counts that give the
/// arithmetic intensity, the XU (special-function) pipe's instructions, and
/// the SM and DRAM clocks while the kernel ran. Ten
/// passes on GH100 (sm__throughput alone takes eight).
const std::vector<std::string> &defaultMetrics();

/// `--metrics stalls`: the average number of warps stalled per issued
/// instruction, one metric per stall reason.
const std::vector<std::string> &stallMetrics();

/// Expands SPEC into metric names, in order, without repeats. Throws
/// std::runtime_error for an empty SPEC or an empty item ("a,,b") and for an
/// item that is no metric name (a name is lower case letters, digits, '_' and
/// '.', and has a "__" between the unit and the counter).
std::vector<std::string> parseMetricList(const std::string &spec);

/// A short column title for a metric in the table ("dram_rd" for
/// dram__bytes_read.sum); the name itself for metrics without one.
std::string shortMetricName(const std::string &name);

/// What the Host API says about one metric.
struct MetricInfo {
  std::string name;
  std::string description;
  std::string unit; ///< "byte", "nanosecond", "percent", ...
};

/// A metric list checked for one chip.
struct MetricPlan {
  std::string chip;
  std::vector<MetricInfo> metrics;
  size_t passes = 0; ///< Replays of the entry that collecting takes.
  std::vector<uint8_t> configImage; ///< For the Range Profiler.

  std::vector<std::string> names() const;
};

/// Checks `metrics` for `chip` ("GH100") and counts the passes. Throws
/// std::runtime_error: naming the metric when one is unknown for the chip
/// ("unknown metric 'dram__bytez_read.sum' for GH100"), naming the chip when
/// CUPTI does not know it, and saying why when CUPTI cannot be loaded.
MetricPlan planMetrics(const std::string &chip,
                       const std::vector<std::string> &metrics);

/// The chip names the Host API accepts ("GA100", "GH100", ...); throws like
/// planMetrics when CUPTI cannot be loaded.
std::vector<std::string> supportedChips();

} // namespace ssmrt::profile

#endif // SSMRT_PROFILE_METRICS_H
