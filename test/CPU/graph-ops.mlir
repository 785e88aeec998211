// RUN: ssm-compile %s --target=cpu -o %t.so
// RUN: ssm-run %t.so --entry linear --check | FileCheck %s --check-prefix=LINEAR
// RUN: ssm-run %t.so --entry linear_bf16 --check --tol 2e-2 \
// RUN:   | FileCheck %s --check-prefix=LINEAR-BF16
// RUN: ssm-run %t.so --entry embedding --check | FileCheck %s --check-prefix=EMB
// RUN: ssm-run %t.so --entry cross_entropy --check --seed 3 \
// RUN:   | FileCheck %s --check-prefix=CE
// RUN: ssm-run %t.so --entry layout --check | FileCheck %s --check-prefix=LAYOUT
// RUN: ssm-run %t.so --entry transpose_tiles --check \
// RUN:   | FileCheck %s --check-prefix=TILES

// Each graph op and its gradient compiled for the CPU and checked against
// the float64 reference on seeded random inputs (tokens and labels in
// range: the runtime takes the vocabulary from the table and the logits).

// LINEAR: check y f32 {{.*}} PASS
// LINEAR: check dx f32 {{.*}} PASS
// LINEAR: check dweight f32 {{.*}} PASS
// LINEAR: check dbias f32 {{.*}} PASS
// LINEAR: check: 4 passed, 0 failed
func.func @linear(%x: tensor<3x5x7xf32>, %w: tensor<6x7xf32>,
    %b: tensor<6xf32>, %dy: tensor<3x5x6xf32>)
    -> (tensor<3x5x6xf32> {ssm.name = "y"}, tensor<3x5x7xf32>,
        tensor<6x7xf32>, tensor<6xf32>) {
  %y = ssm.linear %x, %w bias(%b)
      : (tensor<3x5x7xf32>, tensor<6x7xf32>, tensor<6xf32>) -> tensor<3x5x6xf32>
  %dx, %dw, %db = ssm.linear_grad %x, %w bias(%b), %dy
      : (tensor<3x5x7xf32>, tensor<6x7xf32>, tensor<6xf32>, tensor<3x5x6xf32>)
      -> (tensor<3x5x7xf32>, tensor<6x7xf32>, tensor<6xf32>)
  return %y, %dx, %dw, %db
      : tensor<3x5x6xf32>, tensor<3x5x7xf32>, tensor<6x7xf32>, tensor<6xf32>
}

// LINEAR-BF16: check y bf16 {{.*}} PASS
// LINEAR-BF16: check dx bf16 {{.*}} PASS
// LINEAR-BF16: check dweight f32 {{.*}} PASS
// LINEAR-BF16: check: 3 passed, 0 failed
func.func @linear_bf16(%x: tensor<4x9xbf16>, %w: tensor<5x9xf32>,
    %dy: tensor<4x5xbf16>)
    -> (tensor<4x5xbf16> {ssm.name = "y"}, tensor<4x9xbf16>, tensor<5x9xf32>) {
  %y = ssm.linear %x, %w : (tensor<4x9xbf16>, tensor<5x9xf32>) -> tensor<4x5xbf16>
  %dx, %dw = ssm.linear_grad %x, %w, %dy
      : (tensor<4x9xbf16>, tensor<5x9xf32>, tensor<4x5xbf16>)
      -> (tensor<4x9xbf16>, tensor<5x9xf32>)
  return %y, %dx, %dw : tensor<4x5xbf16>, tensor<4x9xbf16>, tensor<5x9xf32>
}

// EMB: check y f32 {{.*}} PASS
// EMB: check dweight f32 {{.*}} PASS
// EMB: check: 2 passed, 0 failed
func.func @embedding(%t: tensor<2x6xi32>, %w: tensor<5x3xf32>,
    %dy: tensor<2x6x3xf32>)
    -> (tensor<2x6x3xf32> {ssm.name = "y"}, tensor<5x3xf32>) {
  %y = ssm.embedding %t, %w
      : (tensor<2x6xi32>, tensor<5x3xf32>) -> tensor<2x6x3xf32>
  %dw = ssm.embedding_grad %t, %w, %dy
      : (tensor<2x6xi32>, tensor<5x3xf32>, tensor<2x6x3xf32>) -> tensor<5x3xf32>
  return %y, %dw : tensor<2x6x3xf32>, tensor<5x3xf32>
}

// CE: check loss f32 {{.*}} PASS
// CE: check dlogits f32 {{.*}} PASS
// CE: check: 2 passed, 0 failed
func.func @cross_entropy(%logits: tensor<3x4x11xf32>, %labels: tensor<3x4xi32>,
    %dloss: tensor<f32>)
    -> (tensor<f32> {ssm.name = "loss"}, tensor<3x4x11xf32>) {
  %loss = ssm.cross_entropy %logits, %labels
      : (tensor<3x4x11xf32>, tensor<3x4xi32>) -> tensor<f32>
  %d = ssm.cross_entropy_grad %logits, %labels, %dloss
      : (tensor<3x4x11xf32>, tensor<3x4xi32>, tensor<f32>) -> tensor<3x4x11xf32>
  return %loss, %d : tensor<f32>, tensor<3x4x11xf32>
}

// LAYOUT: check transposed f32 {{.*}} PASS
// LAYOUT: check reshaped f32 {{.*}} PASS
// LAYOUT: check sliced f32 {{.*}} PASS
// LAYOUT: check padded f32 {{.*}} PASS
// LAYOUT: check sum f32 {{.*}} PASS
// LAYOUT: check filled f32 {{.*}} PASS
// LAYOUT: check flipped f32 {{.*}} PASS
// LAYOUT: check joined f32 {{.*}} PASS
// LAYOUT: check: 8 passed, 0 failed
func.func @layout(%x: tensor<2x3x4xf32>, %dy: tensor<2x2x4xf32>,
    %z: tensor<2x3x4xf32>)
    -> (tensor<4x2x3xf32> {ssm.name = "transposed"},
        tensor<6x1x4xf32> {ssm.name = "reshaped"},
        tensor<2x2x4xf32> {ssm.name = "sliced"},
        tensor<2x3x4xf32> {ssm.name = "padded"},
        tensor<2x3x4xf32> {ssm.name = "sum"},
        tensor<3x2xf32> {ssm.name = "filled"},
        tensor<2x3x4xf32> {ssm.name = "flipped"},
        tensor<2x5x4xf32> {ssm.name = "joined"}) {
  %t = ssm.transpose %x [2, 0, 1] : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %r = ssm.reshape %x : (tensor<2x3x4xf32>) -> tensor<6x1x4xf32>
  %s = ssm.slice %x axis 1 offset 1 size 2 : (tensor<2x3x4xf32>) -> tensor<2x2x4xf32>
  %p = ssm.slice_grad %dy axis 1 offset 1 size 2
      : (tensor<2x2x4xf32>) -> tensor<2x3x4xf32>
  %a = ssm.add %x, %z : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %f = ssm.fill -1.5 : tensor<3x2xf32>
  %v = ssm.flip %x axis 1 : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %j = ssm.concat %x, %dy axis 1
      : (tensor<2x3x4xf32>, tensor<2x2x4xf32>) -> tensor<2x5x4xf32>
  return %t, %r, %s, %p, %a, %f, %v, %j : tensor<4x2x3xf32>, tensor<6x1x4xf32>,
      tensor<2x2x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<3x2xf32>,
      tensor<2x3x4xf32>, tensor<2x5x4xf32>
}

// Transposes that move the innermost dimension go in square tiles where
// both swapped dimensions allow one (8 here, 4 for 8x12, none for 12x6:
// a point per element); a bf16 one too. The GPU suite runs these as well.
// TILES: check tile8 f32 {{.*}} PASS
// TILES: check tile4 f32 {{.*}} PASS
// TILES: check tile2 f32 {{.*}} PASS
// TILES: check untiled f32 {{.*}} PASS
// TILES: check tile8_bf16 bf16 {{.*}} PASS
// TILES: check: 5 passed, 0 failed
func.func @transpose_tiles(%a: tensor<2x16x24xf32>, %b: tensor<3x12x8xf32>,
    %c: tensor<6x5x2xf32>, %d: tensor<12x7xf32>, %e: tensor<16x8x8xbf16>)
    -> (tensor<2x24x16xf32> {ssm.name = "tile8"},
        tensor<3x8x12xf32> {ssm.name = "tile4"},
        tensor<2x5x6xf32> {ssm.name = "tile2"},
        tensor<7x12xf32> {ssm.name = "untiled"},
        tensor<8x8x16xbf16> {ssm.name = "tile8_bf16"}) {
  %ta = ssm.transpose %a [0, 2, 1] : (tensor<2x16x24xf32>) -> tensor<2x24x16xf32>
  %tb = ssm.transpose %b [0, 2, 1] : (tensor<3x12x8xf32>) -> tensor<3x8x12xf32>
  %tc = ssm.transpose %c [2, 1, 0] : (tensor<6x5x2xf32>) -> tensor<2x5x6xf32>
  %td = ssm.transpose %d [1, 0] : (tensor<12x7xf32>) -> tensor<7x12xf32>
  %te = ssm.transpose %e [2, 1, 0] : (tensor<16x8x8xbf16>) -> tensor<8x8x16xbf16>
  return %ta, %tb, %tc, %td, %te : tensor<2x24x16xf32>, tensor<3x8x12xf32>,
      tensor<2x5x6xf32>, tensor<7x12xf32>, tensor<8x8x16xbf16>
}
