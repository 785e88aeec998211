//===- ReferenceTest.cpp - Tests of the float64 reference oracle ---------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// Checks every backward of the reference against central finite differences of
// its forward's scalar loss, every forward against hand computations on tiny
// cases, and the by-name dispatcher against the typed functions.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Reference.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <tuple>

using namespace ssmrt::ref;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Finite-difference step and the accepted relative error.
constexpr double kStep = 1e-6;
constexpr double kTolerance = 1e-6;

/// Seeded random tensors; no generated element is zero.
class Random {
public:
  explicit Random(uint64_t seed) : gen(seed) {}

  double uniform(double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(gen);
  }
  /// Elements in [lo, hi); callers keep 0 outside the range.
  Tensor uniform(std::vector<int64_t> shape, double lo, double hi) {
    Tensor t(std::move(shape));
    for (double &v : t.data)
      v = uniform(lo, hi);
    return t;
  }
  /// Elements of magnitude in [0.1, 1) with a random sign.
  Tensor signedTensor(std::vector<int64_t> shape) {
    Tensor t(std::move(shape));
    for (double &v : t.data)
      v = (uniform(0.0, 1.0) < 0.5 ? -1.0 : 1.0) * uniform(0.1, 1.0);
    return t;
  }
  /// Strictly negative decay rates -exp(uniform(-1, 0.5)).
  Tensor negativeRates(std::vector<int64_t> shape) {
    Tensor t(std::move(shape));
    for (double &v : t.data)
      v = -std::exp(uniform(-1.0, 0.5));
    return t;
  }

private:
  std::mt19937_64 gen;
};

double dot(const Tensor &a, const Tensor &b) {
  EXPECT_EQ(a.shape, b.shape);
  double s = 0.0;
  for (size_t i = 0; i < a.data.size(); ++i)
    s += a.data[i] * b.data[i];
  return s;
}

/// One differentiable input and its analytic gradient.
struct GradCheck {
  std::string name;
  Tensor *param;
  const Tensor *grad;
};

/// Max over the elements of `param` of |analytic - numeric| / max(1,|numeric|)
/// where numeric is the central difference of `loss`, which reads `param`.
double finiteDifferenceError(Tensor &param, const Tensor &grad,
                             const std::function<double()> &loss) {
  EXPECT_EQ(param.shape, grad.shape);
  double worst = 0.0;
  for (size_t i = 0; i < param.data.size(); ++i) {
    double saved = param.data[i];
    param.data[i] = saved + kStep;
    double up = loss();
    param.data[i] = saved - kStep;
    double down = loss();
    param.data[i] = saved;
    double numeric = (up - down) / (2.0 * kStep);
    double err =
        std::fabs(grad.data[i] - numeric) / std::max(1.0, std::fabs(numeric));
    worst = std::max(worst, err);
  }
  return worst;
}

void expectGradientsMatch(const std::vector<GradCheck> &checks,
                          const std::function<double()> &loss) {
  for (const GradCheck &c : checks)
    EXPECT_LT(finiteDifferenceError(*c.param, *c.grad, loss), kTolerance)
        << "gradient of " << c.name;
}

/// Adds a check for an optional input; its gradient must be present iff it is.
void addOptional(std::vector<GradCheck> &checks, const std::string &name,
                 OptTensor &param, const OptTensor &grad) {
  EXPECT_EQ(param.has_value(), grad.has_value()) << "gradient of " << name;
  if (param && grad)
    checks.push_back({name, &*param, &*grad});
}

/// A test name listing the set flags, e.g. "D_z", or "none".
std::string flagsName(const std::vector<std::pair<bool, std::string>> &flags) {
  std::string name;
  for (const auto &[set, label] : flags)
    if (set)
      name += (name.empty() ? "" : "_") + label;
  return name.empty() ? "none" : name;
}

/// The message of the std::invalid_argument that `f` throws.
std::string invalidArgumentMessage(const std::function<void()> &f) {
  try {
    f();
  } catch (const std::invalid_argument &e) {
    return e.what();
  }
  ADD_FAILURE() << "expected std::invalid_argument";
  return "";
}

void expectTensorNear(const Tensor &t, const std::vector<double> &expected) {
  ASSERT_EQ(t.data.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(t.data[i], expected[i], 1e-12) << "element " << i;
}

void expectSame(const OptTensor &a, const OptTensor &b) {
  ASSERT_EQ(a.has_value(), b.has_value());
  if (a) {
    EXPECT_EQ(a->shape, b->shape);
    EXPECT_EQ(a->data, b->data);
  }
}

//===----------------------------------------------------------------------===//
// Scalar helpers
//===----------------------------------------------------------------------===//

TEST(ReferenceScalar, SoftplusIsStable) {
  EXPECT_DOUBLE_EQ(softplus(30.0), 30.0);
  EXPECT_DOUBLE_EQ(softplus(0.0), std::log(2.0));
  EXPECT_NEAR(softplus(1.5), std::log(1.0 + std::exp(1.5)), 1e-15);
  EXPECT_GT(softplus(-50.0), 0.0);
  EXPECT_NEAR(softplus(-50.0), std::exp(-50.0), 1e-30);
  EXPECT_DOUBLE_EQ(softplusGrad(30.0), 1.0);
}

TEST(ReferenceScalar, SiluAndSigmoid) {
  EXPECT_EQ(silu(0.0), 0.0);
  EXPECT_DOUBLE_EQ(silu(2.0), 2.0 / (1.0 + std::exp(-2.0)));
  EXPECT_DOUBLE_EQ(sigmoid(-800.0), 0.0);
  EXPECT_DOUBLE_EQ(sigmoid(800.0), 1.0);
  for (double x : {-3.0, -0.5, 0.0, 0.7, 4.0})
    EXPECT_NEAR(siluGrad(x), (silu(x + 1e-6) - silu(x - 1e-6)) / 2e-6, 1e-8);
}

TEST(ReferenceTensor, IndexingAndErrors) {
  Tensor t({2, 3, 4});
  EXPECT_EQ(t.numel(), 24);
  EXPECT_EQ(t.dim(-1), 4);
  t.at(1, 2, 3) = 5.0;
  EXPECT_EQ(t.data[23], 5.0);
  EXPECT_EQ(t.offset(1, 0, 2), 14);
  EXPECT_EQ(Tensor({1}, {0.25}).data, std::vector<double>{0.25});
  EXPECT_EQ(Tensor::filled({2}, 1.5).data, (std::vector<double>{1.5, 1.5}));
  EXPECT_THROW(Tensor({2, 2}, {1.0}), std::invalid_argument);
  EXPECT_EQ(formatShape({2, 4, 5}), "[2,4,5]");
}

//===----------------------------------------------------------------------===//
// ssm.selective_scan
//===----------------------------------------------------------------------===//

/// Which optional pieces a selective scan case uses.
struct SelectiveScanCase {
  bool hasD, hasZ, hasBias, hasDState, softplus;
  int64_t groups = 2;
};

/// Random operands with B=2, D=4, L=5, N=3.
SelectiveScanInputs randomSelectiveScan(Random &rng,
                                        const SelectiveScanCase &c) {
  const int64_t b = 2, d = 4, l = 5, n = 3, g = c.groups;
  SelectiveScanInputs in;
  in.u = rng.signedTensor({b, d, l});
  // Without softplus the raw delta is the step, so keep it positive.
  in.delta = c.softplus ? rng.signedTensor({b, d, l})
                        : rng.uniform({b, d, l}, 0.05, 0.8);
  in.A = rng.negativeRates({d, n});
  in.B = rng.signedTensor({b, g, n, l});
  in.C = rng.signedTensor({b, g, n, l});
  if (c.hasD)
    in.D = rng.signedTensor({d});
  if (c.hasZ)
    in.z = rng.signedTensor({b, d, l});
  if (c.hasBias)
    in.deltaBias = rng.uniform({d}, 0.05, 0.3);
  in.deltaSoftplus = c.softplus;
  return in;
}

void checkSelectiveScanGradients(const SelectiveScanCase &c, uint64_t seed) {
  Random rng(seed);
  SelectiveScanInputs in = randomSelectiveScan(rng, c);
  Tensor dy = rng.signedTensor(in.u.shape);
  OptTensor dState;
  if (c.hasDState)
    dState = rng.signedTensor({in.u.shape[0], in.u.shape[1], in.A.shape[1]});
  SelectiveScanGrads g = selectiveScanBackward(in, dy, dState);
  auto loss = [&] {
    SelectiveScanOutputs out = selectiveScanForward(in);
    return dot(out.y, dy) + (dState ? dot(out.lastState, *dState) : 0.0);
  };
  std::vector<GradCheck> checks = {{"u", &in.u, &g.du},
                                   {"delta", &in.delta, &g.ddelta},
                                   {"A", &in.A, &g.dA},
                                   {"B", &in.B, &g.dB},
                                   {"C", &in.C, &g.dC}};
  addOptional(checks, "D", in.D, g.dD);
  addOptional(checks, "z", in.z, g.dz);
  addOptional(checks, "delta_bias", in.deltaBias, g.ddeltaBias);
  expectGradientsMatch(checks, loss);
}

class SelectiveScanGradTest : public ::testing::TestWithParam<
                                  std::tuple<bool, bool, bool, bool, bool>> {};

TEST_P(SelectiveScanGradTest, MatchesFiniteDifferences) {
  auto [hasD, hasZ, hasBias, hasDState, softplus] = GetParam();
  checkSelectiveScanGradients({hasD, hasZ, hasBias, hasDState, softplus},
                              1000 + hasD + 2 * hasZ + 4 * hasBias +
                                  8 * hasDState + 16 * softplus);
}

std::string selectiveScanCaseName(
    const ::testing::TestParamInfo<SelectiveScanGradTest::ParamType> &info) {
  auto [hasD, hasZ, hasBias, hasDState, softplus] = info.param;
  return flagsName({{hasD, "D"},
                    {hasZ, "z"},
                    {hasBias, "deltaBias"},
                    {hasDState, "dLastState"},
                    {softplus, "softplus"}});
}

INSTANTIATE_TEST_SUITE_P(
    AllOptionalCombinations, SelectiveScanGradTest,
    ::testing::Combine(::testing::Bool(), ::testing::Bool(), ::testing::Bool(),
                       ::testing::Bool(), ::testing::Bool()),
    selectiveScanCaseName);

TEST(SelectiveScanGrad, OneGroupAndOneGroupPerChannel) {
  checkSelectiveScanGradients({true, true, true, true, true, 1}, 77);
  checkSelectiveScanGradients({true, true, true, true, true, 4}, 78);
}

TEST(SelectiveScanForward, TwoStepsByHand) {
  SelectiveScanInputs in;
  in.u = Tensor({1, 1, 2}, {2.0, -1.0});
  in.delta = Tensor({1, 1, 2}, {0.5, 0.25});
  in.A = Tensor({1, 1}, {-1.0});
  in.B = Tensor({1, 1, 1, 2}, {3.0, 2.0});
  in.C = Tensor({1, 1, 1, 2}, {0.5, 4.0});
  in.D = Tensor({1}, {0.25});
  in.z = Tensor({1, 1, 2}, {1.0, -2.0});
  SelectiveScanOutputs out = selectiveScanForward(in);
  double h0 = 0.5 * 3.0 * 2.0;
  double h1 = std::exp(-0.25) * h0 + 0.25 * 2.0 * -1.0;
  double y0 = (0.5 * h0 + 0.25 * 2.0) * (1.0 / (1.0 + std::exp(-1.0)));
  double y1 = (4.0 * h1 - 0.25) * (-2.0 / (1.0 + std::exp(2.0)));
  expectTensorNear(out.y, {y0, y1});
  expectTensorNear(out.lastState, {h1});
}

TEST(SelectiveScanForward, SoftplusBiasAndGroupsByHand) {
  // D=2 channels, G=2 groups, N=2, L=1: channel d reads group d.
  SelectiveScanInputs in;
  in.u = Tensor({1, 2, 1}, {2.0, 3.0});
  in.delta = Tensor({1, 2, 1}, {0.3, -0.4});
  in.deltaBias = Tensor({2}, {0.2, 0.1});
  in.deltaSoftplus = true;
  in.A = Tensor({2, 2}, {-1.0, -2.0, -3.0, -4.0});
  in.B = Tensor({1, 2, 2, 1}, {1.0, 2.0, 5.0, 7.0});
  in.C = Tensor({1, 2, 2, 1}, {0.5, 0.25, -1.0, 2.0});
  SelectiveScanOutputs out = selectiveScanForward(in);
  double dt0 = std::log(1.0 + std::exp(0.5));
  double dt1 = std::log(1.0 + std::exp(-0.3));
  std::vector<double> h = {dt0 * 1.0 * 2.0, dt0 * 2.0 * 2.0, dt1 * 5.0 * 3.0,
                           dt1 * 7.0 * 3.0};
  expectTensorNear(out.y, {0.5 * h[0] + 0.25 * h[1], -h[2] + 2.0 * h[3]});
  expectTensorNear(out.lastState, h);
}

//===----------------------------------------------------------------------===//
// ssm.ssd_scan
//===----------------------------------------------------------------------===//

/// Which optional pieces an SSD case uses.
struct SSDCase {
  bool hasD, hasZ, hasBias, hasInit, hasDState, softplus;
  int64_t groups = 2;
};

/// Random operands with B=2, L=5, H=4, P=3, N=2.
SSDScanInputs randomSSD(Random &rng, const SSDCase &c) {
  const int64_t b = 2, l = 5, h = 4, p = 3, n = 2, g = c.groups;
  SSDScanInputs in;
  in.x = rng.signedTensor({b, l, h, p});
  in.dt = c.softplus ? rng.signedTensor({b, l, h})
                     : rng.uniform({b, l, h}, 0.05, 0.8);
  in.A = rng.negativeRates({h});
  in.B = rng.signedTensor({b, l, g, n});
  in.C = rng.signedTensor({b, l, g, n});
  if (c.hasD)
    in.D = rng.signedTensor({h});
  if (c.hasZ)
    in.z = rng.signedTensor({b, l, h, p});
  if (c.hasBias)
    in.dtBias = rng.uniform({h}, 0.05, 0.3);
  if (c.hasInit)
    in.initialState = rng.signedTensor({b, h, p, n});
  in.dtSoftplus = c.softplus;
  return in;
}

void checkSSDGradients(const SSDCase &c, uint64_t seed) {
  Random rng(seed);
  SSDScanInputs in = randomSSD(rng, c);
  Tensor dy = rng.signedTensor(in.x.shape);
  OptTensor dState;
  if (c.hasDState)
    dState = rng.signedTensor(
        {in.x.shape[0], in.x.shape[2], in.x.shape[3], in.B.shape[3]});
  SSDScanGrads g = ssdScanBackward(in, dy, dState);
  auto loss = [&] {
    SSDScanOutputs out = ssdScanForward(in);
    return dot(out.y, dy) + (dState ? dot(out.finalState, *dState) : 0.0);
  };
  std::vector<GradCheck> checks = {{"x", &in.x, &g.dx},
                                   {"dt", &in.dt, &g.ddt},
                                   {"A", &in.A, &g.dA},
                                   {"B", &in.B, &g.dB},
                                   {"C", &in.C, &g.dC}};
  addOptional(checks, "D", in.D, g.dD);
  addOptional(checks, "z", in.z, g.dz);
  addOptional(checks, "dt_bias", in.dtBias, g.ddtBias);
  addOptional(checks, "initial_state", in.initialState, g.dInitialState);
  expectGradientsMatch(checks, loss);
}

class SSDScanGradTest : public ::testing::TestWithParam<
                            std::tuple<bool, bool, bool, bool, bool, bool>> {};

TEST_P(SSDScanGradTest, MatchesFiniteDifferences) {
  auto [hasD, hasZ, hasBias, hasInit, hasDState, softplus] = GetParam();
  checkSSDGradients({hasD, hasZ, hasBias, hasInit, hasDState, softplus},
                    2000 + hasD + 2 * hasZ + 4 * hasBias + 8 * hasInit +
                        16 * hasDState + 32 * softplus);
}

std::string
ssdCaseName(const ::testing::TestParamInfo<SSDScanGradTest::ParamType> &info) {
  auto [hasD, hasZ, hasBias, hasInit, hasDState, softplus] = info.param;
  return flagsName({{hasD, "D"},
                    {hasZ, "z"},
                    {hasBias, "dtBias"},
                    {hasInit, "initialState"},
                    {hasDState, "dFinalState"},
                    {softplus, "softplus"}});
}

INSTANTIATE_TEST_SUITE_P(
    AllOptionalCombinations, SSDScanGradTest,
    ::testing::Combine(::testing::Bool(), ::testing::Bool(), ::testing::Bool(),
                       ::testing::Bool(), ::testing::Bool(), ::testing::Bool()),
    ssdCaseName);

TEST(SSDScanGrad, OneGroupAndOneGroupPerHead) {
  checkSSDGradients({true, true, true, true, true, true, 1}, 91);
  checkSSDGradients({true, true, true, true, true, true, 4}, 92);
}

TEST(SSDScanForward, TwoStepsWithInitialStateByHand) {
  SSDScanInputs in;
  in.x = Tensor({1, 2, 1, 1}, {2.0, -1.0});
  in.dt = Tensor({1, 2, 1}, {0.5, 0.25});
  in.A = Tensor({1}, {-2.0});
  in.B = Tensor({1, 2, 1, 1}, {3.0, 2.0});
  in.C = Tensor({1, 2, 1, 1}, {0.5, 4.0});
  in.D = Tensor({1}, {0.25});
  in.z = Tensor({1, 2, 1, 1}, {1.0, -2.0});
  in.initialState = Tensor({1, 1, 1, 1}, {1.5});
  SSDScanOutputs out = ssdScanForward(in);
  double s1 = std::exp(-1.0) * 1.5 + 0.5 * 2.0 * 3.0;
  double s2 = std::exp(-0.5) * s1 + 0.25 * -1.0 * 2.0;
  double y0 = (0.5 * s1 + 0.25 * 2.0) * (1.0 / (1.0 + std::exp(-1.0)));
  double y1 = (4.0 * s2 - 0.25) * (-2.0 / (1.0 + std::exp(2.0)));
  expectTensorNear(out.y, {y0, y1});
  expectTensorNear(out.finalState, {s2});
}

TEST(SSDScanForward, SharedGroupOuterProductByHand) {
  // H=2 heads share G=1 group; P=2, N=2, L=1, softplus with bias.
  SSDScanInputs in;
  in.x = Tensor({1, 1, 2, 2}, {1.0, 2.0, 3.0, 4.0});
  in.dt = Tensor({1, 1, 2}, {0.1, -0.2});
  in.dtBias = Tensor({2}, {0.4, 0.3});
  in.dtSoftplus = true;
  in.A = Tensor({2}, {-1.0, -2.0});
  in.B = Tensor({1, 1, 1, 2}, {0.5, -1.0});
  in.C = Tensor({1, 1, 1, 2}, {2.0, 3.0});
  SSDScanOutputs out = ssdScanForward(in);
  double dt0 = std::log(1.0 + std::exp(0.5));
  double dt1 = std::log(1.0 + std::exp(0.1));
  std::vector<double> s = {dt0 * 1.0 * 0.5,  dt0 * 1.0 * -1.0, dt0 * 2.0 * 0.5,
                           dt0 * 2.0 * -1.0, dt1 * 3.0 * 0.5,  dt1 * 3.0 * -1.0,
                           dt1 * 4.0 * 0.5,  dt1 * 4.0 * -1.0};
  expectTensorNear(out.finalState, s);
  expectTensorNear(out.y, {2.0 * s[0] + 3.0 * s[1], 2.0 * s[2] + 3.0 * s[3],
                           2.0 * s[4] + 3.0 * s[5], 2.0 * s[6] + 3.0 * s[7]});
}

//===----------------------------------------------------------------------===//
// ssm.causal_conv1d
//===----------------------------------------------------------------------===//

class CausalConv1dGradTest
    : public ::testing::TestWithParam<std::tuple<bool, bool, int64_t>> {};

TEST_P(CausalConv1dGradTest, MatchesFiniteDifferences) {
  auto [hasBias, useSilu, width] = GetParam();
  Random rng(3000 + hasBias + 2 * useSilu + 4 * width);
  CausalConv1dInputs in;
  in.x = rng.signedTensor({2, 4, 5});
  in.weight = rng.signedTensor({4, width});
  if (hasBias)
    in.bias = rng.signedTensor({4});
  in.activation = useSilu ? Activation::Silu : Activation::None;
  Tensor dy = rng.signedTensor(in.x.shape);
  CausalConv1dGrads g = causalConv1dBackward(in, dy);
  auto loss = [&] { return dot(causalConv1dForward(in), dy); };
  std::vector<GradCheck> checks = {{"x", &in.x, &g.dx},
                                   {"weight", &in.weight, &g.dweight}};
  addOptional(checks, "bias", in.bias, g.dbias);
  expectGradientsMatch(checks, loss);
}

// L=5; widths 1, 4 and 7 (wider than the sequence).
std::string convCaseName(
    const ::testing::TestParamInfo<CausalConv1dGradTest::ParamType> &info) {
  auto [hasBias, useSilu, width] = info.param;
  return flagsName({{hasBias, "bias"}, {useSilu, "silu"}}) + "_W" +
         std::to_string(width);
}

INSTANTIATE_TEST_SUITE_P(BiasActivationWidth, CausalConv1dGradTest,
                         ::testing::Combine(::testing::Bool(),
                                            ::testing::Bool(),
                                            ::testing::Values(1, 4, 7)),
                         convCaseName);

TEST(CausalConv1dForward, ByHand) {
  CausalConv1dInputs in;
  in.x = Tensor({1, 1, 3}, {1.0, 2.0, 3.0});
  in.weight = Tensor({1, 3}, {0.5, -1.0, 2.0});
  in.bias = Tensor({1}, {0.1});
  expectTensorNear(causalConv1dForward(in), {2.1, 3.1, 4.6});
  in.activation = Activation::Silu;
  expectTensorNear(causalConv1dForward(in),
                   {2.1 / (1.0 + std::exp(-2.1)), 3.1 / (1.0 + std::exp(-3.1)),
                    4.6 / (1.0 + std::exp(-4.6))});
}

TEST(CausalConv1dForward, WidthLongerThanSequenceByHand) {
  CausalConv1dInputs in;
  in.x = Tensor({1, 1, 3}, {1.0, 2.0, 3.0});
  in.weight = Tensor({1, 5}, {10.0, 20.0, 0.5, -1.0, 2.0});
  // Taps 0 and 1 only ever see the zero padding.
  expectTensorNear(causalConv1dForward(in), {2.0, 3.0, 4.5});
}

//===----------------------------------------------------------------------===//
// ssm.rms_norm
//===----------------------------------------------------------------------===//

enum class NormMode { Plain, Residual, Gated };

/// An RMS norm case: the mode, whether d_residual_out is given, the shape.
using NormCase = std::tuple<NormMode, bool, std::vector<int64_t>>;

class RMSNormGradTest : public ::testing::TestWithParam<NormCase> {};

TEST_P(RMSNormGradTest, MatchesFiniteDifferences) {
  auto [mode, hasDResidualOut, shape] = GetParam();
  Random rng(4000 + static_cast<int>(mode) * 2 + hasDResidualOut +
             10 * shape.size());
  RMSNormInputs in;
  in.x = rng.signedTensor(shape);
  in.weight = rng.signedTensor({shape.back()});
  in.eps = 1e-5;
  if (mode == NormMode::Residual)
    in.residual = rng.signedTensor(shape);
  if (mode == NormMode::Gated)
    in.z = rng.signedTensor(shape);
  Tensor dy = rng.signedTensor(shape);
  OptTensor dResidualOut;
  if (hasDResidualOut)
    dResidualOut = rng.signedTensor(shape);
  RMSNormGrads g = rmsNormBackward(in, dy, dResidualOut);
  auto loss = [&] {
    RMSNormOutputs out = rmsNormForward(in);
    return dot(out.y, dy) +
           (dResidualOut ? dot(*out.residualOut, *dResidualOut) : 0.0);
  };
  std::vector<GradCheck> checks = {{"x", &in.x, &g.dx},
                                   {"weight", &in.weight, &g.dweight}};
  addOptional(checks, "residual", in.residual, g.dresidual);
  addOptional(checks, "z", in.z, g.dz);
  expectGradientsMatch(checks, loss);
}

std::string
normCaseName(const ::testing::TestParamInfo<RMSNormGradTest::ParamType> &info) {
  auto [mode, hasDResidualOut, shape] = info.param;
  const char *modeName[] = {"plain", "residual", "gated"};
  return std::string(modeName[static_cast<int>(mode)]) +
         (hasDResidualOut ? "_dResidualOut" : "") + "_rank" +
         std::to_string(shape.size());
}

INSTANTIATE_TEST_SUITE_P(
    Modes, RMSNormGradTest,
    ::testing::Values(NormCase{NormMode::Plain, false, {2, 3, 5}},
                      NormCase{NormMode::Plain, false, {6}},
                      NormCase{NormMode::Residual, false, {2, 3, 5}},
                      NormCase{NormMode::Residual, true, {2, 3, 5}},
                      NormCase{NormMode::Residual, true, {6}},
                      NormCase{NormMode::Gated, false, {2, 3, 5}},
                      NormCase{NormMode::Gated, false, {6}}),
    normCaseName);

TEST(RMSNormForward, PlainByHand) {
  RMSNormInputs in;
  in.x = Tensor({2, 2}, {3.0, 4.0, -1.0, 1.0});
  in.weight = Tensor({2}, {1.0, 2.0});
  in.eps = 0.0;
  double r = std::sqrt(12.5);
  expectTensorNear(rmsNormForward(in).y, {3.0 / r, 8.0 / r, -1.0, 2.0});
  in.eps = 0.5;
  r = std::sqrt(13.0);
  double r2 = std::sqrt(1.5);
  expectTensorNear(rmsNormForward(in).y,
                   {3.0 / r, 8.0 / r, -1.0 / r2, 2.0 / r2});
}

TEST(RMSNormForward, ResidualByHand) {
  RMSNormInputs in;
  in.x = Tensor({2}, {1.0, 1.0});
  in.residual = Tensor({2}, {2.0, 3.0});
  in.weight = Tensor({2}, {1.0, 2.0});
  in.eps = 0.0;
  RMSNormOutputs out = rmsNormForward(in);
  double r = std::sqrt(12.5);
  expectTensorNear(out.y, {3.0 / r, 8.0 / r});
  ASSERT_TRUE(out.residualOut.has_value());
  expectTensorNear(*out.residualOut, {3.0, 4.0});
}

TEST(RMSNormForward, GatedByHand) {
  RMSNormInputs in;
  in.x = Tensor({2}, {3.0, 4.0});
  in.z = Tensor({2}, {0.0, 1.0});
  in.weight = Tensor({2}, {1.0, 2.0});
  in.eps = 0.0;
  RMSNormOutputs out = rmsNormForward(in);
  // silu(0) = 0 zeroes the first element before the norm.
  double g = 4.0 / (1.0 + std::exp(-1.0));
  expectTensorNear(out.y, {0.0, g / std::sqrt(g * g / 2.0) * 2.0});
  EXPECT_FALSE(out.residualOut.has_value());
}

//===----------------------------------------------------------------------===//
// evaluateOp
//===----------------------------------------------------------------------===//

TEST(EvaluateOp, SignaturesOfEveryOp) {
  EXPECT_EQ(supportedOps().size(), 22u);
  const OpSignature &sig = opSignature("ssm.ssd_scan_grad");
  EXPECT_EQ(sig.operands.size(), 11u);
  EXPECT_EQ(sig.operands[8], "initial_state");
  EXPECT_TRUE(sig.optionalOperands[8]);
  EXPECT_FALSE(sig.optionalOperands[9]);
  EXPECT_EQ(sig.results.back(), "d_initial_state");
  EXPECT_EQ(opSignature("ssm.rms_norm").results,
            (std::vector<std::string>{"y", "residual_out"}));
}

TEST(EvaluateOp, SelectiveScanMatchesTypedCalls) {
  Random rng(5001);
  SelectiveScanInputs in =
      randomSelectiveScan(rng, {true, true, true, true, true});
  Tensor dy = rng.signedTensor(in.u.shape);
  Tensor dState = rng.signedTensor({2, 4, 3});
  Attrs attrs = {{"delta_softplus", "true"}};
  std::vector<OptTensor> ops = {in.u, in.delta, in.A, in.B,
                                in.C, in.D,     in.z, in.deltaBias};
  std::vector<OptTensor> fwd = evaluateOp("ssm.selective_scan", attrs, ops);
  SelectiveScanOutputs out = selectiveScanForward(in);
  ASSERT_EQ(fwd.size(), 2u);
  expectSame(fwd[0], out.y);
  expectSame(fwd[1], out.lastState);
  ops.push_back(dy);
  ops.push_back(dState);
  std::vector<OptTensor> bwd =
      evaluateOp("ssm.selective_scan_grad", attrs, ops);
  SelectiveScanGrads g = selectiveScanBackward(in, dy, dState);
  std::vector<OptTensor> typed = {g.du, g.ddelta, g.dA, g.dB,
                                  g.dC, g.dD,     g.dz, g.ddeltaBias};
  ASSERT_EQ(bwd.size(), typed.size());
  for (size_t i = 0; i < typed.size(); ++i)
    expectSame(bwd[i], typed[i]);
}

TEST(EvaluateOp, SelectiveScanAbsentOptionalsGiveAbsentResults) {
  Random rng(5002);
  SelectiveScanInputs in =
      randomSelectiveScan(rng, {false, false, false, false, false});
  Tensor dy = rng.signedTensor(in.u.shape);
  std::vector<OptTensor> bwd =
      evaluateOp("ssm.selective_scan_grad", {},
                 {in.u, in.delta, in.A, in.B, in.C, std::nullopt, std::nullopt,
                  std::nullopt, dy, std::nullopt});
  ASSERT_EQ(bwd.size(), 8u);
  for (size_t i = 0; i < 5; ++i)
    EXPECT_TRUE(bwd[i].has_value()) << i;
  for (size_t i = 5; i < 8; ++i)
    EXPECT_FALSE(bwd[i].has_value()) << i;
  expectSame(bwd[1], selectiveScanBackward(in, dy, std::nullopt).ddelta);
}

TEST(EvaluateOp, SSDScanMatchesTypedCalls) {
  Random rng(5003);
  SSDScanInputs in = randomSSD(rng, {true, true, true, true, true, true});
  Tensor dy = rng.signedTensor(in.x.shape);
  Tensor dState = rng.signedTensor({2, 4, 3, 2});
  // chunk_size is a lowering hint that the reference ignores.
  Attrs attrs = {{"dt_softplus", "true"}, {"chunk_size", "2"}};
  std::vector<OptTensor> ops = {in.x, in.dt, in.A,      in.B,           in.C,
                                in.D, in.z,  in.dtBias, in.initialState};
  std::vector<OptTensor> fwd = evaluateOp("ssm.ssd_scan", attrs, ops);
  SSDScanOutputs out = ssdScanForward(in);
  ASSERT_EQ(fwd.size(), 2u);
  expectSame(fwd[0], out.y);
  expectSame(fwd[1], out.finalState);
  ops.push_back(dy);
  ops.push_back(dState);
  std::vector<OptTensor> bwd = evaluateOp("ssm.ssd_scan_grad", attrs, ops);
  SSDScanGrads g = ssdScanBackward(in, dy, dState);
  std::vector<OptTensor> typed = {g.dx, g.ddt, g.dA,      g.dB,           g.dC,
                                  g.dD, g.dz,  g.ddtBias, g.dInitialState};
  ASSERT_EQ(bwd.size(), typed.size());
  for (size_t i = 0; i < typed.size(); ++i)
    expectSame(bwd[i], typed[i]);
}

TEST(EvaluateOp, CausalConv1dMatchesTypedCalls) {
  Random rng(5004);
  CausalConv1dInputs in;
  in.x = rng.signedTensor({2, 4, 5});
  in.weight = rng.signedTensor({4, 4});
  in.bias = rng.signedTensor({4});
  in.activation = Activation::Silu;
  Tensor dy = rng.signedTensor(in.x.shape);
  Attrs attrs = {{"activation", "silu"}};
  std::vector<OptTensor> fwd =
      evaluateOp("ssm.causal_conv1d", attrs, {in.x, in.weight, in.bias});
  ASSERT_EQ(fwd.size(), 1u);
  expectSame(fwd[0], causalConv1dForward(in));
  std::vector<OptTensor> bwd = evaluateOp("ssm.causal_conv1d_grad", attrs,
                                          {in.x, in.weight, std::nullopt, dy});
  in.bias.reset();
  CausalConv1dGrads g = causalConv1dBackward(in, dy);
  ASSERT_EQ(bwd.size(), 3u);
  expectSame(bwd[0], g.dx);
  expectSame(bwd[1], g.dweight);
  EXPECT_FALSE(bwd[2].has_value());
}

TEST(EvaluateOp, RMSNormMatchesTypedCalls) {
  Random rng(5005);
  RMSNormInputs in;
  in.x = rng.signedTensor({2, 3, 5});
  in.weight = rng.signedTensor({5});
  in.residual = rng.signedTensor({2, 3, 5});
  in.eps = 1e-5;
  Tensor dy = rng.signedTensor(in.x.shape);
  Tensor dRes = rng.signedTensor(in.x.shape);
  RMSNormOutputs out = rmsNormForward(in);
  for (std::string eps : {"1e-05", "1.000000e-05 : f32"}) {
    Attrs attrs = {{"eps", eps}};
    std::vector<OptTensor> fwd = evaluateOp(
        "ssm.rms_norm", attrs, {in.x, in.weight, in.residual, std::nullopt});
    ASSERT_EQ(fwd.size(), 2u);
    expectSame(fwd[0], out.y);
    expectSame(fwd[1], out.residualOut);
  }
  std::vector<OptTensor> bwd =
      evaluateOp("ssm.rms_norm_grad", {{"eps", "1e-5"}},
                 {in.x, in.weight, in.residual, std::nullopt, dy, dRes});
  RMSNormGrads g = rmsNormBackward(in, dy, dRes);
  ASSERT_EQ(bwd.size(), 4u);
  expectSame(bwd[0], g.dx);
  expectSame(bwd[1], g.dweight);
  expectSame(bwd[2], g.dresidual);
  EXPECT_FALSE(bwd[3].has_value());
}

TEST(EvaluateOp, UnknownOpThrows) {
  std::string msg =
      invalidArgumentMessage([] { evaluateOp("ssm.bogus_scan", {}, {}); });
  EXPECT_NE(msg.find("ssm.bogus_scan"), std::string::npos) << msg;
}

TEST(EvaluateOp, WrongOperandCountThrows) {
  Tensor t({1, 1, 1});
  std::string msg = invalidArgumentMessage([&] {
    evaluateOp("ssm.causal_conv1d", {}, {t, Tensor({1, 1})});
  });
  EXPECT_NE(msg.find("expected 3 operands"), std::string::npos) << msg;
}

TEST(EvaluateOp, MissingRequiredOperandThrows) {
  std::string msg = invalidArgumentMessage([] {
    evaluateOp("ssm.causal_conv1d", {},
               {Tensor({1, 1, 2}), std::nullopt, std::nullopt});
  });
  EXPECT_NE(msg.find("'weight'"), std::string::npos) << msg;
}

TEST(EvaluateOp, ShapeMismatchNamesOperandAndDimension) {
  Random rng(5006);
  SelectiveScanInputs in =
      randomSelectiveScan(rng, {false, false, false, false, false});
  Tensor badB = rng.signedTensor({2, 2, 7, 5}); // N should be 3.
  std::string msg = invalidArgumentMessage([&] {
    evaluateOp("ssm.selective_scan", {},
               {in.u, in.delta, in.A, badB, in.C, std::nullopt, std::nullopt,
                std::nullopt});
  });
  EXPECT_NE(msg.find("'B'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("dimension 2"), std::string::npos) << msg;

  Tensor badDy = rng.signedTensor({2, 4, 5, 1});
  msg = invalidArgumentMessage([&] {
    evaluateOp("ssm.causal_conv1d_grad", {},
               {in.u, Tensor::filled({4, 2}, 1.0), std::nullopt, badDy});
  });
  EXPECT_NE(msg.find("'dy'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("rank"), std::string::npos) << msg;
}

TEST(EvaluateOp, GroupsMustDivideChannels) {
  Random rng(5007);
  SSDScanInputs in =
      randomSSD(rng, {false, false, false, false, false, false, 3});
  std::string msg = invalidArgumentMessage([&] { ssdScanForward(in); });
  EXPECT_NE(msg.find("'B'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("groups"), std::string::npos) << msg;
}

TEST(EvaluateOp, MalformedAttributesThrow) {
  Tensor x = Tensor::filled({1, 1, 2}, 1.0);
  Tensor w = Tensor::filled({1, 2}, 1.0);
  std::string msg = invalidArgumentMessage([&] {
    evaluateOp("ssm.causal_conv1d", {{"activation", "gelu"}},
               {x, w, std::nullopt});
  });
  EXPECT_NE(msg.find("activation"), std::string::npos) << msg;
  msg = invalidArgumentMessage([&] {
    evaluateOp("ssm.rms_norm", {{"eps", "tiny"}},
               {x, Tensor::filled({2}, 1.0), std::nullopt, std::nullopt});
  });
  EXPECT_NE(msg.find("eps"), std::string::npos) << msg;
  Random rng(5008);
  SelectiveScanInputs in =
      randomSelectiveScan(rng, {false, false, false, false, false});
  msg = invalidArgumentMessage([&] {
    evaluateOp("ssm.selective_scan", {{"delta_softplus", "maybe"}},
               {in.u, in.delta, in.A, in.B, in.C, std::nullopt, std::nullopt,
                std::nullopt});
  });
  EXPECT_NE(msg.find("delta_softplus"), std::string::npos) << msg;
}

TEST(EvaluateOp, RMSNormRejectsResidualWithGate) {
  Tensor x = Tensor::filled({2, 3}, 1.0);
  std::string msg = invalidArgumentMessage([&] {
    evaluateOp("ssm.rms_norm", {}, {x, Tensor::filled({3}, 1.0), x, x});
  });
  EXPECT_NE(msg.find("'residual'"), std::string::npos) << msg;
  msg = invalidArgumentMessage([&] {
    evaluateOp("ssm.rms_norm_grad", {},
               {x, Tensor::filled({3}, 1.0), std::nullopt, std::nullopt, x, x});
  });
  EXPECT_NE(msg.find("'d_residual_out'"), std::string::npos) << msg;
}

} // namespace
