// RUN: ssm-opt %s -split-input-file -verify-diagnostics

// One case per branch of verifyLowering (dialects/ssm/IR/SSMLowering.cpp)
// and of the ssm.fusion verifier: a hand-written lowering is checked
// against the op it is on where it is written.

func.func @unknown_target(%x: tensor<4x64xf32>, %w: tensor<64xf32>) -> tensor<4x64xf32> {
  // expected-error @+1 {{has ssm.lowering target = "tpu", unknown: expected 'cpu' or 'gpu'}}
  %y = ssm.rms_norm %x, %w {ssm.lowering = #ssm.lowering<target = "tpu", variant = "fused">}
      : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

func.func @gpu_without_chip(%x: tensor<4x64xf32>, %w: tensor<64xf32>) -> tensor<4x64xf32> {
  // expected-error @+1 {{has ssm.lowering chip = "": a GPU lowering needs a chip such as "sm_90"}}
  %y = ssm.rms_norm %x, %w {ssm.lowering = #ssm.lowering<target = "gpu", variant = "fused">}
      : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

func.func @cpu_with_chip(%x: tensor<4x64xf32>, %w: tensor<64xf32>) -> tensor<4x64xf32> {
  // expected-error @+1 {{has ssm.lowering chip = "sm_90", which does not apply to target cpu}}
  %y = ssm.rms_norm %x, %w {ssm.lowering = #ssm.lowering<target = "cpu", chip = "sm_90", variant = "fused">}
      : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

func.func @variant_not_for_op(%x: tensor<4x64xf32>, %w: tensor<64xf32>) -> tensor<4x64xf32> {
  // expected-error @+1 {{has ssm.lowering variant = "fused-scan", which does not apply to ssm.rms_norm: expected 'fused', 'unfused'}}
  %y = ssm.rms_norm %x, %w {ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused-scan">}
      : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

func.func @strategy_not_for_op(%u: tensor<2x8x16xf32>, %dt: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+1 {{has ssm.lowering strategy = "chunked", which does not apply to ssm.selective_scan on gpu: expected 'block-scan', 'sequential'}}
  %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C {ssm.lowering =
      #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-scan", strategy = "chunked">}
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @block_scan_on_cpu(%u: tensor<2x8x16xf32>, %dt: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+1 {{has ssm.lowering strategy = "block-scan", which does not apply to ssm.selective_scan on cpu: expected 'sequential'}}
  %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C {ssm.lowering =
      #ssm.lowering<target = "cpu", variant = "fused-scan", strategy = "block-scan">}
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @param_not_applicable(%x: tensor<4x64xf32>, %w: tensor<64xf32>) -> tensor<4x64xf32> {
  // expected-error @+1 {{has ssm.lowering threads_per_block = 128, which does not apply to ssm.rms_norm lowered as variant "fused" on cpu}}
  %y = ssm.rms_norm %x, %w {ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused", threads_per_block = 128>}
      : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

func.func @threads_not_warps(%x: tensor<4x64xf32>, %w: tensor<64xf32>) -> tensor<4x64xf32> {
  // expected-error @+1 {{has ssm.lowering threads_per_block = 100, impossible on NVIDIA GPUs: it must be a multiple of 32 between 32 and 1024}}
  %y = ssm.rms_norm %x, %w {ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused", threads_per_block = 100>}
      : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

func.func @registers(%x: tensor<4x64xf32>, %w: tensor<64xf32>) -> tensor<4x64xf32> {
  // expected-error @+1 {{has ssm.lowering max_registers = 300, impossible: a register budget is between 16 and 255 per thread (0 leaves it to ptxas)}}
  %y = ssm.rms_norm %x, %w {ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused", threads_per_block = 128, max_registers = 300>}
      : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// L = 16 is not a multiple of 3 (and 3 is not a power of two).
func.func @items(%u: tensor<2x8x16xf32>, %dt: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+1 {{has ssm.lowering items_per_thread = 3, not supported: expected 1, 2, 4, 8 or 16}}
  %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C {ssm.lowering =
      #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-scan", strategy = "block-scan", items_per_thread = 3>}
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// L = 12 is not a multiple of 8.
func.func @items_length(%u: tensor<2x8x12xf32>, %dt: tensor<2x8x12xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x12xf32>, %C: tensor<2x1x4x12xf32>) {
  // expected-error @+1 {{has ssm.lowering items_per_thread = 8, which does not divide the sequence length 12}}
  %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C {ssm.lowering =
      #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-scan", strategy = "block-scan", items_per_thread = 8>}
      : (tensor<2x8x12xf32>, tensor<2x8x12xf32>, tensor<8x4xf32>,
         tensor<2x1x4x12xf32>, tensor<2x1x4x12xf32>)
      -> (tensor<2x8x12xf32>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @channels(%u: tensor<2x6x16xf32>, %dt: tensor<2x6x16xf32>,
    %A: tensor<6x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+1 {{has ssm.lowering channels_per_block = 4, which does not divide the 6 channels}}
  %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C {ssm.lowering =
      #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-scan", strategy = "block-scan", threads_per_block = 256, channels_per_block = 4>}
      : (tensor<2x6x16xf32>, tensor<2x6x16xf32>, tensor<6x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x6x16xf32>, tensor<2x6x4xf32>)
  return
}

// -----

func.func @ssd_tile(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>) {
  // expected-error @+1 {{has ssm.lowering ssd_tile = 3, not supported: expected 1, 2, 4, 8 or 16}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C {ssm.lowering =
      #ssm.lowering<target = "cpu", variant = "phases", strategy = "chunked", chunk_len = 16, ssd_tile = 3>}
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

func.func @not_a_lowering(%x: tensor<4x64xf32>, %w: tensor<64xf32>) -> tensor<4x64xf32> {
  // expected-error @+1 {{has ssm.lowering that is not a #ssm.lowering: "fast"}}
  %y = ssm.rms_norm %x, %w {ssm.lowering = "fast"}
      : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

func.func @lowering_on_other_op() {
  // expected-error @+1 {{cannot carry ssm.lowering: only ssm kernel ops outside a fusion region and ssm.fusion are lowered}}
  %c = arith.constant {ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused">} 0 : index
  return
}

// -----

func.func @fusion_unknown_variant(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>) -> tensor<2x8x16xf32> {
  // expected-error @+1 {{has unknown variant "fused-everything": expected 'fused-conv-scan'}}
  %r = ssm.fusion "fused-everything" -> tensor<2x8x16xf32> {
    %u = ssm.causal_conv1d %x, %w activation silu
        : (tensor<2x8x16xf32>, tensor<8x4xf32>) -> tensor<2x8x16xf32>
    ssm.yield %u : tensor<2x8x16xf32>
  }
  return %r : tensor<2x8x16xf32>
}

// -----

func.func @fusion_wrong_shape(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>) -> tensor<2x8x16xf32> {
  // expected-error @+1 {{variant "fused-conv-scan" needs a region of exactly an ssm.causal_conv1d followed by an ssm.selective_scan or ssm.selective_scan_grad}}
  %r = ssm.fusion "fused-conv-scan" -> tensor<2x8x16xf32> {
    %u = ssm.causal_conv1d %x, %w activation silu
        : (tensor<2x8x16xf32>, tensor<8x4xf32>) -> tensor<2x8x16xf32>
    ssm.yield %u : tensor<2x8x16xf32>
  }
  return %r : tensor<2x8x16xf32>
}

// -----

func.func @fusion_no_silu(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>,
    %dt: tensor<2x8x16xf32>, %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>,
    %C: tensor<2x1x4x16xf32>) -> tensor<2x8x16xf32> {
  // expected-error @+1 {{variant "fused-conv-scan" fuses a causal_conv1d with activation silu}}
  %r = ssm.fusion "fused-conv-scan" -> tensor<2x8x16xf32> {
    %u = ssm.causal_conv1d %x, %w activation none
        : (tensor<2x8x16xf32>, tensor<8x4xf32>) -> tensor<2x8x16xf32>
    %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C
        : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
           tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
        -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
    ssm.yield %y : tensor<2x8x16xf32>
  }
  return %r : tensor<2x8x16xf32>
}

// -----

func.func @fusion_conv_not_u(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>,
    %u: tensor<2x8x16xf32>, %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>,
    %C: tensor<2x1x4x16xf32>) -> tensor<2x8x16xf32> {
  // expected-error @+1 {{variant "fused-conv-scan" needs the convolution's result to be the scan's `u` operand and nothing else}}
  %r = ssm.fusion "fused-conv-scan" -> tensor<2x8x16xf32> {
    %c = ssm.causal_conv1d %x, %w activation silu
        : (tensor<2x8x16xf32>, tensor<8x4xf32>) -> tensor<2x8x16xf32>
    %y, %s = ssm.selective_scan %u, %c, %A, %B, %C
        : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
           tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
        -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
    ssm.yield %y : tensor<2x8x16xf32>
  }
  return %r : tensor<2x8x16xf32>
}

// -----

// fused-conv-scan never stores the convolution's output: the region may
// not yield it either.
func.func @fusion_yields_conv(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>,
    %dt: tensor<2x8x16xf32>, %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>,
    %C: tensor<2x1x4x16xf32>) -> (tensor<2x8x16xf32>, tensor<2x8x16xf32>) {
  // expected-error @+1 {{variant "fused-conv-scan" needs the convolution's result to be the scan's `u` operand and nothing else}}
  %r:2 = ssm.fusion "fused-conv-scan" -> tensor<2x8x16xf32>, tensor<2x8x16xf32> {
    %u = ssm.causal_conv1d %x, %w activation silu
        : (tensor<2x8x16xf32>, tensor<8x4xf32>) -> tensor<2x8x16xf32>
    %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C
        : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
           tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
        -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
    ssm.yield %y, %u : tensor<2x8x16xf32>, tensor<2x8x16xf32>
  }
  return %r#0, %r#1 : tensor<2x8x16xf32>, tensor<2x8x16xf32>
}

// -----

func.func @fusion_yield_types(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>,
    %dt: tensor<2x8x16xf32>, %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>,
    %C: tensor<2x1x4x16xf32>) -> tensor<2x8x16xf32> {
  // expected-error @+1 {{yields 1 values whose types differ from its 1 results}}
  %r = ssm.fusion "fused-conv-scan" -> tensor<2x8x16xf32> {
    %u = ssm.causal_conv1d %x, %w activation silu
        : (tensor<2x8x16xf32>, tensor<8x4xf32>) -> tensor<2x8x16xf32>
    %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C
        : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
           tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
        -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
    ssm.yield %s : tensor<2x8x4xf32>
  }
  return %r : tensor<2x8x16xf32>
}

// -----

func.func @lowering_inside_fusion(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>,
    %dt: tensor<2x8x16xf32>, %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>,
    %C: tensor<2x1x4x16xf32>) -> tensor<2x8x16xf32> {
  %r = ssm.fusion "fused-conv-scan" -> tensor<2x8x16xf32> {
    // expected-error @+1 {{cannot carry ssm.lowering: only ssm kernel ops outside a fusion region and ssm.fusion are lowered}}
    %u = ssm.causal_conv1d %x, %w activation silu {ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused">}
        : (tensor<2x8x16xf32>, tensor<8x4xf32>) -> tensor<2x8x16xf32>
    %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C
        : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
           tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
        -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
    ssm.yield %y : tensor<2x8x16xf32>
  }
  return %r : tensor<2x8x16xf32>
}

// -----

func.func @deterministic_block_scan_grad(%u: tensor<2x32x16xf32>, %delta: tensor<2x32x16xf32>, %A: tensor<32x4xf32>,
    %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>, %dy: tensor<2x32x16xf32>) {
  // expected-error @+1 {{has ssm.lowering deterministic = true, but ssm.selective_scan_grad lowered as variant "fused-scan", strategy "block-scan" on gpu accumulates with atomics; its deterministic lowerings are 'fused-scan/chunked-parallel'}}
  %g:5 = ssm.selective_scan_grad %u, %delta, %A, %B, %C, %dy
      {ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-scan", strategy = "block-scan", deterministic = true>}
      : tensor<2x32x16xf32>, tensor<2x32x16xf32>, tensor<32x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x32x16xf32>
      -> tensor<2x32x16xf32>, tensor<2x32x16xf32>, tensor<32x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}

// -----

func.func @deterministic_forward(%x: tensor<4x64xf32>, %w: tensor<64xf32>) -> tensor<4x64xf32> {
  // expected-error @+1 {{has ssm.lowering deterministic = true, which does not apply to ssm.rms_norm: only gradient ops reduce across threads}}
  %y = ssm.rms_norm %x, %w {ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused", deterministic = true>}
      : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

func.func @deterministic_cpu(%x: tensor<4x64xf32>, %w: tensor<64xf32>, %dy: tensor<4x64xf32>) {
  // expected-error @+1 {{has ssm.lowering deterministic = true, which does not apply to target cpu: its points run one after the other, deterministic without it}}
  %dx, %dw = ssm.rms_norm_grad %x, %w, %dy {ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused", deterministic = true>}
      : tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32> -> tensor<4x64xf32>, tensor<64xf32>
  return
}
