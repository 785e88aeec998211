// RUN: ssm-opt %s --mlir-print-ir-after-all \
// RUN:   --pass-pipeline='builtin.module(canonicalize)' 2>&1 | FileCheck %s
// RUN: ssm-opt %s --mlir-print-ir-after-all --mlir-print-ir-module-scope \
// RUN:   --mlir-disable-threading \
// RUN:   --pass-pipeline='builtin.module(func.func(canonicalize))' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NESTED

// ssm-opt accepts the standard mlir-opt flags: a textual pass pipeline and
// the IR printing instrumentation, whose dump goes to stderr ahead of the
// final module on stdout.

// CHECK:       // -----// IR Dump After Canonicalizer (canonicalize) //----- //
// CHECK-NEXT:  module {
// CHECK-LABEL:   func.func @conv(
// CHECK:           ssm.causal_conv1d {{.*}} activation silu
// The dead op is gone after canonicalization; the used one stays.
// CHECK-NOT:       ssm.rms_norm
// CHECK:           return
// CHECK:       module {
// CHECK-LABEL:   func.func @conv(
// CHECK:           ssm.causal_conv1d {{.*}} activation silu
// CHECK-NOT:       ssm.rms_norm

// NESTED:      // -----// IR Dump After Canonicalizer (canonicalize) ('func.func' operation: @conv) //----- //
// NESTED-NEXT: module {
// NESTED:        func.func @conv(

func.func @conv(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>, %n: tensor<16xf32>)
    -> tensor<2x8x16xf32> {
  %y = ssm.causal_conv1d %x, %w activation silu
      : (tensor<2x8x16xf32>, tensor<8x4xf32>) -> tensor<2x8x16xf32>
  %dead = ssm.rms_norm %n, %n : (tensor<16xf32>, tensor<16xf32>) -> tensor<16xf32>
  return %y : tensor<2x8x16xf32>
}
