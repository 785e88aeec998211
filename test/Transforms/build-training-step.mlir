// RUN: ssm-opt %s --ssm-build-training-step=functions=loss,layout,joined \
// RUN:   | FileCheck %s
// RUN: not ssm-opt %s --ssm-build-training-step=functions=missing 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MISSING

// The training step of a small model: embedding, a linear layer used twice
// (its output feeds the head and, through an add, itself), a head and the
// loss. The backward runs the ops in reverse, seeds the loss's cotangent
// with 1, sums the two cotangents of %h with ssm.add, and returns the loss
// then one gradient per parameter in argument order.

// CHECK-LABEL: func.func @loss(
// CHECK-LABEL: func.func @loss_step(
// CHECK-SAME: -> (tensor<f32> {ssm.name = "loss", ssm.role = "output"},
// CHECK-SAME: tensor<16x8xf32> {ssm.name = "d_emb", ssm.role = "gradient"},
// CHECK-SAME: tensor<8x8xf32> {ssm.name = "d_w", ssm.role = "gradient"},
// CHECK-SAME: tensor<8xf32> {ssm.name = "d_b", ssm.role = "gradient"},
// CHECK-SAME: tensor<16x8xf32> {ssm.name = "d_head", ssm.role = "gradient"},
// CHECK-SAME: tensor<8xf32> {ssm.name = "d_unused", ssm.role = "gradient"})
// The forward, cloned.
// CHECK: %[[E:.*]] = ssm.embedding
// CHECK: %[[H:.*]] = ssm.linear %[[E]]
// CHECK: %[[S:.*]] = ssm.add %[[H]], %[[H]]
// CHECK: %[[L:.*]] = ssm.linear %[[S]]
// CHECK: %[[LOSS:.*]] = ssm.cross_entropy %[[L]]
// The backward, in reverse.
// CHECK: %[[ONE:.*]] = ssm.fill 1.000000e+00 : tensor<f32>
// CHECK: %[[DL:.*]] = ssm.cross_entropy_grad %[[L]], %{{.*}}, %[[ONE]]
// CHECK: %[[DS:.*]], %[[DHEAD:.*]] = ssm.linear_grad %[[S]], %{{.*}}, %[[DL]]
// CHECK: %[[DH:.*]] = ssm.add %[[DS]], %[[DS]]
// CHECK: %[[DE:.*]], %[[DW:.*]], %[[DB:.*]] = ssm.linear_grad %[[E]], %{{.*}} bias(%{{.*}}), %[[DH]]
// CHECK: %[[DEMB:.*]] = ssm.embedding_grad %{{.*}}, %{{.*}}, %[[DE]]
// A parameter the loss does not reach gets zeros.
// CHECK: %[[ZERO:.*]] = ssm.fill 0.000000e+00 : tensor<8xf32>
// CHECK: return %[[LOSS]], %[[DEMB]], %[[DW]], %[[DB]], %[[DHEAD]], %[[ZERO]]
func.func @loss(%tokens: tensor<2x4xi32>, %labels: tensor<2x4xi32>,
    %emb: tensor<16x8xf32> {ssm.name = "emb"},
    %w: tensor<8x8xf32> {ssm.name = "w"}, %b: tensor<8xf32> {ssm.name = "b"},
    %head: tensor<16x8xf32> {ssm.name = "head"},
    %unused: tensor<8xf32> {ssm.name = "unused", ssm.role = "parameter"})
    -> tensor<f32> {
  %e = ssm.embedding %tokens, %emb
      : (tensor<2x4xi32>, tensor<16x8xf32>) -> tensor<2x4x8xf32>
  %h = ssm.linear %e, %w bias(%b)
      : (tensor<2x4x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  %s = ssm.add %h, %h
      : (tensor<2x4x8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %logits = ssm.linear %s, %head
      : (tensor<2x4x8xf32>, tensor<16x8xf32>) -> tensor<2x4x16xf32>
  %loss = ssm.cross_entropy %logits, %labels
      : (tensor<2x4x16xf32>, tensor<2x4xi32>) -> tensor<f32>
  return %loss : tensor<f32>
}

// The layout ops' rules: a transpose by the inverse permutation, a reshape
// back, a flip by the same flip, and a slice's zero-padded cotangent; the
// two slices of %p cover it side by side, so their gradients' sum becomes
// one concatenation (AddOp's canonicalization, the full-range slice_grad
// folded away).
// The arguments without ssm.name are named arg<i>.

// CHECK-LABEL: func.func @layout_step(
// CHECK-SAME: {ssm.name = "d_arg1", ssm.role = "gradient"}
// CHECK: ssm.fill 1.0
// CHECK: %[[DLOGITS:.*]] = ssm.cross_entropy_grad
// CHECK: %[[DT:.*]] = ssm.transpose %[[DLOGITS]] [0, 2, 1] : (tensor<1x4x6xf32>) -> tensor<1x6x4xf32>
// CHECK: %[[DF:.*]] = ssm.flip %[[DT]] axis 2 : (tensor<1x6x4xf32>) -> tensor<1x6x4xf32>
// CHECK: %[[DR:.*]] = ssm.reshape %[[DF]] : (tensor<1x6x4xf32>) -> tensor<1x24xf32>
// CHECK-NOT: ssm.slice_grad
// CHECK: %[[DX:.*]] = ssm.concat %[[DR]], %[[DR]] axis 1 : (tensor<1x24xf32>, tensor<1x24xf32>) -> tensor<1x48xf32>
// CHECK-NEXT: ssm.linear_grad %{{.*}}, %{{.*}}, %[[DX]]
func.func @layout(%t: tensor<1x4xi32>, %w: tensor<48x3xf32>,
    %x: tensor<1x3xf32>) -> tensor<f32> {
  %p = ssm.linear %x, %w : (tensor<1x3xf32>, tensor<48x3xf32>) -> tensor<1x48xf32>
  %a = ssm.slice %p axis 1 offset 0 size 24 : (tensor<1x48xf32>) -> tensor<1x24xf32>
  %b = ssm.slice %p axis 1 offset 24 size 24 : (tensor<1x48xf32>) -> tensor<1x24xf32>
  %s = ssm.add %a, %b : (tensor<1x24xf32>, tensor<1x24xf32>) -> tensor<1x24xf32>
  %r = ssm.reshape %s : (tensor<1x24xf32>) -> tensor<1x6x4xf32>
  %f = ssm.flip %r axis 2 : (tensor<1x6x4xf32>) -> tensor<1x6x4xf32>
  %l = ssm.transpose %f [0, 2, 1] : (tensor<1x6x4xf32>) -> tensor<1x4x6xf32>
  %loss = ssm.cross_entropy %l, %t : (tensor<1x4x6xf32>, tensor<1x4xi32>) -> tensor<f32>
  return %loss : tensor<f32>
}

// A concatenation's rule: the two slices of its cotangent, one per side.
// CHECK-LABEL: func.func @joined_step(
// CHECK: %[[DY:.*]] = ssm.cross_entropy_grad
// CHECK-DAG: ssm.slice %[[DY]] axis 2 offset 0 size 3 : (tensor<1x4x8xf32>) -> tensor<1x4x3xf32>
// CHECK-DAG: ssm.slice %[[DY]] axis 2 offset 3 size 5 : (tensor<1x4x8xf32>) -> tensor<1x4x5xf32>
func.func @joined(%t: tensor<1x4xi32>, %w: tensor<3x2xf32>, %v: tensor<5x2xf32>,
    %x: tensor<1x4x2xf32>) -> tensor<f32> {
  %a = ssm.linear %x, %w : (tensor<1x4x2xf32>, tensor<3x2xf32>) -> tensor<1x4x3xf32>
  %b = ssm.linear %x, %v : (tensor<1x4x2xf32>, tensor<5x2xf32>) -> tensor<1x4x5xf32>
  %l = ssm.concat %a, %b axis 2 : (tensor<1x4x3xf32>, tensor<1x4x5xf32>) -> tensor<1x4x8xf32>
  %loss = ssm.cross_entropy %l, %t : (tensor<1x4x8xf32>, tensor<1x4xi32>) -> tensor<f32>
  return %loss : tensor<f32>
}

// MISSING: error: ssm-build-training-step: no function named 'missing' in the module
