// RUN: ssm-opt %s -split-input-file -verify-diagnostics

// One case per verifier branch of the graph ops (SSMGraphVerifiers.cpp).
// Forward ops check while inferring their result types, so each of their
// errors is followed by InferTypeOpInterface's "failed to infer returned
// types".

func.func @linear_rank(%x: tensor<16xf32>, %w: tensor<32x16xf32>) {
  // expected-error @+2 {{'ssm.linear' op operand `x` has rank 1, expected at least 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.linear %x, %w : (tensor<16xf32>, tensor<32x16xf32>) -> tensor<32xf32>
  return
}

// -----

func.func @linear_k(%x: tensor<2x8x16xf32>, %w: tensor<32x15xf32>) {
  // expected-error @+2 {{operand `weight` dim 1 (K) is 15, expected 16 as in operand `x` dim 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.linear %x, %w
      : (tensor<2x8x16xf32>, tensor<32x15xf32>) -> tensor<2x8x32xf32>
  return
}

// -----

func.func @linear_bias(%x: tensor<2x8x16xf32>, %w: tensor<32x16xf32>,
    %b: tensor<31xf32>) {
  // expected-error @+2 {{operand `bias` dim 0 (N) is 31, expected 32 as in operand `weight` dim 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.linear %x, %w bias(%b)
      : (tensor<2x8x16xf32>, tensor<32x16xf32>, tensor<31xf32>)
      -> tensor<2x8x32xf32>
  return
}

// -----

func.func @linear_grad_dy(%x: tensor<2x8x16xf32>, %w: tensor<32x16xf32>,
    %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{operand `dy` has type 'tensor<2x8x16xf32>', expected 'tensor<2x8x32xf32>' (the type of the forward's `y`)}}
  %dx, %dw = ssm.linear_grad %x, %w, %dy
      : (tensor<2x8x16xf32>, tensor<32x16xf32>, tensor<2x8x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<32x16xf32>)
  return
}

// -----

func.func @linear_grad_dw(%x: tensor<2x8x16xf32>, %w: tensor<32x16xf32>,
    %dy: tensor<2x8x32xf32>) {
  // expected-error @+1 {{result `dweight` has type 'tensor<16x32xf32>', expected 'tensor<32x16xf32>' as operand `weight`}}
  %dx, %dw = ssm.linear_grad %x, %w, %dy
      : (tensor<2x8x16xf32>, tensor<32x16xf32>, tensor<2x8x32xf32>)
      -> (tensor<2x8x16xf32>, tensor<16x32xf32>)
  return
}

// -----

func.func @embedding_table(%t: tensor<2x8xi32>, %w: tensor<64xf32>) {
  // expected-error @+2 {{operand `weight` has rank 1, expected 2 [V,E]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.embedding %t, %w : (tensor<2x8xi32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

func.func @embedding_tokens_type(%t: tensor<2x8xf32>, %w: tensor<64x16xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit signless integer values}}
  %y = ssm.embedding %t, %w : (tensor<2x8xf32>, tensor<64x16xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

func.func @embedding_grad_dy(%t: tensor<2x8xi32>, %w: tensor<64x16xf32>,
    %dy: tensor<2x9x16xf32>) {
  // expected-error @+1 {{operand `dy` has type 'tensor<2x9x16xf32>', expected 'tensor<2x8x16xf32>' (the type of the forward's `y`)}}
  %dw = ssm.embedding_grad %t, %w, %dy
      : (tensor<2x8xi32>, tensor<64x16xf32>, tensor<2x9x16xf32>)
      -> tensor<64x16xf32>
  return
}

// -----

func.func @ce_labels(%l: tensor<2x8x64xf32>, %y: tensor<2x7xi32>) {
  // expected-error @+2 {{operand `labels` dim 1 (R1) is 7, expected 8 as in operand `logits` dim 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %loss = ssm.cross_entropy %l, %y : (tensor<2x8x64xf32>, tensor<2x7xi32>) -> tensor<f32>
  return
}

// -----

func.func @ce_grad_type(%l: tensor<2x8x64xf32>, %y: tensor<2x8xi32>,
    %d: tensor<f32>) {
  // expected-error @+1 {{result `dlogits` has type 'tensor<2x8x64xbf16>', expected 'tensor<2x8x64xf32>' as operand `logits`}}
  %g = ssm.cross_entropy_grad %l, %y, %d
      : (tensor<2x8x64xf32>, tensor<2x8xi32>, tensor<f32>) -> tensor<2x8x64xbf16>
  return
}

// -----

func.func @transpose_perm(%x: tensor<2x8x16xf32>) {
  // expected-error @+2 {{attribute `permutation` [0, 2, 2] must be a permutation of the 3 dimensions of `x`}}
  // expected-error @+1 {{failed to infer returned types}}
  %t = ssm.transpose %x [0, 2, 2] : (tensor<2x8x16xf32>) -> tensor<2x16x16xf32>
  return
}

// -----

func.func @transpose_result(%x: tensor<2x8x16xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2x16x8xf32>' are incompatible with return type(s) of operation 'tensor<2x8x16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %t = ssm.transpose %x [0, 2, 1] : (tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

func.func @reshape_count(%x: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `y` of type 'tensor<2x8x15xf32>' must be a static shape with the 256 elements of type 'f32' of `x`}}
  %r = ssm.reshape %x : (tensor<2x8x16xf32>) -> tensor<2x8x15xf32>
  return
}

// -----

func.func @slice_axis(%x: tensor<2x8x16xf32>) {
  // expected-error @+2 {{attribute `axis` is 3, expected a dimension of `x` in [0, 3)}}
  // expected-error @+1 {{failed to infer returned types}}
  %s = ssm.slice %x axis 3 offset 0 size 1 : (tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

func.func @slice_range(%x: tensor<2x8x16xf32>) {
  // expected-error @+2 {{attributes `offset` = 12 and `size` = 8 must select a non-empty range inside [0, 16) of `x` dim 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %s = ssm.slice %x axis 2 offset 12 size 8 : (tensor<2x8x16xf32>) -> tensor<2x8x8xf32>
  return
}

// -----

func.func @slice_grad_dy(%dy: tensor<2x8x5xf32>) {
  // expected-error @+1 {{operand `dy` has type 'tensor<2x8x5xf32>', expected 'tensor<2x8x4xf32>' (the slice of `dx`)}}
  %dx = ssm.slice_grad %dy axis 2 offset 0 size 4
      : (tensor<2x8x5xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

func.func @slice_grad_range(%dy: tensor<2x8x4xf32>) {
  // expected-error @+1 {{attributes `offset` = 14 and `size` = 4 must select a non-empty range inside [0, 16) of `dx` dim 2}}
  %dx = ssm.slice_grad %dy axis 2 offset 14 size 4
      : (tensor<2x8x4xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

func.func @concat_shapes(%a: tensor<2x8xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+2 {{'ssm.concat' op operand `rhs` has type 'tensor<3x4xf32>', expected the element type and shape of `lhs` ('tensor<2x8xf32>') but for dim 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.concat %a, %b axis 1 : (tensor<2x8xf32>, tensor<3x4xf32>) -> tensor<2x12xf32>
  return
}

// -----

func.func @concat_types(%a: tensor<2x8xf32>, %b: tensor<2x4xbf16>) {
  // expected-error @+2 {{'ssm.concat' op operand `rhs` has type 'tensor<2x4xbf16>', expected the element type and shape of `lhs` ('tensor<2x8xf32>') but for dim 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.concat %a, %b axis 1 : (tensor<2x8xf32>, tensor<2x4xbf16>) -> tensor<2x12xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<2x8xf32>) {
  // expected-error @+2 {{'ssm.concat' op attribute `axis` is -1, expected a dimension of `lhs` in [0, 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.concat %a, %a axis -1 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x16xf32>
  return
}

// -----

func.func @concat_result(%a: tensor<2x8xf32>) {
  // expected-error @+2 {{'ssm.concat' op inferred type(s) 'tensor<4x8xf32>' are incompatible with return type(s) of operation 'tensor<2x16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.concat %a, %a axis 0 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x16xf32>
  return
}

// -----

func.func @flip_axis(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'ssm.flip' op attribute `axis` is 2, expected a dimension of `x` in [0, 2)}}
  %y = ssm.flip %x axis 2 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @flip_types(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %y = ssm.flip %x axis 1 : (tensor<2x8xf32>) -> tensor<2x8xbf16>
  return
}

// -----

func.func @add_types(%a: tensor<4xf32>, %b: tensor<4xbf16>) {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %y = ssm.add %a, %b : (tensor<4xf32>, tensor<4xbf16>) -> tensor<4xf32>
  return
}

// -----

func.func @fill_dynamic() {
  // expected-error @+1 {{result `y` of type 'tensor<?xf32>' must have a static shape}}
  %y = ssm.fill 1.0 : tensor<?xf32>
  return
}
