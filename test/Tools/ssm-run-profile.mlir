// ssm-run's profiling options where no GPU is needed: a CPU binary has no
// kernel records or counters, which is said once and leaves the run, its
// times and its report intact (exit status 0); a malformed metric list is an
// error before anything runs. GPU runs are in test/GPU/profile.mlir.

// RUN: ssm-compile %s --target=cpu -o %t.so

// Counters asked of a CPU binary: one line saying why not, the check and the
// times as without them, and a report that carries the note.
// RUN: rm -rf %t.report
// RUN: ssm-run %t.so --check --repeat 2 --metrics default --report %t.report \
// RUN:   | FileCheck %s --check-prefix=CPU
// CPU: {{^}}check: 1 passed, 0 failed
// CPU: {{^}}time: median
// CPU: {{^}}counters: not collected: a CPU binary has no GPU counters (--metrics needs a binary compiled with --target=gpu)
// CPU-NOT: counters:
// CPU: {{^}}report: {{.*}}report.json, {{.*}}kernels.csv
// RUN: FileCheck %s --check-prefix=JSON < %t.report/report.json
// JSON: "format": "ssm-profile",
// JSON: "entry": "conv",
// JSON: "target": "cpu",
// JSON: "lowering": {
// JSON: "pipeline": "cpu
// JSON: "op": "ssm.causal_conv1d",
// JSON: "device": null,
// JSON: "kernels": [],
// JSON: "notes": [
// JSON-NEXT: "not collected: a CPU binary has no GPU counters
// RUN: FileCheck %s --check-prefix=CSV < %t.report/kernels.csv
// CSV: {{^}}binary,entry,position,kernel,grid_x,
// CSV-NOT: conv

// Kernel records asked of a CPU binary.
// RUN: ssm-run %t.so --kernels | FileCheck %s --check-prefix=KERNELS
// KERNELS: {{^}}counters: not collected: a CPU binary has no kernel records (they come from GPU binaries)

// Malformed metric lists fail before the entry runs.
// RUN: not ssm-run %t.so --metrics dram 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOT-A-NAME
// NOT-A-NAME-NOT: {{^}}check:
// NOT-A-NAME: {{^}}error: --metrics: 'dram' is neither default, stalls nor a metric name such as dram__bytes_read.sum
// RUN: not ssm-run %t.so --metrics default,,stalls 2>&1 \
// RUN:   | FileCheck %s --check-prefix=EMPTY-ITEM
// EMPTY-ITEM: {{^}}error: --metrics: empty item in 'default,,stalls'

// A report directory that cannot be made.
// RUN: not ssm-run %t.so --report %t.so/sub 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-DIR
// BAD-DIR: {{^}}error: --report: cannot create directory {{.*}}.so/sub

// Not with --compare (yet).
// RUN: not ssm-run --compare %t.so %t.so --kernels 2>&1 \
// RUN:   | FileCheck %s --check-prefix=COMPARE
// COMPARE: {{^}}error: --compare cannot be combined with --kernels, --metrics or --report yet

func.func @conv(%x: tensor<1x4x8xf32>, %w: tensor<4x2xf32>)
    -> tensor<1x4x8xf32> {
  %y = ssm.causal_conv1d %x, %w activation none
      : (tensor<1x4x8xf32>, tensor<4x2xf32>) -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}
