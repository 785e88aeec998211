// A small Mamba-1 mixer core: the causal convolution over the sequence, the
// selective scan with its D skip and silu(z) gate, and the scan's gradient,
// as one training step's worth of kernels (B2 D64 L128 N16, f32).
func.func @forward(%x: tensor<2x64x128xf32>, %conv_weight: tensor<64x4xf32> {ssm.name = "weight"},
                   %conv_bias: tensor<64xf32> {ssm.name = "bias"},
                   %delta: tensor<2x64x128xf32>, %A: tensor<64x16xf32>,
                   %B: tensor<2x1x16x128xf32>, %C: tensor<2x1x16x128xf32>,
                   %D: tensor<64xf32>, %z: tensor<2x64x128xf32>,
                   %delta_bias: tensor<64xf32>)
    -> (tensor<2x64x128xf32>, tensor<2x64x16xf32>) {
  %u = ssm.causal_conv1d %x, %conv_weight bias(%conv_bias) activation silu
      : (tensor<2x64x128xf32>, tensor<64x4xf32>, tensor<64xf32>) -> tensor<2x64x128xf32>
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) z(%z)
      delta_bias(%delta_bias) {delta_softplus}
      : (tensor<2x64x128xf32>, tensor<2x64x128xf32>, tensor<64x16xf32>,
         tensor<2x1x16x128xf32>, tensor<2x1x16x128xf32>, tensor<64xf32>,
         tensor<2x64x128xf32>, tensor<64xf32>)
      -> (tensor<2x64x128xf32>, tensor<2x64x16xf32>)
  return %y, %s : tensor<2x64x128xf32>, tensor<2x64x16xf32>
}

func.func @scan_backward(%u: tensor<2x64x128xf32>, %delta: tensor<2x64x128xf32>,
                         %A: tensor<64x16xf32>, %B: tensor<2x1x16x128xf32>,
                         %C: tensor<2x1x16x128xf32>, %D: tensor<64xf32>,
                         %z: tensor<2x64x128xf32>, %delta_bias: tensor<64xf32>,
                         %dy: tensor<2x64x128xf32>)
    -> (tensor<2x64x128xf32>, tensor<2x64x128xf32>, tensor<64x16xf32>,
        tensor<2x1x16x128xf32>, tensor<2x1x16x128xf32>, tensor<64xf32>,
        tensor<2x64x128xf32>, tensor<64xf32>) {
  %g:8 = ssm.selective_scan_grad %u, %delta, %A, %B, %C D(%D) z(%z)
      delta_bias(%delta_bias), %dy {delta_softplus}
      : tensor<2x64x128xf32>, tensor<2x64x128xf32>, tensor<64x16xf32>,
        tensor<2x1x16x128xf32>, tensor<2x1x16x128xf32>, tensor<64xf32>,
        tensor<2x64x128xf32>, tensor<64xf32>, tensor<2x64x128xf32>
      -> tensor<2x64x128xf32>, tensor<2x64x128xf32>, tensor<64x16xf32>,
         tensor<2x1x16x128xf32>, tensor<2x1x16x128xf32>
         dD tensor<64xf32> dz tensor<2x64x128xf32> ddelta_bias tensor<64xf32>
  return %g#0, %g#1, %g#2, %g#3, %g#4, %g#5, %g#6, %g#7
      : tensor<2x64x128xf32>, tensor<2x64x128xf32>, tensor<64x16xf32>,
        tensor<2x1x16x128xf32>, tensor<2x1x16x128xf32>, tensor<64xf32>,
        tensor<2x64x128xf32>, tensor<64xf32>
}
