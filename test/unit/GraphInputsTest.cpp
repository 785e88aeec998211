//===- GraphInputsTest.cpp - Tests of i32 inputs and init specs -----------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// The manifest's i32 dtype and `init` field, the parameter initialisers, the
// value ranges of integer arguments derived from the graph, and --check on
// integer and scalar results.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Run/Check.h"
#include "ssmrt/Run/Init.h"
#include "ssmrt/Run/Inputs.h"
#include "ssmrt/Workload.h"

#include "TinyLM.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <stdexcept>

using namespace ssmrt;

namespace {

std::string errorOf(const std::function<void()> &f) {
  try {
    f();
  } catch (const std::exception &e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an exception";
  return "";
}

TensorSpec spec(const std::string &name, std::vector<int64_t> shape,
                const std::string &init) {
  TensorSpec t;
  t.name = name;
  t.shape = std::move(shape);
  t.role = Role::Parameter;
  t.init = init;
  return t;
}

std::vector<float> initValues(const TensorSpec &t, uint64_t seed = 0) {
  std::vector<float> values(t.numElements());
  fillInit(t, seed, values.data());
  return values;
}

//===----------------------------------------------------------------------===//
// Manifest
//===----------------------------------------------------------------------===//

TEST(GraphManifest, ParsesI32AndInit) {
  Manifest m = parseManifest(tinyLMManifest());
  const EntrySpec &e = m.entries.at(0);
  EXPECT_EQ(e.findTensor("tokens")->dtype, Dtype::I32);
  EXPECT_EQ(e.findTensor("tokens")->byteSize(), 32u);
  EXPECT_EQ(e.findTensor("emb_weight")->init, "normal:0.5");
  EXPECT_EQ(e.findTensor("loss")->init, "");
  EXPECT_TRUE(e.findTensor("loss")->shape.empty());
}

TEST(GraphManifest, BadInitNamesTensorAndSpec) {
  std::string text = tinyLMManifest();
  auto withInit = [&](const std::string &init) {
    std::string t = text;
    t.replace(t.find("normal:0.5"), 10, init);
    return t;
  };
  std::string message = errorOf([&] { parseManifest(withInit("xavier")); });
  EXPECT_NE(message.find("manifest: entries[0].tensors[2].init: tensor "
                         "'emb_weight': init spec 'xavier': unknown spec"),
            std::string::npos)
      << message;
  message = errorOf([&] { parseManifest(withInit("normal:abc")); });
  EXPECT_NE(message.find("'abc' is not a finite number"), std::string::npos)
      << message;
  message = errorOf([&] { parseManifest(withInit("uniform:1")); });
  EXPECT_NE(message.find("expected uniform:LO:HI"), std::string::npos)
      << message;
  message = errorOf([&] { parseManifest(withInit("mamba_dt_bias:0.1:1")); });
  EXPECT_NE(message.find("fills a [D] tensor, this one has rank 2"),
            std::string::npos)
      << message;
  message = errorOf([&] { parseManifest(withInit("f8")); });
  EXPECT_NE(message.find("init spec 'f8': unknown spec (expected normal:STD"),
            std::string::npos)
      << message;
  std::string dtype = text;
  dtype.replace(dtype.find("\"i32\""), 5, "\"i64\"");
  message = errorOf([&] { parseManifest(dtype); });
  EXPECT_NE(message.find("unknown dtype 'i64' (expected f32, f64, bf16, f16 "
                         "or i32)"),
            std::string::npos)
      << message;
}

//===----------------------------------------------------------------------===//
// Init specs
//===----------------------------------------------------------------------===//

TEST(InitSpecs, DeterministicValues) {
  EXPECT_EQ(initValues(spec("w", {2, 2}, "zeros")),
            (std::vector<float>{0, 0, 0, 0}));
  EXPECT_EQ(initValues(spec("w", {3}, "ones")), (std::vector<float>{1, 1, 1}));
  EXPECT_EQ(initValues(spec("A", {2, 3}, "mamba_A")),
            (std::vector<float>{-1, -2, -3, -1, -2, -3}));
}

TEST(InitSpecs, RandomSpecsFollowTheirDistribution) {
  std::vector<float> u = initValues(spec("w", {1000}, "uniform:-0.2:0.6"));
  double mean = 0;
  for (float x : u) {
    EXPECT_GE(x, -0.2f);
    EXPECT_LT(x, 0.6f);
    mean += x / 1000.0;
  }
  EXPECT_NEAR(mean, 0.2, 0.03);

  std::vector<float> n = initValues(spec("w", {4000}, "normal:0.02"));
  double sq = 0;
  for (float x : n)
    sq += double(x) * x / 4000.0;
  EXPECT_NEAR(std::sqrt(sq), 0.02, 0.001);
  // Same seed and name: same values; another seed: others.
  EXPECT_EQ(n, initValues(spec("w", {4000}, "normal:0.02")));
  EXPECT_NE(n, initValues(spec("w", {4000}, "normal:0.02"), 1));

  std::vector<float> dt =
      initValues(spec("dt_bias", {500}, "mamba_dt_bias:0.001:0.1"));
  double lo = 1, hi = 0;
  for (float x : dt) {
    double softplus = std::log1p(std::exp(double(x)));
    lo = std::min(lo, softplus);
    hi = std::max(hi, softplus);
  }
  EXPECT_GE(lo, 0.001 * (1 - 1e-5));
  EXPECT_LE(hi, 0.1 * (1 + 1e-5));
  EXPECT_LT(lo, 0.002); // Log-uniform: both ends are reached.
  EXPECT_GT(hi, 0.05);
  // dt is clamped below at 1e-4.
  for (float x : initValues(spec("b", {50}, "mamba_dt_bias:1e-6:1e-5")))
    EXPECT_NEAR(std::log1p(std::exp(double(x))), 1e-4, 1e-9);
}

//===----------------------------------------------------------------------===//
// Integer arguments
//===----------------------------------------------------------------------===//

TEST(IntegerInputs, RangesComeFromTheGraph) {
  Manifest m = parseManifest(tinyLMManifest());
  const EntrySpec &e = m.entries[0];
  auto shapes = inferValueShapes(e);
  EXPECT_EQ(shapes.at("%0"), (std::vector<int64_t>{2, 4, 3}));
  EXPECT_EQ(shapes.at("%1"), (std::vector<int64_t>{2, 4, 6}));
  EXPECT_EQ(shapes.at("%2"), (std::vector<int64_t>{}));
  EXPECT_EQ(shapes.at("%4"), (std::vector<int64_t>{2, 4, 3}));
  std::vector<IntegerInput> inputs = integerInputs(e);
  ASSERT_EQ(inputs.size(), 2u);
  EXPECT_EQ(inputs[0].name, "tokens");
  EXPECT_TRUE(inputs[0].tokens);
  EXPECT_EQ(inputs[0].vocab, 8);
  EXPECT_EQ(inputs[1].name, "labels");
  EXPECT_TRUE(inputs[1].labels);
  EXPECT_EQ(inputs[1].vocab, 6);
}

TEST(IntegerInputs, GeneratedArgumentsUseRangesAndInits) {
  Manifest m = parseManifest(tinyLMManifest());
  const EntrySpec &e = m.entries[0];
  HostBuffers buffers = allocateBuffers(e);
  fillArguments(e, 3, buffers);
  auto ints = [&](size_t i) {
    const int32_t *p = reinterpret_cast<const int32_t *>(buffers[i].data());
    return std::vector<int32_t>(p, p + e.tensors[i].numElements());
  };
  std::vector<int32_t> tokens = ints(0), labels = ints(1);
  bool sawTop = false;
  for (int32_t t : tokens) {
    EXPECT_GE(t, 0);
    EXPECT_LT(t, 8);
  }
  for (int32_t l : labels) {
    EXPECT_GE(l, 0);
    EXPECT_LT(l, 6);
    sawTop |= l >= 3;
  }
  EXPECT_TRUE(sawTop);
  // zeros for head_bias, as its init says (fillRandom would draw U(-.5,.5)).
  for (size_t i = 0; i < 6; ++i)
    EXPECT_EQ(loadElement(Dtype::F32, buffers[4].data(), i), 0.0);
  std::vector<float> emb(24);
  fillInit(e.tensors[2], 3, emb.data());
  EXPECT_EQ(std::memcmp(emb.data(), buffers[2].data(), 96), 0);
}

TEST(IntegerInputs, UnfedIntegerArgumentIsAnError) {
  std::string text = tinyLMManifest();
  text.replace(text.find("[\"%1\", \"labels\"]"), 16, "[\"%1\", \"tokens\"]");
  text.replace(text.find("[\"%1\", \"labels\", \"%2\"]"), 22,
               "[\"%1\", \"tokens\", \"%2\"]");
  Manifest m = parseManifest(text);
  std::string message = errorOf([&] { integerInputs(m.entries[0]); });
  EXPECT_NE(message.find("i32 argument 'labels' feeds no ssm.embedding "
                         "tokens or ssm.cross_entropy labels"),
            std::string::npos)
      << message;
  // 'tokens' now feeds both: the smaller vocabulary.
  std::vector<IntegerInput> inputs;
  m.entries[0].tensors.erase(m.entries[0].tensors.begin() + 1);
  inputs = integerInputs(m.entries[0]);
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_TRUE(inputs[0].tokens && inputs[0].labels);
  EXPECT_EQ(inputs[0].vocab, 6);
}

//===----------------------------------------------------------------------===//
// --check on integer and scalar results
//===----------------------------------------------------------------------===//

/// An entry whose i32 result `t` is a slice of its i32 input, and whose
/// scalar f32 result is a cross-entropy.
EntrySpec intAndScalarEntry() {
  Manifest m = parseManifest(R"({"format": "ssm-workload", "version": 1,
    "target": "cpu", "module": "m", "lowering": {"pipeline": "cpu",
    "options": {}}, "entries": [{"name": "e", "symbol": "e", "tensors": [
      {"name": "x", "shape": [4], "dtype": "i32", "role": "input"},
      {"name": "logits", "shape": [2,3], "dtype": "f32", "role": "input"},
      {"name": "t", "shape": [2], "dtype": "i32", "role": "output"},
      {"name": "loss", "shape": [], "dtype": "f32", "role": "output"}],
    "ops": [{"op": "ssm.slice", "attrs": {"axis": "0", "offset": "1",
             "size": "2"}, "operands": ["x"], "results": ["t"]},
            {"op": "ssm.cross_entropy", "operands": ["logits", "t"],
             "results": ["loss"]}]}]})");
  return m.entries[0];
}

TEST(CheckIntegers, ComparedExactlyWhateverTheTolerance) {
  EntrySpec e = intAndScalarEntry();
  HostBuffers b = allocateBuffers(e);
  int32_t x[4] = {5, 2, 0, 7};
  std::memcpy(b[0].data(), x, sizeof(x));
  float logits[6] = {0, std::log(3.0f), 0, 1, 1, 1};
  std::memcpy(b[1].data(), logits, sizeof(logits));
  int32_t t[2] = {2, 0};
  std::memcpy(b[2].data(), t, sizeof(t));
  // Row 0 label 2: lse(0, ln 3, 0) - 0 = ln 5; row 1 label 0: 1 + ln 3 - 1.
  float loss = static_cast<float>((std::log(5.0) + std::log(3.0)) / 2);
  std::memcpy(b[3].data(), &loss, sizeof(loss));
  std::vector<CheckResult> r = checkEntry(e, b, 0.5);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_TRUE(r[0].passed);
  EXPECT_EQ(r[0].tolerance, 0.0);
  EXPECT_TRUE(r[1].passed) << r[1].maxRelErr; // The scalar result.
  EXPECT_LT(r[1].maxRelErr, 1e-7);
  t[1] = 1; // Off by one in 2 is 50%, under --tol 0.5, but integers are exact.
  std::memcpy(b[2].data(), t, sizeof(t));
  r = checkEntry(e, b, 0.5);
  EXPECT_FALSE(r[0].passed);
}

TEST(CheckTolerance, TF32ProductsLoosenF32Results) {
  EntrySpec e = intAndScalarEntry();
  EXPECT_EQ(entryTolerance(e, Dtype::F32), defaultTolerance(Dtype::F32));
  // A product lowered on TF32 tensor cores: f32 results are checked at
  // f16's tolerance (the same 10-bit mantissa); other dtypes keep theirs.
  OpSpec product;
  product.op = "ssm.linear";
  product.lowering["strategy"] = "cublaslt-tf32";
  e.ops.push_back(product);
  EXPECT_EQ(entryTolerance(e, Dtype::F32), defaultTolerance(Dtype::F16));
  EXPECT_EQ(entryTolerance(e, Dtype::BF16), defaultTolerance(Dtype::BF16));
  EXPECT_EQ(entryTolerance(e, Dtype::I32), 0.0);
  e.ops.back().lowering["strategy"] = "cublaslt";
  EXPECT_EQ(entryTolerance(e, Dtype::F32), defaultTolerance(Dtype::F32));
}

} // namespace
