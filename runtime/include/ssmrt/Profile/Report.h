//===- Report.h - Kernel tables, JSON and CSV reports -----------*- C++ -*-===//
//
// Part of the ssm project: an MLIR compiler and runtime for state space models.
//
//===----------------------------------------------------------------------===//
//
// What `ssm-run --kernels / --metrics / --report DIR` writes about one entry
// of one binary: where it ran (device, clocks, driver, CUPTI), what it is
// (binary, entry, the lowering choices of its manifest), and a row per
// kernel launch of one call (the activity record, the counters, the derived
// figures), with totals per call. The writers are pure: a Report in, text
// out, so that tests compare them with expected files.
//
// - formatKernelTable: the table on stdout. Columns: launch position, kernel,
//   grid, block, registers, shared memory (static+dynamic bytes), local
//   memory per thread, time (us); with DRAM counters: MB read and written,
//   GB/s, % of the measured peak, flops per byte, the binding floor and the
//   fraction of it reached; then every other counter by its short name.
// - reportJson: everything, as one JSON object (format "ssm-profile",
//   version 1).
// - reportCsv: a header and a line per launch, for spreadsheets.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_PROFILE_REPORT_H
#define SSMRT_PROFILE_REPORT_H

#include "ssmrt/Profile/Collect.h"
#include "ssmrt/Profile/Derived.h"
#include "ssmrt/Profile/Metrics.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ssmrt::profile {

/// One launch of the call.
struct ReportKernel {
  size_t position = 0;
  std::string name;
  std::optional<KernelRecord> record; ///< Absent without CUPTI.
  std::vector<double> counters;       ///< Report::metrics order; or empty.
  Derived derived;
};

/// The device, where the binary ran on one.
struct ReportDevice {
  std::string name;
  std::string chip; ///< CUPTI's ("GH100"), or "" without CUPTI.
  int ccMajor = 0, ccMinor = 0;
  int multiprocessors = 0;
  int smClockMHz = 0, memClockMHz = 0;
  double totalMemGiB = 0.0;
  int driverVersion = 0;
  unsigned cuptiVersion = 0;
};

struct Report {
  std::string binary;
  std::string entry;
  std::string target; ///< "gpu" or "cpu".
  std::string chip;   ///< The binary's, e.g. "sm_90".
  std::string module;
  std::string pipeline;
  std::map<std::string, std::string> options; ///< lowering.options.
  /// Each op of the entry: its name and its lowering choices.
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> ops;
  std::optional<ReportDevice> device;
  Peaks peaks;
  double timeMedianMs = 0.0;       ///< Per call; 0 when not timed.
  double kernelTimeMedianMs = 0.0; ///< Kernels alone; 0 when not timed.
  std::vector<MetricInfo> metrics;
  size_t passes = 0;
  std::vector<ReportKernel> kernels;
  /// Why something is missing ("counters: not collected: ...").
  std::vector<std::string> notes;
};

/// Puts each launch's counters on the kernel of its position, read from the
/// range name ("003 ssm_scan" is position 3), adding kernels for positions
/// not there yet (named after the range). Returns the number of ranges
/// whose name has no position (ignored).
size_t attachCounters(std::vector<ReportKernel> &kernels,
                      const std::vector<LaunchCounters> &counters);

/// Fills every kernel's `derived` from its counters and record.
void deriveAll(Report &report);

/// The per-call totals: time, DRAM bytes, flops (sums over kernels).
struct ReportTotals {
  double timeNs = 0.0;
  std::optional<double> dramBytes;
  std::optional<double> flops;
};
ReportTotals totals(const Report &report);

std::string formatKernelTable(const Report &report);
std::string reportJson(const Report &report);
std::string reportCsv(const Report &report);

/// A roofline plot (SVG, log-log): arithmetic intensity (f32 flops per DRAM
/// byte) against achieved f32 flop/s, one labelled point per kernel launch of
/// each report that has both figures (labels "<position> <kernel>", prefixed
/// by "<report index>:" when there are several reports), under the memory
/// ceiling (the measured copy bandwidth times intensity) and the f32 FMA
/// ceiling of the first report with peaks. Kernels without the figures are
/// listed in a comment. A plot with no point says so in its title.
std::string rooflineSvg(const std::vector<const Report *> &reports);

/// The counters of several binaries side by side (ssm-run --compare): a row
/// per report named by `names`, with its launches per call, kernel time (us),
/// DRAM MB read and written, GB/s, and the ratios of time and DRAM bytes to
/// the first report's (above 1.00x: more than the first). Columns are two
/// spaces apart; a figure a report lacks is "-".
std::string formatCounterComparison(const std::vector<std::string> &names,
                                    const std::vector<const Report *> &reports);

/// Reads a report back from reportJson's text (the derived figures are
/// derived again). Throws std::runtime_error naming the field at fault
/// ("report: kernels[1].record.grid: ...") for text that is no report.
Report parseReportJson(const std::string &text);

/// Writes DIR/report.json, DIR/kernels.csv and DIR/roofline.svg (creating
/// DIR); returns the paths written. Throws std::runtime_error naming a file
/// it cannot write.
std::vector<std::string> writeReport(const std::string &dir,
                                     const Report &report);

} // namespace ssmrt::profile

#endif // SSMRT_PROFILE_REPORT_H
