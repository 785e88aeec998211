// RUN: ssm-opt %s | ssm-opt | FileCheck %s
// RUN: ssm-opt %s --mlir-print-op-generic | ssm-opt | FileCheck %s

// Round trip of every ssm op through the custom and the generic form, with
// the optional operands and attributes in the combinations that change the
// printed form. Shapes: selective scan B=2 D=8 L=16 N=4; SSD B=1 L=64 H=4
// P=16 N=8; conv B=2 D=8 L=16 W=4.

//===----------------------------------------------------------------------===//
// ssm.selective_scan
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @selective_scan_minimal(
// CHECK-SAME:    %[[U:[^:]+]]: tensor<2x8x16xf32>, %[[DELTA:[^:]+]]: tensor<2x8x16xf32>,
// CHECK-SAME:    %[[A:[^:]+]]: tensor<8x4xf32>, %[[B:[^:]+]]: tensor<2x1x4x16xf32>, %[[C:[^:]+]]: tensor<2x1x4x16xf32>)
// CHECK:         %[[Y:.*]], %[[S:.*]] = ssm.selective_scan %[[U]], %[[DELTA]], %[[A]], %[[B]], %[[C]] :
// CHECK-SAME:      (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
// CHECK-SAME:      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
// CHECK-NOT:     delta_softplus
// CHECK:         return %[[Y]], %[[S]]
func.func @selective_scan_minimal(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>)
    -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return %y, %s : tensor<2x8x16xf32>, tensor<2x8x4xf32>
}

// CHECK-LABEL: func.func @selective_scan_all(
// CHECK-SAME:    %[[U:[^:]+]]: tensor<2x8x16xf32>, %[[DELTA:[^:]+]]: tensor<2x8x16xf32>,
// CHECK-SAME:    %[[A:[^:]+]]: tensor<8x4xf32>, %[[B:[^:]+]]: tensor<2x1x4x16xf32>, %[[C:[^:]+]]: tensor<2x1x4x16xf32>,
// CHECK-SAME:    %[[D:[^:]+]]: tensor<8xf32>, %[[Z:[^:]+]]: tensor<2x8x16xf32>, %[[DB:[^:]+]]: tensor<8xf32>)
// CHECK:         %[[Y:.*]], %[[S:.*]] = ssm.selective_scan %[[U]], %[[DELTA]], %[[A]], %[[B]], %[[C]] D(%[[D]]) z(%[[Z]]) delta_bias(%[[DB]]) {delta_softplus} :
// CHECK-SAME:      (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8xf32>, tensor<2x8x16xf32>, tensor<8xf32>)
// CHECK-SAME:      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
// CHECK:         return %[[Y]], %[[S]]
func.func @selective_scan_all(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %D: tensor<8xf32>, %z: tensor<2x8x16xf32>, %db: tensor<8xf32>)
    -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) z(%z)
      delta_bias(%db) {delta_softplus}
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8xf32>,
         tensor<2x8x16xf32>, tensor<8xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return %y, %s : tensor<2x8x16xf32>, tensor<2x8x4xf32>
}

// Each optional operand on its own: the keywords keep them apart.
// CHECK-LABEL: func.func @selective_scan_one_optional(
// CHECK-SAME:    %[[U:[^:]+]]: tensor<2x8x16xf32>, %[[A:[^:]+]]: tensor<8x4xf32>,
// CHECK-SAME:    %[[B:[^:]+]]: tensor<2x1x4x16xf32>, %[[V:[^:]+]]: tensor<8xf32>)
// CHECK:         ssm.selective_scan %[[U]], %[[U]], %[[A]], %[[B]], %[[B]] D(%[[V]]) :
// CHECK-SAME:      (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8xf32>)
// CHECK-SAME:      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
// CHECK:         ssm.selective_scan %[[U]], %[[U]], %[[A]], %[[B]], %[[B]] z(%[[U]]) :
// CHECK-SAME:      (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>)
// CHECK-SAME:      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
// CHECK:         ssm.selective_scan %[[U]], %[[U]], %[[A]], %[[B]], %[[B]] delta_bias(%[[V]]) :
// CHECK-SAME:      (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8xf32>)
// CHECK-SAME:      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
// CHECK:         ssm.selective_scan %[[U]], %[[U]], %[[A]], %[[B]], %[[B]] {delta_softplus} :
// CHECK-SAME:      (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
// CHECK-SAME:      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
func.func @selective_scan_one_optional(%u: tensor<2x8x16xf32>, %A: tensor<8x4xf32>,
    %B: tensor<2x1x4x16xf32>, %v: tensor<8xf32>) {
  %y0, %s0 = ssm.selective_scan %u, %u, %A, %B, %B D(%v)
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  %y1, %s1 = ssm.selective_scan %u, %u, %A, %B, %B z(%u)
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  %y2, %s2 = ssm.selective_scan %u, %u, %A, %B, %B delta_bias(%v)
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  %y3, %s3 = ssm.selective_scan %u, %u, %A, %B, %B {delta_softplus}
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// bf16 activations with f32 B/C shared by G=2 groups; y keeps bf16 and the
// state is f32.
// CHECK-LABEL: func.func @selective_scan_bf16_groups(
// CHECK-SAME:    %[[U:[^:]+]]: tensor<2x8x16xbf16>, %[[DELTA:[^:]+]]: tensor<2x8x16xbf16>,
// CHECK-SAME:    %[[A:[^:]+]]: tensor<8x4xf32>, %[[B:[^:]+]]: tensor<2x2x4x16xf32>, %[[C:[^:]+]]: tensor<2x2x4x16xf32>,
// CHECK-SAME:    %[[Z:[^:]+]]: tensor<2x8x16xbf16>)
// CHECK:         %[[Y:.*]], %[[S:.*]] = ssm.selective_scan %[[U]], %[[DELTA]], %[[A]], %[[B]], %[[C]] z(%[[Z]]) {delta_softplus} :
// CHECK-SAME:      (tensor<2x8x16xbf16>, tensor<2x8x16xbf16>, tensor<8x4xf32>, tensor<2x2x4x16xf32>, tensor<2x2x4x16xf32>, tensor<2x8x16xbf16>)
// CHECK-SAME:      -> (tensor<2x8x16xbf16>, tensor<2x8x4xf32>)
// CHECK:         return %[[Y]], %[[S]]
func.func @selective_scan_bf16_groups(%u: tensor<2x8x16xbf16>, %delta: tensor<2x8x16xbf16>,
    %A: tensor<8x4xf32>, %B: tensor<2x2x4x16xf32>, %C: tensor<2x2x4x16xf32>,
    %z: tensor<2x8x16xbf16>) -> (tensor<2x8x16xbf16>, tensor<2x8x4xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C z(%z) {delta_softplus}
      : (tensor<2x8x16xbf16>, tensor<2x8x16xbf16>, tensor<8x4xf32>,
         tensor<2x2x4x16xf32>, tensor<2x2x4x16xf32>, tensor<2x8x16xbf16>)
      -> (tensor<2x8x16xbf16>, tensor<2x8x4xf32>)
  return %y, %s : tensor<2x8x16xbf16>, tensor<2x8x4xf32>
}

// f16 activations and f16 B/C, one group per channel (G = D = 8).
// CHECK-LABEL: func.func @selective_scan_f16_group_per_channel(
// CHECK-SAME:    %[[U:[^:]+]]: tensor<2x8x16xf16>, %[[A:[^:]+]]: tensor<8x4xf32>,
// CHECK-SAME:    %[[B:[^:]+]]: tensor<2x8x4x16xf16>, %[[D:[^:]+]]: tensor<8xf32>)
// CHECK:         %[[Y:.*]], %[[S:.*]] = ssm.selective_scan %[[U]], %[[U]], %[[A]], %[[B]], %[[B]] D(%[[D]]) delta_bias(%[[D]]) :
// CHECK-SAME:      (tensor<2x8x16xf16>, tensor<2x8x16xf16>, tensor<8x4xf32>, tensor<2x8x4x16xf16>, tensor<2x8x4x16xf16>, tensor<8xf32>, tensor<8xf32>)
// CHECK-SAME:      -> (tensor<2x8x16xf16>, tensor<2x8x4xf32>)
// CHECK:         return %[[Y]], %[[S]]
func.func @selective_scan_f16_group_per_channel(%u: tensor<2x8x16xf16>,
    %A: tensor<8x4xf32>, %B: tensor<2x8x4x16xf16>, %D: tensor<8xf32>)
    -> (tensor<2x8x16xf16>, tensor<2x8x4xf32>) {
  %y, %s = ssm.selective_scan %u, %u, %A, %B, %B D(%D) delta_bias(%D)
      : (tensor<2x8x16xf16>, tensor<2x8x16xf16>, tensor<8x4xf32>,
         tensor<2x8x4x16xf16>, tensor<2x8x4x16xf16>, tensor<8xf32>,
         tensor<8xf32>)
      -> (tensor<2x8x16xf16>, tensor<2x8x4xf32>)
  return %y, %s : tensor<2x8x16xf16>, tensor<2x8x4xf32>
}

//===----------------------------------------------------------------------===//
// ssm.selective_scan_grad
//===----------------------------------------------------------------------===//

// The grad ops have optional results: the five mandatory result types are a
// plain list after `->`, then each optional result present is spelled
// `keyword type` (dD, dz, ddelta_bias); the parser derives
// resultSegmentSizes from them, so it never appears in the custom form.

// CHECK-LABEL: func.func @selective_scan_grad_minimal(
// CHECK-SAME:    %[[U:[^:]+]]: tensor<2x8x16xf32>, %[[DELTA:[^:]+]]: tensor<2x8x16xf32>,
// CHECK-SAME:    %[[A:[^:]+]]: tensor<8x4xf32>, %[[B:[^:]+]]: tensor<2x1x4x16xf32>, %[[C:[^:]+]]: tensor<2x1x4x16xf32>,
// CHECK-SAME:    %[[DY:[^:]+]]: tensor<2x8x16xf32>)
// CHECK:         %[[DU:.*]], %[[DDELTA:.*]], %[[DA:.*]], %[[DB:.*]], %[[DC:.*]] = ssm.selective_scan_grad %[[U]], %[[DELTA]], %[[A]], %[[B]], %[[C]], %[[DY]] :
// CHECK-SAME:      tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>
// CHECK-SAME:      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>{{$}}
// CHECK:         return %[[DU]], %[[DDELTA]], %[[DA]], %[[DB]], %[[DC]]
func.func @selective_scan_grad_minimal(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %dy: tensor<2x8x16xf32>)
    -> (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>) {
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return %du, %ddelta, %dA, %dB, %dC : tensor<2x8x16xf32>, tensor<2x8x16xf32>,
      tensor<8x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
}

// CHECK-LABEL: func.func @selective_scan_grad_all(
// CHECK-SAME:    %[[U:[^:]+]]: tensor<2x8x16xf32>, %[[DELTA:[^:]+]]: tensor<2x8x16xf32>,
// CHECK-SAME:    %[[A:[^:]+]]: tensor<8x4xf32>, %[[B:[^:]+]]: tensor<2x1x4x16xf32>, %[[C:[^:]+]]: tensor<2x1x4x16xf32>,
// CHECK-SAME:    %[[D:[^:]+]]: tensor<8xf32>, %[[Z:[^:]+]]: tensor<2x8x16xf32>, %[[DBIAS:[^:]+]]: tensor<8xf32>,
// CHECK-SAME:    %[[DY:[^:]+]]: tensor<2x8x16xf32>, %[[DS:[^:]+]]: tensor<2x8x4xf32>)
// CHECK:         %[[DU:.*]], %[[DDELTA:.*]], %[[DA:.*]], %[[DB:.*]], %[[DC:.*]], %[[DD:.*]], %[[DZ:.*]], %[[DDBIAS:.*]] = ssm.selective_scan_grad
// CHECK-SAME:      %[[U]], %[[DELTA]], %[[A]], %[[B]], %[[C]] D(%[[D]]) z(%[[Z]]) delta_bias(%[[DBIAS]]), %[[DY]] d_last_state(%[[DS]])
// CHECK-SAME:      {delta_softplus} :
// CHECK-SAME:      tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8xf32>, tensor<2x8x16xf32>, tensor<8xf32>, tensor<2x8x16xf32>, tensor<2x8x4xf32>
// CHECK-SAME:      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32> dD tensor<8xf32> dz tensor<2x8x16xf32> ddelta_bias tensor<8xf32>{{$}}
// CHECK:         return %[[DU]], %[[DDELTA]], %[[DA]], %[[DB]], %[[DC]], %[[DD]], %[[DZ]], %[[DDBIAS]]
func.func @selective_scan_grad_all(%u: tensor<2x8x16xf32>, %delta: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %D: tensor<8xf32>, %z: tensor<2x8x16xf32>, %db: tensor<8xf32>,
    %dy: tensor<2x8x16xf32>, %ds: tensor<2x8x4xf32>)
    -> (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8xf32>,
        tensor<2x8x16xf32>, tensor<8xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db), %dy
      d_last_state(%ds)
      {delta_softplus}
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8xf32>,
        tensor<2x8x16xf32>, tensor<8xf32>, tensor<2x8x16xf32>, tensor<2x8x4xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32> dD tensor<8xf32>
         dz tensor<2x8x16xf32> ddelta_bias tensor<8xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8xf32>,
        tensor<2x8x16xf32>, tensor<8xf32>
}

// bf16 activations, bf16 B/C in G=2 groups, d_last_state only.
// CHECK-LABEL: func.func @selective_scan_grad_bf16_d_last_state(
// CHECK-SAME:    %[[U:[^:]+]]: tensor<2x8x16xbf16>, %[[A:[^:]+]]: tensor<8x4xf32>,
// CHECK-SAME:    %[[B:[^:]+]]: tensor<2x2x4x16xbf16>, %[[DS:[^:]+]]: tensor<2x8x4xf32>)
// CHECK:         ssm.selective_scan_grad %[[U]], %[[U]], %[[A]], %[[B]], %[[B]], %[[U]] d_last_state(%[[DS]]) :
// CHECK-SAME:      tensor<2x8x16xbf16>, tensor<2x8x16xbf16>, tensor<8x4xf32>, tensor<2x2x4x16xbf16>, tensor<2x2x4x16xbf16>, tensor<2x8x16xbf16>, tensor<2x8x4xf32>
// CHECK-SAME:      -> tensor<2x8x16xbf16>, tensor<2x8x16xbf16>, tensor<8x4xf32>, tensor<2x2x4x16xbf16>, tensor<2x2x4x16xbf16>{{$}}
func.func @selective_scan_grad_bf16_d_last_state(%u: tensor<2x8x16xbf16>,
    %A: tensor<8x4xf32>, %B: tensor<2x2x4x16xbf16>, %ds: tensor<2x8x4xf32>) {
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %u, %A, %B, %B, %u d_last_state(%ds)
      : tensor<2x8x16xbf16>, tensor<2x8x16xbf16>, tensor<8x4xf32>,
        tensor<2x2x4x16xbf16>, tensor<2x2x4x16xbf16>, tensor<2x8x16xbf16>,
        tensor<2x8x4xf32>
      -> tensor<2x8x16xbf16>, tensor<2x8x16xbf16>, tensor<8x4xf32>,
         tensor<2x2x4x16xbf16>, tensor<2x2x4x16xbf16>
  return
}

// f16, z only: only the dz optional result.
// CHECK-LABEL: func.func @selective_scan_grad_f16_z(
// CHECK-SAME:    %[[U:[^:]+]]: tensor<2x8x16xf16>, %[[A:[^:]+]]: tensor<8x4xf32>,
// CHECK-SAME:    %[[B:[^:]+]]: tensor<2x1x4x16xf32>, %[[Z:[^:]+]]: tensor<2x8x16xf16>)
// CHECK:         %[[DU:.*]], %[[DDELTA:.*]], %[[DA:.*]], %[[DB:.*]], %[[DC:.*]], %[[DZ:.*]] = ssm.selective_scan_grad
// CHECK-SAME:      %[[U]], %[[U]], %[[A]], %[[B]], %[[B]] z(%[[Z]]), %[[U]] :
// CHECK-SAME:      tensor<2x8x16xf16>, tensor<2x8x16xf16>, tensor<8x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf16>, tensor<2x8x16xf16>
// CHECK-SAME:      -> tensor<2x8x16xf16>, tensor<2x8x16xf16>, tensor<8x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32> dz tensor<2x8x16xf16>{{$}}
// CHECK:         return %[[DZ]]
func.func @selective_scan_grad_f16_z(%u: tensor<2x8x16xf16>, %A: tensor<8x4xf32>,
    %B: tensor<2x1x4x16xf32>, %z: tensor<2x8x16xf16>) -> tensor<2x8x16xf16> {
  %du, %ddelta, %dA, %dB, %dC, %dz = ssm.selective_scan_grad
      %u, %u, %A, %B, %B z(%z), %u
      : tensor<2x8x16xf16>, tensor<2x8x16xf16>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf16>,
        tensor<2x8x16xf16>
      -> tensor<2x8x16xf16>, tensor<2x8x16xf16>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32> dz tensor<2x8x16xf16>
  return %dz : tensor<2x8x16xf16>
}

// D and delta_bias without z: the keywords, not the positions, say which
// optional results are present (resultSegmentSizes 1,1,1,1,1,1,0,1 survives
// the generic round trip).
// CHECK-LABEL: func.func @selective_scan_grad_D_delta_bias(
// CHECK-SAME:    %[[U:[^:]+]]: tensor<2x8x16xf32>, %[[A:[^:]+]]: tensor<8x4xf32>,
// CHECK-SAME:    %[[B:[^:]+]]: tensor<2x1x4x16xf32>, %[[V:[^:]+]]: tensor<8xf32>)
// CHECK:         %[[DU:.*]], %[[DDELTA:.*]], %[[DA:.*]], %[[DB:.*]], %[[DC:.*]], %[[DD:.*]], %[[DDB:.*]] = ssm.selective_scan_grad
// CHECK-SAME:      %[[U]], %[[U]], %[[A]], %[[B]], %[[B]] D(%[[V]]) delta_bias(%[[V]]), %[[U]] {delta_softplus} :
// CHECK-SAME:      tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<2x8x16xf32>
// CHECK-SAME:      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32> dD tensor<8xf32> ddelta_bias tensor<8xf32>{{$}}
// CHECK:         return %[[DD]], %[[DDB]]
func.func @selective_scan_grad_D_delta_bias(%u: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %v: tensor<8xf32>)
    -> (tensor<8xf32>, tensor<8xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %ddb = ssm.selective_scan_grad
      %u, %u, %A, %B, %B D(%v) delta_bias(%v), %u {delta_softplus}
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8xf32>,
        tensor<8xf32>, tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32> dD tensor<8xf32>
         ddelta_bias tensor<8xf32>
  return %dD, %ddb : tensor<8xf32>, tensor<8xf32>
}

//===----------------------------------------------------------------------===//
// ssm.ssd_scan
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @ssd_scan_minimal(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<1x64x4x16xf32>, %[[DT:[^:]+]]: tensor<1x64x4xf32>, %[[A:[^:]+]]: tensor<4xf32>,
// CHECK-SAME:    %[[B:[^:]+]]: tensor<1x64x1x8xf32>, %[[C:[^:]+]]: tensor<1x64x1x8xf32>)
// CHECK:         %[[Y:.*]], %[[S:.*]] = ssm.ssd_scan %[[X]], %[[DT]], %[[A]], %[[B]], %[[C]] :
// CHECK-SAME:      (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>, tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>)
// CHECK-SAME:      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
// CHECK-NOT:     dt_softplus
// CHECK:         return %[[Y]], %[[S]]
func.func @ssd_scan_minimal(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>)
    -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return %y, %s : tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>
}

// CHECK-LABEL: func.func @ssd_scan_all(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<1x64x4x16xf32>, %[[DT:[^:]+]]: tensor<1x64x4xf32>, %[[A:[^:]+]]: tensor<4xf32>,
// CHECK-SAME:    %[[B:[^:]+]]: tensor<1x64x1x8xf32>, %[[C:[^:]+]]: tensor<1x64x1x8xf32>, %[[D:[^:]+]]: tensor<4xf32>,
// CHECK-SAME:    %[[Z:[^:]+]]: tensor<1x64x4x16xf32>, %[[DTB:[^:]+]]: tensor<4xf32>, %[[S0:[^:]+]]: tensor<1x4x16x8xf32>)
// CHECK:         %[[Y:.*]], %[[S:.*]] = ssm.ssd_scan %[[X]], %[[DT]], %[[A]], %[[B]], %[[C]] D(%[[D]]) z(%[[Z]]) dt_bias(%[[DTB]]) initial_state(%[[S0]]) {dt_softplus} :
// CHECK-SAME:      (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>, tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<4xf32>, tensor<1x64x4x16xf32>, tensor<4xf32>, tensor<1x4x16x8xf32>)
// CHECK-SAME:      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
// CHECK:         return %[[Y]], %[[S]]
func.func @ssd_scan_all(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %D: tensor<4xf32>, %z: tensor<1x64x4x16xf32>, %dtb: tensor<4xf32>,
    %s0: tensor<1x4x16x8xf32>)
    -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%dtb)
      initial_state(%s0) {dt_softplus}
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<4xf32>,
         tensor<1x64x4x16xf32>, tensor<4xf32>, tensor<1x4x16x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return %y, %s : tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>
}

// bf16 activations, G=2 groups of heads, D only.
// CHECK-LABEL: func.func @ssd_scan_bf16_groups(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<1x64x4x16xbf16>, %[[DT:[^:]+]]: tensor<1x64x4xbf16>, %[[A:[^:]+]]: tensor<4xf32>,
// CHECK-SAME:    %[[B:[^:]+]]: tensor<1x64x2x8xbf16>, %[[C:[^:]+]]: tensor<1x64x2x8xbf16>, %[[D:[^:]+]]: tensor<4xf32>)
// CHECK:         %[[Y:.*]], %[[S:.*]] = ssm.ssd_scan %[[X]], %[[DT]], %[[A]], %[[B]], %[[C]] D(%[[D]]) {dt_softplus} :
// CHECK-SAME:      (tensor<1x64x4x16xbf16>, tensor<1x64x4xbf16>, tensor<4xf32>, tensor<1x64x2x8xbf16>, tensor<1x64x2x8xbf16>, tensor<4xf32>)
// CHECK-SAME:      -> (tensor<1x64x4x16xbf16>, tensor<1x4x16x8xf32>)
// CHECK:         return %[[Y]], %[[S]]
func.func @ssd_scan_bf16_groups(%x: tensor<1x64x4x16xbf16>, %dt: tensor<1x64x4xbf16>,
    %A: tensor<4xf32>, %B: tensor<1x64x2x8xbf16>, %C: tensor<1x64x2x8xbf16>,
    %D: tensor<4xf32>) -> (tensor<1x64x4x16xbf16>, tensor<1x4x16x8xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C D(%D) {dt_softplus}
      : (tensor<1x64x4x16xbf16>, tensor<1x64x4xbf16>, tensor<4xf32>,
         tensor<1x64x2x8xbf16>, tensor<1x64x2x8xbf16>, tensor<4xf32>)
      -> (tensor<1x64x4x16xbf16>, tensor<1x4x16x8xf32>)
  return %y, %s : tensor<1x64x4x16xbf16>, tensor<1x4x16x8xf32>
}

// f16 activations with f32 B/C; initial_state and dt_bias without D or z.
// CHECK-LABEL: func.func @ssd_scan_f16_initial_state(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<1x64x4x16xf16>, %[[DT:[^:]+]]: tensor<1x64x4xf16>, %[[A:[^:]+]]: tensor<4xf32>,
// CHECK-SAME:    %[[B:[^:]+]]: tensor<1x64x1x8xf32>, %[[S0:[^:]+]]: tensor<1x4x16x8xf32>)
// CHECK:         %[[Y:.*]], %[[S:.*]] = ssm.ssd_scan %[[X]], %[[DT]], %[[A]], %[[B]], %[[B]] dt_bias(%[[A]]) initial_state(%[[S0]]) :
// CHECK-SAME:      (tensor<1x64x4x16xf16>, tensor<1x64x4xf16>, tensor<4xf32>, tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<4xf32>, tensor<1x4x16x8xf32>)
// CHECK-SAME:      -> (tensor<1x64x4x16xf16>, tensor<1x4x16x8xf32>)
// CHECK:         return %[[Y]], %[[S]]
func.func @ssd_scan_f16_initial_state(%x: tensor<1x64x4x16xf16>, %dt: tensor<1x64x4xf16>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %s0: tensor<1x4x16x8xf32>)
    -> (tensor<1x64x4x16xf16>, tensor<1x4x16x8xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %B dt_bias(%A) initial_state(%s0)
      : (tensor<1x64x4x16xf16>, tensor<1x64x4xf16>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<4xf32>,
         tensor<1x4x16x8xf32>)
      -> (tensor<1x64x4x16xf16>, tensor<1x4x16x8xf32>)
  return %y, %s : tensor<1x64x4x16xf16>, tensor<1x4x16x8xf32>
}

// z alone (the gated output without D).
// CHECK-LABEL: func.func @ssd_scan_z(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<1x64x4x16xf32>, %[[DT:[^:]+]]: tensor<1x64x4xf32>, %[[A:[^:]+]]: tensor<4xf32>,
// CHECK-SAME:    %[[B:[^:]+]]: tensor<1x64x1x8xf32>)
// CHECK:         ssm.ssd_scan %[[X]], %[[DT]], %[[A]], %[[B]], %[[B]] z(%[[X]]) :
// CHECK-SAME:      (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>, tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>)
// CHECK-SAME:      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
func.func @ssd_scan_z(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %B z(%x)
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

//===----------------------------------------------------------------------===//
// ssm.ssd_scan_grad
//===----------------------------------------------------------------------===//

// Mandatory results dx, ddt, dA, dB, dC; optional ones by keyword: dD, dz,
// ddt_bias, d_initial_state.

// CHECK-LABEL: func.func @ssd_scan_grad_minimal(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<1x64x4x16xf32>, %[[DT:[^:]+]]: tensor<1x64x4xf32>, %[[A:[^:]+]]: tensor<4xf32>,
// CHECK-SAME:    %[[B:[^:]+]]: tensor<1x64x1x8xf32>, %[[C:[^:]+]]: tensor<1x64x1x8xf32>, %[[DY:[^:]+]]: tensor<1x64x4x16xf32>)
// CHECK:         %[[DX:.*]], %[[DDT:.*]], %[[DA:.*]], %[[DB:.*]], %[[DC:.*]] = ssm.ssd_scan_grad %[[X]], %[[DT]], %[[A]], %[[B]], %[[C]], %[[DY]] :
// CHECK-SAME:      tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>, tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>
// CHECK-SAME:      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>, tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>{{$}}
// CHECK:         return %[[DX]], %[[DDT]], %[[DA]], %[[DB]], %[[DC]]
func.func @ssd_scan_grad_minimal(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %dy: tensor<1x64x4x16xf32>)
    -> (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>) {
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
  return %dx, %ddt, %dA, %dB, %dC : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>,
      tensor<4xf32>, tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
}

// CHECK-LABEL: func.func @ssd_scan_grad_all(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<1x64x4x16xf32>, %[[DT:[^:]+]]: tensor<1x64x4xf32>, %[[A:[^:]+]]: tensor<4xf32>,
// CHECK-SAME:    %[[B:[^:]+]]: tensor<1x64x1x8xf32>, %[[C:[^:]+]]: tensor<1x64x1x8xf32>, %[[D:[^:]+]]: tensor<4xf32>,
// CHECK-SAME:    %[[Z:[^:]+]]: tensor<1x64x4x16xf32>, %[[DTB:[^:]+]]: tensor<4xf32>, %[[S0:[^:]+]]: tensor<1x4x16x8xf32>,
// CHECK-SAME:    %[[DY:[^:]+]]: tensor<1x64x4x16xf32>, %[[DS:[^:]+]]: tensor<1x4x16x8xf32>)
// CHECK:         %[[DX:.*]], %[[DDT:.*]], %[[DA:.*]], %[[DB:.*]], %[[DC:.*]], %[[DD:.*]], %[[DZ:.*]], %[[DDTB:.*]], %[[DS0:.*]] = ssm.ssd_scan_grad
// CHECK-SAME:      %[[X]], %[[DT]], %[[A]], %[[B]], %[[C]] D(%[[D]]) z(%[[Z]]) dt_bias(%[[DTB]]) initial_state(%[[S0]]), %[[DY]] d_final_state(%[[DS]])
// CHECK-SAME:      {dt_softplus} :
// CHECK-SAME:      tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>, tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<4xf32>, tensor<1x64x4x16xf32>, tensor<4xf32>, tensor<1x4x16x8xf32>, tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>
// CHECK-SAME:      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>, tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32> dD tensor<4xf32> dz tensor<1x64x4x16xf32> ddt_bias tensor<4xf32> d_initial_state tensor<1x4x16x8xf32>{{$}}
// CHECK:         return %[[DX]], %[[DDT]], %[[DA]], %[[DB]], %[[DC]], %[[DD]], %[[DZ]], %[[DDTB]], %[[DS0]]
func.func @ssd_scan_grad_all(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %D: tensor<4xf32>, %z: tensor<1x64x4x16xf32>, %dtb: tensor<4xf32>,
    %s0: tensor<1x4x16x8xf32>, %dy: tensor<1x64x4x16xf32>,
    %ds: tensor<1x4x16x8xf32>)
    -> (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<4xf32>,
        tensor<1x64x4x16xf32>, tensor<4xf32>, tensor<1x4x16x8xf32>) {
  %dx, %ddt, %dA, %dB, %dC, %dD, %dz, %ddtb, %ds0 = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%dtb) initial_state(%s0), %dy
      d_final_state(%ds)
      {dt_softplus}
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<4xf32>,
        tensor<1x64x4x16xf32>, tensor<4xf32>, tensor<1x4x16x8xf32>,
        tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32> dD tensor<4xf32>
         dz tensor<1x64x4x16xf32> ddt_bias tensor<4xf32>
         d_initial_state tensor<1x4x16x8xf32>
  return %dx, %ddt, %dA, %dB, %dC, %dD, %dz, %ddtb, %ds0
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<4xf32>,
        tensor<1x64x4x16xf32>, tensor<4xf32>, tensor<1x4x16x8xf32>
}

// bf16, G=2, d_final_state without initial_state.
// CHECK-LABEL: func.func @ssd_scan_grad_bf16_d_final_state(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<1x64x4x16xbf16>, %[[DT:[^:]+]]: tensor<1x64x4xbf16>, %[[A:[^:]+]]: tensor<4xf32>,
// CHECK-SAME:    %[[B:[^:]+]]: tensor<1x64x2x8xbf16>, %[[DS:[^:]+]]: tensor<1x4x16x8xf32>)
// CHECK:         ssm.ssd_scan_grad %[[X]], %[[DT]], %[[A]], %[[B]], %[[B]], %[[X]] d_final_state(%[[DS]]) :
// CHECK-SAME:      tensor<1x64x4x16xbf16>, tensor<1x64x4xbf16>, tensor<4xf32>, tensor<1x64x2x8xbf16>, tensor<1x64x2x8xbf16>, tensor<1x64x4x16xbf16>, tensor<1x4x16x8xf32>
// CHECK-SAME:      -> tensor<1x64x4x16xbf16>, tensor<1x64x4xbf16>, tensor<4xf32>, tensor<1x64x2x8xbf16>, tensor<1x64x2x8xbf16>{{$}}
func.func @ssd_scan_grad_bf16_d_final_state(%x: tensor<1x64x4x16xbf16>,
    %dt: tensor<1x64x4xbf16>, %A: tensor<4xf32>, %B: tensor<1x64x2x8xbf16>,
    %ds: tensor<1x4x16x8xf32>) {
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %B, %x
      d_final_state(%ds)
      : tensor<1x64x4x16xbf16>, tensor<1x64x4xbf16>, tensor<4xf32>,
        tensor<1x64x2x8xbf16>, tensor<1x64x2x8xbf16>, tensor<1x64x4x16xbf16>,
        tensor<1x4x16x8xf32>
      -> tensor<1x64x4x16xbf16>, tensor<1x64x4xbf16>, tensor<4xf32>,
         tensor<1x64x2x8xbf16>, tensor<1x64x2x8xbf16>
  return
}

// f16, initial_state only: d_initial_state is the one optional result.
// CHECK-LABEL: func.func @ssd_scan_grad_f16_initial_state(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<1x64x4x16xf16>, %[[DT:[^:]+]]: tensor<1x64x4xf16>, %[[A:[^:]+]]: tensor<4xf32>,
// CHECK-SAME:    %[[B:[^:]+]]: tensor<1x64x1x8xf16>, %[[S0:[^:]+]]: tensor<1x4x16x8xf32>)
// CHECK:         %[[DX:.*]], %[[DDT:.*]], %[[DA:.*]], %[[DB:.*]], %[[DC:.*]], %[[DS0:.*]] = ssm.ssd_scan_grad
// CHECK-SAME:      %[[X]], %[[DT]], %[[A]], %[[B]], %[[B]] initial_state(%[[S0]]), %[[X]] :
// CHECK-SAME:      tensor<1x64x4x16xf16>, tensor<1x64x4xf16>, tensor<4xf32>, tensor<1x64x1x8xf16>, tensor<1x64x1x8xf16>, tensor<1x4x16x8xf32>, tensor<1x64x4x16xf16>
// CHECK-SAME:      -> tensor<1x64x4x16xf16>, tensor<1x64x4xf16>, tensor<4xf32>, tensor<1x64x1x8xf16>, tensor<1x64x1x8xf16> d_initial_state tensor<1x4x16x8xf32>{{$}}
// CHECK:         return %[[DS0]]
func.func @ssd_scan_grad_f16_initial_state(%x: tensor<1x64x4x16xf16>,
    %dt: tensor<1x64x4xf16>, %A: tensor<4xf32>, %B: tensor<1x64x1x8xf16>,
    %s0: tensor<1x4x16x8xf32>) -> tensor<1x4x16x8xf32> {
  %dx, %ddt, %dA, %dB, %dC, %ds0 = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %B initial_state(%s0), %x
      : tensor<1x64x4x16xf16>, tensor<1x64x4xf16>, tensor<4xf32>,
        tensor<1x64x1x8xf16>, tensor<1x64x1x8xf16>, tensor<1x4x16x8xf32>,
        tensor<1x64x4x16xf16>
      -> tensor<1x64x4x16xf16>, tensor<1x64x4xf16>, tensor<4xf32>,
         tensor<1x64x1x8xf16>, tensor<1x64x1x8xf16>
         d_initial_state tensor<1x4x16x8xf32>
  return %ds0 : tensor<1x4x16x8xf32>
}

//===----------------------------------------------------------------------===//
// ssm.causal_conv1d
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @causal_conv1d_none(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<2x8x16xf32>, %[[W:[^:]+]]: tensor<8x4xf32>)
// CHECK:         %[[Y:.*]] = ssm.causal_conv1d %[[X]], %[[W]] activation none :
// CHECK-SAME:      (tensor<2x8x16xf32>, tensor<8x4xf32>) -> tensor<2x8x16xf32>
// CHECK:         return %[[Y]]
func.func @causal_conv1d_none(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>)
    -> tensor<2x8x16xf32> {
  %y = ssm.causal_conv1d %x, %w activation none
      : (tensor<2x8x16xf32>, tensor<8x4xf32>) -> tensor<2x8x16xf32>
  return %y : tensor<2x8x16xf32>
}

// CHECK-LABEL: func.func @causal_conv1d_bias_silu_bf16(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<2x8x16xbf16>, %[[W:[^:]+]]: tensor<8x4xf32>, %[[BIAS:[^:]+]]: tensor<8xf32>)
// CHECK:         %[[Y:.*]] = ssm.causal_conv1d %[[X]], %[[W]] bias(%[[BIAS]]) activation silu :
// CHECK-SAME:      (tensor<2x8x16xbf16>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<2x8x16xbf16>
// CHECK:         return %[[Y]]
func.func @causal_conv1d_bias_silu_bf16(%x: tensor<2x8x16xbf16>,
    %w: tensor<8x4xf32>, %b: tensor<8xf32>) -> tensor<2x8x16xbf16> {
  %y = ssm.causal_conv1d %x, %w bias(%b) activation silu
      : (tensor<2x8x16xbf16>, tensor<8x4xf32>, tensor<8xf32>)
      -> tensor<2x8x16xbf16>
  return %y : tensor<2x8x16xbf16>
}

// f16, bias with the identity activation, and a kernel wider than the
// sequence (W=4 > L=3 is allowed: the left padding is W-1).
// CHECK-LABEL: func.func @causal_conv1d_bias_none_f16_wide(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<1x8x3xf16>, %[[W:[^:]+]]: tensor<8x4xf32>, %[[BIAS:[^:]+]]: tensor<8xf32>)
// CHECK:         %[[Y:.*]] = ssm.causal_conv1d %[[X]], %[[W]] bias(%[[BIAS]]) activation none :
// CHECK-SAME:      (tensor<1x8x3xf16>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<1x8x3xf16>
// CHECK:         %[[Y2:.*]] = ssm.causal_conv1d %[[Y]], %[[W]] activation silu :
// CHECK-SAME:      (tensor<1x8x3xf16>, tensor<8x4xf32>) -> tensor<1x8x3xf16>
// CHECK:         return %[[Y2]]
func.func @causal_conv1d_bias_none_f16_wide(%x: tensor<1x8x3xf16>,
    %w: tensor<8x4xf32>, %b: tensor<8xf32>) -> tensor<1x8x3xf16> {
  %y = ssm.causal_conv1d %x, %w bias(%b) activation none
      : (tensor<1x8x3xf16>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<1x8x3xf16>
  %y2 = ssm.causal_conv1d %y, %w activation silu
      : (tensor<1x8x3xf16>, tensor<8x4xf32>) -> tensor<1x8x3xf16>
  return %y2 : tensor<1x8x3xf16>
}

//===----------------------------------------------------------------------===//
// ssm.causal_conv1d_grad
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @causal_conv1d_grad_none(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<2x8x16xf32>, %[[W:[^:]+]]: tensor<8x4xf32>, %[[DY:[^:]+]]: tensor<2x8x16xf32>)
// CHECK:         %[[DX:.*]], %[[DW:.*]] = ssm.causal_conv1d_grad %[[X]], %[[W]], %[[DY]] activation none :
// CHECK-SAME:      (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x8x16xf32>) -> (tensor<2x8x16xf32>, tensor<8x4xf32>)
// CHECK:         return %[[DX]], %[[DW]]
func.func @causal_conv1d_grad_none(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>,
    %dy: tensor<2x8x16xf32>) -> (tensor<2x8x16xf32>, tensor<8x4xf32>) {
  %dx, %dw = ssm.causal_conv1d_grad %x, %w, %dy activation none
      : (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x8x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<8x4xf32>)
  return %dx, %dw : tensor<2x8x16xf32>, tensor<8x4xf32>
}

// CHECK-LABEL: func.func @causal_conv1d_grad_bias_silu_bf16(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<2x8x16xbf16>, %[[W:[^:]+]]: tensor<8x4xf32>, %[[BIAS:[^:]+]]: tensor<8xf32>,
// CHECK-SAME:    %[[DY:[^:]+]]: tensor<2x8x16xbf16>)
// CHECK:         %[[DX:.*]], %[[DW:.*]], %[[DB:.*]] = ssm.causal_conv1d_grad %[[X]], %[[W]] bias(%[[BIAS]]), %[[DY]] activation silu :
// CHECK-SAME:      (tensor<2x8x16xbf16>, tensor<8x4xf32>, tensor<8xf32>, tensor<2x8x16xbf16>) -> (tensor<2x8x16xbf16>, tensor<8x4xf32>, tensor<8xf32>)
// CHECK:         return %[[DX]], %[[DW]], %[[DB]]
func.func @causal_conv1d_grad_bias_silu_bf16(%x: tensor<2x8x16xbf16>,
    %w: tensor<8x4xf32>, %b: tensor<8xf32>, %dy: tensor<2x8x16xbf16>)
    -> (tensor<2x8x16xbf16>, tensor<8x4xf32>, tensor<8xf32>) {
  %dx, %dw, %db = ssm.causal_conv1d_grad %x, %w bias(%b), %dy activation silu
      : (tensor<2x8x16xbf16>, tensor<8x4xf32>, tensor<8xf32>,
         tensor<2x8x16xbf16>)
      -> (tensor<2x8x16xbf16>, tensor<8x4xf32>, tensor<8xf32>)
  return %dx, %dw, %db : tensor<2x8x16xbf16>, tensor<8x4xf32>, tensor<8xf32>
}

// CHECK-LABEL: func.func @causal_conv1d_grad_bias_none_f16(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<2x8x16xf16>, %[[W:[^:]+]]: tensor<8x4xf32>, %[[BIAS:[^:]+]]: tensor<8xf32>)
// CHECK:         ssm.causal_conv1d_grad %[[X]], %[[W]] bias(%[[BIAS]]), %[[X]] activation none :
// CHECK-SAME:      (tensor<2x8x16xf16>, tensor<8x4xf32>, tensor<8xf32>, tensor<2x8x16xf16>) -> (tensor<2x8x16xf16>, tensor<8x4xf32>, tensor<8xf32>)
// CHECK:         ssm.causal_conv1d_grad %[[X]], %[[W]], %[[X]] activation silu :
// CHECK-SAME:      (tensor<2x8x16xf16>, tensor<8x4xf32>, tensor<2x8x16xf16>) -> (tensor<2x8x16xf16>, tensor<8x4xf32>)
func.func @causal_conv1d_grad_bias_none_f16(%x: tensor<2x8x16xf16>,
    %w: tensor<8x4xf32>, %b: tensor<8xf32>) {
  %dx, %dw, %db = ssm.causal_conv1d_grad %x, %w bias(%b), %x activation none
      : (tensor<2x8x16xf16>, tensor<8x4xf32>, tensor<8xf32>, tensor<2x8x16xf16>)
      -> (tensor<2x8x16xf16>, tensor<8x4xf32>, tensor<8xf32>)
  %dx2, %dw2 = ssm.causal_conv1d_grad %x, %w, %x activation silu
      : (tensor<2x8x16xf16>, tensor<8x4xf32>, tensor<2x8x16xf16>)
      -> (tensor<2x8x16xf16>, tensor<8x4xf32>)
  return
}

//===----------------------------------------------------------------------===//
// ssm.rms_norm
//===----------------------------------------------------------------------===//

// The default eps (1.0e-5) is elided when printed.
// CHECK-LABEL: func.func @rms_norm_plain_rank2(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<4x64xf32>, %[[W:[^:]+]]: tensor<64xf32>)
// CHECK:         %[[Y:.*]] = ssm.rms_norm %[[X]], %[[W]] :
// CHECK-SAME:      (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
// CHECK:         %[[Y2:.*]] = ssm.rms_norm %[[Y]], %[[W]] :
// CHECK-SAME:      (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
// CHECK:         return %[[Y2]]
func.func @rms_norm_plain_rank2(%x: tensor<4x64xf32>, %w: tensor<64xf32>)
    -> tensor<4x64xf32> {
  %y = ssm.rms_norm %x, %w : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  %y2 = ssm.rms_norm %y, %w {eps = 1.0e-05 : f32}
      : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y2 : tensor<4x64xf32>
}

// CHECK-LABEL: func.func @rms_norm_plain_rank3_eps(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<2x16x64xbf16>, %[[W:[^:]+]]: tensor<64xf32>)
// CHECK:         %[[Y:.*]] = ssm.rms_norm %[[X]], %[[W]] {eps = 9.765625E-4 : f32} :
// CHECK-SAME:      (tensor<2x16x64xbf16>, tensor<64xf32>) -> tensor<2x16x64xbf16>
// CHECK:         return %[[Y]]
func.func @rms_norm_plain_rank3_eps(%x: tensor<2x16x64xbf16>, %w: tensor<64xf32>)
    -> tensor<2x16x64xbf16> {
  %y = ssm.rms_norm %x, %w {eps = 9.765625E-4 : f32}
      : (tensor<2x16x64xbf16>, tensor<64xf32>) -> tensor<2x16x64xbf16>
  return %y : tensor<2x16x64xbf16>
}

// Residual form, f32 residual next to bf16 activations.
// CHECK-LABEL: func.func @rms_norm_residual_f32(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<2x16x64xbf16>, %[[W:[^:]+]]: tensor<64xf32>, %[[RES:[^:]+]]: tensor<2x16x64xf32>)
// CHECK:         %[[Y:.*]], %[[R:.*]] = ssm.rms_norm %[[X]], %[[W]] residual(%[[RES]]) :
// CHECK-SAME:      (tensor<2x16x64xbf16>, tensor<64xf32>, tensor<2x16x64xf32>) -> (tensor<2x16x64xbf16>, tensor<2x16x64xf32>)
// CHECK:         return %[[Y]], %[[R]]
func.func @rms_norm_residual_f32(%x: tensor<2x16x64xbf16>, %w: tensor<64xf32>,
    %res: tensor<2x16x64xf32>) -> (tensor<2x16x64xbf16>, tensor<2x16x64xf32>) {
  %y, %r = ssm.rms_norm %x, %w residual(%res)
      : (tensor<2x16x64xbf16>, tensor<64xf32>, tensor<2x16x64xf32>)
      -> (tensor<2x16x64xbf16>, tensor<2x16x64xf32>)
  return %y, %r : tensor<2x16x64xbf16>, tensor<2x16x64xf32>
}

// Residual form, residual in the activation type (f16), rank 2, with eps.
// CHECK-LABEL: func.func @rms_norm_residual_same_type(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<4x64xf16>, %[[W:[^:]+]]: tensor<64xf32>, %[[RES:[^:]+]]: tensor<4x64xf16>)
// CHECK:         %[[Y:.*]], %[[R:.*]] = ssm.rms_norm %[[X]], %[[W]] residual(%[[RES]]) {eps = 5.000000e-01 : f32} :
// CHECK-SAME:      (tensor<4x64xf16>, tensor<64xf32>, tensor<4x64xf16>) -> (tensor<4x64xf16>, tensor<4x64xf32>)
// CHECK:         return %[[Y]], %[[R]]
func.func @rms_norm_residual_same_type(%x: tensor<4x64xf16>, %w: tensor<64xf32>,
    %res: tensor<4x64xf16>) -> (tensor<4x64xf16>, tensor<4x64xf32>) {
  %y, %r = ssm.rms_norm %x, %w residual(%res) {eps = 0.5 : f32}
      : (tensor<4x64xf16>, tensor<64xf32>, tensor<4x64xf16>)
      -> (tensor<4x64xf16>, tensor<4x64xf32>)
  return %y, %r : tensor<4x64xf16>, tensor<4x64xf32>
}

// Gated form, rank 3 and rank 2.
// CHECK-LABEL: func.func @rms_norm_gated(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<2x16x64xbf16>, %[[W:[^:]+]]: tensor<64xf32>, %[[Z:[^:]+]]: tensor<2x16x64xbf16>,
// CHECK-SAME:    %[[X2:[^:]+]]: tensor<4x64xf32>)
// CHECK:         %[[Y:.*]] = ssm.rms_norm %[[X]], %[[W]] z(%[[Z]]) :
// CHECK-SAME:      (tensor<2x16x64xbf16>, tensor<64xf32>, tensor<2x16x64xbf16>) -> tensor<2x16x64xbf16>
// CHECK:         %[[Y2:.*]] = ssm.rms_norm %[[X2]], %[[W]] z(%[[X2]]) :
// CHECK-SAME:      (tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
// CHECK:         return %[[Y]], %[[Y2]]
func.func @rms_norm_gated(%x: tensor<2x16x64xbf16>, %w: tensor<64xf32>,
    %z: tensor<2x16x64xbf16>, %x2: tensor<4x64xf32>)
    -> (tensor<2x16x64xbf16>, tensor<4x64xf32>) {
  %y = ssm.rms_norm %x, %w z(%z)
      : (tensor<2x16x64xbf16>, tensor<64xf32>, tensor<2x16x64xbf16>)
      -> tensor<2x16x64xbf16>
  %y2 = ssm.rms_norm %x2, %w z(%x2)
      : (tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  return %y, %y2 : tensor<2x16x64xbf16>, tensor<4x64xf32>
}

// Rank 1 (a single row) is a valid input too.
// CHECK-LABEL: func.func @rms_norm_rank1(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<64xf32>, %[[W:[^:]+]]: tensor<64xf32>)
// CHECK:         ssm.rms_norm %[[X]], %[[W]] : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
func.func @rms_norm_rank1(%x: tensor<64xf32>, %w: tensor<64xf32>) -> tensor<64xf32> {
  %y = ssm.rms_norm %x, %w : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  return %y : tensor<64xf32>
}

//===----------------------------------------------------------------------===//
// ssm.rms_norm_grad
//===----------------------------------------------------------------------===//

// Mandatory results dx, dweight; optional ones by keyword: dresidual, dz.

// CHECK-LABEL: func.func @rms_norm_grad_plain(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<4x64xf32>, %[[W:[^:]+]]: tensor<64xf32>, %[[DY:[^:]+]]: tensor<4x64xf32>)
// CHECK:         %[[DX:.*]], %[[DW:.*]] = ssm.rms_norm_grad %[[X]], %[[W]], %[[DY]] :
// CHECK-SAME:      tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32> -> tensor<4x64xf32>, tensor<64xf32>{{$}}
// CHECK:         return %[[DX]], %[[DW]]
func.func @rms_norm_grad_plain(%x: tensor<4x64xf32>, %w: tensor<64xf32>,
    %dy: tensor<4x64xf32>) -> (tensor<4x64xf32>, tensor<64xf32>) {
  %dx, %dw = ssm.rms_norm_grad %x, %w, %dy
      {eps = 1.0e-05 : f32}
      : tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32>
      -> tensor<4x64xf32>, tensor<64xf32>
  return %dx, %dw : tensor<4x64xf32>, tensor<64xf32>
}

// Rank 3 bf16 with a non-default eps.
// CHECK-LABEL: func.func @rms_norm_grad_plain_rank3(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<2x16x64xbf16>, %[[W:[^:]+]]: tensor<64xf32>)
// CHECK:         ssm.rms_norm_grad %[[X]], %[[W]], %[[X]] {eps = 9.765625E-4 : f32} :
// CHECK-SAME:      tensor<2x16x64xbf16>, tensor<64xf32>, tensor<2x16x64xbf16> -> tensor<2x16x64xbf16>, tensor<64xf32>{{$}}
func.func @rms_norm_grad_plain_rank3(%x: tensor<2x16x64xbf16>, %w: tensor<64xf32>) {
  %dx, %dw = ssm.rms_norm_grad %x, %w, %x
      {eps = 9.765625E-4 : f32}
      : tensor<2x16x64xbf16>, tensor<64xf32>, tensor<2x16x64xbf16>
      -> tensor<2x16x64xbf16>, tensor<64xf32>
  return
}

// Residual form with and without the cotangent of residual_out.
// CHECK-LABEL: func.func @rms_norm_grad_residual(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<2x16x64xbf16>, %[[W:[^:]+]]: tensor<64xf32>, %[[RES:[^:]+]]: tensor<2x16x64xf32>,
// CHECK-SAME:    %[[DY:[^:]+]]: tensor<2x16x64xbf16>, %[[DR:[^:]+]]: tensor<2x16x64xf32>)
// CHECK:         %[[DX:.*]], %[[DW:.*]], %[[DRES:.*]] = ssm.rms_norm_grad %[[X]], %[[W]] residual(%[[RES]]), %[[DY]] d_residual_out(%[[DR]]) :
// CHECK-SAME:      tensor<2x16x64xbf16>, tensor<64xf32>, tensor<2x16x64xf32>, tensor<2x16x64xbf16>, tensor<2x16x64xf32>
// CHECK-SAME:      -> tensor<2x16x64xbf16>, tensor<64xf32> dresidual tensor<2x16x64xf32>{{$}}
// CHECK:         ssm.rms_norm_grad %[[X]], %[[W]] residual(%[[X]]), %[[DY]] :
// CHECK-SAME:      tensor<2x16x64xbf16>, tensor<64xf32>, tensor<2x16x64xbf16>, tensor<2x16x64xbf16>
// CHECK-SAME:      -> tensor<2x16x64xbf16>, tensor<64xf32> dresidual tensor<2x16x64xbf16>{{$}}
// CHECK:         return %[[DX]], %[[DW]], %[[DRES]]
func.func @rms_norm_grad_residual(%x: tensor<2x16x64xbf16>, %w: tensor<64xf32>,
    %res: tensor<2x16x64xf32>, %dy: tensor<2x16x64xbf16>,
    %dr: tensor<2x16x64xf32>)
    -> (tensor<2x16x64xbf16>, tensor<64xf32>, tensor<2x16x64xf32>) {
  %dx, %dw, %dres = ssm.rms_norm_grad %x, %w residual(%res), %dy
      d_residual_out(%dr)
      : tensor<2x16x64xbf16>, tensor<64xf32>, tensor<2x16x64xf32>,
        tensor<2x16x64xbf16>, tensor<2x16x64xf32>
      -> tensor<2x16x64xbf16>, tensor<64xf32> dresidual tensor<2x16x64xf32>
  %dx2, %dw2, %dres2 = ssm.rms_norm_grad %x, %w residual(%x), %dy
      : tensor<2x16x64xbf16>, tensor<64xf32>, tensor<2x16x64xbf16>,
        tensor<2x16x64xbf16>
      -> tensor<2x16x64xbf16>, tensor<64xf32> dresidual tensor<2x16x64xbf16>
  return %dx, %dw, %dres : tensor<2x16x64xbf16>, tensor<64xf32>, tensor<2x16x64xf32>
}

// Gated form, rank 2 f16.
// CHECK-LABEL: func.func @rms_norm_grad_gated(
// CHECK-SAME:    %[[X:[^:]+]]: tensor<4x64xf16>, %[[W:[^:]+]]: tensor<64xf32>, %[[Z:[^:]+]]: tensor<4x64xf16>,
// CHECK-SAME:    %[[DY:[^:]+]]: tensor<4x64xf16>)
// CHECK:         %[[DX:.*]], %[[DW:.*]], %[[DZ:.*]] = ssm.rms_norm_grad %[[X]], %[[W]] z(%[[Z]]), %[[DY]] :
// CHECK-SAME:      tensor<4x64xf16>, tensor<64xf32>, tensor<4x64xf16>, tensor<4x64xf16>
// CHECK-SAME:      -> tensor<4x64xf16>, tensor<64xf32> dz tensor<4x64xf16>{{$}}
// CHECK:         return %[[DX]], %[[DW]], %[[DZ]]
func.func @rms_norm_grad_gated(%x: tensor<4x64xf16>, %w: tensor<64xf32>,
    %z: tensor<4x64xf16>, %dy: tensor<4x64xf16>)
    -> (tensor<4x64xf16>, tensor<64xf32>, tensor<4x64xf16>) {
  %dx, %dw, %dz = ssm.rms_norm_grad %x, %w z(%z), %dy
      : tensor<4x64xf16>, tensor<64xf32>, tensor<4x64xf16>, tensor<4x64xf16>
      -> tensor<4x64xf16>, tensor<64xf32> dz tensor<4x64xf16>
  return %dx, %dw, %dz : tensor<4x64xf16>, tensor<64xf32>, tensor<4x64xf16>
}
