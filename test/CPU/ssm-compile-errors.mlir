// Errors of ssm-compile: each is one `error:` (located where the input has
// a place for it) and a non-zero status, and no binary is written.
// split-file --leading-lines keeps the line numbers of this file, so
// [[# @LINE + 1]] in a part names the line below it.

// RUN: rm -rf %t && split-file --leading-lines %s %t

// An unknown --target.
// RUN: not ssm-compile %t/ok.mlir --target=foo -o %t/foo.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TARGET
// RUN: not ls %t/foo.so
// TARGET: error: unknown target 'foo': expected 'cpu' or 'gpu'

// An input file that does not exist.
// RUN: not ssm-compile %t/absent.mlir --target=cpu -o %t/absent.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ABSENT
// ABSENT: error: could not open input file {{.*}}absent.mlir

// Malformed IR: the parser's error, at its line and column.
// RUN: not ssm-compile %t/malformed.mlir --target=cpu -o %t/malformed.so \
// RUN:   2>&1 | FileCheck %s --check-prefix=MALFORMED
// RUN: not ls %t/malformed.so

// A dynamic dimension on an ssm op: the op verifier's error, at the op.
// RUN: not ssm-compile %t/dynamic-op.mlir --target=cpu -o %t/dynamic-op.so \
// RUN:   2>&1 | FileCheck %s --check-prefix=DYNAMIC-OP

// A dynamically shaped entry argument: the manifest's error, at the func.
// RUN: not ssm-compile %t/dynamic-arg.mlir --target=cpu \
// RUN:   -o %t/dynamic-arg.so 2>&1 | FileCheck %s --check-prefix=DYNAMIC-ARG
// RUN: not ls %t/dynamic-arg.so

// An element type the runtime does not know.
// RUN: not ssm-compile %t/int.mlir --target=cpu -o %t/int.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=INT

// A result that is an argument: the runtime needs distinct buffers.
// RUN: not ssm-compile %t/alias.mlir --target=cpu -o %t/alias.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ALIAS

// Nothing to compile: no public function.
// RUN: not ssm-compile %t/private.mlir --target=cpu -o %t/private.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PRIVATE
// PRIVATE: error: no public function to compile: a workload needs at least one public func.func

// The input of the --target=foo case is fine with --target=cpu.
// RUN: ssm-compile %t/ok.mlir --target=cpu -o %t/ok.so
// RUN: ssm-run %t/ok.so --check | FileCheck %s --check-prefix=OK
// OK: check y f32 {{.*}} PASS
// OK: check: 1 passed, 0 failed

//--- ok.mlir
func.func @ok(%x: tensor<1x2x4xf32>, %w: tensor<2x2xf32>)
    -> tensor<1x2x4xf32> {
  %y = ssm.causal_conv1d %x, %w activation silu
      : (tensor<1x2x4xf32>, tensor<2x2xf32>) -> tensor<1x2x4xf32>
  return %y : tensor<1x2x4xf32>
}

//--- malformed.mlir
func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
  // MALFORMED: malformed.mlir:[[# @LINE + 1]]:10: error: use of undeclared SSA value name
  return %b : tensor<4xf32>
}

//--- dynamic-op.mlir
func.func @f(%x: tensor<1x2x?xf32>, %w: tensor<2x2xf32>)
    -> tensor<1x2x?xf32> {
  // DYNAMIC-OP: dynamic-op.mlir:[[# @LINE + 1]]:8: error: 'ssm.causal_conv1d' op operand `x` dim 2 (L) must be static
  %y = ssm.causal_conv1d %x, %w activation none
      : (tensor<1x2x?xf32>, tensor<2x2xf32>) -> tensor<1x2x?xf32>
  return %y : tensor<1x2x?xf32>
}

//--- dynamic-arg.mlir
// DYNAMIC-ARG: dynamic-arg.mlir:[[# @LINE + 1]]:1: error: entry 'f': tensor 'arg0' must be a statically shaped tensor, got 'tensor<?x8xf32>'
func.func @f(%a: tensor<?x8xf32>, %w: tensor<8xf32>) -> tensor<4x8xf32> {
  %x = tensor.cast %a : tensor<?x8xf32> to tensor<4x8xf32>
  %y = ssm.rms_norm %x, %w
      : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

//--- int.mlir
// INT: int.mlir:[[# @LINE + 1]]:1: error: entry 'f': tensor 'arg0' has unsupported element type 'i64'
func.func @f(%a: tensor<4xi64>) -> tensor<4xi64> {
  return %a : tensor<4xi64>
}

//--- alias.mlir
func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
  // ALIAS: alias.mlir:[[# @LINE + 1]]:3: error: result 0 returns a value that is already a tensor of the entry; the runtime needs distinct output buffers
  return %a : tensor<4xf32>
}

//--- private.mlir
func.func private @helper(%a: tensor<4xf32>) -> tensor<4xf32>
