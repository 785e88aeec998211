//===- CommandLine.cpp - The command line of ssm-run ----------------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Runner.h"

#include <CLI/CLI.hpp>

#include <cmath>
#include <iostream>
#include <string>
#include <vector>

namespace ssmrt {

namespace {
/// What the command line holds beyond RunOptions.
struct Extras {
  std::vector<std::string> binaries;
  bool compare = false;
  bool fromReport = false;
  double tol = 0.0;
  int train = 0;
};
} // namespace

/// Declares every flag of ssm-run on `app`, bound to `options` and `extras`.
static void addOptions(CLI::App &app, RunOptions &options, Extras &extras) {
  app.add_option("binary", extras.binaries,
                 "Workload binary (.so); two or more with --compare")
      ->required();
  app.add_option("--entry", options.entry, "Entry to run (default: the first)");
  // CLI11 reads "-1" into an unsigned seed as 2^64-1: only digits pass.
  app.add_option("--seed", options.seed,
                 "Seed of random argument values (0 to 2^64-1)")
      ->check(CLI::Validator(
          [](std::string &text) -> std::string {
            bool digits =
                !text.empty() && text.size() <= 20 &&
                text.find_first_not_of("0123456789") == std::string::npos;
            if (digits && (text.size() < 20 ||
                           text <= std::string("18446744073709551615")))
              return "";
            return "'" + text + "' is not an integer from 0 to 2^64-1";
          },
          "SEED"));
  app.add_option("--inputs", options.inputsDir,
                 "Read every argument from DIR/<name>.npy");
  app.add_option("--dump", options.dumpDir,
                 "Write every result to DIR/<name>.npy");
  app.add_flag("--dump-inputs", options.dumpInputs,
               "With --dump, also write the arguments");
  app.add_flag("--check", options.check,
               "Compare results with the float64 reference");
  app.add_option("--tol", extras.tol,
                 "Tolerance for every dtype (with --check)")
      ->check(CLI::PositiveNumber);
  app.add_option("--repeat", options.repeat, "Timed runs")
      ->check(CLI::Range(0, 1000000));
  app.add_option("--warmup", options.warmup, "Untimed runs before the timed")
      ->check(CLI::Range(0, 1000000));
  app.add_option("--train", extras.train,
                 "Train the entry (a training step: a loss and a d_<param> "
                 "gradient per parameter) for STEPS steps on synthetic "
                 "Markov-chain batches, AdamW on the host");
  app.add_option("--lr", options.lr,
                 "AdamW learning rate of --train (default 1e-3)");
  app.add_flag("--cuda-graph", options.cudaGraph,
               "GPU: capture one call of the entry as a CUDA graph after the "
               "first call, and replay it for every later call (timing, "
               "--train, --compare)");
  app.add_flag("--target-check", options.targetCheck,
               "Only check that this machine can run the binary");
  app.add_flag("--kernels", options.profile.kernels,
               "Print a row per kernel launch: grid, block, registers, shared "
               "and local memory, duration (CUPTI activity records)");
  app.add_option("--metrics", options.profile.metrics,
                 "Read hardware counters per kernel (CUPTI Range Profiler): "
                 "default, stalls, or metric names as Nsight Compute knows "
                 "them, comma-separated");
  app.add_option("--report", options.profile.reportDir,
                 "Write DIR/report.json and DIR/kernels.csv");
  app.add_flag("--from-report", extras.fromReport,
               "The positional arguments are report.json files of earlier "
               "runs: print their tables (and with several, their comparison) "
               "and with --report DIR write DIR/roofline.svg of them all; "
               "runs nothing, needs no GPU");
  app.add_flag("--compare", extras.compare,
               "Time every binary on the same inputs in interleaved rounds "
               "(default --repeat 10 --warmup 2)");
}

/// Moves the binaries into `options`; gives --compare its default rounds.
/// Returns an error message, or an empty string.
static std::string takeBinaries(const CLI::App &app, const Extras &extras,
                                RunOptions &options) {
  if (app.count("--tol"))
    options.tol = extras.tol;
  if (app.count("--train")) {
    if (extras.train < 1)
      return "--train: STEPS must be at least 1, got " +
             std::to_string(extras.train);
    if (!(options.lr > 0) || !std::isfinite(options.lr))
      return "--lr must be a positive number, got " +
             std::to_string(options.lr);
    if (extras.compare || extras.fromReport)
      return "--train cannot be combined with --compare or --from-report";
    options.train = extras.train;
  } else if (app.count("--lr")) {
    return "--lr is only used with --train";
  }
  if (extras.fromReport) {
    if (extras.compare)
      return "--from-report and --compare exclude each other";
    options.fromReports = extras.binaries;
    return "";
  }
  if (!extras.compare) {
    if (extras.binaries.size() > 1)
      return std::to_string(extras.binaries.size()) +
             " binaries given; ssm-run runs one, or compares several with "
             "--compare";
    options.binary = extras.binaries.front();
    return "";
  }
  options.compare = extras.binaries;
  if (!app.count("--repeat"))
    options.repeat = 10;
  if (!app.count("--warmup"))
    options.warmup = 2;
  return "";
}

int runMain(int argc, char **argv) {
  try {
    CLI::App app{"Runs a compiled ssm workload binary.", "ssm-run"};
    RunOptions options;
    Extras extras;
    addOptions(app, options, extras);
    try {
      app.parse(argc, argv);
    } catch (const CLI::Success &e) {
      return app.exit(e);
    } catch (const CLI::ParseError &e) {
      std::cerr << "error: " << e.what() << " (see ssm-run --help)\n";
      return 1;
    }
    std::string problem = takeBinaries(app, extras, options);
    if (!problem.empty()) {
      std::cerr << "error: " << problem << " (see ssm-run --help)\n";
      return 1;
    }
    return runWorkload(options, std::cout, std::cerr);
  } catch (const std::exception &e) {
    std::cerr << "error: " << e.what() << "\n";
  }
  return 1;
}

} // namespace ssmrt
