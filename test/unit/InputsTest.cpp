//===- InputsTest.cpp - Tests of ssm-run's seeded random inputs -----------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Run/Inputs.h"

#include <gtest/gtest.h>

#include <vector>

using namespace ssmrt;

namespace {

TensorSpec tensor(const std::string &name, std::vector<int64_t> shape) {
  TensorSpec spec;
  spec.name = name;
  spec.shape = std::move(shape);
  spec.dtype = Dtype::F32;
  spec.role = Role::Input;
  return spec;
}

OpSpec ssd(bool softplus) {
  OpSpec op;
  op.op = "ssm.ssd_scan";
  op.attrs["dt_softplus"] = softplus ? "true" : "false";
  op.operands = {"x",          "my_dt",      "A",       "B",         "C",
                 std::nullopt, std::nullopt, "my_bias", std::nullopt};
  op.results = {"y", "s"};
  return op;
}

TEST(InputsTest, StepsWithoutSoftplusAreNonNegative) {
  // Issue 15: an f16 SSD without softplus drew negative steps, its state
  // grew without bound and --check reported inf.
  EntrySpec entry;
  entry.ops = {ssd(false)};
  std::set<std::string> steps = stepsWithoutSoftplus(entry);
  EXPECT_EQ(steps, (std::set<std::string>{"my_dt", "my_bias"}));
  entry.ops = {ssd(true)};
  EXPECT_TRUE(stepsWithoutSoftplus(entry).empty());

  OpSpec scan;
  scan.op = "ssm.selective_scan_grad";
  scan.operands = {"u",  "delta",      "A",          "B",
                   "C",  std::nullopt, std::nullopt, std::nullopt,
                   "dy", std::nullopt};
  entry.ops = {scan};
  EXPECT_EQ(stepsWithoutSoftplus(entry), (std::set<std::string>{"delta"}));

  TensorSpec dt = tensor("delta", {4096});
  std::vector<float> values(4096), magnitudes(4096);
  fillRandom(dt, 7, values.data());
  fillRandom(dt, 7, magnitudes.data(), /*nonNegative=*/true);
  bool sawNegative = false;
  for (size_t i = 0; i < values.size(); ++i) {
    sawNegative |= values[i] < 0;
    EXPECT_GE(magnitudes[i], 0.0f);
    EXPECT_EQ(magnitudes[i], values[i] < 0 ? -values[i] : values[i]);
  }
  EXPECT_TRUE(sawNegative);
}

} // namespace
