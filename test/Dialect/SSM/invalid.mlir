// RUN: ssm-opt %s -split-input-file -verify-diagnostics

// One case per verifier branch of every ssm op. The forward ops check their
// operands while inferring their result types, so each forward-op error is
// followed by the generic "failed to infer returned types" of
// InferTypeOpInterface; the gradient ops check in verify() and report one
// error. Shapes as in ops.mlir: selective scan B=2 D=8 L=16 N=4 G=1; SSD B=1
// L=64 H=4 P=16 N=8 G=1; conv B=2 D=8 L=16 W=4; rms_norm 4x64.

//===----------------------------------------------------------------------===//
// ssm.selective_scan: ranks
//===----------------------------------------------------------------------===//

// u must be [B,D,L].
func.func @ss_rank_u(%u: tensor<8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+2 {{operand `u` has rank 2, expected 3 [B,D,L]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// delta must be [B,D,L].
func.func @ss_rank_delta(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16x1xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+2 {{operand `delta` has rank 4, expected 3 [B,D,L]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16x1xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// A must be [D,N].
func.func @ss_rank_A(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+2 {{operand `A` has rank 1, expected 2 [D,N]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// B must be [B,G,N,L].
func.func @ss_rank_B(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+2 {{operand `B` has rank 3, expected 4 [B,G,N,L]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// C must be [B,G,N,L].
func.func @ss_rank_C(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x4x16xf32>) {
  // expected-error @+2 {{operand `C` has rank 3, expected 4 [B,G,N,L]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// D must be [D].
func.func @ss_rank_D(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %D: tensor<8x1xf32>) {
  // expected-error @+2 {{operand `D` has rank 2, expected 1 [D]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D)
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8x1xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// z must be [B,D,L].
func.func @ss_rank_z(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %z: tensor<8x16xf32>) {
  // expected-error @+2 {{operand `z` has rank 2, expected 3 [B,D,L]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C z(%z)
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// delta_bias must be [D].
func.func @ss_rank_delta_bias(%u: tensor<2x8x16xf32>,
    %delta: tensor<2x8x16xf32>, %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>,
    %C: tensor<2x1x4x16xf32>, %db: tensor<1x8xf32>) {
  // expected-error @+2 {{operand `delta_bias` has rank 2, expected 1 [D]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C delta_bias(%db)
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<1x8xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// ssm.selective_scan: dimensions
//===----------------------------------------------------------------------===//

// delta's batch differs from u's.
func.func @ss_dim_delta_B(%u: tensor<2x8x16xf32>, %delta: tensor<3x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+2 {{operand `delta` dim 0 (B) is 3, expected 2 as in operand `u` dim 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<3x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// delta's channels differ from u's.
func.func @ss_dim_delta_D(%u: tensor<2x8x16xf32>, %delta: tensor<2x4x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+2 {{operand `delta` dim 1 (D) is 4, expected 8 as in operand `u` dim 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x4x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// delta's length differs from u's.
func.func @ss_dim_delta_L(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x15xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+2 {{operand `delta` dim 2 (L) is 15, expected 16 as in operand `u` dim 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x15xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// A's channels differ from u's.
func.func @ss_dim_A_D(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<6x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+2 {{operand `A` dim 0 (D) is 6, expected 8 as in operand `u` dim 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<6x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// B's batch differs from u's.
func.func @ss_dim_B_B(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<1x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+2 {{operand `B` dim 0 (B) is 1, expected 2 as in operand `u` dim 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<1x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// B's states differ from A's.
func.func @ss_dim_B_N(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x5x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+2 {{operand `B` dim 2 (N) is 5, expected 4 as in operand `A` dim 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x5x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// B's length differs from u's.
func.func @ss_dim_B_L(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x8xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+2 {{operand `B` dim 3 (L) is 8, expected 16 as in operand `u` dim 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x8xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// C's groups differ from B's.
func.func @ss_dim_C_G(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x2x4x16xf32>) {
  // expected-error @+2 {{operand `C` dim 1 (G) is 2, expected 1 as in operand `B` dim 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x2x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// C's states differ from A's.
func.func @ss_dim_C_N(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x8x16xf32>) {
  // expected-error @+2 {{operand `C` dim 2 (N) is 8, expected 4 as in operand `A` dim 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x8x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// D's size differs from the channels.
func.func @ss_dim_D(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %D: tensor<4xf32>) {
  // expected-error @+2 {{operand `D` dim 0 (D) is 4, expected 8 as in operand `u` dim 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D)
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<4xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// z's length differs from u's.
func.func @ss_dim_z(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %z: tensor<2x8x32xf32>) {
  // expected-error @+2 {{operand `z` dim 2 (L) is 32, expected 16 as in operand `u` dim 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C z(%z)
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x32xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// delta_bias's size differs from the channels.
func.func @ss_dim_delta_bias(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %db: tensor<16xf32>) {
  // expected-error @+2 {{operand `delta_bias` dim 0 (D) is 16, expected 8 as in operand `u` dim 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C delta_bias(%db)
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// G = 3 groups do not divide D = 8 channels.
func.func @ss_groups(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x3x4x16xf32>, %C: tensor<2x3x4x16xf32>) {
  // expected-error @+2 {{groups G = 3 must divide D = 8}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x3x4x16xf32>, tensor<2x3x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// A zero-sized dimension.
func.func @ss_zero_dim(%u: tensor<2x0x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+2 {{operand `u` dim 1 (D) must be positive, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x0x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// Zero states.
func.func @ss_zero_dim_N(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x0xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+2 {{operand `A` dim 1 (N) must be positive, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x0xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// A dynamic dimension.
func.func @ss_dynamic_dim(%u: tensor<2x8x?xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+2 {{operand `u` dim 2 (L) must be static}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x?xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// A dynamic dimension in B.
func.func @ss_dynamic_dim_B(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x?x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+2 {{operand `B` dim 1 (G) must be static}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x?x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// ssm.selective_scan: element types
//===----------------------------------------------------------------------===//

// delta must have u's element type.
func.func @ss_elt_delta(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xbf16>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+2 {{operand `delta` has element type 'bf16', expected 'f32' as operand `u`}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xbf16>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// z must have u's element type.
func.func @ss_elt_z(%u: tensor<2x8x16xbf16>, %delta: tensor<2x8x16xbf16>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %z: tensor<2x8x16xf16>) {
  // expected-error @+2 {{operand `z` has element type 'f16', expected 'bf16' as operand `u`}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C z(%z)
      : (tensor<2x8x16xbf16>, tensor<2x8x16xbf16>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf16>)
      -> (tensor<2x8x16xbf16>, tensor<2x8x4xf32>)
  return
}

// -----

// C must have B's element type.
func.func @ss_elt_C(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xbf16>, %C: tensor<2x1x4x16xf16>) {
  // expected-error @+2 {{operand `C` has element type 'f16', expected 'bf16' as operand `B`}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xbf16>, tensor<2x1x4x16xf16>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// Integer activations are rejected by the operand constraint.
func.func @ss_ods_i32(%u: tensor<2x8x16xi32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float or bfloat16 type or 16-bit float values, but got 'tensor<2x8x16xi32>'}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xi32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// A must be f32.
func.func @ss_ods_A_bf16(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xbf16>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+1 {{operand #2 must be ranked tensor of 32-bit float values, but got 'tensor<8x4xbf16>'}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xbf16>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// D must be f32.
func.func @ss_ods_D_bf16(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %D: tensor<8xbf16>) {
  // expected-error @+1 {{operand #5 must be ranked tensor of 32-bit float values, but got 'tensor<8xbf16>'}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D)
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8xbf16>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// Unranked tensors are rejected by the operand constraint.
func.func @ss_ods_unranked(%u: tensor<*xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float or bfloat16 type or 16-bit float values, but got 'tensor<*xf32>'}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<*xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

// last_state must be f32.
func.func @ss_ods_last_state_bf16(%u: tensor<2x8x16xf32>,
    %delta: tensor<2x8x16xf32>, %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>,
    %C: tensor<2x1x4x16xf32>) {
  // expected-error @+1 {{result #1 must be ranked tensor of 32-bit float values, but got 'tensor<2x8x4xbf16>'}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xbf16>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// ssm.selective_scan: inferred result types
//===----------------------------------------------------------------------===//

// last_state must be [B,D,N].
func.func @ss_infer_state(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+2 {{'ssm.selective_scan' op inferred type(s) 'tensor<2x8x16xf32>', 'tensor<2x8x4xf32>' are incompatible with return type(s) of operation 'tensor<2x8x16xf32>', 'tensor<2x8x5xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x5xf32>)
  return
}

// -----

// y has the element type of u.
func.func @ss_infer_y_elt(%u: tensor<2x8x16xbf16>, %delta: tensor<2x8x16xbf16>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-error @+2 {{'ssm.selective_scan' op inferred type(s) 'tensor<2x8x16xbf16>', 'tensor<2x8x4xf32>' are incompatible with return type(s) of operation 'tensor<2x8x16xf32>', 'tensor<2x8x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xbf16>, tensor<2x8x16xbf16>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// ssm.selective_scan_grad
//===----------------------------------------------------------------------===//

// The forward's operand rules apply to the gradient.
func.func @ssg_operand_rule(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x15xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{operand `delta` dim 2 (L) is 15, expected 16 as in operand `u` dim 2}}
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x8x16xf32>, tensor<2x8x15xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x15xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}

// -----

// The forward's group rule applies to the gradient.
func.func @ssg_groups(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x3x4x16xf32>, %C: tensor<2x3x4x16xf32>,
    %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{groups G = 3 must divide D = 8}}
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x3x4x16xf32>, tensor<2x3x4x16xf32>, tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x3x4x16xf32>, tensor<2x3x4x16xf32>
  return
}

// -----

// The forward's element type rules apply to the gradient.
func.func @ssg_elt_C(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xbf16>, %C: tensor<2x1x4x16xf32>,
    %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{operand `C` has element type 'f32', expected 'bf16' as operand `B`}}
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xbf16>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xbf16>, tensor<2x1x4x16xf32>
  return
}

// -----

// dy must be [B,D,L].
func.func @ssg_rank_dy(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %dy: tensor<8x16xf32>) {
  // expected-error @+1 {{operand `dy` has rank 2, expected 3 [B,D,L]}}
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}

// -----

// dy's length differs from u's.
func.func @ssg_dim_dy(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %dy: tensor<2x8x8xf32>) {
  // expected-error @+1 {{operand `dy` dim 2 (L) is 8, expected 16 as in operand `u` dim 2}}
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x8xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}

// -----

// dy must be static.
func.func @ssg_dynamic_dy(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %dy: tensor<?x8x16xf32>) {
  // expected-error @+1 {{operand `dy` dim 0 (B) must be static}}
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<?x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}

// -----

// dy must have u's element type.
func.func @ssg_elt_dy(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %dy: tensor<2x8x16xbf16>) {
  // expected-error @+1 {{operand `dy` has element type 'bf16', expected 'f32' as operand `u`}}
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xbf16>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}

// -----

// d_last_state must be [B,D,N].
func.func @ssg_rank_d_last_state(%u: tensor<2x8x16xf32>,
    %delta: tensor<2x8x16xf32>, %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>,
    %C: tensor<2x1x4x16xf32>, %dy: tensor<2x8x16xf32>, %ds: tensor<8x4xf32>) {
  // expected-error @+1 {{operand `d_last_state` has rank 2, expected 3 [B,D,N]}}
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy d_last_state(%ds)
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>,
        tensor<8x4xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}

// -----

// d_last_state's states differ from A's.
func.func @ssg_dim_d_last_state(%u: tensor<2x8x16xf32>,
    %delta: tensor<2x8x16xf32>, %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>,
    %C: tensor<2x1x4x16xf32>, %dy: tensor<2x8x16xf32>, %ds: tensor<2x8x5xf32>) {
  // expected-error @+1 {{operand `d_last_state` dim 2 (N) is 5, expected 4 as in operand `A` dim 1}}
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy d_last_state(%ds)
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>,
        tensor<2x8x5xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}

// -----

// d_last_state must be f32.
func.func @ssg_ods_d_last_state(%u: tensor<2x8x16xf32>,
    %delta: tensor<2x8x16xf32>, %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>,
    %C: tensor<2x1x4x16xf32>, %dy: tensor<2x8x16xf32>,
    %ds: tensor<2x8x4xbf16>) {
  // expected-error @+1 {{operand #6 must be ranked tensor of 32-bit float values, but got 'tensor<2x8x4xbf16>'}}
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy d_last_state(%ds)
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>,
        tensor<2x8x4xbf16>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}

// -----

// du must have the type of u.
func.func @ssg_type_du(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `du` has type 'tensor<2x8x16xbf16>', expected 'tensor<2x8x16xf32>' as operand `u`}}
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>
      -> tensor<2x8x16xbf16>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}

// -----

// ddelta must have the type of delta.
func.func @ssg_type_ddelta(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `ddelta` has type 'tensor<2x8x8xf32>', expected 'tensor<2x8x16xf32>' as operand `delta`}}
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x8xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}

// -----

// dA must have the type of A.
func.func @ssg_type_dA(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `dA` has type 'tensor<8x5xf32>', expected 'tensor<8x4xf32>' as operand `A`}}
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x5xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}

// -----

// dB must have the type of B.
func.func @ssg_type_dB(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `dB` has type 'tensor<2x1x4x16xbf16>', expected 'tensor<2x1x4x16xf32>' as operand `B`}}
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xbf16>, tensor<2x1x4x16xf32>
  return
}

// -----

// dC must have the type of C.
func.func @ssg_type_dC(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `dC` has type 'tensor<2x1x4x8xf32>', expected 'tensor<2x1x4x16xf32>' as operand `C`}}
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x8xf32>
  return
}

// -----

// dD must have the type of D.
func.func @ssg_type_dD(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %D: tensor<8xf32>, %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `dD` has type 'tensor<4xf32>', expected 'tensor<8xf32>' as operand `D`}}
  %du, %ddelta, %dA, %dB, %dC, %dD = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D), %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8xf32>,
        tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32> dD tensor<4xf32>
  return
}

// -----

// dz must have the type of z.
func.func @ssg_type_dz(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %z: tensor<2x8x16xf32>, %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `dz` has type 'tensor<2x8x16xbf16>', expected 'tensor<2x8x16xf32>' as operand `z`}}
  %du, %ddelta, %dA, %dB, %dC, %dz = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C z(%z), %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>,
        tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32> dz tensor<2x8x16xbf16>
  return
}

// -----

// ddelta_bias must have the type of delta_bias.
func.func @ssg_type_ddelta_bias(%u: tensor<2x8x16xf32>,
    %delta: tensor<2x8x16xf32>, %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>,
    %C: tensor<2x1x4x16xf32>, %db: tensor<8xf32>, %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `ddelta_bias` has type 'tensor<1x8xf32>', expected 'tensor<8xf32>' as operand `delta_bias`}}
  %du, %ddelta, %dA, %dB, %dC, %ddb = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C delta_bias(%db), %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8xf32>,
        tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32> ddelta_bias tensor<1x8xf32>
  return
}

// -----

// dD is returned although the forward had no D.
func.func @ssg_dD_without_D(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `dD` must be present exactly when operand `D` is}}
  %r0, %r1, %r2, %r3, %r4, %r5 = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32> dD tensor<8xf32>
  return
}

// -----

// D is given but dD is not returned.
func.func @ssg_D_without_dD(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %D: tensor<8xf32>, %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `dD` must be present exactly when operand `D` is}}
  %r0, %r1, %r2, %r3, %r4 = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D), %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8xf32>,
        tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}

// -----

// dz is returned although the forward had no z.
func.func @ssg_dz_without_z(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `dz` must be present exactly when operand `z` is}}
  %r0, %r1, %r2, %r3, %r4, %r5 = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32> dz tensor<2x8x16xf32>
  return
}

// -----

// z is given but dz is not returned.
func.func @ssg_z_without_dz(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %z: tensor<2x8x16xf32>, %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `dz` must be present exactly when operand `z` is}}
  %r0, %r1, %r2, %r3, %r4 = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C z(%z), %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>,
        tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}

// -----

// ddelta_bias is returned although the forward had no delta_bias.
func.func @ssg_ddelta_bias_without_delta_bias(%u: tensor<2x8x16xf32>,
    %delta: tensor<2x8x16xf32>, %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>,
    %C: tensor<2x1x4x16xf32>, %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `ddelta_bias` must be present exactly when operand `delta_bias` is}}
  %r0, %r1, %r2, %r3, %r4, %r5 = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32> ddelta_bias tensor<8xf32>
  return
}

// -----

// delta_bias is given but ddelta_bias is not returned.
func.func @ssg_delta_bias_without_ddelta_bias(%u: tensor<2x8x16xf32>,
    %delta: tensor<2x8x16xf32>, %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>,
    %C: tensor<2x1x4x16xf32>, %db: tensor<8xf32>, %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `ddelta_bias` must be present exactly when operand `delta_bias` is}}
  %r0, %r1, %r2, %r3, %r4 = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C delta_bias(%db), %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8xf32>,
        tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// ssm.ssd_scan: ranks
//===----------------------------------------------------------------------===//

// x must be [B,L,H,P].
func.func @sd_rank_x(%x: tensor<64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>) {
  // expected-error @+2 {{operand `x` has rank 3, expected 4 [B,L,H,P]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// dt must be [B,L,H].
func.func @sd_rank_dt(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>) {
  // expected-error @+2 {{operand `dt` has rank 2, expected 3 [B,L,H]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x16xf32>, tensor<1x64xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// A must be [H].
func.func @sd_rank_A(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4x1xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>) {
  // expected-error @+2 {{operand `A` has rank 2, expected 1 [H]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4x1xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// B must be [B,L,G,N].
func.func @sd_rank_B(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x8xf32>, %C: tensor<1x64x1x8xf32>) {
  // expected-error @+2 {{operand `B` has rank 3, expected 4 [B,L,G,N]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x8xf32>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// C must be [B,L,G,N].
func.func @sd_rank_C(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8x1xf32>) {
  // expected-error @+2 {{operand `C` has rank 5, expected 4 [B,L,G,N]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8x1xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// D must be [H].
func.func @sd_rank_D(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %D: tensor<1x4xf32>) {
  // expected-error @+2 {{operand `D` has rank 2, expected 1 [H]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C D(%D)
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x4xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// z must be [B,L,H,P].
func.func @sd_rank_z(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %z: tensor<1x64x64xf32>) {
  // expected-error @+2 {{operand `z` has rank 3, expected 4 [B,L,H,P]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C z(%z)
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x64xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// dt_bias must be [H].
func.func @sd_rank_dt_bias(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %dtb: tensor<4x1xf32>) {
  // expected-error @+2 {{operand `dt_bias` has rank 2, expected 1 [H]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C dt_bias(%dtb)
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<4x1xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// initial_state must be [B,H,P,N].
func.func @sd_rank_initial_state(%x: tensor<1x64x4x16xf32>,
    %dt: tensor<1x64x4xf32>, %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>,
    %C: tensor<1x64x1x8xf32>, %s0: tensor<4x16x8xf32>) {
  // expected-error @+2 {{operand `initial_state` has rank 3, expected 4 [B,H,P,N]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C initial_state(%s0)
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<4x16x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// ssm.ssd_scan: dimensions
//===----------------------------------------------------------------------===//

// dt's batch differs from x's.
func.func @sd_dim_dt_B(%x: tensor<1x64x4x16xf32>, %dt: tensor<2x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>) {
  // expected-error @+2 {{operand `dt` dim 0 (B) is 2, expected 1 as in operand `x` dim 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x16xf32>, tensor<2x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// dt's length differs from x's.
func.func @sd_dim_dt_L(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x32x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>) {
  // expected-error @+2 {{operand `dt` dim 1 (L) is 32, expected 64 as in operand `x` dim 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x16xf32>, tensor<1x32x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// dt's heads differ from x's.
func.func @sd_dim_dt_H(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x8xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>) {
  // expected-error @+2 {{operand `dt` dim 2 (H) is 8, expected 4 as in operand `x` dim 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x16xf32>, tensor<1x64x8xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// A's heads differ from x's.
func.func @sd_dim_A_H(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<2xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>) {
  // expected-error @+2 {{operand `A` dim 0 (H) is 2, expected 4 as in operand `x` dim 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<2xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// B's length differs from x's.
func.func @sd_dim_B_L(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x63x1x8xf32>, %C: tensor<1x64x1x8xf32>) {
  // expected-error @+2 {{operand `B` dim 1 (L) is 63, expected 64 as in operand `x` dim 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x63x1x8xf32>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// C's groups differ from B's.
func.func @sd_dim_C_G(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x2x8xf32>) {
  // expected-error @+2 {{operand `C` dim 2 (G) is 2, expected 1 as in operand `B` dim 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x2x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// C's states differ from B's.
func.func @sd_dim_C_N(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x16xf32>) {
  // expected-error @+2 {{operand `C` dim 3 (N) is 16, expected 8 as in operand `B` dim 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x16xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// D's size differs from the heads.
func.func @sd_dim_D(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %D: tensor<8xf32>) {
  // expected-error @+2 {{operand `D` dim 0 (H) is 8, expected 4 as in operand `x` dim 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C D(%D)
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// z's head dimension differs from x's.
func.func @sd_dim_z_P(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %z: tensor<1x64x4x8xf32>) {
  // expected-error @+2 {{operand `z` dim 3 (P) is 8, expected 16 as in operand `x` dim 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C z(%z)
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// dt_bias's size differs from the heads.
func.func @sd_dim_dt_bias(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %dtb: tensor<1xf32>) {
  // expected-error @+2 {{operand `dt_bias` dim 0 (H) is 1, expected 4 as in operand `x` dim 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C dt_bias(%dtb)
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// initial_state's head dimension differs from x's.
func.func @sd_dim_initial_state_P(%x: tensor<1x64x4x16xf32>,
    %dt: tensor<1x64x4xf32>, %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>,
    %C: tensor<1x64x1x8xf32>, %s0: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{operand `initial_state` dim 2 (P) is 8, expected 16 as in operand `x` dim 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C initial_state(%s0)
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x4x8x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// initial_state's states differ from B's.
func.func @sd_dim_initial_state_N(%x: tensor<1x64x4x16xf32>,
    %dt: tensor<1x64x4xf32>, %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>,
    %C: tensor<1x64x1x8xf32>, %s0: tensor<1x4x16x16xf32>) {
  // expected-error @+2 {{operand `initial_state` dim 3 (N) is 16, expected 8 as in operand `B` dim 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C initial_state(%s0)
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x4x16x16xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// G = 3 groups do not divide H = 4 heads.
func.func @sd_groups(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x3x8xf32>, %C: tensor<1x64x3x8xf32>) {
  // expected-error @+2 {{groups G = 3 must divide H = 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x3x8xf32>, tensor<1x64x3x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// A zero-sized head dimension.
func.func @sd_zero_dim(%x: tensor<1x64x4x0xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>) {
  // expected-error @+2 {{operand `x` dim 3 (P) must be positive, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x0xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// A dynamic length.
func.func @sd_dynamic_dim(%x: tensor<1x?x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>) {
  // expected-error @+2 {{operand `x` dim 1 (L) must be static}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x?x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// A dynamic dimension in an optional operand.
func.func @sd_dynamic_initial_state(%x: tensor<1x64x4x16xf32>,
    %dt: tensor<1x64x4xf32>, %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>,
    %C: tensor<1x64x1x8xf32>, %s0: tensor<?x4x16x8xf32>) {
  // expected-error @+2 {{operand `initial_state` dim 0 (B) must be static}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C initial_state(%s0)
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<?x4x16x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// ssm.ssd_scan: element types
//===----------------------------------------------------------------------===//

// dt must have x's element type.
func.func @sd_elt_dt(%x: tensor<1x64x4x16xbf16>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>) {
  // expected-error @+2 {{operand `dt` has element type 'f32', expected 'bf16' as operand `x`}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x16xbf16>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// z must have x's element type.
func.func @sd_elt_z(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %z: tensor<1x64x4x16xbf16>) {
  // expected-error @+2 {{operand `z` has element type 'bf16', expected 'f32' as operand `x`}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C z(%z)
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xbf16>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// C must have B's element type.
func.func @sd_elt_C(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf16>, %C: tensor<1x64x1x8xf32>) {
  // expected-error @+2 {{operand `C` has element type 'f32', expected 'f16' as operand `B`}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf16>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// A must be f32.
func.func @sd_ods_A_bf16(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xbf16>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>) {
  // expected-error @+1 {{operand #2 must be ranked tensor of 32-bit float values, but got 'tensor<4xbf16>'}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xbf16>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// f64 activations are rejected by the operand constraint.
func.func @sd_ods_x_f64(%x: tensor<1x64x4x16xf64>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float or bfloat16 type or 16-bit float values, but got 'tensor<1x64x4x16xf64>'}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x16xf64>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

// initial_state must be f32.
func.func @sd_ods_initial_state_bf16(%x: tensor<1x64x4x16xf32>,
    %dt: tensor<1x64x4xf32>, %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>,
    %C: tensor<1x64x1x8xf32>, %s0: tensor<1x4x16x8xbf16>) {
  // expected-error @+1 {{operand #5 must be ranked tensor of 32-bit float values, but got 'tensor<1x4x16x8xbf16>'}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C initial_state(%s0)
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x4x16x8xbf16>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// ssm.ssd_scan: inferred result types
//===----------------------------------------------------------------------===//

// final_state must be [B,H,P,N].
func.func @sd_infer_state(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>) {
  // expected-error @+2 {{'ssm.ssd_scan' op inferred type(s) 'tensor<1x64x4x16xf32>', 'tensor<1x4x16x8xf32>' are incompatible with return type(s) of operation 'tensor<1x64x4x16xf32>', 'tensor<1x4x8x16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x8x16xf32>)
  return
}

// -----

// y has the element type of x.
func.func @sd_infer_y_elt(%x: tensor<1x64x4x16xf16>, %dt: tensor<1x64x4xf16>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>) {
  // expected-error @+2 {{'ssm.ssd_scan' op inferred type(s) 'tensor<1x64x4x16xf16>', 'tensor<1x4x16x8xf32>' are incompatible with return type(s) of operation 'tensor<1x64x4x16xf32>', 'tensor<1x4x16x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x16xf16>, tensor<1x64x4xf16>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// ssm.ssd_scan_grad
//===----------------------------------------------------------------------===//

// The forward's operand rules apply to the gradient.
func.func @sdg_operand_rule(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x8xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{operand `dt` dim 2 (H) is 8, expected 4 as in operand `x` dim 2}}
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x8xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x8xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
  return
}

// -----

// The forward's group rule applies to the gradient.
func.func @sdg_groups(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x3x8xf32>, %C: tensor<1x64x3x8xf32>,
    %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{groups G = 3 must divide H = 4}}
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x3x8xf32>, tensor<1x64x3x8xf32>, tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x3x8xf32>, tensor<1x64x3x8xf32>
  return
}

// -----

// The forward's element type rules apply to the gradient.
func.func @sdg_elt_dt(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xbf16>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{operand `dt` has element type 'bf16', expected 'f32' as operand `x`}}
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xbf16>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xbf16>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
  return
}

// -----

// dy must be [B,L,H,P].
func.func @sdg_rank_dy(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %dy: tensor<1x64x4xf32>) {
  // expected-error @+1 {{operand `dy` has rank 3, expected 4 [B,L,H,P]}}
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
  return
}

// -----

// dy's head dimension differs from x's.
func.func @sdg_dim_dy(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %dy: tensor<1x64x4x8xf32>) {
  // expected-error @+1 {{operand `dy` dim 3 (P) is 8, expected 16 as in operand `x` dim 3}}
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x8xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
  return
}

// -----

// dy must have x's element type.
func.func @sdg_elt_dy(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %dy: tensor<1x64x4x16xf16>) {
  // expected-error @+1 {{operand `dy` has element type 'f16', expected 'f32' as operand `x`}}
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf16>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
  return
}

// -----

// d_final_state must be [B,H,P,N].
func.func @sdg_rank_d_final_state(%x: tensor<1x64x4x16xf32>,
    %dt: tensor<1x64x4xf32>, %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>,
    %C: tensor<1x64x1x8xf32>, %dy: tensor<1x64x4x16xf32>,
    %ds: tensor<4x16x8xf32>) {
  // expected-error @+1 {{operand `d_final_state` has rank 3, expected 4 [B,H,P,N]}}
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C, %dy d_final_state(%ds)
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>,
        tensor<4x16x8xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
  return
}

// -----

// d_final_state's states differ from B's.
func.func @sdg_dim_d_final_state(%x: tensor<1x64x4x16xf32>,
    %dt: tensor<1x64x4xf32>, %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>,
    %C: tensor<1x64x1x8xf32>, %dy: tensor<1x64x4x16xf32>,
    %ds: tensor<1x4x16x4xf32>) {
  // expected-error @+1 {{operand `d_final_state` dim 3 (N) is 4, expected 8 as in operand `B` dim 3}}
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C, %dy d_final_state(%ds)
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>,
        tensor<1x4x16x4xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
  return
}

// -----

// d_final_state must be f32.
func.func @sdg_ods_d_final_state(%x: tensor<1x64x4x16xf32>,
    %dt: tensor<1x64x4xf32>, %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>,
    %C: tensor<1x64x1x8xf32>, %dy: tensor<1x64x4x16xf32>,
    %ds: tensor<1x4x16x8xf16>) {
  // expected-error @+1 {{operand #6 must be ranked tensor of 32-bit float values, but got 'tensor<1x4x16x8xf16>'}}
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C, %dy d_final_state(%ds)
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>,
        tensor<1x4x16x8xf16>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
  return
}

// -----

// dx must have the type of x.
func.func @sdg_type_dx(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{result `dx` has type 'tensor<1x64x4x16xbf16>', expected 'tensor<1x64x4x16xf32>' as operand `x`}}
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xbf16>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
  return
}

// -----

// ddt must have the type of dt.
func.func @sdg_type_ddt(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{result `ddt` has type 'tensor<1x64x4x1xf32>', expected 'tensor<1x64x4xf32>' as operand `dt`}}
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4x1xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
  return
}

// -----

// dA must have the type of A.
func.func @sdg_type_dA(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{result `dA` has type 'tensor<8xf32>', expected 'tensor<4xf32>' as operand `A`}}
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<8xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
  return
}

// -----

// dB must have the type of B.
func.func @sdg_type_dB(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{result `dB` has type 'tensor<1x64x1x8xf16>', expected 'tensor<1x64x1x8xf32>' as operand `B`}}
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf16>, tensor<1x64x1x8xf32>
  return
}

// -----

// dC must have the type of C.
func.func @sdg_type_dC(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{result `dC` has type 'tensor<1x64x2x8xf32>', expected 'tensor<1x64x1x8xf32>' as operand `C`}}
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x2x8xf32>
  return
}

// -----

// dD must have the type of D.
func.func @sdg_type_dD(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %D: tensor<4xf32>, %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{result `dD` has type 'tensor<2xf32>', expected 'tensor<4xf32>' as operand `D`}}
  %dx, %ddt, %dA, %dB, %dC, %dD = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C D(%D), %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<4xf32>,
        tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32> dD tensor<2xf32>
  return
}

// -----

// dz must have the type of z.
func.func @sdg_type_dz(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %z: tensor<1x64x4x16xf32>, %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{result `dz` has type 'tensor<1x64x4x16xf16>', expected 'tensor<1x64x4x16xf32>' as operand `z`}}
  %dx, %ddt, %dA, %dB, %dC, %dz = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C z(%z), %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>,
        tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32> dz tensor<1x64x4x16xf16>
  return
}

// -----

// ddt_bias must have the type of dt_bias.
func.func @sdg_type_ddt_bias(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %dtb: tensor<4xf32>, %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{result `ddt_bias` has type 'tensor<1xf32>', expected 'tensor<4xf32>' as operand `dt_bias`}}
  %dx, %ddt, %dA, %dB, %dC, %ddtb = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C dt_bias(%dtb), %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<4xf32>,
        tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32> ddt_bias tensor<1xf32>
  return
}

// -----

// d_initial_state must have the type of initial_state.
func.func @sdg_type_d_initial_state(%x: tensor<1x64x4x16xf32>,
    %dt: tensor<1x64x4xf32>, %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>,
    %C: tensor<1x64x1x8xf32>, %s0: tensor<1x4x16x8xf32>,
    %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{result `d_initial_state` has type 'tensor<1x4x8x16xf32>', expected 'tensor<1x4x16x8xf32>' as operand `initial_state`}}
  %dx, %ddt, %dA, %dB, %dC, %ds0 = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C initial_state(%s0), %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x4x16x8xf32>,
        tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
         d_initial_state tensor<1x4x8x16xf32>
  return
}

// -----

// dD is returned although the forward had no D.
func.func @sdg_dD_without_D(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{result `dD` must be present exactly when operand `D` is}}
  %r0, %r1, %r2, %r3, %r4, %r5 = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32> dD tensor<4xf32>
  return
}

// -----

// D is given but dD is not returned.
func.func @sdg_D_without_dD(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %D: tensor<4xf32>, %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{result `dD` must be present exactly when operand `D` is}}
  %r0, %r1, %r2, %r3, %r4 = ssm.ssd_scan_grad %x, %dt, %A, %B, %C D(%D), %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<4xf32>,
        tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
  return
}

// -----

// dz is returned although the forward had no z.
func.func @sdg_dz_without_z(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{result `dz` must be present exactly when operand `z` is}}
  %r0, %r1, %r2, %r3, %r4, %r5 = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32> dz tensor<1x64x4x16xf32>
  return
}

// -----

// z is given but dz is not returned.
func.func @sdg_z_without_dz(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %z: tensor<1x64x4x16xf32>, %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{result `dz` must be present exactly when operand `z` is}}
  %r0, %r1, %r2, %r3, %r4 = ssm.ssd_scan_grad %x, %dt, %A, %B, %C z(%z), %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>,
        tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
  return
}

// -----

// ddt_bias is returned although the forward had no dt_bias.
func.func @sdg_ddt_bias_without_dt_bias(%x: tensor<1x64x4x16xf32>,
    %dt: tensor<1x64x4xf32>, %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>,
    %C: tensor<1x64x1x8xf32>, %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{result `ddt_bias` must be present exactly when operand `dt_bias` is}}
  %r0, %r1, %r2, %r3, %r4, %r5 = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32> ddt_bias tensor<4xf32>
  return
}

// -----

// dt_bias is given but ddt_bias is not returned.
func.func @sdg_dt_bias_without_ddt_bias(%x: tensor<1x64x4x16xf32>,
    %dt: tensor<1x64x4xf32>, %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>,
    %C: tensor<1x64x1x8xf32>, %dtb: tensor<4xf32>, %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{result `ddt_bias` must be present exactly when operand `dt_bias` is}}
  %r0, %r1, %r2, %r3, %r4 = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C dt_bias(%dtb), %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<4xf32>,
        tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
  return
}

// -----

// d_initial_state is returned although the forward had no initial_state.
func.func @sdg_d_initial_state_without_initial_state(%x: tensor<1x64x4x16xf32>,
    %dt: tensor<1x64x4xf32>, %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>,
    %C: tensor<1x64x1x8xf32>, %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{result `d_initial_state` must be present exactly when operand `initial_state` is}}
  %r0, %r1, %r2, %r3, %r4, %r5 = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
         d_initial_state tensor<1x4x16x8xf32>
  return
}

// -----

// initial_state is given but d_initial_state is not returned.
func.func @sdg_initial_state_without_d_initial_state(%x: tensor<1x64x4x16xf32>,
    %dt: tensor<1x64x4xf32>, %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>,
    %C: tensor<1x64x1x8xf32>, %s0: tensor<1x4x16x8xf32>,
    %dy: tensor<1x64x4x16xf32>) {
  // expected-error @+1 {{result `d_initial_state` must be present exactly when operand `initial_state` is}}
  %r0, %r1, %r2, %r3, %r4 = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C initial_state(%s0), %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x4x16x8xf32>,
        tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// ssm.causal_conv1d
//===----------------------------------------------------------------------===//

// x must be [B,D,L].
func.func @cv_rank_x(%x: tensor<8x16xf32>, %w: tensor<8x4xf32>) {
  // expected-error @+2 {{operand `x` has rank 2, expected 3 [B,D,L]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.causal_conv1d %x, %w activation silu
      : (tensor<8x16xf32>, tensor<8x4xf32>)
      -> tensor<8x16xf32>
  return
}

// -----

// weight must be [D,W].
func.func @cv_rank_weight(%x: tensor<2x8x16xf32>, %w: tensor<8xf32>) {
  // expected-error @+2 {{operand `weight` has rank 1, expected 2 [D,W]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.causal_conv1d %x, %w activation silu
      : (tensor<2x8x16xf32>, tensor<8xf32>)
      -> tensor<2x8x16xf32>
  return
}

// -----

// bias must be [D].
func.func @cv_rank_bias(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>,
    %b: tensor<8x1xf32>) {
  // expected-error @+2 {{operand `bias` has rank 2, expected 1 [D]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.causal_conv1d %x, %w bias(%b) activation silu
      : (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<8x1xf32>)
      -> tensor<2x8x16xf32>
  return
}

// -----

// weight's channels differ from x's.
func.func @cv_dim_weight(%x: tensor<2x8x16xf32>, %w: tensor<4x4xf32>) {
  // expected-error @+2 {{operand `weight` dim 0 (D) is 4, expected 8 as in operand `x` dim 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.causal_conv1d %x, %w activation silu
      : (tensor<2x8x16xf32>, tensor<4x4xf32>)
      -> tensor<2x8x16xf32>
  return
}

// -----

// bias's size differs from the channels.
func.func @cv_dim_bias(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>,
    %b: tensor<16xf32>) {
  // expected-error @+2 {{operand `bias` dim 0 (D) is 16, expected 8 as in operand `x` dim 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.causal_conv1d %x, %w bias(%b) activation silu
      : (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<16xf32>)
      -> tensor<2x8x16xf32>
  return
}

// -----

// A zero-width kernel.
func.func @cv_zero_width(%x: tensor<2x8x16xf32>, %w: tensor<8x0xf32>) {
  // expected-error @+2 {{operand `weight` dim 1 (W) must be positive, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.causal_conv1d %x, %w activation silu
      : (tensor<2x8x16xf32>, tensor<8x0xf32>)
      -> tensor<2x8x16xf32>
  return
}

// -----

// A dynamic length.
func.func @cv_dynamic_dim(%x: tensor<2x8x?xf32>, %w: tensor<8x4xf32>) {
  // expected-error @+2 {{operand `x` dim 2 (L) must be static}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.causal_conv1d %x, %w activation silu
      : (tensor<2x8x?xf32>, tensor<8x4xf32>)
      -> tensor<2x8x?xf32>
  return
}

// -----

// weight must be f32.
func.func @cv_ods_weight_bf16(%x: tensor<2x8x16xf32>, %w: tensor<8x4xbf16>) {
  // expected-error @+1 {{operand #1 must be ranked tensor of 32-bit float values, but got 'tensor<8x4xbf16>'}}
  %y = ssm.causal_conv1d %x, %w activation silu
      : (tensor<2x8x16xf32>, tensor<8x4xbf16>)
      -> tensor<2x8x16xf32>
  return
}

// -----

// Integer activations are rejected by the operand constraint.
func.func @cv_ods_x_i32(%x: tensor<2x8x16xi32>, %w: tensor<8x4xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float or bfloat16 type or 16-bit float values, but got 'tensor<2x8x16xi32>'}}
  %y = ssm.causal_conv1d %x, %w activation silu
      : (tensor<2x8x16xi32>, tensor<8x4xf32>)
      -> tensor<2x8x16xi32>
  return
}

// -----

// y has the type of x.
func.func @cv_infer_elt(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>) {
  // expected-error @+2 {{'ssm.causal_conv1d' op inferred type(s) 'tensor<2x8x16xf32>' are incompatible with return type(s) of operation 'tensor<2x8x16xbf16>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.causal_conv1d %x, %w activation silu
      : (tensor<2x8x16xf32>, tensor<8x4xf32>)
      -> tensor<2x8x16xbf16>
  return
}

// -----

// y has the shape of x.
func.func @cv_infer_shape(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>) {
  // expected-error @+2 {{'ssm.causal_conv1d' op inferred type(s) 'tensor<2x8x16xf32>' are incompatible with return type(s) of operation 'tensor<2x8x19xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.causal_conv1d %x, %w activation silu
      : (tensor<2x8x16xf32>, tensor<8x4xf32>)
      -> tensor<2x8x19xf32>
  return
}

// -----

// An activation that is neither `none` nor `silu`.
func.func @cv_unknown_activation(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'activation' [none, silu]}}
  %y = ssm.causal_conv1d %x, %w activation relu
      : (tensor<2x8x16xf32>, tensor<8x4xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// The activation is not optional.
func.func @cv_missing_activation(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>) {
  // expected-error @+1 {{expected 'activation'}}
  %y = ssm.causal_conv1d %x, %w : (tensor<2x8x16xf32>, tensor<8x4xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// The generic form with an out-of-range activation value.
func.func @cv_generic_bad_activation(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>) {
  // expected-error @+1 {{invalid properties {activation = 7 : i32} for op ssm.causal_conv1d: Invalid attribute `activation` in property conversion: 7 : i32}}
  %y = "ssm.causal_conv1d"(%x, %w) <{activation = 7 : i32}>
      : (tensor<2x8x16xf32>, tensor<8x4xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// ssm.causal_conv1d_grad
//===----------------------------------------------------------------------===//

// The forward's operand rules apply to the gradient.
func.func @cvg_operand_rule(%x: tensor<2x8x16xf32>, %w: tensor<4x4xf32>,
    %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{operand `weight` dim 0 (D) is 4, expected 8 as in operand `x` dim 1}}
  %dx, %dw = ssm.causal_conv1d_grad %x, %w, %dy activation none
      : (tensor<2x8x16xf32>, tensor<4x4xf32>, tensor<2x8x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<4x4xf32>)
  return
}

// -----

// dy must be [B,D,L].
func.func @cvg_rank_dy(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>,
    %dy: tensor<2x8x16x1xf32>) {
  // expected-error @+1 {{operand `dy` has rank 4, expected 3 [B,D,L]}}
  %dx, %dw = ssm.causal_conv1d_grad %x, %w, %dy activation none
      : (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x8x16x1xf32>)
      -> (tensor<2x8x16xf32>, tensor<8x4xf32>)
  return
}

// -----

// dy's batch differs from x's.
func.func @cvg_dim_dy(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>,
    %dy: tensor<4x8x16xf32>) {
  // expected-error @+1 {{operand `dy` dim 0 (B) is 4, expected 2 as in operand `x` dim 0}}
  %dx, %dw = ssm.causal_conv1d_grad %x, %w, %dy activation none
      : (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<4x8x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<8x4xf32>)
  return
}

// -----

// dy must have x's element type.
func.func @cvg_elt_dy(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>,
    %dy: tensor<2x8x16xbf16>) {
  // expected-error @+1 {{operand `dy` has element type 'bf16', expected 'f32' as operand `x`}}
  %dx, %dw = ssm.causal_conv1d_grad %x, %w, %dy activation none
      : (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x8x16xbf16>)
      -> (tensor<2x8x16xf32>, tensor<8x4xf32>)
  return
}

// -----

// dx must have the type of x.
func.func @cvg_type_dx(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>,
    %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `dx` has type 'tensor<2x8x16xf16>', expected 'tensor<2x8x16xf32>' as operand `x`}}
  %dx, %dw = ssm.causal_conv1d_grad %x, %w, %dy activation none
      : (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x8x16xf32>)
      -> (tensor<2x8x16xf16>, tensor<8x4xf32>)
  return
}

// -----

// dweight must have the type of weight.
func.func @cvg_type_dweight(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>,
    %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `dweight` has type 'tensor<8x3xf32>', expected 'tensor<8x4xf32>' as operand `weight`}}
  %dx, %dw = ssm.causal_conv1d_grad %x, %w, %dy activation none
      : (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x8x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<8x3xf32>)
  return
}

// -----

// dbias must have the type of bias.
func.func @cvg_type_dbias(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>,
    %b: tensor<8xf32>, %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `dbias` has type 'tensor<1x8xf32>', expected 'tensor<8xf32>' as operand `bias`}}
  %dx, %dw, %db = ssm.causal_conv1d_grad %x, %w bias(%b), %dy activation none
      : (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<2x8x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<1x8xf32>)
  return
}

// -----

// dbias is returned although the forward had no bias.
func.func @cvg_dbias_without_bias(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>,
    %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `dbias` must be present exactly when operand `bias` is}}
  %dx, %dw, %db = ssm.causal_conv1d_grad %x, %w, %dy activation none
      : (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x8x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<8xf32>)
  return
}

// -----

// bias is given but dbias is not returned.
func.func @cvg_bias_without_dbias(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>,
    %b: tensor<8xf32>, %dy: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result `dbias` must be present exactly when operand `bias` is}}
  %dx, %dw = ssm.causal_conv1d_grad %x, %w bias(%b), %dy activation none
      : (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<2x8x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<8x4xf32>)
  return
}

// -----

// The gradient takes the same activation keywords.
func.func @cvg_unknown_activation(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'activation' [none, silu]}}
  %dx, %dw = ssm.causal_conv1d_grad %x, %w, %x activation gelu
      : (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x8x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<8x4xf32>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// ssm.rms_norm
//===----------------------------------------------------------------------===//

// x must have at least the normalised dimension.
func.func @rn_rank0(%x: tensor<f32>, %w: tensor<64xf32>) {
  // expected-error @+2 {{operand `x` has rank 0, expected 1 [D]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.rms_norm %x, %w
      : (tensor<f32>, tensor<64xf32>)
      -> tensor<f32>
  return
}

// -----

// x has at most 7 dimensions.
func.func @rn_rank8(%x: tensor<1x1x1x1x1x1x1x64xf32>, %w: tensor<64xf32>) {
  // expected-error @+2 {{operand `x` has rank 8, expected at most 7}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.rms_norm %x, %w
      : (tensor<1x1x1x1x1x1x1x64xf32>, tensor<64xf32>)
      -> tensor<1x1x1x1x1x1x1x64xf32>
  return
}

// -----

// weight must be [D].
func.func @rn_rank_weight(%x: tensor<4x64xf32>, %w: tensor<1x64xf32>) {
  // expected-error @+2 {{operand `weight` has rank 2, expected 1 [D]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.rms_norm %x, %w
      : (tensor<4x64xf32>, tensor<1x64xf32>)
      -> tensor<4x64xf32>
  return
}

// -----

// residual must have the rank of x.
func.func @rn_rank_residual(%x: tensor<2x16x64xf32>, %w: tensor<64xf32>,
    %res: tensor<16x64xf32>) {
  // expected-error @+2 {{operand `residual` has rank 2, expected 3 [d0,d1,D]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %r = ssm.rms_norm %x, %w residual(%res)
      : (tensor<2x16x64xf32>, tensor<64xf32>, tensor<16x64xf32>)
      -> (tensor<2x16x64xf32>, tensor<2x16x64xf32>)
  return
}

// -----

// z must have the rank of x.
func.func @rn_rank_z(%x: tensor<4x64xf32>, %w: tensor<64xf32>,
    %z: tensor<1x4x64xf32>) {
  // expected-error @+2 {{operand `z` has rank 3, expected 2 [d0,D]}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.rms_norm %x, %w z(%z)
      : (tensor<4x64xf32>, tensor<64xf32>, tensor<1x4x64xf32>)
      -> tensor<4x64xf32>
  return
}

// -----

// weight's size differs from the last dim of x.
func.func @rn_dim_weight(%x: tensor<4x64xf32>, %w: tensor<32xf32>) {
  // expected-error @+2 {{operand `weight` dim 0 (D) is 32, expected 64 as in operand `x` dim 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.rms_norm %x, %w
      : (tensor<4x64xf32>, tensor<32xf32>)
      -> tensor<4x64xf32>
  return
}

// -----

// residual's leading dim differs from x's.
func.func @rn_dim_residual_leading(%x: tensor<4x64xf32>, %w: tensor<64xf32>,
    %res: tensor<8x64xf32>) {
  // expected-error @+2 {{operand `residual` dim 0 (d0) is 8, expected 4 as in operand `x` dim 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %r = ssm.rms_norm %x, %w residual(%res)
      : (tensor<4x64xf32>, tensor<64xf32>, tensor<8x64xf32>)
      -> (tensor<4x64xf32>, tensor<4x64xf32>)
  return
}

// -----

// residual's last dim differs from x's.
func.func @rn_dim_residual_last(%x: tensor<2x16x64xbf16>, %w: tensor<64xf32>,
    %res: tensor<2x16x32xf32>) {
  // expected-error @+2 {{operand `residual` dim 2 (D) is 32, expected 64 as in operand `x` dim 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %r = ssm.rms_norm %x, %w residual(%res)
      : (tensor<2x16x64xbf16>, tensor<64xf32>, tensor<2x16x32xf32>)
      -> (tensor<2x16x64xbf16>, tensor<2x16x64xf32>)
  return
}

// -----

// z's last dim differs from x's.
func.func @rn_dim_z_last(%x: tensor<4x64xf32>, %w: tensor<64xf32>,
    %z: tensor<4x128xf32>) {
  // expected-error @+2 {{operand `z` dim 1 (D) is 128, expected 64 as in operand `x` dim 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.rms_norm %x, %w z(%z)
      : (tensor<4x64xf32>, tensor<64xf32>, tensor<4x128xf32>)
      -> tensor<4x64xf32>
  return
}

// -----

// A zero-sized leading dimension.
func.func @rn_zero_dim(%x: tensor<0x64xf32>, %w: tensor<64xf32>) {
  // expected-error @+2 {{operand `x` dim 0 (d0) must be positive, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.rms_norm %x, %w
      : (tensor<0x64xf32>, tensor<64xf32>)
      -> tensor<0x64xf32>
  return
}

// -----

// A dynamic leading dimension.
func.func @rn_dynamic_dim(%x: tensor<?x64xf32>, %w: tensor<64xf32>) {
  // expected-error @+2 {{operand `x` dim 0 (d0) must be static}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.rms_norm %x, %w
      : (tensor<?x64xf32>, tensor<64xf32>)
      -> tensor<?x64xf32>
  return
}

// -----

// The residual and gated forms are exclusive.
func.func @rn_residual_and_z(%x: tensor<4x64xf32>, %w: tensor<64xf32>,
    %res: tensor<4x64xf32>, %z: tensor<4x64xf32>) {
  // expected-error @+2 {{operands `residual` and `z` cannot both be given (residual and gated forms are exclusive)}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %r = ssm.rms_norm %x, %w residual(%res) z(%z)
      : (tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32>, tensor<4x64xf32>)
      -> (tensor<4x64xf32>, tensor<4x64xf32>)
  return
}

// -----

// z must have x's element type.
func.func @rn_elt_z(%x: tensor<4x64xf32>, %w: tensor<64xf32>,
    %z: tensor<4x64xbf16>) {
  // expected-error @+2 {{operand `z` has element type 'bf16', expected 'f32' as operand `x`}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.rms_norm %x, %w z(%z)
      : (tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xbf16>)
      -> tensor<4x64xf32>
  return
}

// -----

// residual must be f32 or the element type of x.
func.func @rn_elt_residual(%x: tensor<4x64xf16>, %w: tensor<64xf32>,
    %res: tensor<4x64xbf16>) {
  // expected-error @+2 {{operand `residual` has element type 'bf16', expected f32 or 'f16' as operand `x`}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %r = ssm.rms_norm %x, %w residual(%res)
      : (tensor<4x64xf16>, tensor<64xf32>, tensor<4x64xbf16>)
      -> (tensor<4x64xf16>, tensor<4x64xf32>)
  return
}

// -----

// Integer residuals are rejected by the operand constraint.
func.func @rn_ods_residual_i32(%x: tensor<4x64xf32>, %w: tensor<64xf32>,
    %res: tensor<4x64xi32>) {
  // expected-error @+1 {{operand #2 must be ranked tensor of 32-bit float or bfloat16 type or 16-bit float values, but got 'tensor<4x64xi32>'}}
  %y, %r = ssm.rms_norm %x, %w residual(%res)
      : (tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xi32>)
      -> (tensor<4x64xf32>, tensor<4x64xf32>)
  return
}

// -----

// weight must be f32.
func.func @rn_ods_weight_bf16(%x: tensor<4x64xf32>, %w: tensor<64xbf16>) {
  // expected-error @+1 {{operand #1 must be ranked tensor of 32-bit float values, but got 'tensor<64xbf16>'}}
  %y = ssm.rms_norm %x, %w
      : (tensor<4x64xf32>, tensor<64xbf16>)
      -> tensor<4x64xf32>
  return
}

// -----

// eps must be positive.
func.func @rn_eps_zero(%x: tensor<4x64xf32>, %w: tensor<64xf32>) {
  // expected-error @+2 {{attribute `eps` must be positive and finite, got 0.000000e+00}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.rms_norm %x, %w {eps = 0.0 : f32}
      : (tensor<4x64xf32>, tensor<64xf32>)
      -> tensor<4x64xf32>
  return
}

// -----

// eps must be positive.
func.func @rn_eps_negative(%x: tensor<4x64xf32>, %w: tensor<64xf32>) {
  // expected-error @+2 {{attribute `eps` must be positive and finite, got -1.000000e-05}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.rms_norm %x, %w {eps = -1.0e-05 : f32}
      : (tensor<4x64xf32>, tensor<64xf32>)
      -> tensor<4x64xf32>
  return
}

// -----

// eps must be finite.
func.func @rn_eps_inf(%x: tensor<4x64xf32>, %w: tensor<64xf32>) {
  // expected-error @+2 {{attribute `eps` must be positive and finite, got INF}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.rms_norm %x, %w {eps = 0x7F800000 : f32}
      : (tensor<4x64xf32>, tensor<64xf32>)
      -> tensor<4x64xf32>
  return
}

// -----

// eps is an f32 attribute.
func.func @rn_eps_f64(%x: tensor<4x64xf32>, %w: tensor<64xf32>) {
  // expected-error @+1 {{attribute 'eps' failed to satisfy constraint: 32-bit float attribute}}
  %y = ssm.rms_norm %x, %w {eps = 1.0e-05 : f64}
      : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return
}

// -----

// The residual form returns residual_out.
func.func @rn_infer_missing_residual_out(%x: tensor<4x64xf32>,
    %w: tensor<64xf32>, %res: tensor<4x64xf32>) {
  // expected-error @+2 {{'ssm.rms_norm' op inferred type(s) 'tensor<4x64xf32>', 'tensor<4x64xf32>' are incompatible with return type(s) of operation 'tensor<4x64xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.rms_norm %x, %w residual(%res)
      : (tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32>)
      -> tensor<4x64xf32>
  return
}

// -----

// Only the residual form returns residual_out.
func.func @rn_infer_extra_residual_out(%x: tensor<4x64xf32>,
    %w: tensor<64xf32>) {
  // expected-error @+2 {{'ssm.rms_norm' op inferred type(s) 'tensor<4x64xf32>' are incompatible with return type(s) of operation 'tensor<4x64xf32>', 'tensor<4x64xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %r = ssm.rms_norm %x, %w
      : (tensor<4x64xf32>, tensor<64xf32>)
      -> (tensor<4x64xf32>, tensor<4x64xf32>)
  return
}

// -----

// y has the type of x.
func.func @rn_infer_y_elt(%x: tensor<4x64xbf16>, %w: tensor<64xf32>) {
  // expected-error @+2 {{'ssm.rms_norm' op inferred type(s) 'tensor<4x64xbf16>' are incompatible with return type(s) of operation 'tensor<4x64xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = ssm.rms_norm %x, %w
      : (tensor<4x64xbf16>, tensor<64xf32>)
      -> tensor<4x64xf32>
  return
}

// -----

// residual_out is f32.
func.func @rn_ods_residual_out_bf16(%x: tensor<4x64xbf16>, %w: tensor<64xf32>,
    %res: tensor<4x64xbf16>) {
  // expected-error @+1 {{result #1 must be ranked tensor of 32-bit float values, but got 'tensor<4x64xbf16>'}}
  %y, %r = ssm.rms_norm %x, %w residual(%res)
      : (tensor<4x64xbf16>, tensor<64xf32>, tensor<4x64xbf16>)
      -> (tensor<4x64xbf16>, tensor<4x64xbf16>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// ssm.rms_norm_grad
//===----------------------------------------------------------------------===//

// The forward's operand rules apply to the gradient.
func.func @rng_operand_rule(%x: tensor<4x64xf32>, %w: tensor<32xf32>,
    %dy: tensor<4x64xf32>) {
  // expected-error @+1 {{operand `weight` dim 0 (D) is 32, expected 64 as in operand `x` dim 1}}
  %r0, %r1 = ssm.rms_norm_grad %x, %w, %dy
      : tensor<4x64xf32>, tensor<32xf32>, tensor<4x64xf32>
      -> tensor<4x64xf32>, tensor<32xf32>
  return
}

// -----

// The residual and gated forms are exclusive.
func.func @rng_residual_and_z(%x: tensor<4x64xf32>, %w: tensor<64xf32>,
    %res: tensor<4x64xf32>, %z: tensor<4x64xf32>, %dy: tensor<4x64xf32>) {
  // expected-error @+1 {{operands `residual` and `z` cannot both be given (residual and gated forms are exclusive)}}
  %r0, %r1, %r2, %r3 = ssm.rms_norm_grad %x, %w residual(%res) z(%z), %dy
      : tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32>, tensor<4x64xf32>,
        tensor<4x64xf32>
      -> tensor<4x64xf32>, tensor<64xf32> dresidual tensor<4x64xf32>
         dz tensor<4x64xf32>
  return
}

// -----

// residual must be f32 or the element type of x.
func.func @rng_elt_residual(%x: tensor<4x64xbf16>, %w: tensor<64xf32>,
    %res: tensor<4x64xf16>, %dy: tensor<4x64xbf16>) {
  // expected-error @+1 {{operand `residual` has element type 'f16', expected f32 or 'bf16' as operand `x`}}
  %r0, %r1, %r2 = ssm.rms_norm_grad %x, %w residual(%res), %dy
      : tensor<4x64xbf16>, tensor<64xf32>, tensor<4x64xf16>, tensor<4x64xbf16>
      -> tensor<4x64xbf16>, tensor<64xf32> dresidual tensor<4x64xf16>
  return
}

// -----

// z must have x's element type.
func.func @rng_elt_z(%x: tensor<4x64xbf16>, %w: tensor<64xf32>,
    %z: tensor<4x64xf32>, %dy: tensor<4x64xbf16>) {
  // expected-error @+1 {{operand `z` has element type 'f32', expected 'bf16' as operand `x`}}
  %r0, %r1, %r2 = ssm.rms_norm_grad %x, %w z(%z), %dy
      : tensor<4x64xbf16>, tensor<64xf32>, tensor<4x64xf32>, tensor<4x64xbf16>
      -> tensor<4x64xbf16>, tensor<64xf32> dz tensor<4x64xf32>
  return
}

// -----

// eps must be positive.
func.func @rng_eps_negative(%x: tensor<4x64xf32>, %w: tensor<64xf32>,
    %dy: tensor<4x64xf32>) {
  // expected-error @+1 {{attribute `eps` must be positive and finite, got -5.000000e-01}}
  %r0, %r1 = ssm.rms_norm_grad %x, %w, %dy
      {eps = -0.5 : f32}
      : tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32>
      -> tensor<4x64xf32>, tensor<64xf32>
  return
}

// -----

// dy must have the type of x.
func.func @rng_type_dy_shape(%x: tensor<4x64xf32>, %w: tensor<64xf32>,
    %dy: tensor<2x64xf32>) {
  // expected-error @+1 {{operand `dy` has type 'tensor<2x64xf32>', expected 'tensor<4x64xf32>' as operand `x`}}
  %r0, %r1 = ssm.rms_norm_grad %x, %w, %dy
      : tensor<4x64xf32>, tensor<64xf32>, tensor<2x64xf32>
      -> tensor<4x64xf32>, tensor<64xf32>
  return
}

// -----

// dy must have the element type of x too.
func.func @rng_type_dy_elt(%x: tensor<4x64xf32>, %w: tensor<64xf32>,
    %dy: tensor<4x64xbf16>) {
  // expected-error @+1 {{operand `dy` has type 'tensor<4x64xbf16>', expected 'tensor<4x64xf32>' as operand `x`}}
  %r0, %r1 = ssm.rms_norm_grad %x, %w, %dy
      : tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xbf16>
      -> tensor<4x64xf32>, tensor<64xf32>
  return
}

// -----

// d_residual_out needs the residual form.
func.func @rng_d_residual_out_plain(%x: tensor<4x64xf32>, %w: tensor<64xf32>,
    %dy: tensor<4x64xf32>, %dr: tensor<4x64xf32>) {
  // expected-error @+1 {{operand `d_residual_out` is only allowed in the residual form (with `residual`)}}
  %r0, %r1 = ssm.rms_norm_grad %x, %w, %dy d_residual_out(%dr)
      : tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32>, tensor<4x64xf32>
      -> tensor<4x64xf32>, tensor<64xf32>
  return
}

// -----

// d_residual_out is not allowed in the gated form.
func.func @rng_d_residual_out_gated(%x: tensor<4x64xf32>, %w: tensor<64xf32>,
    %z: tensor<4x64xf32>, %dy: tensor<4x64xf32>, %dr: tensor<4x64xf32>) {
  // expected-error @+1 {{operand `d_residual_out` is only allowed in the residual form (with `residual`)}}
  %r0, %r1, %r2 = ssm.rms_norm_grad %x, %w z(%z), %dy d_residual_out(%dr)
      : tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32>, tensor<4x64xf32>,
        tensor<4x64xf32>
      -> tensor<4x64xf32>, tensor<64xf32> dz tensor<4x64xf32>
  return
}

// -----

// d_residual_out has the shape of x.
func.func @rng_d_residual_out_shape(%x: tensor<4x64xf32>, %w: tensor<64xf32>,
    %res: tensor<4x64xf32>, %dy: tensor<4x64xf32>, %dr: tensor<4x32xf32>) {
  // expected-error @+1 {{operand `d_residual_out` has type 'tensor<4x32xf32>', expected the shape of `x` in f32}}
  %r0, %r1, %r2 = ssm.rms_norm_grad
      %x, %w residual(%res), %dy d_residual_out(%dr)
      : tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32>, tensor<4x64xf32>,
        tensor<4x32xf32>
      -> tensor<4x64xf32>, tensor<64xf32> dresidual tensor<4x64xf32>
  return
}

// -----

// d_residual_out is f32.
func.func @rng_d_residual_out_bf16(%x: tensor<4x64xbf16>, %w: tensor<64xf32>,
    %res: tensor<4x64xbf16>, %dy: tensor<4x64xbf16>, %dr: tensor<4x64xbf16>) {
  // expected-error @+1 {{operand #4 must be ranked tensor of 32-bit float values, but got 'tensor<4x64xbf16>'}}
  %r0, %r1, %r2 = ssm.rms_norm_grad
      %x, %w residual(%res), %dy d_residual_out(%dr)
      : tensor<4x64xbf16>, tensor<64xf32>, tensor<4x64xbf16>, tensor<4x64xbf16>,
        tensor<4x64xbf16>
      -> tensor<4x64xbf16>, tensor<64xf32> dresidual tensor<4x64xbf16>
  return
}

// -----

// dx must have the type of x.
func.func @rng_type_dx(%x: tensor<4x64xf32>, %w: tensor<64xf32>,
    %dy: tensor<4x64xf32>) {
  // expected-error @+1 {{result `dx` has type 'tensor<4x64xbf16>', expected 'tensor<4x64xf32>' as operand `x`}}
  %r0, %r1 = ssm.rms_norm_grad %x, %w, %dy
      : tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32>
      -> tensor<4x64xbf16>, tensor<64xf32>
  return
}

// -----

// dweight must have the type of weight.
func.func @rng_type_dweight(%x: tensor<4x64xf32>, %w: tensor<64xf32>,
    %dy: tensor<4x64xf32>) {
  // expected-error @+1 {{result `dweight` has type 'tensor<1x64xf32>', expected 'tensor<64xf32>' as operand `weight`}}
  %r0, %r1 = ssm.rms_norm_grad %x, %w, %dy
      : tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32>
      -> tensor<4x64xf32>, tensor<1x64xf32>
  return
}

// -----

// dresidual must have the type of residual.
func.func @rng_type_dresidual(%x: tensor<4x64xbf16>, %w: tensor<64xf32>,
    %res: tensor<4x64xf32>, %dy: tensor<4x64xbf16>) {
  // expected-error @+1 {{result `dresidual` has type 'tensor<4x64xbf16>', expected 'tensor<4x64xf32>' as operand `residual`}}
  %r0, %r1, %r2 = ssm.rms_norm_grad %x, %w residual(%res), %dy
      : tensor<4x64xbf16>, tensor<64xf32>, tensor<4x64xf32>, tensor<4x64xbf16>
      -> tensor<4x64xbf16>, tensor<64xf32> dresidual tensor<4x64xbf16>
  return
}

// -----

// dz must have the type of z.
func.func @rng_type_dz(%x: tensor<4x64xf16>, %w: tensor<64xf32>,
    %z: tensor<4x64xf16>, %dy: tensor<4x64xf16>) {
  // expected-error @+1 {{result `dz` has type 'tensor<4x64xf32>', expected 'tensor<4x64xf16>' as operand `z`}}
  %r0, %r1, %r2 = ssm.rms_norm_grad %x, %w z(%z), %dy
      : tensor<4x64xf16>, tensor<64xf32>, tensor<4x64xf16>, tensor<4x64xf16>
      -> tensor<4x64xf16>, tensor<64xf32> dz tensor<4x64xf32>
  return
}

// -----

// dresidual is returned in the plain form.
func.func @rng_dresidual_without_residual(%x: tensor<4x64xf32>,
    %w: tensor<64xf32>, %dy: tensor<4x64xf32>) {
  // expected-error @+1 {{result `dresidual` must be present exactly when operand `residual` is}}
  %r0, %r1, %r2 = ssm.rms_norm_grad %x, %w, %dy
      : tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32>
      -> tensor<4x64xf32>, tensor<64xf32> dresidual tensor<4x64xf32>
  return
}

// -----

// The residual form returns dresidual.
func.func @rng_residual_without_dresidual(%x: tensor<4x64xf32>,
    %w: tensor<64xf32>, %res: tensor<4x64xf32>, %dy: tensor<4x64xf32>) {
  // expected-error @+1 {{result `dresidual` must be present exactly when operand `residual` is}}
  %r0, %r1 = ssm.rms_norm_grad %x, %w residual(%res), %dy
      : tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32>, tensor<4x64xf32>
      -> tensor<4x64xf32>, tensor<64xf32>
  return
}

// -----

// dz is returned in the plain form.
func.func @rng_dz_without_z(%x: tensor<4x64xf32>, %w: tensor<64xf32>,
    %dy: tensor<4x64xf32>) {
  // expected-error @+1 {{result `dz` must be present exactly when operand `z` is}}
  %r0, %r1, %r2 = ssm.rms_norm_grad %x, %w, %dy
      : tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32>
      -> tensor<4x64xf32>, tensor<64xf32> dz tensor<4x64xf32>
  return
}

// -----

// The gated form returns dz.
func.func @rng_z_without_dz(%x: tensor<4x64xf32>, %w: tensor<64xf32>,
    %z: tensor<4x64xf32>, %dy: tensor<4x64xf32>) {
  // expected-error @+1 {{result `dz` must be present exactly when operand `z` is}}
  %r0, %r1 = ssm.rms_norm_grad %x, %w z(%z), %dy
      : tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32>, tensor<4x64xf32>
      -> tensor<4x64xf32>, tensor<64xf32>
  return
}

// -----

// More states than the lowerings unroll per point (found by scripts/fuzz.py:
// N = 1024 did not compile in 15 minutes).
func.func @selective_scan_too_many_states(%u: tensor<2x8x16xf32>, %dt: tensor<2x8x16xf32>,
    %A: tensor<8x1024xf32>, %B: tensor<2x1x1024x16xf32>, %C: tensor<2x1x1024x16xf32>) {
  // expected-error @+2 {{'ssm.selective_scan' op operand A has d_state N = 1024, more than the 256 states the selective scan lowerings keep per point}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x1024xf32>,
         tensor<2x1x1024x16xf32>, tensor<2x1x1024x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x1024xf32>)
  return
}
