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
    double err = std::fabs(grad.data[i] - numeric) /
                 std::max(1.0, std::fabs(numeric));
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
  EXPECT_THROW(Tensor({2, 2}, std::vector<double>{1.0}), std::invalid_argument);
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

class SelectiveScanGradTest
    : public ::testing::TestWithParam<
          std::tuple<bool, bool, bool, bool, bool>> {};

TEST_P(SelectiveScanGradTest, MatchesFiniteDifferences) {
  auto [hasD, hasZ, hasBias, hasDState, softplus] = GetParam();
  checkSelectiveScanGradients({hasD, hasZ, hasBias, hasDState, softplus},
                              1000 + hasD + 2 * hasZ + 4 * hasBias +
                                  8 * hasDState + 16 * softplus);
}

INSTANTIATE_TEST_SUITE_P(AllOptionalCombinations, SelectiveScanGradTest,
                         ::testing::Combine(::testing::Bool(),
                                            ::testing::Bool(),
                                            ::testing::Bool(),
                                            ::testing::Bool(),
                                            ::testing::Bool()));

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

} // namespace
