// RMS norm with the residual add in f32 (pre-norm blocks), B8 L2048 D1536, bf16.
func.func @fwd(%x: tensor<8x2048x1536xbf16>, %w: tensor<1536xf32>, %res: tensor<8x2048x1536xf32>) -> (tensor<8x2048x1536xbf16>, tensor<8x2048x1536xf32>) {
  %y, %r = ssm.rms_norm %x, %w residual(%res) : (tensor<8x2048x1536xbf16>, tensor<1536xf32>, tensor<8x2048x1536xf32>) -> (tensor<8x2048x1536xbf16>, tensor<8x2048x1536xf32>)
  return %y, %r : tensor<8x2048x1536xbf16>, tensor<8x2048x1536xf32>
}

func.func @fwdbwd(%x: tensor<8x2048x1536xbf16>, %w: tensor<1536xf32>, %res: tensor<8x2048x1536xf32>, %dy: tensor<8x2048x1536xbf16>, %dro: tensor<8x2048x1536xf32>) -> (tensor<8x2048x1536xbf16>, tensor<8x2048x1536xf32>, tensor<8x2048x1536xbf16>, tensor<1536xf32>, tensor<8x2048x1536xf32>) {
  %y, %r = ssm.rms_norm %x, %w residual(%res) : (tensor<8x2048x1536xbf16>, tensor<1536xf32>, tensor<8x2048x1536xf32>) -> (tensor<8x2048x1536xbf16>, tensor<8x2048x1536xf32>)
  %dx, %dw, %dr = ssm.rms_norm_grad %x, %w residual(%res), %dy d_residual_out(%dro)
      : tensor<8x2048x1536xbf16>, tensor<1536xf32>, tensor<8x2048x1536xf32>, tensor<8x2048x1536xbf16>, tensor<8x2048x1536xf32> -> tensor<8x2048x1536xbf16>, tensor<1536xf32> dresidual tensor<8x2048x1536xf32>
  return %y, %r, %dx, %dw, %dr : tensor<8x2048x1536xbf16>, tensor<8x2048x1536xf32>, tensor<8x2048x1536xbf16>, tensor<1536xf32>, tensor<8x2048x1536xf32>
}
