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
// CPU: {{^}}report: {{.*}}report.json, {{.*}}kernels.csv, {{.*}}roofline.svg
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

// --compare: each binary's note and report, then the side-by-side table
// (CPU binaries have no counters, so "-") and one roofline of all.
// RUN: rm -rf %t.compare
// RUN: ssm-compile %s --target=cpu --chunk-len=8 -o %t.c8.so
// RUN: ssm-run --compare %t.so %t.c8.so --repeat 1 --warmup 0 --kernels \
// RUN:   --report %t.compare | FileCheck %s --check-prefix=COMPARE
// COMPARE: {{^}}profile of {{.*}}.so:
// COMPARE-NEXT: {{^}}counters: not collected: a CPU binary has no kernel records
// COMPARE-NEXT: {{^}}report: {{.*}}report.json
// COMPARE: {{^}}profile of {{.*}}.c8.so:
// COMPARE: {{^}}counters: 2 binaries side by side
// COMPARE-NEXT: {{^}}binary {{ *}}launches  kernel_us  dram_MB_rd  dram_MB_wr  GB/s  time/first  dram/first
// COMPARE-NEXT: {{^}}{{.*}}.so {{ *}}0       0.00           -           -     -           -           -
// COMPARE-NEXT: {{^}}{{.*}}.c8.so {{ *}}0       0.00           -           -     -           -           -
// COMPARE: {{^}}report: {{.*}}roofline.svg
// RUN: FileCheck %s --check-prefix=ROOFLINE < %t.compare/roofline.svg
// ROOFLINE: roofline: no kernel has DRAM bytes and f32 flops

// Saved reports read back without running anything: the notes, the
// comparison of several, one roofline.
// RUN: ssm-run --from-report %t.report/report.json %t.compare/*c8.so/report.json \
// RUN:   --report %t.from | FileCheck %s --check-prefix=FROM
// FROM: {{^}}report 0: {{.*}}report.json (binary {{.*}}.so, entry conv)
// FROM-NEXT: {{^}}note: not collected: a CPU binary has no GPU counters
// FROM: {{^}}report 1: {{.*}}c8.so/report.json (binary {{.*}}.c8.so, entry conv)
// FROM: {{^}}counters: 2 reports side by side
// FROM: {{^}}report: {{.*}}from/roofline.svg
// RUN: not ssm-run --from-report %s 2>&1 | FileCheck %s --check-prefix=NOT-A-REPORT
// NOT-A-REPORT: {{^}}error: {{.*}}ssm-run-profile.mlir: report: not JSON{{[:]}} {{.*}}parse error

func.func @conv(%x: tensor<1x4x8xf32>, %w: tensor<4x2xf32>)
    -> tensor<1x4x8xf32> {
  %y = ssm.causal_conv1d %x, %w activation none
      : (tensor<1x4x8xf32>, tensor<4x2xf32>) -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}
