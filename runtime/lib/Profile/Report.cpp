//===- Report.cpp - Kernel tables, JSON and CSV reports -------------------===//
//
// Part of the ssm project: an MLIR compiler and runtime for state space models.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Profile/Report.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <sys/stat.h>

using namespace ssmrt::profile;
using Json = nlohmann::ordered_json;

/// The launch position a range name starts with ("003 ssm_..." is 3).
static std::optional<size_t> rangePosition(const std::string &name) {
  size_t end = name.find(' ');
  if (end == 0 || end == std::string::npos)
    return std::nullopt;
  size_t position = 0;
  for (size_t i = 0; i < end; ++i) {
    if (name[i] < '0' || name[i] > '9')
      return std::nullopt;
    position = position * 10 + size_t(name[i] - '0');
  }
  return position;
}

size_t
ssmrt::profile::attachCounters(std::vector<ReportKernel> &kernels,
                               const std::vector<LaunchCounters> &counters) {
  size_t ignored = 0;
  for (const LaunchCounters &launch : counters) {
    std::optional<size_t> position = rangePosition(launch.rangeName);
    if (!position) {
      ++ignored;
      continue;
    }
    while (kernels.size() <= *position) {
      ReportKernel kernel;
      kernel.position = kernels.size();
      kernels.push_back(kernel);
    }
    ReportKernel &kernel = kernels[*position];
    if (kernel.name.empty())
      kernel.name = launch.rangeName.substr(launch.rangeName.find(' ') + 1);
    kernel.counters = launch.values;
  }
  return ignored;
}

void ssmrt::profile::deriveAll(Report &report) {
  std::vector<std::string> names;
  for (const MetricInfo &info : report.metrics)
    names.push_back(info.name);
  for (ReportKernel &kernel : report.kernels)
    kernel.derived =
        derive(names, kernel.counters,
               kernel.record ? kernel.record->durationNs : 0.0, report.peaks);
}

ReportTotals ssmrt::profile::totals(const Report &report) {
  ReportTotals sum;
  for (const ReportKernel &kernel : report.kernels) {
    sum.timeNs += kernel.derived.timeNs;
    if (kernel.derived.dramBytes)
      sum.dramBytes = sum.dramBytes.value_or(0.0) + *kernel.derived.dramBytes;
    if (kernel.derived.flops)
      sum.flops = sum.flops.value_or(0.0) + *kernel.derived.flops;
  }
  return sum;
}

template <typename... Args>
static std::string format(const char *fmt, Args... args) {
  char buffer[128];
  std::snprintf(buffer, sizeof(buffer), fmt, args...);
  return buffer;
}

static std::string dims(const unsigned (&d)[3]) {
  if (d[1] == 1 && d[2] == 1)
    return std::to_string(d[0]);
  return format("%ux%ux%u", d[0], d[1], d[2]);
}

static std::string optionalCell(const std::optional<double> &value,
                                const char *fmt, double scale = 1.0) {
  return value ? format(fmt, *value * scale) : "-";
}

/// Whether any kernel has the derived figure `field`.
template <typename Field>
static bool anyKernel(const Report &report, Field field) {
  return std::any_of(
      report.kernels.begin(), report.kernels.end(),
      [&](const ReportKernel &k) { return (k.derived.*field).has_value(); });
}

/// Counters the table shows as derived figures instead of raw columns.
static bool shownAsDerived(const std::string &name) {
  return name == metric::dramRead || name == metric::dramWrite ||
         name == metric::duration || name == metric::ffma ||
         name == metric::fadd || name == metric::fmul || name == metric::xu;
}

/// Clock counters, which the table shows in MHz.
static bool isFrequency(const std::string &name) {
  return name == metric::smFrequency || name == metric::dramFrequency;
}

static std::string counterCell(double value) {
  if (value == 0.0)
    return "0";
  double magnitude = std::abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-2)
    return format("%.3g", value);
  return format(magnitude >= 100 ? "%.0f" : "%.2f", value);
}

/// The reason of a stall metric ("long_scoreboard"), or nullopt.
static std::optional<std::string> stallReason(const std::string &name) {
  std::string brief = shortMetricName(name);
  if (brief.rfind("stall_", 0) != 0)
    return std::nullopt;
  return brief.substr(6);
}

/// The stall reasons of each kernel, largest first, as lines under the
/// table (a column per reason would make it too wide to read).
static std::string formatStalls(const Report &report) {
  std::vector<std::pair<size_t, std::string>> stalls;
  for (size_t i = 0; i < report.metrics.size(); ++i)
    if (std::optional<std::string> reason = stallReason(report.metrics[i].name))
      stalls.emplace_back(i, *reason);
  if (stalls.empty())
    return "";
  std::string text = "stalls (warps stalled per issued instruction, largest "
                     "first, the top 5):\n";
  for (const ReportKernel &kernel : report.kernels) {
    std::vector<std::pair<double, std::string>> values;
    for (const auto &[index, reason] : stalls)
      if (index < kernel.counters.size())
        values.emplace_back(kernel.counters[index], reason);
    if (values.empty())
      continue;
    std::stable_sort(
        values.begin(), values.end(),
        [](const auto &a, const auto &b) { return a.first > b.first; });
    text += std::to_string(kernel.position) + " " + kernel.name + ":";
    for (size_t i = 0; i < values.size() && i < 5; ++i)
      text += (i ? ", " : " ") + values[i].second + " " +
              format("%.2f", values[i].first);
    text += "\n";
  }
  return text;
}

std::string ssmrt::profile::formatKernelTable(const Report &report) {
  bool records = std::any_of(report.kernels.begin(), report.kernels.end(),
                             [](const ReportKernel &k) { return k.record; });
  bool bytes = anyKernel(report, &Derived::dramBytes);
  bool peak = anyKernel(report, &Derived::peakFraction);
  bool intensity = anyKernel(report, &Derived::intensity);
  bool floors = anyKernel(report, &Derived::floorFraction);
  std::vector<size_t> counterColumns;
  for (size_t i = 0; i < report.metrics.size(); ++i)
    if (!shownAsDerived(report.metrics[i].name) &&
        !stallReason(report.metrics[i].name))
      counterColumns.push_back(i);

  std::vector<std::string> header = {"#", "kernel"};
  if (records)
    for (const char *title : {"grid", "block", "regs", "smem", "local"})
      header.push_back(title);
  header.push_back("time_us");
  if (bytes)
    for (const char *title : {"dram_MB_rd", "dram_MB_wr", "GB/s"})
      header.push_back(title);
  if (peak)
    header.push_back("%peak_bw");
  if (intensity)
    header.push_back("flop/B");
  if (floors) {
    header.push_back("bound");
    header.push_back("%floor");
  }
  for (size_t i : counterColumns)
    header.push_back(shortMetricName(report.metrics[i].name));

  std::vector<std::vector<std::string>> rows;
  auto counter = [](const ReportKernel &kernel,
                    const std::vector<MetricInfo> &metrics,
                    const char *name) -> std::optional<double> {
    for (size_t i = 0; i < metrics.size() && i < kernel.counters.size(); ++i)
      if (metrics[i].name == name)
        return kernel.counters[i];
    return std::nullopt;
  };
  for (const ReportKernel &kernel : report.kernels) {
    const Derived &d = kernel.derived;
    std::vector<std::string> row = {std::to_string(kernel.position),
                                    kernel.name};
    if (records) {
      if (kernel.record) {
        const KernelRecord &r = *kernel.record;
        row.push_back(dims(r.grid));
        row.push_back(dims(r.block));
        row.push_back(std::to_string(r.registersPerThread));
        row.push_back(std::to_string(r.staticSharedBytes) + "+" +
                      std::to_string(r.dynamicSharedBytes));
        row.push_back(std::to_string(r.localBytesPerThread));
      } else {
        row.insert(row.end(), 5, "-");
      }
    }
    row.push_back(format("%.2f", d.timeNs * 1e-3));
    if (bytes) {
      row.push_back(optionalCell(
          counter(kernel, report.metrics, metric::dramRead), "%.2f", 1e-6));
      row.push_back(optionalCell(
          counter(kernel, report.metrics, metric::dramWrite), "%.2f", 1e-6));
      row.push_back(optionalCell(d.bandwidth, "%.0f", 1e-9));
    }
    if (peak)
      row.push_back(optionalCell(d.peakFraction, "%.1f", 100.0));
    if (intensity)
      row.push_back(optionalCell(d.intensity, "%.2f"));
    if (floors) {
      row.push_back(d.binding.empty() ? "-" : d.binding);
      row.push_back(optionalCell(d.floorFraction, "%.1f", 100.0));
    }
    for (size_t i : counterColumns)
      row.push_back(i >= kernel.counters.size() ? "-"
                    : isFrequency(report.metrics[i].name)
                        ? format("%.0f", kernel.counters[i] * 1e-6)
                        : counterCell(kernel.counters[i]));
    rows.push_back(std::move(row));
  }
  ReportTotals sum = totals(report);
  std::vector<std::string> total = {
      "", "total (" + std::to_string(report.kernels.size()) +
              " launches per call)"};
  if (records)
    total.insert(total.end(), 5, "");
  total.push_back(format("%.2f", sum.timeNs * 1e-3));
  if (bytes) {
    double read = 0.0, written = 0.0;
    for (const ReportKernel &kernel : report.kernels) {
      read += counter(kernel, report.metrics, metric::dramRead).value_or(0.0);
      written +=
          counter(kernel, report.metrics, metric::dramWrite).value_or(0.0);
    }
    total.push_back(format("%.2f", read * 1e-6));
    total.push_back(format("%.2f", written * 1e-6));
    total.push_back(
        sum.dramBytes && sum.timeNs > 0
            ? format("%.0f", bandwidth(*sum.dramBytes, sum.timeNs) * 1e-9)
            : "-");
  }
  if (peak)
    total.push_back(
        sum.dramBytes && sum.timeNs > 0 && report.peaks.bandwidth > 0
            ? format("%.1f", 100.0 * bandwidth(*sum.dramBytes, sum.timeNs) /
                                 report.peaks.bandwidth)
            : "-");
  while (total.size() < header.size())
    total.push_back("");
  rows.push_back(total);

  std::vector<size_t> widths(header.size(), 0);
  for (size_t c = 0; c < header.size(); ++c) {
    widths[c] = header[c].size();
    for (const auto &row : rows)
      widths[c] = std::max(widths[c], row[c].size());
  }
  auto line = [&](const std::vector<std::string> &cells) {
    std::string text;
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c)
        text += "  ";
      std::string pad(widths[c] - cells[c].size(), ' ');
      text += c == 1 ? cells[c] + pad : pad + cells[c];
    }
    while (!text.empty() && text.back() == ' ')
      text.pop_back();
    return text + "\n";
  };
  std::string text = line(header);
  for (const auto &row : rows)
    text += line(row);
  return text + formatStalls(report);
}

/// Sums a counter over the kernels of a report; nullopt without it.
static std::optional<double> counterSum(const Report &report,
                                        const char *name) {
  auto it = std::find_if(report.metrics.begin(), report.metrics.end(),
                         [&](const MetricInfo &m) { return m.name == name; });
  if (it == report.metrics.end())
    return std::nullopt;
  size_t index = it - report.metrics.begin();
  double sum = 0.0;
  for (const ReportKernel &kernel : report.kernels)
    if (index < kernel.counters.size())
      sum += kernel.counters[index];
  return sum;
}

std::string ssmrt::profile::formatCounterComparison(
    const std::vector<std::string> &names,
    const std::vector<const Report *> &reports) {
  std::vector<std::vector<std::string>> rows = {
      {"binary", "launches", "kernel_us", "dram_MB_rd", "dram_MB_wr", "GB/s",
       "time/first", "dram/first"}};
  std::optional<ReportTotals> first;
  for (size_t i = 0; i < reports.size(); ++i) {
    const Report &report = *reports[i];
    ReportTotals sum = totals(report);
    if (!first)
      first = sum;
    std::optional<double> read = counterSum(report, metric::dramRead);
    std::optional<double> written = counterSum(report, metric::dramWrite);
    std::vector<std::string> row = {
        i < names.size() ? names[i] : report.binary,
        std::to_string(report.kernels.size()),
        format("%.2f", sum.timeNs * 1e-3),
        optionalCell(read, "%.2f", 1e-6),
        optionalCell(written, "%.2f", 1e-6),
        sum.dramBytes && sum.timeNs > 0
            ? format("%.0f", bandwidth(*sum.dramBytes, sum.timeNs) * 1e-9)
            : "-",
        first->timeNs > 0 ? format("%.2fx", sum.timeNs / first->timeNs) : "-",
        sum.dramBytes && first->dramBytes && *first->dramBytes > 0
            ? format("%.2fx", *sum.dramBytes / *first->dramBytes)
            : "-"};
    rows.push_back(row);
  }
  std::vector<size_t> widths(rows.front().size(), 0);
  for (const auto &row : rows)
    for (size_t c = 0; c < row.size(); ++c)
      widths[c] = std::max(widths[c], row[c].size());
  std::string text;
  for (const auto &row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      std::string pad(widths[c] - row[c].size(), ' ');
      line += (c ? "  " : "") + (c == 0 ? row[c] + pad : pad + row[c]);
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    text += line + "\n";
  }
  return text + "(kernel_us: the kernels of one call, summed; x/first: against "
                "the first binary, above 1.00x is more)\n";
}

static Json optionalJson(const std::optional<double> &value) {
  return value ? Json(*value) : Json(nullptr);
}

std::string ssmrt::profile::reportJson(const Report &report) {
  Json json;
  json["format"] = "ssm-profile";
  json["version"] = 1;
  json["binary"] = report.binary;
  json["entry"] = report.entry;
  json["target"] = report.target;
  json["chip"] = report.chip;
  json["module"] = report.module;
  Json lowering;
  lowering["pipeline"] = report.pipeline;
  lowering["options"] = Json::object();
  for (const auto &[key, value] : report.options)
    lowering["options"][key] = value;
  lowering["ops"] = Json::array();
  for (const auto &[op, choices] : report.ops) {
    Json entry;
    entry["op"] = op;
    entry["lowering"] = Json::object();
    for (const auto &[key, value] : choices)
      entry["lowering"][key] = value;
    lowering["ops"].push_back(entry);
  }
  json["lowering"] = lowering;
  if (report.device) {
    const ReportDevice &d = *report.device;
    json["device"] = {{"name", d.name},
                      {"chip", d.chip},
                      {"compute_capability", std::to_string(d.ccMajor) + "." +
                                                 std::to_string(d.ccMinor)},
                      {"multiprocessors", d.multiprocessors},
                      {"sm_clock_mhz", d.smClockMHz},
                      {"memory_clock_mhz", d.memClockMHz},
                      {"memory_gib", d.totalMemGiB},
                      {"driver_version", d.driverVersion},
                      {"cupti_version", d.cuptiVersion}};
  } else {
    json["device"] = nullptr;
  }
  json["peaks"] = {{"copy_bandwidth_bytes_per_s", report.peaks.bandwidth},
                   {"f32_flops_per_s", report.peaks.flops},
                   {"xu_warp_instructions_per_s", report.peaks.xu}};
  json["time"] = {{"median_ms", report.timeMedianMs},
                  {"kernel_median_ms", report.kernelTimeMedianMs}};
  json["passes"] = report.passes;
  json["metrics"] = Json::array();
  for (const MetricInfo &info : report.metrics)
    json["metrics"].push_back({{"name", info.name},
                               {"unit", info.unit},
                               {"description", info.description}});
  json["kernels"] = Json::array();
  for (const ReportKernel &kernel : report.kernels) {
    Json k;
    k["position"] = kernel.position;
    k["name"] = kernel.name;
    if (kernel.record) {
      const KernelRecord &r = *kernel.record;
      k["record"] = {{"grid", {r.grid[0], r.grid[1], r.grid[2]}},
                     {"block", {r.block[0], r.block[1], r.block[2]}},
                     {"registers_per_thread", r.registersPerThread},
                     {"static_shared_bytes", r.staticSharedBytes},
                     {"dynamic_shared_bytes", r.dynamicSharedBytes},
                     {"local_bytes_per_thread", r.localBytesPerThread},
                     {"duration_ns", r.durationNs},
                     {"calls", r.calls}};
    } else {
      k["record"] = nullptr;
    }
    k["counters"] = Json::object();
    for (size_t i = 0; i < report.metrics.size() && i < kernel.counters.size();
         ++i)
      k["counters"][report.metrics[i].name] = kernel.counters[i];
    const Derived &d = kernel.derived;
    k["derived"] = {{"time_ns", d.timeNs},
                    {"dram_bytes", optionalJson(d.dramBytes)},
                    {"bandwidth_bytes_per_s", optionalJson(d.bandwidth)},
                    {"peak_bandwidth_fraction", optionalJson(d.peakFraction)},
                    {"flops", optionalJson(d.flops)},
                    {"flops_per_byte", optionalJson(d.intensity)},
                    {"memory_floor_ns", optionalJson(d.memoryFloorNs)},
                    {"compute_floor_ns", optionalJson(d.computeFloorNs)},
                    {"sfu_floor_ns", optionalJson(d.sfuFloorNs)},
                    {"binding", d.binding},
                    {"floor_fraction", optionalJson(d.floorFraction)}};
    json["kernels"].push_back(k);
  }
  ReportTotals sum = totals(report);
  json["totals"] = {{"launches", report.kernels.size()},
                    {"time_ns", sum.timeNs},
                    {"dram_bytes", optionalJson(sum.dramBytes)},
                    {"flops", optionalJson(sum.flops)}};
  json["notes"] = report.notes;
  return json.dump(2) + "\n";
}

namespace {
/// Reads fields of a JSON report, naming the path of the one at fault.
class Reader {
public:
  Reader(const Json &json, std::string path)
      : json(json), path(std::move(path)) {}
  [[noreturn]] void fail(const std::string &what) const {
    throw std::runtime_error("report: " + (path.empty() ? "" : path + ": ") +
                             what);
  }
  Reader at(const std::string &key) const {
    if (!json.is_object() || !json.contains(key))
      Reader(json, path).fail("missing field '" + key + "'");
    return Reader(json[key], path.empty() ? key : path + "." + key);
  }
  Reader at(size_t index) const {
    return Reader(json.at(index), path + "[" + std::to_string(index) + "]");
  }
  bool isNull() const { return json.is_null(); }
  size_t size() const {
    if (!json.is_array())
      fail("expected an array");
    return json.size();
  }
  std::string str() const {
    if (!json.is_string())
      fail("expected a string");
    return json.get<std::string>();
  }
  double number() const {
    if (!json.is_number())
      fail("expected a number");
    return json.get<double>();
  }
  unsigned natural() const {
    if (!json.is_number_unsigned())
      fail("expected a non-negative integer");
    return json.get<unsigned>();
  }
  std::map<std::string, std::string> strings() const {
    if (!json.is_object())
      fail("expected an object");
    std::map<std::string, std::string> result;
    for (auto it = json.begin(); it != json.end(); ++it)
      result[it.key()] = at(it.key()).str();
    return result;
  }
  const Json &raw() const { return json; }

private:
  const Json &json;
  std::string path;
};
} // namespace

static KernelRecord parseRecord(const Reader &r, size_t position,
                                const std::string &name) {
  KernelRecord record;
  record.position = position;
  record.name = name;
  for (size_t i = 0; i < 3; ++i) {
    record.grid[i] = r.at("grid").at(i).natural();
    record.block[i] = r.at("block").at(i).natural();
  }
  record.registersPerThread = r.at("registers_per_thread").natural();
  record.staticSharedBytes = r.at("static_shared_bytes").natural();
  record.dynamicSharedBytes = r.at("dynamic_shared_bytes").natural();
  record.localBytesPerThread = r.at("local_bytes_per_thread").natural();
  record.durationNs = r.at("duration_ns").number();
  record.calls = r.at("calls").natural();
  return record;
}

Report ssmrt::profile::parseReportJson(const std::string &text) {
  Json json;
  try {
    json = Json::parse(text);
  } catch (const std::exception &e) {
    throw std::runtime_error(std::string("report: not JSON: ") + e.what());
  }
  Reader root(json, "");
  if (!json.is_object() || !json.contains("format") ||
      root.at("format").str() != "ssm-profile")
    root.fail("not an ssm-profile report (format is not \"ssm-profile\")");
  if (root.at("version").natural() != 1)
    root.at("version").fail("unknown version");
  Report report;
  report.binary = root.at("binary").str();
  report.entry = root.at("entry").str();
  report.target = root.at("target").str();
  report.chip = root.at("chip").str();
  report.module = root.at("module").str();
  Reader lowering = root.at("lowering");
  report.pipeline = lowering.at("pipeline").str();
  report.options = lowering.at("options").strings();
  Reader ops = lowering.at("ops");
  for (size_t i = 0; i < ops.size(); ++i)
    report.ops.emplace_back(ops.at(i).at("op").str(),
                            ops.at(i).at("lowering").strings());
  Reader device = root.at("device");
  if (!device.isNull()) {
    ReportDevice d;
    d.name = device.at("name").str();
    d.chip = device.at("chip").str();
    std::string cc = device.at("compute_capability").str();
    if (std::sscanf(cc.c_str(), "%d.%d", &d.ccMajor, &d.ccMinor) != 2)
      device.at("compute_capability").fail("expected MAJOR.MINOR");
    d.multiprocessors = device.at("multiprocessors").natural();
    d.smClockMHz = device.at("sm_clock_mhz").natural();
    d.memClockMHz = device.at("memory_clock_mhz").natural();
    d.totalMemGiB = device.at("memory_gib").number();
    d.driverVersion = device.at("driver_version").natural();
    d.cuptiVersion = device.at("cupti_version").natural();
    report.device = d;
  }
  report.peaks.bandwidth =
      root.at("peaks").at("copy_bandwidth_bytes_per_s").number();
  report.peaks.flops = root.at("peaks").at("f32_flops_per_s").number();
  report.peaks.xu = root.at("peaks").at("xu_warp_instructions_per_s").number();
  report.timeMedianMs = root.at("time").at("median_ms").number();
  report.kernelTimeMedianMs = root.at("time").at("kernel_median_ms").number();
  report.passes = root.at("passes").natural();
  Reader metrics = root.at("metrics");
  for (size_t i = 0; i < metrics.size(); ++i)
    report.metrics.push_back({metrics.at(i).at("name").str(),
                              metrics.at(i).at("description").str(),
                              metrics.at(i).at("unit").str()});
  Reader kernels = root.at("kernels");
  for (size_t i = 0; i < kernels.size(); ++i) {
    Reader k = kernels.at(i);
    ReportKernel kernel;
    kernel.position = k.at("position").natural();
    kernel.name = k.at("name").str();
    if (!k.at("record").isNull())
      kernel.record = parseRecord(k.at("record"), kernel.position, kernel.name);
    Reader counters = k.at("counters");
    if (!counters.raw().empty()) {
      for (const MetricInfo &metric : report.metrics)
        kernel.counters.push_back(counters.at(metric.name).number());
    }
    report.kernels.push_back(std::move(kernel));
  }
  Reader notes = root.at("notes");
  for (size_t i = 0; i < notes.size(); ++i)
    report.notes.push_back(notes.at(i).str());
  deriveAll(report);
  return report;
}

static std::string csvNumber(const std::optional<double> &value) {
  return value ? format("%.10g", *value) : "";
}

/// Quotes a CSV field when it needs it.
static std::string csvText(const std::string &text) {
  if (text.find_first_of(",\"\n") == std::string::npos)
    return text;
  std::string quoted = "\"";
  for (char c : text)
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string ssmrt::profile::reportCsv(const Report &report) {
  std::string text =
      "binary,entry,position,kernel,grid_x,grid_y,grid_z,block_x,block_y,"
      "block_z,registers_per_thread,static_shared_bytes,dynamic_shared_bytes,"
      "local_bytes_per_thread,time_ns,dram_bytes,bandwidth_bytes_per_s,"
      "peak_bandwidth_fraction,flops,flops_per_byte,memory_floor_ns,"
      "compute_floor_ns,sfu_floor_ns,binding,floor_fraction";
  for (const MetricInfo &info : report.metrics)
    text += "," + csvText(info.name);
  text += "\n";
  for (const ReportKernel &kernel : report.kernels) {
    text += csvText(report.binary) + "," + csvText(report.entry) + "," +
            std::to_string(kernel.position) + "," + csvText(kernel.name);
    if (kernel.record) {
      const KernelRecord &r = *kernel.record;
      for (unsigned v :
           {r.grid[0], r.grid[1], r.grid[2], r.block[0], r.block[1], r.block[2],
            r.registersPerThread, r.staticSharedBytes, r.dynamicSharedBytes,
            r.localBytesPerThread})
        text += "," + std::to_string(v);
    } else {
      text += ",,,,,,,,,,";
    }
    const Derived &d = kernel.derived;
    text += "," + csvNumber(d.timeNs) + "," + csvNumber(d.dramBytes) + "," +
            csvNumber(d.bandwidth) + "," + csvNumber(d.peakFraction) + "," +
            csvNumber(d.flops) + "," + csvNumber(d.intensity) + "," +
            csvNumber(d.memoryFloorNs) + "," + csvNumber(d.computeFloorNs) +
            "," + csvNumber(d.sfuFloorNs) + "," + d.binding + "," +
            csvNumber(d.floorFraction);
    for (size_t i = 0; i < report.metrics.size(); ++i)
      text += "," + (i < kernel.counters.size() ? csvNumber(kernel.counters[i])
                                                : std::string());
    text += "\n";
  }
  return text;
}

static void writeFile(const std::string &path, const std::string &text) {
  std::ofstream file(path, std::ios::binary);
  file << text;
  if (!file)
    throw std::runtime_error("--report: cannot write " + path);
}

std::vector<std::string> ssmrt::profile::writeReport(const std::string &dir,
                                                     const Report &report) {
  if (mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST)
    throw std::runtime_error("--report: cannot create directory " + dir);
  std::vector<std::string> paths = {dir + "/report.json", dir + "/kernels.csv",
                                    dir + "/roofline.svg"};
  writeFile(paths[0], reportJson(report));
  writeFile(paths[1], reportCsv(report));
  writeFile(paths[2], rooflineSvg({&report}));
  return paths;
}
