//===- GraphOpsTest.cpp - Tests of the reference graph ops ----------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// The float64 reference of the graph ops (linear, embedding, cross-entropy,
// transpose, reshape, slice, add, fill): forwards on hand-computed cases,
// every gradient against central finite differences of its forward, and
// the by-name dispatcher with its textual attributes.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Reference.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <stdexcept>

using namespace ssmrt::ref;

namespace {

/// Tensors of magnitude in [0.1, 1) with a random sign: never zero.
Tensor randomTensor(std::mt19937_64 &gen, std::vector<int64_t> shape) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Tensor t(std::move(shape));
  for (double &v : t.data)
    v = (unit(gen) < 0.5 ? -1.0 : 1.0) * (0.1 + 0.9 * unit(gen));
  return t;
}

double dot(const Tensor &a, const Tensor &b) {
  EXPECT_EQ(a.shape, b.shape);
  double s = 0.0;
  for (size_t i = 0; i < a.data.size(); ++i)
    s += a.data[i] * b.data[i];
  return s;
}

/// Max over the elements of `param` of |grad - central difference of
/// `loss`| / max(1, |central difference|).
double fdError(Tensor &param, const Tensor &grad,
               const std::function<double()> &loss) {
  EXPECT_EQ(param.shape, grad.shape);
  const double step = 1e-6;
  double worst = 0.0;
  for (size_t i = 0; i < param.data.size(); ++i) {
    double saved = param.data[i];
    param.data[i] = saved + step;
    double up = loss();
    param.data[i] = saved - step;
    double down = loss();
    param.data[i] = saved;
    double numeric = (up - down) / (2 * step);
    worst = std::max(worst, std::fabs(grad.data[i] - numeric) /
                                std::max(1.0, std::fabs(numeric)));
  }
  return worst;
}

void expectData(const Tensor &t, const std::vector<double> &expected) {
  ASSERT_EQ(t.data.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(t.data[i], expected[i], 1e-12) << "element " << i;
}

std::string invalidMessage(const std::function<void()> &f) {
  try {
    f();
  } catch (const std::invalid_argument &e) {
    return e.what();
  }
  ADD_FAILURE() << "expected std::invalid_argument";
  return "";
}

//===----------------------------------------------------------------------===//
// ssm.linear
//===----------------------------------------------------------------------===//

TEST(LinearForward, ByHand) {
  // x [1,2,2], weight [3,2], bias [3].
  LinearInputs in{Tensor({1, 2, 2}, {1, 2, 3, 4}),
                  Tensor({3, 2}, {1, 0, 0, 1, 1, -1}),
                  Tensor({3}, {10, 20, 30})};
  Tensor y = linearForward(in);
  EXPECT_EQ(y.shape, (std::vector<int64_t>{1, 2, 3}));
  expectData(y, {11, 22, 29, 13, 24, 29});
  in.bias.reset();
  expectData(linearForward(in), {1, 2, -1, 3, 4, -1});
}

TEST(LinearGrad, MatchesFiniteDifferences) {
  for (bool hasBias : {false, true}) {
    std::mt19937_64 gen(11 + hasBias);
    LinearInputs in{randomTensor(gen, {2, 3, 4}), randomTensor(gen, {5, 4}),
                    std::nullopt};
    if (hasBias)
      in.bias = randomTensor(gen, {5});
    Tensor dy = randomTensor(gen, {2, 3, 5});
    LinearGrads g = linearBackward(in, dy);
    auto loss = [&] { return dot(linearForward(in), dy); };
    EXPECT_LT(fdError(in.x, g.dx, loss), 1e-7);
    EXPECT_LT(fdError(in.weight, g.dweight, loss), 1e-7);
    ASSERT_EQ(g.dbias.has_value(), hasBias);
    if (hasBias)
      EXPECT_LT(fdError(*in.bias, *g.dbias, loss), 1e-7);
  }
}

TEST(LinearForward, ShapeErrors) {
  EXPECT_NE(invalidMessage([] {
              linearForward({Tensor({4}), Tensor({3, 4}), std::nullopt});
            }).find("operand 'x' has rank 1"),
            std::string::npos);
  EXPECT_NE(invalidMessage([] {
              linearForward({Tensor({2, 4}), Tensor({3, 5}), std::nullopt});
            }).find("operand 'weight' dimension 1 is 5, expected 4"),
            std::string::npos);
  EXPECT_NE(invalidMessage([] {
              linearForward({Tensor({2, 4}), Tensor({3, 4}), Tensor({4})});
            }).find("operand 'bias' dimension 0 is 4, expected 3"),
            std::string::npos);
}

//===----------------------------------------------------------------------===//
// ssm.embedding
//===----------------------------------------------------------------------===//

TEST(EmbeddingForward, ByHandWithOutOfRangeTokens) {
  Tensor weight({3, 2}, {1, 2, 3, 4, 5, 6});
  Tensor tokens({2, 2}, {2, 0, -1, 3}); // -1 and 3 are outside [0, 3).
  Tensor y = embeddingForward(tokens, weight);
  EXPECT_EQ(y.shape, (std::vector<int64_t>{2, 2, 2}));
  expectData(y, {5, 6, 1, 2, 0, 0, 0, 0});
  Tensor dy({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  // Row 2 gets dy[0,0], row 0 dy[0,1]; the out-of-range ones nothing.
  expectData(embeddingBackward(tokens, weight, dy), {3, 4, 0, 0, 1, 2});
}

TEST(EmbeddingGrad, MatchesFiniteDifferencesWithRepeatedTokens) {
  std::mt19937_64 gen(21);
  Tensor weight = randomTensor(gen, {5, 3});
  Tensor tokens({2, 4}, {1, 4, 1, 0, 7, 2, 4, 4});
  Tensor dy = randomTensor(gen, {2, 4, 3});
  Tensor dw = embeddingBackward(tokens, weight, dy);
  auto loss = [&] { return dot(embeddingForward(tokens, weight), dy); };
  EXPECT_LT(fdError(weight, dw, loss), 1e-7);
  EXPECT_EQ(dw.at(3, 0), 0.0); // Token 3 never occurs.
}

//===----------------------------------------------------------------------===//
// ssm.cross_entropy
//===----------------------------------------------------------------------===//

TEST(CrossEntropyForward, ByHandWithIgnoredRow) {
  // Row 0: logits (0, ln 3), label 1: lse = ln 4, loss ln 4 - ln 3.
  // Row 1: label -100, ignored. Row 2: (0, 0), label 0: ln 2.
  Tensor logits({3, 2}, {0, std::log(3.0), 5, 7, 0, 0});
  Tensor labels({3}, {1, -100, 0});
  Tensor loss = crossEntropyForward(logits, labels);
  EXPECT_TRUE(loss.shape.empty());
  expectData(loss, {(std::log(4.0) - std::log(3.0) + std::log(2.0)) / 2});
  Tensor d = crossEntropyBackward(logits, labels, Tensor({}, {2.0}));
  // dloss / count = 1: softmax - onehot.
  expectData(d, {0.25, 0.75 - 1, 0, 0, 0.5 - 1, 0.5});
}

TEST(CrossEntropyForward, NoValidRowGivesZero) {
  Tensor logits({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor labels({2}, {-100, 3});
  expectData(crossEntropyForward(logits, labels), {0.0});
  expectData(crossEntropyBackward(logits, labels, Tensor({}, {1.0})),
             std::vector<double>(6, 0.0));
}

TEST(CrossEntropyGrad, MatchesFiniteDifferences) {
  std::mt19937_64 gen(31);
  Tensor logits = randomTensor(gen, {2, 3, 5});
  for (double &v : logits.data)
    v *= 4; // Far from uniform softmax.
  Tensor labels({2, 3}, {4, 0, -100, 2, 2, 1});
  Tensor dloss({}, {-1.7});
  Tensor d = crossEntropyBackward(logits, labels, dloss);
  auto loss = [&] {
    return dloss.data[0] * crossEntropyForward(logits, labels).data[0];
  };
  EXPECT_LT(fdError(logits, d, loss), 1e-7);
}

TEST(CrossEntropyForward, LabelsMustMatchLeadingDims) {
  EXPECT_NE(invalidMessage([] {
              crossEntropyForward(Tensor({2, 3, 5}), Tensor({2, 4}));
            }).find("operand 'labels' dimension 1 is 4, expected 3"),
            std::string::npos);
  EXPECT_NE(invalidMessage([] {
              crossEntropyBackward(Tensor({2, 5}), Tensor({2}), Tensor({1}));
            }).find("operand 'dloss' has rank 1"),
            std::string::npos);
}

//===----------------------------------------------------------------------===//
// Layout ops
//===----------------------------------------------------------------------===//

TEST(TransposeForward, ByHand) {
  Tensor x({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor y = transposeForward(x, {1, 0});
  EXPECT_EQ(y.shape, (std::vector<int64_t>{3, 2}));
  expectData(y, {1, 4, 2, 5, 3, 6});
  // Rank 3, permutation (2, 0, 1): y[i, j, k] = x[j, k, i].
  std::mt19937_64 gen(41);
  Tensor z = randomTensor(gen, {2, 3, 4});
  Tensor w = transposeForward(z, {2, 0, 1});
  EXPECT_EQ(w.shape, (std::vector<int64_t>{4, 2, 3}));
  for (int64_t i = 0; i < 4; ++i)
    for (int64_t j = 0; j < 2; ++j)
      for (int64_t k = 0; k < 3; ++k)
        EXPECT_EQ(w.at(i, j, k), z.at(j, k, i));
  // The inverse permutation (1, 2, 0) restores it (the gradient rule).
  EXPECT_EQ(transposeForward(w, {1, 2, 0}).data, z.data);
  EXPECT_NE(invalidMessage([&] {
              transposeForward(z, {0, 0, 1});
            }).find("is not a permutation"),
            std::string::npos);
}

TEST(ReshapeForward, KeepsRowMajorOrder) {
  Tensor x({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor y = reshapeForward(x, {3, 1, 2});
  EXPECT_EQ(y.shape, (std::vector<int64_t>{3, 1, 2}));
  EXPECT_EQ(y.data, x.data);
  EXPECT_NE(
      invalidMessage([&] { reshapeForward(x, {4}); }).find("holds 4 elements"),
      std::string::npos);
}

TEST(SliceForward, ByHandAndGradient) {
  Tensor x({2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
  Tensor y = sliceForward(x, {1, 1, 2});
  EXPECT_EQ(y.shape, (std::vector<int64_t>{2, 2}));
  expectData(y, {2, 3, 6, 7});
  expectData(sliceForward(x, {0, 1, 1}), {5, 6, 7, 8});
  Tensor dx = sliceBackward(x.shape, Tensor({2, 2}, {9, 8, 7, 6}), {1, 1, 2});
  expectData(dx, {0, 9, 8, 0, 0, 7, 6, 0});

  std::mt19937_64 gen(51);
  Tensor z = randomTensor(gen, {2, 5, 3});
  SliceSpec spec{1, 2, 3};
  Tensor dy = randomTensor(gen, {2, 3, 3});
  Tensor dz = sliceBackward(z.shape, dy, spec);
  EXPECT_LT(fdError(z, dz, [&] { return dot(sliceForward(z, spec), dy); }),
            1e-7);
  EXPECT_NE(invalidMessage([&] {
              sliceForward(z, {1, 3, 3});
            }).find("slice [3, 6) of axis 1 is outside"),
            std::string::npos);
  EXPECT_NE(invalidMessage([&] {
              sliceForward(z, {3, 0, 1});
            }).find("axis 3 is out"),
            std::string::npos);
}

TEST(AddForward, ByHandAndShapeError) {
  expectData(addForward(Tensor({2}, {1, 2}), Tensor({2}, {10, 20})), {11, 22});
  EXPECT_NE(invalidMessage([] {
              addForward(Tensor({2}), Tensor({3}));
            }).find("operand 'rhs' dimension 0 is 3, expected 2"),
            std::string::npos);
}

//===----------------------------------------------------------------------===//
// By name, with textual attributes
//===----------------------------------------------------------------------===//

TEST(ConcatForward, ByHandOnEachAxisAndShapeError) {
  Tensor a({2, 2}, {1, 2, 3, 4});
  Tensor b({2, 1}, {5, 6});
  expectData(concatForward(a, b, 1), {1, 2, 5, 3, 4, 6});
  expectData(concatForward(a, Tensor({1, 2}, {7, 8}), 0), {1, 2, 3, 4, 7, 8});
  std::vector<std::optional<Tensor>> y =
      evaluateOp("ssm.concat", {{"axis", "1"}}, {a, b});
  EXPECT_EQ(y[0]->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_NE(invalidMessage([&] {
              concatForward(a, b, 0);
            }).find("operand 'rhs' dimension 1 is 1, expected 2"),
            std::string::npos);
}

TEST(FlipForward, ByHandOnEachAxisAndBadAxis) {
  Tensor x({2, 3}, {1, 2, 3, 4, 5, 6});
  expectData(flipForward(x, 1), {3, 2, 1, 6, 5, 4});
  expectData(flipForward(x, 0), {4, 5, 6, 1, 2, 3});
  // Its own inverse: the gradient rule flips the cotangent back.
  expectData(flipForward(flipForward(x, 1), 1), {1, 2, 3, 4, 5, 6});
  std::vector<std::optional<Tensor>> y =
      evaluateOp("ssm.flip", {{"axis", "1"}}, {x});
  expectData(*y[0], {3, 2, 1, 6, 5, 4});
  EXPECT_NE(invalidMessage([&] { flipForward(x, 2); })
                .find("ssm.flip: axis 2 is not a dimension of operand 'x' "
                      "(rank 2)"),
            std::string::npos);
}

TEST(EvaluateGraphOp, AttributesFromText) {
  Tensor x({2, 3}, {1, 2, 3, 4, 5, 6});
  auto y = evaluateOp("ssm.transpose", {{"permutation", "1,0"}}, {x});
  expectData(*y.at(0), {1, 4, 2, 5, 3, 6});
  y = evaluateOp("ssm.slice", {{"axis", "1"}, {"offset", "2"}, {"size", "1"}},
                 {x});
  expectData(*y.at(0), {3, 6});
  // The gradient takes dy alone; dx's shape is the recorded `shape`.
  y = evaluateOp(
      "ssm.slice_grad",
      {{"axis", "0"}, {"offset", "1"}, {"size", "1"}, {"shape", "2,3"}},
      {Tensor({1, 3}, {7, 8, 9})});
  expectData(*y.at(0), {0, 0, 0, 7, 8, 9});
  y = evaluateOp("ssm.reshape", {{"shape", "3,2"}}, {x});
  EXPECT_EQ(y.at(0)->shape, (std::vector<int64_t>{3, 2}));
  y = evaluateOp("ssm.fill", {{"value", "1.500000000e+00"}, {"shape", ""}}, {});
  EXPECT_TRUE(y.at(0)->shape.empty());
  expectData(*y.at(0), {1.5});
  y = evaluateOp("ssm.linear", {},
                 {x, Tensor({1, 3}, {1, 1, 1}), std::nullopt});
  expectData(*y.at(0), {6, 15});
  auto g = evaluateOp(
      "ssm.linear_grad", {},
      {x, Tensor({1, 3}, {1, 1, 1}), std::nullopt, Tensor({2, 1}, {1, 2})});
  ASSERT_EQ(g.size(), 3u);
  expectData(*g[1], {9, 12, 15});
  EXPECT_FALSE(g[2].has_value());
}

TEST(EvaluateGraphOp, SignaturesFollowTheContract) {
  EXPECT_EQ(opSignature("ssm.linear_grad").operands,
            (std::vector<std::string>{"x", "weight", "bias", "dy"}));
  EXPECT_EQ(opSignature("ssm.linear_grad").results,
            (std::vector<std::string>{"dx", "dweight", "dbias"}));
  EXPECT_EQ(opSignature("ssm.embedding_grad").operands,
            (std::vector<std::string>{"tokens", "weight", "dy"}));
  EXPECT_EQ(opSignature("ssm.cross_entropy_grad").results,
            (std::vector<std::string>{"dlogits"}));
  EXPECT_EQ(opSignature("ssm.slice_grad").operands,
            (std::vector<std::string>{"dy"}));
  EXPECT_EQ(opSignature("ssm.flip").operands, (std::vector<std::string>{"x"}));
  EXPECT_EQ(opSignature("ssm.concat").operands,
            (std::vector<std::string>{"lhs", "rhs"}));
  EXPECT_EQ(opSignature("ssm.add").operands,
            (std::vector<std::string>{"lhs", "rhs"}));
  EXPECT_TRUE(opSignature("ssm.fill").operands.empty());
}

TEST(EvaluateGraphOp, BadAttributesAreNamed) {
  Tensor x({2, 3});
  EXPECT_NE(invalidMessage([&] {
              evaluateOp("ssm.transpose", {{"permutation", "1,x"}}, {x});
            })
                .find("ssm.transpose: attribute 'permutation' must be "
                      "comma-separated decimal integers, got '1,x'"),
            std::string::npos);
  EXPECT_NE(invalidMessage([&] {
              evaluateOp("ssm.slice", {{"axis", "1"}, {"offset", "0"}}, {x});
            }).find("ssm.slice: attribute 'size' is missing"),
            std::string::npos);
  EXPECT_NE(invalidMessage([&] {
              evaluateOp("ssm.slice",
                         {{"axis", "1.5"}, {"offset", "0"}, {"size", "1"}},
                         {x});
            }).find("attribute 'axis' must be a decimal integer, got '1.5'"),
            std::string::npos);
  EXPECT_NE(invalidMessage([] {
              evaluateOp("ssm.fill", {{"value", "one"}, {"shape", ""}}, {});
            }).find("attribute 'value' must be a number, got 'one'"),
            std::string::npos);
  EXPECT_NE(invalidMessage([&] {
              evaluateOp("ssm.reshape", {}, {x});
            }).find("the result shape is unknown"),
            std::string::npos);
}

} // namespace
