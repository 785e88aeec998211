//===- ProfileTest.cpp - Tests of counter lists, derived figures, reports -===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// Everything of ssm-run's profiling that needs no GPU: metric lists, their
// validation and pass counts through CUPTI's Profiler Host API (which works
// without a GPU or a driver; the tests skip, saying why, where CUPTI cannot
// be loaded), CUPTI's failure messages, the derived figures, and the report
// writers against expected files in test/unit/Inputs/profile/.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Profile/Collect.h"
#include "ssmrt/Profile/Derived.h"
#include "ssmrt/Profile/Metrics.h"
#include "ssmrt/Profile/Report.h"

#include "Profile/Cupti.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

using namespace ssmrt;
using namespace ssmrt::profile;

namespace {

/// The message of the std::runtime_error `fn` throws, or "" if none.
template <typename Fn> std::string errorOf(Fn fn) {
  try {
    fn();
  } catch (const std::runtime_error &e) {
    return e.what();
  }
  return "";
}

//===----------------------------------------------------------------------===//
// Metric lists
//===----------------------------------------------------------------------===//

TEST(MetricListTest, SetsExpandInOrderWithoutRepeats) {
  std::vector<std::string> names = parseMetricList("default");
  EXPECT_EQ(names, defaultMetrics());
  ASSERT_GE(names.size(), 3u);
  EXPECT_EQ(names[0], "dram__bytes_read.sum");
  EXPECT_EQ(names[1], "dram__bytes_write.sum");
  EXPECT_EQ(names[2], "gpu__time_duration.sum");

  EXPECT_EQ(parseMetricList("stalls"), stallMetrics());
  EXPECT_EQ(stallMetrics().size(), 18u);

  std::vector<std::string> mixed =
      parseMetricList("gpu__time_duration.sum,sm__cycles_elapsed.max,default,"
                      "sm__cycles_elapsed.max");
  ASSERT_EQ(mixed.size(), defaultMetrics().size() + 1);
  EXPECT_EQ(mixed[0], "gpu__time_duration.sum");
  EXPECT_EQ(mixed[1], "sm__cycles_elapsed.max");
  EXPECT_EQ(mixed[2], "dram__bytes_read.sum");
}

TEST(MetricListTest, MalformedListsAreErrors) {
  EXPECT_EQ(errorOf([] { parseMetricList(""); }),
            "--metrics: empty list (give default, stalls or metric names)");
  EXPECT_EQ(errorOf([] { parseMetricList("default,,stalls"); }),
            "--metrics: empty item in 'default,,stalls'");
  EXPECT_EQ(errorOf([] { parseMetricList("default,"); }),
            "--metrics: empty item in 'default,'");
  EXPECT_EQ(errorOf([] { parseMetricList("dram"); }),
            "--metrics: 'dram' is neither default, stalls nor a metric name "
            "such as dram__bytes_read.sum");
  EXPECT_NE(errorOf([] { parseMetricList("DRAM__bytes_read.sum"); }), "");
  EXPECT_NE(errorOf([] { parseMetricList("dram__bytes read"); }), "");
}

TEST(MetricListTest, ShortNames) {
  EXPECT_EQ(shortMetricName("dram__bytes_read.sum"), "dram_rd");
  EXPECT_EQ(shortMetricName("lts__t_sector_hit_rate.pct"), "l2hit%");
  EXPECT_EQ(shortMetricName("smsp__average_warps_issue_stalled_long_scoreboard_"
                            "per_issue_active.ratio"),
            "stall_long_scoreboard");
  EXPECT_EQ(shortMetricName("sm__cycles_elapsed.avg.per_second"), "sm_MHz");
  EXPECT_EQ(shortMetricName("sm__cycles_elapsed.max"),
            "sm__cycles_elapsed.max");
}

//===----------------------------------------------------------------------===//
// The Profiler Host API, without a GPU
//===----------------------------------------------------------------------===//

/// Skips the test, printing why, where CUPTI cannot be loaded.
#define SKIP_WITHOUT_CUPTI()                                                   \
  do {                                                                         \
    std::string whyNot;                                                        \
    if (!cuptiAvailable(whyNot))                                               \
      GTEST_SKIP() << "CUPTI cannot be loaded here: " << whyNot;               \
  } while (false)

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

/// Skips the test, printing why, where the Profiler Host API cannot run:
/// without CUPTI, and under AddressSanitizer, whose runtime aborts the
/// process when CUPTI opens libnvperf_host.so with RTLD_DEEPBIND.
#define SKIP_WITHOUT_HOST_API()                                                \
  do {                                                                         \
    if (kAddressSanitizer)                                                     \
      GTEST_SKIP() << "the Profiler Host API cannot run under "                \
                      "AddressSanitizer (libnvperf_host.so is opened with "    \
                      "RTLD_DEEPBIND)";                                        \
    SKIP_WITHOUT_CUPTI();                                                      \
  } while (false)

TEST(MetricPlanTest, HostApiKnowsTheHopperChip) {
  SKIP_WITHOUT_HOST_API();
  std::vector<std::string> chips = supportedChips();
  EXPECT_NE(std::find(chips.begin(), chips.end(), "GH100"), chips.end());
}

TEST(MetricPlanTest, PassCountsOnGH100) {
  SKIP_WITHOUT_HOST_API();
  // One pass for the DRAM bytes, the duration, occupancy and instructions;
  // two for the L2 hit rate; eight for SM throughput (as ncu needs).
  MetricPlan bytes =
      planMetrics("GH100", {"dram__bytes_read.sum", "dram__bytes_write.sum",
                            "gpu__time_duration.sum",
                            "sm__warps_active.avg.pct_of_peak_sustained_active",
                            "smsp__inst_executed.sum"});
  EXPECT_EQ(bytes.passes, 1u);
  EXPECT_EQ(bytes.chip, "GH100");
  ASSERT_EQ(bytes.metrics.size(), 5u);
  EXPECT_EQ(bytes.metrics[0].unit, "byte");
  EXPECT_EQ(bytes.metrics[2].unit, "nanosecond");
  EXPECT_FALSE(bytes.configImage.empty());
  EXPECT_EQ(planMetrics("GH100", {"lts__t_sector_hit_rate.pct"}).passes, 2u);
  EXPECT_EQ(
      planMetrics("GH100", {"sm__throughput.avg.pct_of_peak_sustained_elapsed"})
          .passes,
      8u);
  // The default set: 15 metrics, 10 passes (sm__throughput's 8, plus the
  // memory throughput and the L2 hit rate).
  EXPECT_EQ(defaultMetrics().size(), 15u);
  EXPECT_EQ(planMetrics("GH100", defaultMetrics()).passes, 10u);
  EXPECT_EQ(planMetrics("GH100", stallMetrics()).passes, 5u);
}

TEST(MetricPlanTest, UnknownMetricIsNamed) {
  SKIP_WITHOUT_HOST_API();
  std::string error = errorOf([] {
    planMetrics("GH100", {"dram__bytes_read.sum", "dram__bytez_read.sum"});
  });
  EXPECT_EQ(error.rfind("unknown metric 'dram__bytez_read.sum' for GH100", 0),
            0u)
      << error;
}

TEST(MetricPlanTest, UnknownChipIsNamed) {
  SKIP_WITHOUT_HOST_API();
  std::string error =
      errorOf([] { planMetrics("XY999", {"dram__bytes_read.sum"}); });
  EXPECT_NE(error.find("chip 'XY999'"), std::string::npos) << error;
}

//===----------------------------------------------------------------------===//
// CUPTI's failure modes
//===----------------------------------------------------------------------===//

TEST(CuptiTest, MissingLibraryIsAReason) {
  std::string whyNot;
  EXPECT_EQ(cupti::loadCuptiFrom("/nonexistent/libcupti.so", whyNot), nullptr);
  EXPECT_NE(whyNot.find("/nonexistent/libcupti.so"), std::string::npos)
      << whyNot;
}

TEST(CuptiTest, WrongLibraryIsAReason) {
  // A library that loads but is no CUPTI: libm.
  std::string whyNot;
  EXPECT_EQ(cupti::loadCuptiFrom("libm.so.6", whyNot), nullptr);
  EXPECT_EQ(whyNot.rfind("libm.so.6 lacks cuptiGetResultString", 0), 0u)
      << whyNot;
}

TEST(CuptiTest, PermissionErrorSaysWhatToDo) {
  SKIP_WITHOUT_CUPTI();
  std::string ignored;
  const cupti::CuptiApi *api = cupti::loadCupti(ignored);
  ASSERT_NE(api, nullptr);
  std::string text = cupti::callFailed(*api, "cuptiRangeProfilerEnable",
                                       CUPTI_ERROR_INSUFFICIENT_PRIVILEGES);
  EXPECT_EQ(text.rfind("cuptiRangeProfilerEnable failed: "
                       "CUPTI_ERROR_INSUFFICIENT_PRIVILEGES (ERR_NVGPUCTRPERM",
                       0),
            0u)
      << text;
  EXPECT_NE(text.find("NVreg_RestrictProfilingToAdminUsers=0"),
            std::string::npos);
  EXPECT_NE(cupti::errorText(*api, CUPTI_ERROR_NOT_SUPPORTED)
                .find("does not support profiling"),
            std::string::npos);
}

//===----------------------------------------------------------------------===//
// Tying records and counters to launches
//===----------------------------------------------------------------------===//

ActivityKernel activity(uint64_t launch, const char *name, uint64_t start,
                        uint64_t end, unsigned registers) {
  ActivityKernel kernel;
  kernel.launchIndex = launch;
  kernel.name = name;
  kernel.fields.registersPerThread = registers;
  kernel.fields.grid[0] = 7;
  kernel.startNs = start;
  kernel.endNs = end;
  return kernel;
}

TEST(KernelRecordTest, RecordsGoToTheirPositionsWithMedianDurations) {
  // Three calls of two launches: launch indices [10, 12), [12, 14), [20, 22)
  // (other work launched in between). Records arrive in any order; one of
  // launch 21 is missing; one (launch 15) belongs to no call.
  std::vector<ActivityKernel> kernels = {
      activity(13, "scan", 100, 400, 40), activity(10, "fill", 0, 10, 8),
      activity(11, "scan", 20, 220, 40),  activity(12, "fill", 50, 62, 8),
      activity(15, "other", 0, 999, 1),   activity(20, "fill", 0, 11, 8)};
  std::vector<KernelRecord> records = assignKernelRecords(
      kernels, {{10, 12}, {12, 14}, {20, 22}}, {"fill_hook", "scan_hook"});
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].position, 0u);
  EXPECT_EQ(records[0].name, "fill");
  EXPECT_EQ(records[0].registersPerThread, 8u);
  EXPECT_EQ(records[0].grid[0], 7u);
  EXPECT_EQ(records[0].calls, 3u);
  EXPECT_DOUBLE_EQ(records[0].durationNs, 11.0); // median of 10, 12, 11
  EXPECT_EQ(records[1].name, "scan");
  EXPECT_EQ(records[1].calls, 2u);
  EXPECT_DOUBLE_EQ(records[1].durationNs, 250.0); // mean of 200 and 300
}

TEST(KernelRecordTest, PositionsWithoutRecordsKeepTheHookName) {
  std::vector<KernelRecord> records =
      assignKernelRecords({}, {{0, 2}}, {"a", "b"});
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].name, "b");
  EXPECT_EQ(records[1].calls, 0u);
  EXPECT_DOUBLE_EQ(records[1].durationNs, 0.0);
  EXPECT_TRUE(assignKernelRecords({}, {}, {}).empty());
}

TEST(KernelRecordTest, CountersGoToTheirPositions) {
  std::vector<ReportKernel> kernels(1);
  kernels[0].position = 0;
  kernels[0].name = "fill";
  std::vector<LaunchCounters> counters = {{"002 scan", {3.0}},
                                          {"000 fill", {1.0}},
                                          {"no position", {9.0}},
                                          {"12x y", {9.0}}};
  EXPECT_EQ(attachCounters(kernels, counters), 2u);
  ASSERT_EQ(kernels.size(), 3u);
  EXPECT_EQ(kernels[0].counters, std::vector<double>{1.0});
  EXPECT_TRUE(kernels[1].counters.empty()); // no range for position 1
  EXPECT_EQ(kernels[1].position, 1u);
  EXPECT_EQ(kernels[2].name, "scan");
  EXPECT_EQ(kernels[2].counters, std::vector<double>{3.0});
}

//===----------------------------------------------------------------------===//
// Derived figures
//===----------------------------------------------------------------------===//

TEST(DerivedTest, Arithmetic) {
  EXPECT_DOUBLE_EQ(bandwidth(3e9, 1e6), 3e12); // 3 GB in 1 ms
  EXPECT_DOUBLE_EQ(bandwidth(1.0, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(flopsFromCounts(10, 3, 2), 25.0);
  EXPECT_DOUBLE_EQ(arithmeticIntensity(25.0, 100.0), 0.25);
  EXPECT_DOUBLE_EQ(arithmeticIntensity(25.0, 0.0), 0.0);
}

TEST(DerivedTest, MemoryBoundKernel) {
  std::vector<std::string> names = {
      metric::duration, metric::dramRead, metric::dramWrite,       metric::ffma,
      metric::fadd,     metric::fmul,     "sm__cycles_elapsed.max"};
  std::vector<double> values = {2000.0, 3e6, 1e6, 1e6, 2e5, 1e5, 77.0};
  Peaks peaks;
  peaks.bandwidth = 3e12;
  peaks.flops = 5e13;
  Derived d = derive(names, values, /*recordNs=*/9999.0, peaks);
  EXPECT_DOUBLE_EQ(d.timeNs, 2000.0); // the counter wins over the record
  ASSERT_TRUE(d.dramBytes && d.bandwidth && d.peakFraction);
  EXPECT_DOUBLE_EQ(*d.dramBytes, 4e6);
  EXPECT_DOUBLE_EQ(*d.bandwidth, 2e12);
  EXPECT_DOUBLE_EQ(*d.peakFraction, 2.0 / 3.0);
  ASSERT_TRUE(d.flops && d.intensity);
  EXPECT_DOUBLE_EQ(*d.flops, 2.3e6);
  EXPECT_DOUBLE_EQ(*d.intensity, 2.3e6 / 4e6);
  ASSERT_TRUE(d.memoryFloorNs && d.computeFloorNs && d.floorFraction);
  EXPECT_NEAR(*d.memoryFloorNs, 4e6 / 3e12 * 1e9, 1e-9);
  EXPECT_NEAR(*d.computeFloorNs, 2.3e6 / 5e13 * 1e9, 1e-9);
  EXPECT_EQ(d.binding, "memory");
  EXPECT_NEAR(*d.floorFraction, (4e6 / 3e12 * 1e9) / 2000.0, 1e-12);
}

TEST(DerivedTest, SfuBoundKernel) {
  // A scan-like kernel: 1 MB of DRAM traffic, 2e6 XU warp instructions (an
  // exp2 per element), 1e7 flops, in 20 us on a 132-SM GPU at 1.98 GHz.
  Peaks peaks;
  peaks.bandwidth = 3e12;
  peaks.flops = 6.5e13;
  peaks.xu = 132 * 0.5 * 1.98e9;
  Derived d = derive({metric::dramRead, metric::ffma, metric::xu},
                     {1e6, 5e6, 2e6}, 2e4, peaks);
  ASSERT_TRUE(d.memoryFloorNs && d.computeFloorNs && d.sfuFloorNs);
  EXPECT_NEAR(*d.memoryFloorNs, 333.333, 1e-3);
  EXPECT_NEAR(*d.computeFloorNs, 153.846, 1e-3);
  EXPECT_NEAR(*d.sfuFloorNs, 2e6 / 1.3068e11 * 1e9, 1e-6); // 15304.6 ns
  EXPECT_EQ(d.binding, "sfu");
  EXPECT_NEAR(*d.floorFraction, 15304.56 / 2e4, 1e-5);
  // Without the XU peak the SFU floor is unknown and memory binds.
  Peaks noXu = peaks;
  noXu.xu = 0.0;
  Derived m = derive({metric::dramRead, metric::ffma, metric::xu},
                     {1e6, 5e6, 2e6}, 2e4, noXu);
  EXPECT_FALSE(m.sfuFloorNs);
  EXPECT_EQ(m.binding, "memory");
}

TEST(DerivedTest, ComputeBoundKernelAndMissingFigures) {
  Peaks peaks;
  peaks.bandwidth = 3e12;
  peaks.flops = 5e13;
  Derived compute = derive({metric::dramRead, metric::ffma}, {1e3, 5e8},
                           /*recordNs=*/4e4, peaks);
  EXPECT_DOUBLE_EQ(compute.timeNs, 4e4); // no duration counter: the record
  EXPECT_EQ(compute.binding, "compute");
  ASSERT_TRUE(compute.computeFloorNs && compute.floorFraction);
  EXPECT_DOUBLE_EQ(*compute.computeFloorNs, 1e9 / 5e13 * 1e9);
  EXPECT_DOUBLE_EQ(*compute.floorFraction, *compute.computeFloorNs / 4e4);

  Derived timeOnly = derive({}, {}, 1234.0, Peaks());
  EXPECT_DOUBLE_EQ(timeOnly.timeNs, 1234.0);
  EXPECT_FALSE(timeOnly.dramBytes || timeOnly.bandwidth || timeOnly.flops ||
               timeOnly.floorFraction);
  EXPECT_EQ(timeOnly.binding, "");

  // Bytes without peaks: bandwidth, but nothing against a peak.
  Derived noPeak = derive({metric::dramWrite}, {5e5}, 1e3, Peaks());
  ASSERT_TRUE(noPeak.bandwidth);
  EXPECT_DOUBLE_EQ(*noPeak.bandwidth, 5e11);
  EXPECT_FALSE(noPeak.peakFraction || noPeak.memoryFloorNs);
}

//===----------------------------------------------------------------------===//
// Report writers
//===----------------------------------------------------------------------===//

/// A report of two launches as a GPU run with --metrics would make it.
Report sampleReport() {
  Report report;
  report.binary = "scan.gpu.so";
  report.entry = "forward";
  report.target = "gpu";
  report.chip = "sm_90";
  report.module = "module";
  report.pipeline = "gpu";
  report.options = {{"chunk-len", "64"}, {"variant", "fused-scan"}};
  report.ops = {{"ssm.selective_scan",
                 {{"strategy", "block-scan"}, {"variant", "fused-scan"}}}};
  ReportDevice device;
  device.name = "NVIDIA H100 80GB HBM3";
  device.chip = "GH100";
  device.ccMajor = 9;
  device.ccMinor = 0;
  device.multiprocessors = 132;
  device.smClockMHz = 1980;
  device.memClockMHz = 2619;
  device.totalMemGiB = 79.5;
  device.driverVersion = 13000;
  device.cuptiVersion = 26;
  report.device = device;
  report.peaks.bandwidth = 3e12;
  report.peaks.flops = 6.5e13;
  report.peaks.xu = 1.3068e11; // 132 SMs x 0.5 x 1.98 GHz
  report.timeMedianMs = 0.5;
  report.kernelTimeMedianMs = 0.25;
  report.metrics = {{metric::dramRead, "# of bytes read from DRAM", "byte"},
                    {metric::dramWrite, "# of bytes written to DRAM", "byte"},
                    {metric::duration, "duration", "nanosecond"},
                    {"lts__t_sector_hit_rate.pct", "L2 hits", "percent"}};
  report.passes = 2;
  KernelRecord fill;
  fill.position = 0;
  fill.name = "ssm_fill";
  fill.grid[0] = 64;
  fill.block[0] = 128;
  fill.registersPerThread = 16;
  fill.durationNs = 2100.0;
  fill.calls = 3;
  KernelRecord scan;
  scan.position = 1;
  scan.name = "ssm_selective_scan_block_scan";
  scan.grid[0] = 2;
  scan.grid[1] = 64;
  scan.block[0] = 128;
  scan.registersPerThread = 72;
  scan.staticSharedBytes = 2048;
  scan.dynamicSharedBytes = 0;
  scan.localBytesPerThread = 8;
  scan.durationNs = 50500.0;
  scan.calls = 3;
  report.kernels = {{0, "ssm_fill", fill, {0.0, 1048576.0, 2000.0, 50.0}, {}},
                    {1,
                     "ssm_selective_scan_block_scan",
                     scan,
                     {9.6e7, 3.2e7, 50000.0, 12.5},
                     {}}};
  report.notes = {"an example note"};
  deriveAll(report);
  return report;
}

std::string readFile(const std::string &path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string expected(const std::string &name) {
  return readFile(std::string(SSM_UNIT_TEST_INPUTS) + "/profile/" + name);
}

TEST(ReportTest, TotalsSumTheKernels) {
  ReportTotals sum = totals(sampleReport());
  EXPECT_DOUBLE_EQ(sum.timeNs, 52000.0);
  ASSERT_TRUE(sum.dramBytes);
  EXPECT_DOUBLE_EQ(*sum.dramBytes, 1048576.0 + 9.6e7 + 3.2e7);
  EXPECT_FALSE(sum.flops);
}

TEST(ReportTest, TableMatchesExpectedFile) {
  EXPECT_EQ(formatKernelTable(sampleReport()), expected("table.txt"));
}

TEST(ReportTest, JsonMatchesExpectedFile) {
  EXPECT_EQ(reportJson(sampleReport()), expected("report.json"));
}

TEST(ReportTest, CsvMatchesExpectedFile) {
  EXPECT_EQ(reportCsv(sampleReport()), expected("kernels.csv"));
}

TEST(ReportTest, RecordsOnlyTableHasNoCounterColumns) {
  Report report = sampleReport();
  report.metrics.clear();
  for (ReportKernel &kernel : report.kernels)
    kernel.counters.clear();
  deriveAll(report);
  std::string table = formatKernelTable(report);
  EXPECT_EQ(table.find("dram_MB_rd"), std::string::npos) << table;
  EXPECT_NE(table.find("regs"), std::string::npos) << table;
  // The time comes from the records now: 2.10 + 50.50 us.
  EXPECT_NE(table.find("52.60"), std::string::npos) << table;
}

/// The sample with f32 FMA counts, so that its kernels have intensities.
Report sampleWithFlops() {
  Report report = sampleReport();
  report.metrics.push_back({metric::ffma, "FMAs", "inst"});
  report.kernels[0].counters.push_back(0.0);   // the fill: no flops
  report.kernels[1].counters.push_back(6.4e7); // 1.28e8 flops
  deriveAll(report);
  return report;
}

TEST(RooflineTest, PointsAndCeilings) {
  Report report = sampleWithFlops();
  ASSERT_TRUE(report.kernels[1].derived.intensity);
  EXPECT_DOUBLE_EQ(*report.kernels[1].derived.intensity,
                   1.0); // 1.28e8 / 1.28e8
  std::string svg = rooflineSvg({&report});
  EXPECT_EQ(svg, expected("roofline.svg"));
  // One point (the fill has no flops and is listed as not plotted).
  size_t circles = 0;
  for (size_t at = svg.find("<circle"); at != std::string::npos;
       at = svg.find("<circle", at + 1))
    ++circles;
  EXPECT_EQ(circles, 1u);
  EXPECT_NE(svg.find(">1 ssm_selective_scan_block_scan</text>"),
            std::string::npos);
  EXPECT_NE(svg.find("not plotted (no DRAM bytes or f32 flops): [0 ssm_fill]"),
            std::string::npos);
  EXPECT_NE(svg.find("DRAM 3000 GB/s (copy)"), std::string::npos);
  EXPECT_NE(svg.find("f32 FMA 65.0 TFLOP/s"), std::string::npos);
}

TEST(RooflineTest, SeveralReportsAreNumbered) {
  Report a = sampleWithFlops(), b = sampleWithFlops();
  std::string svg = rooflineSvg({&a, &b});
  EXPECT_NE(svg.find(">0:1 ssm_selective_scan_block_scan</text>"),
            std::string::npos);
  EXPECT_NE(svg.find(">1:1 ssm_selective_scan_block_scan</text>"),
            std::string::npos);
}

TEST(RooflineTest, NoPointSaysWhy) {
  Report report = sampleReport(); // no flops counters
  std::string svg = rooflineSvg({&report});
  EXPECT_EQ(svg.find("<circle"), std::string::npos);
  EXPECT_NE(svg.find("roofline: no kernel has DRAM bytes and f32 flops"),
            std::string::npos);
}

TEST(ReportTest, ClocksAreShownInMHz) {
  Report report = sampleReport();
  report.metrics = {{metric::smFrequency, "SM cycles", "cycle/second"}};
  report.kernels[0].counters = {1.755e9};
  report.kernels[1].counters = {1.98e9};
  deriveAll(report);
  std::string table = formatKernelTable(report);
  EXPECT_NE(table.find("sm_MHz"), std::string::npos) << table;
  EXPECT_NE(table.find(" 1755\n"), std::string::npos) << table;
  EXPECT_NE(table.find(" 1980\n"), std::string::npos) << table;
}

TEST(ReportTest, StallsAreListedLargestFirst) {
  Report report = sampleReport();
  report.metrics.clear();
  for (const std::string &name : stallMetrics())
    report.metrics.push_back({name, "", "instruction"});
  // Kernel 1 stalls on long_scoreboard (index 6) most, then barrier (0).
  report.kernels[0].counters.assign(stallMetrics().size(), 0.0);
  report.kernels[1].counters.assign(stallMetrics().size(), 0.5);
  report.kernels[1].counters[6] = 12.25;
  report.kernels[1].counters[0] = 3.0;
  deriveAll(report);
  std::string table = formatKernelTable(report);
  EXPECT_EQ(table.find("stall_"), std::string::npos) << table; // no columns
  EXPECT_NE(table.find("\n1 ssm_selective_scan_block_scan: long_scoreboard "
                       "12.25, barrier 3.00, branch_resolving 0.50, "
                       "dispatch_stall 0.50, drain 0.50\n"),
            std::string::npos)
      << table;
}

TEST(ReportTest, CounterComparisonHasRatiosToTheFirst) {
  Report first = sampleReport();
  Report second = sampleReport();
  // Twice the time and half the DRAM bytes of the scan: 65.05 MB in
  // 102 us is 638 GB/s, 0.50 of the first's 129.05 MB.
  second.kernels[1].counters = {4.8e7, 1.6e7, 100000.0, 12.5};
  deriveAll(second);
  Report none = sampleReport();
  none.metrics.clear();
  for (ReportKernel &kernel : none.kernels)
    kernel.counters.clear();
  deriveAll(none);
  std::string table = formatCounterComparison({"a.so", "b.so", "c.so"},
                                              {&first, &second, &none});
  EXPECT_EQ(table,
            "binary  launches  kernel_us  dram_MB_rd  dram_MB_wr  GB/s  "
            "time/first  dram/first\n"
            "a.so           2      52.00       96.00       33.05  2482       "
            "1.00x       1.00x\n"
            "b.so           2     102.00       48.00       17.05   638       "
            "1.96x       0.50x\n"
            "c.so           2      52.60           -           -     -       "
            "1.01x           -\n"
            "(kernel_us: the kernels of one call, summed; x/first: against the "
            "first binary, above 1.00x is more)\n");
}

TEST(ReportTest, JsonReadsBack) {
  Report report = sampleWithFlops();
  Report back = parseReportJson(reportJson(report));
  EXPECT_EQ(reportJson(back), reportJson(report));
  EXPECT_EQ(formatKernelTable(back), formatKernelTable(report));
  ASSERT_EQ(back.kernels.size(), 2u);
  ASSERT_TRUE(back.kernels[1].record);
  EXPECT_EQ(back.kernels[1].record->grid[1], 64u);
  EXPECT_EQ(back.kernels[1].counters.size(), 5u);
  ASSERT_TRUE(back.kernels[1].derived.intensity);
  EXPECT_DOUBLE_EQ(*back.kernels[1].derived.intensity, 1.0);

  Report cpu;
  cpu.binary = "x.so";
  cpu.target = "cpu";
  cpu.notes = {"not collected: a CPU binary"};
  Report cpuBack = parseReportJson(reportJson(cpu));
  EXPECT_FALSE(cpuBack.device);
  EXPECT_TRUE(cpuBack.kernels.empty());
  EXPECT_EQ(cpuBack.notes, cpu.notes);
}

TEST(ReportTest, MalformedJsonNamesTheField) {
  EXPECT_EQ(errorOf([] { parseReportJson("{\"format\": \"other\"}"); }),
            "report: not an ssm-profile report (format is not "
            "\"ssm-profile\")");
  EXPECT_EQ(
      errorOf([] { parseReportJson("[1,"); }).rfind("report: not JSON", 0), 0u);
  std::string text = reportJson(sampleReport());
  std::string renamed = text;
  const std::string field = "\"registers_per_thread\": 72";
  renamed.replace(renamed.find(field), field.size(),
                  "\"registers_per_thread\": \"x\"");
  EXPECT_EQ(errorOf([&] { parseReportJson(renamed); }),
            "report: kernels[1].record.registers_per_thread: expected a "
            "non-negative integer");
  std::string noEntry = text;
  noEntry.replace(noEntry.find("\"entry\""), 7, "\"entri\"");
  EXPECT_EQ(errorOf([&] { parseReportJson(noEntry); }),
            "report: missing field 'entry'");
}

TEST(ReportTest, WriteReportWritesEveryFile) {
  char pattern[] = "/tmp/ssmrt-report-test-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  std::string dir = std::string(pattern) + "/out";
  Report report = sampleReport();
  std::vector<std::string> paths = writeReport(dir, report);
  ASSERT_EQ(paths.size(), 3u);
  EXPECT_EQ(readFile(paths[0]), reportJson(report));
  EXPECT_EQ(readFile(paths[1]), reportCsv(report));
  EXPECT_EQ(readFile(paths[2]), rooflineSvg({&report}));
  std::string error =
      errorOf([&] { writeReport("/nonexistent/dir/out", report); });
  EXPECT_EQ(error, "--report: cannot create directory /nonexistent/dir/out");
  (void)std::system(("rm -rf '" + std::string(pattern) + "'").c_str());
}

} // namespace
