//===- CommandLine.cpp - The command line of ssm-run ----------------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Runner.h"

#include <CLI/CLI.hpp>

#include <iostream>

namespace ssmrt {

/// Declares every flag of ssm-run on `app`, bound to `options`.
static void addOptions(CLI::App &app, RunOptions &options, double &tol) {
  app.add_option("binary", options.binary, "Workload binary (.so)")->required();
  app.add_option("--entry", options.entry, "Entry to run (default: the first)");
  app.add_option("--seed", options.seed, "Seed of random argument values");
  app.add_option("--inputs", options.inputsDir,
                 "Read every argument from DIR/<name>.npy");
  app.add_option("--dump", options.dumpDir,
                 "Write every result to DIR/<name>.npy");
  app.add_flag("--dump-inputs", options.dumpInputs,
               "With --dump, also write the arguments");
  app.add_flag("--check", options.check,
               "Compare results with the float64 reference");
  app.add_option("--tol", tol, "Tolerance for every dtype (with --check)")
      ->check(CLI::PositiveNumber);
  app.add_option("--repeat", options.repeat, "Timed runs")
      ->check(CLI::Range(0, 1000000));
  app.add_option("--warmup", options.warmup, "Untimed runs before the timed")
      ->check(CLI::Range(0, 1000000));
  app.add_flag("--target-check", options.targetCheck,
               "Only check that this machine can run the binary");
}

int runMain(int argc, char **argv) {
  try {
    CLI::App app{"Runs a compiled ssm workload binary.", "ssm-run"};
    RunOptions options;
    double tol = 0.0;
    addOptions(app, options, tol);
    try {
      app.parse(argc, argv);
    } catch (const CLI::Success &e) {
      return app.exit(e);
    } catch (const CLI::ParseError &e) {
      std::cerr << "error: " << e.what() << " (see ssm-run --help)\n";
      return 1;
    }
    if (app.count("--tol"))
      options.tol = tol;
    return runWorkload(options, std::cout, std::cerr);
  } catch (const std::exception &e) {
    std::cerr << "error: " << e.what() << "\n";
  }
  return 1;
}

} // namespace ssmrt
