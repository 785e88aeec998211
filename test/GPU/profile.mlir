// REQUIRES: cuda
// ssm-run's kernel records, counters and report on the GPU (CUPTI from the
// toolkit), and the failure modes that need a GPU: CUPTI missing and an
// unknown metric. Counters need permission to read them (root, or a driver
// loaded with NVreg_RestrictProfilingToAdminUsers=0).

// RUN: ssm-compile %s --target=gpu -o %t.so

// Kernel records: one row per launch of the scan, with registers.
// RUN: ssm-run %t.so --check --repeat 3 --kernels | FileCheck %s --check-prefix=KERNELS
// KERNELS: {{^}}check: 2 passed, 0 failed
// KERNELS: {{^}}peak: device-to-device copy {{[0-9]+}} GB/s (read + write)
// KERNELS: {{^}}# {{ +}}kernel {{ +}}grid {{ +}}block {{ +}}regs {{ +}}smem {{ +}}local {{ +}}time_us
// KERNELS: ssm_selective_scan_block_scan
// KERNELS: total (

// The default counters, the report files.
// RUN: rm -rf %t.report
// RUN: ssm-run %t.so --metrics default --report %t.report | FileCheck %s --check-prefix=METRICS
// METRICS: {{^}}counters: 15 metrics on GH100 in 10 passes (the entry is called once per pass)
// METRICS: dram_MB_rd {{ +}}dram_MB_wr {{ +}}GB/s {{ +}}%peak_bw {{ +}}flop/B {{ +}}bound {{ +}}%floor
// METRICS: ssm_selective_scan_block_scan
// METRICS: {{^}}report: {{.*}}report.json, {{.*}}kernels.csv
// RUN: FileCheck %s --check-prefix=JSON < %t.report/report.json
// JSON: "chip": "GH100",
// JSON: "dram__bytes_read.sum":

// CUPTI missing: said once, the times stay, the status is 0.
// RUN: env SSMRT_CUPTI_LIBRARY=%t.nonexistent/libcupti.so ssm-run %t.so --repeat 2 --metrics default \
// RUN:   | FileCheck %s --check-prefix=NO-CUPTI
// NO-CUPTI: {{^}}time: median
// NO-CUPTI: {{^}}counters: not collected: CUPTI (libcupti.so of the CUDA toolkit) not found: {{.*}}nonexistent/libcupti.so

// An unknown metric: an error naming it, before the entry runs.
// RUN: not ssm-run %t.so --metrics dram__bytez_read.sum 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: {{^}}error: --metrics: unknown metric 'dram__bytez_read.sum' for GH100

func.func @forward(%u: tensor<2x64x1024xf32>, %delta: tensor<2x64x1024xf32>,
    %A: tensor<64x16xf32>, %B: tensor<2x1x16x1024xf32>,
    %C: tensor<2x1x16x1024xf32>) -> (tensor<2x64x1024xf32>, tensor<2x64x16xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x64x1024xf32>, tensor<2x64x1024xf32>, tensor<64x16xf32>,
         tensor<2x1x16x1024xf32>, tensor<2x1x16x1024xf32>)
      -> (tensor<2x64x1024xf32>, tensor<2x64x16xf32>)
  return %y, %s : tensor<2x64x1024xf32>, tensor<2x64x16xf32>
}
