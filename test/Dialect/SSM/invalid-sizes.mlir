// RUN: ssm-opt %s -split-input-file -verify-diagnostics

// Sizes that 64-bit indices cannot hold (issue 15): every operand's byte
// size, and the op's index space (the product of its named dimensions but
// the groups, which bounds every index product a lowering forms), are
// checked by the op verifiers, naming the operand or the dimensions and the
// size. These shapes used to pass and crash the GPU lowering (a product of
// dimensions wrapped to zero) or a CPU binary (a wrapped allocation).

// An operand of 2^64 elements: its element count wraps to 0.
func.func @rms_norm_operand(%x: tensor<4294967296x4294967296xf32>, %w: tensor<4294967296xf32>) {
  // expected-error @+2 {{operand `x` of type 'tensor<4294967296x4294967296xf32>' is too large: 73786976294838206464 bytes, more than the 2^62 that 64-bit indices into it can address}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.rms_norm %x, %w : (tensor<4294967296x4294967296xf32>, tensor<4294967296xf32>) -> tensor<4294967296x4294967296xf32>
  return
}

// -----

// An operand whose bytes (not elements) pass 2^62: 2^61 f32 elements.
func.func @conv_grad_operand(%x: tensor<1x1x2305843009213693952xf32>, %w: tensor<1x4xf32>, %dy: tensor<1x1x2305843009213693952xf32>) {
  // expected-error @+1 {{operand `x` of type 'tensor<1x1x2305843009213693952xf32>' is too large: 9223372036854775808 bytes}}
  %dx, %dw = ssm.causal_conv1d_grad %x, %w, %dy activation none
      : (tensor<1x1x2305843009213693952xf32>, tensor<1x4xf32>, tensor<1x1x2305843009213693952xf32>)
      -> (tensor<1x1x2305843009213693952xf32>, tensor<1x4xf32>)
  return
}

// -----

// Every operand fits, but B*D*L*N = 2^70 does not: the unfused variant's
// [B,D,L,N] intermediates, the chunked scratch, the thread-per-point
// flattening all index it.
func.func @selective_scan_index_space(%u: tensor<1048576x1048576x1024xf16>,
    %delta: tensor<1048576x1048576x1024xf16>, %A: tensor<1048576x1048576xf32>,
    %B: tensor<1048576x1x1048576x1024xf16>, %C: tensor<1048576x1x1048576x1024xf16>) {
  // expected-error @+2 {{index space B*D*L*N = 1180591620717411303424 is too large: the lowerings index it with 64-bit integers, which allow at most 2^56}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<1048576x1048576x1024xf16>, tensor<1048576x1048576x1024xf16>,
         tensor<1048576x1048576xf32>, tensor<1048576x1x1048576x1024xf16>,
         tensor<1048576x1x1048576x1024xf16>)
      -> (tensor<1048576x1048576x1024xf16>, tensor<1048576x1048576x1048576xf32>)
  return
}

// -----

// The chunked SSD's phases (the crash of issue 15): B*L*H*P*N = 2^64 wraps
// to 0.
func.func @ssd_index_space(%x: tensor<65536x65536x1x65536xbf16>,
    %dt: tensor<65536x65536x1xbf16>, %A: tensor<1xf32>,
    %B: tensor<65536x65536x1x65536xbf16>, %C: tensor<65536x65536x1x65536xbf16>) {
  // expected-error @+2 {{index space B*L*H*P*N = 18446744073709551616 is too large}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<65536x65536x1x65536xbf16>, tensor<65536x65536x1xbf16>,
         tensor<1xf32>, tensor<65536x65536x1x65536xbf16>,
         tensor<65536x65536x1x65536xbf16>)
      -> (tensor<65536x65536x1x65536xbf16>, tensor<65536x1x65536x65536xf32>)
  return
}

// -----

// A chunk length whose products with the op's sizes wrap.
func.func @chunk_len_too_large(%u: tensor<1x1024x68719476736xf32>,
    %delta: tensor<1x1024x68719476736xf32>, %A: tensor<1024x1xf32>,
    %B: tensor<1x1x1x68719476736xf32>, %C: tensor<1x1x1x68719476736xf32>) {
  // expected-error @+1 {{has ssm.lowering chunk_len = 1048576, too large for this op: chunk_len times its largest operand's 70368744177664 elements exceeds the 2^56 its 64-bit indices allow}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      {ssm.lowering = #ssm.lowering<target = "cpu", variant = "fused-scan", strategy = "chunked-parallel", chunk_len = 1048576>}
      : (tensor<1x1024x68719476736xf32>, tensor<1x1024x68719476736xf32>,
         tensor<1024x1xf32>, tensor<1x1x1x68719476736xf32>,
         tensor<1x1x1x68719476736xf32>)
      -> (tensor<1x1024x68719476736xf32>, tensor<1x1024x1xf32>)
  return
}
