// RUN: ssm-opt %s -split-input-file -verify-diagnostics

// A misspelled or misplaced attribute on an ssm op used to be kept and
// ignored, silently changing the math (issue 15): an attribute without a
// dialect prefix that the op does not know is an error naming it and the
// op's own. Dialect-prefixed ones (ssm.lowering, ssm.name, another
// dialect's) stay allowed: see the last case.

func.func @misspelled_softplus(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+1 {{'ssm.selective_scan' op has unknown attribute 'delta_sofplus': its attributes are 'delta_softplus' (dialect-prefixed ones such as 'ssm.lowering' are allowed)}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C {delta_sofplus}
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// The SSD scan's spelling on the selective scan.
func.func @other_ops_softplus(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+1 {{'ssm.selective_scan' op has unknown attribute 'dt_softplus': its attributes are 'delta_softplus'}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C {dt_softplus}
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// The gradient ops are checked too.
func.func @grad_unknown(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>,
    %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{'ssm.causal_conv1d_grad' op has unknown attribute 'delta_softplus': its attributes are 'activation'}}
  %dx, %dw = ssm.causal_conv1d_grad %x, %w, %dy activation none {delta_softplus}
      : (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x8x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<8x4xf32>)
  return
}

// -----

// And ssm.fusion.
func.func @fusion_unknown(%x: tensor<4x64xf32>, %w: tensor<64xf32>) {
  // expected-error @+1 {{'ssm.fusion' op has unknown attribute 'fused': its attributes are 'variant'}}
  %r = ssm.fusion "fused-conv-scan" -> tensor<4x64xf32> attributes {fused} {
    %y = ssm.rms_norm %x, %w : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
    ssm.yield %y : tensor<4x64xf32>
  }
  return
}

// -----

// Dialect-prefixed attributes are discardable and allowed; known ones work.
func.func @prefixed_ok(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      {delta_softplus, ssm.name = "scan", other.note = 1 : i64,
       ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused-scan">}
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}
