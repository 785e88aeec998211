// The thread-per-point scan backward keeps chunk-len x d_state floats per
// thread in local memory; a chunk that would need more than 64 KiB is
// rejected at compile time, naming the parameter, instead of failing at
// launch. The default chunk fits; the block scan and the chunked SSD scan
// (the default) do not use the buffer.
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu chunk-len=5000' --convert-ssm-to-gpu | FileCheck %s --check-prefix=OK
// RUN: ssm-opt %s --convert-ssm-to-gpu | FileCheck %s --check-prefix=OK
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu chunk-len=5000 ssd-strategy=recurrence' --convert-ssm-to-gpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BIG
// RUN: not ssm-compile %s --target=gpu --max-registers=-5 -o %t.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REGS
// RUN: not ssm-compile %s --target=gpu --max-registers=300 -o %t.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REGS300

// OK-LABEL: func.func @ssd_grad
// OK: gpu.launch
// BIG: error: 'ssm.ssd_scan_grad' op cannot be lowered on the GPU with chunk_len = 5000: each thread would keep 320000 bytes of scan states (chunk_len x d_state 16 floats) in local memory, more than 65536; lower chunk-len
// REGS: error: ssm-select-lowering: max-registers = -5 is impossible: use 0 or a budget between 16 and 255
// REGS300: error: ssm-select-lowering: max-registers = 300 is impossible
func.func @ssd_grad(%x: tensor<1x5000x2x4xf32>, %dt: tensor<1x5000x2xf32>, %A: tensor<2xf32>, %B: tensor<1x5000x1x16xf32>, %C: tensor<1x5000x1x16xf32>, %dy: tensor<1x5000x2x4xf32>) -> tensor<1x5000x2x4xf32> {
  %g:5 = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy : tensor<1x5000x2x4xf32>, tensor<1x5000x2xf32>, tensor<2xf32>, tensor<1x5000x1x16xf32>, tensor<1x5000x1x16xf32>, tensor<1x5000x2x4xf32> -> tensor<1x5000x2x4xf32>, tensor<1x5000x2xf32>, tensor<2xf32>, tensor<1x5000x1x16xf32>, tensor<1x5000x1x16xf32>
  return %g#0 : tensor<1x5000x2x4xf32>
}
