// RUN: ssm-opt %s -split-input-file -verify-diagnostics

// The chunked-parallel strategy of the selective scan in hand-written
// lowerings: its chunk_len is checked where it is written, applies to the
// forward and the gradient on both targets, and means nothing to the
// forward's sequential strategy or to the unfused variant.

func.func @chunk_len_negative(%u: tensor<2x8x16xf32>, %dt: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+1 {{has ssm.lowering chunk_len = -4: it must be at least 1}}
  %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C {ssm.lowering =
      #ssm.lowering<target = "cpu", variant = "fused-scan", strategy = "chunked-parallel", chunk_len = -4>}
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @chunk_len_sequential_forward(%u: tensor<2x8x16xf32>,
    %dt: tensor<2x8x16xf32>, %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>,
    %C: tensor<2x1x4x16xf32>) {
  // expected-error @+1 {{has ssm.lowering chunk_len = 8, which does not apply to ssm.selective_scan lowered as variant "fused-scan", strategy "sequential" on gpu}}
  %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C {ssm.lowering =
      #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-scan", strategy = "sequential", chunk_len = 8, threads_per_block = 128>}
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @chunked_parallel_unfused(%u: tensor<2x8x16xf32>,
    %dt: tensor<2x8x16xf32>, %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>,
    %C: tensor<2x1x4x16xf32>) {
  // expected-error @+1 {{has ssm.lowering strategy = "chunked-parallel", but variant "unfused" of ssm.selective_scan on cpu has no strategies}}
  %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C {ssm.lowering =
      #ssm.lowering<target = "cpu", variant = "unfused", strategy = "chunked-parallel">}
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// Accepted: the forward and the gradient, on the GPU and the CPU.
func.func @chunked_parallel_ok(%u: tensor<2x8x16xf32>, %dt: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C {ssm.lowering =
      #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-scan", strategy = "chunked-parallel", chunk_len = 4, threads_per_block = 128>}
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  %g:5 = ssm.selective_scan_grad %u, %dt, %A, %B, %C, %u {ssm.lowering =
      #ssm.lowering<target = "cpu", variant = "fused-scan", strategy = "chunked-parallel", chunk_len = 4>}
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}
