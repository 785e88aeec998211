// RUN: ssm-opt %s | ssm-opt | FileCheck %s
// RUN: ssm-opt %s --mlir-print-op-generic | ssm-opt | FileCheck %s

// Round trip of every graph op (SSMGraphOps.td) through the custom and the
// generic form, optional operands present and absent.

// CHECK-LABEL: func @linear
func.func @linear(%x: tensor<2x8x16xbf16>, %w: tensor<32x16xf32>,
    %b: tensor<32xf32>, %dy: tensor<2x8x32xbf16>) {
  // CHECK: ssm.linear %{{.*}}, %{{.*}} bias(%{{.*}}) : (tensor<2x8x16xbf16>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<2x8x32xbf16>
  %y = ssm.linear %x, %w bias(%b)
      : (tensor<2x8x16xbf16>, tensor<32x16xf32>, tensor<32xf32>)
      -> tensor<2x8x32xbf16>
  // CHECK: ssm.linear %{{.*}}, %{{.*}} : (tensor<2x8x16xbf16>, tensor<32x16xf32>) -> tensor<2x8x32xbf16>
  %y2 = ssm.linear %x, %w
      : (tensor<2x8x16xbf16>, tensor<32x16xf32>) -> tensor<2x8x32xbf16>
  // CHECK: ssm.linear_grad %{{.*}}, %{{.*}} bias(%{{.*}}), %{{.*}} : (tensor<2x8x16xbf16>, tensor<32x16xf32>, tensor<32xf32>, tensor<2x8x32xbf16>) -> (tensor<2x8x16xbf16>, tensor<32x16xf32>, tensor<32xf32>)
  %dx, %dw, %db = ssm.linear_grad %x, %w bias(%b), %dy
      : (tensor<2x8x16xbf16>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<2x8x32xbf16>)
      -> (tensor<2x8x16xbf16>, tensor<32x16xf32>, tensor<32xf32>)
  // CHECK: ssm.linear_grad %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x8x16xbf16>, tensor<32x16xf32>, tensor<2x8x32xbf16>) -> (tensor<2x8x16xbf16>, tensor<32x16xf32>)
  %dx2, %dw2 = ssm.linear_grad %x, %w, %dy
      : (tensor<2x8x16xbf16>, tensor<32x16xf32>, tensor<2x8x32xbf16>)
      -> (tensor<2x8x16xbf16>, tensor<32x16xf32>)
  return
}

// CHECK-LABEL: func @embedding
func.func @embedding(%t: tensor<2x8xi32>, %w: tensor<64x16xf32>,
    %dy: tensor<2x8x16xf32>) {
  // CHECK: ssm.embedding %{{.*}}, %{{.*}} : (tensor<2x8xi32>, tensor<64x16xf32>) -> tensor<2x8x16xf32>
  %y = ssm.embedding %t, %w
      : (tensor<2x8xi32>, tensor<64x16xf32>) -> tensor<2x8x16xf32>
  // CHECK: ssm.embedding_grad %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x8xi32>, tensor<64x16xf32>, tensor<2x8x16xf32>) -> tensor<64x16xf32>
  %dw = ssm.embedding_grad %t, %w, %dy
      : (tensor<2x8xi32>, tensor<64x16xf32>, tensor<2x8x16xf32>)
      -> tensor<64x16xf32>
  return
}

// CHECK-LABEL: func @cross_entropy
func.func @cross_entropy(%logits: tensor<2x8x64xf16>, %labels: tensor<2x8xi32>,
    %dl: tensor<f32>) {
  // CHECK: ssm.cross_entropy %{{.*}}, %{{.*}} : (tensor<2x8x64xf16>, tensor<2x8xi32>) -> tensor<f32>
  %loss = ssm.cross_entropy %logits, %labels
      : (tensor<2x8x64xf16>, tensor<2x8xi32>) -> tensor<f32>
  // CHECK: ssm.cross_entropy_grad %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x8x64xf16>, tensor<2x8xi32>, tensor<f32>) -> tensor<2x8x64xf16>
  %d = ssm.cross_entropy_grad %logits, %labels, %dl
      : (tensor<2x8x64xf16>, tensor<2x8xi32>, tensor<f32>)
      -> tensor<2x8x64xf16>
  return
}

// CHECK-LABEL: func @layout
func.func @layout(%x: tensor<2x8x16xf32>, %dy: tensor<2x8x4xf32>) {
  // CHECK: ssm.transpose %{{.*}} [0, 2, 1] : (tensor<2x8x16xf32>) -> tensor<2x16x8xf32>
  %t = ssm.transpose %x [0, 2, 1] : (tensor<2x8x16xf32>) -> tensor<2x16x8xf32>
  // CHECK: ssm.reshape %{{.*}} : (tensor<2x8x16xf32>) -> tensor<2x1x8x16xf32>
  %r = ssm.reshape %x : (tensor<2x8x16xf32>) -> tensor<2x1x8x16xf32>
  // CHECK: ssm.slice %{{.*}} axis 2 offset 12 size 4 : (tensor<2x8x16xf32>) -> tensor<2x8x4xf32>
  %s = ssm.slice %x axis 2 offset 12 size 4
      : (tensor<2x8x16xf32>) -> tensor<2x8x4xf32>
  // CHECK: ssm.slice_grad %{{.*}} axis 2 offset 12 size 4 : (tensor<2x8x4xf32>) -> tensor<2x8x16xf32>
  %ds = ssm.slice_grad %dy axis 2 offset 12 size 4
      : (tensor<2x8x4xf32>) -> tensor<2x8x16xf32>
  // CHECK: ssm.concat %{{.*}}, %{{.*}} axis 2 : (tensor<2x8x16xf32>, tensor<2x8x4xf32>) -> tensor<2x8x20xf32>
  %c = ssm.concat %x, %dy axis 2
      : (tensor<2x8x16xf32>, tensor<2x8x4xf32>) -> tensor<2x8x20xf32>
  // CHECK: ssm.flip %{{.*}} axis 1 : (tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
  %f = ssm.flip %x axis 1 : (tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
  // CHECK: ssm.add %{{.*}}, %{{.*}} : (tensor<2x8x16xf32>, tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
  %a = ssm.add %x, %ds
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
  // CHECK: ssm.fill 1.000000e+00 : tensor<f32>
  %one = ssm.fill 1.0 : tensor<f32>
  // CHECK: ssm.fill -2.500000e-01 : tensor<4x2xbf16>
  %q = ssm.fill -0.25 : tensor<4x2xbf16>
  return
}
