// The `unfused` variant of the selective scan on the CPU: every step of the
// reference formulas is its own loop nest, the per-state intermediates
// (exp(dt A), dt B u, the states H and their cotangents) are f32 scratch
// of shape [B,D,L,N] = 2x4x8x3, and steps whose operand is absent are not
// emitted. The forward with every operand is seven nests in order: the
// time step, exp(dt A), dt B u, the scan (which also writes last_state),
// the C contraction, the D skip, the gate.
// RUN: ssm-opt %s --ssm-select-lowering='variant=unfused' --convert-ssm-to-loops \
// RUN:   | FileCheck %s --strict-whitespace
// RUN: ssm-opt %s --ssm-select-lowering='variant=unfused' --convert-ssm-to-loops \
// RUN:   | FileCheck %s --strict-whitespace --check-prefix=NESTS
// RUN: ssm-opt %s --ssm-select-lowering='variant=unfused' --convert-ssm-to-loops \
// RUN:   | FileCheck %s --strict-whitespace --check-prefix=STATES

// CHECK-LABEL: func.func @scan_all(
// CHECK:         %[[Y:.*]] = memref.alloc() : memref<2x4x8xf32>
// CHECK:         %[[LAST:.*]] = memref.alloc() : memref<2x4x3xf32>
// CHECK:         %[[DT:.*]] = memref.alloc() : memref<2x4x8xf32>
// CHECK:         {{^    }}scf.for
// CHECK:           math.log1p
// CHECK:           memref.store %{{.*}}, %[[DT]][
// CHECK:         %[[DA:.*]] = memref.alloc() : memref<2x4x8x3xf32>
// CHECK:         {{^    }}scf.for
// CHECK:           math.exp
// CHECK:           memref.store %{{.*}}, %[[DA]][
// CHECK:         %[[DBU:.*]] = memref.alloc() : memref<2x4x8x3xf32>
// CHECK:         {{^    }}scf.for
// CHECK:           memref.store %{{.*}}, %[[DBU]][
// CHECK:         %[[H:.*]] = memref.alloc() : memref<2x4x8x3xf32>
// CHECK:         {{^    }}scf.for
// CHECK-DAG:       memref.load %[[DA]][
// CHECK-DAG:       memref.load %[[DBU]][
// CHECK:           memref.store %{{.*}}, %[[H]][
// CHECK:           memref.store %{{.*}}, %[[LAST]][
// CHECK:         %[[Y1:.*]] = memref.alloc() : memref<2x4x8xf32>
// CHECK:         %[[Y0:.*]] = memref.alloc() : memref<2x4x8xf32>
// CHECK:         {{^    }}scf.for
// CHECK:           memref.load %[[H]][
// CHECK:           memref.store %{{.*}}, %[[Y0]][
// CHECK:         {{^    }}scf.for
// CHECK:           memref.load %[[Y0]][
// CHECK:           memref.store %{{.*}}, %[[Y1]][
// CHECK:         {{^    }}scf.for
// CHECK:           memref.load %[[Y1]][
// CHECK:           memref.store %{{.*}}, %[[Y]][
// CHECK-NOT:     {{^    }}scf.for
// CHECK:         return

// Nothing optional: no time-step nest (the steps read delta) and the
// contraction writes y; the only [B,D,L] buffer is y itself.
// CHECK-LABEL: func.func @scan_small(
// CHECK:         memref.alloc() : memref<2x4x8xf32>
// CHECK-NOT:     memref.alloc() : memref<2x4x8xf32>
// CHECK:         return

// The gradient recomputes dt, exp(dt A), dt B u, H and (for the gate) the
// pre-gate output, then runs each step backwards: the zero fills of the
// five accumulated gradients, six recomputing nests, then the gate, the D
// skip, dH, dC, the reverse scan, du with the dt B u part of ddt, dB, the
// exp(dt A) part of ddt, dA, ddelta with ddelta_bias. [B,D,L,N] scratch:
// exp(dt A), dt B u, H, dH, and the reverse scan's two cotangents.
// NESTS-LABEL: func.func @scan_all(
// NESTS-COUNT-7: {{^    }}scf.for
// NESTS-NOT:     {{^    }}scf.for
// NESTS:         return
// NESTS-LABEL: func.func @scan_small(
// NESTS-COUNT-4: {{^    }}scf.for
// NESTS-NOT:     {{^    }}scf.for
// NESTS:         return
// NESTS-LABEL: func.func @grad_all(
// NESTS-COUNT-21: {{^    }}scf.for
// NESTS-NOT:     {{^    }}scf.for
// NESTS:         return
// NESTS-LABEL: func.func @grad_small(
// NESTS-COUNT-14: {{^    }}scf.for
// NESTS-NOT:     {{^    }}scf.for
// NESTS:         return

// STATES-LABEL: func.func @scan_all(
// STATES-COUNT-3: memref.alloc() : memref<2x4x8x3xf32>
// STATES-NOT:    memref.alloc() : memref<2x4x8x3xf32>
// STATES:        return
// STATES-LABEL: func.func @scan_small(
// STATES-COUNT-3: memref.alloc() : memref<2x4x8x3xf32>
// STATES-NOT:    memref.alloc() : memref<2x4x8x3xf32>
// STATES:        return
// STATES-LABEL: func.func @grad_all(
// STATES-COUNT-6: memref.alloc() : memref<2x4x8x3xf32>
// STATES-NOT:    memref.alloc() : memref<2x4x8x3xf32>
// STATES:        return
// STATES-LABEL: func.func @grad_small(
// STATES-COUNT-6: memref.alloc() : memref<2x4x8x3xf32>
// STATES-NOT:    memref.alloc() : memref<2x4x8x3xf32>
// STATES:        return

func.func @scan_all(%u: tensor<2x4x8xf32>, %delta: tensor<2x4x8xf32>,
    %A: tensor<4x3xf32>, %B: tensor<2x2x3x8xf32>, %C: tensor<2x2x3x8xf32>,
    %D: tensor<4xf32>, %z: tensor<2x4x8xf32>, %db: tensor<4xf32>)
    -> (tensor<2x4x8xf32>, tensor<2x4x3xf32>) {
  %y, %s = ssm.selective_scan
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db) {delta_softplus}
      : (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
         tensor<2x2x3x8xf32>, tensor<2x2x3x8xf32>, tensor<4xf32>,
         tensor<2x4x8xf32>, tensor<4xf32>)
      -> (tensor<2x4x8xf32>, tensor<2x4x3xf32>)
  return %y, %s : tensor<2x4x8xf32>, tensor<2x4x3xf32>
}

func.func @scan_small(%u: tensor<2x4x8xf32>, %delta: tensor<2x4x8xf32>,
    %A: tensor<4x3xf32>, %B: tensor<2x1x3x8xf32>, %C: tensor<2x1x3x8xf32>)
    -> (tensor<2x4x8xf32>, tensor<2x4x3xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
         tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>)
      -> (tensor<2x4x8xf32>, tensor<2x4x3xf32>)
  return %y, %s : tensor<2x4x8xf32>, tensor<2x4x3xf32>
}

func.func @grad_all(%u: tensor<2x4x8xf32>, %delta: tensor<2x4x8xf32>,
    %A: tensor<4x3xf32>, %B: tensor<2x2x3x8xf32>, %C: tensor<2x2x3x8xf32>,
    %D: tensor<4xf32>, %z: tensor<2x4x8xf32>, %db: tensor<4xf32>,
    %dy: tensor<2x4x8xf32>, %dh: tensor<2x4x3xf32>)
    -> (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
        tensor<2x2x3x8xf32>, tensor<2x2x3x8xf32>, tensor<4xf32>,
        tensor<2x4x8xf32>, tensor<4xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db),
      %dy d_last_state(%dh) {delta_softplus}
      : tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
        tensor<2x2x3x8xf32>, tensor<2x2x3x8xf32>, tensor<4xf32>,
        tensor<2x4x8xf32>, tensor<4xf32>, tensor<2x4x8xf32>, tensor<2x4x3xf32>
      -> tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
         tensor<2x2x3x8xf32>, tensor<2x2x3x8xf32> dD tensor<4xf32>
         dz tensor<2x4x8xf32> ddelta_bias tensor<4xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb : tensor<2x4x8xf32>,
      tensor<2x4x8xf32>, tensor<4x3xf32>, tensor<2x2x3x8xf32>,
      tensor<2x2x3x8xf32>, tensor<4xf32>, tensor<2x4x8xf32>, tensor<4xf32>
}

func.func @grad_small(%u: tensor<2x4x8xf32>, %delta: tensor<2x4x8xf32>,
    %A: tensor<4x3xf32>, %B: tensor<2x1x3x8xf32>, %C: tensor<2x1x3x8xf32>,
    %dy: tensor<2x4x8xf32>)
    -> (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
        tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>) {
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
        tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>, tensor<2x4x8xf32>
      -> tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
         tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>
  return %du, %ddelta, %dA, %dB, %dC : tensor<2x4x8xf32>, tensor<2x4x8xf32>,
      tensor<4x3xf32>, tensor<2x1x3x8xf32>, tensor<2x1x3x8xf32>
}
