//===- TrainTest.cpp - Tests of the gradient check and --train ------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// The finite-difference check of a training step, AdamW, the Markov batches,
// and the training loop run end to end through an Executor that evaluates
// the tiny language model's step (TinyLM.h) with the float64 reference and
// writes f32 results, as a compiled binary would.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Run/Train.h"
#include "ssmrt/Run/GradCheck.h"
#include "ssmrt/Runner.h"

#include "TinyLM.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <regex>
#include <sstream>

using namespace ssmrt;

namespace {

/// Runs an entry by evaluating its graph with the reference on the buffers.
class ReferenceExecutor : public Executor {
public:
  ReferenceExecutor(const EntrySpec &entry, HostBuffers &buffers)
      : entry(entry), buffers(buffers) {}
  void run() override {
    ++calls;
    ReferenceValues values = referenceArguments(entry, buffers);
    evaluateGraph(entry, values);
    for (size_t i = 0; i < entry.tensors.size(); ++i) {
      const TensorSpec &t = entry.tensors[i];
      if (!t.isResult())
        continue;
      const ref::Tensor &value = values.at(t.name);
      for (size_t j = 0; j < value.data.size(); ++j)
        storeElement(t.dtype, buffers[i].data(), j, value.data[j]);
    }
  }
  double timedRun() override {
    run();
    return 0.0;
  }
  void uploadArguments(const HostBuffers &) override { ++uploads; }
  void uploadResults(const HostBuffers &) override {}
  void fetchResults(HostBuffers &) override {}

  int calls = 0, uploads = 0;

private:
  const EntrySpec &entry;
  HostBuffers &buffers;
};

EntrySpec tinyLM(const std::string &dlossSeed = "1.0") {
  return parseManifest(tinyLMManifest(dlossSeed)).entries.at(0);
}

//===----------------------------------------------------------------------===//
// Finite-difference check
//===----------------------------------------------------------------------===//

TEST(TrainingStep, FoundOrExplained) {
  EntrySpec e = tinyLM();
  std::string why;
  std::optional<TrainingStep> step = findTrainingStep(e, why);
  ASSERT_TRUE(step);
  EXPECT_EQ(step->loss, 5u);
  ASSERT_EQ(step->parameters.size(), 3u);
  EXPECT_EQ(step->parameters[1], (std::pair<size_t, size_t>{3, 7}));

  EntrySpec noGrad = e;
  noGrad.tensors[7].name = "d_head";
  EXPECT_FALSE(findTrainingStep(noGrad, why));
  EXPECT_EQ(why, "entry 'lm_step' has no gradient result 'd_head_weight' of "
                 "shape [6,3] for parameter 'head_weight'");
  EntrySpec vectorLoss = e;
  vectorLoss.tensors[5].shape = {1};
  EXPECT_FALSE(findTrainingStep(vectorLoss, why));
  EXPECT_EQ(why, "entry 'lm_step' has no result 'loss' that is a rank-0 f32 "
                 "tensor (it is the output f32[1])");
}

/// The tiny LM's arguments (seed 5) and its results from the reference.
HostBuffers evaluatedBuffers(const EntrySpec &e) {
  HostBuffers b = allocateBuffers(e);
  fillArguments(e, 5, b);
  ReferenceExecutor(e, b).run();
  return b;
}

TEST(GradCheck, ReferenceAndBinaryGradientsPass) {
  EntrySpec e = tinyLM();
  std::string why;
  TrainingStep step = *findTrainingStep(e, why);
  HostBuffers b = evaluatedBuffers(e);
  std::vector<CheckResult> r =
      checkGradientsByFiniteDifferences(e, step, b, 0, std::nullopt);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_TRUE(r[0].passed) << r[0].line;
  EXPECT_LT(r[0].maxRelErr, 1e-8) << r[0].line;
  EXPECT_TRUE(r[1].passed) << r[1].line;
  EXPECT_EQ(r[1].tolerance, 2e-5);
  EXPECT_TRUE(std::regex_match(
      r[0].line,
      std::regex(
          "check fd loss directional derivative: fd=-?[0-9.]+e[-+][0-9]+ "
          "analytic=-?[0-9.]+e[-+][0-9]+ rel_err=[0-9.]+e[-+][0-9]+ "
          "tol=1e-05")))
      << r[0].line;
  std::ostringstream out;
  EXPECT_EQ(reportCheck(r, out), 0u);
  EXPECT_NE(out.str().find("tol=1e-05 PASS\n"), std::string::npos);
  EXPECT_NE(out.str().find("check: 2 passed, 0 failed"), std::string::npos);
}

TEST(GradCheck, WrongBinaryGradientFails) {
  EntrySpec e = tinyLM();
  std::string why;
  TrainingStep step = *findTrainingStep(e, why);
  HostBuffers b = evaluatedBuffers(e);
  // One element of d_head_weight off by 5% of the largest gradient.
  float *g = reinterpret_cast<float *>(b[7].data());
  float largest = 0;
  for (int i = 0; i < 18; ++i)
    largest = std::max(largest, std::fabs(g[i]));
  g[4] += 0.05f * largest;
  std::vector<CheckResult> r =
      checkGradientsByFiniteDifferences(e, step, b, 0, std::nullopt);
  EXPECT_TRUE(r[0].passed) << r[0].line;
  EXPECT_FALSE(r[1].passed) << r[1].line;
}

TEST(GradCheck, WrongReferenceGradientGraphFails) {
  // Seeding the backward pass with 2 doubles every gradient.
  EntrySpec e = tinyLM("2.0");
  std::string why;
  TrainingStep step = *findTrainingStep(e, why);
  HostBuffers b = evaluatedBuffers(e);
  std::vector<CheckResult> r =
      checkGradientsByFiniteDifferences(e, step, b, 0, std::nullopt);
  EXPECT_FALSE(r[0].passed) << r[0].line;
  EXPECT_NEAR(r[0].maxRelErr, 0.5, 1e-6); // |fd - 2 fd| / |2 fd|.
  EXPECT_FALSE(r[1].passed) << r[1].line;
}

//===----------------------------------------------------------------------===//
// AdamW and the Markov batches
//===----------------------------------------------------------------------===//

TEST(AdamW, TwoStepsByHand) {
  AdamW rule;
  rule.lr = 0.1;
  rule.weightDecay = 0.5;
  std::vector<float> p = {1.0f, -2.0f}, m(2, 0.0f), v(2, 0.0f);
  rule.update(p, {0.5f, -4.0f}, m, v, 1);
  // Step 1: bias-corrected m/sqrt(v) = sign(g) (up to eps); decay first.
  EXPECT_NEAR(p[0], 1.0 * (1 - 0.05) - 0.1, 1e-6);
  EXPECT_NEAR(p[1], -2.0 * (1 - 0.05) + 0.1, 1e-6);
  EXPECT_NEAR(m[0], 0.05, 1e-7);
  EXPECT_NEAR(v[1], 0.016, 1e-7);
  // Step 2 with g = 1: m = 0.9*0.05 + 0.1 = 0.145, v = 0.999*0.00025 + 0.001.
  double p0 = p[0];
  rule.update(p, {1.0f, -4.0f}, m, v, 2);
  double mHat = 0.145 / (1 - 0.81),
         vHat = (0.999 * 0.00025 + 0.001) / (1 - 0.999 * 0.999);
  EXPECT_NEAR(p[0], p0 * 0.95 - 0.1 * mHat / (std::sqrt(vHat) + 1e-8), 1e-6);
}

TEST(MarkovBatches, SeededChainWithShiftedLabels) {
  MarkovBatches a(16, 7), b(16, 7), c(16, 8);
  std::vector<int32_t> ta, la, tb, lb, tc, lc;
  a.next(4, 64, ta, la);
  b.next(4, 64, tb, lb);
  c.next(4, 64, tc, lc);
  EXPECT_EQ(ta, tb);
  EXPECT_EQ(la, lb);
  EXPECT_NE(ta, tc);
  int followed = 0, total = 0;
  for (int r = 0; r < 4; ++r)
    for (int l = 0; l < 64; ++l) {
      int32_t token = ta[r * 64 + l], label = la[r * 64 + l];
      EXPECT_GE(token, 0);
      EXPECT_LT(token, 16);
      if (l + 1 < 64)
        EXPECT_EQ(label, ta[r * 64 + l + 1]);
      followed += label == a.successor(token);
      ++total;
    }
  // 0.9 + 0.1 / 16 of the steps follow the successor.
  EXPECT_NEAR(double(followed) / total, 0.906, 0.05);
  // The next batch is another one.
  std::vector<int32_t> t2, l2;
  a.next(4, 64, t2, l2);
  EXPECT_NE(t2, ta);
}

//===----------------------------------------------------------------------===//
// The training loop
//===----------------------------------------------------------------------===//

TrainResult trainTiny(uint64_t seed, int steps, std::string &output) {
  EntrySpec e = tinyLM();
  HostBuffers b = allocateBuffers(e);
  fillArguments(e, seed, b);
  ReferenceExecutor executor(e, b);
  std::ostringstream out;
  TrainResult r = train(e, executor, b, {steps, 0.05, seed}, out);
  output = out.str();
  EXPECT_EQ(executor.calls, steps);
  EXPECT_EQ(executor.uploads, steps);
  return r;
}

TEST(Train, LossFallsAndRepeats) {
  std::string out, again;
  TrainResult r = trainTiny(1, 60, out);
  ASSERT_EQ(r.losses.size(), 60u);
  // Starts near ln 6 (a random head), ends well below it: the chain is
  // 90% predictable.
  EXPECT_NEAR(r.losses.front(), std::log(6.0), 0.5);
  double lastFive = 0;
  for (int i = 55; i < 60; ++i)
    lastFive += r.losses[i] / 5;
  EXPECT_LT(lastFive, r.losses.front() - 0.5);
  EXPECT_EQ(trainTiny(1, 60, again).losses, r.losses);
  EXPECT_NE(trainTiny(2, 60, again).losses, r.losses);
  std::istringstream lines(out);
  std::string line;
  std::getline(lines, line);
  EXPECT_TRUE(std::regex_match(
      line,
      std::regex("step 1/60 loss [0-9]+\\.[0-9]{4} \\([0-9]+\\.[0-9] ms\\)")))
      << line;
  char summary[96];
  std::snprintf(summary, sizeof(summary),
                "train: loss %.4f -> %.4f over 60 steps\n", r.losses.front(),
                r.losses.back());
  EXPECT_NE(out.find(summary), std::string::npos) << out;
}

TEST(Train, RefusesWhatIsNoTrainingStep) {
  EntrySpec e = tinyLM();
  e.tensors[5].name = "total";
  HostBuffers b = allocateBuffers(e);
  ReferenceExecutor executor(e, b);
  std::ostringstream out;
  try {
    train(e, executor, b, {3, 1e-3, 0}, out);
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error &err) {
    EXPECT_EQ(std::string(err.what()),
              "--train: entry 'lm_step' has no result 'loss' that is a rank-0 "
              "f32 tensor");
  }
  e = tinyLM();
  try {
    train(e, executor, b, {0, 1e-3, 0}, out);
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error &err) {
    EXPECT_EQ(std::string(err.what()),
              "--train: STEPS must be at least 1, got 0");
  }
  EXPECT_EQ(executor.calls, 0);
}

TEST(Train, CommandLineErrors) {
  auto run = [](std::vector<std::string> args) {
    std::vector<char *> argv;
    for (std::string &a : args)
      argv.push_back(a.data());
    testing::internal::CaptureStderr();
    int rc = runMain(static_cast<int>(argv.size()), argv.data());
    return std::make_pair(rc, testing::internal::GetCapturedStderr());
  };
  auto [rc, err] = run({"ssm-run", "x.so", "--train", "0"});
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(err, "error: --train: STEPS must be at least 1, got 0 (see "
                 "ssm-run --help)\n");
  std::tie(rc, err) = run({"ssm-run", "x.so", "--lr", "0.1"});
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(err,
            "error: --lr is only used with --train (see ssm-run --help)\n");
  std::tie(rc, err) = run({"ssm-run", "x.so", "--train", "2", "--check"});
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(err.rfind("error: --train cannot be combined with --check", 0), 0u)
      << err;
}

} // namespace
