// The chip of the GPU pipeline (issue 15): an empty or unknown one crashed
// inside upstream's NVVM target verification. Every chip is checked before
// the pipeline is built, with one `error:` line naming the option; a
// hand-written lowering's chip is checked where it is written.

// RUN: rm -rf %t && split-file --leading-lines %s %t
// RUN: not ssm-opt %t/ok.mlir '--ssm-gpu-pipeline=chip=' 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not ssm-opt %t/ok.mlir '--ssm-gpu-pipeline=chip=' 2>&1 | count 1
// EMPTY: {{^}}error: ssm-select-lowering: chip = '' is not a GPU architecture such as 'sm_90'
// RUN: not ssm-opt %t/ok.mlir '--ssm-gpu-pipeline=chip=sm_' 2>&1 | FileCheck %s --check-prefix=SM
// SM: {{^}}error: ssm-select-lowering: chip = 'sm_' is not a GPU architecture such as 'sm_90'
// RUN: not ssm-opt %t/ok.mlir '--ssm-gpu-pipeline=chip=sm_x' 2>&1 | FileCheck %s --check-prefix=SMX
// SMX: {{^}}error: ssm-select-lowering: chip = 'sm_x' is not a GPU architecture such as 'sm_90'
// RUN: not ssm-opt %t/ok.mlir '--ssm-gpu-pipeline=chip=compute_90' 2>&1 | FileCheck %s --check-prefix=COMPUTE
// COMPUTE: {{^}}error: ssm-select-lowering: chip = 'compute_90' is not a GPU architecture
// RUN: not ssm-opt %t/ok.mlir '--ssm-gpu-pipeline=chip=sm_99999999999999999999' 2>&1 | FileCheck %s --check-prefix=LONG
// LONG: {{^}}error: ssm-select-lowering: chip = 'sm_99999999999999999999' is not a GPU architecture
// RUN: not ssm-opt %t/ok.mlir '--ssm-select-lowering=target=gpu chip=sm_9' 2>&1 | FileCheck %s --check-prefix=SELECT
// SELECT: {{^}}error: ssm-select-lowering: chip = 'sm_9' is not a GPU architecture such as 'sm_90'

// ssm-compile hands --chip to the same check.
// RUN: not ssm-compile %t/ok.mlir --target=gpu -o %t.so --chip= 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not ssm-compile %t/ok.mlir --target=gpu -o %t.so --chip sm_ 2>&1 | FileCheck %s --check-prefix=SM
// RUN: not ls %t.so

// A hand-written lowering with a chip upstream would crash on.
// RUN: not ssm-opt %t/hand.mlir '--ssm-gpu-pipeline=cubin-format=isa' 2>&1 | FileCheck %s --check-prefix=HAND
// HAND: hand.mlir:[[# @LINE + 14]]:{{[0-9]+}}: error: 'ssm.rms_norm' op has ssm.lowering chip = "sm_": a GPU lowering needs a chip such as "sm_90"

// Known chips with an architecture suffix pass (PTX only: no ptxas).
// RUN: ssm-opt %t/ok.mlir '--ssm-gpu-pipeline=chip=sm_90a cubin-format=isa' | FileCheck %s --check-prefix=SM90A
// SM90A: gpu.binary

//--- ok.mlir
func.func @ok(%x: tensor<4x64xf32>, %w: tensor<64xf32>) -> tensor<4x64xf32> {
  %y = ssm.rms_norm %x, %w : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

//--- hand.mlir
func.func @hand(%x: tensor<4x64xf32>, %w: tensor<64xf32>) -> tensor<4x64xf32> {
  %y = ssm.rms_norm %x, %w {ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_", variant = "fused">}
      : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
