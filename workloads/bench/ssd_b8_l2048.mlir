// Mamba-2 SSD scan, B8 L2048 H24 P64 N128 G1, bf16 activations.
func.func @fwd(%x: tensor<8x2048x24x64xbf16>, %dt: tensor<8x2048x24xbf16>, %A: tensor<24xf32>, %B: tensor<8x2048x1x128xbf16>, %C: tensor<8x2048x1x128xbf16>, %D: tensor<24xf32>, %dt_bias: tensor<24xf32>) -> (tensor<8x2048x24x64xbf16>, tensor<8x24x64x128xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C D(%D) dt_bias(%dt_bias) {dt_softplus} : (tensor<8x2048x24x64xbf16>, tensor<8x2048x24xbf16>, tensor<24xf32>, tensor<8x2048x1x128xbf16>, tensor<8x2048x1x128xbf16>, tensor<24xf32>, tensor<24xf32>) -> (tensor<8x2048x24x64xbf16>, tensor<8x24x64x128xf32>)
  return %y, %s : tensor<8x2048x24x64xbf16>, tensor<8x24x64x128xf32>
}

func.func @fwdbwd(%x: tensor<8x2048x24x64xbf16>, %dt: tensor<8x2048x24xbf16>, %A: tensor<24xf32>, %B: tensor<8x2048x1x128xbf16>, %C: tensor<8x2048x1x128xbf16>, %D: tensor<24xf32>, %dt_bias: tensor<24xf32>, %dy: tensor<8x2048x24x64xbf16>) -> (tensor<8x2048x24x64xbf16>, tensor<8x24x64x128xf32>, tensor<8x2048x24x64xbf16>, tensor<8x2048x24xbf16>, tensor<24xf32>, tensor<8x2048x1x128xbf16>, tensor<8x2048x1x128xbf16>, tensor<24xf32>, tensor<24xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C D(%D) dt_bias(%dt_bias) {dt_softplus} : (tensor<8x2048x24x64xbf16>, tensor<8x2048x24xbf16>, tensor<24xf32>, tensor<8x2048x1x128xbf16>, tensor<8x2048x1x128xbf16>, tensor<24xf32>, tensor<24xf32>) -> (tensor<8x2048x24x64xbf16>, tensor<8x24x64x128xf32>)
  %g:7 = ssm.ssd_scan_grad %x, %dt, %A, %B, %C D(%D) dt_bias(%dt_bias), %dy {dt_softplus} : tensor<8x2048x24x64xbf16>, tensor<8x2048x24xbf16>, tensor<24xf32>, tensor<8x2048x1x128xbf16>, tensor<8x2048x1x128xbf16>, tensor<24xf32>, tensor<24xf32>, tensor<8x2048x24x64xbf16> -> tensor<8x2048x24x64xbf16>, tensor<8x2048x24xbf16>, tensor<24xf32>, tensor<8x2048x1x128xbf16>, tensor<8x2048x1x128xbf16> dD tensor<24xf32> ddt_bias tensor<24xf32>
  return %y, %s, %g#0, %g#1, %g#2, %g#3, %g#4, %g#5, %g#6 : tensor<8x2048x24x64xbf16>, tensor<8x24x64x128xf32>, tensor<8x2048x24x64xbf16>, tensor<8x2048x24xbf16>, tensor<24xf32>, tensor<8x2048x1x128xbf16>, tensor<8x2048x1x128xbf16>, tensor<24xf32>, tensor<24xf32>
}
