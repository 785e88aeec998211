//===- CompareTest.cpp - Tests of ssm-run --compare's pure parts ----------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// Time statistics, interleaved timing order, lowering differences, signature
// checks and the table of `ssm-run --compare`, without any workload binary.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Run/Compare.h"
#include "ssmrt/Run/Execute.h"

#include "Run/Text.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <map>
#include <string>
#include <vector>

using namespace ssmrt;

namespace {

//===----------------------------------------------------------------------===//
// Statistics
//===----------------------------------------------------------------------===//

TEST(CompareStatsTest, MedianOfOddAndEvenCounts) {
  TimeStats odd = summarizeTimes({3.0, 1.0, 2.0});
  EXPECT_DOUBLE_EQ(odd.median, 2.0);
  EXPECT_DOUBLE_EQ(odd.min, 1.0);
  EXPECT_DOUBLE_EQ(odd.max, 3.0);
  EXPECT_EQ(odd.count, 3u);
  TimeStats even = summarizeTimes({4.0, 1.0, 2.0, 3.0});
  EXPECT_DOUBLE_EQ(even.median, 2.5);
  EXPECT_EQ(even.count, 4u);
  TimeStats empty = summarizeTimes({});
  EXPECT_EQ(empty.count, 0u);
  EXPECT_DOUBLE_EQ(empty.median, 0.0);
}

TEST(CompareStatsTest, SpreadIsRangeOverMedianInPercent) {
  EXPECT_DOUBLE_EQ(summarizeTimes({1.0, 2.0, 1.5}).spreadPercent(),
                   100.0 * 1.0 / 1.5);
  EXPECT_DOUBLE_EQ(summarizeTimes({2.0, 2.0}).spreadPercent(), 0.0);
  EXPECT_DOUBLE_EQ(summarizeTimes({0.0, 0.0}).spreadPercent(), 0.0);
  EXPECT_TRUE(std::isinf(summarizeTimes({0.0, 0.0, 1.0}).spreadPercent()));
}

/// Logs every call into a shared string, and times each call as its count.
class LoggingExecutor : public Executor {
public:
  LoggingExecutor(char name, std::string &log) : name(name), log(log) {}
  void run() override { log += static_cast<char>(std::tolower(name)); }
  double timedRun() override {
    log += name;
    return ++calls;
  }
  double kernelRun(size_t &launches) override {
    log += '*';
    launches = 3;
    return 0.5;
  }
  void uploadArguments(const HostBuffers &) override {}
  void uploadResults(const HostBuffers &) override {}
  void fetchResults(HostBuffers &) override {}

private:
  char name;
  std::string &log;
  int calls = 0;
};

TEST(CompareStatsTest, RoundsInterleaveTheExecutors) {
  std::string log;
  LoggingExecutor a('A', log), b('B', log), c('C', log);
  std::vector<EntryTimes> times = timeInterleaved({&a, &b, &c}, 2, 3);
  // Warmup calls (lower case), timed rounds, then kernel-timing rounds.
  EXPECT_EQ(log, "abcabcABCABCABC*********");
  ASSERT_EQ(times.size(), 3u);
  EXPECT_EQ(times[1].times, (std::vector<double>{1.0, 2.0, 3.0}));
  EXPECT_EQ(times[2].kernelTimes, (std::vector<double>{0.5, 0.5, 0.5}));
  EXPECT_EQ(times[2].launches, 3u);
}

//===----------------------------------------------------------------------===//
// Lowering choices
//===----------------------------------------------------------------------===//

OpSpec makeOp(const std::string &name,
              std::map<std::string, std::string> lowering) {
  OpSpec op;
  op.op = name;
  op.lowering = std::move(lowering);
  return op;
}

TEST(CompareLoweringTest, OptionsThenPerOpChoices) {
  Manifest manifest;
  manifest.options = {{"chunk-len", "64"}, {"ssd-tile", "8"}};
  EntrySpec entry;
  entry.ops = {makeOp("ssm.selective_scan_grad",
                      {{"variant", "fused"}, {"chunk_len", "32"}}),
               makeOp("ssm.causal_conv1d", {}),
               makeOp("ssm.rms_norm", {{"strategy", "row"}}),
               makeOp("ssm.rms_norm", {{"strategy", "warp"}})};
  LoweringChoices expected = {{"chunk-len", "64"},
                              {"ssd-tile", "8"},
                              {"selective_scan_grad.chunk_len", "32"},
                              {"selective_scan_grad.variant", "fused"},
                              {"rms_norm[2].strategy", "row"},
                              {"rms_norm[3].strategy", "warp"}};
  EXPECT_EQ(loweringChoices(manifest, entry), expected);
}

TEST(CompareLoweringTest, DifferingKeysInOrderOfFirstAppearance) {
  std::vector<LoweringChoices> choices = {
      {{"chunk-len", "8"}, {"ssd-tile", "8"}, {"scan.variant", "a"}},
      {{"chunk-len", "64"}, {"ssd-tile", "8"}, {"scan.variant", "a"}},
      {{"chunk-len", "8"}, {"ssd-tile", "8"}, {"scan.extra", "1"}}};
  EXPECT_EQ(
      differingKeys(choices),
      (std::vector<std::string>{"chunk-len", "scan.variant", "scan.extra"}));
  EXPECT_TRUE(differingKeys({choices[0], choices[0]}).empty());
}

//===----------------------------------------------------------------------===//
// Signatures
//===----------------------------------------------------------------------===//

TensorSpec makeTensor(const std::string &name, std::vector<int64_t> shape,
                      Dtype dtype = Dtype::F32, Role role = Role::Input) {
  TensorSpec tensor;
  tensor.name = name;
  tensor.shape = std::move(shape);
  tensor.dtype = dtype;
  tensor.role = role;
  return tensor;
}

EntrySpec scanEntry() {
  EntrySpec entry;
  entry.name = "forward";
  entry.tensors = {makeTensor("u", {1, 4, 37}),
                   makeTensor("A", {4, 3}, Dtype::F32, Role::Parameter),
                   makeTensor("y", {1, 4, 37}, Dtype::F32, Role::Output)};
  return entry;
}

TEST(CompareSignatureTest, SameSignatureMatches) {
  EntrySpec other = scanEntry();
  other.name = "other_name"; // The names of entries may differ.
  EXPECT_EQ(signatureMismatch(scanEntry(), other), "");
}

TEST(CompareSignatureTest, EachDifferenceNamesTheTensor) {
  EntrySpec first = scanEntry(), other = scanEntry();
  other.tensors[0].shape = {1, 4, 16};
  EXPECT_EQ(signatureMismatch(first, other),
            "tensor 'u' is f32[1,4,16], expected f32[1,4,37]");
  other = scanEntry();
  other.tensors[2].dtype = Dtype::BF16;
  EXPECT_EQ(signatureMismatch(first, other),
            "tensor 'y' is bf16[1,4,37], expected f32[1,4,37]");
  other = scanEntry();
  other.tensors[1].role = Role::Input;
  EXPECT_EQ(signatureMismatch(first, other),
            "tensor 'A' is input, expected parameter");
  other = scanEntry();
  other.tensors[0].name = "x";
  EXPECT_EQ(signatureMismatch(first, other),
            "tensor 0 is 'x' (f32[1,4,37]), expected 'u' (f32[1,4,37])");
  other = scanEntry();
  other.tensors.pop_back();
  EXPECT_EQ(signatureMismatch(first, other),
            "tensor 'y' (f32[1,4,37]) is missing");
  EXPECT_EQ(signatureMismatch(other, first),
            "tensor 'y' (f32[1,4,37]) is extra");
}

//===----------------------------------------------------------------------===//
// The table
//===----------------------------------------------------------------------===//

TEST(CompareTableTest, ShortNamesAreFileNamesWhenUnique) {
  EXPECT_EQ(shortNames({"/tmp/x/a.so", "b.so"}),
            (std::vector<std::string>{"a.so", "b.so"}));
  EXPECT_EQ(shortNames({"/tmp/x/a.so", "/tmp/y/a.so"}),
            (std::vector<std::string>{"/tmp/x/a.so", "/tmp/y/a.so"}));
}

CompareRow makeRow(const std::string &name, LoweringChoices lowering,
                   std::vector<double> times) {
  CompareRow row;
  row.name = name;
  row.lowering = std::move(lowering);
  row.time = summarizeTimes(std::move(times));
  return row;
}

TEST(CompareTableTest, CpuTable) {
  std::vector<CompareRow> rows = {
      makeRow("c8.so", {{"chunk-len", "8"}}, {2.0, 1.0, 3.0}),
      makeRow("chunk64.so", {{"chunk-len", "64"}}, {1.0, 1.5, 1.25}),
      makeRow("plain.so", {}, {4.0})};
  EXPECT_EQ(
      formatCompareTable({"chunk-len"}, rows),
      "binary      chunk-len  median ms  min ms  max ms  spread  time/first\n"
      "c8.so       8             2.0000  1.0000  3.0000  100.0%       1.00x\n"
      "chunk64.so  64            1.2500  1.0000  1.5000   40.0%       0.62x\n"
      "plain.so    -             4.0000  4.0000  4.0000    0.0%       2.00x\n"
      "time/first: median over the first binary's median, above 1.00x is "
      "slower\n");
}

TEST(CompareTableTest, GpuTableAddsKernelColumns) {
  std::vector<CompareRow> rows = {makeRow("a.so", {}, {2.0}),
                                  makeRow("b.so", {}, {3.0})};
  rows[0].kernelTime = summarizeTimes({1.0});
  rows[0].launches = 4;
  rows[1].kernelTime = summarizeTimes({0.5});
  rows[1].launches = 12;
  EXPECT_EQ(formatCompareTable({}, rows),
            "binary  median ms  min ms  max ms  spread  time/first  kernel ms  "
            "kernel/first  launches\n"
            "a.so       2.0000  2.0000  2.0000    0.0%       1.00x     1.0000  "
            "       1.00x         4\n"
            "b.so       3.0000  3.0000  3.0000    0.0%       1.50x     0.5000  "
            "       0.50x        12\n"
            "time/first: median over the first binary's median, above 1.00x "
            "is slower; kernel/first: the same for kernel time\n");
}

} // namespace

// Counts in report lines: "1 pass", "10 passes", "3 metrics".
TEST(TextTest, CountOfPluralises) {
  EXPECT_EQ(ssmrt::countOf(1, "pass"), "1 pass");
  EXPECT_EQ(ssmrt::countOf(10, "pass"), "10 passes");
  EXPECT_EQ(ssmrt::countOf(3, "metric"), "3 metrics");
  EXPECT_EQ(ssmrt::countOf(0, "tensor"), "0 tensors");
}
