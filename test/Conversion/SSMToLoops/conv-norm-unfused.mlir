// The `fused` and `unfused` variants of ssm.rms_norm(_grad) and
// ssm.causal_conv1d(_grad) on the CPU: one loop nest per kernel.
// Top-level loop nests per function, fused vs unfused:
//   rms_norm        plain 1 vs 2 (normaliser, scaling); residual and gated
//                   1 vs 3 (the residual add into residual_out, or the
//                   gate into f32 scratch, first);
//   rms_norm_grad   2 vs 5 plain (dweight's zero fill, then the recomputed
//                   normaliser, the row dot product, dweight, the norm
//                   backward into dx), 2 vs 7 residual and gated (the
//                   recomputed add or gate first, the residual passthrough
//                   or the gate backward last);
//   causal_conv1d   silu 1 vs 2 (pre-activation, silu); none 1 vs 1;
//   causal_conv1d_grad  silu 2 vs 4 (recomputed pre-activation, silu
//                   backward, dx, dweight with dbias); none 2 vs 2.
// RUN: ssm-opt %s --ssm-select-lowering --convert-ssm-to-loops \
// RUN:   | FileCheck %s --strict-whitespace --check-prefix=FUSED
// RUN: ssm-opt %s --ssm-select-lowering='variant=unfused' --convert-ssm-to-loops \
// RUN:   | FileCheck %s --strict-whitespace --check-prefix=UNFUSED
// RUN: ssm-opt %s --ssm-select-lowering='variant=unfused' --convert-ssm-to-loops \
// RUN:   | FileCheck %s --strict-whitespace --check-prefix=STEPS

// The unfused residual form materialises x + residual in residual_out; the
// normaliser and the scaling read it back.
// STEPS-LABEL: func.func @norm_residual(
// STEPS:         %[[Y:.*]] = memref.alloc() : memref<4x16xbf16>
// STEPS:         %[[R:.*]] = memref.alloc() : memref<4x16xf32>
// STEPS:         {{^    }}scf.for
// STEPS:           memref.store %{{.*}}, %[[R]][
// STEPS:         %[[RSTD:.*]] = memref.alloc() : memref<4xf32>
// STEPS:         {{^    }}scf.for
// STEPS:           memref.load %[[R]][
// STEPS:           memref.store %{{.*}}, %[[RSTD]][
// STEPS:         {{^    }}scf.for
// STEPS-DAG:       memref.load %[[RSTD]][
// STEPS-DAG:       memref.load %[[R]][
// STEPS:           memref.store %{{.*}}, %[[Y]][
// STEPS:         return

// The unfused conv with silu: the pre-activation in f32 scratch, then silu.
// STEPS-LABEL: func.func @conv_silu(
// STEPS:         %[[Y:.*]] = memref.alloc() : memref<2x4x32xf32>
// STEPS:         %[[PRE:.*]] = memref.alloc() : memref<2x4x32xf32>
// STEPS:         {{^    }}scf.for
// STEPS:           memref.store %{{.*}}, %[[PRE]][
// STEPS:         {{^    }}scf.for
// STEPS:           memref.load %[[PRE]][
// STEPS:           memref.store %{{.*}}, %[[Y]][
// STEPS:         return

// FUSED-LABEL: func.func @norm_plain(
// FUSED-COUNT-1: {{^    }}scf.for
// FUSED-NOT:   {{^    }}scf.for
// FUSED:       return
// UNFUSED-LABEL: func.func @norm_plain(
// UNFUSED-COUNT-2: {{^    }}scf.for
// UNFUSED-NOT:   {{^    }}scf.for
// UNFUSED:       return
func.func @norm_plain(%x: tensor<4x16xf32>, %w: tensor<16xf32>)
    -> tensor<4x16xf32> {
  %y = ssm.rms_norm %x, %w
      : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}


// FUSED-LABEL: func.func @norm_residual(
// FUSED-COUNT-1: {{^    }}scf.for
// FUSED-NOT:   {{^    }}scf.for
// FUSED:       return
// UNFUSED-LABEL: func.func @norm_residual(
// UNFUSED-COUNT-3: {{^    }}scf.for
// UNFUSED-NOT:   {{^    }}scf.for
// UNFUSED:       return
func.func @norm_residual(%x: tensor<4x16xbf16>, %w: tensor<16xf32>,
    %res: tensor<4x16xf32>) -> (tensor<4x16xbf16>, tensor<4x16xf32>) {
  %y, %ro = ssm.rms_norm %x, %w residual(%res)
      : (tensor<4x16xbf16>, tensor<16xf32>, tensor<4x16xf32>)
      -> (tensor<4x16xbf16>, tensor<4x16xf32>)
  return %y, %ro : tensor<4x16xbf16>, tensor<4x16xf32>
}


// FUSED-LABEL: func.func @norm_gated(
// FUSED-COUNT-1: {{^    }}scf.for
// FUSED-NOT:   {{^    }}scf.for
// FUSED:       return
// UNFUSED-LABEL: func.func @norm_gated(
// UNFUSED-COUNT-3: {{^    }}scf.for
// UNFUSED-NOT:   {{^    }}scf.for
// UNFUSED:       return
func.func @norm_gated(%x: tensor<4x16xf32>, %w: tensor<16xf32>,
    %z: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %y = ssm.rms_norm %x, %w z(%z)
      : (tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>)
      -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}


// FUSED-LABEL: func.func @norm_grad_plain(
// FUSED-COUNT-2: {{^    }}scf.for
// FUSED-NOT:   {{^    }}scf.for
// FUSED:       return
// UNFUSED-LABEL: func.func @norm_grad_plain(
// UNFUSED-COUNT-5: {{^    }}scf.for
// UNFUSED-NOT:   {{^    }}scf.for
// UNFUSED:       return
func.func @norm_grad_plain(%x: tensor<4x16xf32>, %w: tensor<16xf32>,
    %dy: tensor<4x16xf32>) -> (tensor<4x16xf32>, tensor<16xf32>) {
  %dx, %dw = ssm.rms_norm_grad %x, %w, %dy
      : tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>
      -> tensor<4x16xf32>, tensor<16xf32>
  return %dx, %dw : tensor<4x16xf32>, tensor<16xf32>
}


// FUSED-LABEL: func.func @norm_grad_residual(
// FUSED-COUNT-2: {{^    }}scf.for
// FUSED-NOT:   {{^    }}scf.for
// FUSED:       return
// UNFUSED-LABEL: func.func @norm_grad_residual(
// UNFUSED-COUNT-7: {{^    }}scf.for
// UNFUSED-NOT:   {{^    }}scf.for
// UNFUSED:       return
func.func @norm_grad_residual(%x: tensor<4x16xf32>, %w: tensor<16xf32>,
    %res: tensor<4x16xf32>, %dy: tensor<4x16xf32>, %dro: tensor<4x16xf32>)
    -> (tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>) {
  %dx, %dw, %dr = ssm.rms_norm_grad %x, %w residual(%res), %dy
      d_residual_out(%dro)
      : tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>, tensor<4x16xf32>,
        tensor<4x16xf32>
      -> tensor<4x16xf32>, tensor<16xf32> dresidual tensor<4x16xf32>
  return %dx, %dw, %dr : tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>
}


// FUSED-LABEL: func.func @norm_grad_gated(
// FUSED-COUNT-2: {{^    }}scf.for
// FUSED-NOT:   {{^    }}scf.for
// FUSED:       return
// UNFUSED-LABEL: func.func @norm_grad_gated(
// UNFUSED-COUNT-7: {{^    }}scf.for
// UNFUSED-NOT:   {{^    }}scf.for
// UNFUSED:       return
func.func @norm_grad_gated(%x: tensor<4x16xf32>, %w: tensor<16xf32>,
    %z: tensor<4x16xf32>, %dy: tensor<4x16xf32>)
    -> (tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>) {
  %dx, %dw, %dz = ssm.rms_norm_grad %x, %w z(%z), %dy
      : tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>, tensor<4x16xf32>
      -> tensor<4x16xf32>, tensor<16xf32> dz tensor<4x16xf32>
  return %dx, %dw, %dz : tensor<4x16xf32>, tensor<16xf32>, tensor<4x16xf32>
}


// FUSED-LABEL: func.func @conv_silu(
// FUSED-COUNT-1: {{^    }}scf.for
// FUSED-NOT:   {{^    }}scf.for
// FUSED:       return
// UNFUSED-LABEL: func.func @conv_silu(
// UNFUSED-COUNT-2: {{^    }}scf.for
// UNFUSED-NOT:   {{^    }}scf.for
// UNFUSED:       return
func.func @conv_silu(%x: tensor<2x4x32xf32>, %w: tensor<4x3xf32>,
    %b: tensor<4xf32>) -> tensor<2x4x32xf32> {
  %y = ssm.causal_conv1d %x, %w bias(%b) activation silu
      : (tensor<2x4x32xf32>, tensor<4x3xf32>, tensor<4xf32>)
      -> tensor<2x4x32xf32>
  return %y : tensor<2x4x32xf32>
}


// FUSED-LABEL: func.func @conv_none(
// FUSED-COUNT-1: {{^    }}scf.for
// FUSED-NOT:   {{^    }}scf.for
// FUSED:       return
// UNFUSED-LABEL: func.func @conv_none(
// UNFUSED-COUNT-1: {{^    }}scf.for
// UNFUSED-NOT:   {{^    }}scf.for
// UNFUSED:       return
func.func @conv_none(%x: tensor<2x4x32xf32>, %w: tensor<4x3xf32>)
    -> tensor<2x4x32xf32> {
  %y = ssm.causal_conv1d %x, %w activation none
      : (tensor<2x4x32xf32>, tensor<4x3xf32>) -> tensor<2x4x32xf32>
  return %y : tensor<2x4x32xf32>
}


// FUSED-LABEL: func.func @conv_grad_silu(
// FUSED-COUNT-4: {{^    }}scf.for
// FUSED-NOT:   {{^    }}scf.for
// FUSED:       return
// UNFUSED-LABEL: func.func @conv_grad_silu(
// UNFUSED-COUNT-6: {{^    }}scf.for
// UNFUSED-NOT:   {{^    }}scf.for
// UNFUSED:       return
func.func @conv_grad_silu(%x: tensor<2x4x32xf32>, %w: tensor<4x3xf32>,
    %b: tensor<4xf32>, %dy: tensor<2x4x32xf32>)
    -> (tensor<2x4x32xf32>, tensor<4x3xf32>, tensor<4xf32>) {
  %dx, %dw, %db = ssm.causal_conv1d_grad %x, %w bias(%b), %dy activation silu
      : (tensor<2x4x32xf32>, tensor<4x3xf32>, tensor<4xf32>,
         tensor<2x4x32xf32>)
      -> (tensor<2x4x32xf32>, tensor<4x3xf32>, tensor<4xf32>)
  return %dx, %dw, %db : tensor<2x4x32xf32>, tensor<4x3xf32>, tensor<4xf32>
}


// FUSED-LABEL: func.func @conv_grad_none(
// FUSED-COUNT-3: {{^    }}scf.for
// FUSED-NOT:   {{^    }}scf.for
// FUSED:       return
// UNFUSED-LABEL: func.func @conv_grad_none(
// UNFUSED-COUNT-3: {{^    }}scf.for
// UNFUSED-NOT:   {{^    }}scf.for
// UNFUSED:       return
func.func @conv_grad_none(%x: tensor<2x4x32xf32>, %w: tensor<4x3xf32>,
    %dy: tensor<2x4x32xf32>) -> (tensor<2x4x32xf32>, tensor<4x3xf32>) {
  %dx, %dw = ssm.causal_conv1d_grad %x, %w, %dy activation none
      : (tensor<2x4x32xf32>, tensor<4x3xf32>, tensor<2x4x32xf32>)
      -> (tensor<2x4x32xf32>, tensor<4x3xf32>)
  return %dx, %dw : tensor<2x4x32xf32>, tensor<4x3xf32>
}
