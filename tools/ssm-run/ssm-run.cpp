//===- ssm-run.cpp - Run a compiled ssm workload binary -------------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// Loads a workload binary written by ssm-compile, fills its arguments (seeded
// random values or .npy files), runs one entry on the CPU or the GPU, and
// optionally dumps, checks against the float64 reference, and times it:
//
//   ssm-run NAME.so [--entry NAME] [--seed S] [--inputs DIR] [--dump DIR]
//           [--dump-inputs] [--check] [--tol X] [--repeat N] [--warmup K]
//           [--target-check]
//   ssm-run --compare A.so B.so ... [--entry NAME] [--seed S] [--inputs DIR]
//           [--check] [--tol X] [--repeat N] [--warmup K]
//
// All logic lives in the runtime library (ssmrt/Runner.h).
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Runner.h"

int main(int argc, char **argv) { return ssmrt::runMain(argc, argv); }
