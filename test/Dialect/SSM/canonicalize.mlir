// RUN: ssm-opt %s --canonicalize --split-input-file | FileCheck %s

// The sum of the gradients of two adjacent slices of one tensor becomes one
// slice_grad of their concatenation, or the concatenation itself when the
// slices cover the dimension (ssm-build-training-step applies this to the
// cotangent sums it builds). In either order of the operands.

// CHECK-LABEL: func.func @covering(
// CHECK-SAME:      %[[A:[^:]+]]: tensor<2x3x4xf32>, %[[B:[^:]+]]: tensor<2x5x4xf32>)
// CHECK-NEXT:    %[[Y:.*]] = ssm.concat %[[A]], %[[B]] axis 1 : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x8x4xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @covering(%a: tensor<2x3x4xf32>, %b: tensor<2x5x4xf32>)
    -> tensor<2x8x4xf32> {
  %db = ssm.slice_grad %b axis 1 offset 3 size 5
      : (tensor<2x5x4xf32>) -> tensor<2x8x4xf32>
  %da = ssm.slice_grad %a axis 1 offset 0 size 3
      : (tensor<2x3x4xf32>) -> tensor<2x8x4xf32>
  %s = ssm.add %db, %da : (tensor<2x8x4xf32>, tensor<2x8x4xf32>) -> tensor<2x8x4xf32>
  return %s : tensor<2x8x4xf32>
}

// -----

// Three parts, as Mamba-2's in_proj splits into z | xBC | dt: the first
// sum (xBC and dt) joins into a partial slice_grad, which then joins z.
// CHECK-LABEL: func.func @three_parts(
// CHECK-SAME:      %[[Z:[^:]+]]: tensor<1x4x2xf32>, %[[X:[^:]+]]: tensor<1x4x3xf32>, %[[D:[^:]+]]: tensor<1x4x1xf32>)
// CHECK-NEXT:    %[[XD:.*]] = ssm.concat %[[X]], %[[D]] axis 2 : (tensor<1x4x3xf32>, tensor<1x4x1xf32>) -> tensor<1x4x4xf32>
// CHECK-NEXT:    %[[ALL:.*]] = ssm.concat %[[Z]], %[[XD]] axis 2 : (tensor<1x4x2xf32>, tensor<1x4x4xf32>) -> tensor<1x4x6xf32>
// CHECK-NEXT:    return %[[ALL]]
func.func @three_parts(%z: tensor<1x4x2xf32>, %x: tensor<1x4x3xf32>,
    %d: tensor<1x4x1xf32>) -> tensor<1x4x6xf32> {
  %dz = ssm.slice_grad %z axis 2 offset 0 size 2
      : (tensor<1x4x2xf32>) -> tensor<1x4x6xf32>
  %dx = ssm.slice_grad %x axis 2 offset 2 size 3
      : (tensor<1x4x3xf32>) -> tensor<1x4x6xf32>
  %dd = ssm.slice_grad %d axis 2 offset 5 size 1
      : (tensor<1x4x1xf32>) -> tensor<1x4x6xf32>
  %s0 = ssm.add %dd, %dx : (tensor<1x4x6xf32>, tensor<1x4x6xf32>) -> tensor<1x4x6xf32>
  %s1 = ssm.add %s0, %dz : (tensor<1x4x6xf32>, tensor<1x4x6xf32>) -> tensor<1x4x6xf32>
  return %s1 : tensor<1x4x6xf32>
}

// -----

// Adjacent but not covering: one slice_grad of the concatenation.
// CHECK-LABEL: func.func @partial(
// CHECK-NEXT:    %[[J:.*]] = ssm.concat %{{.*}}, %{{.*}} axis 0 : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<3x4xf32>
// CHECK-NEXT:    %[[G:.*]] = ssm.slice_grad %[[J]] axis 0 offset 1 size 3 : (tensor<3x4xf32>) -> tensor<5x4xf32>
// CHECK-NEXT:    return %[[G]]
func.func @partial(%a: tensor<1x4xf32>, %b: tensor<2x4xf32>) -> tensor<5x4xf32> {
  %da = ssm.slice_grad %a axis 0 offset 1 size 1 : (tensor<1x4xf32>) -> tensor<5x4xf32>
  %db = ssm.slice_grad %b axis 0 offset 2 size 2 : (tensor<2x4xf32>) -> tensor<5x4xf32>
  %s = ssm.add %da, %db : (tensor<5x4xf32>, tensor<5x4xf32>) -> tensor<5x4xf32>
  return %s : tensor<5x4xf32>
}

// -----

// Not adjacent, overlapping, on other axes, or a gradient used elsewhere:
// the sum stays.
// CHECK-LABEL: func.func @kept(
// CHECK-COUNT-4: ssm.add
// CHECK-NOT:     ssm.concat
func.func @kept(%a: tensor<1x4xf32>, %b: tensor<5x1xf32>)
    -> (tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>,
        tensor<5x4xf32>) {
  %d0 = ssm.slice_grad %a axis 0 offset 0 size 1 : (tensor<1x4xf32>) -> tensor<5x4xf32>
  %d2 = ssm.slice_grad %a axis 0 offset 2 size 1 : (tensor<1x4xf32>) -> tensor<5x4xf32>
  %gap = ssm.add %d0, %d2 : (tensor<5x4xf32>, tensor<5x4xf32>) -> tensor<5x4xf32>
  %e0 = ssm.slice_grad %a axis 0 offset 0 size 1 : (tensor<1x4xf32>) -> tensor<5x4xf32>
  %e1 = ssm.slice_grad %a axis 0 offset 0 size 1 : (tensor<1x4xf32>) -> tensor<5x4xf32>
  %same = ssm.add %e0, %e1 : (tensor<5x4xf32>, tensor<5x4xf32>) -> tensor<5x4xf32>
  %f0 = ssm.slice_grad %a axis 0 offset 3 size 1 : (tensor<1x4xf32>) -> tensor<5x4xf32>
  %f1 = ssm.slice_grad %b axis 1 offset 0 size 1 : (tensor<5x1xf32>) -> tensor<5x4xf32>
  %axes = ssm.add %f0, %f1 : (tensor<5x4xf32>, tensor<5x4xf32>) -> tensor<5x4xf32>
  %g0 = ssm.slice_grad %a axis 0 offset 0 size 1 : (tensor<1x4xf32>) -> tensor<5x4xf32>
  %g1 = ssm.slice_grad %a axis 0 offset 1 size 1 : (tensor<1x4xf32>) -> tensor<5x4xf32>
  %shared = ssm.add %g0, %g1 : (tensor<5x4xf32>, tensor<5x4xf32>) -> tensor<5x4xf32>
  return %gap, %same, %axes, %shared, %g0
      : tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>,
        tensor<5x4xf32>
}

// -----

// A slice_grad of the whole dimension is its cotangent.
// CHECK-LABEL: func.func @whole(
// CHECK-SAME:      %[[DY:[^:]+]]: tensor<3x4xf32>)
// CHECK-NEXT:    return %[[DY]]
func.func @whole(%dy: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %dx = ssm.slice_grad %dy axis 1 offset 0 size 4 : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %dx : tensor<3x4xf32>
}
